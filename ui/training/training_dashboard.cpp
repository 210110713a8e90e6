#include "ui/training/training_dashboard.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QListWidget>
#include <QLogValueAxis>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <limits>

#include "train/trainer.h"
#include "ui/training/export_dialog.h"

namespace planelab::ui {
namespace {

// Run colours in the order runs are listed (Tableau 10: tells up to 10 runs apart).
const QColor kRunColours[] = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b),
                              QColor(0xe1, 0x57, 0x59), QColor(0x76, 0xb7, 0xb2),
                              QColor(0x59, 0xa1, 0x4f), QColor(0xed, 0xc9, 0x48),
                              QColor(0xb0, 0x7a, 0xa1), QColor(0xff, 0x9d, 0xa7),
                              QColor(0x9c, 0x75, 0x5f), QColor(0xba, 0xb0, 0xac)};
// The smoothing slider's steps: 0.01 of weight each, up to 0.99 (as TensorBoard's).
constexpr int kSmoothingSteps = 99;
// Displayed points per series: beyond, train::CurveDisplay averages in buckets.
constexpr std::size_t kMaxDisplayedPoints = 2000;
// The linear loss axis is rescaled when the points fill less than this fraction of it.
constexpr double kMinAxisFill = 0.3;
// Replacing a series' points one by one beyond this many is slower than one bulk replace.
constexpr std::size_t kBulkReplaceFrom = 16;

QString deviceText(const QString& device) {
  if (device.isEmpty()) return QStringLiteral("–");  // a watched run before its first event
  if (device.startsWith(QStringLiteral("cuda")))
    return TrainingDashboard::tr("GPU (%1)").arg(device);
  if (device == QStringLiteral("cpu")) return TrainingDashboard::tr("CPU");
  return device;
}

QPixmap swatch(const QColor& colour) {
  QPixmap pixmap(12, 12);
  pixmap.fill(colour);
  return pixmap;
}

}  // namespace

