#include "dicom/attributes.h"

#include <system_error>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>

#include "dicom/deterministic_uid.h"
#include "phantom/study.h"

namespace planelab::dicom::detail {

std::string studyDescription(const phantom::PhantomStudy& study) {
  const std::string what = study.organ == phantom::Organ::kHeart ? "cardiac cine MR" : "knee MR";
  return "PlaneLab phantom " + what + " (" + phantom::layoutName(study.layout) + ", " +
         phantom::levelName(study.level) + ")";
}

bool putPatientStudyFrameOfReference(DcmItem& item, const phantom::PhantomStudy& study) {
  const DateTime start = studyDateTime(0.0);
  bool ok = true;
  auto put = [&](const DcmTagKey& tag, const std::string& value) {
    ok = item.putAndInsertString(tag, value.c_str()).good() && ok;
  };
  put(DCM_SpecificCharacterSet, "ISO_IR 100");
  // Patient module.
  put(DCM_PatientName, study.patient.name);
  put(DCM_PatientID, study.patient.id);
  put(DCM_PatientBirthDate, "");
  put(DCM_PatientSex, study.patient.sex);
  // Patient Study module.
  put(DCM_PatientAge, patientAge(study.patient.age_years));
  if (study.patient.weight_kg > 0.0) put(DCM_PatientWeight, formatDs(study.patient.weight_kg));
  // General Study module.
  put(DCM_StudyInstanceUID, studyInstanceUid(study));
  put(DCM_StudyDate, start.date);
  put(DCM_StudyTime, start.time);
  put(DCM_ReferringPhysicianName, "");
  put(DCM_StudyID, "1");
  put(DCM_AccessionNumber, "");
  put(DCM_StudyDescription, studyDescription(study));
  // Frame of Reference module: one per subject (no table move between series).
  put(DCM_FrameOfReferenceUID, frameOfReferenceUid(study));
  put(DCM_PositionReferenceIndicator, "");
  return ok;
}

WriteStatus saveFile(DcmFileFormat& file_format, const std::filesystem::path& file,
                     std::uint64_t& bytes) {
  bytes = 0;
  std::filesystem::path tmp = file;
  tmp += ".tmp";
  const OFCondition cond = file_format.saveFile(tmp.string().c_str(), EXS_LittleEndianExplicit,
                                                EET_ExplicitLength, EGL_withoutGL);
  std::error_code ec;
  if (cond.bad()) {
    std::filesystem::remove(tmp, ec);
    return WriteStatus::failure("write_failed",
                                "cannot write " + file.string() + ": " + cond.text());
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    return WriteStatus::failure("write_failed",
                                "cannot rename " + tmp.string() + ": " + ec.message());
  }
  const auto size = std::filesystem::file_size(file, ec);
  bytes = ec ? 0 : static_cast<std::uint64_t>(size);
  return {};
}

}  // namespace planelab::dicom::detail
