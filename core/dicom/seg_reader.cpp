#include "dicom/seg_reader.h"

#include <list>
#include <map>
#include <mutex>
#include <utility>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dccodec.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>

namespace planelab::dicom {

namespace {

struct Failure {
  std::string key;
  std::string message;
};

// A whole SEG's pixel data, undecoded beyond the transfer syntax (BINARY stays packed).
struct DecodedSeg {
  int rows = 0;
  int cols = 0;
  long frames = 0;
  bool fractional = false;
  double max_fractional = 255.0;
  std::vector<std::uint8_t> pixels;
  Failure failure;  // key set: the file could not be decoded
};

void registerRleDecoder() {
  static std::once_flag once;
  std::call_once(once, [] { DcmRLEDecoderRegistration::registerCodecs(); });
}

std::string conditionText(const OFCondition& condition) {
  return condition.text() != nullptr ? condition.text() : "unknown DCMTK error";
}

std::string trimmed(const OFString& text) {
  std::string s(text.c_str());
  s.erase(s.find_last_not_of(' ') + 1);
  return s;
}

DecodedSeg decode(const std::filesystem::path& file) {
  DecodedSeg seg;
  auto fail = [&](std::string key, std::string message) {
    seg.failure = {std::move(key), std::move(message)};
    seg.pixels.clear();
    return seg;
  };
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return fail("cannot_read_file", "no such file: " + file.string());
  }
  DcmFileFormat file_format;
  const OFCondition loaded = file_format.loadFile(file.c_str(), EXS_Unknown, EGL_noChange,
                                                  DCM_MaxReadLength, ERM_autoDetect);
  if (loaded.bad()) {
    return fail("cannot_read_file",
                "DCMTK cannot read " + file.string() + ": " + conditionText(loaded));
  }
  DcmDataset& ds = *file_format.getDataset();
  OFString sop_class, type_text;
  ds.findAndGetOFString(DCM_SOPClassUID, sop_class);
  ds.findAndGetOFString(DCM_SegmentationType, type_text);
  const std::string type = trimmed(type_text);
  if (trimmed(sop_class) != UID_SegmentationStorage || type.empty()) {
    return fail("not_a_segmentation", file.string() + " is not a DICOM Segmentation (SOP class " +
                                          (sop_class.empty() ? "absent" : trimmed(sop_class)) +
                                          ")");
  }
  Uint16 rows = 0, cols = 0, bits_allocated = 0;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, cols);
  ds.findAndGetUint16(DCM_BitsAllocated, bits_allocated);
  seg.fractional = type == "FRACTIONAL";
  if (!((type == "BINARY" && bits_allocated == 1) || (seg.fractional && bits_allocated == 8))) {
    return fail("unsupported_segmentation", "SegmentationType " + type + " with BitsAllocated " +
                                                std::to_string(bits_allocated) +
                                                " (BINARY/1 or FRACTIONAL/8 expected)");
  }
  if (rows == 0 || cols == 0) return fail("pixel_decode_failed", "Rows or Columns missing or 0");
  if (seg.fractional) {
    Uint16 max_value = 0;
    if (ds.findAndGetUint16(DCM_MaximumFractionalValue, max_value).good() && max_value > 0) {
      seg.max_fractional = max_value;
    }
  }
  Sint32 frames = 1;
  ds.findAndGetSint32(DCM_NumberOfFrames, frames);
  seg.rows = rows;
  seg.cols = cols;
  seg.frames = frames < 1 ? 1 : frames;

  const E_TransferSyntax xfer = ds.getOriginalXfer();
  if (DcmXfer(xfer).isEncapsulated()) {
    registerRleDecoder();
    if (!DcmCodecList::canChangeCoding(xfer, EXS_LittleEndianExplicit) ||
        ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) {
      return fail("unsupported_transfer_syntax",
                  std::string("cannot decode ") + DcmXfer(xfer).getXferName());
    }
  }
  const Uint8* data = nullptr;
  unsigned long length = 0;
  if (ds.findAndGetUint8Array(DCM_PixelData, data, &length).bad() || data == nullptr ||
      length == 0) {
    return fail("no_pixel_data", "the SEG has no Pixel Data");
  }
  const unsigned long long pixels = static_cast<unsigned long long>(rows) * cols;
  const unsigned long long needed =
      seg.fractional ? pixels * static_cast<unsigned long long>(seg.frames)
                     : (pixels * static_cast<unsigned long long>(seg.frames) + 7) / 8;
  if (length < needed) {
    return fail("pixel_decode_failed", "Pixel Data has " + std::to_string(length) + " bytes; " +
                                           std::to_string(seg.frames) + " frames need " +
                                           std::to_string(needed));
  }
  seg.pixels.assign(data, data + needed);
  return seg;
}

