// What a training curve chart draws for one series: the raw points (x in epochs, y a loss or a
// metric) smoothed with TensorBoard's exponential moving average, filtered for a log axis, and
// decimated to a bounded number of points so that a long run stays cheap to draw. Kept
// incremental: adding a live point changes at most the last displayed point or appends one, so a
// chart follows a run with one or two point updates per event.
#pragma once

#include <cstddef>
#include <vector>

namespace planelab::train {

struct CurvePoint {
  double x = 0.0;  // epochs (1.0 = end of the first epoch)
  double y = 0.0;
};

// Exponential moving average as TensorBoard draws it: a_i = w·a_{i-1} + (1 − w)·v_i from a = 0,
// shown as a_i / (1 − w^(i+1)) so that the first points are not pulled towards 0. weight w in
// [0, 1) (clamped); 0 gives the raw values.
class ExponentialSmoothing {
 public:
  explicit ExponentialSmoothing(double weight);
  double next(double value);

 private:
  double weight_;
  double average_ = 0.0;
  double weight_power_ = 1.0;  // w^i: the debiasing factor's running power
};

// The whole series at once (what ExponentialSmoothing gives point by point).
std::vector<double> smoothExponential(const std::vector<double>& values, double weight);

struct CurveStyle {
  double smoothing = 0.0;  // ExponentialSmoothing weight
  bool log_y = false;  // a logarithmic axis: values ≤ 0 are left out (they have no place on it)
  // Beyond this many displayed points, consecutive points are averaged in buckets of 2, 4, 8, ...
  std::size_t max_points = 2000;
};

class CurveDisplay {
 public:
  explicit CurveDisplay(CurveStyle style = {});

  // A new raw point; x must not decrease (a resumed run first drops what it replays: dropAfter).
  void add(CurvePoint raw);
  // Recomputes the displayed points from the raw ones (raw points are never lost).
  void setStyle(const CurveStyle& style);
  // Removes the raw points with x > `x` (what a resumed run will produce again).
  void dropAfter(double x);

  const std::vector<CurvePoint>& raw() const { return raw_; }
  const CurveStyle& style() const { return style_; }
  // Smoothed, filtered and decimated. With decimation the last point is the mean of the bucket
  // being filled, so it moves while the bucket fills.
  const std::vector<CurvePoint>& points() const { return points_; }
  // Raw points per displayed point (1 = not decimated).
  std::size_t stride() const { return stride_; }
  // The index from which points() differs from what the previous call saw (points before it are
  // unchanged; points().size() when nothing changed): a chart replaces its points from there on.
  std::size_t takeChangedFrom();

 private:
  void rebuild();
  bool keeps(double y) const;
  void push(CurvePoint smoothed);

  CurveStyle style_;
  std::vector<CurvePoint> raw_;
  std::vector<CurvePoint> points_;
  ExponentialSmoothing smoothing_;
  std::size_t stride_ = 1;
  CurvePoint bucket_sum_;
  std::size_t bucket_count_ = 0;  // points in the last displayed (partial) bucket; 0 = complete
  std::size_t changed_from_ = 0;
};

}  // namespace planelab::train
