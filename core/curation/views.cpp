// View labels: geometry first, then descriptions, then the user's word.
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <regex>

#include "curation/curation_steps.h"
#include "geometry/stack_order.h"

namespace planelab::curation {
namespace {

using geometry::Vec3;

// Long-axis views are told apart by their rotation about the long axis, measured in the SAX plane
// as the angle of the view's trace from the patient's head direction projected onto that plane
// (theta in [0, 180), from ref1 = head direction towards ref2 = a x ref1). Means measured on
// 200 level-L2 phantom subjects (`curation_validation --only angles`), whose poses follow published
// mean orientations (reference/PHANTOM.md 1.1-1.2). The common rotation of all views of a subject
// (heart roll, pose) is fitted per study (delta), so the spread per view only covers the
// view-to-view variation.
struct LaxModel {
  const char* view;
  double mean_deg;
  double sd_deg;
};
constexpr std::array<LaxModel, 3> kLaxModels = {{
    {"2ch", 16.0, 10.0},
    {"3ch", 61.5, 10.0},
    {"4ch", 121.2, 6.0},
}};
constexpr double kCommonRotationSdDeg = 20.0;
// A long-axis plane that fits no view costs as much as a 3-sigma misfit.
constexpr double kOtherCost = 9.0;
// Long-axis planes are nearly perpendicular to the SAX stack and contain its axis.
constexpr double kLaxMinAngleDeg = 45.0;
constexpr double kAxisDistanceMm = 20.0;

double wrap180(double deg) {  // to (-90, 90]
  deg = std::fmod(deg, 180.0);
  if (deg > 90.0) deg -= 180.0;
  if (deg <= -90.0) deg += 180.0;
  return deg;
}

std::string normalizedText(const std::string& text) {
  std::string out = " ";
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    out += std::isalnum(u) != 0 ? static_cast<char>(std::tolower(u)) : ' ';
  }
  return out + " ";
}

bool matches(const std::string& text, const char* pattern) {
  return std::regex_search(text, std::regex(pattern));
}

struct LaxCandidate {
  int series = -1;
  double theta_deg = 0.0;
};

// Best assignment of candidates to 2CH/3CH/4CH (each at most once) or lax_other, with a common
// rotation fitted; returns views and a confidence per candidate.
void assignLongAxisViews(const std::vector<LaxCandidate>& candidates,
                         std::vector<std::string>& views, std::vector<double>& confidence) {
  const std::size_t n = candidates.size();
  views.assign(n, "lax_other");
  confidence.assign(n, 0.5);
  if (n == 0 || n > 7) return;
  const int options = static_cast<int>(kLaxModels.size()) + 1;  // + lax_other
  std::size_t combinations = 1;
  for (std::size_t i = 0; i < n; ++i) combinations *= static_cast<std::size_t>(options);

  const auto costOf = [&](const std::vector<int>& choice) {
    // Fit the common rotation delta by weighted least squares (wrap at 0 first, then refit).
    double delta = 0.0;
    for (int pass = 0; pass < 2; ++pass) {
      double num = 0.0, den = 1.0 / (kCommonRotationSdDeg * kCommonRotationSdDeg);
      for (std::size_t i = 0; i < n; ++i) {
        if (choice[i] >= static_cast<int>(kLaxModels.size())) continue;
        const LaxModel& m = kLaxModels[static_cast<std::size_t>(choice[i])];
        const double w = 1.0 / (m.sd_deg * m.sd_deg);
        num += w * (wrap180(candidates[i].theta_deg - m.mean_deg - delta) + delta);
        den += w;
      }
      delta = num / den;
    }
    double cost = (delta / kCommonRotationSdDeg) * (delta / kCommonRotationSdDeg);
    for (std::size_t i = 0; i < n; ++i) {
      if (choice[i] >= static_cast<int>(kLaxModels.size())) {
        cost += kOtherCost;
        continue;
      }
      const LaxModel& m = kLaxModels[static_cast<std::size_t>(choice[i])];
      const double z = wrap180(candidates[i].theta_deg - m.mean_deg - delta) / m.sd_deg;
      cost += z * z;
    }
    return cost;
  };

  double best = 1e300;
  std::vector<int> best_choice;
  std::vector<int> choice(n);
  // Per candidate: the best cost with it labelled differently from the winner.
  std::vector<double> best_other(n, 1e300);
  std::vector<std::pair<double, std::vector<int>>> all;
  for (std::size_t code = 0; code < combinations; ++code) {
    std::size_t c = code;
    std::array<int, 3> used{};
    bool valid = true;
    for (std::size_t i = 0; i < n; ++i) {
      choice[i] = static_cast<int>(c % static_cast<std::size_t>(options));
      c /= static_cast<std::size_t>(options);
      if (choice[i] < 3 && used[static_cast<std::size_t>(choice[i])]++ > 0) valid = false;
    }
    if (!valid) continue;
    const double cost = costOf(choice);
    all.emplace_back(cost, choice);
    if (cost < best) {
      best = cost;
      best_choice = choice;
    }
  }
  for (const auto& [cost, ch] : all) {
    for (std::size_t i = 0; i < n; ++i) {
      if (ch[i] != best_choice[i]) best_other[i] = std::min(best_other[i], cost);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const int k = best_choice[i];
    views[i] = k < 3 ? kLaxModels[static_cast<std::size_t>(k)].view : "lax_other";
    // Margin to the best labelling that disagrees about this plane, as a logistic confidence.
    const double margin = best_other[i] - best;
    confidence[i] = std::clamp(1.0 / (1.0 + std::exp(-0.5 * margin)), 0.5, 0.99);
  }
}

// Geometry labels for a heart study, per plane.
void heartGeometryViews(const StudyCuration& study, std::vector<std::string>& plane_view,
                        std::vector<double>& plane_confidence) {
  if (study.stacks.empty()) return;
  const Stack& sax = study.stacks.front();
  if (sax.planes.size() < 3) return;  // no parallel stack to call short axis
  for (const int p : sax.planes) {
    plane_view[static_cast<std::size_t>(p)] = "sax";
    plane_confidence[static_cast<std::size_t>(p)] = sax.planes.size() >= 5 ? 0.99 : 0.9;
  }
  const Plane& sax_first = study.planes[static_cast<std::size_t>(sax.planes.front())];
  const int sax_group = study.series[static_cast<std::size_t>(sax_first.series)].group;
  const LongAxisFrame frame = LongAxisFrame::fromSaxNormal(sax_first.geometry.normal());
  Vec3 centre;
  for (const int p : sax.planes)
    centre += study.planes[static_cast<std::size_t>(p)].geometry.centre();
  centre = centre / static_cast<double>(sax.planes.size());

  // One representative plane per candidate series (its middle plane).
  std::map<int, std::vector<int>> by_series;
  for (std::size_t p = 0; p < study.planes.size(); ++p) {
    const Plane& plane = study.planes[p];
    const SeriesInfo& s = study.series[static_cast<std::size_t>(plane.series)];
    if (s.localizer || plane.stack == 0 || s.group != sax_group) continue;
    const double angle = geometry::angleBetweenPlanesDeg(plane.geometry, sax_first.geometry);
    if (angle < kLaxMinAngleDeg) {
      plane_view[p] = "other";
      plane_confidence[p] = 0.6;
      continue;
    }
    by_series[plane.series].push_back(static_cast<int>(p));
  }
  if (by_series.empty()) return;

  // The long axis: the line along `a` that the candidate planes share (least squares in the SAX
  // mid-plane, weakly pulled to the SAX stack's centre).
  const Vec3& e1 = frame.ref1;
  const Vec3& e2 = frame.ref2;
  double m11 = 1e-3, m12 = 0.0, m22 = 1e-3, b1 = 0.0, b2 = 0.0;
  std::vector<std::pair<int, const Plane*>> reps;
  for (const auto& [series, planes] : by_series) {
    const Plane& rep = study.planes[static_cast<std::size_t>(planes[planes.size() / 2])];
    reps.emplace_back(series, &rep);
    const Vec3 m = rep.geometry.normal();
    const double g1 = geometry::dot(m, e1), g2 = geometry::dot(m, e2);
    const double r = geometry::dot(m, rep.geometry.position_mm - centre);
    m11 += g1 * g1;
    m12 += g1 * g2;
    m22 += g2 * g2;
    b1 += g1 * r;
    b2 += g2 * r;
  }
  const double det = m11 * m22 - m12 * m12;
  const Vec3 axis_point =
      centre + e1 * ((m22 * b1 - m12 * b2) / det) + e2 * ((m11 * b2 - m12 * b1) / det);

  // Planes off the long axis stay lax_other; the others are told apart by their rotation.
  std::vector<LaxCandidate> candidates;
  for (const auto& [series, rep] : reps) {
    const Vec3 m = rep->geometry.normal();
    for (const int p : by_series[series]) {
      plane_view[static_cast<std::size_t>(p)] = "lax_other";
      plane_confidence[static_cast<std::size_t>(p)] = 0.6;
    }
    if (std::abs(geometry::dot(m, axis_point - rep->geometry.position_mm)) <= kAxisDistanceMm) {
      candidates.push_back({series, frame.rotationDeg(m)});
    }
  }
  std::vector<std::string> views;
  std::vector<double> confidence;
  assignLongAxisViews(candidates, views, confidence);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    for (const int p : by_series[candidates[i].series]) {
      plane_view[static_cast<std::size_t>(p)] = views[i];
      plane_confidence[static_cast<std::size_t>(p)] = confidence[i];
    }
  }
}

// Knee planes by the patient axis their normal is closest to.
void kneeGeometryViews(const StudyCuration& study, std::vector<std::string>& plane_view,
                       std::vector<double>& plane_confidence) {
  for (std::size_t p = 0; p < study.planes.size(); ++p) {
    const Plane& plane = study.planes[p];
    if (study.series[static_cast<std::size_t>(plane.series)].localizer) continue;
    const Vec3 n = plane.geometry.normal();
    std::array<std::pair<double, const char*>, 3> c = {
        {{std::abs(n.x), "sag"}, {std::abs(n.y), "cor"}, {std::abs(n.z), "ax"}}};
    std::sort(c.begin(), c.end(), [](const auto& l, const auto& r) { return l.first > r.first; });
    plane_view[p] = c[0].second;
    plane_confidence[p] = std::clamp(0.5 + (c[0].first - c[1].first), 0.5, 0.99);
  }
}

bool isLongAxis(const std::string& view) {
  return view == "2ch" || view == "3ch" || view == "4ch" || view == "lax_other";
}

}  // namespace

