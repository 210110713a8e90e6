#include "study/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "data/prepared_dataset.h"
#include "data/splits.h"
#include "train/run_summary.h"
#include "train/threshold_baseline.h"

namespace planelab::study {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// PHANTOM.md 4.3 acceptance targets.
constexpr double kCeilingLow = 0.85, kCeilingHigh = 0.93;
constexpr double kCeilingMinSubjects = 10;  // fewer labelled subjects are not "many"
constexpr double kFewLabelGap = 0.10;       // Dice@2 <= ceiling - 0.10
constexpr double kThresholdBaselineMax = 0.75;
constexpr double kPretextRatioMax = 0.4;  // trained error <= 0.4 x constant predictor's
constexpr const char* kBaselineLabel = "LV cavity";

struct Run {
  std::string arm;
  int budget = 0;
  int labelled = 0;
  std::uint64_t seed = 0;
  std::string dir;
  std::map<std::string, double> metrics;         // name -> value (absent = not scored)
  std::map<std::string, double> subject_scores;  // test subject -> paired score
};

std::optional<double> number(const json& object, const std::string& key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

// The primary metric and the paired per-subject score of a task.
const char* primaryMetric(const std::string& task) {
  return task == "classification" ? "accuracy" : "mean_dice";
}

Run readRun(const experiment::Step& step, const std::string& task) {
  const auto summary = train::readRunSummary(step.dir);
  Run run;
  run.arm = step.arm;
  run.budget = step.budget;
  run.seed = step.seed;
  run.dir = step.dir;
  run.labelled = summary.labelled_subjects;
  const json test =
      summary.evaluation.is_object() ? summary.evaluation.value("test", json()) : json();
  const auto put = [&](const std::string& name, const std::optional<double>& v) {
    if (v) run.metrics[name] = *v;
  };
  if (task == "classification") {
    for (const char* key : {"accuracy", "balanced_accuracy", "macro_auc"})
      put(key, number(test, key));
    const auto classes = test.value("classes", std::vector<std::string>());
    const json subjects = test.value("per_subject", json::array());
    for (const auto& s : subjects) {
      const auto p = s.value("probabilities", std::vector<double>());
      const auto truth = std::find(classes.begin(), classes.end(), s.value("truth", ""));
      if (p.empty() || truth == classes.end()) continue;
      const auto best = std::max_element(p.begin(), p.end()) - p.begin();
      run.subject_scores[s.value("subject", "")] = best == truth - classes.begin() ? 1.0 : 0.0;
    }
  } else {
    put("mean_dice", number(test, "mean_dice_3d"));
    put("mean_hd95_mm", number(test, "mean_hd95_mm_3d"));
    const json dice = test.value("dice_3d", json::object());
    for (const auto& item : dice.items()) put("dice_" + item.key(), number(dice, item.key()));
    const json hd95 = test.value("hd95_mm_3d", json::object());
    for (const auto& item : hd95.items()) put("hd95_mm_" + item.key(), number(hd95, item.key()));
    // A subject's score: the mean over its stacks (ED, ES) of the stack's mean Dice over the
    // classes scored in it.
    std::map<std::string, std::pair<double, int>> sums;
    const json stacks = test.value("per_stack", json::array());
    for (const auto& s : stacks) {
      double sum = 0.0;
      int n = 0;
      const json stack_dice = s.value("dice", json::object());
      for (const auto& item : stack_dice.items()) {
        if (!item.value().is_number()) continue;
        sum += item.value().get<double>();
        ++n;
      }
      if (n == 0) continue;
      auto& total = sums[s.value("subject", "")];
      total.first += sum / n;
      ++total.second;
    }
    for (const auto& [subject, total] : sums)
      run.subject_scores[subject] = total.first / total.second;
  }
  return run;
}

json meanSdJson(const std::vector<double>& values) {
  const auto m = meanSd(values);
  return {{"n", m.count}, {"mean", m.mean}, {"sd", m.sd}};
}

// Metric names in report order: primary first, per-class next, then the rest.
std::vector<std::string> metricOrder(const std::vector<Run>& runs, const std::string& task) {
  std::set<std::string> names;
  for (const auto& r : runs)
    for (const auto& [name, v] : r.metrics) names.insert(name);
  std::vector<std::string> order;
  const auto take = [&](const std::string& name) {
    if (names.erase(name)) order.push_back(name);
  };
  take(primaryMetric(task));
  if (task == "classification") {
    take("balanced_accuracy");
    take("macro_auc");
  } else {
    for (const auto& n : std::set<std::string>(names))
      if (n.rfind("dice_", 0) == 0) take(n);
    take("mean_hd95_mm");
  }
  for (const auto& n : std::set<std::string>(names)) take(n);
  return order;
}

json pairedVsScratch(const std::vector<const Run*>& arm_runs,
                     const std::vector<const Run*>& scratch_runs, const BootstrapOptions& options) {
  std::vector<std::pair<const Run*, const Run*>> pairs;
  for (const auto* a : arm_runs)
    for (const auto* s : scratch_runs)
      if (a->seed == s->seed) pairs.emplace_back(a, s);
  std::set<std::string> subjects;
  for (const auto& [a, s] : pairs) {
    for (const auto& [subject, v] : a->subject_scores) subjects.insert(subject);
    for (const auto& [subject, v] : s->subject_scores) subjects.insert(subject);
  }
  std::vector<std::vector<std::optional<double>>> differences;
  for (const auto& [a, s] : pairs) {
    std::vector<std::optional<double>> row;
    for (const auto& subject : subjects) {
      const auto ai = a->subject_scores.find(subject);
      const auto si = s->subject_scores.find(subject);
      if (ai == a->subject_scores.end() || si == s->subject_scores.end())
        row.emplace_back();
      else
        row.emplace_back(ai->second - si->second);
    }
    differences.push_back(std::move(row));
  }
  const auto interval = pairedBootstrap(differences, options);
  if (!interval) return json();
  return {{"estimate", interval->estimate},
          {"low", interval->low},
          {"high", interval->high},
          {"seeds", interval->seeds},
          {"subjects", interval->subjects},
          {"confidence", options.confidence},
          {"bootstrap_samples", options.samples}};
}

// The arms this experiment pretrains whose epochs differ from pretrain.epochs.
json armEpochs(const experiment::ExperimentConfig& c) {
  json by_arm = json::object();
  for (const auto& [arm, epochs] : c.pretrain_epochs) {
    if (std::find(c.arms.begin(), c.arms.end(), arm) != c.arms.end() && epochs != c.pretrain.epochs)
      by_arm[arm] = epochs;
  }
  return by_arm;
}

json sourceJson(const experiment::ExperimentConfig& c) {
  const auto full = c.toJson();
  json source = full.contains("phantom") ? json{{"phantom", full["phantom"]}}
                                         : json{{"catalog", full.value("catalog", json())}};
  // An all-scratch experiment (e.g. the ceiling) ignores its pool.
  if (full.contains("pretrain_pool") && experiment::usesPretrainingPool(c))
    source["pretrain_pool"] = full["pretrain_pool"];
  return source;
}

json pretrainingRows(const experiment::ExperimentConfig& config,
                     const std::vector<experiment::Step>& steps) {
  json rows = json::array();
  for (const auto& arm : config.arms) {
    std::map<std::string, std::vector<double>> values;
    int finished = 0;
    for (const auto& step : steps) {
      if (step.kind != experiment::Step::Kind::kPretrain || step.arm != arm || step.state != "done")
        continue;
      const auto summary = train::readRunSummary(step.dir);
      const json test = summary.evaluation.value("test", json());
      ++finished;
      for (const char* key :
           {"heatmap_mse", "mean_map_heatmap_mse", "constant_heatmap_mse",
            "heatmap_angle_error_deg", "mean_map_angle_error_deg", "heatmap_offset_mm",
            "mean_map_offset_mm", "location_mae", "constant_location_mae", "location_mse",
            "constant_location_mse", "restoration_mse"})
        if (const auto v = number(test, key)) values[key].push_back(*v);
      const auto h = number(test, "heatmap_mse");
      const auto hm = number(test, "mean_map_heatmap_mse");
      if (h && hm && *hm > 0) values["heatmap_rmse_ratio"].push_back(std::sqrt(*h / *hm));
      const auto a = number(test, "heatmap_angle_error_deg");
      const auto am = number(test, "mean_map_angle_error_deg");
      if (a && am && *am > 0) values["heatmap_angle_ratio"].push_back(*a / *am);
      const auto l = number(test, "location_mae");
      const auto lc = number(test, "constant_location_mae");
      if (l && lc && *lc > 0) values["location_mae_ratio"].push_back(*l / *lc);
    }
    if (finished == 0) continue;
    json row = {{"arm", arm}, {"runs", finished}, {"metrics", json::object()}};
    for (const auto& [key, v] : values) row["metrics"][key] = meanSdJson(v);
    rows.push_back(std::move(row));
  }
  return rows;
}

json thresholdBaseline(const StudyExperiment& entry, const StudyConfig& config,
                       const std::string& dataset_dir) {
  if (!config.threshold_baseline || entry.config.plan.organ != "heart" ||
      entry.config.finetune.task != "segmentation" || !entry.pretraining_from.empty())
    return json();
  std::error_code error;
  if (!fs::exists(fs::path(dataset_dir) / "dataset.json", error)) return json();
  try {
    const auto dataset = data::PreparedDataset::open(dataset_dir);
    const auto result = train::evaluateThresholdBaseline(*dataset, kBaselineLabel);
    return {{"label", result.label},
            {"images", result.images},
            {"mean_dice", result.mean_dice},
            {"median_dice", result.median_dice}};
  } catch (const std::exception& e) {
    return {{"label", kBaselineLabel}, {"error", e.what()}};
  }
}

// Classification's non-learned baseline: always answer the most common class of the training
// split (ties: the first name in order), scored on the test subjects with a class. Read from the
// dataset and the splits.json its first run wrote; null before that.
json majorityBaseline(const experiment::ExperimentConfig& c, const std::string& dataset_dir) {
  if (c.finetune.task != "classification") return json();
  const fs::path split_file = c.finetune.split.file.empty() ? fs::path(dataset_dir) / "splits.json"
                                                            : fs::path(c.finetune.split.file);
  std::error_code error;
  if (!fs::exists(split_file, error) || !fs::exists(fs::path(dataset_dir) / "dataset.json", error))
    return json();
  try {
    std::ifstream in(split_file);
    const data::SplitFile split = data::SplitFile::fromJson(json::parse(in));
    const auto dataset = data::PreparedDataset::open(dataset_dir);
    std::map<std::string, std::string> class_of;
    for (const auto& subject : dataset->info().subjects)
      if (!subject.class_label.empty()) class_of[subject.id] = subject.class_label;
    std::map<std::string, int> train_counts, test_counts;
    for (const auto& id : split.train)
      if (const auto it = class_of.find(id); it != class_of.end()) ++train_counts[it->second];
    for (const auto& id : split.test)
      if (const auto it = class_of.find(id); it != class_of.end()) ++test_counts[it->second];
    if (train_counts.empty() || test_counts.empty()) return json();
    const auto majority =
        std::max_element(train_counts.begin(), train_counts.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    int tested = 0;
    for (const auto& [name, n] : test_counts) tested += n;
    const auto right = test_counts.count(majority->first) ? test_counts[majority->first] : 0;
    return {{"class", majority->first},
            {"accuracy", static_cast<double>(right) / tested},
            // Recall 1 for one class, 0 for the others.
            {"balanced_accuracy", 1.0 / static_cast<double>(test_counts.size())},
            {"test_subjects", tested},
            {"test_classes", test_counts},
            {"train_classes", train_counts}};
  } catch (const std::exception& e) {
    return {{"error", e.what()}};
  }
}

json experimentReport(const StudyExperiment& entry, const StudyConfig& config) {
  const auto& c = entry.config;
  const auto steps = experiment::planSteps(c);
  const std::string task = c.finetune.task;
  std::vector<Run> runs;
  for (const auto& step : steps)
    if (step.kind == experiment::Step::Kind::kFinetune && step.state == "done")
      runs.push_back(readRun(step, task));

  json out = {{"id", entry.id},
              {"name", c.name},
              {"task", task},
              {"organ", c.plan.organ},
              {"source", sourceJson(c)},
              {"pretraining_from", entry.pretraining_from},
              {"arms", c.arms},
              {"label_budgets", c.label_budgets},
              {"seeds", c.seeds},
              {"pretrain_epochs", c.pretrain.epochs},
              {"pretrain_epochs_by_arm", armEpochs(c)},
              {"finetune_epochs", c.finetune.epochs},
              {"network", c.finetune.network.toJson()},
              {"grid", {{"size", c.plan.grid.size}, {"spacing_mm", c.plan.grid.spacing_mm}}},
              {"primary_metric", primaryMetric(task)},
              {"runs_finished", runs.size()}};
  std::size_t planned = 0;
  for (const auto& step : steps) planned += step.kind == experiment::Step::Kind::kFinetune;
  out["runs_planned"] = planned;
  std::set<std::string> test_subjects;
  for (const auto& r : runs)
    for (const auto& [subject, v] : r.subject_scores) test_subjects.insert(subject);
  out["test_subjects"] = test_subjects.size();

  const auto metrics = metricOrder(runs, task);
  out["metrics"] = metrics;
  const bool has_scratch = std::find(c.arms.begin(), c.arms.end(), "scratch") != c.arms.end();
  json rows = json::array();
  json series = json::array();
  for (const auto& arm : c.arms) {
    json points = {
        {"name", arm}, {"x", json::array()}, {"mean", json::array()}, {"sd", json::array()}};
    for (const int budget : c.label_budgets) {
      std::vector<const Run*> mine, scratch;
      for (const auto& r : runs) {
        if (r.budget != budget) continue;
        if (r.arm == arm) mine.push_back(&r);
        if (r.arm == "scratch") scratch.push_back(&r);
      }
      std::vector<double> labelled;
      for (const auto* r : mine) labelled.push_back(r->labelled);
      json row = {{"arm", arm},
                  {"budget", budget},
                  {"runs", mine.size()},
                  {"labelled_subjects", mine.empty() ? json() : json(meanSd(labelled).mean)},
                  {"metrics", json::object()}};
      for (const auto& name : metrics) {
        std::vector<double> values;
        for (const auto* r : mine)
          if (const auto it = r->metrics.find(name); it != r->metrics.end())
            values.push_back(it->second);
        if (!values.empty()) row["metrics"][name] = meanSdJson(values);
      }
      if (arm != "scratch" && has_scratch && !mine.empty())
        row["vs_scratch"] = pairedVsScratch(mine, scratch, config.statistics);
      const auto primary = row["metrics"].find(primaryMetric(task));
      if (primary != row["metrics"].end()) {
        points["x"].push_back(row["labelled_subjects"]);
        points["mean"].push_back((*primary)["mean"]);
        points["sd"].push_back((*primary)["sd"]);
      }
      rows.push_back(std::move(row));
    }
    series.push_back(std::move(points));
  }
  out["rows"] = std::move(rows);
  json run_list = json::array();  // every finished run, for runs.csv
  for (const auto& r : runs) {
    run_list.push_back({{"arm", r.arm},
                        {"budget", r.budget},
                        {"labelled_subjects", r.labelled},
                        {"seed", r.seed},
                        {"run_dir", fs::relative(r.dir, config.out).generic_string()},
                        {"metrics", r.metrics}});
  }
  out["runs"] = std::move(run_list);
  out["pretraining"] = entry.pretraining_from.empty() ? pretrainingRows(c, steps) : json::array();
  out["threshold_baseline"] = thresholdBaseline(entry, config, steps.front().dir);
  out["majority_baseline"] = majorityBaseline(c, steps.front().dir);
  const bool classification = task == "classification";
  out["plot"] = {{"file", entry.id + ".png"},
                 {"title", (c.name.empty() ? entry.id : c.name)},
                 {"x_label", "labelled subjects"},
                 {"y_label", classification ? "test accuracy" : "test mean Dice (3-D)"},
                 {"series", std::move(series)}};
  return out;
}

json check(const std::string& name, const std::string& target, const json& measured,
           const json& pass, const std::string& note) {
  return {
      {"check", name}, {"target", target}, {"measured", measured}, {"pass", pass}, {"note", note}};
}

std::string fixed(double v, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return text;
}

// PHANTOM.md 4.3, from the heart segmentation experiments' runs.
json calibration(const json& experiments) {
  json checks = json::array();
  std::optional<std::pair<double, double>> ceiling;  // (labelled subjects, mean Dice)
  std::optional<double> at_two;
  for (const auto& e : experiments) {
    if (e["organ"] != "heart" || e["task"] != "segmentation") continue;
    for (const auto& row : e["rows"]) {
      if (row["arm"] != "scratch" || !row["metrics"].contains("mean_dice")) continue;
      const double n = row["labelled_subjects"].get<double>();
      const double dice = row["metrics"]["mean_dice"]["mean"].get<double>();
      if (!ceiling || n > ceiling->first) ceiling = std::make_pair(n, dice);
      if (std::abs(n - 2.0) < 1e-9) at_two = dice;
    }
  }
  // A ceiling needs many labelled subjects; a study of few-label budgets only cannot check it.
  if (ceiling && ceiling->first < kCeilingMinSubjects) ceiling.reset();
  if (ceiling) {
    checks.push_back(check("ceiling", "scratch, many labelled subjects: mean Dice in [0.85, 0.93]",
                           ceiling->second,
                           ceiling->second >= kCeilingLow && ceiling->second <= kCeilingHigh,
                           "scratch with " + fixed(ceiling->first, 0) +
                               " labelled subjects (the largest budget run; PHANTOM.md uses 100)"));
  }
  if (ceiling && at_two && ceiling->first > 2.0) {
    checks.push_back(check(
        "few_label_gap", "scratch Dice@2 <= ceiling - 0.10", *at_two,
        *at_two <= ceiling->second - kFewLabelGap,
        "ceiling " + fixed(ceiling->second, 3) + " at " + fixed(ceiling->first, 0) + " subjects"));
  }
  for (const auto& e : experiments) {
    const auto& b = e["threshold_baseline"];
    if (!b.is_object() || !b.contains("mean_dice")) continue;
    const double dice = b["mean_dice"].get<double>();
    checks.push_back(
        check("threshold_baseline", "Otsu + central component as LV cavity: mean Dice < 0.75", dice,
              dice < kThresholdBaselineMax,
              e["id"].get<std::string>() + ": " + std::to_string(b["images"].get<int>()) +
                  " labelled images, median " + fixed(b["median_dice"].get<double>(), 3)));
  }
  for (const auto& e : experiments) {
    for (const auto& row : e["pretraining"]) {
      const auto& m = row["metrics"];
      const std::string where = e["id"].get<std::string>() + ", arm " +
                                row["arm"].get<std::string>() + ", " +
                                std::to_string(row["runs"].get<int>()) + " run(s)";
      // The control arm learns permuted targets: it is expected to stay near the constant.
      if (row["arm"] == "control") continue;
      // PHANTOM.md §4.3 compares line angles; runs evaluated before the angle existed fall back
      // to the heatmap RMSE.
      if (m.contains("heatmap_angle_ratio")) {
        const double ratio = m["heatmap_angle_ratio"]["mean"].get<double>();
        checks.push_back(check("pretext_heatmaps",
                               "heatmap line angle error <= 0.4 x the mean-map predictor's", ratio,
                               ratio <= kPretextRatioMax, where));
      } else if (m.contains("heatmap_rmse_ratio")) {
        const double ratio = m["heatmap_rmse_ratio"]["mean"].get<double>();
        checks.push_back(check("pretext_heatmaps", "heatmap RMSE <= 0.4 x the mean-map predictor's",
                               ratio, ratio <= kPretextRatioMax, where));
      }
      if (m.contains("location_mae_ratio")) {
        const double ratio = m["location_mae_ratio"]["mean"].get<double>();
        checks.push_back(check("pretext_location",
                               "slice-location MAE <= 0.4 x the constant predictor's", ratio,
                               ratio <= kPretextRatioMax, where));
      }
    }
  }
  return checks;
}

std::string pm(const json& m, int decimals) {
  if (!m.is_object()) return "—";
  if (m["n"].get<int>() < 2) return fixed(m["mean"].get<double>(), decimals);
  return fixed(m["mean"].get<double>(), decimals) + " ± " + fixed(m["sd"].get<double>(), decimals);
}

std::string signedFixed(double v, int decimals) {
  return (v >= 0 ? "+" : "") + fixed(v, decimals);
}

std::string metricTitle(const std::string& name) {
  if (name == "mean_dice") return "mean Dice";
  if (name == "mean_hd95_mm") return "HD95 mm";
  if (name == "accuracy") return "accuracy";
  if (name == "balanced_accuracy") return "balanced acc.";
  if (name == "macro_auc") return "macro AUC";
  if (name.rfind("dice_", 0) == 0) return name.substr(5);
  return name;
}

}  // namespace

json buildReport(const StudyConfig& config) {
  json experiments = json::array();
  for (const auto& entry : config.experiments)
    experiments.push_back(experimentReport(entry, config));
  json report = {{"name", config.name},
                 {"profile", config.profile},
                 {"experiments", experiments},
                 {"calibration", calibration(experiments)},
                 {"statistics",
                  {{"bootstrap_samples", config.statistics.samples},
                   {"seed", config.statistics.seed},
                   {"confidence", config.statistics.confidence}}}};
  return report;
}

std::string reportMarkdown(const json& report, const std::string& plots_note) {
  std::ostringstream md;
  md << "# Study: " << report.value("name", "") << "\n\n";
  if (!report.value("profile", "").empty())
    md << "Profile: `" << report["profile"].get<std::string>() << "`.\n\n";
  const auto& stats = report["statistics"];
  const int percent = static_cast<int>(std::lround(stats["confidence"].get<double>() * 100));
  md << "Values are mean ± sd over seeds of the test-split metrics (test subjects never take part "
        "in pretraining or fine-tuning). Δ vs scratch: the mean paired difference per test subject "
        "and seed, with its "
     << percent << " % hierarchical bootstrap interval (" << stats["bootstrap_samples"]
     << " replicates over seeds and subjects, seed " << stats["seed"] << ").\n\n";
  if (!plots_note.empty()) md << plots_note << "\n\n";

  for (const auto& e : report["experiments"]) {
    const std::string id = e["id"];
    md << "## " << id << (e.value("name", "").empty() ? "" : ": " + e["name"].get<std::string>())
       << "\n\n";
    md << "- task: " << e["task"].get<std::string>() << " (" << e["organ"].get<std::string>()
       << "); test subjects: " << e["test_subjects"] << "; finished runs: " << e["runs_finished"]
       << " of " << e["runs_planned"] << "\n";
    json own_source = e["source"];
    own_source.erase("pretrain_pool");
    md << "- source: `" << own_source.dump() << "`\n";
    if (e["source"].contains("pretrain_pool"))
      md << "- pretraining pool (pretraining only; no fine-tuning test subject in it): `"
         << e["source"]["pretrain_pool"].dump() << "`\n";
    const auto& net = e["network"];
    md << "- grid " << e["grid"]["size"] << " px at " << e["grid"]["spacing_mm"]
       << " mm; U-Net base width " << net.value("base_width", 0) << ", depth "
       << net.value("depth", 0) << ", encoder norm " << net.value("encoder_norm", "")
       << ", decoder norm " << net.value("decoder_norm", "") << "\n";
    md << "- epochs: pretraining " << e["pretrain_epochs"];
    // A named copy: items() of the temporary that value() returns would dangle in the loop.
    const json by_arm = e.value("pretrain_epochs_by_arm", json::object());
    std::string separator = " (";
    for (const auto& [arm, epochs] : by_arm.items()) {
      md << separator << arm << " " << epochs;
      separator = ", ";
    }
    if (!by_arm.empty()) md << ")";
    md << ", fine-tuning " << e["finetune_epochs"]
       << (e["pretraining_from"].get<std::string>().empty()
               ? ""
               : "; pretrained networks of `" + e["pretraining_from"].get<std::string>() + "`")
       << "\n\n";
    // The table: the primary metric, per-class Dice, mean HD95 (per-class HD95 and every other
    // metric are in report.json and runs.csv).
    std::vector<std::string> metrics;
    for (const auto& m : e["metrics"].get<std::vector<std::string>>())
      if (m.rfind("hd95_mm_", 0) != 0) metrics.push_back(m);
    md << "| arm | labelled subjects | runs |";
    for (const auto& m : metrics) md << " " << metricTitle(m) << " |";
    md << " Δ " << metricTitle(e["primary_metric"]) << " vs scratch |\n|---|---|---|";
    for (std::size_t i = 0; i < metrics.size(); ++i) md << "---|";
    md << "---|\n";
    for (const auto& row : e["rows"]) {
      const std::string labelled =
          row["labelled_subjects"].is_number()
              ? fixed(row["labelled_subjects"].get<double>(), 0)
              : (row["budget"].get<int>() == 0 ? "all" : std::to_string(row["budget"].get<int>()));
      md << "| " << row["arm"].get<std::string>() << " | " << labelled << " | " << row["runs"]
         << " |";
      for (const auto& m : metrics) {
        const auto it = row["metrics"].find(m);
        md << " "
           << (it == row["metrics"].end() ? "—"
                                          : pm(*it, m.find("hd95") != std::string::npos ? 1 : 3))
           << " |";
      }
      const auto vs = row.find("vs_scratch");
      if (vs != row.end() && vs->is_object()) {
        md << " " << signedFixed((*vs)["estimate"].get<double>(), 3) << " ["
           << signedFixed((*vs)["low"].get<double>(), 3) << ", "
           << signedFixed((*vs)["high"].get<double>(), 3) << "] |";
      } else {
        md << " |";
      }
      md << "\n";
    }
    md << "\n";
    if (!e["pretraining"].empty()) {
      md << "Pretext tasks on the pretraining data's test split (mean ± sd over seeds): the "
            "trained "
            "network's error and the constant predictors' (mean-map heatmap; mean slice "
            "location). Line angle and offset: the line read back from each heatmap against the "
            "target's (mean map's in brackets).\n\n"
         << "| arm | runs | heatmap MSE | mean-map MSE | RMSE ratio | line angle ° | line offset "
            "mm "
            "| angle ratio | location MAE | constant MAE | MAE ratio | restoration MSE "
            "|\n|---|---|---|---|---|---|---|---|---|---|---|---|\n";
      for (const auto& row : e["pretraining"]) {
        const auto& m = row["metrics"];
        const auto cell = [&](const char* key, int decimals) {
          return m.contains(key) ? pm(m[key], decimals) : std::string("—");
        };
        const auto bracketed = [&](const char* key, const char* constant) {
          if (!m.contains(key)) return std::string("—");
          return pm(m[key], 1) + (m.contains(constant)
                                      ? " (" + fixed(m[constant]["mean"].get<double>(), 1) + ")"
                                      : std::string());
        };
        md << "| " << row["arm"].get<std::string>() << " | " << row["runs"] << " | "
           << cell("heatmap_mse", 4) << " | " << cell("mean_map_heatmap_mse", 4) << " | "
           << cell("heatmap_rmse_ratio", 2) << " | "
           << bracketed("heatmap_angle_error_deg", "mean_map_angle_error_deg") << " | "
           << bracketed("heatmap_offset_mm", "mean_map_offset_mm") << " | "
           << cell("heatmap_angle_ratio", 2) << " | " << cell("location_mae", 3) << " | "
           << cell("constant_location_mae", 3) << " | " << cell("location_mae_ratio", 2) << " | "
           << cell("restoration_mse", 4) << " |\n";
      }
      md << "\n";
    }
    const auto& b = e["threshold_baseline"];
    if (b.is_object() && b.contains("mean_dice")) {
      md << "Non-learned baseline (Otsu threshold + the component nearest the centre as "
         << b["label"].get<std::string>() << ", every labelled image): mean Dice "
         << fixed(b["mean_dice"].get<double>(), 3) << ", median "
         << fixed(b["median_dice"].get<double>(), 3) << " over " << b["images"] << " images.\n\n";
    } else if (b.is_object() && b.contains("error")) {
      md << "Non-learned baseline not scored: " << b["error"].get<std::string>() << "\n\n";
    }
    const auto& m = e.value("majority_baseline", json());
    if (m.is_object() && m.contains("accuracy")) {
      std::string classes;
      for (const auto& item : m["test_classes"].items())
        classes += (classes.empty() ? "" : ", ") + item.key() + " " + item.value().dump();
      md << "Non-learned baseline: always answering the training split's most common class ("
         << m["class"].get<std::string>() << "): accuracy " << fixed(m["accuracy"].get<double>(), 3)
         << ", balanced accuracy " << fixed(m["balanced_accuracy"].get<double>(), 3) << " on "
         << m["test_subjects"] << " test subjects (" << classes << ").\n\n";
    }
    md << "![" << id << "](" << e["plot"]["file"].get<std::string>() << ")\n\n";
  }

  md << "## Calibration (PHANTOM.md §4.3)\n\n";
  if (report["calibration"].empty()) {
    md << "No check could be made from these runs (they need a heart segmentation experiment "
          "with a scratch arm, or pretraining runs).\n";
  } else {
    md << "| check | target | measured | pass | note |\n|---|---|---|---|---|\n";
    for (const auto& c : report["calibration"]) {
      md << "| " << c["check"].get<std::string>() << " | " << c["target"].get<std::string>()
         << " | " << fixed(c["measured"].get<double>(), 3) << " | "
         << (c["pass"].is_boolean() ? (c["pass"].get<bool>() ? "yes" : "**no**") : "—") << " | "
         << c["note"].get<std::string>() << " |\n";
    }
  }
  return md.str();
}

std::string reportCsv(const json& report) {
  std::ostringstream csv;
  csv << "experiment,task,arm,budget,labelled_subjects,seed,metric,value,run_dir\n";
  for (const auto& e : report["experiments"]) {
    for (const auto& run : e["runs"]) {
      for (const auto& [metric, value] : run["metrics"].items()) {
        char text[64];
        std::snprintf(text, sizeof text, "%.6g", value.get<double>());
        csv << e["id"].get<std::string>() << "," << e["task"].get<std::string>() << ","
            << run["arm"].get<std::string>() << "," << run["budget"] << ","
            << run["labelled_subjects"] << "," << run["seed"] << "," << metric << "," << text << ","
            << run["run_dir"].get<std::string>() << "\n";
      }
    }
  }
  return csv.str();
}

std::string writeReport(
    const StudyConfig& config, const json& report,
    const std::function<std::string(const json& plot, const std::string& file)>& write_plot) {
  const fs::path out(config.out);
  std::string plots_note;
  if (!write_plot) {
    plots_note =
        "Plots were not written: this planelab-cli was built without Qt (PLANELAB_GUI=OFF).";
  } else {
    for (const auto& e : report["experiments"]) {
      const auto file = (out / e["plot"]["file"].get<std::string>()).string();
      const auto why = write_plot(e["plot"], file);
      if (!why.empty()) plots_note += "Plot " + file + " not written: " + why + "\n";
    }
  }
  data::writeJsonAtomically((out / "report.json").string(), report);
  data::writeTextAtomically((out / "runs.csv").string(), reportCsv(report));
  const auto md = (out / "report.md").string();
  data::writeTextAtomically(md, reportMarkdown(report, plots_note));
  return md;
}

}  // namespace planelab::study
