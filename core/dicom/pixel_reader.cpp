#include "dicom/pixel_reader.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <string_view>
#include <system_error>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dccodec.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>

#include "dicom/dcmtk_setup.h"
#include "dicom/header_walker.h"

namespace planelab::dicom {

namespace {

// Enough of the file's start for the walker to tell a DICOM file from other bytes.
constexpr std::size_t kSniffBytes = 64 * 1024;

// DCMTK's decoders, registered once for the process (never deregistered: other threads may be
// decoding at any time).
void registerDecoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

struct Failure {
  std::string key;
  std::string message;
};

// Not DICOM: the same verdict as the header reader's (a file without preamble is DICOM only when
// its bytes walk as a data set; DCMTK would guess at any bytes).
std::optional<Failure> sniff(const std::filesystem::path& file) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) {
    return Failure{"cannot_read_file",
                   "cannot open " + file.string() + ": " +
                       std::error_code(errno, std::generic_category()).message()};
  }
  std::string bytes(kSniffBytes, '\0');
  const std::size_t got = std::fread(bytes.data(), 1, bytes.size(), f);
  const bool read_error = std::ferror(f) != 0;
  const bool whole = std::feof(f) != 0;
  std::fclose(f);
  if (read_error) return Failure{"cannot_read_file", "read error in " + file.string()};
  bytes.resize(got);
  const detail::HeaderWalk walk = detail::walkFile(bytes, whole, detail::WalkRequest{});
  if (walk.status == detail::WalkStatus::kNotDicom ||
      (!walk.has_preamble && walk.status != detail::WalkStatus::kComplete &&
       walk.status != detail::WalkStatus::kNeedMoreData)) {
    return Failure{"cannot_read_file", "not a DICOM file: " + walk.diagnosis};
  }
  return std::nullopt;
}

std::string conditionText(const OFCondition& condition) {
  return condition.text() != nullptr ? condition.text() : "unknown DCMTK error";
}

std::optional<long> unsignedValue(DcmItem& item, const DcmTagKey& tag) {
  Uint16 value = 0;
  if (item.findAndGetUint16(tag, value).bad()) return std::nullopt;
  return static_cast<long>(value);
}

// The linear Modality LUT of `item` (RescaleSlope/RescaleIntercept), if it has one. A slope of 0
// or a value that is not a number is ignored, as DCMTK's image module does.
struct Rescale {
  double slope = 1.0;
  double intercept = 0.0;
};
std::optional<Rescale> rescaleOf(DcmItem* item) {
  if (item == nullptr) return std::nullopt;
  Float64 slope = 1.0;
  Float64 intercept = 0.0;
  const bool has_slope = item->findAndGetFloat64(DCM_RescaleSlope, slope).good();
  const bool has_intercept = item->findAndGetFloat64(DCM_RescaleIntercept, intercept).good();
  if (!has_slope && !has_intercept) return std::nullopt;
  if (!std::isfinite(slope) || slope == 0.0 || !std::isfinite(intercept)) return std::nullopt;
  return Rescale{slope, intercept};
}

DcmItem* pixelValueTransformation(DcmItem* functional_groups) {
  DcmItem* item = nullptr;
  if (functional_groups == nullptr ||
      functional_groups->findAndGetSequenceItem(DCM_PixelValueTransformationSequence, item, 0)
          .bad()) {
    return nullptr;
  }
  return item;
}

// A tabulated Modality LUT (Modality LUT Sequence): LUTDescriptor = entries (0 = 65536), first
// stored value mapped, bits per entry.
struct TableLut {
  long first = 0;
  std::vector<Uint16> data;
};
std::optional<TableLut> tableLutOf(DcmItem& ds, bool signed_pixels, Failure& failure) {
  DcmItem* item = nullptr;
  if (ds.findAndGetSequenceItem(DCM_ModalityLUTSequence, item, 0).bad() || item == nullptr) {
    return std::nullopt;
  }
  Uint16 descriptor[2] = {0, 0};
  for (unsigned long i = 0; i < 2; ++i) {
    if (item->findAndGetUint16(DCM_LUTDescriptor, descriptor[i], i).bad()) {
      Sint16 s = 0;
      if (item->findAndGetSint16(DCM_LUTDescriptor, s, i).bad()) {
        failure = {"pixel_decode_failed", "Modality LUT Sequence without a LUTDescriptor"};
        return std::nullopt;
      }
      descriptor[i] = static_cast<Uint16>(s);
    }
  }
  const unsigned long entries = descriptor[0] == 0 ? 65536ul : descriptor[0];
  TableLut lut;
  lut.first = signed_pixels ? static_cast<long>(static_cast<Sint16>(descriptor[1]))
                            : static_cast<long>(descriptor[1]);
  const Uint16* data = nullptr;
  unsigned long count = 0;
  if (item->findAndGetUint16Array(DCM_LUTData, data, &count).bad() || data == nullptr ||
      count < entries) {
    failure = {"pixel_decode_failed", "Modality LUT Sequence: LUTData has fewer than " +
                                          std::to_string(entries) + " 16-bit entries"};
    return std::nullopt;
  }
  lut.data.assign(data, data + entries);
  return lut;
}

