#include "phantom/cardiac_study.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "geometry/intersection.h"
#include "phantom/appearance.h"
#include "phantom/cardiac_anatomy.h"
#include "phantom/planning.h"

namespace planelab::phantom {

using geometry::cross;
using geometry::degToRad;
using geometry::dot;
using geometry::normalized;
using geometry::Vec3;

namespace {

constexpr std::uint64_t kHeartTag = 1;  // organ tag in derived random streams
constexpr int kSaxColumns[] = {192, 208, 224, 256};

std::string saxDescription(Layout layout, int k) {
  if (layout == Layout::kUkb) return "CINE_segmented_SAX_b" + std::to_string(k + 1);
  return "sax";
}

std::string laxDescription(Layout layout, const std::string& view) {
  if (layout == Layout::kUkb) {
    if (view == "2ch") return "CINE_segmented_LAX_2Ch";
    if (view == "3ch") return "CINE_segmented_LAX_3Ch";
    return "CINE_segmented_LAX_4Ch";
  }
  return view;
}

std::string folderFor(Layout layout, const std::string& view, const std::string& description,
                      int series_number) {
  if (layout == Layout::kUkb) return description;
  return view + "_" + std::to_string(series_number);  // DSB: sax_<n>, 2ch_<n>, 4ch_<n>
}

}  // namespace

PhantomStudy generateCardiacStudy(std::uint64_t seed, int subject_index, const StudyOptions& opt) {
  const DifficultyKnobs& k = opt.knobs;
  const auto idx = static_cast<std::uint64_t>(subject_index);
  Rng subject_rng = Rng::derive(seed, {kHeartTag, idx, 1});
  Rng plan_rng = Rng::derive(seed, {kHeartTag, idx, 2});
  Rng look_rng = Rng::derive(seed, {kHeartTag, idx, 3});
  Rng shift_rng = Rng::derive(seed, {kHeartTag, idx, 4});

  const CardiacSubject subject = sampleCardiacSubject(subject_rng, k);
  auto anatomy = std::make_shared<CardiacAnatomy>(subject);
  const HeartFrame& fr = anatomy->frame();

  PhantomStudy study = startStudy(Organ::kHeart, seed, subject_index, opt, subject.female,
                                  subject.age_years, subject.weight_kg);
  study.label_names = {"background", "RV cavity", "LV myocardium", "LV cavity"};

  // Acquisition: bSSFP cine, 1.5 T.
  AcquisitionParameters& acq = study.acquisition;
  acq.patient_position = opt.layout == Layout::kQuirks ? "FFS" : "HFS";
  acq.repetition_time_ms = std::round(plan_rng.uniform(2.8, 3.6) * 100.0) / 100.0;
  acq.echo_time_ms = std::round(acq.repetition_time_ms * 50.0) / 100.0;
  acq.flip_angle_deg = std::round(plan_rng.uniform(k.flip_min_deg, k.flip_max_deg));
  acq.heart_rate_bpm = std::round(subject.heart_rate_bpm);
  acq.nominal_interval_ms = std::round(60000.0 / subject.heart_rate_bpm);
  const double rr = anatomy->rrMs();
  const int phases = std::max(1, opt.phases);

  // Planning (PHANTOM.md 3.5): the technologist's long axis and views.
  const Vec3 m_plan = fr.origin + Vec3{plan_rng.normal(0, k.plan_error_mitral_mm),
                                       plan_rng.normal(0, k.plan_error_mitral_mm),
                                       plan_rng.normal(0, k.plan_error_mitral_mm)};
  const Vec3 a_plan = fr.apex + Vec3{plan_rng.normal(0, k.plan_error_apex_mm),
                                     plan_rng.normal(0, k.plan_error_apex_mm),
                                     plan_rng.normal(0, k.plan_error_apex_mm)};
  const Vec3 axis = normalized(a_plan - m_plan);
  const Vec3 n_sax = -tiltRandomly(plan_rng, axis, plan_rng.normal(0.0, k.plan_error_tilt_deg));
  const double u_thick = plan_rng.uniform();
  const double thickness = u_thick < 0.7 ? 8.0 : u_thick < 0.85 ? 7.0 : 6.0;
  const double spacing_choices[] = {thickness, thickness + 1.6, thickness + 2.0, 10.0};
  const double spacing = spacing_choices[plan_rng.uniformInt(0, 3)];
  const double s0 = plan_rng.uniform(-10.0, 5.0);
  int n_slices = static_cast<int>(std::ceil((subject.length + 10.0 - s0) / spacing)) +
                 plan_rng.uniformInt(0, 1);
  n_slices = std::clamp(n_slices, 8, 14);
  const Vec3 p1 = normalized(cross(n_sax, geometry::cross(n_sax, Vec3{0.3, 0.5, 0.8})));
  const Vec3 p2 = cross(n_sax, p1);
  // Random draws go into named values first: the evaluation order of the operands of `+` is
  // unspecified, and compilers differ (byte-identical output needs a fixed order).
  const double offset_1 = plan_rng.normal(0.0, k.fov_offset_sd_mm);
  const double offset_2 = plan_rng.normal(0.0, k.fov_offset_sd_mm);
  const Vec3 sax_offset = p1 * offset_1 + p2 * offset_2;

  const double fov_sax = plan_rng.uniform(300.0, 400.0);
  const ImageGrid sax_grid = drawImageGrid(plan_rng, k, fov_sax, kSaxColumns, 4, 0.75);
  const double fov_lax = plan_rng.uniform(300.0, 400.0);
  const ImageGrid lax_grid = drawImageGrid(plan_rng, k, fov_lax, kSaxColumns, 4, 0.75);
  const double sax_rotation =
      drawInPlaneRotationDeg(plan_rng, k.inplane_rotation_sd_sax_deg, k.inplane_family_probability);
  const auto sax_axes = inPlaneAxes(n_sax, sax_rotation);
  const bool phase_rows = plan_rng.bernoulli(0.5);
  const double phase_fraction = plan_rng.uniform(k.kspace_phase_min, k.kspace_phase_max);
  const double readout_fraction = k.kspace_phase_min < 1.0 ? plan_rng.uniform(0.8, 1.0) : 1.0;

  const auto beta_dir = [&](double beta_deg) {
    const double b = degToRad(beta_deg);
    return normalized(
        geometry::projectOntoPlane(fr.e_s * std::cos(b) + fr.e_a * std::sin(b), axis));
  };
  const double beta_sd = k.roll_sd_deg > 0.0 ? 8.0 * std::min(1.0, k.roll_sd_deg / 12.0) : 0.0;
  const double beta_4ch = -30.0 + plan_rng.truncatedNormal(0.0, beta_sd);
  const double dihedral_2ch = k.roll_sd_deg > 0.0 ? plan_rng.uniform(90.0, 120.0) : 120.0;
  const double beta_2ch = beta_4ch + dihedral_2ch + plan_rng.normal(0.0, beta_sd > 0.0 ? 5.0 : 0.0);
  const Vec3 av_dir = geometry::projectOntoPlane(fr.aortic_valve - m_plan, axis);
  const double beta_3ch = geometry::radToDeg(std::atan2(dot(av_dir, fr.e_a), dot(av_dir, fr.e_s))) +
                          plan_rng.normal(0.0, beta_sd > 0.0 ? 3.0 : 0.0);

  // Trigger times: phase k at k RR / N with +-2 ms jitter (phase 0 on the R wave).
  const auto trigger_times = [&](Rng& r) {
    std::vector<double> t(static_cast<std::size_t>(phases));
    for (int p = 0; p < phases; ++p) {
      const double jitter = p == 0 ? 0.0 : r.uniform(-2.0, 2.0);
      t[static_cast<std::size_t>(p)] = std::round((p * rr / phases + jitter) * 10.0) / 10.0;
    }
    return t;
  };
  const auto breath_hold = [&]() {
    if (!opt.breath_hold_shifts) return Vec3{};
    return Vec3{shift_rng.normal(0.0, k.breath_hold_sd_mm.x),
                shift_rng.normal(0.0, k.breath_hold_sd_mm.y),
                shift_rng.normal(0.0, k.breath_hold_sd_mm.z)};
  };
  std::vector<int> all_phases(static_cast<std::size_t>(phases));
  for (int p = 0; p < phases; ++p) all_phases[static_cast<std::size_t>(p)] = p;
  const bool labelled = opt.labels != StudyOptions::Labels::kNone;

  const auto make_series = [&](const std::string& view, const std::string& desc, int number) {
    SeriesPlan s;
    s.view = view;
    s.description = desc;
    s.series_number = number;
    s.folder = folderFor(opt.layout, view, desc, number);
    s.gated = true;
    s.phase_count = phases;
    s.trigger_times_ms = trigger_times(plan_rng);
    s.phase_fraction = phase_fraction;
    s.readout_fraction = readout_fraction;
    s.phase_encoding_along_rows = phase_rows;
    s.labelled = labelled;
    return s;
  };

  // SAX stack: one series (and one breath-hold) per slice, as in DSB and UK Biobank.
  double acq_time = 0.0;
  const int first_sax_number = opt.layout == Layout::kUkb ? 10 : 5;
  for (int s = 0; s < n_slices; ++s) {
    const Vec3 centre = m_plan + sax_offset + (-n_sax) * (s0 + s * spacing);
    SeriesPlan series = make_series("sax", saxDescription(opt.layout, s), first_sax_number + s);
    series.slice_thickness_mm = thickness;
    series.spacing_between_slices_mm = spacing;
    SlicePlan slice;
    slice.plane = planeCentredAt(centre, sax_axes.first, sax_axes.second, sax_grid);
    slice.breath_hold_shift_mm = breath_hold();
    slice.phases = all_phases;
    series.slices.push_back(slice);
    series.acquisition_offset_s = acq_time;
    acq_time += 20.0;  // one breath-hold and recovery per slice
    study.series.push_back(series);
  }

  // Long-axis views; DSB data has 2CH and 4CH only.
  struct LaxView {
    std::string view;
    double beta;
    int number;
  };
  std::vector<LaxView> lax = {{"2ch", beta_2ch, 2}, {"4ch", beta_4ch, 4}};
  if (opt.layout == Layout::kUkb) lax.insert(lax.begin() + 1, {"3ch", beta_3ch, 3});
  const double lax_thickness = opt.layout == Layout::kUkb ? 6.0 : thickness;
  for (const LaxView& v : lax) {
    const Vec3 n = normalized(cross(axis, beta_dir(v.beta)));
    const double rot = drawInPlaneRotationDeg(plan_rng, k.inplane_rotation_sd_lax_deg,
                                              k.inplane_family_probability);
    const auto axes = inPlaneAxes(n, rot);
    const double lax_offset_1 = plan_rng.normal(0.0, 10.0 * k.fov_offset_sd_mm / 12.0);
    const double lax_offset_2 = plan_rng.normal(0.0, 10.0 * k.fov_offset_sd_mm / 12.0);
    const Vec3 in_plane_offset = axes.first * lax_offset_1 + axes.second * lax_offset_2;
    const Vec3 centre = (m_plan + a_plan) * 0.5 + in_plane_offset;
    SeriesPlan series = make_series(v.view, laxDescription(opt.layout, v.view), v.number);
    series.slice_thickness_mm = lax_thickness;
    SlicePlan slice;
    slice.plane = planeCentredAt(centre, axes.first, axes.second, lax_grid);
    slice.breath_hold_shift_mm = breath_hold();
    slice.phases = all_phases;
    series.slices.push_back(slice);
    series.acquisition_offset_s = acq_time;
    acq_time += 20.0;
    study.series.push_back(series);
  }

  if (opt.layout == Layout::kQuirks) {
    Rng quirk_rng = Rng::derive(seed, {kHeartTag, idx, 5});
    // A three-plane localizer: thick, ungated, scanner-axis planes.
    SeriesPlan loc;
    loc.view = "localizer";
    loc.description = "localizer";
    loc.series_number = 1;
    loc.folder = "localizer_1";
    loc.gated = false;
    loc.phase_count = 1;
    loc.slice_thickness_mm = 10.0;
    const ImageGrid loc_grid{256, 256, 1.6, 1.6};
    const Vec3 normals[] = {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}};
    for (const Vec3& n : normals) {
      const auto axes = inPlaneAxes(n, 0.0);
      SlicePlan sl;
      sl.plane = planeCentredAt(subject.lv_centroid, axes.first, axes.second, loc_grid);
      sl.phases = {0};
      loc.slices.push_back(sl);
    }
    loc.acquisition_offset_s = -60.0;
    study.series.insert(study.series.begin(), loc);

    // Which SAX series to disturb: mid-stack slices (index into study.series after insert).
    const int sax_begin = 1;
    const int mid = sax_begin + n_slices / 2;
    // A repeated slice location, acquired again later (DSB: re-acquired after an artefact).
    SeriesPlan repeat = study.series[static_cast<std::size_t>(mid)];
    repeat.series_number = 100 + repeat.series_number;
    repeat.folder = "sax_" + std::to_string(repeat.series_number);
    repeat.acquisition_offset_s = acq_time + 30.0;
    repeat.trigger_times_ms = trigger_times(quirk_rng);
    repeat.slices[0].breath_hold_shift_mm = breath_hold();
    study.series.push_back(repeat);
    // A missing phase in another slice.
    auto& gap = study.series[static_cast<std::size_t>(mid - 2)].slices[0].phases;
    gap.erase(gap.begin() + std::min<int>(static_cast<int>(gap.size()) - 1,
                                          quirk_rng.uniformInt(1, std::max(1, phases - 1))));
    // A slice with a different matrix and pixel spacing (same centre and orientation).
    SeriesPlan& odd = study.series[static_cast<std::size_t>(mid + 1)];
    ImageGrid other = sax_grid;
    other.cols = sax_grid.cols == 256 ? 224 : 256;
    other.rows = other.cols * sax_grid.rows / sax_grid.cols / 2 * 2;
    other.col_spacing_mm = other.row_spacing_mm = std::round(fov_sax / other.cols * 1e4) / 1e4;
    const Vec3 c_odd = odd.slices[0].plane.centre();
    odd.slices[0].plane = planeCentredAt(c_odd, sax_axes.first, sax_axes.second, other);
    // Blank SeriesDescription on a SAX slice and on one long-axis series.
    study.series[static_cast<std::size_t>(mid - 1)].description.clear();
    study.series[static_cast<std::size_t>(sax_begin + n_slices + 1)].description.clear();
  }

