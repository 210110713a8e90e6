// Exporting a run from the desktop application: a dialog for the format (TorchScript or ONNX), the
// checkpoint, what the model returns (the run's heads, or the encoder's features) and the file;
// the export itself (exporting::exportRun: the model plus its card) runs as a job.
#pragma once

#include <QDialog>
#include <QString>

#include "export/model_export.h"
#include "ui/jobs/job.h"
#include "ui/jobs/job_manager.h"

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace planelab::ui {

class ExportDialog : public QDialog {
  Q_OBJECT

 public:
  // pretraining: the run is a pretraining run (its encoder is what is usually exported).
  ExportDialog(const QString& run_dir, bool pretraining, QWidget* parent = nullptr);
  exporting::ExportRequest request() const;

 private:
  QString run_dir_;
  QComboBox* format_;
  QComboBox* checkpoint_;
  QComboBox* outputs_;
  QLineEdit* file_;
  QCheckBox* overwrite_;
};

// The job's result is the model file; failures carry the core's key ([output_exists], ...).
Job* startExportJob(JobManager& jobs, const exporting::ExportRequest& request);

}  // namespace planelab::ui
