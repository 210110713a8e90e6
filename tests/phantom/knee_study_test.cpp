#include "phantom/knee_study.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "phantom/knee_anatomy.h"

namespace planelab::phantom {
namespace {

using geometry::cross;
using geometry::dot;
using geometry::norm;
using geometry::Vec3;

StudyOptions kneeOptions(Level level, Layout layout = Layout::kDsb) {
  StudyOptions o;
  o.organ = Organ::kKnee;
  o.level = level;
  o.knobs = knobsForLevel(level);
  o.layout = layout;
  o.phases = 1;
  return o;
}

const KneeAnatomy& kneeOf(const PhantomStudy& s) {
  return dynamic_cast<const KneeAnatomy&>(*s.anatomy);
}

const SeriesPlan& seriesOfView(const PhantomStudy& s, const std::string& view) {
  for (const auto& series : s.series) {
    if (series.view == view) return series;
  }
  ADD_FAILURE() << "no series " << view;
  return s.series.front();
}

// Angle between two lines (directions up to sign), degrees.
double lineAngleDeg(const Vec3& a, const Vec3& b) {
  const double c = std::min(1.0, std::abs(dot(a, b)) / (norm(a) * norm(b)));
  return geometry::radToDeg(std::acos(c));
}

Vec3 mirrorX(const Vec3& v) {
  return {-v.x, v.y, v.z};
}

// Deterministic test points in a box (no dependence on the library's RNG).
std::vector<Vec3> gridPoints(const Vec3& lo, const Vec3& hi, int n) {
  std::vector<Vec3> pts;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      for (int k = 0; k < n; ++k) {
        const double fx = (i + 0.37) / n, fy = (j + 0.61) / n, fz = (k + 0.13) / n;
        pts.push_back(
            {lo.x + (hi.x - lo.x) * fx, lo.y + (hi.y - lo.y) * fy, lo.z + (hi.z - lo.z) * fz});
      }
    }
  }
  return pts;
}

TEST(KneeStudy, IsDeterministic) {
  const StudyOptions o = kneeOptions(Level::kL2);
  const PhantomStudy a = generateKneeStudy(77, 3, o);
  const PhantomStudy b = generateKneeStudy(77, 3, o);
  EXPECT_EQ(a.patient.id, "PL-KNEE-0003");
  EXPECT_EQ(a.patient.id, b.patient.id);
  EXPECT_EQ(a.patient.sex, b.patient.sex);
  EXPECT_EQ(a.patient.age_years, b.patient.age_years);
  EXPECT_EQ(a.acquisition.repetition_time_ms, b.acquisition.repetition_time_ms);
  EXPECT_EQ(a.acquisition.echo_time_ms, b.acquisition.echo_time_ms);
  ASSERT_EQ(a.series.size(), b.series.size());
  for (std::size_t s = 0; s < a.series.size(); ++s) {
    ASSERT_EQ(a.series[s].slices.size(), b.series[s].slices.size());
    for (std::size_t k = 0; k < a.series[s].slices.size(); ++k) {
      const auto& pa = a.series[s].slices[k].plane;
      const auto& pb = b.series[s].slices[k].plane;
      EXPECT_EQ(pa.position_mm.x, pb.position_mm.x);
      EXPECT_EQ(pa.position_mm.y, pb.position_mm.y);
      EXPECT_EQ(pa.position_mm.z, pb.position_mm.z);
      EXPECT_EQ(pa.row_dir.x, pb.row_dir.x);
      EXPECT_EQ(pa.col_dir.z, pb.col_dir.z);
      EXPECT_EQ(pa.rows, pb.rows);
      EXPECT_EQ(pa.col_spacing_mm, pb.col_spacing_mm);
    }
  }
  ASSERT_TRUE(a.knee_truth && b.knee_truth);
  EXPECT_EQ(a.knee_truth->scale, b.knee_truth->scale);
  EXPECT_EQ(a.knee_truth->origin_mm.x, b.knee_truth->origin_mm.x);
  EXPECT_EQ(a.appearance.signal, b.appearance.signal);
  EXPECT_EQ(a.appearance.gain, b.appearance.gain);

  const Vec3 o_mm = a.knee_truth->origin_mm;
  const auto sa = a.anatomy->at(0.0);
  const auto sb = b.anatomy->at(0.0);
  for (const Vec3& p : gridPoints(o_mm - Vec3{60, 60, 60}, o_mm + Vec3{60, 60, 60}, 14)) {
    const TissueSample ta = sa->eval(p, {});
    const TissueSample tb = sb->eval(p, {});
    ASSERT_EQ(ta.tissue, tb.tissue);
    ASSERT_EQ(ta.label, tb.label);
  }

  // Another seed or another subject gives another knee.
  const PhantomStudy c = generateKneeStudy(78, 3, o);
  const PhantomStudy d = generateKneeStudy(77, 4, o);
  EXPECT_NE(a.knee_truth->scale, c.knee_truth->scale);
  EXPECT_NE(a.knee_truth->scale, d.knee_truth->scale);
  EXPECT_NE(a.knee_truth->flexion_deg, c.knee_truth->flexion_deg);
}

