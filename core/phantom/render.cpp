#include "phantom/render.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "phantom/appearance.h"
#include "phantom/kspace_window.h"
#include "phantom/rng.h"

namespace planelab::phantom {

using geometry::Vec3;

RenderSettings RenderSettings::fast() {
  RenderSettings s;
  s.supersample = 1;
  s.slice_samples = 3;
  return s;
}

RenderSettings RenderSettings::quality() {
  RenderSettings s;
  s.supersample = 2;
  s.slice_samples = 7;
  return s;
}

namespace {

constexpr std::uint64_t kNoiseTag = 0x4E4F495345ULL;  // "NOISE"
constexpr int kBiasStep = 8;                          // pixels between exact bias-field evaluations

// Texture noise along one image row: sum of the appearance's plane waves, 0.35 * sum cos(k.x + p)
// (roughly [-1, 1]), evaluated at the pixel centres x = start + j * step by rotating each wave's
// phasor instead of calling cos per pixel.
void textureRow(const Appearance& ap, const Vec3& start, const Vec3& step, int cols,
                std::vector<double>& out) {
  out.assign(static_cast<std::size_t>(cols), 0.0);
  for (std::size_t w = 0; w < ap.texture_wave_vectors.size(); ++w) {
    const Vec3& k = ap.texture_wave_vectors[w];
    const double a = geometry::dot(k, start) + ap.texture_phases[w];
    const double b = geometry::dot(k, step);
    double re = std::cos(a), im = std::sin(a);
    const double cb = std::cos(b), sb = std::sin(b);
    for (int j = 0; j < cols; ++j) {
      out[static_cast<std::size_t>(j)] += 0.35 * re;
      const double next_re = re * cb - im * sb;
      im = re * sb + im * cb;
      re = next_re;
    }
  }
}

bool anyTexture(const Appearance& ap) {
  return std::any_of(ap.texture_amplitude.begin(), ap.texture_amplitude.end(),
                     [](double a) { return a != 0.0; });
}

struct SampleResult {
  double signal;
  std::uint8_t label;
};

SampleResult sampleAt(const PhantomStudy& study, const AnatomySnapshot& snap, const Vec3& x,
                      const Vec3& shift, double texture) {
  const Appearance& ap = study.appearance;
  const TissueSample t = snap.eval(x, shift);
  for (const Marker& m : study.markers) {
    const Vec3 d = x - m.centre_mm;
    if (geometry::dot(d, d) < m.radius_mm * m.radius_mm) {
      return {ap.signal[static_cast<std::size_t>(m.tissue)], t.label};
    }
  }
  const auto tissue_signal = [&](Tissue tissue) {
    const auto k = static_cast<std::size_t>(tissue);
    return ap.signal[k] * (1.0 + ap.texture_amplitude[k] * texture);
  };
  double s = tissue_signal(t.tissue);
  if (t.mix < 1.0f) s = t.mix * s + (1.0 - t.mix) * tissue_signal(t.mixed_with);
  return {s, t.label};
}

}  // namespace

RenderedImage renderImage(const PhantomStudy& study, int series_index, int slice_index, int phase,
                          const RenderSettings& settings) {
  const SeriesPlan& series = study.series.at(static_cast<std::size_t>(series_index));
  const SlicePlan& slice = series.slices.at(static_cast<std::size_t>(slice_index));
  const geometry::ImagePlane& plane = slice.plane;
  const double t_ms =
      series.gated ? series.trigger_times_ms.at(static_cast<std::size_t>(phase)) : 0.0;
  const auto snap = study.anatomy->at(t_ms);
  const Appearance& ap = study.appearance;

  const int rows = plane.rows;
  const int cols = plane.cols;
  const auto npix = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  RenderedImage out;
  out.rows = rows;
  out.cols = cols;
  if (settings.labels) out.labels.assign(npix, 0);

  // Slice profile: K samples over [-0.75 tau, 0.75 tau] with a smooth flat-top weight.
  const int s = std::max(1, settings.supersample);
  int k_samples = std::max(1, settings.slice_samples);
  if (k_samples % 2 == 0) ++k_samples;  // odd, so the central plane (u = 0) is sampled
  const double tau = series.slice_thickness_mm > 0.0 ? series.slice_thickness_mm : 1.0;
  std::vector<double> u(static_cast<std::size_t>(k_samples), 0.0);
  std::vector<double> w(static_cast<std::size_t>(k_samples), 1.0);
  double w_sum = 0.0;
  for (int k = 0; k < k_samples; ++k) {
    const auto kk = static_cast<std::size_t>(k);
    u[kk] = k_samples == 1 ? 0.0 : -0.75 * tau + 1.5 * tau * k / (k_samples - 1);
    w[kk] = 1.0 / (1.0 + std::exp((std::abs(u[kk]) - 0.5 * tau) / (0.1 * tau)));
    w_sum += w[kk];
  }
  for (double& v : w) v /= (w_sum * s * s);
  const int centre_k = k_samples / 2;

  const Vec3 n = plane.normal();
  const Vec3& shift = slice.breath_hold_shift_mm;
  const bool textured = anyTexture(ap);
  std::vector<double> image(npix, 0.0);
  std::array<int, 256> votes{};
  std::vector<double> texture_row(static_cast<std::size_t>(cols), 0.0);
  const Vec3 column_step = plane.row_dir * plane.col_spacing_mm;
  for (int i = 0; i < rows; ++i) {
    // Texture moves with the organs: evaluated at x - shift.
    if (textured) textureRow(ap, plane.toPatient(i, 0) - shift, column_step, cols, texture_row);
    for (int j = 0; j < cols; ++j) {
      const Vec3 centre = plane.toPatient(i, j);
      const double texture = texture_row[static_cast<std::size_t>(j)];
      double acc = 0.0;
      std::uint8_t first_label = 0;
      int distinct = 0;
      std::uint8_t seen[8];
      for (int qi = 0; qi < s; ++qi) {
        for (int qj = 0; qj < s; ++qj) {
          const double di = (qi + 0.5) / s - 0.5;
          const double dj = (qj + 0.5) / s - 0.5;
          const Vec3 base = plane.toPatient(i + di, j + dj);
          for (int k = 0; k < k_samples; ++k) {
            const auto kk = static_cast<std::size_t>(k);
            const SampleResult r = sampleAt(study, *snap, base + n * u[kk], shift, texture);
            acc += w[kk] * r.signal;
            if (k == centre_k && settings.labels) {
              if (votes[r.label]++ == 0 && distinct < 8) seen[distinct++] = r.label;
              if (qi == 0 && qj == 0) first_label = r.label;
            }
          }
        }
      }
      const auto p = static_cast<std::size_t>(i) * cols + static_cast<std::size_t>(j);
      image[p] = acc;
      if (settings.labels) {
        // Majority of the s x s central-plane samples; the pixel centre breaks ties.
        std::uint8_t best = first_label;
        int best_votes = -1;
        bool tie = false;
        for (int d = 0; d < distinct; ++d) {
          const int v = votes[seen[d]];
          if (v > best_votes) {
            best_votes = v;
            best = seen[d];
            tie = false;
          } else if (v == best_votes) {
            tie = true;
          }
        }
        if (tie) best = snap->eval(centre, shift).label;
        out.labels[p] = best;
        for (int d = 0; d < distinct; ++d) votes[seen[d]] = 0;
      }
    }
  }

  // Coil/bias shading: smooth on a 250 mm scale, so evaluated every kBiasStep pixels and
  // interpolated bilinearly (exact at the grid nodes).
  {
    const int gr = (rows - 1) / kBiasStep + 2;
    const int gc = (cols - 1) / kBiasStep + 2;
    std::vector<double> grid(static_cast<std::size_t>(gr * gc));
    for (int a = 0; a < gr; ++a) {
      for (int b = 0; b < gc; ++b) {
        grid[static_cast<std::size_t>(a * gc + b)] =
            biasField(ap, plane.toPatient(a * kBiasStep, b * kBiasStep));
      }
    }
    for (int i = 0; i < rows; ++i) {
      const int a = i / kBiasStep;
      const double ta = static_cast<double>(i - a * kBiasStep) / kBiasStep;
      for (int j = 0; j < cols; ++j) {
        const int b = j / kBiasStep;
        const double tb = static_cast<double>(j - b * kBiasStep) / kBiasStep;
        const auto at = [&](int r, int c) { return grid[static_cast<std::size_t>(r * gc + c)]; };
        const double v = (1 - ta) * ((1 - tb) * at(a, b) + tb * at(a, b + 1)) +
                         ta * ((1 - tb) * at(a + 1, b) + tb * at(a + 1, b + 1));
        image[static_cast<std::size_t>(i) * cols + static_cast<std::size_t>(j)] *= v;
      }
    }
  }

  // k-space truncation: phase fraction along the phase-encoding axis, readout along the other.
  if (settings.kspace_truncation) {
    const double col_fraction =
        series.phase_encoding_along_rows ? series.phase_fraction : series.readout_fraction;
    const double row_fraction =
        series.phase_encoding_along_rows ? series.readout_fraction : series.phase_fraction;
    // Along a row (varying column index): `rows` lines of length cols, stride 1.
    convolveLines(image, cols, rows, cols, 1, kspaceTruncationKernel(cols, col_fraction));
    // Down a column (varying row index): `cols` lines of length rows, stride cols.
    convolveLines(image, rows, cols, 1, cols, kspaceTruncationKernel(rows, row_fraction));
  }

  // Complex Gaussian noise -> Rician magnitude, then quantisation.
  const int max_value = (1 << ap.bits_stored) - 1;
  Rng noise = Rng::derive(
      study.seed,
      {kNoiseTag, static_cast<std::uint64_t>(study.organ == Organ::kHeart ? 1 : 2),
       static_cast<std::uint64_t>(study.subject_index), static_cast<std::uint64_t>(series_index),
       static_cast<std::uint64_t>(slice_index), static_cast<std::uint64_t>(phase)});
  const bool add_noise = settings.noise && ap.noise_sigma > 0.0;
  out.pixels.resize(npix);
  for (std::size_t p = 0; p < npix; ++p) {
    double m = image[p];
    if (add_noise) {
      const auto [n_re, n_im] = noise.normalPair(ap.noise_sigma);
      const double re = m + n_re;
      m = std::sqrt(re * re + n_im * n_im);
    } else {
      m = std::abs(m);
    }
    const double v = std::round(m * ap.gain);
    out.pixels[p] = static_cast<std::uint16_t>(std::clamp(v, 0.0, static_cast<double>(max_value)));
  }

  // Window from the 1st and 99.5th percentiles of the stored values.
  std::vector<std::uint16_t> sorted = out.pixels;
  const auto lo_it =
      sorted.begin() + static_cast<std::ptrdiff_t>(static_cast<double>(npix - 1) * 0.01);
  std::nth_element(sorted.begin(), lo_it, sorted.end());
  const double lo = *lo_it;
  const auto hi_it =
      sorted.begin() + static_cast<std::ptrdiff_t>(static_cast<double>(npix - 1) * 0.995);
  std::nth_element(sorted.begin(), hi_it, sorted.end());
  const double hi = *hi_it;
  out.window_center = std::round(0.5 * (lo + hi));
  out.window_width = std::max(1.0, std::round(hi - lo));
  return out;
}

}  // namespace planelab::phantom