  // Appearance: bSSFP table with per-subject jitter, texture, bias, noise.
  const RelaxationTable relax = jitteredRelaxation(look_rng, k.contrast_jitter);
  study.appearance.signal =
      bssfpSignal(relax, acq.repetition_time_ms, acq.echo_time_ms, acq.flip_angle_deg);
  std::array<double, kTissueCount> texture_scale{};
  texture_scale.fill(0.6);
  texture_scale[static_cast<std::size_t>(Tissue::kMyocardium)] = 0.5;
  texture_scale[static_cast<std::size_t>(Tissue::kFat)] = 1.0;
  texture_scale[static_cast<std::size_t>(Tissue::kLiver)] = 1.0;
  texture_scale[static_cast<std::size_t>(Tissue::kBlood)] = 0.3;
  texture_scale[static_cast<std::size_t>(Tissue::kAir)] = 0.0;
  finishAppearance(study.appearance, look_rng, k, subject.lv_centroid, Tissue::kMyocardium,
                   texture_scale, opt.markers);

  // Fiducials at known, non-collinear points that lie exactly on planned planes: where the
  // 4CH plane crosses a mid SAX slice (30 mm from the axis), where the 2CH plane crosses a basal
  // slice (-25 mm) and off-axis in the 4CH plane.
  if (opt.markers) {
    const auto find = [&](const std::string& view, int nth) -> const SeriesPlan* {
      int seen = 0;
      for (const auto& s : study.series) {
        if (s.view == view && seen++ == nth) return &s;
      }
      return nullptr;
    };
    const SeriesPlan* mid_sax = find("sax", n_slices / 2);
    const SeriesPlan* base_sax = find("sax", 1);
    const SeriesPlan* four = find("4ch", 0);
    const SeriesPlan* two = find("2ch", 0);
    const auto on_line = [&](const SeriesPlan* a, const SeriesPlan* b, double offset) {
      const auto line = geometry::intersectPlanes(a->slices[0].plane, b->slices[0].plane);
      const Vec3 c = a->slices[0].plane.centre();
      const Vec3 nearest =
          line->point_mm + line->direction * dot(c - line->point_mm, line->direction);
      return nearest + line->direction * offset;
    };
    study.markers.push_back({on_line(mid_sax, four, 30.0), 4.0, Tissue::kMarkerA, "sax_mid_x_4ch"});
    study.markers.push_back(
        {on_line(base_sax, two, -25.0), 4.0, Tissue::kMarkerB, "sax_base_x_2ch"});
    const auto& p4 = four->slices[0].plane;
    study.markers.push_back({p4.centre() + p4.row_dir * 45.0 + p4.col_dir * 25.0, 4.0,
                             Tissue::kMarkerC, "4ch_offaxis"});
  }

