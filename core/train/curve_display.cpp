#include "train/curve_display.h"

#include <algorithm>
#include <cmath>

namespace planelab::train {
namespace {
// Largest smoothing weight: at 1 the average would never move from its first value.
constexpr double kMaxSmoothing = 0.999;
}  // namespace

ExponentialSmoothing::ExponentialSmoothing(double weight)
    : weight_(std::clamp(weight, 0.0, kMaxSmoothing)) {}

double ExponentialSmoothing::next(double value) {
  if (!std::isfinite(value)) return value;  // shown as it is; it does not enter the average
  average_ = weight_ * average_ + (1.0 - weight_) * value;
  weight_power_ *= weight_;
  return average_ / (1.0 - weight_power_);
}

std::vector<double> smoothExponential(const std::vector<double>& values, double weight) {
  ExponentialSmoothing smoothing(weight);
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values) out.push_back(smoothing.next(v));
  return out;
}

CurveDisplay::CurveDisplay(CurveStyle style) : style_(style), smoothing_(style.smoothing) {
  style_.max_points = std::max<std::size_t>(style_.max_points, 2);
}

bool CurveDisplay::keeps(double y) const {
  return std::isfinite(y) && (!style_.log_y || y > 0.0);
}

void CurveDisplay::push(CurvePoint smoothed) {
  if (bucket_count_ == 0) {
    bucket_sum_ = {};
    changed_from_ = std::min(changed_from_, points_.size());
    points_.push_back(smoothed);
  } else {
    changed_from_ = std::min(changed_from_, points_.size() - 1);
  }
  bucket_sum_.x += smoothed.x;
  bucket_sum_.y += smoothed.y;
  ++bucket_count_;
  const auto n = static_cast<double>(bucket_count_);
  points_.back() = {bucket_sum_.x / n, bucket_sum_.y / n};
  if (bucket_count_ == stride_) bucket_count_ = 0;
}

void CurveDisplay::add(CurvePoint raw) {
  raw_.push_back(raw);
  if (!keeps(raw.y)) return;
  push({raw.x, smoothing_.next(raw.y)});
  if (points_.size() > style_.max_points) rebuild();
}

void CurveDisplay::setStyle(const CurveStyle& style) {
  style_ = style;
  style_.max_points = std::max<std::size_t>(style_.max_points, 2);
  rebuild();
}

void CurveDisplay::dropAfter(double x) {
  raw_.erase(std::remove_if(raw_.begin(), raw_.end(), [x](const CurvePoint& p) { return p.x > x; }),
             raw_.end());
  rebuild();
}

void CurveDisplay::rebuild() {
  const auto kept = static_cast<std::size_t>(
      std::count_if(raw_.begin(), raw_.end(), [this](const CurvePoint& p) { return keeps(p.y); }));
  // The smallest power-of-two bucket that fits the kept points into max_points.
  stride_ = 1;
  while ((kept + stride_ - 1) / stride_ > style_.max_points) stride_ *= 2;
  points_.clear();
  points_.reserve(std::min(kept, style_.max_points));
  bucket_count_ = 0;
  smoothing_ = ExponentialSmoothing(style_.smoothing);
  for (const auto& p : raw_)
    if (keeps(p.y)) push({p.x, smoothing_.next(p.y)});
  changed_from_ = 0;
}

std::size_t CurveDisplay::takeChangedFrom() {
  const std::size_t from = std::min(changed_from_, points_.size());
  changed_from_ = points_.size();
  return from;
}

}  // namespace planelab::train
