#include "dicom/header_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "dicom/dcmtk_setup.h"
#include "dicom/header_walker.h"
#include "dicom/text_encoding.h"

namespace planelab::dicom {

namespace {

using detail::Element;
using detail::HeaderWalk;
using detail::Item;
using detail::tagKey;
using detail::WalkStatus;

// Attributes the catalog needs (records.h), by tag.
namespace tag {
constexpr std::uint32_t kMediaStorageSopClassUid = tagKey(0x0002, 0x0002);
constexpr std::uint32_t kTransferSyntaxUid = tagKey(0x0002, 0x0010);
constexpr std::uint32_t kSpecificCharacterSet = tagKey(0x0008, 0x0005);
constexpr std::uint32_t kSopClassUid = tagKey(0x0008, 0x0016);
constexpr std::uint32_t kSopInstanceUid = tagKey(0x0008, 0x0018);
constexpr std::uint32_t kStudyDate = tagKey(0x0008, 0x0020);
constexpr std::uint32_t kAcquisitionDateTime = tagKey(0x0008, 0x002A);
constexpr std::uint32_t kStudyTime = tagKey(0x0008, 0x0030);
constexpr std::uint32_t kAcquisitionTime = tagKey(0x0008, 0x0032);
constexpr std::uint32_t kAccessionNumber = tagKey(0x0008, 0x0050);
constexpr std::uint32_t kModality = tagKey(0x0008, 0x0060);
constexpr std::uint32_t kManufacturer = tagKey(0x0008, 0x0070);
constexpr std::uint32_t kCodeValue = tagKey(0x0008, 0x0100);
constexpr std::uint32_t kCodingSchemeDesignator = tagKey(0x0008, 0x0102);
constexpr std::uint32_t kCodeMeaning = tagKey(0x0008, 0x0104);
constexpr std::uint32_t kLongCodeValue = tagKey(0x0008, 0x0119);
constexpr std::uint32_t kUrnCodeValue = tagKey(0x0008, 0x0120);
constexpr std::uint32_t kStudyDescription = tagKey(0x0008, 0x1030);
constexpr std::uint32_t kSeriesDescription = tagKey(0x0008, 0x103E);
constexpr std::uint32_t kReferencedSeriesSequence = tagKey(0x0008, 0x1115);
constexpr std::uint32_t kReferencedInstanceSequence = tagKey(0x0008, 0x114A);
constexpr std::uint32_t kReferencedSopInstanceUid = tagKey(0x0008, 0x1155);
constexpr std::uint32_t kReferencedFrameNumber = tagKey(0x0008, 0x1160);
constexpr std::uint32_t kSourceImageSequence = tagKey(0x0008, 0x2112);
constexpr std::uint32_t kDerivationImageSequence = tagKey(0x0008, 0x9124);
constexpr std::uint32_t kPatientName = tagKey(0x0010, 0x0010);
constexpr std::uint32_t kPatientId = tagKey(0x0010, 0x0020);
constexpr std::uint32_t kPatientBirthDate = tagKey(0x0010, 0x0030);
constexpr std::uint32_t kPatientSex = tagKey(0x0010, 0x0040);
constexpr std::uint32_t kBodyPartExamined = tagKey(0x0018, 0x0015);
constexpr std::uint32_t kSequenceName = tagKey(0x0018, 0x0024);
constexpr std::uint32_t kSliceThickness = tagKey(0x0018, 0x0050);
constexpr std::uint32_t kMagneticFieldStrength = tagKey(0x0018, 0x0087);
constexpr std::uint32_t kSpacingBetweenSlices = tagKey(0x0018, 0x0088);
constexpr std::uint32_t kProtocolName = tagKey(0x0018, 0x1030);
constexpr std::uint32_t kTriggerTime = tagKey(0x0018, 0x1060);
constexpr std::uint32_t kNominalInterval = tagKey(0x0018, 0x1062);
constexpr std::uint32_t kCardiacNumberOfImages = tagKey(0x0018, 0x1090);
constexpr std::uint32_t kPatientPosition = tagKey(0x0018, 0x5100);
constexpr std::uint32_t kPulseSequenceName = tagKey(0x0018, 0x9005);
constexpr std::uint32_t kFrameAcquisitionDateTime = tagKey(0x0018, 0x9074);
constexpr std::uint32_t kCardiacSynchronizationSequence = tagKey(0x0018, 0x9118);
constexpr std::uint32_t kStudyInstanceUid = tagKey(0x0020, 0x000D);
constexpr std::uint32_t kSeriesInstanceUid = tagKey(0x0020, 0x000E);
constexpr std::uint32_t kStudyId = tagKey(0x0020, 0x0010);
constexpr std::uint32_t kSeriesNumber = tagKey(0x0020, 0x0011);
constexpr std::uint32_t kInstanceNumber = tagKey(0x0020, 0x0013);
constexpr std::uint32_t kImagePositionPatient = tagKey(0x0020, 0x0032);
constexpr std::uint32_t kImageOrientationPatient = tagKey(0x0020, 0x0037);
constexpr std::uint32_t kFrameOfReferenceUid = tagKey(0x0020, 0x0052);
constexpr std::uint32_t kLaterality = tagKey(0x0020, 0x0060);
constexpr std::uint32_t kImageLaterality = tagKey(0x0020, 0x0062);
constexpr std::uint32_t kSliceLocation = tagKey(0x0020, 0x1041);
constexpr std::uint32_t kFrameContentSequence = tagKey(0x0020, 0x9111);
constexpr std::uint32_t kPlanePositionSequence = tagKey(0x0020, 0x9113);
constexpr std::uint32_t kPlaneOrientationSequence = tagKey(0x0020, 0x9116);
constexpr std::uint32_t kNominalCardiacTriggerDelayTime = tagKey(0x0020, 0x9153);
constexpr std::uint32_t kRrIntervalTimeNominal = tagKey(0x0020, 0x9251);
constexpr std::uint32_t kNumberOfFrames = tagKey(0x0028, 0x0008);
constexpr std::uint32_t kRows = tagKey(0x0028, 0x0010);
constexpr std::uint32_t kColumns = tagKey(0x0028, 0x0011);
constexpr std::uint32_t kPixelSpacing = tagKey(0x0028, 0x0030);
constexpr std::uint32_t kPixelMeasuresSequence = tagKey(0x0028, 0x9110);
constexpr std::uint32_t kSegmentationType = tagKey(0x0062, 0x0001);
constexpr std::uint32_t kSegmentSequence = tagKey(0x0062, 0x0002);
constexpr std::uint32_t kSegmentedPropertyCategoryCodeSequence = tagKey(0x0062, 0x0003);
constexpr std::uint32_t kSegmentNumber = tagKey(0x0062, 0x0004);
constexpr std::uint32_t kSegmentLabel = tagKey(0x0062, 0x0005);
constexpr std::uint32_t kSegmentIdentificationSequence = tagKey(0x0062, 0x000A);
constexpr std::uint32_t kReferencedSegmentNumber = tagKey(0x0062, 0x000B);
constexpr std::uint32_t kSegmentedPropertyTypeCodeSequence = tagKey(0x0062, 0x000F);
constexpr std::uint32_t kSharedFunctionalGroupsSequence = tagKey(0x5200, 0x9229);
constexpr std::uint32_t kPerFrameFunctionalGroupsSequence = tagKey(0x5200, 0x9230);
}  // namespace tag

constexpr std::array kWanted = {
    tag::kMediaStorageSopClassUid,
    tag::kTransferSyntaxUid,
    tag::kSpecificCharacterSet,
    tag::kSopClassUid,
    tag::kSopInstanceUid,
    tag::kStudyDate,
    tag::kAcquisitionDateTime,
    tag::kStudyTime,
    tag::kAcquisitionTime,
    tag::kAccessionNumber,
    tag::kModality,
    tag::kManufacturer,
    tag::kCodeValue,
    tag::kCodingSchemeDesignator,
    tag::kCodeMeaning,
    tag::kLongCodeValue,
    tag::kUrnCodeValue,
    tag::kStudyDescription,
    tag::kSeriesDescription,
    tag::kReferencedSeriesSequence,
    tag::kReferencedInstanceSequence,
    tag::kReferencedSopInstanceUid,
    tag::kReferencedFrameNumber,
    tag::kSourceImageSequence,
    tag::kDerivationImageSequence,
    tag::kPatientName,
    tag::kPatientId,
    tag::kPatientBirthDate,
    tag::kPatientSex,
    tag::kBodyPartExamined,
    tag::kSequenceName,
    tag::kSliceThickness,
    tag::kMagneticFieldStrength,
    tag::kSpacingBetweenSlices,
    tag::kProtocolName,
    tag::kTriggerTime,
    tag::kNominalInterval,
    tag::kCardiacNumberOfImages,
    tag::kPatientPosition,
    tag::kPulseSequenceName,
    tag::kFrameAcquisitionDateTime,
    tag::kCardiacSynchronizationSequence,
    tag::kStudyInstanceUid,
    tag::kSeriesInstanceUid,
    tag::kStudyId,
    tag::kSeriesNumber,
    tag::kInstanceNumber,
    tag::kImagePositionPatient,
    tag::kImageOrientationPatient,
    tag::kFrameOfReferenceUid,
    tag::kLaterality,
    tag::kImageLaterality,
    tag::kSliceLocation,
    tag::kFrameContentSequence,
    tag::kPlanePositionSequence,
    tag::kPlaneOrientationSequence,
    tag::kNominalCardiacTriggerDelayTime,
    tag::kRrIntervalTimeNominal,
    tag::kNumberOfFrames,
    tag::kRows,
    tag::kColumns,
    tag::kPixelSpacing,
    tag::kPixelMeasuresSequence,
    tag::kSegmentationType,
    tag::kSegmentSequence,
    tag::kSegmentedPropertyCategoryCodeSequence,
    tag::kSegmentNumber,
    tag::kSegmentLabel,
    tag::kSegmentIdentificationSequence,
    tag::kReferencedSegmentNumber,
    tag::kSegmentedPropertyTypeCodeSequence,
    tag::kSharedFunctionalGroupsSequence,
    tag::kPerFrameFunctionalGroupsSequence,
};

// The wanted sequences, so that the walk descends into them in Implicit VR too.
constexpr std::array kSequences = {
    tag::kReferencedSeriesSequence,
    tag::kReferencedInstanceSequence,
    tag::kSourceImageSequence,
    tag::kDerivationImageSequence,
    tag::kCardiacSynchronizationSequence,
    tag::kFrameContentSequence,
    tag::kPlanePositionSequence,
    tag::kPlaneOrientationSequence,
    tag::kPixelMeasuresSequence,
    tag::kSegmentSequence,
    tag::kSegmentedPropertyCategoryCodeSequence,
    tag::kSegmentIdentificationSequence,
    tag::kSegmentedPropertyTypeCodeSequence,
    tag::kSharedFunctionalGroupsSequence,
    tag::kPerFrameFunctionalGroupsSequence,
};

template <std::size_t N>
constexpr bool isSorted(const std::array<std::uint32_t, N>& values) {
  for (std::size_t i = 1; i < N; ++i) {
    if (values[i - 1] >= values[i]) return false;
  }
  return true;
}
static_assert(isSorted(kWanted) && isSorted(kSequences), "the walk looks tags up by bisection");

constexpr detail::WalkRequest kRequest{kWanted.data(), kWanted.size(), kSequences.data(),
                                       kSequences.size()};

constexpr const char* kSegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";
constexpr const char* kMediaStorageDirectoryStorage = "1.2.840.10008.1.3.10";
// Tolerances of the geometry checks (issue #3 §2): unit vectors and their dot product.
constexpr double kOrthonormalTolerance = 1e-3;
// More frames than this in one file is taken as a corrupt NumberOfFrames, not allocated.
constexpr long long kMaxFrames = 100000;

// ---------------------------------------------------------------------------------------------
// Values

std::string_view rawValue(const Item* item, std::uint32_t t) {
  if (item == nullptr) return {};
  const Element* e = item->find(t);
  return e != nullptr ? e->value : std::string_view();
}

// A value of a VR restricted to ASCII (UI, CS, DA, TM, DT, DS, IS). Damaged files can hold any
// bytes there: control characters are dropped and other bytes read as Latin-1, so that what
// reaches the catalog is always printable UTF-8.
std::string asciiValue(const Item* item, std::uint32_t t) {
  const std::string_view raw = detail::trimDicomText(rawValue(item, t));
  std::string out;
  out.reserve(raw.size());
  for (const char c : raw) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7F) {
      out += c;
    } else if (b >= 0x80) {
      detail::appendLatin1AsUtf8(std::string_view(&c, 1), out);
    }
  }
  return out;
}