TrainingDashboard::TrainingDashboard(JobManager* jobs, QWidget* parent)
    : QWidget(parent),
      jobs_(jobs),
      chart_(new QChart),
      view_(new QChartView(chart_, this)),
      x_axis_(new QValueAxis),
      run_list_(new QListWidget(this)),
      series_list_(new QListWidget(this)),
      smoothing_(new QSlider(Qt::Horizontal, this)),
      smoothing_value_(new QLabel(this)),
      log_check_(new QCheckBox(tr("Logarithmic loss axis"), this)),
      open_button_(new QPushButton(tr("Open run…"), this)),
      resume_run_button_(new QPushButton(tr("Resume run"), this)),
      export_button_(new QPushButton(tr("Export model…"), this)),
      pause_button_(new QPushButton(tr("Pause"), this)),
      cancel_button_(new QPushButton(tr("Cancel"), this)),
      epoch_label_(new QLabel(this)),
      lr_label_(new QLabel(this)),
      throughput_label_(new QLabel(this)),
      device_label_(new QLabel(this)),
      elapsed_label_(new QLabel(this)),
      eta_label_(new QLabel(this)),
      status_label_(new QLabel(this)) {
  setObjectName(QStringLiteral("trainingDashboard"));
  view_->setObjectName(QStringLiteral("lossChart"));
  run_list_->setObjectName(QStringLiteral("runList"));
  series_list_->setObjectName(QStringLiteral("seriesList"));
  series_list_->setSortingEnabled(true);
  series_list_->setToolTip(tr("Curves drawn for every shown run"));
  smoothing_->setObjectName(QStringLiteral("smoothingSlider"));
  smoothing_value_->setObjectName(QStringLiteral("smoothingValue"));
  log_check_->setObjectName(QStringLiteral("logScaleCheck"));
  open_button_->setObjectName(QStringLiteral("openRunButton"));
  resume_run_button_->setObjectName(QStringLiteral("resumeRunButton"));
  export_button_->setObjectName(QStringLiteral("exportButton"));
  export_button_->setToolTip(tr("TorchScript or ONNX with its model card (docs/export.md)"));
  pause_button_->setObjectName(QStringLiteral("pauseButton"));
  cancel_button_->setObjectName(QStringLiteral("cancelButton"));
  epoch_label_->setObjectName(QStringLiteral("epochLabel"));
  lr_label_->setObjectName(QStringLiteral("lrLabel"));
  throughput_label_->setObjectName(QStringLiteral("throughputLabel"));
  device_label_->setObjectName(QStringLiteral("deviceLabel"));
  elapsed_label_->setObjectName(QStringLiteral("elapsedLabel"));
  eta_label_->setObjectName(QStringLiteral("etaLabel"));
  status_label_->setObjectName(QStringLiteral("statusLabel"));
  status_label_->setWordWrap(true);

  chart_->setAnimationOptions(QChart::NoAnimation);  // live points: animation would lag behind
  chart_->legend()->setAlignment(Qt::AlignBottom);
  chart_->setTitle(tr("Training curves"));
  x_axis_->setTitleText(tr("epoch"));
  x_axis_->setLabelFormat(QStringLiteral("%.3g"));
  x_axis_->setRange(0.0, 1.0);
  chart_->addAxis(x_axis_, Qt::AlignBottom);
  replaceValueAxis(false);
  view_->setRenderHint(QPainter::Antialiasing);
  view_->setMinimumSize(480, 320);

  smoothing_->setRange(0, kSmoothingSteps);
  smoothing_->setToolTip(tr("Exponential moving average of the per-iteration losses"));
  smoothing_value_->setText(tr("smoothing %1").arg(0.0, 0, 'f', 2));
  run_list_->setToolTip(tr("Runs shown in the chart; the selected one is described below"));

  auto* controls = new QHBoxLayout;
  controls->addWidget(open_button_);
  controls->addWidget(resume_run_button_);
  controls->addWidget(export_button_);
  controls->addSpacing(12);
  controls->addWidget(pause_button_);
  controls->addWidget(cancel_button_);
  controls->addStretch(1);
  controls->addWidget(smoothing_value_);
  controls->addWidget(smoothing_, 1);
  controls->addWidget(log_check_);

  auto* labels = new QGridLayout;
  labels->addWidget(epoch_label_, 0, 0);
  labels->addWidget(lr_label_, 0, 1);
  labels->addWidget(throughput_label_, 0, 2);
  labels->addWidget(device_label_, 1, 0);
  labels->addWidget(elapsed_label_, 1, 1);
  labels->addWidget(eta_label_, 1, 2);
  labels->addWidget(status_label_, 2, 0, 1, 3);

  auto* side = new QWidget(this);
  auto* side_layout = new QVBoxLayout(side);
  side_layout->setContentsMargins(0, 0, 0, 0);
  side_layout->addWidget(new QLabel(tr("Runs"), side));
  side_layout->addWidget(run_list_, 1);
  side_layout->addWidget(new QLabel(tr("Curves"), side));
  side_layout->addWidget(series_list_, 2);
  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->addWidget(side);
  splitter->addWidget(view_);
  splitter->setStretchFactor(0, 0);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({240, 960});  // pixels, in proportion until shown

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(controls);
  layout->addWidget(splitter, 1);
  layout->addLayout(labels);

  connect(open_button_, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open run folder"));
    if (!dir.isEmpty()) openRun(dir);
  });
  connect(resume_run_button_, &QPushButton::clicked, this, [this] { resumeCurrentRun(); });
  connect(export_button_, &QPushButton::clicked, this, [this] {
    const Run* run = current();
    if (run == nullptr) return;
    bool pretraining = false;
    try {
      pretraining = train::loadRunConfig(run->key.toStdString()).task == "pretrain";
    } catch (const std::exception&) {
    }
    auto* dialog = new ExportDialog(run->key, pretraining, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { exportCurrentRun(dialog->request()); });
    dialog->open();  // window-modal, the event loop (and running jobs) go on
  });
  connect(pause_button_, &QPushButton::clicked, this, [this] {
    Run* run = current();
    if (run == nullptr || run->job.isNull()) return;
    if (run->job->state() == JobState::kPaused) {
      run->job->resume();
    } else {
      run->job->pause();
    }
  });
  connect(cancel_button_, &QPushButton::clicked, this, [this] {
    Run* run = current();
    if (run != nullptr && !run->job.isNull()) run->job->cancel();
  });
  connect(smoothing_, &QSlider::valueChanged, this, [this](int value) {
    smoothing_value_->setText(tr("smoothing %1").arg(value / 100.0, 0, 'f', 2));
    applyStyle();
  });
  connect(log_check_, &QCheckBox::toggled, this, [this](bool log) {
    replaceValueAxis(log);
    applyStyle();
  });
  connect(run_list_, &QListWidget::currentItemChanged, this, [this] {
    refreshLabels();
    refreshControls();
  });
  connect(run_list_, &QListWidget::itemChanged, this, [this] { updateVisibility(); });
  connect(series_list_, &QListWidget::itemChanged, this, [this] { updateVisibility(); });
  refreshLabels();
  refreshControls();
}