TEST(KneeStudy, HeaderGeometryIsOrthonormalAndStacksAreRegular) {
  for (const Level level : {Level::kL0, Level::kL1, Level::kL2, Level::kL3}) {
    for (int subject = 0; subject < 4; ++subject) {
      const PhantomStudy s = generateKneeStudy(2024, subject, kneeOptions(level));
      ASSERT_EQ(s.series.size(), 3u);
      for (const auto& series : s.series) {
        ASSERT_GE(series.slices.size(), 20u);
        ASSERT_LE(series.slices.size(), 30u);
        const Vec3 n = series.slices[0].plane.normal();
        for (std::size_t k = 0; k < series.slices.size(); ++k) {
          const auto& p = series.slices[k].plane;
          EXPECT_NEAR(norm(p.row_dir), 1.0, 1e-12);
          EXPECT_NEAR(norm(p.col_dir), 1.0, 1e-12);
          EXPECT_NEAR(dot(p.row_dir, p.col_dir), 0.0, 1e-12);
          EXPECT_TRUE(p.validate().empty()) << p.validate();
          EXPECT_EQ(p.rows, p.cols);
          EXPECT_TRUE(p.cols == 256 || p.cols == 288 || p.cols == 320) << p.cols;
          EXPECT_EQ(p.row_spacing_mm, p.col_spacing_mm);
          EXPECT_GE(p.widthMm(), 140.0 - 1e-3);
          EXPECT_LE(p.widthMm(), 160.0 + 1e-3);
          // All slices parallel; consecutive centres exactly one spacing apart along the normal.
          EXPECT_NEAR(dot(p.normal(), n), 1.0, 1e-12);
          if (k > 0) {
            const Vec3 d = p.centre() - series.slices[k - 1].plane.centre();
            EXPECT_NEAR(dot(d, n), series.spacing_between_slices_mm, 1e-9);
            EXPECT_NEAR(norm(d - n * dot(d, n)), 0.0, 1e-9);
          }
        }
      }
    }
  }
}

TEST(KneeStudy, PlanesFollowTheKneeAxesWithinThePlanningError) {
  for (const Level level : {Level::kL0, Level::kL2, Level::kL3}) {
    const DifficultyKnobs knobs = knobsForLevel(level);
    // Knee planning uses half the knobs' tilt SD, truncated at 2.5 SD.
    const double bound = 2.5 * 0.5 * knobs.plan_error_tilt_deg + 1e-6;
    double max_tilt = 0.0;
    for (int subject = 0; subject < 12; ++subject) {
      const PhantomStudy s = generateKneeStudy(99, subject, kneeOptions(level));
      const KneeTruth& t = *s.knee_truth;
      const Vec3 n_sag = seriesOfView(s, "sag").slices[0].plane.normal();
      const Vec3 n_cor = seriesOfView(s, "cor").slices[0].plane.normal();
      const Vec3 n_ax = seriesOfView(s, "ax").slices[0].plane.normal();
      // Sagittal: perpendicular to the posterior condylar line (normal along it).
      EXPECT_LE(lineAngleDeg(n_sag, t.medial_lateral_axis), bound);
      // Coronal: parallel to the posterior condylar line and to the femoral shaft.
      EXPECT_GE(lineAngleDeg(n_cor, t.medial_lateral_axis), 90.0 - bound);
      EXPECT_GE(lineAngleDeg(n_cor, t.distal_proximal_axis), 90.0 - bound);
      EXPECT_LE(lineAngleDeg(n_cor, t.anterior_posterior_axis), bound);
      // Axial: perpendicular to the femoral shaft.
      EXPECT_LE(lineAngleDeg(n_ax, t.distal_proximal_axis), bound);
      max_tilt = std::max({max_tilt, lineAngleDeg(n_sag, t.medial_lateral_axis),
                           lineAngleDeg(n_ax, t.distal_proximal_axis)});
      // The knee frame is orthonormal.
      EXPECT_NEAR(norm(t.medial_lateral_axis), 1.0, 1e-12);
      EXPECT_NEAR(dot(t.medial_lateral_axis, t.anterior_posterior_axis), 0.0, 1e-12);
      EXPECT_NEAR(dot(t.medial_lateral_axis, t.distal_proximal_axis), 0.0, 1e-12);
    }
    if (level == Level::kL0) {
      EXPECT_LT(max_tilt, 1e-6);
    } else {
      EXPECT_GT(max_tilt, 0.1);  // the technologist is not perfect
    }
  }
}