  // Ground truth.
  CardiacTruth t;
  t.group = subject.group;
  t.lv_edv_ml = anatomy->lvVolumeMl(0.0);
  t.lv_esv_ml = anatomy->lvVolumeMl(subject.t_es_fraction * rr);
  t.lv_ef = subject.ef;
  t.lv_myocardial_volume_ml = anatomy->myocardialVolumeMl();
  t.lv_mass_g = t.lv_myocardial_volume_ml * 1.05;
  t.wall_thickness_ed_mm = anatomy->wallThicknessMm(0.0);
  t.wall_thickness_es_mm = anatomy->wallThicknessMm(subject.t_es_fraction * rr);
  t.ed_phase = 0;
  double v_min = 1e18;
  for (int p = 0; p < phases; ++p) {
    t.lv_volume_per_phase_ml.push_back(anatomy->lvVolumeMl(p * rr / phases));
    if (t.lv_volume_per_phase_ml.back() < v_min) {
      v_min = t.lv_volume_per_phase_ml.back();
      t.es_phase = p;
    }
  }
  t.rv_edv_ml = anatomy->rvVolumeMl(0.0);
  t.rv_esv_ml = anatomy->rvVolumeMl(subject.t_es_fraction * rr);
  t.mitral_centre_mm = fr.origin;
  t.apex_mm = fr.apex;
  t.aortic_valve_mm = fr.aortic_valve;
  t.true_long_axis = fr.a;
  t.planned_long_axis = axis;
  t.septal_direction = fr.e_s;
  study.cardiac_truth = t;
  study.anatomy = anatomy;
  return study;
}

}  // namespace planelab::phantom
