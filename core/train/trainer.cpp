#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "data/loader.h"
#include "data/splits.h"
#include "train/checkpoint.h"
#include "train/evaluation.h"
#include "train/genesis.h"
#include "train/losses.h"

namespace planelab::train {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

nlohmann::json readJson(const fs::path& path, const std::string& key) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("[" + key + "] cannot read " + path.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("[" + key + "] " + path.string() + ": " + e.what());
  }
}

// SplitMix64 finaliser: independent seeds for (seed, epoch) streams.
std::uint64_t mix(std::uint64_t seed, std::uint64_t salt) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (salt + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

bool finite(double v) {
  return std::isfinite(v);
}

// What the task trains and how it is scored.
struct TaskSetup {
  bool heatmaps = false, location = false, genesis = false, segmentation = false,
       classification = false;
  std::string selection;  // metric name in the epoch's validation map
  bool maximise = false;
};

TaskSetup setupFor(const TrainConfig& c) {
  TaskSetup t;
  if (c.task == "pretrain") {
    const auto& v = c.pretext.variant;
    t.genesis = v == "genesis";
    t.heatmaps = v == "multitask" || v == "orientation";
    t.location = v == "multitask" || v == "location";
    t.selection = "val_loss";
  } else if (c.task == "segmentation") {
    t.segmentation = true;
    t.selection = "val_mean_dice_3d";
    t.maximise = true;
  } else {
    t.classification = true;
    t.selection = "val_balanced_accuracy";
    t.maximise = true;
  }
  return t;
}

// The part of each subject and the samples of a part that the task can use.
struct Parts {
  std::vector<std::int64_t> train, val, test;
};

class MetricsLog {
 public:
  MetricsLog(const fs::path& path, int keep_before_epoch) : path_(path) {
    // On resume, drop what the interrupted run logged after its last checkpoint.
    std::vector<std::string> kept;
    if (keep_before_epoch > 0) {
      std::ifstream in(path);
      std::string line;
      while (std::getline(in, line)) {
        try {
          if (nlohmann::json::parse(line).at("epoch").get<int>() < keep_before_epoch)
            kept.push_back(line);
        } catch (const std::exception&) {
          // A torn last line of a killed run: dropped.
        }
      }
    }
    out_.open(path, std::ios::trunc);
    for (const auto& line : kept) out_ << line << '\n';
    out_.flush();
  }
  void write(const nlohmann::json& event) {
    out_ << event.dump() << '\n';
    out_.flush();
  }

 private:
  fs::path path_;
  std::ofstream out_;
};

std::vector<std::int64_t> evenSubset(const std::vector<std::int64_t>& samples, int cap) {
  if (static_cast<int>(samples.size()) <= cap) return samples;
  std::vector<std::int64_t> out;
  const double stride = static_cast<double>(samples.size()) / cap;
  for (int i = 0; i < cap; ++i) out.push_back(samples[static_cast<std::size_t>(i * stride)]);
  return out;
}

nlohmann::json mapJson(const std::map<std::string, double>& m) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}

void writeJson(const fs::path& path, const nlohmann::json& json) {
  data::writeJsonAtomically(path.string(), json);
}

// Network config with the task's heads on top of the configured trunk.
nn::NetworkConfig networkFor(const TrainConfig& c, const TaskSetup& t,
                             const data::DatasetInfo& info) {
  auto n = c.network;
  n.heatmap_channels = t.heatmaps ? static_cast<int>(info.plan.heatmap_views.size()) : 0;
  n.location = t.location;
  n.restoration_channels = t.genesis ? n.in_channels : 0;
  n.segmentation_classes = t.segmentation ? static_cast<int>(info.label_names.size()) : 0;
  n.classification_classes = t.classification ? static_cast<int>(info.class_names.size()) : 0;
  if (t.segmentation && n.segmentation_classes < 2)
    throw std::invalid_argument("[no_labels] the dataset has no label maps (label_names)");
  if (t.classification && n.classification_classes < 2)
    throw std::invalid_argument("[no_classes] the dataset has fewer than 2 subject classes");
  if (t.heatmaps && n.heatmap_channels == 0)
    throw std::invalid_argument("[no_heatmap_views] the plan names no heatmap views");
  const auto why = n.validate(info.plan.grid.size);
  if (!why.empty()) throw std::invalid_argument(why);
  return n;
}

}  // namespace

