// Internal to planelab::dicom: DICOM text values to UTF-8, honouring SpecificCharacterSet.
#pragma once

#include <string>
#include <string_view>

namespace planelab::dicom::detail {

// Decodes the text values of one data set. The common character sets are converted here (the
// default repertoire, ISO_IR 100 = Latin-1, ISO_IR 192 = UTF-8); all others go through DCMTK's
// DcmSpecificCharacterSet (iconv), one converter per character set and thread.
class TextDecoder {
 public:
  // `specific_character_set`: the raw value of (0008,0005), empty when absent.
  explicit TextDecoder(std::string_view specific_character_set);

  // The value in UTF-8 with DICOM padding (trailing spaces and NULs) removed; leading spaces
  // too unless `keep_leading_spaces`. `person_name`: PN values switch character sets at the
  // component delimiters ^ and = as well. Bytes that cannot be converted are read as Latin-1
  // (the default repertoire, where real files often carry Latin-1) or replaced by U+FFFD.
  std::string decode(std::string_view raw, bool person_name = false,
                     bool keep_leading_spaces = false);

  // False after a value could not be converted as declared (unknown character set, or bytes
  // invalid in it); `problem()` says what, for the `unsupported_character_set` issue.
  bool ok() const { return problem_.empty(); }
  const std::string& problem() const { return problem_; }

 private:
  enum class Kind { kDefault, kLatin1, kUtf8, kOther };
  Kind kind_ = Kind::kDefault;
  std::string charset_;
  std::string problem_;
};

// Text with DICOM padding removed (trailing spaces and NULs; leading spaces unless kept).
std::string_view trimDicomText(std::string_view raw, bool keep_leading_spaces = false);

// Appends the UTF-8 encoding of Latin-1 bytes.
void appendLatin1AsUtf8(std::string_view bytes, std::string& out);

// Copies valid UTF-8, replacing each invalid byte with U+FFFD; returns false if any was invalid.
bool appendValidUtf8(std::string_view bytes, std::string& out);

}  // namespace planelab::dicom::detail
