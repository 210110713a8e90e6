// Hand-made PhantomStudy for the dicom unit tests: small oblique planes, a trivial anatomy, no
// dependence on the generator's sampling.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "geometry/vec3.h"
#include "phantom/anatomy.h"
#include "phantom/study.h"
#include "temp_dir.h"

namespace planelab::dicom::testing {

// Concentric spheres around the origin: label 3 inside 20 mm, 2 up to 30 mm, 1 up to 40 mm.
class SphereAnatomy : public phantom::Anatomy {
 public:
  class Snapshot : public phantom::AnatomySnapshot {
   public:
    phantom::TissueSample eval(const geometry::Vec3& x,
                               const geometry::Vec3& shift) const override {
      const double r = geometry::norm(x - shift);
      phantom::TissueSample s;
      if (r < 20.0) {
        s.tissue = phantom::Tissue::kBlood;
        s.label = 3;
      } else if (r < 30.0) {
        s.tissue = phantom::Tissue::kMyocardium;
        s.label = 2;
      } else if (r < 40.0) {
        s.tissue = phantom::Tissue::kBlood;
        s.label = 1;
      } else {
        s.tissue = phantom::Tissue::kFat;
      }
      return s;
    }
  };
  std::unique_ptr<phantom::AnatomySnapshot> at(double) const override {
    return std::make_unique<Snapshot>();
  }
};

// An oblique, orthonormal in-plane basis (no zero components).
inline geometry::Vec3 obliqueRow() {
  return geometry::normalized({0.6, 0.7, -0.2});
}
inline geometry::Vec3 obliqueCol() {
  const geometry::Vec3 r = obliqueRow();
  return geometry::normalized(geometry::projectOntoPlane({-0.3, 0.3, -0.9}, r));
}

// Heart-like study: series 0 = gated 2-slice, 3-phase SAX (labelled); series 1 = ungated
// 1-slice localizer with a blank description; non-square matrix and unequal pixel spacing.
inline phantom::PhantomStudy makeTestStudy(phantom::Organ organ = phantom::Organ::kHeart) {
  phantom::PhantomStudy study;
  study.organ = organ;
  study.seed = 1234;
  study.subject_index = 7;
  study.patient = {"PL-TEST-0007", "Phantom^Test", "F", 54, 71.5};
  study.anatomy = std::make_shared<SphereAnatomy>();
  study.appearance.signal.fill(100.0);
  study.appearance.gain = 5.0;
  study.label_names = {"background", "RV cavity", "LV myocardium", "LV cavity"};
  if (organ == phantom::Organ::kHeart) {
    study.acquisition.heart_rate_bpm = 60.0;
    study.acquisition.nominal_interval_ms = 1000.0;
    phantom::CardiacTruth truth;
    truth.ed_phase = 0;
    truth.es_phase = 2;
    study.cardiac_truth = truth;
  } else {
    study.acquisition.body_part = "KNEE";
    study.acquisition.laterality = "R";
    study.acquisition.scanning_sequence = "SE";
    study.acquisition.sequence_variant = "SK";
    study.acquisition.scan_options = "FS";
    study.label_names = {"background", "femur", "tibia", "femoral cartilage", "meniscus"};
  }

  phantom::SeriesPlan sax;
  sax.view = "sax";
  sax.description = "CINE_segmented_SAX";
  sax.folder = "sax_5";
  sax.series_number = 5;
  sax.gated = organ == phantom::Organ::kHeart;
  sax.phase_count = sax.gated ? 3 : 1;
  if (sax.gated) sax.trigger_times_ms = {0.0, 333.333333, 666.666667};
  sax.slice_thickness_mm = 8.0;
  sax.spacing_between_slices_mm = 10.0;
  sax.phase_fraction = 0.75;
  sax.readout_fraction = 1.0;
  sax.phase_encoding_along_rows = true;
  sax.labelled = true;
  sax.acquisition_offset_s = 120.5;
  const geometry::Vec3 r = obliqueRow();
  const geometry::Vec3 c = obliqueCol();
  const geometry::Vec3 n = geometry::cross(r, c);
  for (int k = 0; k < 2; ++k) {
    phantom::SlicePlan slice;
    slice.plane.rows = 24;
    slice.plane.cols = 32;
    slice.plane.row_spacing_mm = 2.5;  // between rows, along col_dir
    slice.plane.col_spacing_mm = 2.0;  // between columns, along row_dir
    slice.plane.row_dir = r;
    slice.plane.col_dir = c;
    const geometry::Vec3 centre = n * (-5.0 + 10.0 * k) + geometry::Vec3{1.0, -2.0, 3.0};
    slice.plane.position_mm = centre - r * (15.5 * 2.0) - c * (11.5 * 2.5);
    for (int p = 0; p < sax.phase_count; ++p) slice.phases.push_back(p);
    slice.breath_hold_shift_mm = {0.5 * k, 0.0, -0.25};
    sax.slices.push_back(slice);
  }
  study.series.push_back(sax);

  phantom::SeriesPlan loc;
  loc.view = "localizer";
  loc.description = "";
  loc.folder = "localizer_1";
  loc.series_number = 1;
  loc.gated = false;
  loc.phase_count = 1;
  loc.slice_thickness_mm = 6.0;
  loc.phase_encoding_along_rows = false;
  loc.phase_fraction = 0.5;
  phantom::SlicePlan axial;
  axial.plane.rows = 16;
  axial.plane.cols = 16;
  axial.plane.row_spacing_mm = 4.0;
  axial.plane.col_spacing_mm = 4.0;
  axial.plane.row_dir = {1.0, 0.0, 0.0};
  axial.plane.col_dir = {0.0, 1.0, 0.0};
  axial.plane.position_mm = {-30.0, -30.0, 0.0};
  axial.phases = {0};
  loc.slices.push_back(axial);
  study.series.push_back(loc);
  return study;
}

inline std::filesystem::path freshTempDir(const std::string& name) {
  return planelab::testing::freshTempDir("dicom", name);
}

}  // namespace planelab::dicom::testing