int applyThreads(int requested) {
  int n = requested > 0 ? requested : static_cast<int>(std::thread::hardware_concurrency());
  n = std::max(n, 1);
  torch::set_num_threads(n);
  // Denormal floats (|x| < 1.2e-38) cost x86 CPUs about 100 x per operation; as weights and
  // gradients shrink during fine-tuning they made epochs 3 x slower (2 labelled subjects: 18 -> 6
  // images/s by epoch 6). Flushing them to zero changes no result that matters.
  at::globalContext().setFlushDenormal(true);
  return n;
}

torch::Device resolveDevice(const std::string& device) {
  if (device == "cuda") {
    if (!torch::cuda::is_available())
      throw std::runtime_error(
          "[cuda_unavailable] device cuda requested but CUDA is not available");
    return torch::kCUDA;
  }
  if (device == "auto" && torch::cuda::is_available()) return torch::kCUDA;
  return torch::kCPU;
}

data::SplitFile datasetSplit(const TrainConfig& config, const data::DatasetInfo& info) {
  std::vector<std::string> ids, strata;
  for (const auto& s : info.subjects) {
    ids.push_back(s.id);
    strata.push_back(s.class_label);
  }
  data::SplitOptions so;
  so.val_fraction = config.split.val_fraction;
  so.test_fraction = config.split.test_fraction;
  so.seed = config.split.seed;
  const std::string split_path = config.split.file.empty()
                                     ? (fs::path(config.dataset) / "splits.json").string()
                                     : config.split.file;
  return data::loadOrCreateSplit(split_path, ids, strata, so);
}

TrainConfig loadRunConfig(const std::string& run_dir) {
  const fs::path path = fs::path(run_dir) / "config.json";
  if (!fs::exists(path)) throw std::runtime_error("[not_a_run] no config.json in " + run_dir);
  auto config = configFromJson(readJson(path, "not_a_run"));
  config.out = run_dir;
  return config;
}

LoadedModel loadModel(const std::string& run_dir, const std::string& checkpoint,
                      const torch::Device& device) {
  LoadedModel m;
  m.config = loadRunConfig(run_dir);
  m.plan =
      data::PreprocessingPlan::fromJson(readJson(fs::path(run_dir) / "plan.json", "not_a_run"));
  const auto run = readJson(fs::path(run_dir) / "run.json", "not_a_run");
  m.label_names = run.value("label_names", std::vector<std::string>{});
  m.class_names = run.value("class_names", std::vector<std::string>{});
  m.net = nn::PlaneNet(nn::NetworkConfig::fromJson(run.at("network")));
  m.net->to(device);
  m.device = device;
  const auto state = loadCheckpoint(
      (fs::path(run_dir) / "checkpoints" / (checkpoint + ".pt")).string(), m.net, nullptr, device);
  m.epoch = state.next_epoch - 1;
  m.net->eval();
  return m;
}