std::optional<SegmentationFrame> frameOf(const DecodedSeg& seg, int frame_number,
                                         Failure& failure) {
  if (!seg.failure.key.empty()) {
    failure = seg.failure;
    return std::nullopt;
  }
  if (frame_number < 1 || frame_number > seg.frames) {
    failure = {"frame_out_of_range", "frame " + std::to_string(frame_number) +
                                         " requested; the SEG has " + std::to_string(seg.frames) +
                                         " frames"};
    return std::nullopt;
  }
  SegmentationFrame out;
  out.rows = seg.rows;
  out.cols = seg.cols;
  const std::size_t n = static_cast<std::size_t>(seg.rows) * static_cast<std::size_t>(seg.cols);
  out.mask.resize(n);
  const std::size_t first = static_cast<std::size_t>(frame_number - 1) * n;
  if (seg.fractional) {
    const double threshold = 0.5 * seg.max_fractional;
    for (std::size_t i = 0; i < n; ++i) {
      out.mask[i] = seg.pixels[first + i] > threshold ? 1 : 0;
    }
  } else {
    // Frames are packed back to back (a frame need not start on a byte), LSB first.
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t bit = first + i;
      out.mask[i] = static_cast<std::uint8_t>((seg.pixels[bit >> 3] >> (bit & 7u)) & 1u);
    }
  }
  return out;
}

std::optional<SegmentationFrame> report(std::optional<SegmentationFrame> frame,
                                        const Failure& failure, std::string* error_key,
                                        std::string* message) {
  if (error_key != nullptr) *error_key = frame ? std::string() : failure.key;
  if (message != nullptr) *message = frame ? std::string() : failure.message;
  return frame;
}

}  // namespace

std::optional<SegmentationFrame> readSegmentationFrame(const std::filesystem::path& file,
                                                       int frame_number, std::string* error_key,
                                                       std::string* message) {
  Failure failure;
  std::optional<SegmentationFrame> frame;
  try {
    frame = frameOf(decode(file), frame_number, failure);
  } catch (const std::exception& e) {
    failure = {"pixel_decode_failed", e.what()};
    frame.reset();
  }
  return report(std::move(frame), failure, error_key, message);
}

struct SegmentationCache::Impl {
  struct Entry {
    std::once_flag decoded;
    DecodedSeg seg;
  };
  std::size_t max_files = 8;
  std::mutex mutex;
  std::list<std::string> order;  // most recently used first
  std::map<std::string, std::pair<std::shared_ptr<Entry>, std::list<std::string>::iterator>> files;

  std::shared_ptr<Entry> entry(const std::string& path) {
    const std::lock_guard<std::mutex> lock(mutex);
    auto it = files.find(path);
    if (it != files.end()) {
      order.splice(order.begin(), order, it->second.second);
      return it->second.first;
    }
    order.push_front(path);
    auto created = std::make_shared<Entry>();
    files.emplace(path, std::make_pair(created, order.begin()));
    while (files.size() > max_files) {
      files.erase(order.back());  // readers still holding it keep it alive
      order.pop_back();
    }
    return created;
  }
};

SegmentationCache::SegmentationCache(std::size_t max_files) : impl_(std::make_unique<Impl>()) {
  impl_->max_files = max_files < 1 ? 1 : max_files;
}

SegmentationCache::~SegmentationCache() = default;

std::optional<SegmentationFrame> SegmentationCache::readFrame(const std::filesystem::path& file,
                                                              int frame_number,
                                                              std::string* error_key,
                                                              std::string* message) {
  Failure failure;
  std::optional<SegmentationFrame> frame;
  try {
    const std::shared_ptr<Impl::Entry> entry = impl_->entry(file.string());
    std::call_once(entry->decoded, [&] { entry->seg = decode(file); });
    frame = frameOf(entry->seg, frame_number, failure);
  } catch (const std::exception& e) {
    failure = {"pixel_decode_failed", e.what()};
    frame.reset();
  }
  return report(std::move(frame), failure, error_key, message);
}

}  // namespace planelab::dicom