TEST(KneeStudy, KneeIsObliqueInTheScanner) {
  // External rotation, flexion and varus make the knee axes oblique to the scanner axes, so the
  // planned views are genuinely oblique.
  double max_ml = 0.0, max_si = 0.0;
  for (int subject = 0; subject < 10; ++subject) {
    const PhantomStudy s = generateKneeStudy(5, subject, kneeOptions(Level::kL2));
    max_ml = std::max(max_ml, lineAngleDeg(s.knee_truth->medial_lateral_axis, {1, 0, 0}));
    max_si = std::max(max_si, lineAngleDeg(s.knee_truth->distal_proximal_axis, {0, 0, 1}));
  }
  EXPECT_GT(max_ml, 8.0);
  EXPECT_GT(max_si, 4.0);
  // Even the mean pose (L0) is externally rotated and flexed.
  const PhantomStudy s0 = generateKneeStudy(5, 0, kneeOptions(Level::kL0));
  EXPECT_NEAR(s0.knee_truth->external_rotation_deg, 7.5, 1e-12);
  EXPECT_NEAR(s0.knee_truth->flexion_deg, 10.0, 1e-12);
  EXPECT_GT(lineAngleDeg(s0.knee_truth->medial_lateral_axis, {1, 0, 0}), 5.0);
}

TEST(KneeStudy, ImageAxesFollowTheRadiologicalConventions) {
  for (int subject = 0; subject < 6; ++subject) {
    const PhantomStudy s = generateKneeStudy(31, subject, kneeOptions(Level::kL0));
    const auto& sag = seriesOfView(s, "sag").slices[0].plane;
    const auto& cor = seriesOfView(s, "cor").slices[0].plane;
    const auto& ax = seriesOfView(s, "ax").slices[0].plane;
    const Vec3& y_k = s.knee_truth->anterior_posterior_axis;
    const Vec3& z_k = s.knee_truth->distal_proximal_axis;
    EXPECT_GT(dot(sag.row_dir, y_k), 0.9);   // anterior on the image left
    EXPECT_LT(dot(sag.col_dir, z_k), -0.9);  // head up
    EXPECT_GT(cor.row_dir.x, 0.9);           // patient left on the image right
    EXPECT_LT(dot(cor.col_dir, z_k), -0.9);
    EXPECT_GT(ax.row_dir.x, 0.9);
    EXPECT_GT(dot(ax.col_dir, y_k), 0.9);  // posterior down
  }
}

