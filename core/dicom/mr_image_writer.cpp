#include "dicom/mr_image_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <sstream>
#include <vector>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "dicom/attributes.h"
#include "dicom/deterministic_uid.h"

namespace planelab::dicom {

namespace {

constexpr double kGyromagneticMHzPerT = 42.577478518;  // 1H, for ImagingFrequency

std::vector<std::string> splitBackslash(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  for (const char c : text) {
    if (c == '\\') {
      if (!current.empty()) parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

// ScanOptions: the study's options, with CG (cardiac gating) exactly when the series is gated;
// dciodvfy requires TriggerTime whenever CG is present.
std::string scanOptions(const std::string& study_options, bool gated) {
  std::vector<std::string> parts = splitBackslash(study_options);
  parts.erase(std::remove(parts.begin(), parts.end(), std::string("CG")), parts.end());
  if (gated) parts.insert(parts.begin(), "CG");
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "\\" : "") + parts[i];
  return out;
}

std::string integerString(long long value) {
  return std::to_string(value);
}

}  // namespace

int instanceNumber(const phantom::SeriesPlan& series, int slice, int phase) {
  return slice * std::max(1, series.phase_count) + phase + 1;
}

std::string imageFileName(const phantom::SeriesPlan& series, int slice, int phase) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "IM-%04d-%04d.dcm", series.series_number,
                instanceNumber(series, slice, phase));
  return buffer;
}

ImageWriteResult writeMrImage(const phantom::PhantomStudy& study, int series_index, int slice_index,
                              int phase, const phantom::RenderedImage& image,
                              const std::filesystem::path& file) {
  ImageWriteResult result;
  try {
    if (series_index < 0 || series_index >= static_cast<int>(study.series.size())) {
      result.status = WriteStatus::failure("invalid_argument", "series index out of range");
      return result;
    }
    const phantom::SeriesPlan& series = study.series[static_cast<std::size_t>(series_index)];
    if (slice_index < 0 || slice_index >= static_cast<int>(series.slices.size())) {
      result.status = WriteStatus::failure("invalid_argument", "slice index out of range");
      return result;
    }
    const phantom::SlicePlan& slice = series.slices[static_cast<std::size_t>(slice_index)];
    const geometry::ImagePlane& plane = slice.plane;
    if (phase < 0 || phase >= std::max(1, series.phase_count)) {
      result.status = WriteStatus::failure("invalid_argument", "phase index out of range");
      return result;
    }
    if (image.rows != plane.rows || image.cols != plane.cols || plane.rows <= 0 ||
        plane.cols <= 0 || plane.rows > 65535 || plane.cols > 65535 ||
        image.pixels.size() != static_cast<std::size_t>(plane.rows) * plane.cols) {
      result.status =
          WriteStatus::failure("invalid_argument", "image size does not match the slice plane");
      return result;
    }

    result.sop_instance_uid = imageSopInstanceUid(study, series_index, slice_index, phase);
    result.instance_number = instanceNumber(series, slice_index, phase);

    const bool gated = series.gated;
    const double trigger_ms = gated && phase < static_cast<int>(series.trigger_times_ms.size())
                                  ? series.trigger_times_ms[static_cast<std::size_t>(phase)]
                                  : 0.0;
    const DateTime series_start = studyDateTime(series.acquisition_offset_s);
    // The image was acquired trigger_ms into the cardiac cycle of its series' breath-hold.
    const DateTime acquired = studyDateTime(series.acquisition_offset_s + trigger_ms / 1000.0);
    const phantom::AcquisitionParameters& acq = study.acquisition;
    const geometry::Vec3 n = plane.normal();
    const geometry::Vec3& p = plane.position_mm;

    DcmFileFormat file_format;
    DcmDataset& ds = *file_format.getDataset();
    bool ok = detail::putPatientStudyFrameOfReference(ds, study);
    auto put = [&](const DcmTagKey& tag, const std::string& value) {
      ok = ds.putAndInsertString(tag, value.c_str()).good() && ok;
    };
    auto putU16 = [&](const DcmTagKey& tag, int value) {
      ok = ds.putAndInsertUint16(tag, static_cast<Uint16>(value)).good() && ok;
    };

    // SOP Common, General Series, General Equipment, General Image.
    put(DCM_SOPClassUID, UID_MRImageStorage);
    put(DCM_SOPInstanceUID, result.sop_instance_uid);
    put(DCM_ImageType, "ORIGINAL\\PRIMARY\\OTHER");
    put(DCM_Modality, "MR");
    put(DCM_SeriesInstanceUID, seriesInstanceUid(study, series_index));
    put(DCM_SeriesNumber, integerString(series.series_number));
    put(DCM_SeriesDate, series_start.date);
    put(DCM_SeriesTime, series_start.time);
    put(DCM_SeriesDescription, series.description);  // empty for the blank-description quirk
    put(DCM_BodyPartExamined, acq.body_part);
    if (!acq.laterality.empty()) put(DCM_Laterality, acq.laterality);
    put(DCM_PatientPosition, acq.patient_position);
    put(DCM_Manufacturer, detail::kManufacturer);
    put(DCM_ManufacturerModelName, "Analytic " + phantom::organName(study.organ) + " phantom");
    put(DCM_SoftwareVersions, detail::kSoftwareVersion);
    put(DCM_InstanceNumber, integerString(result.instance_number));
    put(DCM_AcquisitionDate, acquired.date);
    put(DCM_AcquisitionTime, acquired.time);
    put(DCM_ContentDate, acquired.date);
    put(DCM_ContentTime, acquired.time);

    // MR Image module.
    put(DCM_ScanningSequence, acq.scanning_sequence);
    put(DCM_SequenceVariant, acq.sequence_variant);
    put(DCM_ScanOptions, scanOptions(acq.scan_options, gated));
    put(DCM_MRAcquisitionType, "2D");
    put(DCM_SequenceName, acq.sequence_name);
    put(DCM_SliceThickness, formatDs(series.slice_thickness_mm));
    if (series.spacing_between_slices_mm > 0.0) {
      put(DCM_SpacingBetweenSlices, formatDs(series.spacing_between_slices_mm));
    }
    put(DCM_RepetitionTime, formatDs(acq.repetition_time_ms));
    put(DCM_EchoTime, formatDs(acq.echo_time_ms));
    put(DCM_EchoTrainLength, integerString(acq.echo_train_length));
    put(DCM_MagneticFieldStrength, formatDs(acq.field_strength_t));
    put(DCM_ImagingFrequency, formatDs(kGyromagneticMHzPerT * acq.field_strength_t));
    put(DCM_FlipAngle, formatDs(acq.flip_angle_deg));
    if (gated) {
      put(DCM_TriggerTime, formatDs(trigger_ms));
      put(DCM_NominalInterval, integerString(std::llround(acq.nominal_interval_ms)));
      put(DCM_CardiacNumberOfImages, integerString(series.phase_count));
      put(DCM_HeartRate, integerString(std::llround(acq.heart_rate_bpm)));
    }
    // AcquisitionMatrix = frequency rows \ frequency columns \ phase rows \ phase columns: the
    // acquired k-space lines before zero-filling to Rows x Columns. Phase encoding along ROW
    // (the row direction, i.e. across columns) -> [freq rows, 0, 0, phase cols].
    {
      auto lines = [](double fraction, int size) {
        return std::clamp(static_cast<int>(std::lround(fraction * size)), 1, 65535);
      };
      Uint16 matrix[4] = {0, 0, 0, 0};
      if (series.phase_encoding_along_rows) {
        matrix[0] = static_cast<Uint16>(lines(series.readout_fraction, plane.rows));
        matrix[3] = static_cast<Uint16>(lines(series.phase_fraction, plane.cols));
      } else {
        matrix[1] = static_cast<Uint16>(lines(series.readout_fraction, plane.cols));
        matrix[2] = static_cast<Uint16>(lines(series.phase_fraction, plane.rows));
      }
      ok = ds.putAndInsertUint16Array(DCM_AcquisitionMatrix, matrix, 4).good() && ok;
      put(DCM_InPlanePhaseEncodingDirection, series.phase_encoding_along_rows ? "ROW" : "COL");
    }

    // Image Plane module (PHANTOM.md 1.4): IPP = centre of pixel (0, 0); IOP = row_dir
    // (increasing column index) then col_dir; PixelSpacing = [between rows, between columns].
    put(DCM_ImagePositionPatient, formatDsList({p.x, p.y, p.z}));
    put(DCM_ImageOrientationPatient,
        formatDsList({plane.row_dir.x, plane.row_dir.y, plane.row_dir.z, plane.col_dir.x,
                      plane.col_dir.y, plane.col_dir.z}));
    put(DCM_PixelSpacing, formatDsList({plane.row_spacing_mm, plane.col_spacing_mm}));
    put(DCM_SliceLocation, formatDs(geometry::dot(n, p)));  // n . IPP, n = row_dir x col_dir

    // Image Pixel module: unsigned 16-bit container, bits_stored significant bits.
    const int bits_stored = std::clamp(study.appearance.bits_stored, 1, 16);
    putU16(DCM_SamplesPerPixel, 1);
    put(DCM_PhotometricInterpretation, "MONOCHROME2");
    putU16(DCM_Rows, plane.rows);
    putU16(DCM_Columns, plane.cols);
    putU16(DCM_BitsAllocated, 16);
    putU16(DCM_BitsStored, bits_stored);
    putU16(DCM_HighBit, bits_stored - 1);
    putU16(DCM_PixelRepresentation, 0);
    put(DCM_WindowCenter, formatDs(image.window_center));
    put(DCM_WindowWidth, formatDs(std::max(1.0, image.window_width)));
    ok = ds.putAndInsertUint16Array(DCM_PixelData, image.pixels.data(),
                                    static_cast<unsigned long>(image.pixels.size()))
             .good() &&
         ok;
    if (!ok) {
      result.status = WriteStatus::failure("internal_error", "DCMTK rejected an attribute value");
      return result;
    }
    result.status = detail::saveFile(file_format, file, result.bytes);
  } catch (const std::exception& e) {
    result.status = WriteStatus::failure("internal_error", e.what());
  }
  return result;
}

}  // namespace planelab::dicom
