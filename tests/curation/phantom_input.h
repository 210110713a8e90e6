// A phantom study as curation sees it after import (catalog::StudyImage rows, same fields the
// DICOM writer puts in the headers), and its pixels rendered in memory: lets tests and the
// validation benchmark curate large phantom cohorts without writing files.
#pragma once

#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/curation_records.h"
#include "curation/study_curation.h"
#include "phantom/render.h"
#include "phantom/study.h"

namespace planelab::testing {

// Which plan entry an image id stands for.
struct ImageKey {
  int series = 0;
  int slice = 0;
  int phase = 0;
};

struct PhantomInput {
  std::vector<catalog::StudyImage> images;
  std::map<std::int64_t, ImageKey> keys;  // instance id -> plan entry
};

inline std::string timeOfDay(double seconds) {
  const int s = static_cast<int>(std::floor(seconds));
  char text[32];
  std::snprintf(text, sizeof text, "%02d%02d%02d", s / 3600 % 24, s / 60 % 60, s % 60);
  return text;
}

// blank_descriptions: every SeriesDescription empty (geometry alone must name the views).
inline PhantomInput phantomInput(const phantom::PhantomStudy& study, bool blank_descriptions) {
  PhantomInput input;
  std::int64_t next_id = 1;
  for (std::size_t s = 0; s < study.series.size(); ++s) {
    const phantom::SeriesPlan& series = study.series[s];
    for (std::size_t k = 0; k < series.slices.size(); ++k) {
      const phantom::SlicePlan& slice = series.slices[k];
      const geometry::ImagePlane& p = slice.plane;
      for (const int phase : slice.phases) {
        catalog::StudyImage m;
        m.instance_id = next_id++;
        m.series_id = static_cast<std::int64_t>(s) + 1;
        m.series_instance_uid = "phantom." + std::to_string(s + 1);
        m.series_number = series.series_number;
        m.series_description = blank_descriptions ? "" : series.description;
        m.modality = "MR";
        m.body_part = study.acquisition.body_part;
        m.laterality = study.acquisition.laterality;
        m.patient_position = study.acquisition.patient_position;
        m.frame_of_reference_uid = "phantom.for";
        m.sop_instance_uid = "phantom." + std::to_string(m.instance_id);
        m.instance_number = static_cast<int>(k) * series.phase_count + phase + 1;
        m.rows = p.rows;
        m.cols = p.cols;
        m.image_position_patient = {p.position_mm.x, p.position_mm.y, p.position_mm.z};
        m.image_orientation_patient = {p.row_dir.x, p.row_dir.y, p.row_dir.z,
                                       p.col_dir.x, p.col_dir.y, p.col_dir.z};
        m.pixel_spacing = {p.row_spacing_mm, p.col_spacing_mm};
        m.slice_thickness_mm = series.slice_thickness_mm;
        if (series.gated) {
          m.trigger_time_ms = series.trigger_times_ms[static_cast<std::size_t>(phase)];
          m.cardiac_number_of_images = series.phase_count;
        }
        m.acquisition_time = timeOfDay(8 * 3600.0 + 600.0 + series.acquisition_offset_s);
        input.images.push_back(m);
        input.keys[m.instance_id] = {static_cast<int>(s), static_cast<int>(k), phase};
      }
    }
  }
  return input;
}

// Pixels of a phantom study rendered on demand (fast settings) and kept.
class PhantomPixels : public curation::PixelSource {
 public:
  PhantomPixels(const phantom::PhantomStudy& study, const PhantomInput& input)
      : study_(study), input_(input) {}
  std::optional<curation::PixelData> load(const curation::PlaneImage& image) override {
    const auto it = input_.keys.find(image.instance_id);
    if (it == input_.keys.end()) return std::nullopt;
    const ImageKey& key = it->second;
    phantom::RenderSettings settings = phantom::RenderSettings::fast();
    settings.labels = false;
    const phantom::RenderedImage rendered =
        phantom::renderImage(study_, key.series, key.slice, key.phase, settings);
    curation::PixelData data;
    data.rows = rendered.rows;
    data.cols = rendered.cols;
    data.values.assign(rendered.pixels.begin(), rendered.pixels.end());
    return data;
  }

 private:
  const phantom::PhantomStudy& study_;
  const PhantomInput& input_;
};

}  // namespace planelab::testing
