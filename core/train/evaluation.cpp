#include "train/evaluation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>

#include "data/loader.h"

namespace planelab::train {
namespace {

data::LoaderOptions plainOptions(bool heatmaps, bool location, bool labels, bool classes) {
  data::LoaderOptions o;
  o.shuffle = false;
  o.drop_last = false;
  o.augment.enabled = false;
  o.content.heatmaps = heatmaps;
  o.content.location = location;
  o.content.labels = labels;
  o.content.classes = classes;
  return o;
}

// Runs `fn(batch, outputs)` over `samples` in batches, in eval mode without gradients.
template <class Fn>
void forEachBatch(nn::PlaneNet& net, const data::PreparedDataset& dataset,
                  const std::vector<std::int64_t>& samples, const data::LoaderOptions& loader,
                  const EvaluationOptions& options, Fn&& fn) {
  const bool was_training = net->is_training();
  net->eval();
  torch::NoGradGuard no_grad;
  const auto batch = static_cast<std::size_t>(std::max(options.batch_size, 1));
  for (std::size_t first = 0; first < samples.size(); first += batch) {
    const std::vector<std::int64_t> part(
        samples.begin() + static_cast<std::ptrdiff_t>(first),
        samples.begin() + static_cast<std::ptrdiff_t>(std::min(samples.size(), first + batch)));
    const auto b = data::loadSamples(dataset, part, loader, 0, static_cast<std::int64_t>(first));
    const auto outputs = net->forward(b.images.to(options.device));
    fn(b, outputs);
  }
  net->train(was_training);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 1.0;
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

nlohmann::json optionalJson(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

// Means of per-case per-class scores: {class name: mean} + overall mean of the class means.
nlohmann::json classMeans(const std::vector<std::vector<std::optional<double>>>& cases,
                          const std::vector<std::string>& names, std::optional<double>* overall) {
  nlohmann::json out = nlohmann::json::object();
  std::vector<std::optional<double>> class_means;
  for (std::size_t c = 1; c < names.size(); ++c) {
    std::vector<std::optional<double>> values;
    for (const auto& scores : cases)
      if (c < scores.size()) values.push_back(scores[c]);
    class_means.push_back(meanOf(values));
    out[names[c]] = optionalJson(class_means.back());
  }
  *overall = meanOf(class_means);
  return out;
}

}  // namespace

nlohmann::json evaluateSegmentation(nn::PlaneNet& net, const data::PreparedDataset& dataset,
                                    const std::vector<std::int64_t>& samples,
                                    const EvaluationOptions& options) {
  const auto& info = dataset.info();
  const int size = dataset.size();
  const int classes = static_cast<int>(info.label_names.size());
  const double spacing = info.plan.grid.spacing_mm;
  const auto pixels = static_cast<std::size_t>(size) * size;

  // Predictions of every labelled sample, kept for the 3-D stacks.
  std::map<std::int64_t, std::vector<std::uint8_t>> predicted;
  std::vector<std::vector<std::optional<double>>> image_dice, image_hd;
  forEachBatch(
      net, dataset, samples, plainOptions(false, false, true, false), options,
      [&](const data::Batch& b, const nn::Outputs& out) {
        const auto labels = out.segmentation.argmax(1).to(torch::kCPU, torch::kUInt8).contiguous();
        const auto* p = labels.data_ptr<std::uint8_t>();
        for (std::size_t i = 0; i < b.samples.size(); ++i) {
          const auto s = b.samples[i];
          if (!info.samples[static_cast<std::size_t>(s)].has_labels) continue;
          std::vector<std::uint8_t> mine(p + i * pixels, p + (i + 1) * pixels);
          LabelVolume pred{1, size, size, {spacing, spacing, spacing}, mine};
          const auto* t = dataset.labels(s);
          LabelVolume truth{
              1, size, size, {spacing, spacing, spacing}, std::vector<std::uint8_t>(t, t + pixels)};
          const auto scores = scoreSegmentation(pred, truth, classes, options.hd95);
          image_dice.push_back(scores.dice);
          image_hd.push_back(scores.hd95_mm);
          predicted[s] = std::move(mine);
        }
      });

  // Stacks: (subject, stack, phase) -> samples ordered by slice index.
  std::map<std::tuple<int, int, int>, std::vector<std::int64_t>> stacks;
  for (const auto& [s, unused] : predicted) {
    const auto& sample = info.samples[static_cast<std::size_t>(s)];
    const auto& plane = info.subjects[static_cast<std::size_t>(sample.subject)]
                            .planes[static_cast<std::size_t>(sample.plane)];
    stacks[{sample.subject, plane.stack < 0 ? -1 - sample.plane : plane.stack, sample.phase}]
        .push_back(s);
  }
  std::vector<std::vector<std::optional<double>>> stack_dice, stack_hd;
  nlohmann::json per_stack = nlohmann::json::array();
  for (auto& [key, members] : stacks) {
    const auto plane_of = [&](std::int64_t s) -> const data::SubjectPlane& {
      const auto& sample = info.samples[static_cast<std::size_t>(s)];
      return info.subjects[static_cast<std::size_t>(sample.subject)]
          .planes[static_cast<std::size_t>(sample.plane)];
    };
    std::sort(members.begin(), members.end(),
              [&](auto a, auto b) { return plane_of(a).slice_index < plane_of(b).slice_index; });
    std::vector<double> gaps;
    for (std::size_t i = 1; i < members.size(); ++i) {
      const auto& a = plane_of(members[i - 1]).plane;
      const auto& c = plane_of(members[i]).plane;
      const auto d = c.centre() - a.centre();
      gaps.push_back(std::abs(geometry::dot(d, a.normal())));
    }
    const double dz = gaps.empty() ? spacing : median(gaps);
    LabelVolume pred{static_cast<int>(members.size()), size, size, {dz, spacing, spacing}, {}};
    LabelVolume truth = pred;
    for (const auto s : members) {
      const auto& p = predicted[s];
      pred.values.insert(pred.values.end(), p.begin(), p.end());
      const auto* t = dataset.labels(s);
      truth.values.insert(truth.values.end(), t, t + pixels);
    }
    const auto scores = scoreSegmentation(pred, truth, classes, options.hd95);
    stack_dice.push_back(scores.dice);
    stack_hd.push_back(scores.hd95_mm);
    // Each stack's scores, for statistics over subjects (paired comparisons of runs).
    nlohmann::json record = {
        {"subject", info.subjects[static_cast<std::size_t>(std::get<0>(key))].id},
        {"stack", std::get<1>(key)},
        {"phase", std::get<2>(key)},
        {"slices", members.size()}};
    std::optional<double> unused;
    record["dice"] = classMeans({scores.dice}, info.label_names, &unused);
    if (options.hd95) record["hd95_mm"] = classMeans({scores.hd95_mm}, info.label_names, &unused);
    per_stack.push_back(std::move(record));
  }

  nlohmann::json out;
  std::optional<double> mean;
  out["dice_3d"] = classMeans(stack_dice, info.label_names, &mean);
  out["mean_dice_3d"] = optionalJson(mean);
  out["dice_2d"] = classMeans(image_dice, info.label_names, &mean);
  out["mean_dice_2d"] = optionalJson(mean);
  if (options.hd95) {
    out["hd95_mm_3d"] = classMeans(stack_hd, info.label_names, &mean);
    out["mean_hd95_mm_3d"] = optionalJson(mean);
    out["hd95_mm_2d"] = classMeans(image_hd, info.label_names, &mean);
    out["mean_hd95_mm_2d"] = optionalJson(mean);
  }
  out["images"] = image_dice.size();
  out["stacks"] = stack_dice.size();
  out["per_stack"] = std::move(per_stack);
  return out;
}

nlohmann::json evaluateClassification(nn::PlaneNet& net, const data::PreparedDataset& dataset,
                                      const std::vector<std::int64_t>& samples,
                                      const EvaluationOptions& options) {
  const auto& info = dataset.info();
  const auto classes = info.class_names.size();
  std::map<int, std::vector<double>> sums;  // subject -> summed probabilities
  std::map<int, int> counts;
  forEachBatch(
      net, dataset, samples, plainOptions(false, false, false, true), options,
      [&](const data::Batch& b, const nn::Outputs& out) {
        const auto probabilities =
            torch::softmax(out.classification, 1).to(torch::kCPU, torch::kFloat64).contiguous();
        const auto* p = probabilities.data_ptr<double>();
        for (std::size_t i = 0; i < b.samples.size(); ++i) {
          const int subject = info.samples[static_cast<std::size_t>(b.samples[i])].subject;
          auto& sum = sums[subject];
          sum.resize(classes, 0.0);
          for (std::size_t c = 0; c < classes; ++c) sum[c] += p[i * classes + c];
          ++counts[subject];
        }
      });
  std::vector<int> truth;
  std::vector<std::vector<double>> probabilities;
  nlohmann::json per_subject = nlohmann::json::array();
  for (auto& [subject, sum] : sums) {
    const auto& label = info.subjects[static_cast<std::size_t>(subject)].class_label;
    const auto it = std::find(info.class_names.begin(), info.class_names.end(), label);
    if (it == info.class_names.end()) continue;  // no class: not scored
    truth.push_back(static_cast<int>(it - info.class_names.begin()));
    for (auto& v : sum) v /= counts[subject];
    probabilities.push_back(sum);
    per_subject.push_back({{"subject", info.subjects[static_cast<std::size_t>(subject)].id},
                           {"truth", label},
                           {"probabilities", sum}});
  }
  const auto scores = scoreClassification(truth, probabilities, static_cast<int>(classes));
  nlohmann::json out;
  out["subjects"] = truth.size();
  out["accuracy"] = scores.accuracy;
  out["balanced_accuracy"] = scores.balanced_accuracy;
  out["auc"] = nlohmann::json::object();
  for (std::size_t c = 0; c < classes; ++c)
    out["auc"][info.class_names[c]] = optionalJson(scores.auc[c]);
  out["macro_auc"] = optionalJson(scores.macro_auc);
  out["confusion"] = scores.confusion;
  out["classes"] = info.class_names;
  out["per_subject"] = std::move(per_subject);
  return out;
}

HeatmapLine heatmapLine(const double* map, int size) {
  const auto pixels = static_cast<std::size_t>(size) * static_cast<std::size_t>(size);
  const double peak = pixels == 0 ? 0.0 : *std::max_element(map, map + pixels);
  HeatmapLine line;
  if (!(peak > 0.0)) return line;
  const double floor = 0.5 * peak;
  double w = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      const double v = map[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) +
                           static_cast<std::size_t>(x)] -
                       floor;
      if (v <= 0) continue;
      w += v;
      sx += v * x;
      sy += v * y;
      sxx += v * x * x;
      syy += v * y * y;
      sxy += v * x * y;
    }
  }
  if (!(w > 0)) return line;
  line.found = true;
  line.centre_x = sx / w;
  line.centre_y = sy / w;
  const double cxx = sxx / w - line.centre_x * line.centre_x;
  const double cyy = syy / w - line.centre_y * line.centre_y;
  const double cxy = sxy / w - line.centre_x * line.centre_y;
  line.angle_rad = 0.5 * std::atan2(2.0 * cxy, cxx - cyy);
  return line;
}

