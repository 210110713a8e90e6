#include "dicom/tag_dump.h"

#include <sys/stat.h>

#include <cstdio>
#include <exception>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcvr.h>

#include "dicom/dcmtk_setup.h"
#include "dicom/header_reader.h"
#include "dicom/text_encoding.h"

namespace planelab::dicom {

namespace {

// Values longer than this are not loaded for the dump (binary) or are cut (text).
constexpr Uint32 kMaxLoadBytes = 4096;
constexpr std::size_t kMaxValueChars = 256;
constexpr std::size_t kMaxBinaryBytesShown = 64;

std::string tagText(const DcmTagKey& key) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "(%04X,%04X)", key.getGroup(), key.getElement());
  return buffer;
}

// Valid UTF-8 of at most kMaxValueChars bytes, cut at a character boundary with "…".
std::string abbreviated(const std::string& text) {
  std::string valid;
  detail::appendValidUtf8(text, valid);
  if (valid.size() <= kMaxValueChars) return valid;
  std::size_t cut = kMaxValueChars;
  while (cut > 0 && (static_cast<unsigned char>(valid[cut]) & 0xC0) == 0x80) --cut;
  valid.resize(cut);
  return valid + "\xE2\x80\xA6";
}

// VRs whose values are character strings (shown, abbreviated); all others are binary (shown
// when short) or unknown.
bool isString(DcmEVR vr) {
  switch (vr) {
    case EVR_AE:
    case EVR_AS:
    case EVR_CS:
    case EVR_DA:
    case EVR_DS:
    case EVR_DT:
    case EVR_IS:
    case EVR_LO:
    case EVR_LT:
    case EVR_PN:
    case EVR_SH:
    case EVR_ST:
    case EVR_TM:
    case EVR_UC:
    case EVR_UI:
    case EVR_UR:
    case EVR_UT:
      return true;
    default:
      return false;
  }
}

std::string bytesText(Uint32 length) {
  return "(" + std::to_string(length) + " bytes)";
}

bool isText(DcmEVR vr) {
  switch (vr) {
    case EVR_LO:
    case EVR_LT:
    case EVR_PN:
    case EVR_SH:
    case EVR_ST:
    case EVR_UC:
    case EVR_UT:
      return true;
    default:
      return false;
  }
}

// Lists `item`'s elements. Values that DCMTK did not load (longer than kMaxLoadBytes) are
// summarised, never loaded: in a damaged file their length fields can claim gigabytes. Binary
// values (and those of unknown VR) are shown only when short.
void dumpItem(DcmItem& item, int depth, detail::TextDecoder& text, std::vector<TagLine>& lines) {
  for (unsigned long i = 0; i < item.card(); ++i) {
    DcmElement* element = item.getElement(i);
    if (element == nullptr) continue;
    TagLine line;
    DcmTag tag = element->getTag();  // getTagName() is not const
    line.tag = tagText(tag);
    line.vr = DcmVR(element->getVR()).getVRName();
    line.name = tag.getTagName();
    line.depth = depth;
    const Uint32 length = element->getLengthField();
    const DcmEVR vr = element->ident();
    if (vr == EVR_SQ) {
      auto& sequence = static_cast<DcmSequenceOfItems&>(*element);
      const unsigned long items = sequence.card();
      line.value = "(" + std::to_string(items) + (items == 1 ? " item)" : " items)");
      lines.push_back(std::move(line));
      for (unsigned long k = 0; k < items; ++k) {
        DcmItem* child = sequence.getItem(k);
        if (child == nullptr) continue;
        lines.push_back({"(FFFE,E000)", "na", "Item #" + std::to_string(k + 1), "", depth + 1});
        dumpItem(*child, depth + 2, text, lines);
      }
      continue;
    }
    OFString value;
    if (tag == DCM_PixelData || vr == EVR_pixelSQ) {
      line.value = length == DCM_UndefinedLength
                       ? "(encapsulated pixel data)"
                       : "(pixel data, " + std::to_string(length) + " bytes)";
    } else if (!element->valueLoaded() || length > kMaxLoadBytes ||
               (!isString(vr) && length > kMaxBinaryBytesShown)) {
      line.value = bytesText(length);
    } else if (element->getOFStringArray(value).good()) {
      const std::string raw(value.c_str(), value.length());
      line.value = abbreviated(isText(vr) ? text.decode(raw, vr == EVR_PN, true) : raw);
    } else {
      line.value = bytesText(length);
    }
    lines.push_back(std::move(line));
  }
}

bool refusesDump(const std::string& key) {
  return key == "not_dicom" || key == "unreadable" || key == "missing_file";
}

bool isReadError(const std::string& key) {
  return refusesDump(key) || key == "truncated" || key == "corrupt" || key == "internal_error" ||
         key == "unsupported_transfer_syntax";
}

}  // namespace

std::vector<TagLine> dumpTags(const std::filesystem::path& file, std::string* error_key) {
  std::vector<TagLine> lines;
  if (error_key != nullptr) error_key->clear();
  try {
    // The same verdict as the importer's; a file cut inside its pixels still dumps cleanly.
    const catalog::FileRecord record = readDicomHeader(
        DiscoveredFile{std::filesystem::absolute(file).lexically_normal().string(), 0, 0},
        HeaderReadOptions{});
    std::string key;
    if (!isIndexable(record)) {
      for (const catalog::ImportIssue& issue : record.issues) {
        if (isReadError(issue.key)) {
          key = issue.key;
          break;
        }
      }
    }
    if (error_key != nullptr) *error_key = key;
    if (refusesDump(key)) return lines;

    detail::initializeDcmtk();
    detail::LogCapture capture;
    DcmFileFormat file_format;
    // A failed load keeps what was read before the error: dump that.
    file_format.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, kMaxLoadBytes, ERM_autoDetect);
    OFString charset;
    DcmElement* charset_element = nullptr;
    if (file_format.getDataset()
            ->findAndGetElement(DCM_SpecificCharacterSet, charset_element)
            .good() &&
        charset_element->ident() == EVR_CS && charset_element->valueLoaded() &&
        charset_element->getLengthField() <= kMaxLoadBytes) {
      charset_element->getOFStringArray(charset);
    }
    detail::TextDecoder text(std::string_view(charset.c_str(), charset.length()));
    dumpItem(*file_format.getMetaInfo(), 0, text, lines);
    dumpItem(*file_format.getDataset(), 0, text, lines);
  } catch (const std::exception&) {
    if (error_key != nullptr) *error_key = "internal_error";
  }
  return lines;
}

}  // namespace planelab::dicom