namespace {

Parts partsFor(const data::DatasetInfo& info, const data::SplitFile& split, const TaskSetup& t,
               const std::set<std::string>& labelled) {
  Parts parts;
  for (std::size_t i = 0; i < info.samples.size(); ++i) {
    const auto& s = info.samples[i];
    const auto& subject = info.subjects[static_cast<std::size_t>(s.subject)];
    if (t.segmentation && !s.has_labels) continue;
    if (t.classification && subject.class_label.empty()) continue;
    const auto part = split.partOf(subject.id);
    const auto index = static_cast<std::int64_t>(i);
    if (part == "train") {
      if ((t.segmentation || t.classification) && !labelled.count(subject.id)) continue;
      parts.train.push_back(index);
    } else if (part == "val") {
      parts.val.push_back(index);
    } else if (part == "test") {
      parts.test.push_back(index);
    }
  }
  return parts;
}

nlohmann::json evaluatePart(nn::PlaneNet& net, const data::PreparedDataset& dataset,
                            const std::vector<std::int64_t>& samples, const TaskSetup& t,
                            const TrainConfig& c, const EvaluationOptions& options) {
  if (t.segmentation) return evaluateSegmentation(net, dataset, samples, options);
  if (t.classification) return evaluateClassification(net, dataset, samples, options);
  if (t.genesis) {
    // Restoration loss on distortions drawn from a fixed seed per sample position.
    const bool was_training = net->is_training();
    net->eval();
    torch::NoGradGuard no_grad;
    data::LoaderOptions o;
    o.shuffle = false;
    double sum = 0.0;
    std::int64_t n = 0;
    for (std::size_t first = 0; first < samples.size(); first += 16) {
      const std::vector<std::int64_t> part(
          samples.begin() + static_cast<std::ptrdiff_t>(first),
          samples.begin() + static_cast<std::ptrdiff_t>(std::min(samples.size(), first + 16)));
      const auto b = data::loadSamples(dataset, part, o, 0, static_cast<std::int64_t>(first));
      const auto input = genesisDistort(b.images, mix(c.seed, 0xE7A1 + first));
      const auto out = net->forward(input.to(options.device)).restoration.to(torch::kCPU);
      sum += torch::mse_loss(out, b.images).item<double>() * static_cast<double>(part.size());
      n += static_cast<std::int64_t>(part.size());
    }
    net->train(was_training);
    nlohmann::json j;
    j["samples"] = samples.size();
    if (n > 0) j["restoration_mse"] = sum / static_cast<double>(n);
    return j;
  }
  return evaluatePretext(net, dataset, samples, t.heatmaps, t.location, options);
}

// The validation numbers of an epoch, flattened with a "val_" prefix; "val_loss" for pretext
// tasks is the weighted total as in training.
std::map<std::string, double> validationMetrics(const nlohmann::json& eval, const TaskSetup& t,
                                                const TrainConfig& c) {
  std::map<std::string, double> m;
  for (const auto& [key, value] : eval.items())
    if (value.is_number() && key != "samples" && key != "images" && key != "stacks" &&
        key != "subjects" && key != "heatmap_lines")
      m["val_" + key] = value.get<double>();
  if (t.genesis && eval.contains("restoration_mse")) m["val_loss"] = eval["restoration_mse"];
  if (t.heatmaps || t.location) {
    double loss = 0.0;
    if (t.heatmaps && eval.contains("heatmap_mse"))
      loss += c.pretext.heatmap_weight * eval["heatmap_mse"].get<double>();
    if (t.location && eval.contains("location_mse"))
      loss += c.pretext.location_weight * eval["location_mse"].get<double>();
    m["val_loss"] = loss;
  }
  return m;
}

}  // namespace

