#include "phantom/render.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "geometry/intersection.h"
#include "phantom/appearance.h"
#include "phantom/cardiac_anatomy.h"
#include "phantom/cardiac_study.h"

namespace planelab::phantom {
namespace {

using geometry::ImagePlane;
using geometry::Vec3;

StudyOptions options(Level level, Layout layout) {
  StudyOptions o;
  o.level = level;
  o.knobs = knobsForLevel(level);
  o.layout = layout;
  o.phases = 4;
  return o;
}

std::uint8_t labelNearest(const RenderedImage& im, const ImagePlane& plane, const Vec3& x,
                          bool& inside) {
  const auto p = plane.toPixel(x).pixel;
  const long i = std::lround(p.row);
  const long j = std::lround(p.col);
  inside = i >= 0 && j >= 0 && i < im.rows && j < im.cols;
  return inside ? im.labels[static_cast<std::size_t>(i * im.cols + j)] : 0;
}

TEST(Render, SameInputsGiveIdenticalPixelsInAnyOrder) {
  const PhantomStudy s = generateCardiacStudy(21, 0, options(Level::kL2, Layout::kDsb));
  const auto settings = RenderSettings::fast();
  const RenderedImage first = renderImage(s, 2, 0, 1, settings);
  const RenderedImage other = renderImage(s, 3, 0, 0, settings);
  const RenderedImage again = renderImage(s, 2, 0, 1, settings);
  EXPECT_EQ(first.pixels, again.pixels);
  EXPECT_EQ(first.labels, again.labels);
  EXPECT_NE(first.pixels, other.pixels);
}

TEST(Render, NoiseFreeContrastMatchesBssfpTargets) {
  const PhantomStudy s = generateCardiacStudy(22, 0, options(Level::kL0, Layout::kDsb));
  // Blood/myocardium from interior pixels of a mid-ventricular SAX image (no partial volume).
  const RenderedImage im = renderImage(s, 5, 0, 0, RenderSettings::quality());
  double blood = 0, myo = 0;
  int nb = 0, nm = 0;
  for (int i = 1; i + 1 < im.rows; ++i) {
    for (int j = 1; j + 1 < im.cols; ++j) {
      const auto p = static_cast<std::size_t>(i * im.cols + j);
      const auto l = im.labels[p];
      bool interior = true;
      for (int di = -1; di <= 1; ++di) {
        for (int dj = -1; dj <= 1; ++dj) {
          interior =
              interior && im.labels[static_cast<std::size_t>((i + di) * im.cols + j + dj)] == l;
        }
      }
      if (!interior) continue;
      if (l == kLabelLvCavity) {
        blood += im.pixels[p];
        ++nb;
      } else if (l == kLabelLvMyocardium) {
        myo += im.pixels[p];
        ++nm;
      }
    }
  }
  ASSERT_GT(nb, 50);
  ASSERT_GT(nm, 50);
  const double ratio = (blood / nb) / (myo / nm);
  EXPECT_GT(ratio, 2.5);
  EXPECT_LT(ratio, 4.0);
  const auto& sig = s.appearance.signal;
  const double m = sig[static_cast<std::size_t>(Tissue::kMyocardium)];
  EXPECT_GT(sig[static_cast<std::size_t>(Tissue::kFat)] / m, 2.5);
  EXPECT_LT(sig[static_cast<std::size_t>(Tissue::kLung)] / m, 0.2);
}

TEST(Render, LabelsAgreeAlongEveryShortAxisLongAxisIntersection) {
  auto opt = options(Level::kL2, Layout::kUkb);
  opt.breath_hold_shifts = false;
  RenderSettings settings = RenderSettings::fast();
  settings.noise = false;
  long agree = 0, total = 0, fg_agree = 0, fg_total = 0;
  for (int subject = 0; subject < 2; ++subject) {
    const PhantomStudy s = generateCardiacStudy(23, subject, opt);
    std::vector<RenderedImage> images;
    for (int k = 0; k < static_cast<int>(s.series.size()); ++k) {
      images.push_back(renderImage(s, k, 0, 0, settings));
    }
    for (std::size_t a = 0; a < s.series.size(); ++a) {
      if (s.series[a].view != "sax") continue;
      for (std::size_t b = 0; b < s.series.size(); ++b) {
        if (s.series[b].view == "sax") continue;
        const ImagePlane& pa = s.series[a].slices[0].plane;
        const ImagePlane& pb = s.series[b].slices[0].plane;
        const auto line = geometry::intersectPlanes(pa, pb);
        ASSERT_TRUE(line.has_value());
        for (double t = -150.0; t <= 150.0; t += 1.0) {
          const Vec3 x = line->point_mm + line->direction * t;
          bool in_a = false, in_b = false;
          const auto la = labelNearest(images[a], pa, x, in_a);
          const auto lb = labelNearest(images[b], pb, x, in_b);
          if (!in_a || !in_b) continue;
          ++total;
          agree += la == lb;
          if (la != 0 || lb != 0) {
            ++fg_total;
            fg_agree += la == lb;
          }
        }
      }
    }
  }
  ASSERT_GT(fg_total, 200);
  const double all = static_cast<double>(agree) / static_cast<double>(total);
  const double fg = static_cast<double>(fg_agree) / static_cast<double>(fg_total);
  RecordProperty("agreement_all", std::to_string(all));
  RecordProperty("agreement_foreground", std::to_string(fg));
  EXPECT_GE(all, 0.95);
  EXPECT_GE(fg, 0.95);
}

// True when every marker expected in the image is bright at its header-predicted pixel (+-1 px).
bool markersWhereHeaderSays(const PhantomStudy& s, const ImagePlane& plane,
                            const SeriesPlan& series, const std::vector<std::uint16_t>& pixels,
                            int rows, int cols, int& checked) {
  const double threshold = 1.3 * kMarkerModeTissueLevel;
  bool ok = true;
  for (const Marker& m : s.markers) {
    const auto proj = plane.toPixel(m.centre_mm);
    if (std::abs(proj.out_of_plane_mm) > 0.25 * series.slice_thickness_mm) continue;
    const long i0 = std::lround(proj.pixel.row);
    const long j0 = std::lround(proj.pixel.col);
    if (i0 < 1 || j0 < 1 || i0 >= rows - 1 || j0 >= cols - 1) continue;
    ++checked;
    double best = 0;
    for (long i = i0 - 1; i <= i0 + 1; ++i) {
      for (long j = j0 - 1; j <= j0 + 1; ++j)
        best = std::max<double>(best, pixels[static_cast<std::size_t>(i * cols + j)]);
    }
    ok = ok && best > threshold;
  }
  return ok;
}

TEST(Render, MarkersAppearAtHeaderPredictedPixelsAndExposeFlips) {
  auto opt = options(Level::kL0, Layout::kUkb);
  opt.markers = true;
  const PhantomStudy s = generateCardiacStudy(24, 0, opt);
  ASSERT_EQ(s.markers.size(), 3u);
  int checked = 0, flips_detected = 0, transposes_detected = 0, images_with_markers = 0;
  for (int k = 0; k < static_cast<int>(s.series.size()); ++k) {
    const SeriesPlan& series = s.series[static_cast<std::size_t>(k)];
    const ImagePlane& plane = series.slices[0].plane;
    const RenderedImage im = renderImage(s, k, 0, 0, RenderSettings::fast());
    int here = 0;
    EXPECT_TRUE(markersWhereHeaderSays(s, plane, series, im.pixels, im.rows, im.cols, here))
        << series.folder;
    if (here == 0) continue;
    ++images_with_markers;
    checked += here;
    // The same pixels stored upside down, and transposed (rows and columns swapped).
    std::vector<std::uint16_t> flipped(im.pixels.size()), transposed(im.pixels.size());
    for (int i = 0; i < im.rows; ++i) {
      for (int j = 0; j < im.cols; ++j) {
        const auto src = static_cast<std::size_t>(i * im.cols + j);
        flipped[static_cast<std::size_t>((im.rows - 1 - i) * im.cols + j)] = im.pixels[src];
        transposed[static_cast<std::size_t>(j * im.rows + i)] = im.pixels[src];
      }
    }
    int unused = 0;
    flips_detected += !markersWhereHeaderSays(s, plane, series, flipped, im.rows, im.cols, unused);
    transposes_detected +=
        !markersWhereHeaderSays(s, plane, series, transposed, im.rows, im.cols, unused);
  }
  EXPECT_GE(images_with_markers, 3);  // two SAX slices and the 4CH (and 2CH) show markers
  EXPECT_GE(checked, 4);
  EXPECT_EQ(flips_detected, images_with_markers);
  EXPECT_EQ(transposes_detected, images_with_markers);
}

TEST(Render, SimpsonVolumeFromSaxLabelsIsCloseToAnalyticEdv) {
  auto opt = options(Level::kL1, Layout::kDsb);
  opt.breath_hold_shifts = false;
  RenderSettings settings = RenderSettings::fast();
  settings.noise = false;
  const PhantomStudy s = generateCardiacStudy(25, 0, opt);
  double volume_mm3 = 0.0;
  for (int k = 0; k < static_cast<int>(s.series.size()); ++k) {
    const SeriesPlan& series = s.series[static_cast<std::size_t>(k)];
    if (series.view != "sax") continue;
    const RenderedImage im = renderImage(s, k, 0, 0, settings);
    const long n = std::count(im.labels.begin(), im.labels.end(), kLabelLvCavity);
    const auto& p = series.slices[0].plane;
    volume_mm3 += static_cast<double>(n) * p.row_spacing_mm * p.col_spacing_mm *
                  series.spacing_between_slices_mm;
  }
  EXPECT_NEAR(volume_mm3 / 1000.0 / s.cardiac_truth->lv_edv_ml, 1.0, 0.10);
}

TEST(Render, NoiseIsRicianAndLevelDependent) {
  const PhantomStudy s = generateCardiacStudy(26, 0, options(Level::kL3, Layout::kDsb));
  const RenderedImage noisy = renderImage(s, 3, 0, 0, RenderSettings::fast());
  RenderSettings clean_settings = RenderSettings::fast();
  clean_settings.noise = false;
  const RenderedImage clean = renderImage(s, 3, 0, 0, clean_settings);
  // Background air: noise-free zero, Rician (positive) noise floor with noise.
  double air_noisy = 0;
  int n_air = 0;
  for (std::size_t p = 0; p < clean.pixels.size(); ++p) {
    if (clean.pixels[p] == 0) {
      air_noisy += noisy.pixels[p];
      ++n_air;
    }
  }
  ASSERT_GT(n_air, 100);
  EXPECT_GT(air_noisy / n_air, 1.0);
  EXPECT_NE(noisy.pixels, clean.pixels);
}

}  // namespace
}  // namespace planelab::phantom
