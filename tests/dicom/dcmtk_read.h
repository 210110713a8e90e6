// Small DCMTK read-back helpers for the tests.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace planelab::dicom::testing {

inline std::unique_ptr<DcmFileFormat> load(const std::filesystem::path& file) {
  auto ff = std::make_unique<DcmFileFormat>();
  if (ff->loadFile(file.string().c_str()).bad()) return nullptr;
  return ff;
}

// Raw string value of an attribute (all values, backslash-separated); "<absent>" if missing.
inline std::string str(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (!item.tagExists(tag)) return "<absent>";
  item.findAndGetOFStringArray(tag, value);
  return value.c_str();
}

inline std::vector<double> doubles(DcmItem& item, const DcmTagKey& tag) {
  std::vector<double> out;
  const std::string s = str(item, tag);
  if (s == "<absent>" || s.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = s.find('\\', start);
    out.push_back(std::stod(s.substr(start, end - start)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace planelab::dicom::testing