RunResult runTraining(const TrainConfig& requested, const RunOptions& options) {
  TrainConfig config = requested;
  const fs::path run_dir = config.out;
  if (run_dir.empty()) throw std::invalid_argument("[invalid_config] out: a run folder is needed");
  if (options.resume) {
    config = loadRunConfig(run_dir.string());
    if (!fs::exists(run_dir / "checkpoints" / "last.pt"))
      throw std::runtime_error("[nothing_to_resume] " + run_dir.string() +
                               " has no checkpoints/last.pt (the run stopped before its first "
                               "epoch ended); start it again");
  } else if (fs::exists(run_dir / "config.json")) {
    throw std::invalid_argument("[run_exists] " + run_dir.string() +
                                " already holds a run; use --resume or another --out");
  }
  const int threads = applyThreads(config.threads);
  const torch::Device device = resolveDevice(config.device);
  const auto say = [&](const std::string& level, const std::string& text) {
    if (options.observer) options.observer->message(level, text);
  };

  const auto dataset = data::PreparedDataset::open(config.dataset);
  const auto& info = dataset->info();
  const TaskSetup task = setupFor(config);

  // Split: the dataset's split file, drawn once and reused; the run keeps its own copy.
  data::SplitFile split;
  if (options.resume) {
    split = data::SplitFile::fromJson(readJson(run_dir / "splits.json", "not_a_run"));
  } else {
    split = datasetSplit(config, info);
  }

  // Label budget (fine-tuning): drawn from the training split among labelled subjects.
  std::set<std::string> labelled;
  data::LabelBudget budget;
  if (task.segmentation || task.classification) {
    if (options.resume) {
      budget = data::LabelBudget::fromJson(readJson(run_dir / "label_budget.json", "not_a_run"));
    } else {
      std::set<std::string> eligible_set;
      for (const auto& s : info.samples) {
        const auto& subject = info.subjects[static_cast<std::size_t>(s.subject)];
        if ((task.segmentation && s.has_labels) ||
            (task.classification && !subject.class_label.empty()))
          eligible_set.insert(subject.id);
      }
      const std::vector<std::string> eligible(eligible_set.begin(), eligible_set.end());
      int count = config.finetune.labelled_subjects;
      if (count == 0) {
        count = 0;
        for (const auto& id : eligible) count += split.partOf(id) == "train";
      }
      budget = data::drawLabelBudget(split, eligible, count, config.finetune.budget_seed);
    }
    labelled.insert(budget.labelled.begin(), budget.labelled.end());
  }
  const Parts parts = partsFor(info, split, task, labelled);
  if (parts.train.empty())
    throw std::invalid_argument("[no_training_samples] no usable training samples for task " +
                                config.task + " in " + config.dataset);
  const auto val_samples = evenSubset(parts.val, config.max_val_samples);

  // Network: initialised from the seed (the same for pretrained and scratch runs).
  const auto net_config = networkFor(config, task, info);
  torch::manual_seed(config.seed);
  nn::PlaneNet net(net_config);
  net->initialise();

  RunResult result;
  result.run_dir = run_dir.string();
  result.selection_metric = task.selection;
  fs::create_directories(run_dir / "checkpoints");

  if (!options.resume) {
    if (!config.finetune.init.empty()) {
      if (config.task == "pretrain")
        throw std::invalid_argument("[invalid_config] finetune.init is for fine-tuning tasks");
      const fs::path init = config.finetune.init;
      const auto init_plan =
          data::PreprocessingPlan::fromJson(readJson(init / "plan.json", "not_a_run"));
      const auto mismatch = data::planMismatch(init_plan, info.plan);
      if (!mismatch.empty()) {
        if (!config.finetune.allow_plan_mismatch)
          throw std::invalid_argument(
              "[plan_mismatch] the pretrained run's preprocessing plan "
              "differs from the dataset's: " +
              mismatch + " (set finetune.allow_plan_mismatch to proceed)");
        say("warning", "[plan_mismatch] proceeding as asked: " + mismatch);
      }
      auto source = loadModel(init.string(), config.finetune.checkpoint, torch::kCPU);
      const auto report = nn::transferWeights(source.net, net,
                                              config.finetune.transfer == "encoder"
                                                  ? nn::TransferScope::kEncoder
                                                  : nn::TransferScope::kEncoderDecoder);
      auto transfer = report.toJson();
      transfer["from"] = fs::absolute(init).string();
      transfer["checkpoint"] = config.finetune.checkpoint;
      transfer["scope"] = config.finetune.transfer;
      writeJson(run_dir / "transfer.json", transfer);
      say("info", report.text());
    }
    config.out = run_dir.string();
    writeJson(run_dir / "config.json", config.toJson());
    writeJson(run_dir / "plan.json", info.plan.toJson());
    writeJson(run_dir / "splits.json", split.toJson());
    if (task.segmentation || task.classification)
      writeJson(run_dir / "label_budget.json", budget.toJson());
    nlohmann::json run = {{"software", "planelab " + options.software_version},
                          {"libtorch", TORCH_VERSION},
                          {"task", config.task},
                          {"dataset", fs::absolute(config.dataset).string()},
                          {"dataset_hash", dataset->hash()},
                          {"source", info.source},
                          {"seed", config.seed},
                          {"device", device.str()},
                          {"threads", threads},
                          {"network", net_config.toJson()},
                          {"parameters", nn::parameterCount(net)},
                          {"label_names", info.label_names},
                          {"class_names", info.class_names},
                          {"samples",
                           {{"train", parts.train.size()},
                            {"val", parts.val.size()},
                            {"val_used_per_epoch", val_samples.size()},
                            {"test", parts.test.size()}}},
                          {"selection", task.selection}};
    writeJson(run_dir / "run.json", run);
  }
  net->to(device);
  auto optimiser = makeOptimiser(config.optimizer, net->parameters());

  TrainerState state;
  if (options.resume) {
    state = loadCheckpoint((run_dir / "checkpoints" / "last.pt").string(), net, optimiser.get(),
                           device);
    say("info", "resuming at epoch " + std::to_string(state.next_epoch + 1) + " of " +
                    std::to_string(config.epochs));
  }
  MetricsLog log(run_dir / "metrics.jsonl", options.resume ? state.next_epoch : 0);

  data::LoaderOptions lo;
  lo.batch_size = config.batch_size;
  lo.shuffle = true;
  lo.sampling =
      config.sampling == "all" ? data::Sampling::kAllSamples : data::Sampling::kOnePerSubject;
  lo.workers = config.workers;
  lo.seed = config.seed;
  lo.augment = config.augment;
  lo.content.heatmaps = task.heatmaps;
  lo.content.location = task.location;
  lo.content.labels = task.segmentation;
  lo.content.classes = task.classification;
  {
    // Keep every draw when an epoch holds fewer than a batch (few subjects / labels).
    std::set<int> subjects;
    for (auto s : parts.train) subjects.insert(info.samples[static_cast<std::size_t>(s)].subject);
    const auto draws =
        lo.sampling == data::Sampling::kAllSamples ? parts.train.size() : subjects.size();
    lo.drop_last = draws >= static_cast<std::size_t>(config.batch_size);
  }
  data::Loader loader(dataset, parts.train, lo);
  const auto batches_per_epoch = loader.batchesPerEpoch() * config.epoch_repeats;

  EvaluationOptions eval_options;
  eval_options.device = device;
  eval_options.hd95 = false;
  eval_options.batch_size = std::max(config.batch_size, 16);

  const auto start = Clock::now();
  double train_seconds = 0.0;
  std::int64_t images_seen = 0;
  const int first_epoch = state.next_epoch;
  int epoch = first_epoch;
  result.status = "completed";
  try {
    for (; epoch < config.epochs; ++epoch) {
      torch::manual_seed(mix(config.seed, static_cast<std::uint64_t>(epoch)));
      const double lr = learningRate(config.schedule, config.optimizer.lr, epoch, config.epochs);
      setLearningRate(*optimiser, lr);
      net->train();
      std::map<std::string, double> sums;
      std::int64_t batches = 0;
      bool stop = false;
      const auto epoch_start = Clock::now();
      std::int64_t epoch_images = 0;
      for (int repeat = 0; repeat < config.epoch_repeats && !stop; ++repeat) {
        loader.startEpoch(epoch * config.epoch_repeats + repeat);
        while (true) {
          while (options.control && options.control->pause && !options.control->cancel)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
          if (options.control && options.control->cancel) {
            stop = true;
            break;
          }
          const auto t0 = Clock::now();
          auto batch = loader.next();
          if (!batch) break;
          auto images = batch->images.to(device);
          torch::Tensor input =
              task.genesis ? genesisDistort(batch->images, batch->seed).to(device) : images;
          if (config.pretext.permute_targets) {
            // Control arm: every target belongs to another image of the batch.
            const auto n = batch->images.size(0);
            const auto roll = [&](const torch::Tensor& t) {
              return t.defined() && n > 1 ? t.roll(1, 0) : t;
            };
            batch->heatmaps = roll(batch->heatmaps);
            batch->heatmap_valid = roll(batch->heatmap_valid);
            batch->location = roll(batch->location);
            batch->location_valid = roll(batch->location_valid);
          }
          const auto out = net->forward(input);
          std::map<std::string, torch::Tensor> losses;
          if (task.heatmaps)
            losses["heatmap"] = heatmapLoss(out.heatmaps, batch->heatmaps.to(device),
                                            batch->heatmap_valid.to(device));
          if (task.location)
            losses["location"] = locationLoss(out.location, batch->location.to(device),
                                              batch->location_valid.to(device));
          if (task.genesis) losses["restoration"] = restorationLoss(out.restoration, images);
          if (task.segmentation)
            losses["segmentation"] = segmentationLoss(out.segmentation, batch->labels.to(device));
          if (task.classification)
            losses["classification"] =
                classificationLoss(out.classification, batch->classes.to(device));
          torch::Tensor total;
          for (const auto& [name, loss] : losses) {
            const double weight = name == "heatmap"    ? config.pretext.heatmap_weight
                                  : name == "location" ? config.pretext.location_weight
                                                       : 1.0;
            const auto term = loss * weight;
            total = total.defined() ? total + term : term;
          }
          if (config.optimizer.l1 > 0) {
            losses["l1"] = l1Penalty(net->parameters());
            total = total + config.optimizer.l1 * losses["l1"];
          }
          const double total_value = total.item<double>();
          if (!finite(total_value)) {
            result.status = "diverged";
            std::ostringstream m;
            m << "[loss_not_finite] the loss became " << total_value << " at epoch " << epoch + 1
              << ", step " << state.step + 1 << "; stopped. The last good checkpoint (epoch "
              << state.next_epoch << ") is kept; lower the learning rate and resume or restart";
            result.message = m.str();
            stop = true;
            break;
          }
          optimiser->zero_grad();
          total.backward();
          optimiser->step();
          ++state.step;
          ++batches;
          const auto n_images = batch->images.size(0);
          images_seen += n_images;
          epoch_images += n_images;
          train_seconds += std::chrono::duration<double>(Clock::now() - t0).count();

          IterationEvent it;
          it.epoch = epoch;
          it.epochs = config.epochs;
          it.step = state.step;
          it.batch = batches;
          it.batches = batches_per_epoch;
          for (const auto& [name, loss] : losses) {
            const double v = loss.item<double>();
            it.losses[name] = v;
            sums[name] += v;
          }
          it.losses["total"] = total_value;
          sums["total"] += total_value;
          it.lr = lr;
          it.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
          it.images_per_s =
              train_seconds > 0 ? static_cast<double>(images_seen) / train_seconds : 0;
          const double done = static_cast<double>(epoch - first_epoch) +
                              static_cast<double>(batches) /
                                  static_cast<double>(std::max<std::int64_t>(batches_per_epoch, 1));
          it.eta_s = done > 0 ? it.elapsed_s / done * (config.epochs - first_epoch - done) : 0.0;
          if (options.observer) options.observer->iteration(it);
          log.write({{"type", "iteration"},
                     {"epoch", epoch},
                     {"step", it.step},
                     {"batch", it.batch},
                     {"losses", mapJson(it.losses)},
                     {"lr", lr},
                     {"images_per_s", it.images_per_s}});
        }
      }
      if (stop) {
        if (result.status == "completed") result.status = "cancelled";
        break;
      }

      EpochEvent ev;
      ev.epoch = epoch;
      ev.epochs = config.epochs;
      for (const auto& [name, sum] : sums)
        ev.train[name] = sum / static_cast<double>(std::max<std::int64_t>(batches, 1));
      ev.lr = lr;
      const double epoch_seconds =
          std::chrono::duration<double>(Clock::now() - epoch_start).count();
      ev.images_per_s = epoch_seconds > 0 ? static_cast<double>(epoch_images) / epoch_seconds : 0;
      const bool validate = (epoch + 1) % config.validate_every == 0 || epoch + 1 == config.epochs;
      std::optional<double> metric;
      if (validate && !val_samples.empty()) {
        ev.validation = validationMetrics(
            evaluatePart(net, *dataset, val_samples, task, config, eval_options), task, config);
        const auto it = ev.validation.find(task.selection);
        if (it != ev.validation.end()) metric = it->second;
      } else if (validate) {
        metric = ev.train["total"];  // no validation subjects: select on the training loss
        if (epoch == first_epoch)
          say("warning", "[no_validation_samples] selecting on the training loss");
      }
      if (metric && finite(*metric) &&
          (!state.best_metric ||
           (task.maximise ? *metric > *state.best_metric : *metric < *state.best_metric))) {
        state.best_metric = metric;
        state.best_epoch = epoch;
        ev.best = true;
      }
      nlohmann::json record = {{"type", "epoch"},
                               {"epoch", epoch},
                               {"train", mapJson(ev.train)},
                               {"validation", mapJson(ev.validation)},
                               {"lr", lr},
                               {"images_per_s", ev.images_per_s},
                               {"best", ev.best}};
      state.history.push_back(record);
      state.next_epoch = epoch + 1;
      if (ev.best)
        saveCheckpoint((run_dir / "checkpoints" / "best.pt").string(), net, optimiser.get(), state);
      saveCheckpoint((run_dir / "checkpoints" / "last.pt").string(), net, optimiser.get(), state);
      ev.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
      const double epochs_done = epoch + 1 - first_epoch;
      ev.eta_s = ev.elapsed_s / epochs_done * (config.epochs - epoch - 1);
      record["elapsed_s"] = ev.elapsed_s;
      log.write(record);
      if (options.observer) options.observer->epoch(ev);
    }
  } catch (const c10::Error& e) {
    const std::string what = e.what_without_backtrace();
    result.status = "failed";
    result.message = what.find("out of memory") != std::string::npos
                         ? "[out_of_memory] the device ran out of memory (" + what.substr(0, 200) +
                               "); lower batch_size or the network width, then resume"
                         : "[torch_error] " + what.substr(0, 400);
  }
  result.epochs_done = state.next_epoch;
  result.best_metric = state.best_metric;
  result.best_epoch = state.best_epoch;
  if (result.status != "completed") return result;

  // Final evaluation of the best checkpoint on the test split (and validation, complete).
  loadCheckpoint((run_dir / "checkpoints" / "best.pt").string(), net, nullptr, device);
  eval_options.hd95 = true;
  nlohmann::json evaluation = {{"checkpoint", "best"}, {"epoch", state.best_epoch + 1}};
  evaluation["test"] = evaluatePart(net, *dataset, parts.test, task, config, eval_options);
  evaluation["val"] = evaluatePart(net, *dataset, parts.val, task, config, eval_options);
  writeJson(run_dir / "evaluation.json", evaluation);
  result.evaluation = evaluation;
  return result;
}

