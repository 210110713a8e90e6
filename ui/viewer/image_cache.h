// Decoded frames of catalog images for the viewers (2-D viewer, 3-D scene textures), read with
// core/dicom and kept in a small least-recently-used cache so cine playback and slice stepping do
// not decode a file twice. UI thread only.
#pragma once

#include <QString>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "curation/study_scene.h"
#include "dicom/pixel_reader.h"

namespace planelab::ui {

struct CachedFrame {
  std::shared_ptr<const dicom::PixelImage> image;  // null when the file could not be read
  std::string error_key;                           // pixel_reader's key
  QString message;
};

class ImageCache {
 public:
  explicit ImageCache(std::size_t capacity = 256) : capacity_(capacity) {}
  CachedFrame frame(const curation::PlaneImage& image);
  void clear();

 private:
  std::size_t capacity_;
  std::list<std::string> order_;  // most recent first
  std::unordered_map<std::string, std::pair<CachedFrame, std::list<std::string>::iterator>> frames_;
};

// A default window (centre, width) for a frame: its 1st to 99th percentile of values, so a few
// bright pixels (fat, flow artefacts) do not wash the image out.
std::pair<double, double> defaultWindow(const dicom::PixelImage& image);

}  // namespace planelab::ui
