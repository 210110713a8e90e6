#include "ui/training/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <exception>

#include "ui/training/training_job.h"

namespace planelab::ui {

ExportDialog::ExportDialog(const QString& run_dir, bool pretraining, QWidget* parent)
    : QDialog(parent),
      run_dir_(run_dir),
      format_(new QComboBox(this)),
      checkpoint_(new QComboBox(this)),
      outputs_(new QComboBox(this)),
      file_(new QLineEdit(this)),
      overwrite_(new QCheckBox(tr("Replace an existing model and card"), this)) {
  setObjectName(QStringLiteral("exportDialog"));
  setWindowTitle(tr("Export model"));
  format_->setObjectName(QStringLiteral("exportFormat"));
  format_->addItem(tr("TorchScript (.pt)"), QStringLiteral("torchscript"));
  format_->addItem(tr("ONNX, opset 17 (.onnx)"), QStringLiteral("onnx"));
  checkpoint_->setObjectName(QStringLiteral("exportCheckpoint"));
  checkpoint_->addItem(tr("best (selected on validation)"), QStringLiteral("best"));
  checkpoint_->addItem(tr("last epoch"), QStringLiteral("last"));
  outputs_->setObjectName(QStringLiteral("exportOutputs"));
  outputs_->addItem(tr("the run's heads (predictions)"), QStringLiteral("heads"));
  outputs_->addItem(tr("the encoder's features (to fine-tune elsewhere)"),
                    QStringLiteral("encoder"));
  if (pretraining) outputs_->setCurrentIndex(1);
  file_->setObjectName(QStringLiteral("exportFile"));
  const QString name = QFileInfo(run_dir).fileName();
  file_->setText(QDir(run_dir).filePath(QStringLiteral("exported/%1.pt").arg(name)));
  overwrite_->setObjectName(QStringLiteral("exportOverwrite"));
  auto* browse = new QPushButton(tr("Browse…"), this);
  auto* file_row = new QHBoxLayout;
  file_row->addWidget(file_, 1);
  file_row->addWidget(browse);
  auto* note = new QLabel(
      tr("Writes a TorchScript file (torch.jit.load in Python, torch::jit::load in C++) or an "
         "ONNX graph (ONNX Runtime) and, next to it, its model card (<file>.card.json) with the "
         "preprocessing, labels and provenance. See docs/export.md."),
      this);
  note->setWordWrap(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
  auto* form = new QFormLayout(this);
  form->addRow(tr("Run"), new QLabel(run_dir, this));
  form->addRow(tr("Format"), format_);
  form->addRow(tr("Checkpoint"), checkpoint_);
  form->addRow(tr("Model returns"), outputs_);
  form->addRow(tr("File"), file_row);
  form->addRow(overwrite_);
  form->addRow(note);
  form->addRow(buttons);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString file = QFileDialog::getSaveFileName(this, tr("Model file"), file_->text(),
                                                      tr("TorchScript (*.pt);;ONNX (*.onnx)"));
    if (!file.isEmpty()) file_->setText(file);
  });
  connect(format_, &QComboBox::currentIndexChanged, this, [this] {
    QFileInfo file(file_->text());
    const QString suffix = format_->currentData().toString() == QLatin1String("onnx")
                               ? QStringLiteral(".onnx")
                               : QStringLiteral(".pt");
    file_->setText(file.dir().filePath(file.completeBaseName() + suffix));
  });
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

exporting::ExportRequest ExportDialog::request() const {
  exporting::ExportRequest r;
  r.run_dir = run_dir_.toStdString();
  r.format = format_->currentData().toString().toStdString();
  r.checkpoint = checkpoint_->currentData().toString().toStdString();
  r.outputs = outputs_->currentData().toString() == QLatin1String("encoder")
                  ? exporting::Outputs::kEncoder
                  : exporting::Outputs::kHeads;
  r.out = file_->text().toStdString();
  r.overwrite = overwrite_->isChecked();
  r.software_version = QCoreApplication::applicationVersion().toStdString();
  return r;
}

Job* startExportJob(JobManager& jobs, const exporting::ExportRequest& request) {
  return jobs.start(
      ExportDialog::tr("Export %1").arg(QFileInfo(QString::fromStdString(request.out)).fileName()),
      [request](JobContext& context) {
        context.progress(0, 1, ExportDialog::tr("building, writing and checking the model"));
        JobOutcome outcome;
        try {
          const exporting::ExportResult result = exporting::exportRun(request);
          context.log(ExportDialog::tr("wrote %1 and %2; reloaded outputs differ by at most %3")
                          .arg(QString::fromStdString(result.model_file),
                               QString::fromStdString(result.card_file))
                          .arg(result.max_abs_diff));
          context.progress(1, 1);
          outcome.result = QString::fromStdString(result.model_file);
        } catch (const std::exception& e) {
          outcome = failedOutcome(e.what(), QStringLiteral("export_failed"));
        }
        return outcome;
      });
}

}  // namespace planelab::ui