TEST(KneeStudy, AcquisitionIsUngatedPdFatSatTurboSpinEcho) {
  const PhantomStudy s = generateKneeStudy(8, 1, kneeOptions(Level::kL2));
  EXPECT_EQ(s.organ, Organ::kKnee);
  const AcquisitionParameters& a = s.acquisition;
  EXPECT_EQ(a.patient_position, "FFS");
  EXPECT_EQ(a.body_part, "KNEE");
  EXPECT_TRUE(a.laterality == "L" || a.laterality == "R");
  EXPECT_EQ(a.laterality, s.knee_truth->side);
  EXPECT_EQ(a.scanning_sequence, "SE");
  EXPECT_EQ(a.sequence_variant, "SK\\SP");
  EXPECT_EQ(a.scan_options.find("CG"), std::string::npos);
  EXPECT_NE(a.scan_options.find("FS"), std::string::npos);
  EXPECT_GE(a.repetition_time_ms, 2500.0);
  EXPECT_LE(a.repetition_time_ms, 3500.0);
  EXPECT_GE(a.echo_time_ms, 25.0);
  EXPECT_LE(a.echo_time_ms, 40.0);
  EXPECT_GE(a.echo_train_length, 5);
  EXPECT_LE(a.echo_train_length, 7);
  EXPECT_TRUE(a.field_strength_t == 1.5 || a.field_strength_t == 3.0);
  EXPECT_EQ(a.heart_rate_bpm, 0.0);

  const std::vector<std::string> names = {"background",
                                          "femur",
                                          "tibia",
                                          "patella",
                                          "femoral cartilage",
                                          "tibial cartilage",
                                          "patellar cartilage",
                                          "medial meniscus",
                                          "lateral meniscus"};
  EXPECT_EQ(s.label_names, names);
  EXPECT_EQ(s.patient.id, "PL-KNEE-0001");
  EXPECT_TRUE(s.patient.sex == "M" || s.patient.sex == "F");

  const char* views[] = {"sag", "cor", "ax"};
  const char* descriptions[] = {"PD_FS_SAG", "PD_FS_COR", "PD_FS_AX"};
  for (int v = 0; v < 3; ++v) {
    const SeriesPlan& series = seriesOfView(s, views[v]);
    EXPECT_EQ(series.description, descriptions[v]);
    EXPECT_EQ(series.folder, std::string(views[v]) + "_" + std::to_string(series.series_number));
    EXPECT_FALSE(series.gated);
    EXPECT_EQ(series.phase_count, 1);
    EXPECT_TRUE(series.trigger_times_ms.empty());
    EXPECT_TRUE(series.labelled);
    EXPECT_GE(series.slice_thickness_mm, 3.0);
    EXPECT_LE(series.slice_thickness_mm, 4.0);
    EXPECT_GE(series.spacing_between_slices_mm, 3.3 - 1e-9);
    EXPECT_LE(series.spacing_between_slices_mm, 4.4 + 1e-9);
    EXPECT_GE(series.spacing_between_slices_mm, series.slice_thickness_mm);
    for (const auto& slice : series.slices) {
      EXPECT_EQ(slice.phases, std::vector<int>{0});
      EXPECT_EQ(norm(slice.breath_hold_shift_mm), 0.0);
      EXPECT_GE(slice.plane.col_spacing_mm, 0.43);
      EXPECT_LE(slice.plane.col_spacing_mm, 0.63);
    }
  }

  // PD fat-sat contrast: fluid brightest of the anatomy, cartilage intermediate, fat and marrow
  // suppressed, menisci / ligaments / cortex dark.
  const auto sig = [&](Tissue t) { return s.appearance.signal[static_cast<std::size_t>(t)]; };
  EXPECT_GT(sig(Tissue::kFluid), sig(Tissue::kCartilage));
  EXPECT_GT(sig(Tissue::kFluid), sig(Tissue::kBlood));
  EXPECT_GT(sig(Tissue::kCartilage), sig(Tissue::kSkeletalMuscle));
  EXPECT_GT(sig(Tissue::kSkeletalMuscle), sig(Tissue::kFat));
  EXPECT_LT(sig(Tissue::kFat), 0.25 * sig(Tissue::kFluid));
  EXPECT_LT(sig(Tissue::kMarrow), 0.25 * sig(Tissue::kFluid));
  EXPECT_LT(sig(Tissue::kMeniscus), 0.1 * sig(Tissue::kFluid));
  EXPECT_LT(sig(Tissue::kCortex), 0.1 * sig(Tissue::kFluid));
  EXPECT_GT(s.appearance.noise_sigma, 0.0);

  StudyOptions unlabelled = kneeOptions(Level::kL2);
  unlabelled.labels = StudyOptions::Labels::kNone;
  for (const auto& series : generateKneeStudy(8, 1, unlabelled).series)
    EXPECT_FALSE(series.labelled);
}

