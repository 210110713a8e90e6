#include "phantom/cardiac_anatomy.h"

#include <gtest/gtest.h>

#include <cmath>

namespace planelab::phantom {
namespace {

using geometry::Vec3;

// Label counts (mL) on a 1 mm grid over the LV's bounding box in the heart frame.
struct LvVoxelVolumes {
  double cavity_ml = 0.0;
  double myocardium_ml = 0.0;
};

LvVoxelVolumes voxelise(const CardiacAnatomy& anatomy, double t_ms) {
  const auto snap = anatomy.at(t_ms);
  const HeartFrame& f = anatomy.frame();
  const double half = 55.0;
  long cavity = 0, myo = 0;
  for (double xi = -half; xi <= half; xi += 1.0) {
    for (double eta = -half; eta <= half; eta += 1.0) {
      for (double z = -2.0; z <= anatomy.subject().length + 25.0; z += 1.0) {
        const Vec3 x = f.origin + f.e_s * xi + f.e_a * eta + f.a * z;
        const auto label = snap->eval(x, {}).label;
        cavity += label == kLabelLvCavity;
        myo += label == kLabelLvMyocardium;
      }
    }
  }
  return {static_cast<double>(cavity) / 1000.0, static_cast<double>(myo) / 1000.0};
}

CardiacSubject normalSubject(std::uint64_t seed) {
  Rng rng(seed);
  return sampleCardiacSubject(rng, knobsForLevel(Level::kL0));
}

TEST(CardiacAnatomy, LongAxisOfMeanPoseMatchesPublishedDirection) {
  CardiacSubject s = normalSubject(1);
  s.azimuth_deg = 42.0;
  s.elevation_deg = 24.0;
  s.roll_deg = 0.0;
  const CardiacAnatomy anatomy(s);
  const Vec3 a = anatomy.frame().a;
  EXPECT_NEAR(a.x, 0.68, 0.01);
  EXPECT_NEAR(a.y, -0.61, 0.01);
  EXPECT_NEAR(a.z, -0.41, 0.01);
  // e_A points to the anterior wall, image "up" in a standard SAX view (PHANTOM.md 3.2).
  const Vec3 e_a = anatomy.frame().e_a;
  EXPECT_NEAR(e_a.x, 0.29, 0.02);
  EXPECT_NEAR(e_a.y, -0.29, 0.02);
  EXPECT_NEAR(e_a.z, 0.91, 0.02);
}

TEST(CardiacAnatomy, ClosedFormCavityVolumeMatchesVoxelCount) {
  const CardiacAnatomy anatomy(normalSubject(3));
  const double rr = anatomy.rrMs();
  for (const double t : {0.0, anatomy.subject().t_es_fraction * rr}) {
    const double analytic = anatomy.lvVolumeMl(t);
    const double voxels = voxelise(anatomy, t).cavity_ml;
    EXPECT_NEAR(voxels / analytic, 1.0, 0.01) << "t=" << t;
  }
}

TEST(CardiacAnatomy, MyocardialVolumeIsConstantAndWallThickensInSystole) {
  const CardiacAnatomy anatomy(normalSubject(4));
  const double t_es = anatomy.subject().t_es_fraction * anatomy.rrMs();
  const double ed = voxelise(anatomy, 0.0).myocardium_ml;
  const double es = voxelise(anatomy, t_es).myocardium_ml;
  EXPECT_NEAR(es / ed, 1.0, 0.01);
  EXPECT_NEAR(ed / anatomy.myocardialVolumeMl(), 1.0, 0.02);
  EXPECT_GT(anatomy.wallThicknessMm(t_es), 1.25 * anatomy.wallThicknessMm(0.0));
}

TEST(CardiacAnatomy, EjectionFractionFromVoxelsMatchesParameter) {
  const CardiacAnatomy anatomy(normalSubject(5));
  const double t_es = anatomy.subject().t_es_fraction * anatomy.rrMs();
  const double edv = voxelise(anatomy, 0.0).cavity_ml;
  const double esv = voxelise(anatomy, t_es).cavity_ml;
  EXPECT_NEAR((edv - esv) / edv, anatomy.subject().ef, 0.02);
}

TEST(CardiacAnatomy, VolumeCurveIsPeriodicWithMinimumAtEndSystole) {
  const CardiacAnatomy anatomy(normalSubject(6));
  const double rr = anatomy.rrMs();
  EXPECT_NEAR(anatomy.ejectedFraction(0.0), 0.0, 1e-12);
  EXPECT_NEAR(anatomy.ejectedFraction(rr - 1e-9), 0.0, 1e-6);
  EXPECT_NEAR(anatomy.ejectedFraction(anatomy.subject().t_es_fraction * rr), 1.0, 1e-12);
  for (double t = 0.0; t < rr; t += rr / 50.0) {
    EXPECT_GE(anatomy.ejectedFraction(t), -1e-12);
    EXPECT_LE(anatomy.ejectedFraction(t), 1.0 + 1e-12);
  }
}

TEST(CardiacAnatomy, PathologyGroupsFollowTheAcdcMix) {
  DifficultyKnobs k = knobsForLevel(Level::kL2);
  int counts[5] = {0, 0, 0, 0, 0};
  const char* names[5] = {"NOR", "DCM", "HCM", "MINF", "ARV"};
  double dcm_edv = 0, nor_edv = 0, hcm_wall = 0, nor_wall = 0;
  for (std::uint64_t seed = 0; seed < 1000; ++seed) {
    Rng rng(seed);
    const CardiacSubject s = sampleCardiacSubject(rng, k);
    for (int g = 0; g < 5; ++g) {
      if (s.group == names[g]) ++counts[g];
    }
    if (s.group == "DCM") dcm_edv += s.edv_ml;
    if (s.group == "NOR") {
      nor_edv += s.edv_ml;
      nor_wall += s.wall_thickness;
    }
    if (s.group == "HCM") hcm_wall += s.wall_thickness;
  }
  EXPECT_NEAR(counts[0] / 1000.0, 0.60, 0.05);
  EXPECT_NEAR(counts[1] / 1000.0, 0.12, 0.03);
  EXPECT_NEAR(counts[4] / 1000.0, 0.06, 0.02);
  EXPECT_GT(dcm_edv / counts[1], 1.3 * nor_edv / counts[0]);
  EXPECT_GT(hcm_wall / counts[2], 1.3 * nor_wall / counts[0]);
}

TEST(CardiacAnatomy, RvIsACrescentBesideTheSeptum) {
  const CardiacAnatomy anatomy(normalSubject(8));
  const auto snap = anatomy.at(0.0);
  const HeartFrame& f = anatomy.frame();
  const double mid = 0.45 * anatomy.subject().length;
  // Septal side (xi > 0) beyond the LV wall is RV cavity; the lateral side is not.
  int rv_septal = 0, rv_lateral = 0;
  for (double r = 0.0; r < 90.0; r += 1.0) {
    rv_septal += snap->eval(f.origin + f.a * mid + f.e_s * r, {}).label == kLabelRvCavity;
    rv_lateral += snap->eval(f.origin + f.a * mid - f.e_s * r, {}).label == kLabelRvCavity;
  }
  EXPECT_GT(rv_septal, 10);
  EXPECT_EQ(rv_lateral, 0);
  EXPECT_GT(anatomy.rvVolumeMl(0.0), 0.6 * anatomy.lvVolumeMl(0.0));
}

}  // namespace
}  // namespace planelab::phantom
