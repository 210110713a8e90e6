// The catalog instance row an import would store for a curation-input image (StudyImage), for the
// benchmarks that fill large catalogs without DICOM files (curation_validation, browser_bench).
#pragma once

#include <string>

#include "catalog/curation_records.h"
#include "catalog/records.h"

namespace planelab::bench {

// SOP Instance UID: <study_uid>.i<instance id>.
inline catalog::InstanceRecord instanceRecordOf(const catalog::StudyImage& m,
                                                const std::string& study_uid,
                                                const std::string& sop_class_uid) {
  catalog::InstanceRecord in;
  in.sop_class_uid = sop_class_uid;
  in.sop_instance_uid = study_uid + ".i" + std::to_string(m.instance_id);
  in.instance_number = m.instance_number;
  in.rows = m.rows;
  in.cols = m.cols;
  in.image_position_patient = m.image_position_patient;
  in.image_orientation_patient = m.image_orientation_patient;
  in.pixel_spacing = m.pixel_spacing;
  in.slice_thickness_mm = m.slice_thickness_mm;
  in.trigger_time_ms = m.trigger_time_ms;
  in.cardiac_number_of_images = m.cardiac_number_of_images;
  in.acquisition_time = m.acquisition_time;
  return in;
}

}  // namespace planelab::bench