// DCMTK 3.6.7's RLE decoder reads the 64-byte RLE header without checking the fragment's length
// or the header's offsets: check the frame's fragment (one per frame, as the standard requires)
// first. An error text, or empty.
std::string checkRleFragment(DcmElement* element, E_TransferSyntax xfer, long index, long frames) {
  auto* pixel_data = dynamic_cast<DcmPixelData*>(element);
  DcmPixelSequence* sequence = nullptr;
  if (pixel_data == nullptr ||
      pixel_data->getEncapsulatedRepresentation(xfer, nullptr, sequence).bad() ||
      sequence == nullptr) {
    return "RLE pixel data is not encapsulated";
  }
  const unsigned long fragments = sequence->card();  // the first item is the offset table
  unsigned long at = 0;
  if (fragments == static_cast<unsigned long>(frames) + 1) {
    at = static_cast<unsigned long>(index) + 1;
  } else if (frames == 1 && fragments >= 2) {
    at = 1;  // the header is at the start of the frame's first fragment
  } else {
    return "RLE: " + std::to_string(fragments > 0 ? fragments - 1 : 0) + " fragments for " +
           std::to_string(frames) + " frames (one per frame expected)";
  }
  DcmPixelItem* fragment = nullptr;
  Uint8* bytes = nullptr;
  if (sequence->getItem(fragment, at).bad() || fragment == nullptr ||
      fragment->getUint8Array(bytes).bad()) {
    return "RLE fragment " + std::to_string(at) + " cannot be read";
  }
  const Uint32 length = fragment->getLength();
  if (bytes == nullptr || length < 64) {
    return "RLE fragment of " + std::to_string(length) + " bytes is shorter than its header";
  }
  auto little32 = [&](std::size_t pos) {
    return static_cast<std::uint32_t>(bytes[pos]) |
           (static_cast<std::uint32_t>(bytes[pos + 1]) << 8) |
           (static_cast<std::uint32_t>(bytes[pos + 2]) << 16) |
           (static_cast<std::uint32_t>(bytes[pos + 3]) << 24);
  };
  const std::uint32_t segments = little32(0);
  if (segments < 1 || segments > 15) {
    return "RLE header declares " + std::to_string(segments) + " segments";
  }
  std::uint32_t previous = 64;
  for (std::uint32_t k = 0; k < segments; ++k) {
    const std::uint32_t offset = little32(4 + 4 * static_cast<std::size_t>(k));
    if (offset < previous || offset >= length) {
      return "RLE header: segment " + std::to_string(k + 1) + " offset " + std::to_string(offset) +
             " outside the fragment of " + std::to_string(length) + " bytes";
    }
    previous = offset;
  }
  return {};
}

// The stored value of one sample: BitsStored bits ending at HighBit, sign-extended if signed.
struct StoredBits {
  int shift = 0;
  std::uint32_t mask = 0;
  bool is_signed = false;
  std::int64_t sign_bit = 0;

  std::int64_t operator()(std::uint32_t raw) const {
    const std::int64_t v = static_cast<std::int64_t>((raw >> shift) & mask);
    return is_signed && (v & sign_bit) != 0 ? v - 2 * sign_bit : v;
  }
};

