// Per-subject class labels (the classification targets) from a CSV file: a header line, then
// PatientID,label rows (a phantom cohort's subjects.csv; further columns are ignored, surrounding
// spaces and double quotes are dropped). Read by `prepare --class-labels` and by experiments.
#pragma once

#include <map>
#include <string>

namespace planelab::prepare {

// Label by PatientID. Throws std::runtime_error "[invalid_class_labels] ..." when the file cannot
// be read, is empty, or a row has no PatientID.
std::map<std::string, std::string> readClassLabels(const std::string& file);

}  // namespace planelab::prepare
