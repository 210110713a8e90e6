// Internal to planelab::dicom (DCMTK types stay out of the public headers): the attributes that
// every object of one study shares, and the save routine.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "dicom/dicom_format.h"

class DcmItem;
class DcmFileFormat;

namespace planelab::phantom {
struct PhantomStudy;
}

namespace planelab::dicom::detail {

// Written identically into MR images and SEG objects, so that dcentvfy sees consistent patient
// and study entities: SpecificCharacterSet, Patient, Patient Study, General Study and Frame of
// Reference modules.
bool putPatientStudyFrameOfReference(DcmItem& item, const phantom::PhantomStudy& study);

std::string studyDescription(const phantom::PhantomStudy& study);
constexpr const char* kManufacturer = "PlaneLab Phantom";
constexpr const char* kSoftwareVersion = "PlaneLab 0.1.0";

// Saves as Part-10, Explicit VR Little Endian, explicit-length sequences, via "<file>.tmp" and a
// rename so an interrupted run never leaves a truncated .dcm. Sets `bytes` to the file size.
WriteStatus saveFile(DcmFileFormat& file_format, const std::filesystem::path& file,
                     std::uint64_t& bytes);

}  // namespace planelab::dicom::detail
