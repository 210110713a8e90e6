// One MR Image Storage file per (series, slice, phase), with the fields of PHANTOM.md 3.7.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "dicom/dicom_format.h"
#include "phantom/render.h"
#include "phantom/study.h"

namespace planelab::dicom {

struct ImageWriteResult {
  WriteStatus status;
  std::string sop_instance_uid;  // referenced by the SEG derived from this image
  int instance_number = 0;
  std::uint64_t bytes = 0;
  bool ok() const { return status.ok(); }
};

// InstanceNumber, 1-based and unique within the series: slice-major, then phase
// (slice * phase_count + phase + 1; a missing phase leaves a gap, as on a scanner).
int instanceNumber(const phantom::SeriesPlan& series, int slice, int phase);
// DSB-style file name "IM-<SeriesNumber, 4 digits>-<InstanceNumber, 4 digits>.dcm".
std::string imageFileName(const phantom::SeriesPlan& series, int slice, int phase);

// Writes image (slice `slice`, phase `phase` of study.series[series]) to `file` (Part-10,
// Explicit VR Little Endian). `image` must have the plane's rows x cols pixels. The parent folder
// must exist. Errors: "invalid_argument", "write_failed".
ImageWriteResult writeMrImage(const phantom::PhantomStudy& study, int series, int slice, int phase,
                              const phantom::RenderedImage& image,
                              const std::filesystem::path& file);

}  // namespace planelab::dicom