double lineAngleErrorDeg(const HeatmapLine& a, const HeatmapLine& b) {
  const double pi = std::acos(-1.0);
  double d = std::fmod(std::abs(a.angle_rad - b.angle_rad), pi);
  d = std::min(d, pi - d);
  return d * 180.0 / pi;
}

double lineOffsetPx(const HeatmapLine& a, const HeatmapLine& b) {
  // b's unit normal.
  const double nx = -std::sin(b.angle_rad), ny = std::cos(b.angle_rad);
  return std::abs((a.centre_x - b.centre_x) * nx + (a.centre_y - b.centre_y) * ny);
}

nlohmann::json evaluatePretext(nn::PlaneNet& net, const data::PreparedDataset& dataset,
                               const std::vector<std::int64_t>& samples, bool heatmaps,
                               bool location, const EvaluationOptions& options) {
  // Sums over the valid channels / samples; the constant predictor is the mean target, computed
  // on the same samples (an optimistic baseline: it knows the evaluation mean).
  // The mean-map predictor (PHANTOM.md 4.3: "mean line heatmap") predicts every image's channel c
  // as the per-pixel mean of channel c's valid targets: its MSE is the per-pixel variance.
  double heat_se = 0, heat_n = 0, heat_sum = 0, heat_sq = 0;
  torch::Tensor map_sum, map_sq, map_count;  // [C, H, W] sums over valid targets; [C] counts
  double loc_se = 0, loc_ae = 0, loc_n = 0, loc_sum = 0, loc_sq = 0;
  std::vector<double> locations;  // valid targets, for the constant predictor's MAE
  // Lines: each compared target line with its channel, and the network's errors.
  const int size = dataset.size();
  const double spacing_mm = dataset.info().plan.grid.spacing_mm;
  std::vector<std::pair<std::int64_t, HeatmapLine>> target_lines;
  double angle_sum = 0, offset_sum = 0;
  forEachBatch(
      net, dataset, samples, plainOptions(heatmaps, location, false, false), options,
      [&](const data::Batch& b, const nn::Outputs& out) {
        if (heatmaps) {
          const auto pred = out.heatmaps.to(torch::kCPU, torch::kFloat64);
          const auto target = b.heatmaps.to(torch::kFloat64);
          const auto valid = b.heatmap_valid.to(torch::kFloat64).unsqueeze(2).unsqueeze(3);
          const double pixels = static_cast<double>(target.size(2) * target.size(3));
          heat_se += ((pred - target).pow(2) * valid).sum().item<double>();
          heat_sum += (target * valid).sum().item<double>();
          heat_sq += (target.pow(2) * valid).sum().item<double>();
          heat_n += b.heatmap_valid.sum().item<double>() * pixels;
          const auto valid_targets = target * valid;
          if (!map_sum.defined()) {
            map_sum = torch::zeros_like(valid_targets[0]);
            map_sq = torch::zeros_like(valid_targets[0]);
            map_count = torch::zeros({target.size(1)}, torch::kFloat64);
          }
          map_sum += valid_targets.sum(0);
          map_sq += valid_targets.pow(2).sum(0);
          map_count += b.heatmap_valid.to(torch::kFloat64).sum(0);
          const auto p = pred.contiguous();
          const auto t = target.contiguous();
          const auto v = b.heatmap_valid.to(torch::kFloat64).contiguous();
          const auto channels = target.size(1);
          // Lines are read on the dataset's square grid, which the network keeps.
          if (pred.sizes() != target.sizes() || target.size(2) != size || target.size(3) != size)
            throw std::runtime_error("[shape_mismatch] heatmaps are not " + std::to_string(size) +
                                     " x " + std::to_string(size) + " as the dataset");
          const auto area = static_cast<std::size_t>(size) * static_cast<std::size_t>(size);
          for (std::int64_t i = 0; i < target.size(0); ++i) {
            for (std::int64_t c = 0; c < channels; ++c) {
              const auto k = static_cast<std::size_t>(i * channels + c);
              if (v.data_ptr<double>()[k] <= 0) continue;
              const double* tm = t.data_ptr<double>() + k * area;
              if (*std::max_element(tm, tm + area) < 0.5) continue;  // no line in crop
              const HeatmapLine truth = heatmapLine(tm, size);
              const HeatmapLine guess = heatmapLine(p.data_ptr<double>() + k * area, size);
              angle_sum += guess.found ? lineAngleErrorDeg(guess, truth) : 90.0;
              offset_sum += guess.found ? lineOffsetPx(guess, truth) : size / 2.0;
              target_lines.emplace_back(c, truth);
            }
          }
        }
        if (location) {
          const auto pred = out.location.to(torch::kCPU, torch::kFloat64);
          const auto target = b.location.to(torch::kFloat64);
          const auto valid = b.location_valid.to(torch::kFloat64);
          loc_se += ((pred - target).pow(2) * valid).sum().item<double>();
          loc_ae += ((pred - target).abs() * valid).sum().item<double>();
          loc_sum += (target * valid).sum().item<double>();
          loc_sq += (target.pow(2) * valid).sum().item<double>();
          loc_n += valid.sum().item<double>();
          const auto t = target.contiguous();
          const auto v = valid.contiguous();
          for (std::int64_t i = 0; i < t.numel(); ++i)
            if (v.data_ptr<double>()[i] > 0) locations.push_back(t.data_ptr<double>()[i]);
        }
      });
  nlohmann::json out;
  out["samples"] = samples.size();
  if (heatmaps && heat_n > 0) {
    out["heatmap_mse"] = heat_se / heat_n;
    const double mean = heat_sum / heat_n;
    out["constant_heatmap_mse"] = heat_sq / heat_n - mean * mean;  // variance of the target
    const auto n = map_count.clamp_min(1.0).view({-1, 1, 1});
    const double map_se = (map_sq - map_sum.pow(2) / n).sum().item<double>();
    out["mean_map_heatmap_mse"] = map_se / heat_n;
  }
  if (heatmaps && !target_lines.empty()) {
    const auto n = static_cast<double>(target_lines.size());
    out["heatmap_lines"] = target_lines.size();
    out["heatmap_angle_error_deg"] = angle_sum / n;
    out["heatmap_offset_mm"] = offset_sum / n * spacing_mm;
    // The mean map of each channel as the prediction for every image.
    const auto mean_maps = (map_sum / map_count.clamp_min(1.0).view({-1, 1, 1})).contiguous();
    const auto area = static_cast<std::size_t>(size) * static_cast<std::size_t>(size);
    std::vector<HeatmapLine> mean_lines;
    for (std::int64_t c = 0; c < mean_maps.size(0); ++c)
      mean_lines.push_back(
          heatmapLine(mean_maps.data_ptr<double>() + static_cast<std::size_t>(c) * area, size));
    double mean_angle = 0, mean_offset = 0;
    for (const auto& [c, truth] : target_lines) {
      const HeatmapLine& guess = mean_lines[static_cast<std::size_t>(c)];
      mean_angle += guess.found ? lineAngleErrorDeg(guess, truth) : 90.0;
      mean_offset += guess.found ? lineOffsetPx(guess, truth) : size / 2.0;
    }
    out["mean_map_angle_error_deg"] = mean_angle / n;
    out["mean_map_offset_mm"] = mean_offset / n * spacing_mm;
  }
  if (location && loc_n > 0) {
    out["location_mse"] = loc_se / loc_n;
    out["location_mae"] = loc_ae / loc_n;
    const double mean = loc_sum / loc_n;
    out["constant_location_mse"] = loc_sq / loc_n - mean * mean;
    double constant_ae = 0;
    for (const double t : locations) constant_ae += std::abs(t - mean);
    out["constant_location_mae"] = constant_ae / loc_n;
  }
  return out;
}

}  // namespace planelab::train
