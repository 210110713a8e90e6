#include "dicom/file_discovery.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <fstream>
#include <set>
#include <system_error>
#include <utility>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include "dicom/dcmtk_setup.h"
#include "dicom/header_walker.h"

namespace planelab::dicom {

namespace {

namespace fs = std::filesystem;

constexpr const char* kMediaStorageDirectoryStorage = "1.2.840.10008.1.3.10";
constexpr std::size_t kProgressEvery = 256;

struct Found {
  std::string path;
  std::uint64_t size_bytes = 0;
  std::int64_t mtime_ns = 0;
  dev_t device = 0;
  ino_t inode = 0;
};

fs::path normalised(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  if (ec) absolute = path;
  fs::path normal = absolute.lexically_normal();
  // "/data/" -> "/data" (but keep "/").
  if (!normal.has_filename() && normal != normal.root_path()) normal = normal.parent_path();
  return normal;
}

bool equalsIgnoringCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool isDicomdirName(const std::string& name) {
  return equalsIgnoringCase(name, "DICOMDIR");
}

// Whether the file's meta header says Media Storage Directory Storage (read from its first KiB).
bool metaSaysDicomdir(const fs::path& file) {
  static constexpr std::uint32_t kWanted[] = {detail::tagKey(0x0002, 0x0002)};
  std::ifstream in(file, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  const detail::HeaderWalk walk =
      detail::walkFile(head, head.size() < 4096, detail::WalkRequest{kWanted, 1, nullptr, 0});
  const detail::Element* e = walk.meta.find(kWanted[0]);
  if (e == nullptr) return false;
  std::string_view uid = e->value;
  while (!uid.empty() && (uid.back() == '\0' || uid.back() == ' ')) uid.remove_suffix(1);
  return uid == kMediaStorageDirectoryStorage;
}

class Discovery {
 public:
  Discovery(const DiscoveryOptions& options, const std::function<bool(std::size_t)>& progress,
            DiscoveryResult& out)
      : options_(options), progress_(progress), out_(out) {}

  void input(const fs::path& raw) {
    if (out_.cancelled) return;
    const fs::path path = normalised(raw);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      issue(path.string(), "input_not_found", "the input does not exist");
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      walkFolder(path, st);
    } else if (S_ISREG(st.st_mode)) {
      if ((isDicomdirName(path.filename().string()) || metaSaysDicomdir(path)) &&
          readDicomdir(path)) {
        return;
      }
      add(path.string(), st);
    } else {
      issue(path.string(), "unreadable", "the input is neither a file nor a folder");
    }
  }

  void finish() {
    std::sort(found_.begin(), found_.end(),
              [](const Found& a, const Found& b) { return a.path < b.path; });
    std::set<std::pair<dev_t, ino_t>> seen;
    out_.files.reserve(found_.size());
    for (Found& f : found_) {
      // Equal paths are the same inode too: one check removes both kinds of duplicate (file
      // systems without inode numbers report 0: compare paths there).
      if (f.inode != 0 && !seen.insert({f.device, f.inode}).second) continue;
      if (f.inode == 0 && !out_.files.empty() && out_.files.back().path == f.path) continue;
      out_.files.push_back({std::move(f.path), f.size_bytes, f.mtime_ns});
    }
    found_.clear();
    if (!out_.cancelled && progress_) progress_(out_.files.size());
  }

 private:
  void issue(const std::string& path, const std::string& key, const std::string& message,
             const std::string& detail = {}) {
    out_.issues.push_back({path, catalog::ImportIssue{key, message, detail}});
  }

  void add(const std::string& path, const struct stat& st) {
    Found f;
    f.path = path;
    f.size_bytes = static_cast<std::uint64_t>(st.st_size);
    f.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL +
                 static_cast<std::int64_t>(st.st_mtim.tv_nsec);
    f.device = st.st_dev;
    f.inode = st.st_ino;
    found_.push_back(std::move(f));
    if (progress_ && found_.size() % kProgressEvery == 0 && !progress_(found_.size())) {
      out_.cancelled = true;
    }
  }

  void walkFolder(const fs::path& root, const struct stat& root_stat) {
    std::vector<fs::path> pending;
    if (visited_.insert({root_stat.st_dev, root_stat.st_ino}).second) pending.push_back(root);
    while (!pending.empty() && !out_.cancelled) {
      const fs::path folder = std::move(pending.back());
      pending.pop_back();
      std::error_code ec;
      fs::directory_iterator it(folder, ec);
      if (ec) {
        issue(folder.string(), "unreadable", "cannot list the folder: " + ec.message());
        continue;
      }
      std::vector<fs::path> subfolders;
      for (; it != fs::directory_iterator() && !out_.cancelled; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (options_.skip_hidden && !name.empty() && name.front() == '.') continue;
        const fs::path path = folder / name;
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) {
          struct stat link {};
          if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
            issue(path.string(), "missing_file", "symbolic link to a file that does not exist");
          } else {
            issue(path.string(), "unreadable", "cannot stat the file");
          }
          continue;
        }
        if (S_ISDIR(st.st_mode)) {
          // Each folder once (by device and inode): symbolic link loops end here.
          if (visited_.insert({st.st_dev, st.st_ino}).second) subfolders.push_back(path);
        } else if (S_ISREG(st.st_mode)) {
          if (isDicomdirName(name) && readDicomdir(path)) continue;
          add(path.string(), st);
        }
      }
      if (ec) issue(folder.string(), "unreadable", "cannot list the folder: " + ec.message());
      // Depth-first in name order (the final list is sorted anyway).
      std::sort(subfolders.rbegin(), subfolders.rend());
      for (fs::path& sub : subfolders) pending.push_back(std::move(sub));
    }
  }

