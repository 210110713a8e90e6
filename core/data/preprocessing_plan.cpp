#include "data/preprocessing_plan.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "data/random.h"

namespace planelab::data {

namespace {

using nlohmann::json;

[[noreturn]] void invalid(const std::string& field, const std::string& why) {
  throw std::invalid_argument("[invalid_plan] " + field + ": " + why);
}

std::optional<Interpolation> parseInterpolation(const std::string& text) {
  if (text == "nearest") return Interpolation::kNearest;
  if (text == "linear") return Interpolation::kLinear;
  if (text == "cubic") return Interpolation::kCubic;
  return std::nullopt;
}

std::string interpolationName(Interpolation interpolation) {
  switch (interpolation) {
    case Interpolation::kNearest:
      return "nearest";
    case Interpolation::kLinear:
      return "linear";
    case Interpolation::kCubic:
      return "cubic";
  }
  return "cubic";
}

const json* member(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string stringField(const json& value, const std::string& field) {
  if (!value.is_string()) invalid(field, "must be a string");
  return value.get<std::string>();
}

double numberField(const json& value, const std::string& field) {
  if (!value.is_number()) invalid(field, "must be a number");
  return value.get<double>();
}

int intField(const json& value, const std::string& field) {
  if (!value.is_number_integer()) invalid(field, "must be an integer");
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v > 0x7FFFFFFFULL) invalid(field, "out of range");
    return static_cast<int>(v);
  }
  const auto v = value.get<std::int64_t>();
  if (v > 0x7FFFFFFFLL || v < -0x7FFFFFFFLL) invalid(field, "out of range");
  return static_cast<int>(v);
}

std::vector<std::string> viewList(const json& value, const std::string& field, bool allow_empty) {
  if (!value.is_array()) invalid(field, "must be an array of strings");
  if (value.empty() && !allow_empty) invalid(field, "must not be empty");
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item = field + "[" + std::to_string(i) + "]";
    std::string view = stringField(value[i], item);
    if (view.empty()) invalid(item, "must not be empty");
    if (!seen.insert(view).second) invalid(item, "duplicate view '" + view + "'");
    out.push_back(std::move(view));
  }
  return out;
}

void rejectUnknown(const json& object, const std::string& prefix,
                   const std::set<std::string>& known) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (known.count(it.key()) == 0) invalid(prefix + it.key(), "unknown field");
  }
}

}  // namespace

std::optional<Normalisation> parseNormalisation(const std::string& text) {
  if (text == "zscore") return Normalisation::kZScore;
  if (text == "percentile") return Normalisation::kPercentile;
  return std::nullopt;
}

std::string normalisationName(Normalisation normalisation) {
  return normalisation == Normalisation::kPercentile ? "percentile" : "zscore";
}

std::optional<PhaseSelection> parsePhaseSelection(const std::string& text) {
  if (text == "all") return PhaseSelection::kAll;
  if (text == "ed_es") return PhaseSelection::kEdEs;
  if (text == "even") return PhaseSelection::kEven;
  return std::nullopt;
}

std::string phaseSelectionName(PhaseSelection selection) {
  switch (selection) {
    case PhaseSelection::kAll:
      return "all";
    case PhaseSelection::kEdEs:
      return "ed_es";
    case PhaseSelection::kEven:
      return "even";
  }
  return "all";
}

nlohmann::json PreprocessingPlan::toJson() const {
  json j;
  j["version"] = version;
  j["organ"] = organ;
  j["grid"] = {{"spacing_mm", grid.spacing_mm}, {"size", grid.size}};
  j["interpolation"] = interpolationName(interpolation);
  j["normalisation"] = normalisationName(normalisation);
  j["views"] = views;
  j["heatmap_views"] = heatmap_views;
  j["heatmap"] = {{"sigma_px", heatmap.sigma_px}};
  j["location_mode"] = locationModeName(location_mode);
  j["phases"] = phaseSelectionName(phases);
  j["phase_count"] = phase_count;
  return j;
}

