// An experiment: one data source prepared once, pretrained per arm and seed, then fine-tuned for
// every arm × label budget × seed from the pretrained run (or from scratch), with equal
// fine-tuning settings for every arm. One JSON file (docs/experiment.md) describes it; the GUI's
// experiment wizard writes it and `planelab-cli experiment --config FILE` runs it, both through
// runExperiment. Everything lands below `out`:
//   out/experiment.json                       the config, every default filled in
//   out/dataset/                              the prepared dataset (core/prepare)
//   out/pretrain-dataset/                     the pretraining pool's dataset (pretrain_pool only)
//   out/pretrain/<arm>-seed<k>/               pretraining runs (core/train run folders)
//   out/finetune/<arm>/n<budget>-seed<k>/     fine-tuning runs (arm "scratch": no pretraining)
//   out/results.csv                           one row per finished fine-tuning run
// Re-running the same config resumes: finished runs (evaluation.json) are kept, interrupted runs
// continue from their last checkpoint, the dataset is prepared only if absent.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "data/preprocessing_plan.h"
#include "prepare/prepare.h"
#include "train/config.h"
#include "train/events.h"
#include "train/trainer.h"

namespace planelab::experiment {

// Where the images come from: a catalog (all studies, or these StudyInstanceUIDs) or an in-memory
// phantom cohort (prepare::PhantomCohort; JSON fields organ, first_subject, subjects, seed, level,
// layout, cine_phases, labels — as `planelab-cli prepare --phantom`).
struct CatalogSource {
  std::string catalog;
  std::vector<std::string> studies;  // empty = every study of the catalog
  std::string class_labels;          // CSV patient_id,label (classification targets); "" = none
};

// A separate, usually larger, unlabelled pretraining pool (PHANTOM.md §4.4 "U"): exactly one of
// catalog / phantom, prepared with the experiment's plan.
struct PretrainPool {
  std::optional<CatalogSource> catalog;
  std::optional<prepare::PhantomCohort> phantom;
};

struct ExperimentConfig {
  std::string name;  // free text shown in the GUI and reports
  std::string out;   // experiment folder
  std::optional<CatalogSource> catalog;
  std::optional<prepare::PhantomCohort> phantom;  // exactly one of catalog / phantom
  data::PreprocessingPlan plan;
  // Templates. Per run the runner sets dataset, out, seed; pretraining: pretext.variant and
  // pretext.permute_targets from the arm; fine-tuning: finetune.init, labelled_subjects,
  // budget_seed (= the run's seed). Their task: pretrain / segmentation | classification.
  train::TrainConfig pretrain = train::defaultConfig("pretrain");
  train::TrainConfig finetune = train::defaultConfig("segmentation");
  // scratch | multitask | orientation | location | genesis | control (multitask pretraining on
  // permuted targets). Every arm but scratch has its own pretraining per seed.
  std::vector<std::string> arms = {"scratch", "multitask"};
  // Pretraining epochs of an arm where they differ from pretrain.epochs (JSON "pretrain_epochs":
  // {"location": 120}): a task that converges slower may learn longer. Any pretrained arm may be
  // named (a study's defaults name arms some experiments do not run; those entries do nothing).
  // Fine-tuning budgets stay equal for every arm.
  std::map<std::string, int> pretrain_epochs;
  std::vector<int> label_budgets = {0};  // labelled subjects per fine-tuning; 0 = all
  std::vector<std::uint64_t> seeds = {1};
  int jobs = 0;  // prepare workers; 0 = all cores
  // Another experiment folder whose dataset and pretraining runs this one fine-tunes from (e.g. a
  // classification target next to a segmentation one, both from the same pretrained networks);
  // "" = its own. That experiment must have the same source, plan and pretrain template, every
  // pretrained arm and seed of this one, and be prepared and pretrained first.
  std::string pretraining_from;
  // Pretraining runs learn from this pool (out/pretrain-dataset) instead of the fine-tuning
  // dataset's training split. None of its subjects may be in the fine-tuning test split: checked
  // once both datasets are prepared ("[pool_overlaps_test]"). pretrain.split then splits the pool
  // (its validation part selects the checkpoint, its test part reports the pretext errors) and
  // may differ from finetune.split, but not share its split file.
  std::optional<PretrainPool> pretrain_pool;

