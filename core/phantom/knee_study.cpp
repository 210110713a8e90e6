#include "phantom/knee_study.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "phantom/appearance.h"
#include "phantom/knee_anatomy.h"
#include "phantom/planning.h"

namespace planelab::phantom {

using geometry::cross;
using geometry::dot;
using geometry::normalized;
using geometry::Vec3;

namespace {

constexpr std::uint64_t kKneeTag = 2;  // organ tag in derived random streams
constexpr int kKneeColumns[] = {256, 288, 320};

struct ViewSpec {
  const char* view;         // sag / cor / ax
  const char* description;  // PD_FS_SAG ...
  int number;
};

std::string folderFor(Layout layout, const ViewSpec& v, int series_number) {
  if (layout == Layout::kUkb) return v.description;
  return std::string(v.view) + "_" + std::to_string(series_number);
}

double round1(double v) {
  return std::round(v * 10.0) / 10.0;
}

}  // namespace

PhantomStudy generateKneeStudy(std::uint64_t seed, int subject_index, const StudyOptions& opt) {
  const DifficultyKnobs& k = opt.knobs;
  const auto idx = static_cast<std::uint64_t>(subject_index);
  Rng subject_rng = Rng::derive(seed, {kKneeTag, idx, 1});
  Rng plan_rng = Rng::derive(seed, {kKneeTag, idx, 2});
  Rng look_rng = Rng::derive(seed, {kKneeTag, idx, 3});
  Rng acq_rng = Rng::derive(seed, {kKneeTag, idx, 4});
  Rng quirk_rng = Rng::derive(seed, {kKneeTag, idx, 5});

  const KneeSubject subject = sampleKneeSubject(subject_rng, k);
  auto anatomy = std::make_shared<KneeAnatomy>(subject);
  const KneeLandmarks lm = anatomy->landmarks();  // copy: `anatomy` is replaced in marker mode
  const Vec3 ex = anatomy->medialLateralAxis();
  const Vec3 ey = anatomy->anteriorPosteriorAxis();
  const Vec3 ez = anatomy->distalProximalAxis();

  PhantomStudy study = startStudy(Organ::kKnee, seed, subject_index, opt, subject.female,
                                  subject.age_years, subject.weight_kg);
  study.label_names = {"background",
                       "femur",
                       "tibia",
                       "patella",
                       "femoral cartilage",
                       "tibial cartilage",
                       "patellar cartilage",
                       "medial meniscus",
                       "lateral meniscus"};

  // Acquisition: 2-D fast spin echo, proton density weighted, fat saturated; not gated.
  AcquisitionParameters& acq = study.acquisition;
  acq.patient_position = "FFS";
  acq.body_part = "KNEE";
  acq.laterality = subject.side;
  acq.scanning_sequence = "SE";
  acq.sequence_variant = "SK\\SP";
  acq.scan_options = "FS";
  acq.sequence_name = "tse_pd_fs";
  acq.repetition_time_ms = std::round(acq_rng.uniform(2500.0, 3500.0));
  acq.echo_time_ms = round1(acq_rng.uniform(25.0, 40.0));
  acq.flip_angle_deg = 90.0;
  acq.field_strength_t = acq_rng.bernoulli(0.5) ? 3.0 : 1.5;
  acq.echo_train_length = acq_rng.uniformInt(5, 7);
  acq.heart_rate_bpm = 0.0;
  acq.nominal_interval_ms = 0.0;
  const double fat_factor = acq_rng.uniform(0.09, 0.15);

  // Planning (PHANTOM.md 5.1) from the knee's own axes: sagittal perpendicular to the posterior
  // condylar line, coronal parallel to it and to the femoral shaft, axial perpendicular to the
  // shaft. Knee planning on bony landmarks is tighter than cardiac planning and the field of
  // view is ~2.5x smaller, so the knobs' errors are scaled down.
  const double tilt_sd = 0.5 * k.plan_error_tilt_deg;
  const double position_sd = 0.5 * k.plan_error_mitral_mm;
  const double offset_sd = 0.5 * k.fov_offset_sd_mm;
  const double rotation_sd = 0.5 * k.inplane_rotation_sd_sax_deg;
  const double family_p = 0.5 * k.inplane_family_probability;
  const bool labelled = opt.labels != StudyOptions::Labels::kNone;
  const bool phase_rows = plan_rng.bernoulli(0.5);
  const double phase_fraction = plan_rng.uniform(k.kspace_phase_min, k.kspace_phase_max);
  const double readout_fraction = k.kspace_phase_min < 1.0 ? plan_rng.uniform(0.8, 1.0) : 1.0;

  const ViewSpec views[3] = {
      {"sag", "PD_FS_SAG", 2}, {"cor", "PD_FS_COR", 3}, {"ax", "PD_FS_AX", 4}};
  const Vec3 ideal_normals[3] = {ex, ey, ez};
  // Coverage (knee frame): ML across both condyles; AP from the patella to behind the condyles;
  // SI from the tibial tuberosity to above the patella.
  const double lo[3] = {lm.medial_x - 5.0, lm.anterior_y - 3.0, lm.distal_z - 3.0};
  const double hi[3] = {lm.lateral_x + 5.0, lm.posterior_y + 10.0, lm.proximal_z + 5.0};
  const Vec3 knee_centre{0.5 * (lm.medial_x + lm.lateral_x),
                         0.5 * (lm.anterior_y + lm.posterior_y) + 8.0,
                         0.5 * (lm.distal_z + lm.proximal_z)};

  double acq_time = 0.0;
  for (int v = 0; v < 3; ++v) {
    const ViewSpec& spec = views[v];
    SeriesPlan series;
    series.view = spec.view;
    series.description = spec.description;
    series.series_number = spec.number;
    series.folder = folderFor(opt.layout, spec, spec.number);
    series.gated = false;
    series.phase_count = 1;
    series.phase_fraction = phase_fraction;
    series.readout_fraction = readout_fraction;
    series.phase_encoding_along_rows = phase_rows;
    series.labelled = labelled;

    // Slices: 3-4 mm thick, centre spacing 3.3-4 mm (4.0-4.4 mm for 4 mm slices).
    const double u_thick = plan_rng.uniform();
    const double thickness = u_thick < 0.6 ? 3.0 : u_thick < 0.9 ? 3.5 : 4.0;
    const double spacing =
        round1(plan_rng.uniform(std::max(3.3, thickness), std::max(4.0, thickness + 0.4)));
    series.slice_thickness_mm = thickness;
    series.spacing_between_slices_mm = spacing;
    const double extent = hi[v] - lo[v];
    const int n_slices = std::clamp(
        static_cast<int>(std::ceil(extent / spacing)) + plan_rng.uniformInt(0, 2), 20, 30);

    // Plane orientation with the technologist's tilt error.
    const double tilt = std::abs(plan_rng.truncatedNormal(0.0, tilt_sd));
    const Vec3 n = tiltRandomly(plan_rng, ideal_normals[v], tilt);
    const double rotation = drawInPlaneRotationDeg(plan_rng, rotation_sd, family_p);
    std::pair<Vec3, Vec3> axes;
    if (v == 0) {
      // Sagittal: the radiological convention puts anterior on the image left (row direction
      // towards posterior), which inPlaneAxes' "row towards patient left" rule cannot decide
      // for a near-sagittal normal.
      axes = inPlaneAxes(n, 0.0);
      if (axes.first.y < 0.0) axes.first = -axes.first;
      const Vec3 nn = normalized(cross(axes.first, axes.second));
      const double a = geometry::degToRad(rotation);
      axes = {geometry::rotateAbout(axes.first, nn, a), geometry::rotateAbout(axes.second, nn, a)};
    } else {
      axes = inPlaneAxes(n, rotation);
    }
    const Vec3 normal = normalized(cross(axes.first, axes.second));

    // Grid: square FOV 140-160 mm, matrix 256/288/320.
    const double fov = plan_rng.uniform(140.0, 160.0);
    ImageGrid grid;
    grid.cols = kKneeColumns[plan_rng.uniformInt(0, 2)];
    grid.rows = grid.cols;
    grid.col_spacing_mm = std::round(fov / grid.cols * 1e4) / 1e4;
    grid.row_spacing_mm = grid.col_spacing_mm;

    // Stack centre: middle of the coverage along the normal, FOV centred on the knee, plus the
    // technologist's position error and an in-plane FOV offset.
    Vec3 c_knee = knee_centre;
    if (v == 0) c_knee.x = 0.5 * (lo[0] + hi[0]);
    if (v == 1) c_knee.y = 0.5 * (lo[1] + hi[1]);
    if (v == 2) c_knee.z = 0.5 * (lo[2] + hi[2]);
    Vec3 centre = anatomy->kneeToPatient(c_knee);
    centre += Vec3{plan_rng.normal(0.0, position_sd), plan_rng.normal(0.0, position_sd),
                   plan_rng.normal(0.0, position_sd)};
    // Named draws: the evaluation order of `+` operands is unspecified (compilers differ).
    const double offset_row = plan_rng.normal(0.0, offset_sd);
    const double offset_col = plan_rng.normal(0.0, offset_sd);
    centre += axes.first * offset_row + axes.second * offset_col;

    for (int s = 0; s < n_slices; ++s) {
      SlicePlan slice;
      const Vec3 c = centre + normal * ((s - 0.5 * (n_slices - 1)) * spacing);
      slice.plane = planeCentredAt(c, axes.first, axes.second, grid);
      slice.phases = {0};
      series.slices.push_back(slice);
    }
    series.acquisition_offset_s = acq_time;
    acq_time += std::round(plan_rng.uniform(150.0, 260.0));
    study.series.push_back(series);
  }

  if (opt.layout == Layout::kQuirks) {
    // A blank SeriesDescription on one of the three series.
    study.series[static_cast<std::size_t>(quirk_rng.uniformInt(0, 2))].description.clear();
    // A three-plane localizer: thick, scanner-axis planes through the knee, acquired first.
    SeriesPlan loc;
    loc.view = "localizer";
    loc.description = "localizer";
    loc.series_number = 1;
    loc.folder = "localizer_1";
    loc.gated = false;
    loc.phase_count = 1;
    loc.slice_thickness_mm = 8.0;
    const ImageGrid loc_grid{256, 256, 1.0, 1.0};
    const Vec3 loc_centre =
        anatomy->kneeToPatient(knee_centre) +
        Vec3{quirk_rng.normal(0.0, 5.0), quirk_rng.normal(0.0, 5.0), quirk_rng.normal(0.0, 5.0)};
    const Vec3 normals[] = {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}};
    for (const Vec3& n : normals) {
      auto axes = inPlaneAxes(n, 0.0);
      if (std::abs(n.x) > 0.5 && axes.first.y < 0.0) axes.first = -axes.first;  // sagittal
      SlicePlan sl;
      sl.plane = planeCentredAt(loc_centre, axes.first, axes.second, loc_grid);
      sl.phases = {0};
      loc.slices.push_back(sl);
    }
    loc.acquisition_offset_s = -60.0;
    study.series.insert(study.series.begin(), loc);
  }

