#include "dicom/header_walker.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>

namespace planelab::dicom::detail {

namespace {

constexpr std::uint32_t kUndefinedLength = 0xFFFFFFFFu;
constexpr std::size_t kOpenEnd = std::numeric_limits<std::size_t>::max();
constexpr std::uint32_t kItem = tagKey(0xFFFE, 0xE000);
constexpr std::uint32_t kItemDelimitation = tagKey(0xFFFE, 0xE00D);
constexpr std::uint32_t kSequenceDelimitation = tagKey(0xFFFE, 0xE0DD);
constexpr std::uint32_t kTransferSyntaxUid = tagKey(0x0002, 0x0010);
// Deeper nesting than this is not found in real files; refusing it bounds the recursion.
constexpr int kMaxDepth = 48;

struct Encoding {
  bool explicit_vr = true;
  bool big_endian = false;
};

bool isVr(const char* vr, const char* name) {
  return vr[0] == name[0] && vr[1] == name[1];
}

constexpr std::uint16_t vrCode(char a, char b) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(a) << 8) |
                                    static_cast<unsigned char>(b));
}

enum class LengthField { kInvalid, kShort, kLong };

// The length field of an explicit VR (PS3.5 7.1.2): 32 bits after two reserved bytes for these
// VRs, 16 bits for the others; unknown VRs are invalid.
LengthField lengthField(const char* vr) {
  switch (vrCode(vr[0], vr[1])) {
    case vrCode('O', 'B'):
    case vrCode('O', 'D'):
    case vrCode('O', 'F'):
    case vrCode('O', 'L'):
    case vrCode('O', 'V'):
    case vrCode('O', 'W'):
    case vrCode('S', 'Q'):
    case vrCode('S', 'V'):
    case vrCode('U', 'C'):
    case vrCode('U', 'N'):
    case vrCode('U', 'R'):
    case vrCode('U', 'T'):
    case vrCode('U', 'V'):
      return LengthField::kLong;
    case vrCode('A', 'E'):
    case vrCode('A', 'S'):
    case vrCode('A', 'T'):
    case vrCode('C', 'S'):
    case vrCode('D', 'A'):
    case vrCode('D', 'S'):
    case vrCode('D', 'T'):
    case vrCode('F', 'L'):
    case vrCode('F', 'D'):
    case vrCode('I', 'S'):
    case vrCode('L', 'O'):
    case vrCode('L', 'T'):
    case vrCode('P', 'N'):
    case vrCode('S', 'H'):
    case vrCode('S', 'L'):
    case vrCode('S', 'S'):
    case vrCode('S', 'T'):
    case vrCode('T', 'M'):
    case vrCode('U', 'I'):
    case vrCode('U', 'L'):
    case vrCode('U', 'S'):
      return LengthField::kShort;
    default:
      return LengthField::kInvalid;
  }
}

bool isKnownVr(const char* vr) {
  return lengthField(vr) != LengthField::kInvalid;
}

bool contains(const std::uint32_t* sorted, std::size_t count, std::uint32_t tag) {
  return count > 0 && std::binary_search(sorted, sorted + count, tag);
}

std::string hex4(std::uint32_t value) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out(4, '0');
  for (int i = 3; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kDigits[value & 0xF];
    value >>= 4;
  }
  return out;
}

std::string tagText(std::uint32_t tag) {
  return "(" + hex4(tag >> 16) + "," + hex4(tag & 0xFFFF) + ")";
}