TrainingDashboard::~TrainingDashboard() = default;

QString TrainingDashboard::runKey(const QString& run_dir) {
  return QDir::cleanPath(QFileInfo(run_dir).absoluteFilePath());
}

QStringList TrainingDashboard::runs() const {
  QStringList keys;
  for (const auto& run : runs_) keys.append(run->key);
  return keys;
}

QString TrainingDashboard::currentRun() const {
  const QListWidgetItem* item = run_list_->currentItem();
  for (const auto& run : runs_)
    if (run->item == item) return run->key;
  return {};
}

Job* TrainingDashboard::job(const QString& run) const {
  const Run* r = findRun(runKey(run));
  return r == nullptr ? nullptr : r->job.data();
}

TrainingDashboard::Run* TrainingDashboard::findRun(const QString& key) {
  for (auto& run : runs_)
    if (run->key == key) return run.get();
  return nullptr;
}

const TrainingDashboard::Run* TrainingDashboard::findRun(const QString& key) const {
  for (const auto& run : runs_)
    if (run->key == key) return run.get();
  return nullptr;
}

TrainingDashboard::Run* TrainingDashboard::current() {
  return findRun(currentRun());
}

int TrainingDashboard::pointCount(const QString& run, const QString& series) const {
  const Run* r = findRun(runKey(run));
  if (r == nullptr) return -1;
  const auto it = r->series.find(series);
  return it == r->series.end() ? -1 : static_cast<int>(it->second.line->count());
}

QList<QPointF> TrainingDashboard::displayedPoints(const QString& run, const QString& series) const {
  const Run* r = findRun(runKey(run));
  if (r == nullptr) return {};
  const auto it = r->series.find(series);
  return it == r->series.end() ? QList<QPointF>() : it->second.line->points();
}

TrainingDashboard::Run& TrainingDashboard::addRun(const QString& key) {
  auto run = std::make_unique<Run>();
  run->key = key;
  run->name = QFileInfo(key).fileName();
  run->colour = kRunColours[runs_.size() % std::size(kRunColours)];
  run->item = new QListWidgetItem(QIcon(swatch(run->colour)), run->name);
  run->item->setToolTip(key);
  run->item->setFlags(run->item->flags() | Qt::ItemIsUserCheckable);
  run->item->setCheckState(Qt::Checked);
  runs_.push_back(std::move(run));
  Run& added = *runs_.back();
  run_list_->addItem(added.item);
  run_list_->setCurrentItem(added.item);
  return added;
}

