#include "data/preprocessing_plan.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace planelab::data {
namespace {

using nlohmann::json;

// The message of the invalid_argument thrown by fromJson, or "" when it parses.
std::string parseError(const json& j) {
  try {
    PreprocessingPlan::fromJson(j);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

PreprocessingPlan customPlan() {
  PreprocessingPlan p;
  p.organ = "knee";
  p.grid = {0.7, 160};
  p.interpolation = Interpolation::kLinear;
  p.normalisation = Normalisation::kPercentile;
  p.views = {"sag", "cor", "ax"};
  p.heatmap_views = {"sag", "cor"};
  p.heatmap.sigma_px = 4.5;
  p.location_mode = LocationMode::kPaper;
  p.phases = PhaseSelection::kEven;
  p.phase_count = 5;
  return p;
}

TEST(PreprocessingPlan, EnumNamesRoundTrip) {
  for (auto n : {Normalisation::kZScore, Normalisation::kPercentile}) {
    EXPECT_EQ(parseNormalisation(normalisationName(n)), n);
  }
  for (auto s : {PhaseSelection::kAll, PhaseSelection::kEdEs, PhaseSelection::kEven}) {
    EXPECT_EQ(parsePhaseSelection(phaseSelectionName(s)), s);
  }
  EXPECT_FALSE(parseNormalisation("z-score"));
  EXPECT_FALSE(parsePhaseSelection("ALL"));
}

TEST(PreprocessingPlan, JsonRoundTripKeepsEveryField) {
  const PreprocessingPlan p = customPlan();
  const PreprocessingPlan q = PreprocessingPlan::fromJson(json::parse(p.toJson().dump()));
  EXPECT_EQ(q.toJson(), p.toJson());
  EXPECT_EQ(q.organ, "knee");
  EXPECT_EQ(q.grid.spacing_mm, 0.7);
  EXPECT_EQ(q.grid.size, 160);
  EXPECT_EQ(q.interpolation, Interpolation::kLinear);
  EXPECT_EQ(q.normalisation, Normalisation::kPercentile);
  EXPECT_EQ(q.views, (std::vector<std::string>{"sag", "cor", "ax"}));
  EXPECT_EQ(q.heatmap_views, (std::vector<std::string>{"sag", "cor"}));
  EXPECT_EQ(q.heatmap.sigma_px, 4.5);
  EXPECT_EQ(q.location_mode, LocationMode::kPaper);
  EXPECT_EQ(q.phases, PhaseSelection::kEven);
  EXPECT_EQ(q.phase_count, 5);
  EXPECT_EQ(q.hash(), p.hash());
  EXPECT_NE(PreprocessingPlan().hash(), p.hash());
  EXPECT_EQ(PreprocessingPlan().hash().size(), 16u);
}

TEST(PreprocessingPlan, MissingOptionalFieldsTakeDefaults) {
  const json j = {
      {"version", 1}, {"organ", "heart"}, {"grid", {{"spacing_mm", 1.26}, {"size", 224}}}};
  const PreprocessingPlan p = PreprocessingPlan::fromJson(j);
  EXPECT_EQ(p.toJson(), PreprocessingPlan().toJson());
}

TEST(PreprocessingPlan, EachInvalidFieldIsNamed) {
  const json good = customPlan().toJson();
  EXPECT_EQ(parseError(good), "");
  struct Case {
    std::string pointer;
    json value;
    std::string expected;  // prefix of the message
  };
  const std::vector<Case> cases = {
      {"/version", "1", "[invalid_plan] version"},
      {"/version", 0, "[invalid_plan] version"},
      {"/version", 2, "[unsupported_plan_version]"},
      {"/organ", "lung", "[invalid_plan] organ"},
      {"/organ", 3, "[invalid_plan] organ"},
      {"/grid", "big", "[invalid_plan] grid"},
      {"/grid/size", 0, "[invalid_plan] grid.size"},
      {"/grid/size", -4, "[invalid_plan] grid.size"},
      {"/grid/size", 1.5, "[invalid_plan] grid.size"},
      {"/grid/spacing_mm", 0.0, "[invalid_plan] grid.spacing_mm"},
      {"/grid/spacing_mm", -1.0, "[invalid_plan] grid.spacing_mm"},
      {"/grid/spacing_mm", "1", "[invalid_plan] grid.spacing_mm"},
      {"/interpolation", "bicubic", "[invalid_plan] interpolation"},
      {"/normalisation", "minmax", "[invalid_plan] normalisation"},
      {"/normalisation", true, "[invalid_plan] normalisation"},
      {"/views", json::array(), "[invalid_plan] views"},
      {"/views", "sax", "[invalid_plan] views"},
      {"/views", json::array({"sax", 2}), "[invalid_plan] views[1]"},
      {"/views", json::array({"sax", "sax"}), "[invalid_plan] views[1]"},
      {"/views", json::array({""}), "[invalid_plan] views[0]"},
      {"/heatmap_views", json::array({1}), "[invalid_plan] heatmap_views[0]"},
      {"/heatmap/sigma_px", 0.0, "[invalid_plan] heatmap.sigma_px"},
      {"/heatmap/sigma_px", -2.0, "[invalid_plan] heatmap.sigma_px"},
      {"/heatmap/sigma_px", "6", "[invalid_plan] heatmap.sigma_px"},
      {"/location_mode", "relative", "[invalid_plan] location_mode"},
      {"/phases", "some", "[invalid_plan] phases"},
      {"/phase_count", 0, "[invalid_plan] phase_count"},  // phases "even" needs >= 1
      {"/phase_count", -1, "[invalid_plan] phase_count"},
      {"/unknown_field", 1, "[invalid_plan] unknown_field"},
  };
  for (const Case& c : cases) {
    json j = good;
    j[json::json_pointer(c.pointer)] = c.value;
    const std::string error = parseError(j);
    EXPECT_EQ(error.rfind(c.expected, 0), 0u) << c.pointer << " -> '" << error << "'";
  }
  for (const char* required : {"version", "organ", "grid"}) {
    json j = good;
    j.erase(required);
    EXPECT_EQ(parseError(j).rfind(std::string("[invalid_plan] ") + required, 0), 0u) << required;
  }
  EXPECT_EQ(parseError(json::array()).rfind("[invalid_plan]", 0), 0u);
  // An empty heatmap view list is allowed (location-only pretraining).
  json j = good;
  j["heatmap_views"] = json::array();
  EXPECT_EQ(parseError(j), "");
}

TEST(PreprocessingPlan, MismatchNamesEveryDifferingTransferField) {
  const PreprocessingPlan a;
  PreprocessingPlan b;
  b.views = {"sax", "2ch"};  // views may differ
  b.heatmap_views = {};
  b.phases = PhaseSelection::kEdEs;
  EXPECT_EQ(planMismatch(a, b), "");
  b.organ = "knee";
  b.grid.spacing_mm = 1.5;
  b.grid.size = 192;
  b.interpolation = Interpolation::kLinear;
  b.normalisation = Normalisation::kPercentile;
  const std::string m = planMismatch(a, b);
  for (const char* field :
       {"organ", "grid.spacing_mm", "grid.size", "interpolation", "normalisation"}) {
    EXPECT_NE(m.find(field), std::string::npos) << field << " in " << m;
  }
  PreprocessingPlan c;
  c.grid.size = 128;
  EXPECT_EQ(planMismatch(a, c).find("organ"), std::string::npos);
  EXPECT_NE(planMismatch(a, c).find("grid.size"), std::string::npos);
}

}  // namespace
}  // namespace planelab::data