  nlohmann::json toJson() const;
};

// Strict (unknown fields, wrong types, unknown arms, empty or duplicated lists, both or no source,
// a phantom organ other than plan.organ, templates of the wrong task or with different splits):
// std::invalid_argument "[invalid_config] <path>: <why>". Template fields set per run are refused
// in the templates so a config cannot silently lose them: in both dataset, out and seed; in
// pretrain pretext.variant and pretext.permute_targets; in finetune finetune.init,
// finetune.labelled_subjects and finetune.budget_seed. toJson leaves them out, so
// experimentFromJson(config.toJson()) gives the config back.
ExperimentConfig experimentFromJson(const nlohmann::json& json);
// The config of a JSON file: "[cannot_read_config]" when it cannot be opened, "[invalid_config]"
// when it is not JSON or not a valid config (std::invalid_argument).
ExperimentConfig loadExperimentConfig(const std::filesystem::path& file);
// Claims config.out for this experiment and writes out/experiment.json (atomically): a folder
// that already holds this config is left as it is; one that holds another experiment
// ("[experiment_exists]"), or anything else, is refused, so nothing stored is overwritten;
// "[cannot_write]" when the folder or file cannot be written (std::invalid_argument). What
// runExperiment does first; the wizard's Finish does it too.
void saveExperimentConfig(const ExperimentConfig& config);
// What config.out holds now: nothing (missing or empty), this experiment (resumable), another
// experiment, or other files.
enum class FolderUse { kFree, kSameExperiment, kOtherExperiment, kOtherContent };
FolderUse experimentFolderUse(const ExperimentConfig& config);
const std::vector<std::string>& armNames();
const std::vector<std::string>& pretrainedArmNames();  // armNames() without scratch
// Whether the experiment prepares and pretrains on its pretraining pool: it has one and an arm
// other than scratch (an all-scratch experiment ignores it).
bool usesPretrainingPool(const ExperimentConfig& config);

// What a data source holds, for checking an experiment before it runs (the wizard's pages and
// `experiment --check`): subjects, kept planes per view, planes per view in stacks of at least two
// slices, labelled images (in total and per view) and label names, class labels per subject.
struct DataCounts {
  int subjects = 0;
  int studies = 0;
  std::map<std::string, int> planes_by_view;
  std::map<std::string, int> stacked_planes_by_view;  // planes in stacks of >= 2 kept slices
  int labelled_images = 0;
  std::map<std::string, int> labelled_images_by_view;
  int labelled_subjects = 0;
  std::vector<std::string> label_names;  // foreground labels (no "background")
  std::map<std::string, int> subjects_by_class;
};
// From the catalog's stored curation (views, planes, stacks) and label links; a study never
// curated counts no planes. Keys in status as the catalog's, and "unknown_study" for a
// StudyInstanceUID not in the catalog. Class labels come from source.class_labels (throws
// std::runtime_error "[invalid_class_labels] ..." when that file cannot be read).
DataCounts catalogCounts(const catalog::Catalog& catalog, const CatalogSource& source,
                         catalog::Status& status);
// From the phantom cohort's plan (no rendering): each study curated in memory as prepare does;
// classes are the cardiac pathology groups (knee: none).
DataCounts phantomCounts(const prepare::PhantomCohort& cohort);

// One problem found by checkExperiment: a stable key, the wizard page it belongs to
// ("data", "pretext", "network", "target"), and a sentence for people.
struct Problem {
  std::string key;
  std::string page;
  std::string message;
};
// Keys (docs/experiment.md): "too_few_subjects" (fewer than 3 subjects: no train/val/test
// split), "no_sample_views" (no kept planes of plan.views), "no_heatmap_views" (multitask,
// orientation or control arms but no planes of plan.heatmap_views), "no_location_stacks"
// (multitask, location or control arms but no stack of >= 2 slices in plan.views),
// "network_invalid" (a template's network cannot take plan.grid.size), "network_mismatch"
// (pretrained arms whose pretraining network differs from the fine-tuning one), "no_labels"
// (segmentation without labelled images of plan.views), "no_class_labels" (classification
// without class labels), "single_class" (classification with one class),
// "budget_exceeds_labelled" (a budget above the labelled subjects; the draw is from the training
// split, so a budget close to the total can still fail at run time).
// With a pretraining pool in use (usesPretrainingPool), too_few_subjects and no_sample_views are
// checked on both counts, the pretext keys (no_heatmap_views, no_location_stacks) on pool_counts
// only (required then: std::invalid_argument when null), the others on counts only.
std::vector<Problem> checkExperiment(const ExperimentConfig& config, const DataCounts& counts,
                                     const DataCounts* pool_counts = nullptr);

// One step of the experiment, in run order.
struct Step {
  enum class Kind { kPrepare, kPretrain, kFinetune };
  Kind kind = Kind::kPrepare;
  std::string arm;  // pretrain / finetune
  int budget = 0;   // finetune
  std::uint64_t seed = 0;
  bool pool = false;          // prepare: the pretraining pool's dataset
  std::string dir;            // dataset folder or run folder
  train::TrainConfig config;  // pretrain / finetune: the complete run config
  std::string state;          // todo | interrupted (checkpoint, no evaluation) | done
};
const char* stepKindName(Step::Kind kind);  // prepare | pretrain | finetune
std::vector<Step> planSteps(const ExperimentConfig& config);

// Pixels and labels of catalog images (DCMTK lives outside this module: the CLI and the GUI pass
// core/sources' DicomPixels / DicomLabels).
struct CatalogSources {
  std::unique_ptr<curation::PixelSource> pixels;
  std::unique_ptr<prepare::LabelSource> labels;
};
using CatalogSourcesFactory = std::function<CatalogSources(
    const catalog::Catalog& catalog, const std::vector<std::int64_t>& studies)>;

struct RunOptions {
  CatalogSourcesFactory sources;  // required for a catalog source
  // Called on the runner's thread before each step starts and after it ends (state updated).
  std::function<void(const Step& step, std::size_t index, std::size_t count)> step_started;
  std::function<void(const Step& step, const train::RunResult* result)> step_finished;
  // The observer of each training run (may return null).
  std::function<train::Observer*(const Step& step)> observer;
  std::function<void(const prepare::Progress&)> prepare_progress;
  train::Control* control = nullptr;  // cancel / pause, shared by every step
  std::string software_version;
};

struct ExperimentResult {
  std::string status;   // completed | cancelled | failed
  std::string message;  // failed: "[key] ..." of the failing step
  std::vector<Step> steps;
  std::string results_csv;  // written when at least one fine-tuning finished
};

// Writes out/experiment.json (refused with "[experiment_exists]" when it holds a different
// config), then runs every step not done (with pretraining_from: "[pretraining_mismatch]" when
// that experiment's source, plan, pretrain template, arms or seeds do not cover this one's,
// "[pretraining_missing]" when its dataset or a needed pretraining run is not finished; with
// pretrain_pool: "[pool_overlaps_test]" before the first pretraining run when a pool subject is
// in the fine-tuning test split, whose splits.json is drawn then): an
// interrupted run resumes from checkpoints/last.pt, a run folder without a checkpoint (stopped in
// its first epoch) starts again. Cancelling (control->cancel) stops after the current iteration or
// study: status cancelled, everything finished so far is kept. A failing step ends the experiment
// (status failed, later steps not run). results.csv is rewritten from every finished fine-tuning
// run at the end. Throws std::invalid_argument for an invalid config ("[invalid_config]", or
// "[invalid_argument]" for a catalog source without RunOptions::sources) or a refused folder
// ("[experiment_exists]",
// "[cannot_write]").
ExperimentResult runExperiment(const ExperimentConfig& config, const RunOptions& options);

}  // namespace planelab::experiment