void TrainingDashboard::watch(Job* job, TrainingFeed* feed, const QString& run_dir,
                              const QString& name) {
  const QString key = runKey(run_dir);
  Run* found = findRun(key);
  Run& run = found != nullptr ? *found : addRun(key);
  if (!name.isEmpty()) {
    run.name = name;
    run.item->setText(name);
  }
  run.job = job;
  run.feed = feed;
  run.replay_pending = found != nullptr;
  run.resumable = false;
  run.ended = false;
  run.status.clear();
  run_list_->setCurrentItem(run.item);
  if (feed != nullptr) {
    // Events of an earlier session's feed (the run watched before a resume) are ignored.
    connect(feed, &TrainingFeed::iteration, this,
            [this, key, feed](const train::IterationEvent& e) {
              Run* r = findRun(key);
              if (r == nullptr || r->feed != feed) return;
              addIteration(*r, e, true);
              if (r == current()) refreshLabels();
              updateAxes();
            });
    connect(feed, &TrainingFeed::epoch, this, [this, key, feed](const train::EpochEvent& e) {
      Run* r = findRun(key);
      if (r == nullptr || r->feed != feed) return;
      addEpoch(*r, e, true);
      if (r == current()) refreshLabels();
      updateAxes();
    });
    connect(feed, &TrainingFeed::message, this,
            [this, key, feed](const QString& level, const QString& text) {
              Run* r = findRun(key);
              if (r == nullptr || r->feed != feed || level == QStringLiteral("info")) return;
              r->status = text;
              if (r == current()) refreshLabels();
            });
    // The run's end; its job may go on (an experiment runs its next step).
    connect(feed, &TrainingFeed::finished, this, [this, key, feed](const train::RunResult& result) {
      Run* r = findRun(key);
      if (r == nullptr || r->feed != feed) return;
      onRunEnded(
          key, statusOutcome(result.status, result.message, QString::fromStdString(result.status)));
    });
  }
  if (job != nullptr) {
    connect(job, &Job::stateChanged, this, [this] { refreshControls(); });
    connect(job, &Job::finishedWith, this, [this, key, job] {
      Run* r = findRun(key);
      if (r != nullptr && r->job == job && !r->ended) onRunEnded(key, job->outcome());
    });
  }
  run.summary_pending = true;
  refreshLabels();
  refreshControls();
}

void TrainingDashboard::onRunEnded(const QString& key, const JobOutcome& outcome) {
  Run* run = findRun(key);
  if (run == nullptr) return;
  run->ended = true;
  try {
    const auto summary = train::readRunSummary(key.toStdString());
    run->resumable = summary.resumable;
    run->device = QString::fromStdString(summary.device);
  } catch (const std::exception&) {
    run->resumable = false;
  }
  if (outcome.cancelled) {
    run->status = run->resumable ? tr("Cancelled; the run can be resumed from its last epoch.")
                                 : tr("Cancelled before the first epoch ended; start it again.");
  } else if (!outcome.ok()) {
    run->status = QStringLiteral("[%1] %2").arg(outcome.error_key, outcome.message);
  } else {
    run->status = tr("Finished; evaluation.json holds the test results.");
  }
  if (run == current()) refreshLabels();
  refreshControls();
}

void TrainingDashboard::openRun(const QString& run_dir) {
  const QString key = runKey(run_dir);
  if (Run* run = findRun(key)) {
    run_list_->setCurrentItem(run->item);
    return;
  }
  QPointer<TrainingDashboard> self(this);
  Job* job = jobs_->start(tr("Open run %1").arg(QFileInfo(key).fileName()),
                          [self, key](JobContext& context) {
                            const std::string dir = key.toStdString();
                            train::RunSummary summary;
                            train::MetricsHistory history;
                            try {
                              summary = train::readRunSummary(dir);
                              // A run stopped before its first iteration has no log yet.
                              const auto log = std::filesystem::path(dir) / "metrics.jsonl";
                              if (std::filesystem::exists(log))
                                history = train::readMetricsLog(log.string());
                            } catch (const std::exception& e) {
                              return failedOutcome(e.what(), QStringLiteral("not_a_run"));
                            }
                            context.post([self, key, summary, history] {
                              if (!self.isNull()) self->addLoadedRun(key, summary, history);
                            });
                            return JobOutcome{};
                          });
  connect(job, &Job::finishedWith, this, [this](const JobOutcome& outcome) {
    if (outcome.ok()) return;
    status_label_->setText(QStringLiteral("[%1] %2").arg(outcome.error_key, outcome.message));
  });
}

