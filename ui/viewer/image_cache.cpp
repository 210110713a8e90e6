#include "ui/viewer/image_cache.h"

#include <algorithm>
#include <vector>

namespace planelab::ui {

CachedFrame ImageCache::frame(const curation::PlaneImage& image) {
  const std::string key = image.file_path + "#" + std::to_string(image.frame_number);
  if (const auto it = frames_.find(key); it != frames_.end()) {
    order_.splice(order_.begin(), order_, it->second.second);
    return it->second.first;
  }
  CachedFrame frame;
  std::string message;
  if (auto pixels =
          dicom::readPixels(image.file_path, image.frame_number, &frame.error_key, &message)) {
    frame.image = std::make_shared<const dicom::PixelImage>(std::move(*pixels));
  }
  frame.message = QString::fromStdString(message);
  order_.push_front(key);
  frames_.emplace(key, std::make_pair(frame, order_.begin()));
  while (frames_.size() > capacity_) {
    frames_.erase(order_.back());
    order_.pop_back();
  }
  return frame;
}

void ImageCache::clear() {
  frames_.clear();
  order_.clear();
}

std::pair<double, double> defaultWindow(const dicom::PixelImage& image) {
  if (image.values.empty()) return {0.0, 1.0};
  std::vector<float> values = image.values;
  const auto at = [&](double q) {
    const auto k = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
    return static_cast<double>(values[k]);
  };
  const double low = at(0.01);
  const double high = at(0.99);
  const double width = std::max(high - low, 1.0);
  return {(low + high) / 2.0, width};
}

}  // namespace planelab::ui
