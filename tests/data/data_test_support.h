// Shared fixtures of the data-layer tests: temporary folders and a small synthetic prepared
// dataset (SAX stacks crossed by one 2CH and one 4CH plane per subject), geometry built directly
// on the plan's grid.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "data/prepared_dataset.h"
#include "data/pretext_targets.h"
#include "phantom/planning.h"
#include "temp_dir.h"

namespace planelab::data::testing {

inline std::filesystem::path freshTempDir(const std::string& name) {
  return planelab::testing::freshTempDir("data", name);
}

// A size x size plane at `spacing` whose centre pixel lies at `centre`.
inline geometry::ImagePlane gridPlane(const geometry::Vec3& centre, const geometry::Vec3& row_dir,
                                      const geometry::Vec3& col_dir, int size, double spacing) {
  return phantom::planeCentredAt(centre, geometry::normalized(row_dir),
                                 geometry::normalized(col_dir), {size, size, spacing, spacing});
}

// Long-axis plane containing the z axis direction, its in-plane horizontal direction at
// `angle_deg` in the x-y plane, through `centre`.
inline geometry::ImagePlane laxPlane(double angle_deg, const geometry::Vec3& centre, int size,
                                     double spacing) {
  const double a = angle_deg * geometry::kPi / 180.0;
  return gridPlane(centre, {std::cos(a), std::sin(a), 0.0}, {0.0, 0.0, -1.0}, size, spacing);
}

// Deterministic test image of a sample: smooth pattern + sample index offset.
inline std::vector<float> testImage(int size, int sample) {
  std::vector<float> image(static_cast<std::size_t>(size) * size);
  for (int r = 0; r < size; ++r) {
    for (int c = 0; c < size; ++c) {
      image[static_cast<std::size_t>(r) * size + c] = static_cast<float>(
          std::sin(0.11 * r + 0.3 * sample) * std::cos(0.07 * c) + 0.01 * sample + 1e-3 * r);
    }
  }
  return image;
}

// Labels: a disc of 1 left of centre, a square of 2 right of it (an asymmetric pattern).
inline std::vector<std::uint8_t> testLabels(int size) {
  std::vector<std::uint8_t> labels(static_cast<std::size_t>(size) * size, 0);
  const double c = (size - 1) / 2.0;
  for (int r = 0; r < size; ++r) {
    for (int col = 0; col < size; ++col) {
      const double dr = r - (c - size / 8.0);
      const double dc = col - (c - size / 5.0);
      auto& v = labels[static_cast<std::size_t>(r) * size + col];
      if (dr * dr + dc * dc < (size / 10.0) * (size / 10.0)) v = 1;
      if (std::abs(r - c) < size / 12.0 && col > c + size / 10.0 && col < c + size / 4.0) v = 2;
    }
  }
  return labels;
}

struct SyntheticOptions {
  int subjects = 4;
  int slices = 3;  // SAX planes per subject
  int phases = 2;  // samples per SAX plane
  int size = 48;
  double spacing = 1.5;
  bool with_lax = true;      // 2CH + 4CH planes (planes 0 and 1 when present)
  bool lax_samples = false;  // the LAX planes become samples too (views sax,2ch,4ch)
  std::vector<std::string> classes = {"a", "b"};  // class of subject i: classes[i % n]
  // Image of a sample (default testImage(size, number)); number = its index in the dataset.
  std::function<std::vector<float>(const Subject&, const Sample&, int number)> image;
};

inline PreprocessingPlan syntheticPlan(const SyntheticOptions& o) {
  PreprocessingPlan plan;
  plan.grid.size = o.size;
  plan.grid.spacing_mm = o.spacing;
  plan.heatmap.sigma_px = 3.0;
  if (o.lax_samples) plan.views = {"sax", "2ch", "4ch"};
  return plan;
}

// Writes the dataset into `folder` (overwrite) and opens it. Sample order: subject-major, then
// LAX samples (if any), then SAX slice, then phase. Every SAX sample of an odd phase has labels.
inline std::shared_ptr<const PreparedDataset> writeSynthetic(const std::filesystem::path& folder,
                                                             const SyntheticOptions& o) {
  DatasetWriter writer(folder.string(), syntheticPlan(o), true);
  writer.setLabelNames({"background", "disc", "square"});
  writer.setSource({{"kind", "test"}});
  int sample_number = 0;
  const auto labels = testLabels(o.size);
  const auto imageOf = [&](const Subject& subject, const Sample& sample, int number) {
    return o.image ? o.image(subject, sample, number) : testImage(o.size, number);
  };
  for (int s = 0; s < o.subjects; ++s) {
    Subject subject;
    subject.id = "S" + std::to_string(100 + s);
    subject.study_uid = "1.2.3." + std::to_string(s);
    if (!o.classes.empty()) subject.class_label = o.classes[s % o.classes.size()];
    const geometry::Vec3 heart{3.0 * s, -2.0 * s, 10.0};
    if (o.with_lax) {
      subject.planes.push_back({laxPlane(60.0 + 5 * s, heart, o.size, o.spacing), "2ch", -1, -1});
      subject.planes.push_back(
          {laxPlane(-30.0 + 3 * s, heart + geometry::Vec3{2.0, 1.0, 0.0}, o.size, o.spacing), "4ch",
           -1, -1});
    }
    const int first_sax = static_cast<int>(subject.planes.size());
    for (int k = 0; k < o.slices; ++k) {
      const geometry::Vec3 centre = heart + geometry::Vec3{0.0, 0.0, 8.0 * k - 8.0};
      subject.planes.push_back(
          {gridPlane(centre, {1.0, 0.0, 0.0}, {0.0, 1.0, 0.0}, o.size, o.spacing), "sax", 0, k});
    }
    const int index = writer.addSubject(subject);
    if (o.lax_samples && o.with_lax) {
      for (int p = 0; p < 2; ++p) {
        Sample sample;
        sample.subject = index;
        sample.plane = p;
        writer.addSample(sample, imageOf(subject, sample, sample_number++), {});
      }
    }
    for (int k = 0; k < o.slices; ++k) {
      for (int ph = 0; ph < o.phases; ++ph) {
        Sample sample;
        sample.subject = index;
        sample.plane = first_sax + k;
        sample.phase = ph;
        sample.phase_count = o.phases;
        sample.slice_count = o.slices;
        if (o.slices > 1) sample.relative_location = static_cast<double>(k) / (o.slices - 1);
        sample.sop_instance_uid = "1.2.3." + std::to_string(s) + "." + std::to_string(k);
        sample.frame_number = ph + 1;
        writer.addSample(sample, imageOf(subject, sample, sample_number++),
                         ph % 2 == 1 ? labels : std::vector<std::uint8_t>{});
      }
    }
  }
  writer.finish();
  return PreparedDataset::open(folder.string());
}

}  // namespace planelab::data::testing
