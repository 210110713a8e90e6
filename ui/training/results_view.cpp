#include "ui/training/results_view.h"

#include <QChart>
#include <QChartView>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPainter>
#include <QPushButton>
#include <QScatterSeries>
#include <QSplitter>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <exception>
#include <filesystem>
#include <iterator>

#include "ui/plot/study_plot.h"

namespace planelab::ui {
namespace {

// A cell that sorts by its number (the text is formatted); cells without one sort first.
class NumberItem : public QTableWidgetItem {
 public:
  NumberItem(const QString& text, double value, bool has_value)
      : QTableWidgetItem(text), value_(value), has_value_(has_value) {
    setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  }
  bool operator<(const QTableWidgetItem& other) const override {
    const auto* o = dynamic_cast<const NumberItem*>(&other);
    if (o == nullptr) return QTableWidgetItem::operator<(other);
    if (has_value_ != o->has_value_) return !has_value_;
    return value_ < o->value_;
  }

 private:
  double value_;
  bool has_value_;
};

QTableWidgetItem* numberItem(const std::optional<double>& value, int decimals) {
  return new NumberItem(value ? QString::number(*value, 'f', decimals) : QStringLiteral("–"),
                        value.value_or(0.0), value.has_value());
}

QString folderName(const std::string& path) {
  return QFileInfo(QString::fromStdString(path)).fileName();
}

}  // namespace

QString ResultsView::armLabel(const train::Arm& arm) {
  if (!arm.pretrained) return tr("from scratch");
  QString what = arm.variant.empty() ? tr("run %1").arg(folderName(arm.init_run))
                                     : QString::fromStdString(arm.variant);
  if (arm.permuted_targets) what = tr("%1, permuted targets").arg(what);
  if (arm.transfer == "encoder") what = tr("%1, encoder only").arg(what);
  if (arm.checkpoint == "last") what = tr("%1, last checkpoint").arg(what);
  return tr("pretrained (%1)").arg(what);
}

ResultsView::ResultsView(QWidget* parent)
    : QWidget(parent),
      choose_button_(new QPushButton(tr("Choose folder…"), this)),
      study_button_(new QPushButton(tr("Run study…"), this)),
      report_label_(new QLabel(this)),
      folder_label_(new QLabel(this)),
      status_label_(new QLabel(this)),
      table_(new QTableWidget(this)),
      chart_(new QChart),
      view_(new QChartView(chart_, this)) {
  setObjectName(QStringLiteral("resultsView"));
  choose_button_->setObjectName(QStringLiteral("chooseFolderButton"));
  study_button_->setObjectName(QStringLiteral("runStudyButton"));
  study_button_->setToolTip(
      tr("Run or resume a study (several experiments and one report; docs/study.md)"));
  report_label_->setObjectName(QStringLiteral("reportLabel"));
  report_label_->setOpenExternalLinks(true);
  report_label_->setTextFormat(Qt::RichText);
  report_label_->setVisible(false);
  folder_label_->setObjectName(QStringLiteral("folderLabel"));
  status_label_->setObjectName(QStringLiteral("statusLabel"));
  status_label_->setWordWrap(true);
  table_->setObjectName(QStringLiteral("resultsTable"));
  view_->setObjectName(QStringLiteral("diceChart"));
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->verticalHeader()->setVisible(false);
  chart_->setAnimationOptions(QChart::NoAnimation);
  chart_->setTitle(tr("Test Dice against labelled subjects"));
  chart_->legend()->setAlignment(Qt::AlignBottom);
  view_->setRenderHint(QPainter::Antialiasing);
  view_->setMinimumSize(420, 300);
  folder_label_->setText(tr("No folder chosen."));

  auto* top = new QHBoxLayout;
  top->addWidget(choose_button_);
  top->addWidget(folder_label_, 1);
  top->addWidget(study_button_);
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(table_);
  splitter->addWidget(view_);
  splitter->setSizes({250, 500});  // pixels, in proportion until shown: the plot gets more
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(splitter, 1);
  layout->addWidget(report_label_);
  layout->addWidget(status_label_);

  connect(choose_button_, &QPushButton::clicked, this, [this] {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Folder of run folders"), folder_);
    if (!dir.isEmpty()) setFolder(dir);
  });
  connect(study_button_, &QPushButton::clicked, this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Study config"), QString(), tr("Study (*.json)"));
    if (!path.isEmpty()) Q_EMIT studyRequested(path);
  });
}

void ResultsView::setReport(const QString& report_md) {
  report_ = report_md;
  report_label_->setVisible(!report_md.isEmpty());
  report_label_->setText(report_md.isEmpty() ? QString()
                                             : tr("Study report: <a href=\"%1\">%2</a>")
                                                   .arg(QUrl::fromLocalFile(report_md).toString(),
                                                        report_md.toHtmlEscaped()));
}

void ResultsView::setFolder(const QString& folder) {
  folder_ = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
  folder_label_->setText(folder_);
  QString report;
  for (const QString& dir : {folder_, QFileInfo(folder_).absolutePath()}) {
    if (QFileInfo::exists(dir + QStringLiteral("/report.md")) &&
        QFileInfo::exists(dir + QStringLiteral("/study.json"))) {
      report = dir + QStringLiteral("/report.md");
      break;
    }
  }
  setReport(report);
  std::vector<train::ResultRow> rows;
  int other_runs = 0;
  QStringList unreadable;
  for (const auto& dir : train::findFinishedRuns(folder_.toStdString())) {
    try {
      const auto row = train::segmentationResult(train::readRunSummary(dir));
      if (row) {
        rows.push_back(*row);
      } else {
        ++other_runs;
      }
    } catch (const std::exception& e) {
      unreadable.append(QString::fromUtf8(e.what()));
    }
  }
  fillTable(rows);
  fillChart(train::groupByArmAndBudget(rows));
  QString status =
      tr("%n fine-tuning run(s) for segmentation", nullptr, static_cast<int>(rows.size()));
  if (other_runs > 0)
    status +=
        QStringLiteral("; ") +
        tr("%n other finished run(s) not shown (pretraining, classification)", nullptr, other_runs);
  if (!unreadable.isEmpty())
    status +=
        QStringLiteral("; ") + tr("unreadable: %1").arg(unreadable.join(QStringLiteral("; ")));
  status_label_->setText(status);
}

