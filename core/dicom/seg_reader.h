// Masks of a DICOM Segmentation (SEG): one frame as a binary mask, for the prepare step's label
// maps. DCMTK stays out of this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace planelab::dicom {

// One SEG frame, row-major rows x cols, 1 = in the segment, 0 = not.
struct SegmentationFrame {
  int rows = 0;
  int cols = 0;
  std::vector<std::uint8_t> mask;
};

// Reads frame `frame_number` (1-based, as label_frames.frame_number) of a SEG: BINARY (1 bit
// allocated, frames packed back to back, least significant bit first) or FRACTIONAL (8 bits; a
// pixel is in the segment when value / MaximumFractionalValue > 0.5). Encapsulated syntaxes with a
// DCMTK decoder (RLE) are decoded; deflated files are read. Decodes the whole file: to read many
// frames of one SEG use a SegmentationCache.
//
// On failure returns nullopt and sets *error_key (if given) to a stable key and *message (if
// given) to a text for people; on success both are cleared. Keys:
//   cannot_read_file             missing, unreadable, not DICOM, or DCMTK cannot parse it
//   not_a_segmentation           not a Segmentation Storage object (or no SegmentationType)
//   unsupported_segmentation     SegmentationType / BitsAllocated other than BINARY+1, FRACTIONAL+8
//   unsupported_transfer_syntax  encapsulated pixel data without a decoder
//   no_pixel_data                no (or an empty) Pixel Data element
//   frame_out_of_range           frame_number outside 1..NumberOfFrames
//   pixel_decode_failed          bad Rows/Columns or Pixel Data shorter than the frames need
std::optional<SegmentationFrame> readSegmentationFrame(const std::filesystem::path& file,
                                                       int frame_number, std::string* error_key,
                                                       std::string* message);

// Decoded SEG files kept in memory (least recently used first out), so that reading every frame
// of a SEG decodes it once. Thread-safe: threads asking for the same file wait for one decode.
class SegmentationCache {
 public:
  explicit SegmentationCache(std::size_t max_files = 8);
  ~SegmentationCache();
  SegmentationCache(const SegmentationCache&) = delete;
  SegmentationCache& operator=(const SegmentationCache&) = delete;

  // As readSegmentationFrame. A file that failed to decode is not retried while cached.
  std::optional<SegmentationFrame> readFrame(const std::filesystem::path& file, int frame_number,
                                             std::string* error_key, std::string* message);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace planelab::dicom
