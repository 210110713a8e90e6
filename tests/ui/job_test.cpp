// Jobs: work on a worker thread reports progress, log lines and its outcome to the UI thread;
// cancel and pause reach the work; the UI thread keeps turning meanwhile.
#include <QtTest>
#include <atomic>

#include <QTreeWidget>
#include "ui/event_loop.h"
#include "ui/jobs/job.h"
#include "ui/jobs/job_manager.h"
#include "ui/jobs/job_panel.h"

using planelab::ui::Job;
using planelab::ui::JobContext;
using planelab::ui::JobOutcome;
using planelab::ui::JobState;

class JobTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void workRunsOffTheUiThreadAndReportsProgress() {
    Job job(QStringLiteral("count"), [ui = QThread::currentThread()](JobContext& context) {
      JobOutcome outcome;
      if (QThread::currentThread() == ui) outcome.error_key = QStringLiteral("ran_on_ui_thread");
      for (int i = 1; i <= 200; ++i) {
        context.progress(i, 200, QStringLiteral("%1 of 200").arg(i));
        QThread::usleep(500);
      }
      context.log(QStringLiteral("counted"));
      outcome.result = 200;
      return outcome;
    });
    int progress_signals = 0;
    connect(&job, &Job::progressed, this, [&] { ++progress_signals; });
    job.start();
    QVERIFY(job.wait(10000));
    QCOMPARE(job.state(), JobState::kSucceeded);
    QCOMPARE(job.outcome().result.toInt(), 200);
    QCOMPARE(job.done(), 200);
    QCOMPARE(job.total(), 200);
    QCOMPARE(job.progressText(), QStringLiteral("200 of 200"));
    QVERIFY(job.logLines().contains(QStringLiteral("counted")));
    // Throttled: far fewer UI updates than reports (200 reports in ~0.1-0.2 s).
    QVERIFY2(progress_signals < 50, qPrintable(QString::number(progress_signals)));
    QVERIFY(job.etaSeconds() < 0.0);  // finished: no ETA
  }

  void cancelReachesTheWorkAndEndsCancelled() {
    std::atomic<bool> started{false};
    Job job(QStringLiteral("forever"), [&](JobContext& context) {
      started = true;
      while (!context.cancelled()) QThread::msleep(1);
      return JobOutcome{};
    });
    job.start();
    QVERIFY(planelab::testing::waitUntil([&] { return started.load(); }, 5000));
    job.cancel();
    QVERIFY(job.wait(5000));
    QCOMPARE(job.state(), JobState::kCancelled);
    QVERIFY(job.outcome().cancelled);
  }

  void pauseHoldsPausableWorkUntilResumed() {
    std::atomic<int> steps{0};
    Job job(
        QStringLiteral("steps"),
        [&](JobContext& context) {
          while (!context.cancelled() && steps < 1000) {
            if (context.pauseFlag()->load()) {
              QThread::msleep(1);
              continue;
            }
            ++steps;
            QThread::usleep(200);
          }
          return JobOutcome{};
        },
        true);
    job.start();
    QVERIFY(planelab::testing::waitUntil([&] { return steps.load() > 10; }, 5000));
    job.pause();
    QCOMPARE(job.state(), JobState::kPaused);
    QThread::msleep(20);
    const int held = steps.load();
    QThread::msleep(100);
    QCOMPARE(steps.load(), held);
    job.resume();
    QVERIFY(job.wait(10000));
    QCOMPARE(steps.load(), 1000);
    QCOMPARE(job.state(), JobState::kSucceeded);
  }

  void controlListenerMirrorsPauseAndCancel() {
    std::atomic<bool> cancel{false}, pause{false}, listening{false};
    Job job(
        QStringLiteral("mirrored"),
        [&](JobContext& context) {
          context.onControl([&](bool c, bool p) {
            cancel = c;
            pause = p;
          });
          listening = true;
          while (!cancel.load()) QThread::msleep(1);
          return JobOutcome{};
        },
        true);
    job.start();
    QVERIFY(planelab::testing::waitUntil([&] { return listening.load(); }, 5000));
    job.pause();
    QVERIFY(pause.load());
    job.resume();
    QVERIFY(!pause.load());
    job.cancel();
    QVERIFY(job.wait(5000));
    QCOMPARE(job.state(), JobState::kCancelled);
  }

  void failureCarriesTheKeyAndAnExceptionBecomesInternalError() {
    Job failing(QStringLiteral("fails"), [](JobContext&) {
      JobOutcome outcome;
      outcome.error_key = QStringLiteral("disk_full");
      outcome.message = QStringLiteral("no space left");
      return outcome;
    });
    failing.start();
    QVERIFY(failing.wait(5000));
    QCOMPARE(failing.state(), JobState::kFailed);
    QCOMPARE(failing.outcome().error_key, QStringLiteral("disk_full"));
    QVERIFY(failing.logLines().last().contains(QStringLiteral("[disk_full]")));

    Job throwing(QStringLiteral("throws"),
                 [](JobContext&) -> JobOutcome { throw std::runtime_error("boom"); });
    throwing.start();
    QVERIFY(throwing.wait(5000));
    QCOMPARE(throwing.outcome().error_key, QStringLiteral("internal_error"));
  }

  void panelShowsEachJobWithItsStatus() {
    planelab::ui::JobManager manager;
    planelab::ui::JobPanel panel(&manager);
    Job* job = manager.start(QStringLiteral("short"), [](JobContext& context) {
      context.progress(1, 2, QStringLiteral("half"));
      QThread::msleep(100);
      context.progress(2, 2);
      return JobOutcome{};
    });
    QVERIFY(job->wait(5000));
    auto* list = panel.findChild<QTreeWidget*>(QStringLiteral("jobList"));
    QVERIFY(list != nullptr);
    QCOMPARE(list->topLevelItemCount(), 1);
    QVERIFY(list->topLevelItem(0)->text(2).startsWith(
        planelab::ui::jobStateName(JobState::kSucceeded)));
    QCOMPARE(manager.activeCount(), 0);
  }

  void durationsReadLikeAClock() {
    QCOMPARE(Job::formatDuration(-1), QStringLiteral("--:--"));
    QCOMPARE(Job::formatDuration(65), QStringLiteral("1:05"));
    QCOMPARE(Job::formatDuration(3723), QStringLiteral("1:02:03"));
  }
};

QTEST_MAIN(JobTest)
#include "job_test.moc"