LongAxisFrame LongAxisFrame::fromSaxNormal(const Vec3& sax_normal) {
  LongAxisFrame f;
  f.axis = geometry::dot(sax_normal, kBaseToApex) < 0.0 ? -sax_normal : sax_normal;
  Vec3 ref1 = geometry::projectOntoPlane({0.0, 0.0, 1.0}, f.axis);
  if (geometry::norm(ref1) < 0.1) ref1 = geometry::projectOntoPlane({0.0, -1.0, 0.0}, f.axis);
  f.ref1 = geometry::normalized(ref1);
  f.ref2 = geometry::cross(f.axis, f.ref1);
  return f;
}

double LongAxisFrame::rotationDeg(const Vec3& plane_normal) const {
  const Vec3 w = geometry::cross(axis, plane_normal);  // the trace direction in the SAX plane
  const double theta =
      geometry::radToDeg(std::atan2(geometry::dot(w, ref2), geometry::dot(w, ref1)));
  return std::fmod(theta + 360.0, 180.0);
}

std::string descriptionView(const std::string& raw, Organ organ) {
  const std::string t = normalizedText(raw);
  if (matches(t, "(^| )(loc[a-z]*|scout|survey|[a-z]*pilot|localiser|localizer)( |$)")) {
    return "localizer";
  }
  if (organ == Organ::kKnee) {
    if (matches(t, " sag")) return "sag";
    if (matches(t, " cor")) return "cor";
    if (matches(t, " (ax|axial|tra|trans[a-z]*)( |$)")) return "ax";
    return {};
  }
  if (matches(t, "(3 ?ch|three ch|lvot|3 ?cv)")) return "3ch";
  if (matches(t, "(2 ?ch|two ch|vla( |$)|vertical long)")) return "2ch";
  if (matches(t, "(4 ?ch|four ch|hla( |$)|horizontal long)")) return "4ch";
  if (matches(t, "(^| )(sax|sa|short|sht|sa[0-9]+)( |$)|short axis")) return "sax";
  if (matches(t, "(^| )(lax|la)( |$)|long axis")) return "lax_other";
  return {};
}