  // `relative` below `base`, matching each component case-insensitively when the exact name
  // does not exist (CD file systems are often mounted with lower-case names).
  static bool resolve(const fs::path& base, const fs::path& relative, fs::path& out) {
    fs::path current = base;
    for (const fs::path& component : relative) {
      std::error_code ec;
      if (fs::exists(current / component, ec)) {
        current /= component;
        continue;
      }
      bool matched = false;
      for (fs::directory_iterator it(current, ec), end; !ec && it != end; it.increment(ec)) {
        if (equalsIgnoringCase(it->path().filename().string(), component.string())) {
          current /= it->path().filename();
          matched = true;
          break;
        }
      }
      if (!matched) return false;
    }
    out = current;
    return true;
  }

  // Lists the files referenced by a DICOMDIR. False when it cannot be read as a DICOMDIR (the
  // caller then lists it as an ordinary file).
  bool readDicomdir(const fs::path& dicomdir) {
    detail::initializeDcmtk();
    detail::LogCapture capture;
    DcmFileFormat file_format;
    if (file_format.loadFile(dicomdir.c_str()).bad()) return false;
    DcmDataset* ds = file_format.getDataset();
    OFString sop_class;
    file_format.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sop_class);
    DcmSequenceOfItems* records = nullptr;
    const bool has_records = ds->findAndGetSequence(DCM_DirectoryRecordSequence, records).good();
    if (sop_class != kMediaStorageDirectoryStorage && !has_records) return false;
    if (records == nullptr) return true;
    const fs::path base = dicomdir.parent_path();
    const std::string where = dicomdir.string();
    for (unsigned long i = 0; i < records->card() && !out_.cancelled; ++i) {
      DcmItem* record = records->getItem(i);
      OFString id;
      if (record == nullptr || record->findAndGetOFStringArray(DCM_ReferencedFileID, id).bad() ||
          id.empty()) {
        continue;
      }
      const std::string text = id.c_str();
      fs::path relative;
      std::size_t start = 0;
      for (;;) {
        const std::size_t end = text.find('\\', start);
        std::string component =
            text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        while (!component.empty() && component.back() == ' ') component.pop_back();
        if (!component.empty()) relative /= component;
        if (end == std::string::npos) break;
        start = end + 1;
      }
      const fs::path full = (base / relative).lexically_normal();
      const fs::path inside = full.lexically_relative(base);
      if (relative.is_absolute() || inside.empty() || *inside.begin() == ".." || inside == ".") {
        issue(where, "path_outside_dicomdir",
              "ReferencedFileID \"" + text + "\" leaves the DICOMDIR's folder; not read");
        continue;
      }
      fs::path resolved;
      struct stat st {};
      if (!resolve(base, inside, resolved) || ::stat(resolved.c_str(), &st) != 0 ||
          !S_ISREG(st.st_mode)) {
        issue(where, "missing_file",
              "ReferencedFileID \"" + text + "\" (" + full.string() + ") does not exist");
        continue;
      }
      add(resolved.string(), st);
    }
    return true;
  }

  const DiscoveryOptions& options_;
  const std::function<bool(std::size_t)>& progress_;
  DiscoveryResult& out_;
  std::vector<Found> found_;
  std::set<std::pair<dev_t, ino_t>> visited_;
};

}  // namespace

DiscoveryResult discoverInputs(const std::vector<std::filesystem::path>& inputs,
                               const DiscoveryOptions& options,
                               const std::function<bool(std::size_t found)>& progress) {
  DiscoveryResult result;
  try {
    Discovery discovery(options, progress, result);
    for (const std::filesystem::path& input : inputs) discovery.input(input);
    discovery.finish();
  } catch (const std::exception& e) {
    result.issues.push_back(
        {std::string(), catalog::ImportIssue{"internal_error", e.what(), std::string()}});
  }
  return result;
}

}  // namespace planelab::dicom
