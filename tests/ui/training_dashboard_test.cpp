// The training dashboard and the results view, driven as a user would, on runs of a tiny
// in-memory phantom dataset (6 hearts at 32 px, a U-Net of base width 4, 2 CPU threads): live
// curves fill while a run trains, pause holds them, cancel leaves a run that the dashboard resumes
// to the end, smoothing and the log axis redraw without losing points, the event loop stays
// responsive while training, and the results view tabulates and plots fine-tuning runs.
#include <unistd.h>

#include <QtTest>

#include <QAbstractAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <filesystem>

#include "prepare/prepare.h"
#include "train/config.h"
#include "train/run_summary.h"
#include "train/trainer.h"
#include "ui/event_loop.h"
#include "ui/jobs/job_manager.h"
#include "ui/training/export_dialog.h"
#include "ui/training/results_view.h"
#include "ui/training/training_dashboard.h"
#include "ui/training/training_job.h"

using planelab::testing::waitUntil;
using planelab::ui::Job;
using planelab::ui::JobManager;
using planelab::ui::JobOutcome;
using planelab::ui::JobState;
using planelab::ui::ResultsView;
using planelab::ui::TrainingDashboard;
namespace fs = std::filesystem;
namespace train = planelab::train;

namespace {

constexpr int kRunTimeoutMs = 180000;

fs::path root() {
  const char* dir = std::getenv("PLANELAB_TEST_TMP");
  return fs::path(dir ? dir : "/tmp") / "training_dashboard" / std::to_string(::getpid());
}

// Turns a real event loop (as the application's) until the job ends.
bool runUntilFinished(Job* job, int timeout_ms = kRunTimeoutMs) {
  if (job->finished()) return true;
  QEventLoop loop;
  QObject::connect(job, &Job::finishedWith, &loop, &QEventLoop::quit);
  QTimer::singleShot(timeout_ms, &loop, &QEventLoop::quit);
  loop.exec();
  return job->finished();
}

void idle(int ms) {
  QElapsedTimer timer;
  timer.start();
  waitUntil([&] { return timer.elapsed() >= ms; }, ms + 1000);
}

QString labelText(const QWidget& widget, const char* name) {
  const auto* label = widget.findChild<QLabel*>(QString::fromLatin1(name));
  return label == nullptr ? QString() : label->text();
}

QPushButton* button(const QWidget& widget, const char* name) {
  return widget.findChild<QPushButton*>(QString::fromLatin1(name));
}

void screenshot(QWidget& widget, const QString& file) {
  const QString dir = qEnvironmentVariable("PLANELAB_SCREENSHOTS");
  if (dir.isEmpty()) return;
  QDir().mkpath(dir);
  idle(100);  // the charts lay out new axes and legend entries on the next turns of the loop
  QVERIFY(widget.grab().save(QDir(dir).filePath(file)));
}

}  // namespace

class TrainingDashboardTest : public QObject {
  Q_OBJECT

 private:
  std::string dataset_;
  QString pretrained_;  // the completed pretraining run of the first test

  train::TrainConfig tinyConfig(const std::string& task, const std::string& name, int epochs) {
    train::TrainConfig c = train::defaultConfig(task);
    c.dataset = dataset_;
    c.out = (root() / name).string();
    fs::remove_all(c.out);
    c.threads = 2;
    c.workers = 2;
    c.network.base_width = 4;
    c.network.depth = 3;
    c.epochs = epochs;
    c.batch_size = 8;
    c.sampling = "all";
    return c;
  }