void labelViews(StudyCuration& study,
                const std::unordered_map<std::string, std::string>& overrides) {
  const std::size_t n_planes = study.planes.size();
  std::vector<std::string> plane_view(n_planes);
  std::vector<double> plane_confidence(n_planes, 0.0);
  if (study.organ == Organ::kHeart) heartGeometryViews(study, plane_view, plane_confidence);
  if (study.organ == Organ::kKnee) kneeGeometryViews(study, plane_view, plane_confidence);

  study.views.assign(study.series.size(), ViewLabel{});
  for (std::size_t s = 0; s < study.series.size(); ++s) {
    const SeriesInfo& series = study.series[s];
    ViewLabel& label = study.views[s];
    // Geometry: the view most of the series' planes got.
    std::map<std::string, std::pair<int, double>> votes;
    for (std::size_t p = 0; p < n_planes; ++p) {
      if (study.planes[p].series != static_cast<int>(s) || plane_view[p].empty()) continue;
      auto& v = votes[plane_view[p]];
      ++v.first;
      v.second = std::max(v.second, plane_confidence[p]);
    }
    if (series.localizer) votes = {{"localizer", {1, 0.95}}};
    for (const auto& [view, vote] : votes) {
      if (label.geometry_view.empty() || vote.first > votes[label.geometry_view].first) {
        label.geometry_view = view;
        label.geometry_confidence = vote.second;
      }
    }
    label.description_view = descriptionView(series.description, study.organ);
    if (label.description_view.empty()) {
      label.description_view = descriptionView(series.protocol_name, study.organ);
    }

    const std::string& g = label.geometry_view;
    const std::string& d = label.description_view;
    const double gc = label.geometry_confidence.value_or(0.0);
    if (g.empty() && d.empty()) {
      label = {"other", "geometry", 0.3, "", std::nullopt, ""};
    } else if (d.empty() || g == d) {
      label.view = g;
      label.source = "geometry";
      label.confidence = g == d ? std::max(gc, 0.99) : gc;
    } else if (g.empty() || g == "other" || (isLongAxis(g) && isLongAxis(d)) ||
               (d == "localizer") || gc < 0.8) {
      // Which long-axis view it is, or what an unclear plane is: the technologist's name wins
      // (it names what was planned), geometry still confirms it is a long-axis plane.
      label.view = d;
      label.source = "description";
      label.confidence = isLongAxis(g) && isLongAxis(d) ? 0.95 : 0.8;
    } else {
      label.view = g;
      label.source = "geometry";
      label.confidence = gc;
    }
    if (!g.empty() && !d.empty() && g != d && !(g == "lax_other" && isLongAxis(d))) {
      study.addFinding("view_label_conflict", "info",
                       "geometry says '" + g + "', the description says '" + d + "'",
                       "kept '" + label.view + "' (" + label.source + ")", -1, static_cast<int>(s));
    }
    if (const auto it = overrides.find(series.series_instance_uid); it != overrides.end()) {
      label.view = it->second;
      label.source = "user";
      label.confidence = 1.0;
    }
  }
  // A stack shows the view most of its planes' series show.
  for (Stack& stack : study.stacks) {
    std::map<std::string, int> count;
    for (const int p : stack.planes) {
      ++count[study
                  .views[static_cast<std::size_t>(study.planes[static_cast<std::size_t>(p)].series)]
                  .view];
    }
    int best = 0;
    for (const auto& [view, c] : count) {
      if (c > best) {
        best = c;
        stack.view = view;
      }
    }
  }
}

}  // namespace planelab::curation
