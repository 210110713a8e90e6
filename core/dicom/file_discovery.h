// Finding the files to import: folders (recursively), single files and DICOMDIRs, as a sorted,
// duplicate-free list of absolute paths with size and modification time (for incremental
// re-scans). Nothing is parsed here except DICOMDIRs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/records.h"

namespace planelab::dicom {

struct DiscoveredFile {
  std::string path;  // absolute, lexically normalised
  std::uint64_t size_bytes = 0;
  std::int64_t mtime_ns = 0;  // nanoseconds since the epoch
};

struct DiscoveryOptions {
  // Skip names starting with "." inside walked folders: dotfiles and dot-folders, macOS "._*"
  // resource forks and ".DS_Store". Inputs named explicitly are never skipped.
  bool skip_hidden = true;
};

struct DiscoveryResult {
  std::vector<DiscoveredFile> files;  // sorted by path, unique (also by device + inode)
  // (path, issue): `input_not_found` (an input), `unreadable` (a folder or DICOMDIR that cannot
  // be listed/read), `missing_file` (a DICOMDIR reference or a symbolic link to nothing),
  // `path_outside_dicomdir` (keyed by the DICOMDIR's path). See docs/import-issues.md.
  std::vector<std::pair<std::string, catalog::ImportIssue>> issues;
  bool cancelled = false;  // progress returned false; `files` holds what was found until then
};

// Lists the files of `inputs`:
// - a folder: every regular file below it (symbolic links followed, each folder visited once,
//   so link loops end); a file named DICOMDIR (any case) inside is used as under "a DICOMDIR"
//   and is not listed itself, the rest of the folder is still walked;
// - a DICOMDIR (named DICOMDIR, or any file whose meta header says Media Storage Directory
//   Storage): the files its directory records reference (ReferencedFileID, relative to the
//   DICOMDIR's folder; a reference leaving that folder is refused with `path_outside_dicomdir`,
//   a missing one reported as `missing_file`); a DICOMDIR that DCMTK cannot read is listed as an
//   ordinary file, so that the header reader reports what is wrong with it;
// - any other file: that file.
// Sockets, pipes and devices are skipped. `progress(found)` (may be empty) is called every few
// hundred files and once at the end; returning false cancels. Never throws.
DiscoveryResult discoverInputs(const std::vector<std::filesystem::path>& inputs,
                               const DiscoveryOptions& options,
                               const std::function<bool(std::size_t found)>& progress);

}  // namespace planelab::dicom