std::optional<PixelImage> read(const std::filesystem::path& file, int frame_number,
                               Failure& failure) {
  if (std::optional<Failure> not_dicom = sniff(file)) {
    failure = *not_dicom;
    return std::nullopt;
  }

  DcmFileFormat file_format;
  // Large values (the pixels) stay in the file until a frame is asked for.
  const OFCondition loaded = file_format.loadFile(file.c_str(), EXS_Unknown, EGL_noChange,
                                                  DCM_MaxReadLength, ERM_autoDetect);
  OFString xfer_uid;
  file_format.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, xfer_uid);
  if (!xfer_uid.empty() && DcmXfer(xfer_uid.c_str()).getXfer() == EXS_Unknown) {
    failure = {"unsupported_transfer_syntax",
               std::string("unknown transfer syntax ") + xfer_uid.c_str()};
    return std::nullopt;
  }
  if (loaded.bad()) {
    failure = {"cannot_read_file",
               "DCMTK cannot read " + file.string() + ": " + conditionText(loaded)};
    return std::nullopt;
  }
  DcmDataset& ds = *file_format.getDataset();

  DcmElement* pixel_data = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, pixel_data).bad() || pixel_data == nullptr) {
    const bool float_pixels =
        ds.tagExists(DCM_FloatPixelData) || ds.tagExists(DCM_DoubleFloatPixelData);
    failure = {"no_pixel_data", float_pixels ? "the file has Float Pixel Data, not Pixel Data"
                                             : "the file has no Pixel Data"};
    return std::nullopt;
  }
  if (pixel_data->getLengthField() == 0) {
    failure = {"no_pixel_data", "the Pixel Data element is empty"};
    return std::nullopt;
  }

  const E_TransferSyntax xfer = ds.getOriginalXfer();
  const DcmXfer xfer_info(xfer);
  if (xfer_info.isEncapsulated() &&
      !DcmCodecList::canChangeCoding(xfer, EXS_LittleEndianExplicit)) {
    failure = {"unsupported_transfer_syntax", std::string("no decoder for ") +
                                                  xfer_info.getXferName() + " (" +
                                                  xfer_info.getXferID() + ")"};
    return std::nullopt;
  }

  // Colour is refused before decoding.
  const long samples = unsignedValue(ds, DCM_SamplesPerPixel).value_or(1);
  OFString photometric;
  ds.findAndGetOFString(DCM_PhotometricInterpretation, photometric);
  std::string photometric_text(photometric.c_str());
  photometric_text.erase(photometric_text.find_last_not_of(' ') + 1);
  if (photometric_text.empty() && samples == 1) photometric_text = "MONOCHROME2";  // ACR-NEMA
  if (samples != 1 || (photometric_text != "MONOCHROME1" && photometric_text != "MONOCHROME2")) {
    failure = {"unsupported_photometric",
               "not a monochrome image (PhotometricInterpretation " +
                   (photometric_text.empty() ? std::string("absent") : photometric_text) +
                   ", SamplesPerPixel " + std::to_string(samples) + ")"};
    return std::nullopt;
  }

  const std::optional<long> rows = unsignedValue(ds, DCM_Rows);
  const std::optional<long> cols = unsignedValue(ds, DCM_Columns);
  const std::optional<long> bits_allocated = unsignedValue(ds, DCM_BitsAllocated);
  const long bits_stored = unsignedValue(ds, DCM_BitsStored).value_or(bits_allocated.value_or(0));
  const long high_bit = unsignedValue(ds, DCM_HighBit).value_or(bits_stored - 1);
  const bool signed_pixels = unsignedValue(ds, DCM_PixelRepresentation).value_or(0) == 1;
  if (!rows || !cols || *rows <= 0 || *cols <= 0) {
    failure = {"pixel_decode_failed", "Rows or Columns missing or zero"};
    return std::nullopt;
  }
  if (!bits_allocated || (*bits_allocated != 8 && *bits_allocated != 16 && *bits_allocated != 32)) {
    failure = {"pixel_decode_failed",
               "BitsAllocated " +
                   (bits_allocated ? std::to_string(*bits_allocated) : std::string("missing")) +
                   " is not 8, 16 or 32"};
    return std::nullopt;
  }
  if (bits_stored < 1 || bits_stored > *bits_allocated || high_bit < bits_stored - 1 ||
      high_bit >= *bits_allocated) {
    failure = {"pixel_decode_failed", "inconsistent BitsStored " + std::to_string(bits_stored) +
                                          " / HighBit " + std::to_string(high_bit) +
                                          " / BitsAllocated " + std::to_string(*bits_allocated)};
    return std::nullopt;
  }

  Sint32 declared_frames = 1;
  ds.findAndGetSint32(DCM_NumberOfFrames, declared_frames);
  const long frames = std::max<long>(declared_frames, 1);
  const bool frame_ok =
      frame_number == 0 ? frames == 1 : frame_number >= 1 && frame_number <= frames;
  if (!frame_ok) {
    failure = {"frame_out_of_range",
               "frame " + std::to_string(frame_number) + " requested; the file has " +
                   std::to_string(frames) +
                   (frames == 1 ? " frame (give 0 or 1)"
                                : " frames (give 1.." + std::to_string(frames) + ")")};
    return std::nullopt;
  }
  const long index = frame_number == 0 ? 0 : frame_number - 1;

  // Modality LUT: the frame's functional groups (enhanced objects), else the top level.
  std::optional<Rescale> rescale;
  {
    DcmItem* per_frame = nullptr;
    if (ds.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, per_frame, index).good()) {
      rescale = rescaleOf(pixelValueTransformation(per_frame));
    }
    DcmItem* shared = nullptr;
    if (!rescale &&
        ds.findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).good()) {
      rescale = rescaleOf(pixelValueTransformation(shared));
    }
    if (!rescale) rescale = rescaleOf(&ds);
  }
  std::optional<TableLut> table;
  if (!rescale) {
    table = tableLutOf(ds, signed_pixels, failure);
    if (!failure.key.empty()) return std::nullopt;
  }

  // One frame, decompressed if need be, in this machine's byte order.
  const std::size_t pixel_count = static_cast<std::size_t>(*rows) * static_cast<std::size_t>(*cols);
  const std::size_t bytes_per_sample = static_cast<std::size_t>(*bits_allocated / 8);
  const std::size_t frame_bytes = pixel_count * bytes_per_sample;
  if (frame_bytes + 1 > 0xFFFFFFFFu) {
    failure = {"pixel_decode_failed", "frame larger than 4 GiB"};
    return std::nullopt;
  }
  if (xfer == EXS_RLELossless) {
    const std::string problem = checkRleFragment(pixel_data, xfer, index, frames);
    if (!problem.empty()) {
      failure = {"pixel_decode_failed", problem};
      return std::nullopt;
    }
  }
  std::vector<std::uint8_t> buffer(frame_bytes + (frame_bytes & 1u));
  Uint32 start_fragment = 0;
  OFString colour_model;
  const OFCondition decoded = pixel_data->getUncompressedFrame(
      &ds, static_cast<Uint32>(index), start_fragment, buffer.data(),
      static_cast<Uint32>(buffer.size()), colour_model);
  if (decoded.bad()) {
    failure = {"pixel_decode_failed", "frame " + std::to_string(index + 1) + " of " +
                                          std::to_string(frames) + " (" + xfer_info.getXferName() +
                                          "): " + conditionText(decoded)};
    return std::nullopt;
  }
  const std::string model(colour_model.c_str());
  if (!model.empty() && model.rfind("MONOCHROME", 0) != 0) {
    failure = {"unsupported_photometric", "the decoder produced " + model + " pixels"};
    return std::nullopt;
  }

  StoredBits bits;
  bits.shift = static_cast<int>(high_bit + 1 - bits_stored);
  bits.mask = bits_stored >= 32 ? 0xFFFFFFFFu : (std::uint32_t{1} << bits_stored) - 1u;
  bits.is_signed = signed_pixels;
  bits.sign_bit = std::int64_t{1} << (bits_stored - 1);

  PixelImage image;
  image.rows = static_cast<int>(*rows);
  image.cols = static_cast<int>(*cols);
  image.monochrome1 = photometric_text == "MONOCHROME1";
  image.values.resize(pixel_count);
  const double slope = rescale ? rescale->slope : 1.0;
  const double intercept = rescale ? rescale->intercept : 0.0;
  for (std::size_t i = 0; i < pixel_count; ++i) {
    std::uint32_t raw = 0;
    if (bytes_per_sample == 1) {
      raw = buffer[i];
    } else if (bytes_per_sample == 2) {
      std::uint16_t v = 0;
      std::memcpy(&v, buffer.data() + 2 * i, 2);
      raw = v;
    } else {
      std::memcpy(&raw, buffer.data() + 4 * i, 4);
    }
    const std::int64_t stored = bits(raw);
    double value = 0.0;
    if (table) {
      const std::int64_t last = static_cast<std::int64_t>(table->data.size()) - 1;
      const std::int64_t at = std::clamp<std::int64_t>(stored - table->first, 0, last);
      value = table->data[static_cast<std::size_t>(at)];
    } else {
      value = static_cast<double>(stored) * slope + intercept;
    }
    image.values[i] = static_cast<float>(value);
  }
  return image;
}

}  // namespace

std::optional<PixelImage> readPixels(const std::filesystem::path& file, int frame_number,
                                     std::string* error_key, std::string* message) {
  if (error_key != nullptr) error_key->clear();
  if (message != nullptr) message->clear();
  Failure failure;
  std::optional<PixelImage> image;
  std::string log;
  try {
    detail::initializeDcmtk();
    registerDecoders();
    detail::LogCapture capture;
    image = read(file, frame_number, failure);
    log = capture.text();
  } catch (const std::exception& e) {
    image.reset();
    failure = {"pixel_decode_failed", std::string("unexpected error: ") + e.what()};
  }
  if (image) return image;
  if (failure.key.empty()) failure = {"pixel_decode_failed", "unknown error"};
  while (!log.empty() && log.back() == '\n') log.pop_back();
  if (!log.empty()) failure.message += "\n" + log;
  if (error_key != nullptr) *error_key = failure.key;
  if (message != nullptr) *message = failure.message;
  return std::nullopt;
}

}  // namespace planelab::dicom
