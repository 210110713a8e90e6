// A file's attributes as text lines, for `planelab-cli tags FILE` and the GUI's tag browser.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace planelab::dicom {

struct TagLine {
  std::string tag;    // "(0010,0010)", upper-case hex
  std::string vr;     // "PN"; "na" for item lines
  std::string name;   // DICOM keyword from DCMTK's dictionary ("PatientName"), "Item #1" for items
  std::string value;  // UTF-8; long values abbreviated with "…", binary and pixel data summarised
  int depth = 0;      // 0 = top level; a sequence's items are depth + 1, their elements depth + 2
};

// The meta header and data set of `file`, in file order, sequences nested. On failure
// `*error_key` (if given) is set to the key readDicomHeader would report (`missing_file`,
// `unreadable`, `not_dicom`, `truncated`, `corrupt`, ...) and the lines are what could be read
// (nothing for `not_dicom`); otherwise it is cleared. Never throws.
std::vector<TagLine> dumpTags(const std::filesystem::path& file, std::string* error_key);

}  // namespace planelab::dicom