void TrainingDashboard::addLoadedRun(const QString& key, const train::RunSummary& summary,
                                     const train::MetricsHistory& history) {
  if (findRun(key) != nullptr) return;
  Run& run = addRun(key);
  run.epochs = summary.config.epochs;
  run.device = QString::fromStdString(summary.device);
  run.resumable = summary.resumable;
  run.status = summary.finished    ? tr("Finished.")
               : summary.resumable ? tr("Interrupted; it can be resumed from its last epoch.")
                                   : tr("Not finished and nothing to resume from.");
  // Events in file order: an epoch's iterations precede its epoch record, as live.
  std::size_t i = 0;
  for (const auto& epoch : history.epochs) {
    for (; i < history.iterations.size() && history.iterations[i].epoch <= epoch.epoch; ++i)
      addIteration(run, history.iterations[i], false);
    addEpoch(run, epoch, false);
  }
  for (; i < history.iterations.size(); ++i) addIteration(run, history.iterations[i], false);
  for (auto& [name, series] : run.series) draw(series);
  updateAxes();
  refreshLabels();
  refreshControls();
}

void TrainingDashboard::startSession(Run& run, int epoch) {
  if (run.summary_pending) {
    // The trainer writes run.json (with the device it resolved) before its first iteration.
    run.summary_pending = false;
    try {
      const auto summary = train::readRunSummary(run.key.toStdString());
      run.device = QString::fromStdString(summary.device);
      run.epochs = summary.config.epochs;
    } catch (const std::exception& e) {
      run.status = QString::fromUtf8(e.what());
    }
  }
  if (!run.replay_pending) return;
  run.replay_pending = false;
  // The resumed run continues after its last checkpointed epoch: what was drawn beyond it (the
  // interrupted epoch's iterations) is replayed.
  for (auto& [name, series] : run.series) {
    series.curve.dropAfter(static_cast<double>(epoch));
    draw(series);
  }
}

void TrainingDashboard::addIteration(Run& run, const train::IterationEvent& e, bool draw_now) {
  startSession(run, e.epoch);
  const double x = train::epochPosition(e);
  for (const auto& [name, value] : e.losses)
    addPoint(run, QStringLiteral("train/") + QString::fromStdString(name), {x, value}, draw_now);
  run.last_iteration = e;
  run.has_iteration = true;
  if (e.epochs > 0) run.epochs = e.epochs;
}

void TrainingDashboard::addEpoch(Run& run, const train::EpochEvent& e, bool draw_now) {
  startSession(run, e.epoch);
  const double x = e.epoch + 1.0;
  for (const auto& [name, value] : e.train)
    addPoint(run, QStringLiteral("epoch/") + QString::fromStdString(name), {x, value}, draw_now);
  for (const auto& [name, value] : e.validation) {
    // The trainer prefixes validation metrics with "val_".
    QString metric = QString::fromStdString(name);
    if (metric.startsWith(QStringLiteral("val_"))) metric = metric.mid(4);
    addPoint(run, QStringLiteral("val/") + metric, {x, value}, draw_now);
  }
  run.last_epoch = e;
  run.has_epoch = true;
  if (e.epochs > 0) run.epochs = e.epochs;
}

TrainingDashboard::Series& TrainingDashboard::seriesOf(Run& run, const QString& key) {
  const auto found = run.series.find(key);
  if (found != run.series.end()) return found->second;
  Series& series =
      run.series.emplace(key, Series{train::CurveDisplay(styleOf(key)), nullptr}).first->second;
  auto* line = new QLineSeries;
  const QString kind = key.section(QLatin1Char('/'), 0, 0);
  const QString what = key.section(QLatin1Char('/'), 1);
  QPen pen(run.colour);
  pen.setCosmetic(true);
  line->setName(tr("%1: %2").arg(run.name, seriesLabel(key)));
  if (kind == QStringLiteral("train")) {
    pen.setWidthF(what == QStringLiteral("total") ? 2.0 : 1.0);
    pen.setStyle(what == QStringLiteral("total") ? Qt::SolidLine : Qt::DashLine);
  } else if (kind == QStringLiteral("epoch")) {
    pen.setWidthF(1.5);
    pen.setStyle(Qt::DotLine);
    line->setPointsVisible(true);
    line->setMarkerSize(5.0);
  } else {
    pen.setWidthF(2.0);
    pen.setStyle(Qt::DashDotLine);
    line->setPointsVisible(true);
    line->setMarkerSize(6.0);
  }
  line->setPen(pen);
  chart_->addSeries(line);
  line->attachAxis(x_axis_);
  line->attachAxis(y_axis_);
  series.line = line;
  showSeries(run, key, series);
  return series;
}