  // Appearance: PD-weighted fast spin echo with fat saturation.
  const RelaxationTable relax = jitteredRelaxation(look_rng, k.contrast_jitter);
  study.appearance.signal =
      fastSpinEchoSignal(relax, acq.repetition_time_ms, acq.echo_time_ms, fat_factor);
  // Multi-slice TSE specifics the relaxation table does not carry: magnetisation transfer from
  // the many refocusing pulses darkens muscle (PHANTOM.md 5.2 targets muscle ~0.3 of fluid), and
  // flowing blood loses signal in spin echo.
  study.appearance.signal[static_cast<std::size_t>(Tissue::kSkeletalMuscle)] *= 0.45;
  study.appearance.signal[static_cast<std::size_t>(Tissue::kBlood)] *= 0.5;
  std::array<double, kTissueCount> texture_scale{};
  texture_scale.fill(0.5);
  texture_scale[static_cast<std::size_t>(Tissue::kAir)] = 0.0;
  texture_scale[static_cast<std::size_t>(Tissue::kCortex)] = 0.3;
  texture_scale[static_cast<std::size_t>(Tissue::kMarrow)] = 1.0;
  texture_scale[static_cast<std::size_t>(Tissue::kFat)] = 1.0;
  texture_scale[static_cast<std::size_t>(Tissue::kSkeletalMuscle)] = 0.8;
  texture_scale[static_cast<std::size_t>(Tissue::kCartilage)] = 0.4;
  texture_scale[static_cast<std::size_t>(Tissue::kMeniscus)] = 0.3;
  texture_scale[static_cast<std::size_t>(Tissue::kFluid)] = 0.15;
  texture_scale[static_cast<std::size_t>(Tissue::kBlood)] = 0.3;
  const Vec3 look_centre = anatomy->kneeToPatient(lm.joint_centre);
  finishAppearance(study.appearance, look_rng, k, look_centre, Tissue::kCartilage, texture_scale,
                   opt.markers);