std::string trimUid(std::string_view value) {
  while (!value.empty() && (value.back() == '\0' || value.back() == ' ')) value.remove_suffix(1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return std::string(value);
}

struct TransferSyntax {
  Encoding encoding;
  bool known = true;
  bool deflated = false;
};

TransferSyntax classify(const std::string& uid) {
  TransferSyntax ts;
  if (uid == kImplicitVrLittleEndian) {
    ts.encoding.explicit_vr = false;
  } else if (uid == kExplicitVrBigEndian) {
    ts.encoding.big_endian = true;
  } else if (uid == kDeflatedExplicitVrLittleEndian || uid == "1.2.840.10008.1.2.4.95") {
    ts.deflated = true;  // the second is JPIP Referenced Deflate
  } else if (uid == kExplicitVrLittleEndian || uid == "1.2.840.10008.1.2.1.98" ||
             uid.rfind("1.2.840.10008.1.2.4.", 0) == 0 ||  // JPEG, JPEG-LS, JPEG 2000, MPEG, HTJ2K
             uid == "1.2.840.10008.1.2.5" ||               // RLE Lossless
             uid.rfind("1.2.840.10008.1.2.7.", 0) == 0 ||  // SMPTE ST 2110
             uid.rfind("1.2.840.10008.1.2.8.", 0) == 0) {  // Deflated Image Frame Compression
    // Explicit VR Little Endian data set; compressed pixel data does not matter for the header.
  } else {
    ts.known = false;  // private or future syntax: try Explicit VR Little Endian
  }
  return ts;
}

class Walker {
 public:
  Walker(std::string_view bytes, bool whole_file, const WalkRequest& request, HeaderWalk& out)
      : data_(reinterpret_cast<const unsigned char*>(bytes.data())),
        size_(bytes.size()),
        whole_file_(whole_file),
        request_(request),
        out_(out) {}

  void walkFile() {
    std::size_t pos = 0;
    if (size_ >= 132 && std::memcmp(data_ + 128, "DICM", 4) == 0) {
      out_.has_preamble = true;
      pos = 132;
    } else if (!recogniseRawStart()) {
      return;
    }
    const std::size_t meta_start = pos;
    if (!walkMeta(pos)) return;
    if (pos == size_ && whole_file_) {
      truncated(pos, pos > meta_start ? "the file ends after its meta header"
                                      : "the file ends after its preamble");
      return;
    }
    TransferSyntax ts;
    if (!out_.transfer_syntax_uid.empty()) {
      ts = classify(out_.transfer_syntax_uid);
      out_.transfer_syntax_known = ts.known;
      if (ts.deflated) {
        out_.status = WalkStatus::kDeflated;
        return;
      }
    } else {
      if (!need(pos, 8, "the first element")) return;
      ts.encoding = detectEncoding(pos);
    }
    // Writers that declare one VR encoding and use the other: believe the bytes.
    if (pos + 6 <= size_ && group(pos, ts.encoding) != 0xFFFE) {
      const char vr[2] = {static_cast<char>(data_[pos + 4]), static_cast<char>(data_[pos + 5])};
      if (ts.encoding.explicit_vr && !isKnownVr(vr) && !ts.encoding.big_endian) {
        ts.encoding.explicit_vr = false;
      } else if (!ts.encoding.explicit_vr && isKnownVr(vr)) {
        ts.encoding.explicit_vr = true;
      }
    }
    walkDataset(pos, ts.encoding);
  }

  void walkDataset(std::size_t pos, Encoding encoding) {
    walkElements(pos, kOpenEnd, encoding, 0, &out_.dataset, true);
  }

 private:
  std::uint16_t u16(std::size_t pos, bool big) const {
    return big ? static_cast<std::uint16_t>((data_[pos] << 8) | data_[pos + 1])
               : static_cast<std::uint16_t>(data_[pos] | (data_[pos + 1] << 8));
  }
  std::uint32_t u32(std::size_t pos, bool big) const {
    const std::uint32_t b0 = data_[pos], b1 = data_[pos + 1], b2 = data_[pos + 2],
                        b3 = data_[pos + 3];
    return big ? (b0 << 24) | (b1 << 16) | (b2 << 8) | b3
               : b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
  }
  std::uint16_t group(std::size_t pos, Encoding e) const { return u16(pos, e.big_endian); }

  bool failed() const { return out_.status != WalkStatus::kComplete; }

  void truncated(std::size_t pos, const std::string& what) {
    if (failed()) return;
    out_.status = WalkStatus::kTruncated;
    out_.diagnosis = what + " (" + std::to_string(size_) + " bytes; needed data at offset " +
                     std::to_string(pos) + ")";
  }
  void malformed(std::size_t pos, const std::string& what) {
    if (failed()) return;
    out_.status = WalkStatus::kMalformed;
    out_.diagnosis = what + " at offset " + std::to_string(pos);
  }
  void notDicom(const std::string& what) {
    if (failed()) return;
    out_.status = WalkStatus::kNotDicom;
    out_.diagnosis = what;
  }

  // True when [pos, pos + count) is available; otherwise records why the walk stops.
  bool need(std::size_t pos, std::uint64_t count, const char* what) {
    if (pos <= size_ && count <= size_ - pos) return true;
    if (whole_file_) {
      truncated(pos, std::string("the file ends inside ") + what);
    } else if (!failed()) {
      out_.status = WalkStatus::kNeedMoreData;
      const std::uint64_t end = static_cast<std::uint64_t>(pos) + count;
      out_.bytes_needed = end > std::numeric_limits<std::size_t>::max()
                              ? std::numeric_limits<std::size_t>::max()
                              : static_cast<std::size_t>(end);
    }
    return false;
  }

  // No preamble: accept a data set (or meta group) that starts with a plausible low group, as
  // DCMTK does for "raw" files; everything else is not DICOM.
  bool recogniseRawStart() {
    if (size_ == 0) {
      if (whole_file_) {
        notDicom("empty file");
      } else {
        need(0, 132, "the preamble");
      }
      return false;
    }
    if (size_ < 132 && whole_file_) {
      // Most writers fill the 128-byte preamble with zeros: a short all-zero file is a DICOM
      // file cut inside its preamble.
      if (std::all_of(data_, data_ + size_, [](unsigned char c) { return c == 0; })) {
        truncated(size_, "the file ends inside the 128-byte preamble");
        return false;
      }
    }
    if (size_ < 8) {
      if (whole_file_) {
        notDicom("no DICOM preamble and too short for a data set (" + std::to_string(size_) +
                 " bytes)");
      } else {
        need(0, 132, "the preamble");
      }
      return false;
    }
    const std::uint16_t little = u16(0, false);
    const std::uint16_t big = u16(0, true);
    auto plausible = [](std::uint16_t g) { return g >= 0x0002 && g <= 0x0010 && g % 2 == 0; };
    if (!plausible(little) && !plausible(big)) {
      notDicom("no DICOM preamble (\"DICM\" at offset 128) and no data set at the start");
      return false;
    }
    return true;
  }

  bool walkMeta(std::size_t& pos) {
    const Encoding meta{true, false};
    for (;;) {
      if (pos + 2 > size_) {
        if (pos == size_ && whole_file_) return true;
        return need(pos, 8, "the meta header");
      }
      if (group(pos, meta) != 0x0002) break;
      if (!walkElement(pos, kOpenEnd, meta, 0, &out_.meta)) return false;
    }
    if (const Element* ts = out_.meta.find(kTransferSyntaxUid)) {
      out_.transfer_syntax_uid = trimUid(ts->value);
    }
    return true;
  }

  // Without a TransferSyntaxUID: VR letters after the first tag mean explicit VR; a group that
  // reads as a multiple of 256 in little endian means big endian.
  Encoding detectEncoding(std::size_t pos) {
    const char vr[2] = {static_cast<char>(data_[pos + 4]), static_cast<char>(data_[pos + 5])};
    Encoding encoding;
    encoding.explicit_vr = isKnownVr(vr);
    const std::uint16_t little = u16(pos, false);
    encoding.big_endian = encoding.explicit_vr && (little & 0xFF) == 0 && little != 0;
    out_.transfer_syntax_uid = !encoding.explicit_vr ? kImplicitVrLittleEndian
                               : encoding.big_endian ? kExplicitVrBigEndian
                                                     : kExplicitVrLittleEndian;
    return encoding;
  }

  // Elements until `end` (defined length), an item delimiter (undefined-length item), the end of
  // the data set (top level) or Pixel Data (top level).
  bool walkElements(std::size_t& pos, std::size_t end, Encoding e, int depth, Item* out,
                    bool top_level) {
    for (;;) {
      if (end != kOpenEnd) {
        if (pos == end) return true;
        if (pos > end) {
          malformed(end, "an element runs past the end of its item");
          return false;
        }
      } else if (top_level && pos >= size_) {
        if (pos == size_ && whole_file_) return true;
        return need(pos, 8, "the data set");
      }
      if (!need(pos, 4, "an element tag")) return false;
      const std::uint32_t tag = tagKey(u16(pos, e.big_endian), u16(pos + 2, e.big_endian));
      if (tag == kItemDelimitation) {
        if (top_level || end != kOpenEnd) {
          malformed(pos, "unexpected item delimiter");
          return false;
        }
        pos += 8;
        return true;
      }
      if (top_level && (tag >> 16) >= 0x7FE0) {
        out_.pixel_data_found = true;
        Element header;
        std::size_t value_pos = 0;
        std::uint32_t length = 0;
        if (readHeader(pos, e, header, value_pos, length, false)) {
          if (length != kUndefinedLength) {
            out_.pixel_data_end = static_cast<std::uint64_t>(value_pos) + length;
          }
        } else if (!whole_file_) {
          return need(pos, 12, "the Pixel Data header");
        } else {
          out_.pixel_data_header_cut = true;
        }
        out_.status = WalkStatus::kComplete;
        out_.diagnosis.clear();
        return true;
      }
      if (!walkElement(pos, end, e, depth, out)) return false;
      if (top_level) ++out_.dataset_element_count;
    }
  }

  // Reads the tag, VR and length at `pos`. `report`: whether a short read is a failure.
  bool readHeader(std::size_t pos, Encoding e, Element& element, std::size_t& value_pos,
                  std::uint32_t& length, bool report = true) {
    if (pos > size_ || size_ - pos < 8) {
      return report ? need(pos, 8, "an element header") : false;
    }
    element.tag = tagKey(u16(pos, e.big_endian), u16(pos + 2, e.big_endian));
    element.big_endian = e.big_endian;
    if ((element.tag >> 16) == 0xFFFE || !e.explicit_vr) {
      length = u32(pos + 4, e.big_endian);
      value_pos = pos + 8;
      return true;
    }
    element.vr[0] = static_cast<char>(data_[pos + 4]);
    element.vr[1] = static_cast<char>(data_[pos + 5]);
    const LengthField field = lengthField(element.vr);
    if (field == LengthField::kLong) {
      if (size_ - pos < 12) return report ? need(pos, 12, "an element header") : false;
      length = u32(pos + 8, e.big_endian);
      value_pos = pos + 12;
    } else if (field == LengthField::kShort) {
      length = u16(pos + 6, e.big_endian);
      value_pos = pos + 8;
    } else {
      if (report) {
        const bool letters = std::isupper(static_cast<unsigned char>(element.vr[0])) &&
                             std::isupper(static_cast<unsigned char>(element.vr[1]));
        const std::string vr = letters ? "\"" + std::string(element.vr, 2) + "\""
                                       : "0x" + hex4(vrCode(element.vr[0], element.vr[1]));
        malformed(pos, "invalid VR " + vr + " in element " + tagText(element.tag));
      }
      return false;
    }
    return true;
  }

  bool walkElement(std::size_t& pos, std::size_t end, Encoding e, int depth, Item* out) {
    Element element;
    std::size_t value_pos = 0;
    std::uint32_t length = 0;
    if (!readHeader(pos, e, element, value_pos, length)) return false;
    const std::uint32_t tag = element.tag;
    if ((tag >> 16) == 0xFFFE) {
      malformed(pos, "unexpected item tag " + tagText(tag) + " among elements");
      return false;
    }
    const bool wanted = out != nullptr && contains(request_.wanted, request_.wanted_count, tag);
    const bool known_sequence = contains(request_.sequences, request_.sequence_count, tag);
    const bool undefined = length == kUndefinedLength;
    const bool un = isVr(element.vr, "UN");
    bool sequence = false;
    Encoding inner = e;
    if (e.explicit_vr) {
      if (isVr(element.vr, "SQ")) {
        sequence = true;
      } else if (un && (undefined || known_sequence)) {
        // PS3.5 6.2.2: a sequence re-encoded as UN keeps Implicit VR Little Endian inside.
        sequence = true;
        inner = Encoding{false, false};
      }
    } else {
      sequence = undefined || known_sequence;
    }
    if (sequence) {
      Element* recorded = nullptr;
      if (wanted) {
        out->elements.push_back(std::move(element));
        recorded = &out->elements.back();
      } else if (!undefined) {
        // Not needed: skip it whole; the next header read checks that the bytes exist.
        pos = value_pos + length;
        return checkedEnd(pos, end, tag);
      }
      pos = value_pos;
      return walkSequence(pos, undefined ? kOpenEnd : value_pos + length, inner, depth + 1,
                          recorded, false);
    }
    if (undefined) {
      if (e.explicit_vr && (isVr(element.vr, "OB") || isVr(element.vr, "OW") || un)) {
        // Encapsulated pixel data (e.g. an icon image inside a sequence): fragments to skip.
        pos = value_pos;
        return walkSequence(pos, kOpenEnd, e, depth + 1, nullptr, true);
      }
      malformed(pos, "undefined length on element " + tagText(tag));
      return false;
    }
    if (wanted) {
      if (!need(value_pos, length, "an element value")) return false;
      element.value = std::string_view(reinterpret_cast<const char*>(data_ + value_pos), length);
      out->elements.push_back(std::move(element));
    }
    pos = value_pos + length;
    return checkedEnd(pos, end, tag);
  }

  bool checkedEnd(std::size_t pos, std::size_t end, std::uint32_t tag) {
    if (end != kOpenEnd && pos > end) {
      malformed(end, "element " + tagText(tag) + " runs past the end of its item");
      return false;
    }
    return true;
  }

  bool walkSequence(std::size_t& pos, std::size_t end, Encoding e, int depth, Element* out,
                    bool fragments) {
    if (depth > kMaxDepth) {
      malformed(pos, "sequences nested deeper than " + std::to_string(kMaxDepth));
      return false;
    }
    for (;;) {
      if (end != kOpenEnd) {
        if (pos == end) return true;
        if (pos > end) {
          malformed(end, "an item runs past the end of its sequence");
          return false;
        }
      }
      if (!need(pos, 8, "a sequence")) return false;
      const std::uint32_t tag = tagKey(u16(pos, e.big_endian), u16(pos + 2, e.big_endian));
      const std::uint32_t length = u32(pos + 4, e.big_endian);
      if (tag == kSequenceDelimitation) {
        pos += 8;
        if (end == kOpenEnd) return true;
        continue;  // a stray delimiter in a defined-length sequence: tolerated, as by DCMTK
      }
      if (tag != kItem) {
        malformed(pos, "expected an item, found " + tagText(tag));
        return false;
      }
      pos += 8;
      if (fragments) {
        if (length == kUndefinedLength) {
          malformed(pos - 8, "pixel data fragment of undefined length");
          return false;
        }
        pos += length;
        continue;
      }
      Item* item = nullptr;
      if (out != nullptr) {
        out->items.emplace_back();
        item = &out->items.back();
      }
      if (length == kUndefinedLength) {
        if (!walkElements(pos, kOpenEnd, e, depth, item, false)) return false;
      } else if (item == nullptr) {
        pos += length;
      } else {
        const std::size_t item_end = pos + length;
        if (!walkElements(pos, item_end, e, depth, item, false)) return false;
      }
    }
  }

  const unsigned char* data_;
  std::size_t size_;
  bool whole_file_;
  const WalkRequest& request_;
  HeaderWalk& out_;
};

}  // namespace

const Element* Item::find(std::uint32_t tag) const {
  for (const Element& e : elements) {
    if (e.tag == tag) return &e;
  }
  return nullptr;
}

HeaderWalk walkFile(std::string_view bytes, bool whole_file, const WalkRequest& request) {
  HeaderWalk walk;
  Walker(bytes, whole_file, request, walk).walkFile();
  return walk;
}

HeaderWalk walkExplicitLittleDataset(std::string_view bytes, const WalkRequest& request) {
  HeaderWalk walk;
  walk.transfer_syntax_uid = kExplicitVrLittleEndian;
  Walker(bytes, true, request, walk).walkDataset(0, Encoding{true, false});
  return walk;
}

}  // namespace planelab::dicom::detail
