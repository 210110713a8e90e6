// The Experiment wizard: data (studies of the open catalog, sample views, grid, with counts) →
// pretext tasks (arms, loss weights, heatmap views and width, with a live preview of the targets
// on sample images) → network and optimisation → target task, label budgets and seeds → review
// (the steps it will run and the config JSON). Finish saves the experiment config — the same JSON
// `planelab-cli experiment --config` reads — and, if asked, starts it. Problems are found by
// core's experiment::checkExperiment and shown on the page they belong to; Next waits for them.
#pragma once

#include <QWizard>
#include <memory>

#include "experiment/experiment.h"
#include "ui/catalog/catalog_session.h"
#include "ui/viewer/image_cache.h"

class QLabel;

namespace planelab::ui {

class ExperimentDataPage;
class ExperimentPretextPage;
class ExperimentNetworkPage;
class ExperimentTargetPage;
class ExperimentReviewPage;

class ExperimentWizard : public QWizard {
  Q_OBJECT

 public:
  enum PageId { kDataPage, kPretextPage, kNetworkPage, kTargetPage, kReviewPage };

  ExperimentWizard(CatalogSession* session, QWidget* parent = nullptr);
  ~ExperimentWizard() override;

  // The experiment as the pages describe it now.
  experiment::ExperimentConfig config() const;
  // What the selected data holds (recounted when the study selection changes).
  const experiment::DataCounts& counts() const { return counts_; }
  // Problems of the current config for one page ("data", "pretext", "network", "target").
  std::vector<experiment::Problem> problems(const std::string& page) const;
  // Where Finish saved the config ("" before), and whether the user asked to start it.
  const QString& savedConfigPath() const { return saved_path_; }
  bool startRequested() const;
  // The pretext page's last target preview: its heatmap peak (~1 when a line crosses a sample).
  float previewPeak() const;

  void recount();
  CatalogSession* session() const { return session_; }
  ImageCache& images() { return images_; }

 Q_SIGNALS:
  // Finish saved the config; start: the user asked to run it now.
  void experimentSaved(const QString& config_path, bool start);

 protected:
  void accept() override;

 private:
  friend class ExperimentReviewPage;
  CatalogSession* session_;
  ImageCache images_;
  experiment::DataCounts counts_;
  ExperimentDataPage* data_ = nullptr;
  ExperimentPretextPage* pretext_ = nullptr;
  ExperimentNetworkPage* network_ = nullptr;
  ExperimentTargetPage* target_ = nullptr;
  ExperimentReviewPage* review_ = nullptr;
  bool ready_ = false;  // every page built: until then their signals ask for nothing
  QString saved_path_;
};

}  // namespace planelab::ui
