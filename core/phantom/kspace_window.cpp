#include "phantom/kspace_window.h"

#include <algorithm>
#include <cmath>

#include "geometry/vec3.h"

namespace planelab::phantom {

std::vector<double> kspaceTruncationKernel(int n, double fraction) {
  std::vector<double> h(static_cast<std::size_t>(n), 0.0);
  const int m = static_cast<int>(std::floor(fraction * n / 2.0));
  if (fraction >= 1.0 || m >= n / 2) {
    h[0] = 1.0;
    return h;
  }
  // Fermi filter: transition width 2 % of n around the cut-off, as scanners apply to limit
  // ringing.
  const double width = std::max(0.5, 0.02 * n);
  std::vector<double> w(static_cast<std::size_t>(m + 1));
  for (int k = 0; k <= m; ++k) {
    w[static_cast<std::size_t>(k)] = 1.0 / (1.0 + std::exp((k - (m - 2.0 * width)) / width));
  }
  // h[d] = (1/n) sum_{k=-m..m} w_|k| cos(2 pi k d / n) / w_0: unit gain at DC, so the mean
  // intensity is preserved.
  for (int d = 0; d < n; ++d) {
    double sum = w[0];
    for (int k = 1; k <= m; ++k) {
      sum += 2.0 * w[static_cast<std::size_t>(k)] * std::cos(2.0 * geometry::kPi * k * d / n);
    }
    h[static_cast<std::size_t>(d)] = sum / (n * w[0]);
  }
  return h;
}

void convolveLines(std::vector<double>& data, int n, int count, int line_stride, int element_stride,
                   const std::vector<double>& kernel) {
  if (kernel[0] == 1.0) {
    bool identity = true;
    for (std::size_t d = 1; d < kernel.size() && identity; ++d) identity = kernel[d] == 0.0;
    if (identity) return;
  }
  std::vector<double> line(static_cast<std::size_t>(3 * n));
  std::vector<double> out(static_cast<std::size_t>(n));
  for (int l = 0; l < count; ++l) {
    const std::size_t base = static_cast<std::size_t>(l) * line_stride;
    for (int j = 0; j < n; ++j) {
      const double v = data[base + static_cast<std::size_t>(j) * element_stride];
      // Tripled line: circular indexing without modulo for offsets in [-n, n].
      line[static_cast<std::size_t>(j)] = v;
      line[static_cast<std::size_t>(j + n)] = v;
      line[static_cast<std::size_t>(j + 2 * n)] = v;
    }
    for (int i = 0; i < n; ++i) {
      // out[i] = sum_d h[d] x[(i - d) mod n]; the kernel is symmetric (h[n - d] = h[d]), so
      // pairs of taps share one multiplication.
      const double* x = &line[static_cast<std::size_t>(i + n)];
      double acc = kernel[0] * x[0];
      for (int d = 1; d < (n + 1) / 2; ++d)
        acc += kernel[static_cast<std::size_t>(d)] * (x[-d] + x[d]);
      if (n % 2 == 0) acc += kernel[static_cast<std::size_t>(n / 2)] * x[n / 2];
      out[static_cast<std::size_t>(i)] = acc;
    }
    for (int j = 0; j < n; ++j)
      data[base + static_cast<std::size_t>(j) * element_stride] = out[static_cast<std::size_t>(j)];
  }
}

}  // namespace planelab::phantom
