// The training dashboard: live loss curves of one or more runs (Qt Charts), per task and total —
// training per iteration and as epoch means, validation per epoch — with TensorBoard-style
// smoothing, a linear or logarithmic loss axis, the current run's learning rate, throughput,
// device, elapsed time, ETA and epoch, and its Pause/Resume and Cancel. Finished or interrupted
// runs are opened from their folders (metrics.jsonl) and overlaid, each run in its own colour; an
// interrupted run can be resumed from here. The curves' display form (smoothing, log filter,
// decimation of long runs) is train::CurveDisplay; this widget only draws it.
#pragma once

#include <QColor>
#include <QList>
#include <QPointF>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <map>
#include <memory>
#include <vector>

#include "export/model_export.h"
#include "train/curve_display.h"
#include "train/events.h"
#include "train/metrics_history.h"
#include "train/run_summary.h"
#include "ui/jobs/job.h"
#include "ui/jobs/job_manager.h"
#include "ui/training/training_job.h"

class QAbstractAxis;
class QChart;
class QChartView;
class QCheckBox;
class QLabel;
class QLineSeries;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QSlider;
class QValueAxis;

namespace planelab::ui {

class TrainingDashboard : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingDashboard(JobManager* jobs, QWidget* parent = nullptr);
  ~TrainingDashboard() override;

  // Shows a started run live (how the experiment wizard hands its run over). A run folder that is
  // already listed (a resumed run) keeps its colour; its curves drop what the resumed run replays.
  // name: how the run is listed (default: its folder's name; an experiment gives the path below
  // its folder, e.g. "finetune/scratch/n2-seed1").
  void watch(Job* job, TrainingFeed* feed, const QString& run_dir, const QString& name = {});
  // Reads a run folder (config, run.json, metrics.jsonl) on a job and lists the run when read.
  void openRun(const QString& run_dir);
  // Resumes the current run when it is interrupted (not running, checkpoints/last.pt, no
  // evaluation.json): a new training job, watched here. nullptr when it cannot.
  Job* resumeCurrentRun();
  // Exports the current run (not while it trains) as a job; the status line says where it went
  // or why it failed. The Export button opens ExportDialog for the request.
  Job* exportCurrentRun(const exporting::ExportRequest& request);
  // Exponential moving average weight, 0–0.99 (the slider's steps of 0.01).
  void setSmoothing(double weight);
  void setLogScale(bool log);
  // Which curves are drawn (for every shown run), by series name as below; at first the total
  // loss and the metric that selects the best checkpoint.
  void setSeriesShown(const QString& series, bool shown);
  bool seriesShown(const QString& series) const;

  // Runs by key: the run folder as an absolute, clean path.
  QStringList runs() const;
  static QString runKey(const QString& run_dir);
  QString currentRun() const;
  Job* job(const QString& run) const;
  // Series: "train/<loss>" (per iteration), "epoch/<loss>" (training epoch means),
  // "val/<metric>" (validation per epoch); loss names as the trainer's (heatmap, location, ...,
  // total). Displayed points (smoothed, filtered, decimated); -1 when there is no such series.
  int pointCount(const QString& run, const QString& series) const;
  QList<QPointF> displayedPoints(const QString& run, const QString& series) const;

 private:
  struct Series {
    train::CurveDisplay curve;
    QLineSeries* line = nullptr;  // owned by the chart
  };
  struct Run {
    QString key;
    QString name;
    QColor colour;
    QListWidgetItem* item = nullptr;
    QPointer<Job> job;
    QPointer<TrainingFeed> feed;
    std::map<QString, Series> series;
    bool replay_pending = false;   // the next event starts a resumed session: drop what it replays
    bool summary_pending = false;  // the next event of a watched run: read its run.json
    train::IterationEvent last_iteration;
    bool has_iteration = false;
    train::EpochEvent last_epoch;
    bool has_epoch = false;
    int epochs = 0;
    QString device;
    bool resumable = false;
    bool ended = false;  // this session of the run is over (its job may run other work)
    QString status;
  };

  Run& addRun(const QString& key);
  Run* findRun(const QString& key);
  const Run* findRun(const QString& key) const;
  Run* current();
  void addIteration(Run& run, const train::IterationEvent& e, bool draw);
  void addEpoch(Run& run, const train::EpochEvent& e, bool draw);
  void startSession(Run& run, int epoch);
  void addPoint(Run& run, const QString& key, train::CurvePoint point, bool draw);
  Series& seriesOf(Run& run, const QString& key);
  void draw(Series& series);
  static QString seriesLabel(const QString& key);
  QListWidgetItem* seriesItem(const QString& key);
  void showSeries(const Run& run, const QString& key, Series& series);
  void updateVisibility();
  void addLoadedRun(const QString& key, const train::RunSummary& summary,
                    const train::MetricsHistory& history);
  void applyStyle();
  void replaceValueAxis(bool log);
  void updateAxes();
  void refreshLabels();
  void refreshControls();
  // This session of the run is still training (its job may outlive it: an experiment).
  static bool isRunning(const Run& run);
  // The run ended (its feed's finished, or its job's end when the feed never said).
  void onRunEnded(const QString& key, const JobOutcome& outcome);
  train::CurveStyle styleOf(const QString& series) const;

  JobManager* jobs_;
  std::vector<std::unique_ptr<Run>> runs_;
  QChart* chart_;
  QChartView* view_;
  QValueAxis* x_axis_;
  QAbstractAxis* y_axis_ = nullptr;
  bool log_scale_ = false;
  QListWidget* run_list_;
  QListWidget* series_list_;
  QSlider* smoothing_;
  QLabel* smoothing_value_;
  QCheckBox* log_check_;
  QPushButton* open_button_;
  QPushButton* resume_run_button_;
  QPushButton* export_button_;
  QPushButton* pause_button_;
  QPushButton* cancel_button_;
  QLabel* epoch_label_;
  QLabel* lr_label_;
  QLabel* throughput_label_;
  QLabel* device_label_;
  QLabel* elapsed_label_;
  QLabel* eta_label_;
  QLabel* status_label_;
};

}  // namespace planelab::ui
