#include "prepare/class_labels.h"

#include <fstream>
#include <stdexcept>

namespace planelab::prepare {
namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n\"");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n\"");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::map<std::string, std::string> readClassLabels(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("[invalid_class_labels] cannot read " + file);
  std::map<std::string, std::string> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 || trim(line).empty()) continue;  // header
    const auto comma = line.find(',');
    const std::string id = comma == std::string::npos ? "" : trim(line.substr(0, comma));
    std::string label = comma == std::string::npos ? "" : line.substr(comma + 1);
    label = trim(label.substr(0, label.find(',')));
    if (id.empty()) {
      throw std::runtime_error("[invalid_class_labels] " + file + " line " +
                               std::to_string(number) + ": expected PatientID,label");
    }
    out[id] = label;
  }
  if (number == 0) throw std::runtime_error("[invalid_class_labels] " + file + " is empty");
  return out;
}

}  // namespace planelab::prepare
