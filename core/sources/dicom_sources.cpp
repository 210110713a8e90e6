#include "sources/dicom_sources.h"

#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>

#include "dicom/pixel_reader.h"

namespace planelab::sources {

std::optional<curation::PixelData> DicomPixels::load(const curation::PlaneImage& image,
                                                     std::string* error_key) {
  std::string key, message;
  auto pixels = dicom::readPixels(image.file_path, image.frame_number, &key, &message);
  if (!pixels) {
    spdlog::debug("[{}] {}: {}", key, image.file_path, message);
    if (error_key != nullptr) *error_key = key;
    return std::nullopt;
  }
  return curation::PixelData{pixels->rows, pixels->cols, std::move(pixels->values)};
}

DicomLabels::DicomLabels(const catalog::Catalog& catalog,
                         const std::vector<std::int64_t>& studies) {
  std::vector<catalog::LabelFrameRef> refs;
  for (const std::int64_t study : studies) {
    std::vector<catalog::LabelFrameRef> more = catalog.labelFramesOfStudy(study);
    refs.insert(refs.end(), more.begin(), more.end());
  }
  // Names by their smallest segment number, then by name.
  std::map<std::string, int> first_number;
  auto nameOf = [](const catalog::LabelFrameRef& r) {
    return r.segment_label.empty() ? "segment " + std::to_string(r.segment_number)
                                   : r.segment_label;
  };
  for (const catalog::LabelFrameRef& r : refs) {
    const std::string name = nameOf(r);
    const auto it = first_number.find(name);
    if (it == first_number.end() || r.segment_number < it->second) {
      first_number[name] = r.segment_number;
    }
  }
  std::vector<std::pair<int, std::string>> ordered;
  for (const auto& [name, number] : first_number) ordered.emplace_back(number, name);
  std::sort(ordered.begin(), ordered.end());
  names_ = {"background"};
  std::map<std::string, std::uint8_t> value_of;
  for (const auto& [number, name] : ordered) {
    if (names_.size() >= 256) break;  // uint8 label maps
    value_of[name] = static_cast<std::uint8_t>(names_.size());
    names_.push_back(name);
  }
  for (const catalog::LabelFrameRef& r : refs) {
    const auto it = value_of.find(nameOf(r));
    if (it == value_of.end()) continue;
    frames_[r.instance_id].push_back({r.seg_file, r.seg_file_missing, r.seg_frame, it->second});
  }
  if (names_.size() == 1) names_.clear();
}

bool DicomLabels::hasLabels(const curation::PlaneImage& image) {
  return frames_.count(image.instance_id) > 0;
}

std::optional<prepare::LabelMap> DicomLabels::load(const curation::PlaneImage& image) {
  const auto it = frames_.find(image.instance_id);
  if (it == frames_.end()) return std::nullopt;
  prepare::LabelMap map;
  auto fail = [&](const std::string& key, const std::string& file, const std::string& message) {
    spdlog::debug("[{}] {}: {}", key, file, message);
    const std::lock_guard<std::mutex> lock(mutex_);
    ++errors_[key];
    return std::nullopt;
  };
  for (const Frame& f : it->second) {
    if (f.missing) return fail("seg_file_missing", f.file, "the SEG file is gone");
    std::string key, message;
    const auto frame = cache_.readFrame(f.file, f.seg_frame, &key, &message);
    if (!frame) return fail(key, f.file, message);
    if (map.values.empty()) {
      map.rows = frame->rows;
      map.cols = frame->cols;
      map.values.assign(frame->mask.size(), 0);
    } else if (frame->rows != map.rows || frame->cols != map.cols) {
      return fail("mask_size_mismatch", f.file, "segments of one image differ in size");
    }
    for (std::size_t k = 0; k < frame->mask.size(); ++k) {
      if (frame->mask[k] != 0) map.values[k] = f.value;
    }
  }
  return map;
}

std::map<std::string, std::int64_t> DicomLabels::errors() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return errors_;
}

}  // namespace planelab::sources