  // Fiducials at anatomical points inside bone: medial condyle, lateral tibial plateau (6 mm
  // below its surface), patella.
  if (opt.markers) {
    const Vec3 down_tibia = -anatomy->tibialShaftAxis();
    study.markers.push_back({anatomy->kneeToPatient(lm.medial_condyle_centre), 2.5,
                             Tissue::kMarkerA, "medial_condyle"});
    study.markers.push_back({anatomy->kneeToPatient(lm.lateral_plateau_centre) + down_tibia * 6.0,
                             2.5, Tissue::kMarkerB, "lateral_tibial_plateau"});
    study.markers.push_back(
        {anatomy->kneeToPatient(lm.patella_centre), 2.5, Tissue::kMarkerC, "patella"});
    anatomy = std::make_shared<KneeAnatomy>(subject, study.markers);
  }

  KneeTruth t;
  t.side = subject.side;
  t.scale = subject.scale;
  t.flexion_deg = subject.flexion_deg;
  t.external_rotation_deg = subject.external_rotation_deg;
  t.varus_valgus_deg = subject.varus_valgus_deg;
  t.cartilage_thickness_mm = subject.femoral_cartilage * subject.scale;
  t.origin_mm = anatomy->origin();
  t.medial_lateral_axis = anatomy->medialLateralAxis();
  t.anterior_posterior_axis = anatomy->anteriorPosteriorAxis();
  t.distal_proximal_axis = anatomy->distalProximalAxis();
  study.knee_truth = t;
  study.anatomy = anatomy;
  return study;
}

}  // namespace planelab::phantom