 private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setApplicationVersion(QStringLiteral("test"));
    train::applyThreads(2);
    fs::remove_all(root());
    planelab::prepare::PhantomCohort cohort;
    cohort.seed = 11;
    cohort.subjects = 6;
    cohort.study.phases = 4;
    planelab::prepare::PrepareOptions options;
    options.plan.grid.size = 32;
    options.plan.grid.spacing_mm = 5.0;
    options.plan.phases = planelab::data::PhaseSelection::kEdEs;
    options.jobs = 2;
    dataset_ = (root() / "dataset").string();
    planelab::prepare::prepareFromPhantom(cohort, dataset_, options);
  }

  void curvesFollowALiveRun() {
    JobManager jobs;
    TrainingDashboard dashboard(&jobs);
    dashboard.resize(1200, 800);
    dashboard.show();
    const auto config = tinyConfig("pretrain", "live", 4);
    const QString run = QString::fromStdString(config.out);
    Job* job = planelab::ui::startTrainingJob(jobs, config, false);
    QVERIFY(job->pausable());
    dashboard.watch(job, planelab::ui::trainingFeed(job), run);
    QCOMPARE(dashboard.runs(), QStringList{TrainingDashboard::runKey(run)});

    QVERIFY(waitUntil([&] { return dashboard.pointCount(run, QStringLiteral("train/total")) > 0; },
                      kRunTimeoutMs));
    const int first = dashboard.pointCount(run, QStringLiteral("train/total"));
    QVERIFY(
        waitUntil([&] { return dashboard.pointCount(run, QStringLiteral("train/total")) > first; },
                  kRunTimeoutMs));
    QVERIFY(dashboard.pointCount(run, QStringLiteral("train/heatmap")) > 0);
    QVERIFY(dashboard.pointCount(run, QStringLiteral("train/location")) > 0);
    // While it runs: rate, learning rate and the trainer's ETA are shown.
    QVERIFY2(labelText(dashboard, "lrLabel").contains(QStringLiteral("0.001")),
             qPrintable(labelText(dashboard, "lrLabel")));
    QVERIFY2(!labelText(dashboard, "throughputLabel").startsWith(QStringLiteral("0.0")),
             qPrintable(labelText(dashboard, "throughputLabel")));
    QVERIFY2(!labelText(dashboard, "etaLabel").contains(QStringLiteral("--:--")),
             qPrintable(labelText(dashboard, "etaLabel")));
    QVERIFY(labelText(dashboard, "epochLabel").endsWith(QStringLiteral("of 4")));
    QCOMPARE(labelText(dashboard, "deviceLabel"), QStringLiteral("device CPU"));

    QVERIFY(runUntilFinished(job));
    QCOMPARE(job->state(), JobState::kSucceeded);
    QCOMPARE(dashboard.pointCount(run, QStringLiteral("epoch/total")), 4);
    QCOMPARE(dashboard.pointCount(run, QStringLiteral("val/loss")), 4);
    // The job's progress: this session's steps, all done.
    QVERIFY(job->total() > 0);
    QCOMPARE(job->done(), job->total());
    // Every epoch's last iteration is drawn, where its epoch point is.
    const auto iterations = dashboard.displayedPoints(run, QStringLiteral("train/total"));
    QCOMPARE(iterations.back().x(), 4.0);
    QCOMPARE(labelText(dashboard, "epochLabel"), QStringLiteral("epoch 4 of 4"));
    QVERIFY(fs::exists(fs::path(config.out) / "evaluation.json"));
    pretrained_ = run;
    screenshot(dashboard, QStringLiteral("dashboard.png"));
  }

  void pauseHoldsTheRunUntilResumed() {
    JobManager jobs;
    TrainingDashboard dashboard(&jobs);
    dashboard.show();
    const auto config = tinyConfig("pretrain", "pause", 6);
    const QString run = QString::fromStdString(config.out);
    Job* job = planelab::ui::startTrainingJob(jobs, config, false);
    dashboard.watch(job, planelab::ui::trainingFeed(job), run);
    QVERIFY(waitUntil([&] { return dashboard.pointCount(run, QStringLiteral("train/total")) >= 2; },
                      kRunTimeoutMs));
    QVERIFY(!job->finished());
    QPushButton* pause = button(dashboard, "pauseButton");
    QVERIFY(pause->isEnabled());
    // The quiet window: 300 ms, or three steps at the rate so far where the machine is busy (the
    // rate counts the run's setup too, so it errs long).
    const double step_ms =
        1000.0 * job->elapsedSeconds() / static_cast<double>(std::max<qint64>(job->done(), 1));
    const int window_ms = std::max(300, static_cast<int>(3.0 * step_ms));
    pause->click();
    QCOMPARE(job->state(), JobState::kPaused);
    QCOMPARE(pause->text(), QStringLiteral("Resume"));
    // The iteration under way (and, if it ended an epoch, its validation) still reports. Then the
    // trainer waits: no new points.
    int held = dashboard.pointCount(run, QStringLiteral("train/total"));
    for (int settle = 0; settle < 10; ++settle) {
      idle(window_ms);
      const int now = dashboard.pointCount(run, QStringLiteral("train/total"));
      if (now == held) break;
      held = now;
    }
    idle(window_ms);
    QCOMPARE(dashboard.pointCount(run, QStringLiteral("train/total")), held);
    QCOMPARE(job->state(), JobState::kPaused);
    pause->click();
    QCOMPARE(job->state(), JobState::kRunning);
    QVERIFY(runUntilFinished(job));
    QCOMPARE(job->state(), JobState::kSucceeded);
    QVERIFY(dashboard.pointCount(run, QStringLiteral("train/total")) > held);
    QCOMPARE(dashboard.pointCount(run, QStringLiteral("epoch/total")), 6);
  }

  void cancelledRunResumesFromTheDashboard() {
    JobManager jobs;
    TrainingDashboard dashboard(&jobs);
    dashboard.show();
    const auto config = tinyConfig("pretrain", "cancel", 4);
    const QString run = QString::fromStdString(config.out);
    Job* job = planelab::ui::startTrainingJob(jobs, config, false);
    dashboard.watch(job, planelab::ui::trainingFeed(job), run);
    // Midway: after the first epoch is checkpointed, within the second.
    QVERIFY(waitUntil([&] { return dashboard.pointCount(run, QStringLiteral("epoch/total")) >= 1; },
                      kRunTimeoutMs));
    QVERIFY(waitUntil(
        [&] {
          const auto points = dashboard.displayedPoints(run, QStringLiteral("train/total"));
          return !points.isEmpty() && points.back().x() > 1.0;
        },
        kRunTimeoutMs));
    QPushButton* resume = button(dashboard, "resumeRunButton");
    QVERIFY(!resume->isEnabled());
    button(dashboard, "cancelButton")->click();
    QVERIFY(runUntilFinished(job));
    QCOMPARE(job->state(), JobState::kCancelled);
    QVERIFY(job->outcome().cancelled);
    QVERIFY(train::readRunSummary(config.out).resumable);
    QVERIFY(resume->isEnabled());

    resume->click();
    Job* resumed = dashboard.job(run);
    QVERIFY(resumed != nullptr && resumed != job);
    QVERIFY(runUntilFinished(resumed));
    QCOMPARE(resumed->state(), JobState::kSucceeded);
    QVERIFY(fs::exists(fs::path(config.out) / "evaluation.json"));
    QVERIFY(!resume->isEnabled());
    // Each epoch once: the interrupted epoch's points were replaced by the resumed ones.
    const auto epochs = dashboard.displayedPoints(run, QStringLiteral("epoch/total"));
    QCOMPARE(epochs.size(), 4);
    for (int i = 0; i < 4; ++i) QCOMPARE(epochs[i].x(), i + 1.0);
    const auto iterations = dashboard.displayedPoints(run, QStringLiteral("train/total"));
    for (int i = 1; i < iterations.size(); ++i) QVERIFY(iterations[i].x() > iterations[i - 1].x());
  }

  void smoothingAndLogAxisKeepThePoints() {
    QVERIFY(!pretrained_.isEmpty());
    JobManager jobs;
    TrainingDashboard dashboard(&jobs);
    dashboard.show();
    dashboard.openRun(pretrained_);
    QVERIFY(waitUntil([&] { return dashboard.runs().size() == 1; }, 30000));
    // Opened from metrics.jsonl: every iteration, not only the live samples.
    const auto history =
        train::readMetricsLog((fs::path(pretrained_.toStdString()) / "metrics.jsonl").string());
    const auto series = QStringLiteral("train/total");
    QCOMPARE(dashboard.pointCount(pretrained_, series),
             static_cast<int>(history.iterations.size()));
    QCOMPARE(dashboard.pointCount(pretrained_, QStringLiteral("epoch/total")), 4);
    QCOMPARE(labelText(dashboard, "epochLabel"), QStringLiteral("epoch 4 of 4"));
    QVERIFY(!button(dashboard, "resumeRunButton")->isEnabled());  // finished

    // Drawn at first: the totals and the selection metric; per-task curves when asked for.
    QVERIFY(dashboard.seriesShown(series));
    QVERIFY(dashboard.seriesShown(QStringLiteral("val/loss")));
    QVERIFY(!dashboard.seriesShown(QStringLiteral("train/heatmap")));
    dashboard.setSeriesShown(QStringLiteral("train/heatmap"), true);
    QVERIFY(dashboard.seriesShown(QStringLiteral("train/heatmap")));

    const auto raw = dashboard.displayedPoints(pretrained_, series);
    dashboard.setSmoothing(0.9);
    const auto smooth = dashboard.displayedPoints(pretrained_, series);
    QCOMPARE(smooth.size(), raw.size());
    bool changed = false;
    for (int i = 0; i < raw.size(); ++i) {
      QCOMPARE(smooth[i].x(), raw[i].x());
      changed |= std::abs(smooth[i].y() - raw[i].y()) > 1e-9;
    }
    QVERIFY(changed);

    dashboard.setLogScale(true);
    auto* view = dashboard.findChild<QChartView*>(QStringLiteral("lossChart"));
    QCOMPARE(view->chart()->axes(Qt::Vertical).size(), 1);
    QCOMPARE(view->chart()->axes(Qt::Vertical).first()->type(), QAbstractAxis::AxisTypeLogValue);
    QCOMPARE(dashboard.pointCount(pretrained_, series), raw.size());  // losses are positive
    QCOMPARE(dashboard.pointCount(pretrained_, QStringLiteral("val/loss")), 4);

    dashboard.setSmoothing(0.0);
    dashboard.setLogScale(false);
    QCOMPARE(view->chart()->axes(Qt::Vertical).first()->type(), QAbstractAxis::AxisTypeValue);
    QCOMPARE(dashboard.displayedPoints(pretrained_, series), raw);

    // A folder that is not a run is refused with the core's key; nothing is listed.
    dashboard.openRun(QString::fromStdString(dataset_));
    QVERIFY(waitUntil(
        [&] {
          return labelText(dashboard, "statusLabel").startsWith(QStringLiteral("[not_a_run]"));
        },
        30000));
    QCOMPARE(dashboard.runs().size(), 1);
  }

  void exportsAFinishedRun() {
    QVERIFY(!pretrained_.isEmpty());
    JobManager jobs;
    TrainingDashboard dashboard(&jobs);
    dashboard.show();
    dashboard.openRun(pretrained_);
    QVERIFY(waitUntil([&] { return dashboard.runs().size() == 1; }, 30000));
    QVERIFY(button(dashboard, "exportButton")->isEnabled());
    // The dialog proposes the encoder for a pretraining run, a file inside the run folder.
    planelab::ui::ExportDialog dialog(pretrained_, true);
    planelab::exporting::ExportRequest request = dialog.request();
    QCOMPARE(request.outputs, planelab::exporting::Outputs::kEncoder);
    QVERIFY(QString::fromStdString(request.out).startsWith(pretrained_));
    request.out = (root() / "exported" / "encoder.pt").string();
    Job* job = dashboard.exportCurrentRun(request);
    QVERIFY(job != nullptr);
    QVERIFY(waitUntil([&] { return job->finished(); }, 60000));
    QVERIFY2(job->outcome().ok(), qPrintable(job->outcome().message));
    QVERIFY(fs::exists(request.out));
    QVERIFY(fs::exists(planelab::exporting::cardPath(request.out)));
    QVERIFY(labelText(dashboard, "statusLabel").startsWith(QStringLiteral("Exported to")));
    // Again without overwrite: refused with the core's key, the files stay.
    Job* again = dashboard.exportCurrentRun(request);
    QVERIFY(waitUntil([&] { return again->finished(); }, 60000));
    QCOMPARE(again->outcome().error_key, QStringLiteral("output_exists"));
    QVERIFY(labelText(dashboard, "statusLabel").startsWith(QStringLiteral("[output_exists]")));
    QVERIFY(fs::exists(request.out));
    // ONNX: the dialog's format follows into the file name and the request.
    dialog.findChild<QComboBox*>(QStringLiteral("exportFormat"))->setCurrentIndex(1);
    planelab::exporting::ExportRequest onnx = dialog.request();
    QCOMPARE(onnx.format, std::string("onnx"));
    QVERIFY(QString::fromStdString(onnx.out).endsWith(QStringLiteral(".onnx")));
    onnx.out = (root() / "exported" / "encoder.onnx").string();
    Job* as_onnx = dashboard.exportCurrentRun(onnx);
    QVERIFY(waitUntil([&] { return as_onnx->finished(); }, 60000));
    QVERIFY2(as_onnx->outcome().ok(), qPrintable(as_onnx->outcome().message));
    QVERIFY(fs::exists(onnx.out));
    QVERIFY(fs::exists(planelab::exporting::cardPath(onnx.out)));
  }

  void eventLoopStaysResponsiveWhileTraining() {
    JobManager jobs;
    TrainingDashboard dashboard(&jobs);
    dashboard.resize(1200, 800);
    dashboard.show();
    if (!pretrained_.isEmpty()) {
      // Another run overlaid, as a user compares runs: the chart draws both.
      dashboard.openRun(pretrained_);
      QVERIFY(waitUntil([&] { return dashboard.runs().size() == 1; }, 30000));
    }
    planelab::testing::StallMeter meter;
    const auto config = tinyConfig("pretrain", "responsive", 10);
    meter.start();
    Job* job = planelab::ui::startTrainingJob(jobs, config, false);
    dashboard.watch(job, planelab::ui::trainingFeed(job), QString::fromStdString(config.out));
    QVERIFY(runUntilFinished(job));
    const qint64 worst_ms = meter.stop();
    QCOMPARE(job->state(), JobState::kSucceeded);
    QVERIFY(dashboard.pointCount(QString::fromStdString(config.out),
                                 QStringLiteral("train/total")) > 0);
    qInfo("worst event-loop stall during training: %lld ms", static_cast<long long>(worst_ms));
    QVERIFY2(worst_ms < 100, qPrintable(QString::number(worst_ms)));
  }

  void resultsViewTabulatesAndPlotsFineTuningRuns() {
    QVERIFY(!pretrained_.isEmpty());
    const auto results = root() / "results";
    fs::remove_all(results);
    struct Arm {
      const char* name;
      bool pretrained;
      int budget;
    };
    for (const Arm& arm : {Arm{"scratch_1", false, 1}, Arm{"scratch_2", false, 2},
                           Arm{"pretrained_1", true, 1}, Arm{"pretrained_2", true, 2}}) {
      auto c = tinyConfig("segmentation", std::string("results/") + arm.name, 1);
      c.finetune.labelled_subjects = arm.budget;
      if (arm.pretrained) c.finetune.init = pretrained_.toStdString();
      const auto result = train::runTraining(c, {});
      QVERIFY2(result.status == "completed", result.message.c_str());
    }
    ResultsView view;
    view.resize(1100, 800);
    view.show();
    view.setFolder(QString::fromStdString(results.string()));
    QCOMPARE(view.rowCount(), 4);
    const QString scratch = ResultsView::armLabel(train::Arm{});
    QCOMPARE(scratch, QStringLiteral("from scratch"));
    const QString pretrained = QStringLiteral("pretrained (multitask)");
    QCOMPARE(view.arms().size(), 2);
    QVERIFY(view.arms().contains(scratch));
    QVERIFY(view.arms().contains(pretrained));
    QCOMPARE(view.meanPointCount(scratch), 2);  // budgets 1 and 2
    QCOMPARE(view.seedPointCount(scratch), 2);
    QCOMPARE(view.meanPointCount(pretrained), 2);
    QCOMPARE(view.seedPointCount(pretrained), 2);
    auto* table = view.findChild<QTableWidget*>(QStringLiteral("resultsTable"));
    QStringList headers;
    for (int c = 0; c < table->columnCount(); ++c)
      headers.append(table->horizontalHeaderItem(c)->text());
    QVERIFY2(headers.contains(QStringLiteral("Mean Dice")), qPrintable(headers.join(", ")));
    QVERIFY(headers.contains(QStringLiteral("HD95 (mm)")));
    QVERIFY2(headers.filter(QStringLiteral("Dice ")).size() >= 2, qPrintable(headers.join(", ")));
    screenshot(view, QStringLiteral("results.png"));
  }

  void cleanupTestCase() { fs::remove_all(root()); }
};

QTEST_MAIN(TrainingDashboardTest)
#include "training_dashboard_test.moc"