TEST(KneeStudy, LayoutsNameSeriesAndQuirksAddALocalizer) {
  const PhantomStudy ukb = generateKneeStudy(12, 0, kneeOptions(Level::kL2, Layout::kUkb));
  for (const auto& series : ukb.series) EXPECT_EQ(series.folder, series.description);

  const PhantomStudy q = generateKneeStudy(12, 0, kneeOptions(Level::kL2, Layout::kQuirks));
  ASSERT_EQ(q.series.size(), 4u);
  const SeriesPlan& loc = q.series.front();
  EXPECT_EQ(loc.view, "localizer");
  EXPECT_EQ(loc.slices.size(), 3u);
  EXPECT_FALSE(loc.labelled);
  EXPECT_GE(loc.slice_thickness_mm, 5.0);
  int blank = 0;
  for (const auto& series : q.series) {
    blank += series.description.empty() ? 1 : 0;
    for (const auto& slice : series.slices) EXPECT_TRUE(slice.plane.validate().empty());
  }
  EXPECT_EQ(blank, 1);
  // The localizer's three planes are mutually perpendicular, scanner-aligned.
  EXPECT_NEAR(std::abs(dot(loc.slices[0].plane.normal(), loc.slices[1].plane.normal())), 0.0,
              1e-12);
  EXPECT_NEAR(std::abs(dot(loc.slices[1].plane.normal(), loc.slices[2].plane.normal())), 0.0,
              1e-12);
}

TEST(KneeStudy, LabelVolumesArePlausible) {
  for (const int subject : {0, 1}) {
    const PhantomStudy s = generateKneeStudy(41, subject, kneeOptions(Level::kL2));
    const KneeAnatomy& knee = kneeOf(s);
    const double sc = s.knee_truth->scale;
    const double h = 0.8;  // mm grid in the knee frame
    std::array<long, 9> count{};
    for (double x = -55.0 * sc; x <= 55.0 * sc; x += h) {
      for (double y = -75.0 * sc; y <= 50.0 * sc; y += h) {
        for (double z = -35.0 * sc; z <= 75.0 * sc; z += h) {
          const std::uint8_t l = knee.eval(knee.kneeToPatient({x, y, z})).label;
          ASSERT_LT(l, 9);
          ++count[l];
        }
      }
    }
    const auto ml = [&](int label) {
      return static_cast<double>(count[static_cast<std::size_t>(label)]) * h * h * h / 1000.0;
    };
    // Normalised to scale 1 (volumes scale with scale^3).
    const double norm3 = sc * sc * sc;
    EXPECT_GT(ml(kLabelFemoralCartilage) / norm3, 6.0) << ml(kLabelFemoralCartilage);
    EXPECT_LT(ml(kLabelFemoralCartilage) / norm3, 18.0) << ml(kLabelFemoralCartilage);
    EXPECT_GT(ml(kLabelTibialCartilage) / norm3, 2.0);
    EXPECT_LT(ml(kLabelTibialCartilage) / norm3, 8.0);
    EXPECT_GT(ml(kLabelPatellarCartilage) / norm3, 1.2);
    EXPECT_LT(ml(kLabelPatellarCartilage) / norm3, 6.0);
    EXPECT_GT(ml(kLabelMedialMeniscus) / norm3, 1.0);
    EXPECT_LT(ml(kLabelMedialMeniscus) / norm3, 5.0);
    EXPECT_GT(ml(kLabelLateralMeniscus) / norm3, 1.0);
    EXPECT_LT(ml(kLabelLateralMeniscus) / norm3, 5.0);
    EXPECT_GT(ml(kLabelPatella) / norm3, 8.0);
    EXPECT_LT(ml(kLabelPatella) / norm3, 30.0);
    EXPECT_GT(ml(kLabelFemur), ml(kLabelPatella));
    EXPECT_GT(ml(kLabelTibia), ml(kLabelPatella));
  }
}

