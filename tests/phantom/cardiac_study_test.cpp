#include "phantom/cardiac_study.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "geometry/stack_order.h"

namespace planelab::phantom {
namespace {

using geometry::dot;
using geometry::Vec3;

StudyOptions options(Level level, Layout layout, int phases = 10) {
  StudyOptions o;
  o.level = level;
  o.knobs = knobsForLevel(level);
  o.layout = layout;
  o.phases = phases;
  return o;
}

std::vector<const SeriesPlan*> seriesOfView(const PhantomStudy& s, const std::string& view) {
  std::vector<const SeriesPlan*> out;
  for (const auto& series : s.series) {
    if (series.view == view) out.push_back(&series);
  }
  return out;
}

TEST(CardiacStudy, HeaderGeometryIsOrthonormal) {
  const PhantomStudy s = generateCardiacStudy(11, 0, options(Level::kL2, Layout::kUkb));
  for (const auto& series : s.series) {
    for (const auto& slice : series.slices) {
      const auto& p = slice.plane;
      EXPECT_NEAR(geometry::norm(p.row_dir), 1.0, 1e-12);
      EXPECT_NEAR(geometry::norm(p.col_dir), 1.0, 1e-12);
      EXPECT_NEAR(dot(p.row_dir, p.col_dir), 0.0, 1e-12);
      EXPECT_EQ(p.validate(), "");
    }
  }
}

TEST(CardiacStudy, ShortAxisStackIsParallelWithPlannedSpacing) {
  const PhantomStudy s = generateCardiacStudy(12, 3, options(Level::kL2, Layout::kDsb));
  const auto sax = seriesOfView(s, "sax");
  ASSERT_GE(sax.size(), 8u);
  ASSERT_LE(sax.size(), 14u);
  const Vec3 n = sax[0]->slices[0].plane.normal();
  std::vector<double> pos;
  for (const auto* series : sax) {
    EXPECT_LT(geometry::angleBetweenPlanesDeg(sax[0]->slices[0].plane, series->slices[0].plane),
              1e-9);
    pos.push_back(geometry::signedDistanceAlong(series->slices[0].plane, n));
  }
  for (std::size_t k = 1; k < pos.size(); ++k) {
    EXPECT_NEAR(std::abs(pos[k] - pos[k - 1]), sax[0]->spacing_between_slices_mm, 0.01);
  }
}

TEST(CardiacStudy, LongAxisPlanesContainThePlannedAxisAndAreNearlyPerpendicularToSax) {
  const auto opt = options(Level::kL2, Layout::kUkb);
  for (int subject = 0; subject < 10; ++subject) {
    const PhantomStudy s = generateCardiacStudy(13, subject, opt);
    const Vec3 axis = s.cardiac_truth->planned_long_axis;
    const auto sax_plane = seriesOfView(s, "sax")[0]->slices[0].plane;
    // SAX normal within the tilt error (2.5 SD of 4 degrees) of the planned axis.
    EXPECT_LT(geometry::radToDeg(std::acos(std::abs(dot(sax_plane.normal(), axis)))), 10.0 + 1e-9);
    for (const char* view : {"2ch", "3ch", "4ch"}) {
      const auto lax = seriesOfView(s, view);
      ASSERT_EQ(lax.size(), 1u) << view;
      const auto& plane = lax[0]->slices[0].plane;
      EXPECT_NEAR(dot(plane.normal(), axis), 0.0, 1e-9) << view;
      EXPECT_NEAR(geometry::angleBetweenPlanesDeg(plane, sax_plane), 90.0, 10.0 + 1e-9) << view;
    }
    // 2CH-4CH dihedral angle between 60 and 90 degrees (plus the 5-degree noise).
    const double dihedral = geometry::angleBetweenPlanesDeg(
        seriesOfView(s, "2ch")[0]->slices[0].plane, seriesOfView(s, "4ch")[0]->slices[0].plane);
    EXPECT_GT(dihedral, 45.0);
    EXPECT_LE(dihedral, 90.0);
  }
}

TEST(CardiacStudy, TriggerTimesIncreaseAndCountMatchesCardiacNumberOfImages) {
  const PhantomStudy s = generateCardiacStudy(14, 1, options(Level::kL1, Layout::kDsb, 25));
  for (const auto& series : s.series) {
    ASSERT_TRUE(series.gated);
    ASSERT_EQ(static_cast<int>(series.trigger_times_ms.size()), series.phase_count);
    EXPECT_EQ(series.phase_count, 25);
    EXPECT_EQ(series.trigger_times_ms[0], 0.0);
    for (std::size_t p = 1; p < series.trigger_times_ms.size(); ++p) {
      EXPECT_GT(series.trigger_times_ms[p], series.trigger_times_ms[p - 1]);
    }
    EXPECT_LT(series.trigger_times_ms.back(), s.acquisition.nominal_interval_ms + 2.0);
  }
}

TEST(CardiacStudy, SameSeedIsIdenticalAndOtherSeedsDiffer) {
  const auto opt = options(Level::kL2, Layout::kDsb);
  const PhantomStudy a = generateCardiacStudy(99, 2, opt);
  const PhantomStudy b = generateCardiacStudy(99, 2, opt);
  const PhantomStudy c = generateCardiacStudy(100, 2, opt);
  const PhantomStudy d = generateCardiacStudy(99, 3, opt);
  ASSERT_EQ(a.series.size(), b.series.size());
  for (std::size_t k = 0; k < a.series.size(); ++k) {
    EXPECT_EQ(a.series[k].slices[0].plane.position_mm.x, b.series[k].slices[0].plane.position_mm.x);
    EXPECT_EQ(a.series[k].trigger_times_ms, b.series[k].trigger_times_ms);
  }
  EXPECT_EQ(a.cardiac_truth->lv_edv_ml, b.cardiac_truth->lv_edv_ml);
  EXPECT_NE(a.cardiac_truth->lv_edv_ml, c.cardiac_truth->lv_edv_ml);
  EXPECT_NE(a.cardiac_truth->lv_edv_ml, d.cardiac_truth->lv_edv_ml);
}

TEST(CardiacStudy, LayoutsNameSeriesLikeTheirCohorts) {
  const PhantomStudy dsb = generateCardiacStudy(15, 0, options(Level::kL1, Layout::kDsb));
  EXPECT_EQ(seriesOfView(dsb, "3ch").size(), 0u);  // DSB has 2CH and 4CH only
  for (const auto* sax : seriesOfView(dsb, "sax")) {
    EXPECT_EQ(sax->folder, "sax_" + std::to_string(sax->series_number));
  }
  const PhantomStudy ukb = generateCardiacStudy(15, 0, options(Level::kL1, Layout::kUkb));
  const auto sax = seriesOfView(ukb, "sax");
  EXPECT_EQ(sax[0]->description, "CINE_segmented_SAX_b1");
  EXPECT_EQ(seriesOfView(ukb, "3ch")[0]->description, "CINE_segmented_LAX_3Ch");
  std::set<std::string> folders;
  for (const auto& s : ukb.series) folders.insert(s.folder);
  EXPECT_EQ(folders.size(), ukb.series.size());
}

TEST(CardiacStudy, QuirksLayoutHasEveryRealWorldQuirk) {
  const PhantomStudy s = generateCardiacStudy(16, 0, options(Level::kL2, Layout::kQuirks, 10));
  EXPECT_EQ(s.acquisition.patient_position, "FFS");
  EXPECT_EQ(seriesOfView(s, "localizer").size(), 1u);
  EXPECT_FALSE(seriesOfView(s, "localizer")[0]->gated);
  const auto sax = seriesOfView(s, "sax");
  int blank = 0, missing_phase = 0, odd_matrix = 0, repeated = 0;
  for (const auto& series : s.series) blank += series.description.empty();
  for (const auto* a : sax) {
    missing_phase += static_cast<int>(a->slices[0].phases.size()) < a->phase_count;
    odd_matrix += a->slices[0].plane.cols != sax[0]->slices[0].plane.cols;
    for (const auto* b : sax) {
      if (a != b &&
          geometry::norm(a->slices[0].plane.centre() - b->slices[0].plane.centre()) < 1e-6 &&
          a->series_number < b->series_number) {
        ++repeated;
        EXPECT_GT(b->acquisition_offset_s, a->acquisition_offset_s);  // repeat acquired later
      }
    }
  }
  EXPECT_GE(blank, 2);
  EXPECT_EQ(missing_phase, 1);
  EXPECT_EQ(odd_matrix, 1);
  EXPECT_EQ(repeated, 1);
}

TEST(CardiacStudy, BreathHoldShiftsFollowTheSwitch) {
  auto opt = options(Level::kL2, Layout::kDsb);
  const PhantomStudy with = generateCardiacStudy(17, 0, opt);
  opt.breath_hold_shifts = false;
  const PhantomStudy without = generateCardiacStudy(17, 0, opt);
  double total_with = 0.0, total_without = 0.0;
  for (const auto& s : with.series) total_with += geometry::norm(s.slices[0].breath_hold_shift_mm);
  for (const auto& s : without.series)
    total_without += geometry::norm(s.slices[0].breath_hold_shift_mm);
  EXPECT_GT(total_with, 1.0);
  EXPECT_EQ(total_without, 0.0);
}

TEST(CardiacStudy, LevelZeroIsTheMeanPoseAndDeterministicPlan) {
  const PhantomStudy a = generateCardiacStudy(1, 0, options(Level::kL0, Layout::kDsb));
  const Vec3 axis = a.cardiac_truth->true_long_axis;
  EXPECT_NEAR(axis.x, 0.68, 0.01);
  EXPECT_NEAR(axis.z, -0.41, 0.01);
  EXPECT_EQ(a.cardiac_truth->group, "NOR");
  EXPECT_NEAR(dot(a.cardiac_truth->planned_long_axis, axis), 1.0, 1e-12);
}

TEST(CardiacStudy, TruthHasPlausiblePhysiology) {
  const auto opt = options(Level::kL2, Layout::kDsb, 25);
  for (int subject = 0; subject < 8; ++subject) {
    const PhantomStudy s = generateCardiacStudy(18, subject, opt);
    const CardiacTruth& t = *s.cardiac_truth;
    EXPECT_GT(t.lv_edv_ml, 60.0);
    EXPECT_LT(t.lv_edv_ml, 400.0);
    EXPECT_NEAR((t.lv_edv_ml - t.lv_esv_ml) / t.lv_edv_ml, t.lv_ef, 1e-9);
    EXPECT_GT(t.lv_mass_g, 40.0);
    EXPECT_LT(t.lv_mass_g, 400.0);
    EXPECT_GT(t.rv_edv_ml, t.rv_esv_ml);
    EXPECT_GT(t.es_phase, 4);
    EXPECT_LT(t.es_phase, 14);
    EXPECT_EQ(t.lv_volume_per_phase_ml.size(), 25u);
  }
}

}  // namespace
}  // namespace planelab::phantom