void ResultsView::fillTable(const std::vector<train::ResultRow>& rows) {
  // Dice columns: every class of any run, in the order they first appear (label order).
  QStringList classes;
  for (const auto& row : rows)
    for (const auto& [name, value] : row.dice)
      if (!classes.contains(QString::fromStdString(name)))
        classes.append(QString::fromStdString(name));
  QStringList headers = {tr("Run"), tr("Arm"), tr("Pretrained run"), tr("Labelled subjects"),
                         tr("Seed")};
  //: Dice similarity coefficient of the label class %1 (a column header).
  for (const QString& name : classes) headers.append(tr("Dice %1").arg(name));
  headers.append({tr("Mean Dice"),
                  //: 95th percentile Hausdorff distance, in millimetres.
                  tr("HD95 (mm)")});

  table_->setSortingEnabled(false);
  table_->clear();
  table_->setColumnCount(static_cast<int>(headers.size()));
  table_->setHorizontalHeaderLabels(headers);
  table_->setRowCount(static_cast<int>(rows.size()));
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    const auto& row = rows[static_cast<std::size_t>(r)];
    auto* run = new QTableWidgetItem(folderName(row.run_dir));
    run->setToolTip(QString::fromStdString(row.run_dir));
    table_->setItem(r, 0, run);
    table_->setItem(r, 1, new QTableWidgetItem(armLabel(row.arm)));
    auto* init =
        new QTableWidgetItem(row.arm.pretrained ? folderName(row.arm.init_run) : QString());
    init->setToolTip(QString::fromStdString(row.arm.init_run));
    table_->setItem(r, 2, init);
    table_->setItem(r, 3, numberItem(row.labelled_subjects, 0));
    table_->setItem(r, 4, numberItem(static_cast<double>(row.seed), 0));
    int column = 5;
    for (const QString& name : classes) {
      std::optional<double> value;
      for (const auto& [n, v] : row.dice)
        if (QString::fromStdString(n) == name) value = v;
      table_->setItem(r, column++, numberItem(value, 3));
    }
    table_->setItem(r, column++, numberItem(row.mean_dice, 3));
    table_->setItem(r, column, numberItem(row.mean_hd95_mm, 2));
  }
  table_->setSortingEnabled(true);
  table_->resizeColumnsToContents();
}

void ResultsView::fillChart(const std::vector<train::BudgetGroup>& groups) {
  chart_->removeAllSeries();
  for (QAbstractAxis* axis : chart_->axes()) {
    chart_->removeAxis(axis);
    delete axis;
  }
  arms_.clear();
  auto* x_axis = new QValueAxis;
  x_axis->setTitleText(tr("labelled subjects"));
  x_axis->setLabelFormat(QStringLiteral("%d"));
  auto* y_axis = new QValueAxis;
  y_axis->setTitleText(tr("mean Dice (test)"));
  y_axis->setRange(0.0, 1.0);
  chart_->addAxis(x_axis, Qt::AlignBottom);
  chart_->addAxis(y_axis, Qt::AlignLeft);
  int max_budget = 1;
  for (const auto& group : groups) {
    const QString label = armLabel(group.arm);
    auto it = arms_.find(label);
    if (it == arms_.end()) {
      const QColor colour = armColour(static_cast<int>(arms_.size()));
      ArmSeries series;
      series.means = new QLineSeries;
      series.means->setName(tr("%1: mean over seeds").arg(label));
      QPen pen(colour);
      pen.setWidthF(2.0);
      series.means->setPen(pen);
      series.means->setPointsVisible(true);
      series.seeds = new QScatterSeries;
      series.seeds->setName(tr("%1: runs").arg(label));
      series.seeds->setColor(colour.lighter(130));
      series.seeds->setBorderColor(colour);
      series.seeds->setMarkerSize(7.0);
      for (QXYSeries* s :
           {static_cast<QXYSeries*>(series.means), static_cast<QXYSeries*>(series.seeds)}) {
        chart_->addSeries(s);
        s->attachAxis(x_axis);
        s->attachAxis(y_axis);
      }
      it = arms_.insert(label, series);
    }
    // Groups come sorted by budget within an arm: the mean line runs left to right.
    it->means->append(group.labelled_subjects, group.mean);
    for (double dice : group.mean_dice) it->seeds->append(group.labelled_subjects, dice);
    max_budget = std::max(max_budget, group.labelled_subjects);
  }
  x_axis->setRange(0.0, max_budget + 1.0);
  x_axis->setTickType(QValueAxis::TicksDynamic);
  x_axis->setTickAnchor(0.0);
  x_axis->setTickInterval(std::max(1, (max_budget + 1) / 10));
}

int ResultsView::rowCount() const {
  return table_->rowCount();
}

QStringList ResultsView::arms() const {
  return arms_.keys();
}

int ResultsView::meanPointCount(const QString& arm) const {
  const auto it = arms_.find(arm);
  return it == arms_.end() ? -1 : static_cast<int>(it->means->count());
}

int ResultsView::seedPointCount(const QString& arm) const {
  const auto it = arms_.find(arm);
  return it == arms_.end() ? -1 : static_cast<int>(it->seeds->count());
}

}  // namespace planelab::ui
