// Pixels and labels of catalog images read from their DICOM files (DCMTK through core/dicom):
// the sources of curation (misalignment score), prepare and the GUI viewers. Thread-safe: prepare's
// workers share one of each.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/catalog.h"
#include "dicom/seg_reader.h"
#include "prepare/prepare.h"

namespace planelab::sources {

// One frame's pixels after the Modality LUT (dicom::readPixels); failures carry pixel_reader's
// keys (cannot_read_file, no_pixel_data, ...), logged at debug level.
class DicomPixels : public prepare::KeyedPixelSource {
 public:
  using prepare::KeyedPixelSource::load;
  std::optional<curation::PixelData> load(const curation::PlaneImage& image,
                                          std::string* error_key) override;
};

// Label maps from the DICOM SEG frames the catalog links to each image (labelFramesOfStudy). The
// label names are the segments' SegmentLabels (a segment without one: "segment <number>"),
// ordered by their smallest SegmentNumber, after "background" (value 0). Where segments overlap,
// the later name wins.
class DicomLabels : public prepare::LabelSource {
 public:
  // Reads the label frames of these studies (on the calling thread; the catalog is not used
  // afterwards).
  DicomLabels(const catalog::Catalog& catalog, const std::vector<std::int64_t>& studies);
  std::vector<std::string> labelNames() const override { return names_; }
  bool hasLabels(const curation::PlaneImage& image) override;
  std::optional<prepare::LabelMap> load(const curation::PlaneImage& image) override;
  // SEG frames that could not be read (seg_reader's keys, "seg_file_missing", "mask_size_mismatch")
  // and how often.
  std::map<std::string, std::int64_t> errors() const;
  std::int64_t labelledImages() const { return static_cast<std::int64_t>(frames_.size()); }

 private:
  struct Frame {
    std::string file;
    bool missing = false;
    int seg_frame = 0;
    std::uint8_t value = 0;
  };
  std::vector<std::string> names_;
  std::unordered_map<std::int64_t, std::vector<Frame>> frames_;  // by instance id
  dicom::SegmentationCache cache_{16};
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t> errors_;
};

}  // namespace planelab::sources
