// Internal to planelab::dicom: a bounds-checked walk over the bytes of a DICOM file, from the
// preamble to the first Pixel Data element, that keeps only the attributes the caller asks for.
// It exists for speed (issue #3 §6): DCMTK's parser builds an object per element and takes the
// data dictionary's lock for each; this walk reads the few attributes the catalog needs from one
// in-memory prefix of the file with no allocation per skipped element. Anything it does not
// understand (deflated data sets, invalid VRs, broken item structure) is reported, and the reader
// lets DCMTK try (header_reader.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace planelab::dicom::detail {

constexpr std::uint32_t tagKey(std::uint16_t group, std::uint16_t element) {
  return (static_cast<std::uint32_t>(group) << 16) | element;
}

struct Item;

// One attribute as found in the file. `value` points into the walked bytes (which must outlive
// the walk result); sequences hold their items instead.
struct Element {
  std::uint32_t tag = 0;
  char vr[2] = {0, 0};      // as written; {0, 0} in implicit VR (the caller knows the type)
  bool big_endian = false;  // byte order of binary values
  std::string_view value;
  std::vector<Item> items;
};

struct Item {
  std::vector<Element> elements;  // in file order (ascending tags in a valid file)
  const Element* find(std::uint32_t tag) const;
};

// What to keep: `wanted` are recorded (at any depth); `sequences` are the tags among them that
// are sequences, needed to descend into them in implicit VR. Both sorted ascending.
struct WalkRequest {
  const std::uint32_t* wanted = nullptr;
  std::size_t wanted_count = 0;
  const std::uint32_t* sequences = nullptr;
  std::size_t sequence_count = 0;
};

enum class WalkStatus {
  kComplete,      // reached Pixel Data (or the end of a data set that has none)
  kNeedMoreData,  // the prefix ended first: walk again with at least `bytes_needed` bytes
  kTruncated,     // the file ends inside the preamble, meta header or data set
  kMalformed,     // the bytes are not a valid encoding (invalid VR, broken item structure, ...)
  kNotDicom,      // no "DICM" preamble and not recognisable as a raw data set
  kDeflated,      // Deflated Explicit VR Little Endian: the caller inflates (via DCMTK)
};

struct HeaderWalk {
  WalkStatus status = WalkStatus::kComplete;
  std::string diagnosis;  // for people: what was wrong and at which byte offset
  std::size_t bytes_needed = 0;
  bool has_preamble = false;
  std::string transfer_syntax_uid;  // from the meta header, else that of the detected encoding
  bool transfer_syntax_known = true;
  Item meta;                              // wanted elements of group 0002
  Item dataset;                           // wanted elements of the data set, up to Pixel Data
  std::size_t dataset_element_count = 0;  // top-level elements walked, wanted or not
  bool pixel_data_found = false;
  // Offset just past the Pixel Data value (defined length only; 0 when undefined/encapsulated),
  // to tell a file cut inside its pixels from a complete one without reading them.
  std::uint64_t pixel_data_end = 0;
  bool pixel_data_header_cut = false;  // the file ends inside the Pixel Data element's header
};

// Walks a file's first `bytes.size()` bytes; `whole_file` says whether that is all of it.
HeaderWalk walkFile(std::string_view bytes, bool whole_file, const WalkRequest& request);

// Walks a complete data set without preamble or meta header (the re-encoded output of DCMTK),
// in Explicit VR Little Endian.
HeaderWalk walkExplicitLittleDataset(std::string_view bytes, const WalkRequest& request);

// Transfer syntax UIDs the reader needs by name.
inline constexpr const char* kImplicitVrLittleEndian = "1.2.840.10008.1.2";
inline constexpr const char* kExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
inline constexpr const char* kExplicitVrBigEndian = "1.2.840.10008.1.2.2";
inline constexpr const char* kDeflatedExplicitVrLittleEndian = "1.2.840.10008.1.2.1.99";

}  // namespace planelab::dicom::detail