QString TrainingDashboard::seriesLabel(const QString& key) {
  const QString kind = key.section(QLatin1Char('/'), 0, 0);
  const QString what = key.section(QLatin1Char('/'), 1);
  if (kind == QStringLiteral("train")) return tr("%1 per iteration").arg(what);
  if (kind == QStringLiteral("epoch")) return tr("%1 epoch mean").arg(what);
  return tr("validation %1").arg(what);
}

QListWidgetItem* TrainingDashboard::seriesItem(const QString& key) {
  for (int i = 0; i < series_list_->count(); ++i)
    if (series_list_->item(i)->data(Qt::UserRole).toString() == key) return series_list_->item(i);
  auto* item = new QListWidgetItem(seriesLabel(key));
  item->setData(Qt::UserRole, key);
  item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
  // Shown at first: the total loss and the metric that selects the best checkpoint (the
  // trainer's val_loss, val_mean_dice_3d, val_balanced_accuracy); the rest when asked for.
  static const QStringList kShownAtFirst = {
      QStringLiteral("train/total"), QStringLiteral("epoch/total"), QStringLiteral("val/loss"),
      QStringLiteral("val/mean_dice_3d"), QStringLiteral("val/balanced_accuracy")};
  const QSignalBlocker blocker(series_list_);
  item->setCheckState(kShownAtFirst.contains(key) ? Qt::Checked : Qt::Unchecked);
  series_list_->addItem(item);
  return item;
}

void TrainingDashboard::setSeriesShown(const QString& series, bool shown) {
  seriesItem(series)->setCheckState(shown ? Qt::Checked : Qt::Unchecked);
}

bool TrainingDashboard::seriesShown(const QString& series) const {
  for (int i = 0; i < series_list_->count(); ++i)
    if (series_list_->item(i)->data(Qt::UserRole).toString() == series)
      return series_list_->item(i)->checkState() == Qt::Checked;
  return false;
}

void TrainingDashboard::showSeries(const Run& run, const QString& key, Series& series) {
  const bool shown =
      run.item->checkState() == Qt::Checked && seriesItem(key)->checkState() == Qt::Checked;
  series.line->setVisible(shown);
  // A hidden series keeps its legend entry unless its marker goes too.
  for (QLegendMarker* marker : chart_->legend()->markers(series.line)) marker->setVisible(shown);
}

void TrainingDashboard::updateVisibility() {
  for (auto& run : runs_)
    for (auto& [key, series] : run->series) showSeries(*run, key, series);
  updateAxes();
}

void TrainingDashboard::addPoint(Run& run, const QString& key, train::CurvePoint point,
                                 bool draw_now) {
  Series& series = seriesOf(run, key);
  series.curve.add(point);
  if (draw_now) draw(series);
}

void TrainingDashboard::draw(Series& series) {
  const std::size_t from = series.curve.takeChangedFrom();
  const auto& points = series.curve.points();
  const auto shown = static_cast<std::size_t>(series.line->count());
  if (from == points.size() && shown == points.size()) return;
  if (points.size() - std::min(from, points.size()) > kBulkReplaceFrom) {
    QList<QPointF> all;
    all.reserve(static_cast<qsizetype>(points.size()));
    for (const auto& p : points) all.append(QPointF(p.x, p.y));
    series.line->replace(all);
    return;
  }
  std::size_t i = from;
  for (; i < std::min(shown, points.size()); ++i)
    series.line->replace(static_cast<int>(i), QPointF(points[i].x, points[i].y));
  if (shown > points.size())
    series.line->removePoints(static_cast<int>(points.size()),
                              static_cast<int>(shown - points.size()));
  for (; i < points.size(); ++i) series.line->append(points[i].x, points[i].y);
}