TEST(KneeStudy, JointLayersAreInAnatomicalOrder) {
  const PhantomStudy s = generateKneeStudy(3, 2, kneeOptions(Level::kL2));
  const KneeAnatomy& knee = kneeOf(s);
  const KneeLandmarks& lm = knee.landmarks();
  // Walk down through each condyle's contact point: femur, femoral cartilage, tibial cartilage,
  // tibia (the labels of a sagittal or coronal image at the joint line).
  for (const Vec3& c : {lm.lateral_condyle_centre, lm.medial_condyle_centre}) {
    std::vector<std::uint8_t> seen;
    for (double z = c.z; z > c.z - 50.0; z -= 0.1) {
      const std::uint8_t l = knee.eval(knee.kneeToPatient({c.x, lm.joint_centre.y, z})).label;
      if (l != 0 && (seen.empty() || seen.back() != l)) seen.push_back(l);
    }
    const std::vector<std::uint8_t> expected = {kLabelFemur, kLabelFemoralCartilage,
                                                kLabelTibialCartilage, kLabelTibia};
    EXPECT_EQ(seen, expected);
  }
  // Walk posteriorly from in front of the patella through the patellofemoral joint.
  {
    std::vector<std::uint8_t> seen;
    const Vec3 p = lm.patella_centre;
    for (double y = p.y - 30.0; y < p.y + 25.0; y += 0.1) {
      const std::uint8_t l = knee.eval(knee.kneeToPatient({p.x, y, p.z})).label;
      if (l != 0 && (seen.empty() || seen.back() != l)) seen.push_back(l);
    }
    const std::vector<std::uint8_t> expected = {kLabelPatella, kLabelPatellarCartilage,
                                                kLabelFemoralCartilage, kLabelFemur};
    EXPECT_EQ(seen, expected);
  }
  // Menisci on their own sides of the knee frame.
  int medial_wrong = 0, lateral_wrong = 0, medial = 0, lateral = 0;
  for (const Vec3& k : gridPoints({-50, -40, -15}, {50, 40, 10}, 40)) {
    const std::uint8_t l = knee.eval(knee.kneeToPatient(k)).label;
    if (l == kLabelMedialMeniscus) {
      ++medial;
      medial_wrong += k.x > 0.0 ? 1 : 0;
    }
    if (l == kLabelLateralMeniscus) {
      ++lateral;
      lateral_wrong += k.x < 0.0 ? 1 : 0;
    }
  }
  EXPECT_GT(medial, 20);
  EXPECT_GT(lateral, 20);
  EXPECT_EQ(medial_wrong, 0);
  EXPECT_EQ(lateral_wrong, 0);
}

TEST(KneeStudy, LeftAndRightKneesAreMirrorImages) {
  Rng rng(123);
  KneeSubject left_subject = sampleKneeSubject(rng, knobsForLevel(Level::kL2));
  left_subject.side = "L";
  KneeSubject right_subject = left_subject;
  right_subject.side = "R";
  right_subject.joint_centre_mm = mirrorX(left_subject.joint_centre_mm);
  const KneeAnatomy left(left_subject);
  const KneeAnatomy right(right_subject);

  // Lateral is patient left (+x) for a left knee and patient right for a right knee.
  EXPECT_GT(left.medialLateralAxis().x, 0.5);
  EXPECT_LT(right.medialLateralAxis().x, -0.5);
  const auto near = [](const Vec3& a, const Vec3& b) { return norm(a - b) < 1e-9; };
  EXPECT_TRUE(near(right.origin(), mirrorX(left.origin())));
  EXPECT_TRUE(near(right.medialLateralAxis(), mirrorX(left.medialLateralAxis())));
  EXPECT_TRUE(near(right.anteriorPosteriorAxis(), mirrorX(left.anteriorPosteriorAxis())));
  EXPECT_TRUE(near(right.distalProximalAxis(), mirrorX(left.distalProximalAxis())));

  // Same knee-frame point: mirrored patient position, same tissue and label.
  int non_background = 0;
  for (const Vec3& k : gridPoints({-60, -70, -50}, {60, 60, 80}, 16)) {
    const Vec3 xl = left.kneeToPatient(k);
    const Vec3 xr = right.kneeToPatient(k);
    ASSERT_TRUE(near(xr, mirrorX(xl)));
    const TissueSample tl = left.eval(xl);
    const TissueSample tr = right.eval(xr);
    ASSERT_EQ(tl.tissue, tr.tissue);
    ASSERT_EQ(tl.label, tr.label);
    non_background += tl.label != 0 ? 1 : 0;
  }
  EXPECT_GT(non_background, 100);

  // The medial condyle lies towards the body midline: patient right of the joint for a left knee.
  const Vec3 med_l =
      left.kneeToPatient(left.landmarks().medial_condyle_centre) - left.kneeToPatient({});
  const Vec3 med_r =
      right.kneeToPatient(right.landmarks().medial_condyle_centre) - right.kneeToPatient({});
  EXPECT_LT(med_l.x, 0.0);
  EXPECT_GT(med_r.x, 0.0);

  // Generated studies carry both sides, with consistent laterality.
  int n_left = 0, n_right = 0;
  for (int subject = 0; subject < 12; ++subject) {
    const PhantomStudy s = generateKneeStudy(17, subject, kneeOptions(Level::kL2));
    EXPECT_EQ(s.acquisition.laterality, kneeOf(s).subject().side);
    if (s.acquisition.laterality == "L") {
      ++n_left;
      EXPECT_GT(s.knee_truth->medial_lateral_axis.x, 0.5);
    } else {
      ++n_right;
      EXPECT_LT(s.knee_truth->medial_lateral_axis.x, -0.5);
    }
  }
  EXPECT_GT(n_left, 0);
  EXPECT_GT(n_right, 0);
}