nlohmann::json evaluateRun(const std::string& run_dir, const std::string& checkpoint,
                           const std::string& part, const std::string& dataset_override) {
  const auto config = loadRunConfig(run_dir);
  applyThreads(config.threads);
  const auto device = resolveDevice(config.device);
  auto model = loadModel(run_dir, checkpoint, device);
  const auto dataset =
      data::PreparedDataset::open(dataset_override.empty() ? config.dataset : dataset_override);
  const auto mismatch = data::planMismatch(model.plan, dataset->info().plan);
  if (!mismatch.empty())
    throw std::invalid_argument("[plan_mismatch] the dataset's plan differs from the run's: " +
                                mismatch);
  const auto split =
      data::SplitFile::fromJson(readJson(fs::path(run_dir) / "splits.json", "not_a_run"));
  const TaskSetup task = setupFor(config);
  std::set<std::string> labelled;
  if (fs::exists(fs::path(run_dir) / "label_budget.json")) {
    const auto budget =
        data::LabelBudget::fromJson(readJson(fs::path(run_dir) / "label_budget.json", "not_a_run"));
    labelled.insert(budget.labelled.begin(), budget.labelled.end());
  }
  const Parts parts = partsFor(dataset->info(), split, task, labelled);
  const auto& samples = part == "train" ? parts.train : part == "val" ? parts.val : parts.test;
  if (part != "train" && part != "val" && part != "test")
    throw std::invalid_argument("[invalid_part] expected train, val or test, got " + part);
  EvaluationOptions o;
  o.device = device;
  nlohmann::json out = {
      {"run", run_dir}, {"checkpoint", checkpoint}, {"epoch", model.epoch + 1}, {"part", part}};
  out["metrics"] = evaluatePart(model.net, *dataset, samples, task, config, o);
  return out;
}

}  // namespace planelab::train