train::CurveStyle TrainingDashboard::styleOf(const QString& series) const {
  train::CurveStyle s;
  // Smoothing is for the noisy per-iteration losses; epoch means and validation are averages
  // already.
  s.smoothing = series.startsWith(QStringLiteral("train/")) ? smoothing_->value() / 100.0 : 0.0;
  s.log_y = log_scale_;
  s.max_points = kMaxDisplayedPoints;
  return s;
}

void TrainingDashboard::applyStyle() {
  for (auto& run : runs_) {
    for (auto& [key, series] : run->series) {
      series.curve.setStyle(styleOf(key));
      draw(series);
    }
  }
  updateAxes();
}

void TrainingDashboard::setSmoothing(double weight) {
  smoothing_->setValue(static_cast<int>(std::lround(std::clamp(weight, 0.0, 0.99) * 100.0)));
}

void TrainingDashboard::setLogScale(bool log) {
  log_check_->setChecked(log);
}

void TrainingDashboard::replaceValueAxis(bool log) {
  if (y_axis_ != nullptr && log == log_scale_) return;
  log_scale_ = log;
  if (y_axis_ != nullptr) {
    chart_->removeAxis(y_axis_);
    delete y_axis_;
  }
  if (log) {
    auto* axis = new QLogValueAxis;
    axis->setBase(10.0);
    axis->setLabelFormat(QStringLiteral("%.2g"));
    axis->setMinorTickCount(-1);
    y_axis_ = axis;
  } else {
    auto* axis = new QValueAxis;
    axis->setLabelFormat(QStringLiteral("%.3g"));
    y_axis_ = axis;
  }
  y_axis_->setTitleText(tr("loss / metric"));
  chart_->addAxis(y_axis_, Qt::AlignLeft);
  for (auto& run : runs_)
    for (auto& [key, series] : run->series) series.line->attachAxis(y_axis_);
}

void TrainingDashboard::updateAxes() {
  double x_max = 1.0;
  double y_min = std::numeric_limits<double>::infinity();
  double y_max = -std::numeric_limits<double>::infinity();
  for (const auto& run : runs_) {
    if (run->item->checkState() != Qt::Checked) continue;
    x_max = std::max(x_max, static_cast<double>(run->epochs));
    for (const auto& [key, series] : run->series) {
      if (!series.line->isVisible()) continue;
      for (const auto& p : series.curve.points()) {
        x_max = std::max(x_max, p.x);
        if (!std::isfinite(p.y)) continue;
        y_min = std::min(y_min, p.y);
        y_max = std::max(y_max, p.y);
      }
    }
  }
  // A new range re-lays out the chart and recomputes every series (~2-25 ms for a few runs): the
  // axes change only when they must, not with every point.
  if (x_axis_->max() != x_max) x_axis_->setRange(0.0, x_max);
  if (!(y_min <= y_max)) return;  // nothing drawn yet
  if (log_scale_) {
    // Whole decades around the points: log-axis labels sit on them.
    const double low = std::pow(10.0, std::floor(std::log10(y_min)));
    double high = std::pow(10.0, std::ceil(std::log10(y_max)));
    if (high <= low) high = low * 10.0;
    auto* axis = static_cast<QLogValueAxis*>(y_axis_);
    if (axis->min() != low || axis->max() != high) axis->setRange(low, high);
    return;
  }
  auto* axis = static_cast<QValueAxis*>(y_axis_);
  // Kept while the points lie inside and fill a fair part of it (after a rescale to round
  // numbers they fill about half or more; losses mostly fall inside the range they started in).
  const bool inside = y_min >= axis->min() && y_max <= axis->max();
  if (inside && y_max - y_min >= kMinAxisFill * (axis->max() - axis->min())) return;
  const double pad = y_max > y_min ? 0.05 * (y_max - y_min) : std::max(0.5 * std::abs(y_max), 1e-3);
  axis->setRange(y_min - pad, y_max + pad);
  axis->applyNiceNumbers();  // ticks on round values
}

