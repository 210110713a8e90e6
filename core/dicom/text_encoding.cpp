#include "dicom/text_encoding.h"

#include <map>
#include <memory>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcspchrs.h>

namespace planelab::dicom::detail {

namespace {

// Plain ASCII needs no conversion in any character set; ESC starts an ISO 2022 code extension.
bool isPlainAscii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\x1B') return false;
  }
  return true;
}

// One DCMTK converter per character set and thread (iconv descriptors are not shareable and are
// costly to open for every file). Null when DCMTK cannot convert from that character set.
DcmSpecificCharacterSet* converterFor(const std::string& charset) {
  thread_local std::map<std::string, std::unique_ptr<DcmSpecificCharacterSet>> cache;
  auto it = cache.find(charset);
  if (it == cache.end()) {
    auto converter = std::make_unique<DcmSpecificCharacterSet>();
    if (converter->selectCharacterSet(charset.c_str(), "ISO_IR 192").bad()) converter.reset();
    it = cache.emplace(charset, std::move(converter)).first;
  }
  return it->second.get();
}

}  // namespace

std::string_view trimDicomText(std::string_view raw, bool keep_leading_spaces) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\0')) raw.remove_suffix(1);
  if (!keep_leading_spaces) {
    while (!raw.empty() && raw.front() == ' ') raw.remove_prefix(1);
  }
  return raw;
}

void appendLatin1AsUtf8(std::string_view bytes, std::string& out) {
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      out += c;
    } else {
      out += static_cast<char>(0xC0 | (b >> 6));
      out += static_cast<char>(0x80 | (b & 0x3F));
    }
  }
}

bool appendValidUtf8(std::string_view bytes, std::string& out) {
  static constexpr char kReplacement[] = "\xEF\xBF\xBD";
  bool valid = true;
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    std::size_t n = 0;
    std::uint32_t min = 0;
    if (b < 0x80) {
      out += bytes[i++];
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      n = 2;
      min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      n = 3;
      min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      n = 4;
      min = 0x10000;
    }
    bool ok = n != 0 && i + n <= bytes.size();
    std::uint32_t code = n == 2 ? (b & 0x1Fu) : n == 3 ? (b & 0x0Fu) : (b & 0x07u);
    for (std::size_t k = 1; ok && k < n; ++k) {
      const auto c = static_cast<unsigned char>(bytes[i + k]);
      ok = (c & 0xC0) == 0x80;
      code = (code << 6) | (c & 0x3Fu);
    }
    ok = ok && code >= min && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF);
    if (ok) {
      out.append(bytes.substr(i, n));
      i += n;
    } else {
      out += kReplacement;
      valid = false;
      ++i;
    }
  }
  return valid;
}

TextDecoder::TextDecoder(std::string_view specific_character_set)
    : charset_(trimDicomText(specific_character_set)) {
  if (charset_.empty() || charset_ == "ISO_IR 6" || charset_ == "ISO 2022 IR 6") {
    kind_ = Kind::kDefault;
  } else if (charset_ == "ISO_IR 100") {
    kind_ = Kind::kLatin1;
  } else if (charset_ == "ISO_IR 192") {
    kind_ = Kind::kUtf8;
  } else {
    kind_ = Kind::kOther;
  }
}

std::string TextDecoder::decode(std::string_view raw, bool person_name, bool keep_leading_spaces) {
  const std::string_view text = trimDicomText(raw, keep_leading_spaces);
  std::string out;
  if (isPlainAscii(text)) {
    out.assign(text);
    return out;
  }
  out.reserve(text.size() + text.size() / 2);
  switch (kind_) {
    case Kind::kDefault:
    case Kind::kLatin1:
      appendLatin1AsUtf8(text, out);
      return out;
    case Kind::kUtf8:
      if (!appendValidUtf8(text, out) && problem_.empty()) {
        problem_ = "text is not valid UTF-8 although SpecificCharacterSet is ISO_IR 192";
      }
      return out;
    case Kind::kOther:
      break;
  }
  if (DcmSpecificCharacterSet* converter = converterFor(charset_)) {
    OFString converted;
    if (converter->convertString(text.data(), text.size(), converted, person_name ? "\\^=" : "\\")
            .good()) {
      out.clear();
      appendValidUtf8(std::string_view(converted.c_str(), converted.length()), out);
      return out;
    }
    if (problem_.empty()) problem_ = "text cannot be converted from " + charset_;
  } else if (problem_.empty()) {
    problem_ = "SpecificCharacterSet \"" + charset_ + "\" is not supported";
  }
  out.clear();
  appendLatin1AsUtf8(text, out);
  return out;
}

}  // namespace planelab::dicom::detail
