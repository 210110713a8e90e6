#include "train/genesis.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace planelab::train {
namespace {

// SplitMix64: small, fast, and the same on every platform (std distributions are not).
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  int integer(int lo, int hi) {                                               // [lo, hi]
    return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }

 private:
  std::uint64_t state_;
};

// Monotone-in-x cubic Bezier through (0,0), p1, p2, (1,1), tabulated and inverted by linear
// interpolation on x (the curve's x(t) is increasing for control points inside the unit square
// only approximately, so the table is sorted by x first).
void nonlinear(std::vector<float>& x, Random& rng) {
  const double p1x = rng.uniform(), p1y = rng.uniform(), p2x = rng.uniform(), p2y = rng.uniform();
  constexpr int kSteps = 1000;
  std::vector<std::pair<double, double>> table(kSteps + 1);
  for (int i = 0; i <= kSteps; ++i) {
    const double t = static_cast<double>(i) / kSteps, u = 1.0 - t;
    const double bx = 3 * u * u * t * p1x + 3 * u * t * t * p2x + t * t * t;
    const double by = 3 * u * u * t * p1y + 3 * u * t * t * p2y + t * t * t;
    table[static_cast<std::size_t>(i)] = {bx, by};
  }
  std::sort(table.begin(), table.end());
  const bool mirror = rng.uniform() < 0.5;
  for (auto& v : x) {
    const double in = std::clamp(static_cast<double>(v), 0.0, 1.0);
    auto it = std::lower_bound(table.begin(), table.end(), std::make_pair(in, -1.0));
    double out;
    if (it == table.begin()) {
      out = it->second;
    } else if (it == table.end()) {
      out = table.back().second;
    } else {
      const auto& hi = *it;
      const auto& lo = *(it - 1);
      const double span = hi.first - lo.first;
      out = span > 0 ? lo.second + (hi.second - lo.second) * (in - lo.first) / span : hi.second;
    }
    v = static_cast<float>(mirror ? 1.0 - out : out);
  }
}

void localShuffle(std::vector<float>& x, int rows, int cols, int blocks, Random& rng) {
  const std::vector<float> original = x;
  std::vector<float> block;
  for (int b = 0; b < blocks; ++b) {
    const int h = rng.integer(1, std::max(1, rows / 10)),
              w = rng.integer(1, std::max(1, cols / 10));
    const int r0 = rng.integer(0, rows - h), c0 = rng.integer(0, cols - w);
    block.clear();
    for (int r = 0; r < h; ++r)
      for (int c = 0; c < w; ++c)
        block.push_back(original[static_cast<std::size_t>((r0 + r) * cols + c0 + c)]);
    // Fisher-Yates with the own generator.
    for (std::size_t i = block.size(); i > 1; --i)
      std::swap(block[i - 1], block[static_cast<std::size_t>(rng.next() % i)]);
    std::size_t k = 0;
    for (int r = 0; r < h; ++r)
      for (int c = 0; c < w; ++c)
        x[static_cast<std::size_t>((r0 + r) * cols + c0 + c)] = block[k++];
  }
}

void inPaint(std::vector<float>& x, int rows, int cols, Random& rng) {
  int boxes = 5;
  while (boxes-- > 0 && rng.uniform() < 0.95) {
    const int h = rng.integer(rows / 6, rows / 3), w = rng.integer(cols / 6, cols / 3);
    const int r0 = rng.integer(3, std::max(3, rows - h - 3)),
              c0 = rng.integer(3, std::max(3, cols - w - 3));
    for (int r = r0; r < std::min(rows, r0 + h); ++r)
      for (int c = c0; c < std::min(cols, c0 + w); ++c)
        x[static_cast<std::size_t>(r * cols + c)] = static_cast<float>(rng.uniform());
  }
}

void outPaint(std::vector<float>& x, int rows, int cols, Random& rng) {
  const std::vector<float> original = x;
  for (auto& v : x) v = static_cast<float>(rng.uniform());
  int boxes = 5;
  bool first = true;
  while (boxes-- > 0 && (first || rng.uniform() < 0.95)) {
    first = false;
    const int h = rng.integer(3 * rows / 7, 4 * rows / 7),
              w = rng.integer(3 * cols / 7, 4 * cols / 7);
    const int r0 = rng.integer(3, std::max(3, rows - h - 3)),
              c0 = rng.integer(3, std::max(3, cols - w - 3));
    for (int r = r0; r < std::min(rows, r0 + h); ++r)
      for (int c = c0; c < std::min(cols, c0 + w); ++c) {
        const auto i = static_cast<std::size_t>(r * cols + c);
        x[i] = original[i];
      }
  }
}

}  // namespace

torch::Tensor genesisDistort(const torch::Tensor& images, std::uint64_t seed,
                             const GenesisOptions& options) {
  auto out = images.detach().to(torch::kCPU, torch::kFloat32).contiguous().clone();
  const auto batch = out.size(0);
  const auto rows = static_cast<int>(out.size(2)), cols = static_cast<int>(out.size(3));
  const auto n = static_cast<std::size_t>(rows) * cols;
  float* data = out.data_ptr<float>();
  for (std::int64_t b = 0; b < batch; ++b) {
    Random rng(seed ^ (0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(b + 1)));
    float* image = data + static_cast<std::size_t>(b) * n * static_cast<std::size_t>(out.size(1));
    const auto [lo_it, hi_it] = std::minmax_element(image, image + n);
    const float lo = *lo_it, span = std::max(*hi_it - *lo_it, 1e-6f);
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = (image[i] - lo) / span;
    if (rng.uniform() < options.local_shuffle_rate)
      localShuffle(x, rows, cols, options.shuffle_blocks, rng);
    if (rng.uniform() < options.nonlinear_rate) nonlinear(x, rng);
    if (rng.uniform() < options.paint_rate) {
      if (rng.uniform() < options.inpaint_rate)
        inPaint(x, rows, cols, rng);
      else
        outPaint(x, rows, cols, rng);
    }
    for (std::size_t i = 0; i < n; ++i) image[i] = lo + x[i] * span;
  }
  return out.to(images.device());
}

}  // namespace planelab::train
