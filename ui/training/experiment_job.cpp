#include "ui/training/experiment_job.h"

#include <QCoreApplication>
#include <QThread>
#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <memory>

#include "sources/dicom_sources.h"
#include "study/study.h"
#include "ui/plot/study_plot.h"

namespace planelab::ui {
namespace {

// Progress units per step: a step's own progress (studies prepared, optimiser steps) is spread
// over its unit, so the bar moves within long steps.
constexpr std::int64_t kUnitsPerStep = 1000;

bool isTraining(const experiment::Step& step) {
  return step.kind != experiment::Step::Kind::kPrepare;
}

}  // namespace

QString stepTitle(const experiment::Step& step) {
  switch (step.kind) {
    case experiment::Step::Kind::kPrepare:
      return step.pool ? ExperimentFeed::tr("prepare the pretraining pool")
                       : ExperimentFeed::tr("prepare the dataset");
    case experiment::Step::Kind::kPretrain:
      return ExperimentFeed::tr("pretrain %1, seed %2")
          .arg(QString::fromStdString(step.arm))
          .arg(step.seed);
    case experiment::Step::Kind::kFinetune:
      break;
  }
  return ExperimentFeed::tr("fine-tune %1, %2, seed %3")
      .arg(QString::fromStdString(step.arm),
           step.budget == 0 ? ExperimentFeed::tr("all labelled subjects")
                            : ExperimentFeed::tr("%n labelled subject(s)", nullptr, step.budget))
      .arg(step.seed);
}

namespace {

// What a job runs with the options it made: an experiment or a study. set_offset(steps, total)
// says how many steps came before the experiment now starting and how many there are in all.
struct Ran {
  std::string status;
  std::string message;
  std::string results_file;  // results.csv of an experiment, report.md of a study
};
using Runner = std::function<Ran(const experiment::RunOptions& options,
                                 const std::function<void(std::size_t, std::size_t)>& set_offset)>;

Job* startRunnerJob(JobManager& jobs, const QString& title, const std::string& out, Runner run) {
  auto* efeed = new ExperimentFeed;
  const std::string version = QCoreApplication::applicationVersion().toStdString();
  QThread* ui_thread = QCoreApplication::instance()->thread();
  Job* job = jobs.start(
      title,
      [run = std::move(run), out, efeed, version, ui_thread](JobContext& context) {
        train::Control control;
        bindControl(context, control);
        std::size_t index = 0, count = 1, offset = 0, total = 0;
        QString step_text;
        auto overall = [&](double fraction, const QString& detail) {
          const auto within = static_cast<std::int64_t>(
              std::llround(std::clamp(fraction, 0.0, 1.0) * kUnitsPerStep));
          context.progress(
              static_cast<std::int64_t>(offset + index) * kUnitsPerStep + within,
              static_cast<std::int64_t>(total > 0 ? total : count) * kUnitsPerStep,
              detail.isEmpty() ? step_text : step_text + QStringLiteral(" · ") + detail);
        };
        std::unique_ptr<FeedObserver> observer;

        experiment::RunOptions options;
        options.control = &control;
        options.software_version = version;
        options.sources = [](const catalog::Catalog& cat,
                             const std::vector<std::int64_t>& studies) {
          experiment::CatalogSources s;
          s.pixels = std::make_unique<sources::DicomPixels>();
          s.labels = std::make_unique<sources::DicomLabels>(cat, studies);
          return s;
        };
        options.step_started = [&](const experiment::Step& step, std::size_t i, std::size_t n) {
          index = i;
          count = std::max<std::size_t>(n, 1);
          step_text = QStringLiteral("[%1/%2] %3")
                          .arg(offset + i + 1)
                          .arg(total > 0 ? total : n)
                          .arg(stepTitle(step));
          context.log(step_text + (step.state == "interrupted" ? ExperimentFeed::tr(" (resuming)")
                                                               : QString()));
          overall(0.0, {});
          if (!isTraining(step)) return;
          // Made here, lives on the UI thread: parented to the experiment's feed there, before
          // any of the run's own events (queued after this one) arrive.
          auto* feed = new TrainingFeed;
          feed->moveToThread(ui_thread);
          observer = std::make_unique<FeedObserver>(
              context, feed, [&](std::int64_t done, std::int64_t all, const QString& text) {
                overall(all > 0 ? static_cast<double>(done) / static_cast<double>(all) : 0.0, text);
              });
          context.post([efeed, feed, dir = QString::fromStdString(step.dir)] {
            feed->setParent(efeed);
            Q_EMIT efeed->runStarted(feed, dir);
          });
        };
        options.prepare_progress = [&](const prepare::Progress& p) {
          overall(p.studies_total > 0
                      ? static_cast<double>(p.studies_done) / static_cast<double>(p.studies_total)
                      : 0.0,
                  ExperimentFeed::tr("%1 of %2 studies").arg(p.studies_done).arg(p.studies_total));
        };
        options.observer = [&](const experiment::Step&) -> train::Observer* {
          return observer.get();
        };
        options.step_finished = [&](const experiment::Step& step, const train::RunResult* result) {
          if (!observer) return;
          train::RunResult ended;
          if (result != nullptr) {
            ended = *result;
          } else {  // refused before it ran
            ended.status = step.state == "done" ? "completed" : "failed";
            ended.run_dir = step.dir;
          }
          observer->finish(ended);
          observer.reset();
        };

        Ran result;
        try {
          result = run(options, [&](std::size_t steps_before, std::size_t all) {
            offset = steps_before;
            total = all;
          });
        } catch (const std::exception& e) {
          result.status = "failed";
          result.message = e.what();
        }
        context.onControl({});  // `control` ends with this function
        if (observer) {         // a step that threw: its run still needs an end
          train::RunResult ended;
          ended.status = "failed";
          ended.message = result.message;
          observer->finish(ended);
          observer.reset();
        }
        context.post([efeed, status = QString::fromStdString(result.status),
                      file = QString::fromStdString(result.results_file)] {
          Q_EMIT efeed->finished(status, file);
        });
        return statusOutcome(result.status, result.message, QStringLiteral("experiment_failed"),
                             QString::fromStdString(out));
      },
      true);
  efeed->setParent(job);
  return job;
}

}  // namespace

Job* startExperimentJob(JobManager& jobs, const experiment::ExperimentConfig& config) {
  return startRunnerJob(
      jobs, ExperimentFeed::tr("Experiment %1").arg(QString::fromStdString(config.name)),
      config.out, [config](const experiment::RunOptions& options, const auto&) {
        const auto r = experiment::runExperiment(config, options);
        return Ran{r.status, r.message, r.results_csv};
      });
}

Job* startStudyJob(JobManager& jobs, const study::StudyConfig& config) {
  return startRunnerJob(
      jobs, ExperimentFeed::tr("Study %1").arg(QString::fromStdString(config.name)), config.out,
      [config](const experiment::RunOptions& options, const auto& set_offset) {
        const auto steps = study::planStudy(config);
        study::StudyRunOptions study_options;
        study_options.run = options;
        study_options.experiment_started = [&](const study::StudyExperiment& e, std::size_t,
                                               std::size_t) {
          const auto before = static_cast<std::size_t>(
              std::find_if(steps.begin(), steps.end(),
                           [&](const auto& step) { return step.first == e.id; }) -
              steps.begin());
          set_offset(before, steps.size());
        };
        // Charts are widgets: drawn on the UI thread while this job waits. Not after a cancel:
        // the UI thread may then be waiting for this job (closing the window).
        const train::Control* control = options.control;
        study_options.write_plot = [control](const nlohmann::json& plot,
                                             const std::string& file) -> std::string {
          if (control != nullptr && control->cancel)
            return "the study was cancelled (planelab-cli study --report-only draws them)";
          std::string why;
          QMetaObject::invokeMethod(
              QCoreApplication::instance(), [&] { why = writeStudyPlotPng(plot, file); },
              Qt::BlockingQueuedConnection);
          return why;
        };
        const auto r = study::runStudy(config, study_options);
        return Ran{r.status, r.message, r.report};
      });
}

ExperimentFeed* experimentFeed(Job* job) {
  return job == nullptr ? nullptr
                        : job->findChild<ExperimentFeed*>(QString(), Qt::FindDirectChildrenOnly);
}

}  // namespace planelab::ui
