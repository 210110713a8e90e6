// Value formatting shared by the DICOM writers (DS, DA, TM, AS) and the error type of the module.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace planelab::dicom {

// Outcome of a write: empty error_key on success, else a stable snake_case key
// ("cannot_create_folder", "write_failed", "segmentation_failed", "render_failed",
// "invalid_argument", "internal_error") and a human-readable message. Nothing in this module
// throws across its boundary.
struct WriteStatus {
  std::string error_key;
  std::string message;
  bool ok() const { return error_key.empty(); }
  static WriteStatus failure(std::string key, std::string message) {
    return WriteStatus{std::move(key), std::move(message)};
  }
};

// Decimal String: fixed notation, at most 6 decimals, trailing zeros removed, at most 16
// characters (fewer decimals for large magnitudes); |v| < 1e-9 is written as "0" so that a zero
// IOP component never appears as -2.77556e-17 (PHANTOM.md 1.4).
std::string formatDs(double value);
// Multi-valued DS joined with backslashes.
std::string formatDsList(const std::vector<double>& values);

// The phantom's fixed study date and start time; series and images are offset from it.
constexpr const char* kStudyDate = "20260101";  // DA
constexpr int kStudyStartSeconds = 9 * 3600;    // 09:00:00 local time

// DA and TM of the instant `offset_s` seconds after the study start (rolls over to the next day).
struct DateTime {
  std::string date;  // YYYYMMDD
  std::string time;  // HHMMSS.FFFFFF (microseconds)
};
DateTime studyDateTime(double offset_s);

// PatientAge (AS): "054Y"; clamped to 0..999.
std::string patientAge(int years);

}  // namespace planelab::dicom