PreprocessingPlan PreprocessingPlan::fromJson(const nlohmann::json& j) {
  if (!j.is_object()) invalid("plan", "must be a JSON object");
  rejectUnknown(j, "",
                {"version", "organ", "grid", "interpolation", "normalisation", "views",
                 "heatmap_views", "heatmap", "location_mode", "phases", "phase_count"});
  PreprocessingPlan plan;

  // Required: version, organ, grid (they define the data); the rest default.
  const json* version = member(j, "version");
  if (version == nullptr) invalid("version", "missing");
  plan.version = intField(*version, "version");
  if (plan.version < 1) invalid("version", "must be >= 1");
  if (plan.version > kVersion) {
    throw std::invalid_argument("[unsupported_plan_version] version " +
                                std::to_string(plan.version) + " is newer than supported " +
                                std::to_string(kVersion));
  }

  const json* organ = member(j, "organ");
  if (organ == nullptr) invalid("organ", "missing");
  plan.organ = stringField(*organ, "organ");
  if (plan.organ != "heart" && plan.organ != "knee") {
    invalid("organ", "unknown organ '" + plan.organ + "' (heart | knee)");
  }

  const json* grid = member(j, "grid");
  if (grid == nullptr) invalid("grid", "missing");
  if (!grid->is_object()) invalid("grid", "must be an object");
  rejectUnknown(*grid, "grid.", {"spacing_mm", "size"});
  const json* spacing = member(*grid, "spacing_mm");
  if (spacing == nullptr) invalid("grid.spacing_mm", "missing");
  plan.grid.spacing_mm = numberField(*spacing, "grid.spacing_mm");
  if (!(std::isfinite(plan.grid.spacing_mm) && plan.grid.spacing_mm > 0.0)) {
    invalid("grid.spacing_mm", "must be positive");
  }
  const json* size = member(*grid, "size");
  if (size == nullptr) invalid("grid.size", "missing");
  plan.grid.size = intField(*size, "grid.size");
  if (plan.grid.size <= 0) invalid("grid.size", "must be positive");

  if (const json* v = member(j, "interpolation")) {
    const auto parsed = parseInterpolation(stringField(*v, "interpolation"));
    if (!parsed) invalid("interpolation", "unknown value (nearest | linear | cubic)");
    plan.interpolation = *parsed;
  }
  if (const json* v = member(j, "normalisation")) {
    const auto parsed = parseNormalisation(stringField(*v, "normalisation"));
    if (!parsed) invalid("normalisation", "unknown value (zscore | percentile)");
    plan.normalisation = *parsed;
  }
  if (const json* v = member(j, "views")) plan.views = viewList(*v, "views", false);
  if (const json* v = member(j, "heatmap_views")) {
    plan.heatmap_views = viewList(*v, "heatmap_views", true);
  }
  if (const json* v = member(j, "heatmap")) {
    if (!v->is_object()) invalid("heatmap", "must be an object");
    rejectUnknown(*v, "heatmap.", {"sigma_px"});
    if (const json* s = member(*v, "sigma_px")) {
      plan.heatmap.sigma_px = numberField(*s, "heatmap.sigma_px");
    }
  }
  if (!(std::isfinite(plan.heatmap.sigma_px) && plan.heatmap.sigma_px > 0.0)) {
    invalid("heatmap.sigma_px", "must be positive");
  }
  if (const json* v = member(j, "location_mode")) {
    const auto parsed = parseLocationMode(stringField(*v, "location_mode"));
    if (!parsed) invalid("location_mode", "unknown value (paper | anatomical)");
    plan.location_mode = *parsed;
  }
  if (const json* v = member(j, "phases")) {
    const auto parsed = parsePhaseSelection(stringField(*v, "phases"));
    if (!parsed) invalid("phases", "unknown value (all | ed_es | even)");
    plan.phases = *parsed;
  }
  if (const json* v = member(j, "phase_count")) {
    plan.phase_count = intField(*v, "phase_count");
  }
  if (plan.phase_count < 0) invalid("phase_count", "must not be negative");
  if (plan.phases == PhaseSelection::kEven && plan.phase_count < 1) {
    invalid("phase_count", "must be positive with phases \"even\"");
  }
  return plan;
}

std::string PreprocessingPlan::hash() const {
  // nlohmann::json objects keep their keys sorted, so dump() is canonical.
  return hex64(fnv1a64(toJson().dump()));
}

std::string planMismatch(const PreprocessingPlan& pretrained, const PreprocessingPlan& target) {
  std::vector<std::string> diffs;
  const auto differ = [&](const std::string& field, const std::string& a, const std::string& b) {
    if (a != b) diffs.push_back(field + " (pretrained " + a + ", target " + b + ")");
  };
  const auto number = [](double v) {
    std::ostringstream out;
    out << v;
    return out.str();
  };
  differ("organ", pretrained.organ, target.organ);
  // Spacings agree when equal to 1e-9 relative (JSON round trips are exact anyway).
  const double sa = pretrained.grid.spacing_mm;
  const double sb = target.grid.spacing_mm;
  if (!(std::abs(sa - sb) <= 1e-9 * std::max(std::abs(sa), std::abs(sb)))) {
    diffs.push_back("grid.spacing_mm (pretrained " + number(sa) + ", target " + number(sb) + ")");
  }
  differ("grid.size", std::to_string(pretrained.grid.size), std::to_string(target.grid.size));
  differ("interpolation", interpolationName(pretrained.interpolation),
         interpolationName(target.interpolation));
  differ("normalisation", normalisationName(pretrained.normalisation),
         normalisationName(target.normalisation));
  std::string out;
  for (const auto& d : diffs) out += (out.empty() ? "" : "; ") + d;
  return out;
}

}  // namespace planelab::data
