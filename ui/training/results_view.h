// Results of fine-tuning runs (and the entry point of studies: "Run study…" asks for a study
// config, the main window runs it, the report is linked here when it ends): a folder of run folders
// (any depth) read into a table — arm (from scratch, or pretrained on which pretext tasks), label
// budget, seed, test Dice per class, mean Dice and HD95 — and a plot of mean Dice against the
// number of labelled subjects per arm (the mean over seeds as a line, each seed's run as a point).
// Reading and grouping are train's (run_summary.h); this widget shows them.
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "train/run_summary.h"

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QPushButton;
class QScatterSeries;
class QTableWidget;

namespace planelab::ui {

class ResultsView : public QWidget {
  Q_OBJECT

 public:
  explicit ResultsView(QWidget* parent = nullptr);

  // Reads every finished run under the folder into the table and the plot; a study report
  // (report.md) in the folder or the one above it is linked.
  void setFolder(const QString& folder);
  // Links a study report (report.md) under the plot; "" removes the link.
  void setReport(const QString& report_md);
  QString report() const { return report_; }
  const QString& folder() const { return folder_; }

  // For tests: table rows (finished segmentation runs), the plot's arms (their labels) and
  // points per arm (means over seeds; single runs).
  int rowCount() const;
  QStringList arms() const;
  int meanPointCount(const QString& arm) const;
  int seedPointCount(const QString& arm) const;

  static QString armLabel(const train::Arm& arm);

 Q_SIGNALS:
  // "Run study…": the user chose a study config (STUDY.json) to run or resume.
  void studyRequested(const QString& config_path);

 private:
  struct ArmSeries {
    QLineSeries* means = nullptr;     // owned by the chart
    QScatterSeries* seeds = nullptr;  // owned by the chart
  };

  void fillTable(const std::vector<train::ResultRow>& rows);
  void fillChart(const std::vector<train::BudgetGroup>& groups);

  QString folder_;
  QPushButton* choose_button_;
  QPushButton* study_button_;
  QLabel* report_label_;
  QString report_;
  QLabel* folder_label_;
  QLabel* status_label_;
  QTableWidget* table_;
  QChart* chart_;
  QChartView* view_;
  QMap<QString, ArmSeries> arms_;
};

}  // namespace planelab::ui
