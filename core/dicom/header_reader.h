// Reading one DICOM file's header into catalog records (issue #3 §2): patient, study, series,
// one InstanceRecord per image or frame with its geometry, or the label set of a DICOM SEG, and
// the file's issues under stable keys (docs/import-issues.md). Pixel data is never read.
#pragma once

#include <cstddef>

#include "catalog/records.h"
#include "dicom/file_discovery.h"

namespace planelab::dicom {

struct HeaderReadOptions {
  // First read of each file (then doubled until Pixel Data is reached): the headers of most MR
  // images end within 8 KiB; Siemens files with CSA headers need a second read.
  std::size_t initial_read_bytes = 8 * 1024;
  // Headers (everything before Pixel Data) longer than this are read by DCMTK, which skips long
  // values instead of holding the whole prefix in memory (bounds memory per reader thread).
  std::size_t max_header_bytes = 16 * 1024 * 1024;
};

// Loads DCMTK's data dictionary and routes DCMTK's log output to the per-file capture (DCMTK
// prints nothing to the terminal from then on; do not call OFLog::configure afterwards).
// readDicomHeader and dumpTags call it themselves; call it before starting reader threads to
// keep the one-time cost out of the first file.
void initializeDicomReading();

// Reads `file` (its size and mtime in the result are those seen when reading, which may differ
// from `file`'s if it changed since discovery). Never throws and never crashes on any input;
// thread-safe (the importer calls it from several threads at once).
//
// The result:
// - an image (Rows and Columns present): patient, study, series and one InstanceRecord
//   (frame_number 0), or one per frame (1..N) for multi-frame files, Enhanced MR geometry from
//   the shared and per-frame functional groups; issues that do not prevent indexing may
//   accompany it: `missing_geometry`, `invalid_geometry` (the invalid fields are left empty),
//   `truncated` (only the pixel data is cut), `unsupported_transfer_syntax`,
//   `unsupported_character_set`;
// - a Segmentation (SEG): patient, study, series and label_set, no instances;
// - a non-image object (SR, RT plan, presentation state, ...): patient/study/series when
//   present and the issue `no_image`; a DICOMDIR: the issue `dicomdir`;
// - otherwise no records and one issue: `not_dicom`, `truncated`, `corrupt`, `unreadable`,
//   `missing_file`, `missing_sop_instance_uid`, `missing_uid`, `unsupported_transfer_syntax`,
//   `internal_error`.
// An issue's `detail` holds what DCMTK logged while reading the file, if DCMTK was involved.
catalog::FileRecord readDicomHeader(const DiscoveredFile& file, const HeaderReadOptions& options);

// True when the record carries something for the catalog (instances or a label set).
bool isIndexable(const catalog::FileRecord& record);

}  // namespace planelab::dicom