TEST(KneeStudy, MarkersEvaluateToMarkerTissueInsideTheirBones) {
  StudyOptions o = kneeOptions(Level::kL2);
  o.markers = true;
  const PhantomStudy s = generateKneeStudy(6, 2, o);
  ASSERT_EQ(s.markers.size(), 3u);
  const Tissue tissues[] = {Tissue::kMarkerA, Tissue::kMarkerB, Tissue::kMarkerC};
  const std::uint8_t bones[] = {kLabelFemur, kLabelTibia, kLabelPatella};
  const auto snap = s.anatomy->at(0.0);
  for (std::size_t m = 0; m < 3; ++m) {
    const Marker& marker = s.markers[m];
    EXPECT_EQ(marker.tissue, tissues[m]);
    EXPECT_DOUBLE_EQ(marker.radius_mm, 2.5);
    EXPECT_FALSE(marker.name.empty());
    const TissueSample at_centre = snap->eval(marker.centre_mm, {});
    EXPECT_EQ(at_centre.tissue, marker.tissue);
    EXPECT_EQ(at_centre.label, bones[m]);  // labels stay anatomical
    const TissueSample inside = snap->eval(marker.centre_mm + Vec3{1.5, -1.0, 1.0}, {});
    EXPECT_EQ(inside.tissue, marker.tissue);
    const TissueSample outside = snap->eval(marker.centre_mm + Vec3{0.0, 0.0, 3.5}, {});
    EXPECT_NE(outside.tissue, marker.tissue);
    // Every view has a slice through the marker.
    for (const auto& series : s.series) {
      double nearest = 1e9;
      for (const auto& slice : series.slices) {
        nearest = std::min(
            nearest, std::abs(dot(marker.centre_mm - slice.plane.centre(), slice.plane.normal())));
      }
      EXPECT_LE(nearest, 0.5 * series.spacing_between_slices_mm + 1e-9)
          << series.view << " " << marker.name;
    }
  }
  // Distinct, non-collinear.
  const Vec3 ab = s.markers[1].centre_mm - s.markers[0].centre_mm;
  const Vec3 ac = s.markers[2].centre_mm - s.markers[0].centre_mm;
  EXPECT_GT(norm(cross(ab, ac)), 200.0);
  // Without marker mode the same points are plain anatomy.
  const PhantomStudy plain = generateKneeStudy(6, 2, kneeOptions(Level::kL2));
  EXPECT_TRUE(plain.markers.empty());
  EXPECT_EQ(plain.anatomy->at(0.0)->eval(s.markers[0].centre_mm, {}).label, kLabelFemur);
  EXPECT_NE(plain.anatomy->at(0.0)->eval(s.markers[0].centre_mm, {}).tissue, Tissue::kMarkerA);
}

TEST(KneeStudy, AnatomyIsStatic) {
  const PhantomStudy s = generateKneeStudy(9, 0, kneeOptions(Level::kL2));
  const auto a = s.anatomy->at(0.0);
  const auto b = s.anatomy->at(750.0);
  const Vec3 o_mm = s.knee_truth->origin_mm;
  for (const Vec3& p : gridPoints(o_mm - Vec3{50, 50, 50}, o_mm + Vec3{50, 50, 50}, 10)) {
    const TissueSample ta = a->eval(p, {});
    const TissueSample tb = b->eval(p, Vec3{3.0, -2.0, 5.0});  // breath-hold shifts do not apply
    EXPECT_EQ(ta.tissue, tb.tissue);
    EXPECT_EQ(ta.label, tb.label);
  }
}

}  // namespace
}  // namespace planelab::phantom