void TrainingDashboard::refreshLabels() {
  const Run* run = current();
  if (run == nullptr) {
    for (QLabel* label : {epoch_label_, lr_label_, throughput_label_, device_label_, elapsed_label_,
                          eta_label_, status_label_})
      label->clear();
    status_label_->setText(
        tr("No run yet: open a run folder, or start a run from the experiment "
           "wizard."));
    return;
  }
  const bool live = !run->job.isNull() && !run->job->finished();
  int epoch = 0;
  double lr = 0.0, images_per_s = 0.0, elapsed_s = -1.0, eta_s = -1.0;
  if (run->has_epoch) {
    epoch = run->last_epoch.epoch + 1;
    lr = run->last_epoch.lr;
    images_per_s = run->last_epoch.images_per_s;
    elapsed_s = run->last_epoch.elapsed_s;
    eta_s = run->last_epoch.eta_s;
  }
  if (run->has_iteration && (!run->has_epoch || run->last_iteration.epoch > run->last_epoch.epoch ||
                             run->last_iteration.elapsed_s > run->last_epoch.elapsed_s)) {
    epoch = run->last_iteration.epoch + 1;
    lr = run->last_iteration.lr;
    images_per_s = run->last_iteration.images_per_s;
    if (run->last_iteration.elapsed_s > 0.0) elapsed_s = run->last_iteration.elapsed_s;
    eta_s = run->last_iteration.eta_s;
  }
  if (!live) eta_s = -1.0;  // the trainer's estimate is of a session that is over
  epoch_label_->setText(run->epochs > 0 ? tr("epoch %1 of %2").arg(epoch).arg(run->epochs)
                                        : tr("epoch %1").arg(epoch));
  lr_label_->setText(tr("learning rate %1").arg(lr, 0, 'g', 3));
  throughput_label_->setText(tr("%1 images/s").arg(images_per_s, 0, 'f', 1));
  device_label_->setText(tr("device %1").arg(deviceText(run->device)));
  elapsed_label_->setText(tr("elapsed %1").arg(Job::formatDuration(elapsed_s)));
  eta_label_->setText(tr("ETA %1").arg(Job::formatDuration(eta_s)));
  status_label_->setText(run->status);
}

bool TrainingDashboard::isRunning(const Run& run) {
  return !run.job.isNull() && !run.job->finished() && !run.ended;
}

void TrainingDashboard::refreshControls() {
  const Run* run = current();
  const Job* job = run == nullptr ? nullptr : run->job.data();
  const bool active = run != nullptr && isRunning(*run);
  pause_button_->setEnabled(active && job->pausable());
  pause_button_->setText(job != nullptr && job->state() == JobState::kPaused ? tr("Resume")
                                                                             : tr("Pause"));
  cancel_button_->setEnabled(active);
  resume_run_button_->setEnabled(run != nullptr && !active && run->resumable);
  export_button_->setEnabled(
      run != nullptr && !active &&
      QFileInfo::exists(QDir(run->key).filePath(QStringLiteral("checkpoints/best.pt"))));
}

Job* TrainingDashboard::exportCurrentRun(const exporting::ExportRequest& request) {
  Run* run = current();
  if (run == nullptr || isRunning(*run)) return nullptr;
  Job* job = startExportJob(*jobs_, request);
  const QString key = run->key;
  status_label_->setText(tr("Exporting to %1…").arg(QString::fromStdString(request.out)));
  connect(job, &Job::finishedWith, this, [this, job, key] {
    const JobOutcome& outcome = job->outcome();
    Run* r = findRun(key);
    if (r == nullptr) return;
    r->status = outcome.ok()
                    ? tr("Exported to %1 (model card next to it).").arg(outcome.result.toString())
                    : QStringLiteral("[%1] %2").arg(outcome.error_key, outcome.message);
    if (r == current()) refreshLabels();
  });
  return job;
}

Job* TrainingDashboard::resumeCurrentRun() {
  Run* run = current();
  if (run == nullptr || !run->resumable || isRunning(*run)) return nullptr;
  train::TrainConfig config;
  try {
    config = train::loadRunConfig(run->key.toStdString());
  } catch (const std::exception& e) {
    run->status = QString::fromUtf8(e.what());
    refreshLabels();
    return nullptr;
  }
  Job* job = startTrainingJob(*jobs_, config, true);
  watch(job, trainingFeed(job), run->key);
  return job;
}

}  // namespace planelab::ui