std::optional<double> parseDouble(std::string_view text) {
  text = detail::trimDicomText(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<long long> parseInteger(std::string_view text) {
  const std::optional<double> value = parseDouble(text);
  if (!value || !std::isfinite(*value) || std::floor(*value) != *value ||
      std::abs(*value) > 9.0e15) {
    return std::nullopt;
  }
  return static_cast<long long>(*value);
}

// Values of a multi-valued text attribute (DS, IS).
std::vector<std::string_view> splitValues(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find('\\', start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

std::uint64_t binaryUnsigned(const Element& e, std::size_t bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned char>(e.value[e.big_endian ? i : bytes - 1 - i]);
    value = (value << 8) | b;
  }
  return value;
}

// An integer attribute whatever its encoding: US/SS/UL/SL binary, IS text (first value).
// `binary_expected`: the attribute's dictionary VR is binary (US), for Implicit VR and UN.
std::optional<long long> integerValue(const Item* item, std::uint32_t t, bool binary_expected) {
  if (item == nullptr) return std::nullopt;
  const Element* e = item->find(t);
  if (e == nullptr || e->value.empty()) return std::nullopt;
  const std::string_view vr(e->vr, 2);
  const bool unknown_vr = e->vr[0] == 0 || vr == "UN";
  const bool binary =
      vr == "US" || vr == "SS" || vr == "UL" || vr == "SL" || (unknown_vr && binary_expected);
  if (!binary) return parseInteger(splitValues(e->value).front());
  const bool is_signed = vr == "SS" || vr == "SL";
  if (e->value.size() == 2) {
    const auto v = static_cast<std::uint16_t>(binaryUnsigned(*e, 2));
    return is_signed ? static_cast<long long>(static_cast<std::int16_t>(v)) : v;
  }
  if (e->value.size() >= 4 && vr != "US" && vr != "SS") {
    const auto v = static_cast<std::uint32_t>(binaryUnsigned(*e, 4));
    return is_signed ? static_cast<long long>(static_cast<std::int32_t>(v)) : v;
  }
  if (e->value.size() > 2) {  // multi-valued US: the first value
    return static_cast<std::uint16_t>(binaryUnsigned(*e, 2));
  }
  return std::nullopt;
}

// An IS attribute (or US with `binary_expected`) as int.
std::optional<int> intValue(const Item* item, std::uint32_t t, bool binary_expected = false) {
  const std::optional<long long> v = integerValue(item, t, binary_expected);
  if (!v || *v < -2147483647LL || *v > 2147483647LL) return std::nullopt;
  return static_cast<int>(*v);
}

// A real attribute whatever its encoding: FD/FL binary, DS text (first value).
std::optional<double> realValue(const Item* item, std::uint32_t t, bool binary_expected) {
  if (item == nullptr) return std::nullopt;
  const Element* e = item->find(t);
  if (e == nullptr || e->value.empty()) return std::nullopt;
  const std::string_view vr(e->vr, 2);
  std::optional<double> value;
  if (vr == "FD" || ((e->vr[0] == 0 || vr == "UN") && binary_expected)) {
    if (e->value.size() >= 8) {
      const std::uint64_t bits = binaryUnsigned(*e, 8);
      double d = 0.0;
      std::memcpy(&d, &bits, sizeof d);
      value = d;
    }
  } else if (vr == "FL") {
    if (e->value.size() >= 4) {
      const auto bits = static_cast<std::uint32_t>(binaryUnsigned(*e, 4));
      float f = 0.0f;
      std::memcpy(&f, &bits, sizeof f);
      value = static_cast<double>(f);
    }
  } else {
    value = parseDouble(splitValues(e->value).front());
  }
  if (value && !std::isfinite(*value)) return std::nullopt;
  return value;
}

enum class Parsed { kAbsent, kOk, kInvalid };

// A multi-valued DS attribute with exactly `count` finite values.
template <std::size_t N>
Parsed decimals(const Item* item, std::uint32_t t, std::array<double, N>& out, std::string& raw) {
  raw = std::string(detail::trimDicomText(rawValue(item, t)));
  if (raw.empty()) return Parsed::kAbsent;
  const std::vector<std::string_view> parts = splitValues(raw);
  if (parts.size() != N) return Parsed::kInvalid;
  for (std::size_t i = 0; i < N; ++i) {
    const std::optional<double> v = parseDouble(parts[i]);
    if (!v || !std::isfinite(*v)) return Parsed::kInvalid;
    out[i] = *v;
  }
  return Parsed::kOk;
}

// The first item of sequence `t` in `item`, or null.
const Item* firstItem(const Item* item, std::uint32_t t) {
  if (item == nullptr) return nullptr;
  const Element* e = item->find(t);
  return e != nullptr && !e->items.empty() ? &e->items.front() : nullptr;
}

// The functional group macro item (first item of `sequence`) holding `attribute`: the frame's
// own, else the shared one. PS3.3 C.7.6.16 puts a macro in one or the other; a file that has
// both with different attributes is read attribute by attribute.
const Item* groupWith(const Item* per_frame, const Item* shared, std::uint32_t sequence,
                      std::uint32_t attribute) {
  for (const Item* group : {per_frame, shared}) {
    const Item* item = firstItem(group, sequence);
    if (item != nullptr && item->find(attribute) != nullptr) return item;
  }
  return nullptr;
}

// TM part of a DT value (YYYYMMDDHHMMSS.FFFFFF&ZZXX).
std::string timeOfDateTime(std::string_view dt) {
  dt = detail::trimDicomText(dt);
  if (dt.size() <= 8) return {};
  std::string_view time = dt.substr(8);
  const std::size_t zone = time.find_first_of("+-");
  if (zone != std::string_view::npos) time = time.substr(0, zone);
  return std::string(time);
}

// ---------------------------------------------------------------------------------------------
// Issues

// Messages and details end up in the catalog and in JSON: always valid UTF-8 (DCMTK's log may
// quote raw bytes of the file).
void addIssue(catalog::FileRecord& record, std::string key, const std::string& message,
              const std::string& dcmtk_words = {}) {
  catalog::ImportIssue issue;
  issue.key = std::move(key);
  detail::appendValidUtf8(message, issue.message);
  detail::appendValidUtf8(dcmtk_words, issue.detail);
  record.issues.push_back(std::move(issue));
}

std::string sopClassName(const std::string& uid) {
  const char* name = dcmFindNameOfUID(uid.c_str(), nullptr);
  return name != nullptr ? std::string(name) + " (" + uid + ")" : uid;
}

// Geometry problems of a file, collected per frame and reported once per key.
class GeometryProblems {
 public:
  void add(const std::string& key, const std::string& what, int frame) {
    Entry& entry = entries_[{key, what}];
    if (entry.count++ == 0) entry.first_frame = frame;
  }
  void report(catalog::FileRecord& record, int frame_count) const {
    std::map<std::string, std::string> messages;
    for (const auto& [id, entry] : entries_) {
      std::string text = id.second;
      if (frame_count > 0) {
        text += " in " + std::to_string(entry.count) + " of " + std::to_string(frame_count) +
                " frames (first: frame " + std::to_string(entry.first_frame) + ")";
      }
      std::string& message = messages[id.first];
      message += (message.empty() ? "" : "; ") + text;
    }
    for (auto& [key, message] : messages) addIssue(record, key, message);
  }

 private:
  struct Entry {
    int count = 0;
    int first_frame = 0;
  };
  std::map<std::pair<std::string, std::string>, Entry> entries_;
};

// ---------------------------------------------------------------------------------------------
// Records

struct Extraction {
  const HeaderWalk& walk;
  catalog::FileRecord& record;
  detail::TextDecoder text;
  const Item* ds;

  Extraction(const HeaderWalk& w, catalog::FileRecord& r)
      : walk(w),
        record(r),
        text(rawValue(&w.dataset, tag::kSpecificCharacterSet)),
        ds(&w.dataset) {}

  std::string decoded(const Item* item, std::uint32_t t, bool person_name = false) {
    return text.decode(rawValue(item, t), person_name);
  }

  void fillEntities() {
    catalog::PatientRecord patient;
    patient.patient_id = decoded(ds, tag::kPatientId);
    patient.name = decoded(ds, tag::kPatientName, true);
    patient.birth_date = asciiValue(ds, tag::kPatientBirthDate);
    patient.sex = asciiValue(ds, tag::kPatientSex);
    record.patient = std::move(patient);

    catalog::StudyRecord study;
    study.study_instance_uid = asciiValue(ds, tag::kStudyInstanceUid);
    study.study_date = asciiValue(ds, tag::kStudyDate);
    study.study_time = asciiValue(ds, tag::kStudyTime);
    study.description = decoded(ds, tag::kStudyDescription);
    study.accession_number = decoded(ds, tag::kAccessionNumber);
    study.study_id = decoded(ds, tag::kStudyId);
    record.study = std::move(study);

    catalog::SeriesRecord series;
    series.series_instance_uid = asciiValue(ds, tag::kSeriesInstanceUid);
    series.series_number = intValue(ds, tag::kSeriesNumber);
    series.modality = asciiValue(ds, tag::kModality);
    series.description = decoded(ds, tag::kSeriesDescription);
    series.protocol_name = decoded(ds, tag::kProtocolName);
    series.sequence_name = decoded(ds, tag::kSequenceName);
    if (series.sequence_name.empty()) series.sequence_name = decoded(ds, tag::kPulseSequenceName);
    series.body_part = asciiValue(ds, tag::kBodyPartExamined);
    series.laterality = asciiValue(ds, tag::kLaterality);
    if (series.laterality.empty()) series.laterality = asciiValue(ds, tag::kImageLaterality);
    series.patient_position = asciiValue(ds, tag::kPatientPosition);
    series.manufacturer = decoded(ds, tag::kManufacturer);
    series.magnetic_field_strength_t = realValue(ds, tag::kMagneticFieldStrength, false);
    series.frame_of_reference_uid = asciiValue(ds, tag::kFrameOfReferenceUid);
    record.series = std::move(series);
  }

  // Geometry of one image or frame: `per_frame` and `shared` are functional group items (null
  // for classic single-frame images, whose attributes sit at the top level).
  void fillGeometry(catalog::InstanceRecord& inst, const Item* per_frame, const Item* shared,
                    GeometryProblems& problems) {
    const bool enhanced = per_frame != nullptr || shared != nullptr;
    // Where `attribute` of functional group `sequence` is: the frame's group, the shared group,
    // else (classic images, and hybrid files that repeat it) the top level.
    auto where = [&](std::uint32_t sequence, std::uint32_t attribute) -> const Item* {
      if (enhanced) {
        if (const Item* item = groupWith(per_frame, shared, sequence, attribute)) return item;
      }
      return ds;
    };
    const Item* position = where(tag::kPlanePositionSequence, tag::kImagePositionPatient);
    const Item* orientation = where(tag::kPlaneOrientationSequence, tag::kImageOrientationPatient);
    const Item* measures = where(tag::kPixelMeasuresSequence, tag::kPixelSpacing);
    const int frame = inst.frame_number;
    std::string raw;

    std::array<double, 3> ipp{};
    switch (decimals(position, tag::kImagePositionPatient, ipp, raw)) {
      case Parsed::kOk:
        inst.image_position_patient = ipp;
        break;
      case Parsed::kAbsent:
        problems.add("missing_geometry", "no ImagePositionPatient", frame);
        break;
      case Parsed::kInvalid:
        problems.add("invalid_geometry", "ImagePositionPatient [" + raw + "] is not 3 numbers",
                     frame);
        break;
    }
    std::array<double, 6> iop{};
    switch (decimals(orientation, tag::kImageOrientationPatient, iop, raw)) {
      case Parsed::kOk: {
        const double rr = iop[0] * iop[0] + iop[1] * iop[1] + iop[2] * iop[2];
        const double cc = iop[3] * iop[3] + iop[4] * iop[4] + iop[5] * iop[5];
        const double rc = iop[0] * iop[3] + iop[1] * iop[4] + iop[2] * iop[5];
        if (std::abs(std::sqrt(rr) - 1.0) > kOrthonormalTolerance ||
            std::abs(std::sqrt(cc) - 1.0) > kOrthonormalTolerance ||
            std::abs(rc) > kOrthonormalTolerance) {
          problems.add("invalid_geometry",
                       "ImageOrientationPatient [" + raw + "] is not two orthogonal unit vectors",
                       frame);
        } else {
          inst.image_orientation_patient = iop;
        }
        break;
      }
      case Parsed::kAbsent:
        problems.add("missing_geometry", "no ImageOrientationPatient", frame);
        break;
      case Parsed::kInvalid:
        problems.add("invalid_geometry", "ImageOrientationPatient [" + raw + "] is not 6 numbers",
                     frame);
        break;
    }
    std::array<double, 2> spacing{};
    switch (decimals(measures, tag::kPixelSpacing, spacing, raw)) {
      case Parsed::kOk:
        if (spacing[0] > 0.0 && spacing[1] > 0.0) {
          inst.pixel_spacing = spacing;
        } else {
          problems.add("invalid_geometry", "PixelSpacing [" + raw + "] is not positive", frame);
        }
        break;
      case Parsed::kAbsent:
        problems.add("missing_geometry", "no PixelSpacing", frame);
        break;
      case Parsed::kInvalid:
        problems.add("invalid_geometry", "PixelSpacing [" + raw + "] is not 2 numbers", frame);
        break;
    }
    if (inst.rows <= 0 || inst.cols <= 0) {
      problems.add("invalid_geometry", "Rows or Columns is 0", frame);
    }
    inst.slice_thickness_mm = realValue(where(tag::kPixelMeasuresSequence, tag::kSliceThickness),
                                        tag::kSliceThickness, false);
    inst.spacing_between_slices_mm =
        realValue(where(tag::kPixelMeasuresSequence, tag::kSpacingBetweenSlices),
                  tag::kSpacingBetweenSlices, false);
    if (!enhanced) {
      inst.slice_location_mm = realValue(ds, tag::kSliceLocation, false);
      inst.trigger_time_ms = realValue(ds, tag::kTriggerTime, false);
      inst.nominal_interval_ms = realValue(ds, tag::kNominalInterval, false);
      inst.acquisition_time = asciiValue(ds, tag::kAcquisitionTime);
      if (inst.acquisition_time.empty()) {
        inst.acquisition_time = timeOfDateTime(rawValue(ds, tag::kAcquisitionDateTime));
      }
    } else {
      inst.trigger_time_ms = realValue(
          where(tag::kCardiacSynchronizationSequence, tag::kNominalCardiacTriggerDelayTime),
          tag::kNominalCardiacTriggerDelayTime, true);
      if (!inst.trigger_time_ms) inst.trigger_time_ms = realValue(ds, tag::kTriggerTime, false);
      inst.nominal_interval_ms =
          realValue(where(tag::kCardiacSynchronizationSequence, tag::kRrIntervalTimeNominal),
                    tag::kRrIntervalTimeNominal, true);
      if (!inst.nominal_interval_ms) {
        inst.nominal_interval_ms = realValue(ds, tag::kNominalInterval, false);
      }
      inst.acquisition_time =
          timeOfDateTime(rawValue(where(tag::kFrameContentSequence, tag::kFrameAcquisitionDateTime),
                                  tag::kFrameAcquisitionDateTime));
      if (inst.acquisition_time.empty()) {
        inst.acquisition_time = timeOfDateTime(rawValue(ds, tag::kAcquisitionDateTime));
      }
      if (inst.acquisition_time.empty()) {
        inst.acquisition_time = asciiValue(ds, tag::kAcquisitionTime);
      }
    }
    inst.cardiac_number_of_images = intValue(ds, tag::kCardiacNumberOfImages);
  }

  // Frame count of a multi-frame object; 0 for a single-frame image. -1: implausible.
  long long frameCount(const Element* per_frame) const {
    const std::optional<long long> declared = integerValue(ds, tag::kNumberOfFrames, false);
    const long long items =
        per_frame != nullptr ? static_cast<long long>(per_frame->items.size()) : 0;
    long long frames = declared.value_or(0);
    if (frames <= 0) frames = items;
    if (frames > kMaxFrames) return -1;
    return frames;
  }

  void fillImage() {
    const Element* per_frame = ds->find(tag::kPerFrameFunctionalGroupsSequence);
    const Item* shared = firstItem(ds, tag::kSharedFunctionalGroupsSequence);
    const bool functional_groups = per_frame != nullptr || shared != nullptr;
    const long long frames = frameCount(per_frame);
    if (frames < 0) {
      addIssue(record, "corrupt", "NumberOfFrames is implausibly large");
      return;
    }
    catalog::InstanceRecord base;
    base.sop_class_uid = record.sop_class_uid;
    base.sop_instance_uid = asciiValue(ds, tag::kSopInstanceUid);
    base.instance_number = intValue(ds, tag::kInstanceNumber);
    base.rows = intValue(ds, tag::kRows, true).value_or(0);
    base.cols = intValue(ds, tag::kColumns, true).value_or(0);
    GeometryProblems problems;
    const bool multi_frame = functional_groups || frames > 1;
    if (!multi_frame) {
      fillGeometry(base, nullptr, nullptr, problems);
      record.instances.push_back(std::move(base));
      problems.report(record, 0);
      return;
    }
    const long long count = std::max<long long>(frames, 1);
    record.instances.reserve(static_cast<std::size_t>(count));
    for (long long i = 0; i < count; ++i) {
      catalog::InstanceRecord inst = base;
      inst.frame_number = static_cast<int>(i + 1);
      const Item* frame_item =
          per_frame != nullptr && i < static_cast<long long>(per_frame->items.size())
              ? &per_frame->items[static_cast<std::size_t>(i)]
              : nullptr;
      if (functional_groups) {
        fillGeometry(inst, frame_item, shared, problems);
      } else {
        fillGeometry(inst, nullptr, nullptr, problems);  // legacy multi-frame: one plane
      }
      record.instances.push_back(std::move(inst));
    }
    problems.report(record, static_cast<int>(count));
  }

  std::pair<std::string, std::string> code(const Item* item) {
    if (item == nullptr) return {};
    std::string value = decoded(item, tag::kCodeValue);
    if (value.empty()) value = decoded(item, tag::kLongCodeValue);
    if (value.empty()) value = decoded(item, tag::kUrnCodeValue);
    const std::string scheme = decoded(item, tag::kCodingSchemeDesignator);
    return {scheme + ":" + value, decoded(item, tag::kCodeMeaning)};
  }

  void fillLabelSet() {
    catalog::LabelSetRecord set;
    set.sop_instance_uid = asciiValue(ds, tag::kSopInstanceUid);
    set.series_instance_uid = asciiValue(ds, tag::kSeriesInstanceUid);
    set.segmentation_type = asciiValue(ds, tag::kSegmentationType);
    if (const Element* segments = ds->find(tag::kSegmentSequence)) {
      for (const Item& item : segments->items) {
        catalog::SegmentRecord segment;
        segment.number = intValue(&item, tag::kSegmentNumber, true).value_or(0);
        segment.label = decoded(&item, tag::kSegmentLabel);
        std::tie(segment.category_code, segment.category_meaning) =
            code(firstItem(&item, tag::kSegmentedPropertyCategoryCodeSequence));
        std::tie(segment.type_code, segment.type_meaning) =
            code(firstItem(&item, tag::kSegmentedPropertyTypeCodeSequence));
        set.segments.push_back(std::move(segment));
      }
    }
    // A SEG whose references name a single image: every frame labels that image.
    std::string only_reference;
    int reference_count = 0;
    if (const Element* series = ds->find(tag::kReferencedSeriesSequence)) {
      for (const Item& s : series->items) {
        if (const Element* instances = s.find(tag::kReferencedInstanceSequence)) {
          for (const Item& i : instances->items) {
            only_reference = asciiValue(&i, tag::kReferencedSopInstanceUid);
            ++reference_count;
          }
        }
      }
    }
    const Element* per_frame = ds->find(tag::kPerFrameFunctionalGroupsSequence);
    const Item* shared = firstItem(ds, tag::kSharedFunctionalGroupsSequence);
    const long long frames = frameCount(per_frame);
    if (frames < 0) {
      addIssue(record, "corrupt", "NumberOfFrames is implausibly large");
      return;
    }
    set.frames.reserve(static_cast<std::size_t>(frames));
    for (long long i = 0; i < frames; ++i) {
      const Item* frame_item =
          per_frame != nullptr && i < static_cast<long long>(per_frame->items.size())
              ? &per_frame->items[static_cast<std::size_t>(i)]
              : nullptr;
      catalog::LabelFrameRecord frame;
      frame.frame_number = static_cast<int>(i + 1);
      frame.segment_number =
          intValue(groupWith(frame_item, shared, tag::kSegmentIdentificationSequence,
                             tag::kReferencedSegmentNumber),
                   tag::kReferencedSegmentNumber, true)
              .value_or(0);
      const Item* source = firstItem(
          groupWith(frame_item, shared, tag::kDerivationImageSequence, tag::kSourceImageSequence),
          tag::kSourceImageSequence);
      frame.referenced_sop_instance_uid = asciiValue(source, tag::kReferencedSopInstanceUid);
      frame.referenced_frame_number = intValue(source, tag::kReferencedFrameNumber).value_or(0);
      if (frame.referenced_sop_instance_uid.empty() && reference_count == 1) {
        frame.referenced_sop_instance_uid = only_reference;
      }
      set.frames.push_back(std::move(frame));
    }
    record.label_set = std::move(set);
  }

  // Fills the record from the walked header; `pixels_checked`: the walk saw the whole file up to
  // Pixel Data, so a missing or cut Pixel Data value can be told.
  // `meta_sop_class`: MediaStorageSOPClassUID, used when the data set has no SOPClassUID.
  void run(bool pixels_checked, const std::string& meta_sop_class) {
    record.transfer_syntax_uid = walk.transfer_syntax_uid;
    record.sop_class_uid = asciiValue(ds, tag::kSopClassUid);
    if (record.sop_class_uid.empty()) record.sop_class_uid = meta_sop_class;
    if (walk.dataset_element_count == 0) {
      addIssue(record, "truncated", "the file has a meta header but no data set");
      return;
    }
    if (record.sop_class_uid == kMediaStorageDirectoryStorage) {
      addIssue(record, "dicomdir",
               "a DICOMDIR (index of a DICOM medium): its records were used to find files; it "
               "holds no image itself");
      return;
    }
    const bool segmentation = record.sop_class_uid == kSegmentationStorage;
    const bool image =
        !segmentation && ds->find(tag::kRows) != nullptr && ds->find(tag::kColumns) != nullptr;
    if (!walk.has_preamble && record.sop_class_uid.empty() &&
        ds->find(tag::kSopInstanceUid) == nullptr && !image) {
      addIssue(record, "not_dicom",
               "no DICOM preamble, and the bytes do not form a DICOM object (no SOP class, "
               "no SOP instance, no image)");
      return;
    }
    if (!walk.transfer_syntax_known) {
      addIssue(record, "unsupported_transfer_syntax",
               "unknown transfer syntax " + walk.transfer_syntax_uid +
                   ": the header was read as Explicit VR Little Endian; the pixel data cannot be "
                   "decoded");
    }
    const std::string study_uid = asciiValue(ds, tag::kStudyInstanceUid);
    const std::string series_uid = asciiValue(ds, tag::kSeriesInstanceUid);
    if (!segmentation && !image) {
      if (!study_uid.empty() && !series_uid.empty()) fillEntities();
      const std::string what =
          record.sop_class_uid.empty() ? "no SOP class" : sopClassName(record.sop_class_uid);
      addIssue(record, "no_image", "not an image: " + what + "; recorded, not indexed as image");
      return;
    }
    if (asciiValue(ds, tag::kSopInstanceUid).empty()) {
      addIssue(record, "missing_sop_instance_uid",
               "no SOPInstanceUID: the image cannot be identified");
      return;
    }
    if (study_uid.empty() || series_uid.empty()) {
      addIssue(record, "missing_uid",
               std::string("no ") + (study_uid.empty() ? "StudyInstanceUID" : "SeriesInstanceUID") +
                   ": the image cannot be placed in a study and series");
      return;
    }
    fillEntities();
    if (segmentation) {
      fillLabelSet();
    } else {
      fillImage();
      if (pixels_checked && !walk.pixel_data_found) {
        addIssue(record, "truncated",
                 "the file ends before its Pixel Data: the header is indexed, the image has no "
                 "pixels");
      } else if (pixels_checked && walk.pixel_data_header_cut) {
        addIssue(record, "truncated",
                 "the file ends inside the Pixel Data header: the header is indexed, the image "
                 "has no pixels");
      } else if (pixels_checked && walk.pixel_data_end > record.size_bytes) {
        addIssue(record, "truncated",
                 "Pixel Data is cut: " + std::to_string(record.size_bytes) + " of " +
                     std::to_string(walk.pixel_data_end) +
                     " bytes; the header is indexed, the pixels are incomplete");
      }
    }
    if (!text.ok()) addIssue(record, "unsupported_character_set", text.problem());
  }
};

// ---------------------------------------------------------------------------------------------
// File access

// Per-thread scratch: most files need one read into an already allocated buffer. Buffers that
// grew for an unusually long header are released after that file, so memory per reader thread
// stays small.
thread_local std::string t_file_prefix;
thread_local std::string t_reencoded;
constexpr std::size_t kKeptScratchBytes = 1 << 20;

void releaseLargeScratch() {
  if (t_file_prefix.capacity() > kKeptScratchBytes) std::string().swap(t_file_prefix);
  if (t_reencoded.capacity() > kKeptScratchBytes) std::string().swap(t_reencoded);
}

class FileHandle {
 public:
  explicit FileHandle(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~FileHandle() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  int fd() const { return fd_; }

  // Appends bytes [buffer.size(), end) of the file; false (and errno) on a read error. Stops
  // early at the end of the file.
  bool readUpTo(std::string& buffer, std::size_t end) const {
    std::size_t have = buffer.size();
    buffer.resize(end);
    while (have < end) {
      const ssize_t n = ::pread(fd_, buffer.data() + have, end - have, static_cast<off_t>(have));
      if (n < 0) {
        if (errno == EINTR) continue;
        buffer.resize(have);
        return false;
      }
      if (n == 0) break;
      have += static_cast<std::size_t>(n);
    }
    buffer.resize(have);
    return true;
  }

 private:
  int fd_;
};

std::string errnoText(int error) {
  char buffer[256];
  // GNU strerror_r returns the message (not always in buffer).
  return strerror_r(error, buffer, sizeof buffer);
}

// Removes DCMTK's note that reading stopped at Pixel Data, which it logs for every file.
std::string dcmtkLog(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    if (line.find("encountered, skipping rest of dataset") == std::string_view::npos) {
      out.append(line);
      out.push_back('\n');
    }
    start = end + 1;
  }
  return out;
}

// DCMTK's reading of a file the walk could not finish: DCMTK inflates deflated data sets and
// tolerates many encoding errors. On success the data set (up to Pixel Data) is re-encoded as
// Explicit VR Little Endian into `storage` and walked, so one extraction serves both paths.
struct DcmtkReading {
  bool ok = false;
  std::string condition;  // DCMTK's error text when !ok
  std::string log;        // what DCMTK logged meanwhile
  HeaderWalk walk;
  std::string meta_sop_class;
};

constexpr Uint32 kMaxReencodedValueBytes = 64 * 1024;

DcmtkReading readWithDcmtk(const std::string& path, bool file_only, std::string& storage) {
  detail::initializeDcmtk();
  DcmtkReading result;
  detail::LogCapture capture;
  DcmFileFormat file_format;
  OFCondition cond =
      file_format.loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength,
                                   file_only ? ERM_fileOnly : ERM_autoDetect, DCM_PixelData);
  if (cond.good()) {
    DcmDataset* ds = file_format.getDataset();
    // Long top-level values (private blobs, embedded documents) are never needed: drop them
    // rather than load and re-encode them.
    for (unsigned long i = ds->card(); i-- > 0;) {
      DcmElement* element = ds->getElement(i);
      if (element != nullptr && element->ident() != EVR_SQ &&
          element->getLengthField() > kMaxReencodedValueBytes) {
        delete ds->remove(i);
      }
    }
    const Uint32 length = ds->getLength(EXS_LittleEndianExplicit, EET_ExplicitLength);
    storage.assign(static_cast<std::size_t>(length) + 64, '\0');
    DcmOutputBufferStream out(storage.data(), static_cast<offile_off_t>(storage.size()));
    ds->transferInit();
    cond = ds->write(out, EXS_LittleEndianExplicit, EET_ExplicitLength, nullptr);
    ds->transferEnd();
    if (cond.good()) {
      void* written = nullptr;
      offile_off_t written_length = 0;
      out.flushBuffer(written, written_length);
      result.walk = detail::walkExplicitLittleDataset(
          std::string_view(storage.data(), static_cast<std::size_t>(written_length)), kRequest);
      result.walk.has_preamble = file_only;
      OFString ts;
      if (file_format.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, ts).good() &&
          !ts.empty()) {
        result.walk.transfer_syntax_uid = ts.c_str();
      } else {
        result.walk.transfer_syntax_uid = DcmXfer(ds->getOriginalXfer()).getXferID();
      }
      OFString sop_class;
      if (file_format.getMetaInfo()
              ->findAndGetOFString(DCM_MediaStorageSOPClassUID, sop_class)
              .good()) {
        // Keep the meta SOP class as a fallback for the extraction, as on the fast path.
        result.meta_sop_class = sop_class.c_str();
      }
      result.ok = result.walk.status == WalkStatus::kComplete;
      if (!result.ok) result.condition = "re-encoded data set: " + result.walk.diagnosis;
    }
  }
  if (cond.bad()) result.condition = cond.text();
  result.log = dcmtkLog(capture.text());
  return result;
}

void readInto(catalog::FileRecord& record, const HeaderReadOptions& options) {
  const FileHandle file(record.path);
  if (file.fd() < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      addIssue(record, "missing_file", "the file no longer exists");
    } else {
      addIssue(record, "unreadable", "cannot open: " + errnoText(error));
    }
    return;
  }
  struct stat st {};
  if (::fstat(file.fd(), &st) != 0) {
    addIssue(record, "unreadable", "cannot stat: " + errnoText(errno));
    return;
  }
  if (!S_ISREG(st.st_mode)) {
    addIssue(record, "unreadable",
             S_ISDIR(st.st_mode) ? "a folder, not a file" : "not a regular file");
    return;
  }
  record.size_bytes = static_cast<std::uint64_t>(st.st_size);
  record.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL +
                    static_cast<std::int64_t>(st.st_mtim.tv_nsec);
  const std::size_t size = static_cast<std::size_t>(st.st_size);

  std::string& buffer = t_file_prefix;
  buffer.clear();
  if (!file.readUpTo(buffer,
                     std::min(size, std::max<std::size_t>(options.initial_read_bytes, 256)))) {
    addIssue(record, "unreadable", "read error: " + errnoText(errno));
    return;
  }
  HeaderWalk walk;
  bool too_long = false;
  for (;;) {
    const bool whole = buffer.size() >= size;
    walk = detail::walkFile(buffer, whole, kRequest);
    if (walk.status != WalkStatus::kNeedMoreData) break;
    if (walk.bytes_needed > options.max_header_bytes) {
      too_long = true;
      break;
    }
    const std::size_t before = buffer.size();
    const std::size_t next = std::min(size, std::max(walk.bytes_needed, 2 * before));
    if (!file.readUpTo(buffer, next)) {
      addIssue(record, "unreadable", "read error: " + errnoText(errno));
      return;
    }
    if (buffer.size() == before) break;  // the file shrank while reading: walk what is there
  }
  if (walk.status == WalkStatus::kNeedMoreData && !too_long) {
    walk = detail::walkFile(buffer, true, kRequest);
  }

  record.transfer_syntax_uid = walk.transfer_syntax_uid;
  switch (walk.status) {
    case WalkStatus::kComplete: {
      Extraction(walk, record).run(true, asciiValue(&walk.meta, tag::kMediaStorageSopClassUid));
      return;
    }
    case WalkStatus::kNotDicom:
      addIssue(record, "not_dicom", walk.diagnosis);
      return;
    case WalkStatus::kTruncated:
    case WalkStatus::kMalformed:
    case WalkStatus::kDeflated:
    case WalkStatus::kNeedMoreData:
      break;
  }
  if (!walk.has_preamble) {
    // Without a preamble only a clean walk makes a file DICOM; DCMTK would guess at any bytes.
    if (walk.status == WalkStatus::kTruncated) {
      addIssue(record, "truncated", walk.diagnosis);
    } else {
      addIssue(record, "not_dicom",
               "no DICOM preamble, and the bytes are not a valid data set: " + walk.diagnosis);
    }
    return;
  }
  const std::string what =
      walk.status == WalkStatus::kDeflated ? "deflated data set"
      : too_long ? "header longer than " + std::to_string(options.max_header_bytes) + " bytes"
                 : walk.diagnosis;
  DcmtkReading dcmtk = readWithDcmtk(record.path, true, t_reencoded);
  std::string detail_text =
      (dcmtk.ok ? std::string() : "DCMTK: " + dcmtk.condition + "\n") + dcmtk.log;
  while (!detail_text.empty() && detail_text.back() == '\n') detail_text.pop_back();
  if (walk.status == WalkStatus::kTruncated) {
    addIssue(record, "truncated", walk.diagnosis, detail_text);
    return;
  }
  if (!dcmtk.ok) {
    // The walk located malformed bytes inside the file: corrupt. A deflated data set could not
    // be walked: DCMTK's error tells a cut stream from a broken one.
    const bool cut = walk.status == WalkStatus::kDeflated &&
                     dcmtk.condition.find("premature end of stream") != std::string::npos;
    if (!walk.transfer_syntax_known) {
      addIssue(record, "unsupported_transfer_syntax",
               "unknown transfer syntax " + walk.transfer_syntax_uid +
                   ": the header cannot be read (" + what + ")",
               detail_text);
      return;
    }
    addIssue(record, cut ? "truncated" : "corrupt",
             (cut ? "the data set ends early (" : "the data set cannot be parsed (") + what + ")",
             detail_text);
    return;
  }
  Extraction extraction(dcmtk.walk, record);
  extraction.run(false, dcmtk.meta_sop_class);
  for (catalog::ImportIssue& issue : record.issues) {
    if (issue.detail.empty()) issue.detail = detail_text;
  }
}

}  // namespace

void initializeDicomReading() {
  detail::initializeDcmtk();
}

catalog::FileRecord readDicomHeader(const DiscoveredFile& file, const HeaderReadOptions& options) {
  catalog::FileRecord record;
  record.path = file.path;
  record.size_bytes = file.size_bytes;
  record.mtime_ns = file.mtime_ns;
  try {
    readInto(record, options);
    releaseLargeScratch();
  } catch (const std::exception& e) {
    record = catalog::FileRecord{};
    record.path = file.path;
    record.size_bytes = file.size_bytes;
    record.mtime_ns = file.mtime_ns;
    addIssue(record, "internal_error", std::string("reading failed: ") + e.what());
  } catch (...) {
    record = catalog::FileRecord{};
    record.path = file.path;
    addIssue(record, "internal_error", "reading failed");
  }
  return record;
}

bool isIndexable(const catalog::FileRecord& record) {
  return !record.instances.empty() || record.label_set.has_value();
}

}  // namespace planelab::dicom
