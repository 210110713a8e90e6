// Small DICOM files for the reading tests, written with DCMTK (edge cases) or by the project's
// phantom writers, plus byte-level helpers (truncate, patch) and the DCMTK command-line tools.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace planelab::dicom::testing {

inline std::string readBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void writeBytes(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The attributes of a small MR image: 4 x 3 pixels, axial, spacing 0.5 x 0.75 mm.
inline void fillSmallMr(DcmItem& ds, const std::string& sop_instance_uid) {
  ds.putAndInsertString(DCM_SOPClassUID, UID_MRImageStorage);
  ds.putAndInsertString(DCM_SOPInstanceUID, sop_instance_uid.c_str());
  ds.putAndInsertString(DCM_Modality, "MR");
  ds.putAndInsertString(DCM_PatientName, "Edge^Case");
  ds.putAndInsertString(DCM_PatientID, "EDGE-1");
  ds.putAndInsertString(DCM_StudyInstanceUID, "1.2.826.0.1.3680043.10.1.1");
  ds.putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.10.1.2");
  ds.putAndInsertString(DCM_FrameOfReferenceUID, "1.2.826.0.1.3680043.10.1.3");
  ds.putAndInsertString(DCM_SeriesNumber, "3");
  ds.putAndInsertString(DCM_InstanceNumber, "7");
  ds.putAndInsertString(DCM_ImagePositionPatient, "-10.5\\20.25\\30");
  ds.putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
  ds.putAndInsertString(DCM_PixelSpacing, "0.5\\0.75");
  ds.putAndInsertString(DCM_SliceThickness, "2");
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds.putAndInsertUint16(DCM_Rows, 3);
  ds.putAndInsertUint16(DCM_Columns, 4);
  ds.putAndInsertUint16(DCM_BitsAllocated, 16);
  ds.putAndInsertUint16(DCM_BitsStored, 12);
  ds.putAndInsertUint16(DCM_HighBit, 11);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
  const Uint16 pixels[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  ds.putAndInsertUint16Array(DCM_PixelData, pixels, 12);
}

// Saves as Part-10 (meta header written by DCMTK) in `xfer`.
inline bool save(DcmFileFormat& file_format, const std::filesystem::path& file,
                 E_TransferSyntax xfer = EXS_LittleEndianExplicit) {
  return file_format.saveFile(file.c_str(), xfer, EET_ExplicitLength).good();
}

// Runs a DCMTK command-line tool; false when it fails.
inline bool runTool(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace planelab::dicom::testing
