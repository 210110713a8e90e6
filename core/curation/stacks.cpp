// Parallel stacks across series: clustering by orientation, anatomical direction, order,
// repeated locations, spacing, drift, phases and relative slice locations.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <tuple>

#include "curation/curation_steps.h"
#include "geometry/stack_order.h"

namespace planelab::curation {
namespace {

using geometry::Vec3;

std::string mm(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

// Without anatomy to go by: the sign that makes the largest component of the normal positive
// (towards patient left, posterior or head).
Vec3 dominantAxisPositive(const Vec3& n) {
  const double ax = std::abs(n.x), ay = std::abs(n.y), az = std::abs(n.z);
  const double c = ax >= ay && ax >= az ? n.x : (ay >= az ? n.y : n.z);
  return c < 0.0 ? -n : n;
}

Vec3 signedLike(const Vec3& n, const Vec3& reference) {
  return geometry::dot(n, reference) < 0.0 ? -n : n;
}

// The documented anatomical direction of a stack (docs/curation.md).
Vec3 anatomicalDirection(const StudyCuration& study, const Stack& stack, const Vec3& normal) {
  if (study.organ == Organ::kHeart) {
    const Vec3 apex = geometry::normalized(kBaseToApex);
    if (std::abs(geometry::dot(normal, apex)) > 0.2) return signedLike(normal, apex);
    return dominantAxisPositive(normal);
  }
  if (study.organ == Organ::kKnee) {
    if (stack.view == "sag") {
      // Medial -> lateral: patient left (+x) for a left knee, right (-x) for a right knee.
      std::string side;
      for (const int p : stack.planes) {
        const SeriesInfo& s =
            study
                .series[static_cast<std::size_t>(study.planes[static_cast<std::size_t>(p)].series)];
        if (!s.laterality.empty()) side = s.laterality;
      }
      return signedLike(normal, side == "R" ? Vec3{-1, 0, 0} : Vec3{1, 0, 0});
    }
    if (stack.view == "cor") return signedLike(normal, {0, 1, 0});  // anterior -> posterior
    if (stack.view == "ax") return signedLike(normal, {0, 0, -1});  // proximal -> distal
  }
  return dominantAxisPositive(normal);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// Which of two planes at one location to keep: the later acquisition (DSB's FAQ: a slice is
// re-acquired after an artefact and the last one is usually best), by AcquisitionTime, then
// SeriesNumber, then catalog order.
bool acquiredLater(const StudyCuration& study, int a, int b) {
  const Plane& pa = study.planes[static_cast<std::size_t>(a)];
  const Plane& pb = study.planes[static_cast<std::size_t>(b)];
  if (!std::isnan(pa.acquisition_s) && !std::isnan(pb.acquisition_s) &&
      pa.acquisition_s != pb.acquisition_s) {
    return pa.acquisition_s > pb.acquisition_s;
  }
  const auto number = [&](const Plane& p) {
    return study.series[static_cast<std::size_t>(p.series)].series_number.value_or(0);
  };
  if (number(pa) != number(pb)) return number(pa) > number(pb);
  return a > b;
}

void finishStack(StudyCuration& study, int index, const Options& options) {
  Stack& stack = study.stacks[static_cast<std::size_t>(index)];
  std::vector<Plane>& planes = study.planes;
  const auto plane = [&](int p) -> Plane& { return planes[static_cast<std::size_t>(p)]; };

  Vec3 sum;
  const Vec3 first = plane(stack.planes.front()).geometry.normal();
  for (const int p : stack.planes) sum += signedLike(plane(p).geometry.normal(), first);
  const Vec3 normal = geometry::normalized(sum);
  stack.direction = anatomicalDirection(study, stack, normal);

  // Each plane's own offset along its own normal (exact for that plane, whatever its FOV), signed
  // to the stack direction.
  for (const int p : stack.planes) {
    const Vec3 n = plane(p).geometry.normal();
    const double sign = geometry::dot(n, stack.direction) < 0.0 ? -1.0 : 1.0;
    plane(p).location_mm = sign * geometry::dot(n, plane(p).geometry.position_mm);
  }
  std::stable_sort(stack.planes.begin(), stack.planes.end(),
                   [&](int a, int b) { return plane(a).location_mm < plane(b).location_mm; });

  // Repeated locations: runs of planes closer than the tolerance; one is kept.
  std::vector<int> kept;
  for (std::size_t i = 0; i < stack.planes.size();) {
    std::size_t j = i + 1;
    while (j < stack.planes.size() &&
           plane(stack.planes[j]).location_mm - plane(stack.planes[i]).location_mm <
               options.repeat_tolerance_mm) {
      ++j;
    }
    int keep = stack.planes[i];
    for (std::size_t k = i + 1; k < j; ++k) {
      const int candidate = stack.planes[k];
      const bool later = acquiredLater(study, candidate, keep);
      if (later == options.keep_latest_repeat) keep = candidate;
    }
    for (std::size_t k = i; k < j; ++k) {
      const int p = stack.planes[k];
      plane(p).kept = p == keep;
      if (p == keep) continue;
      const SeriesInfo& kept_series = study.series[static_cast<std::size_t>(plane(keep).series)];
      study.addFinding(
          "repeated_slice", "info",
          "slice location " + mm(plane(p).location_mm) +
              " mm acquired more than once: this acquisition is superseded",
          "kept series " + kept_series.series_instance_uid +
              (options.keep_latest_repeat ? " (later acquisition)" : " (first acquisition)"),
          index, plane(p).series, p);
    }
    kept.push_back(keep);
    i = j;
  }
  stack.slice_count = static_cast<int>(kept.size());
  for (std::size_t k = 0; k < kept.size(); ++k) plane(kept[k]).slice_index = static_cast<int>(k);

  std::set<int> series;
  for (const int p : stack.planes) {
    series.insert(plane(p).series);
    stack.phase_count = std::max(stack.phase_count, static_cast<int>(plane(p).images.size()));
  }
  stack.series_count = static_cast<int>(series.size());

  if (kept.size() < 2) {
    study.addFinding("single_slice_stack", "info",
                     "a stack of one plane: it has no relative slice location", {}, index);
  } else {
    std::vector<double> gaps;
    for (std::size_t k = 1; k < kept.size(); ++k) {
      gaps.push_back(plane(kept[k]).location_mm - plane(kept[k - 1]).location_mm);
    }
    const double med = median(gaps);
    stack.spacing_median_mm = med;
    stack.spacing_min_mm = *std::min_element(gaps.begin(), gaps.end());
    stack.spacing_max_mm = *std::max_element(gaps.begin(), gaps.end());
    std::vector<double> regular;
    for (std::size_t k = 0; k < gaps.size(); ++k) {
      if (gaps[k] > options.missing_gap_factor * med) {
        const int missing = static_cast<int>(std::lround(gaps[k] / med)) - 1;
        study.addFinding("missing_slice", "warning",
                         "gap of " + mm(gaps[k]) + " mm between slices " + std::to_string(k) +
                             " and " + std::to_string(k + 1) + " (median spacing " + mm(med) +
                             " mm): about " + std::to_string(std::max(1, missing)) +
                             " slice(s) missing",
                         {}, index, -1, kept[k + 1]);
      } else {
        regular.push_back(gaps[k]);
      }
    }
    if (!regular.empty()) {
      const auto [lo, hi] = std::minmax_element(regular.begin(), regular.end());
      if (*hi - *lo > options.nonuniform_tolerance * med) {
        study.addFinding("nonuniform_spacing", "warning",
                         "slice spacing varies from " + mm(*lo) + " to " + mm(*hi) + " mm",
                         "median " + mm(med) + " mm", index);
      }
    }
    // In-plane drift: plane centres off the stack's centre line.
    Vec3 mean;
    for (const int p : kept) mean += plane(p).geometry.centre();
    mean = mean / static_cast<double>(kept.size());
    double drift = 0.0;
    for (const int p : kept) {
      const Vec3 off =
          geometry::projectOntoPlane(plane(p).geometry.centre() - mean, stack.direction);
      drift = std::max(drift, geometry::norm(off));
    }
    stack.in_plane_drift_mm = drift;
    if (drift > options.drift_tolerance_mm) {
      study.addFinding("in_plane_drift", "warning",
                       "plane centres move up to " + mm(drift) +
                           " mm off the stack's centre line (field of view moved between slices)",
                       {}, index);
    }
    // Relative slice locations over the kept planes; superseded repeats get their location's.
    const double lo = plane(kept.front()).location_mm;
    const double hi = plane(kept.back()).location_mm;
    const auto paper = [&](int p) {
      return -geometry::dot(plane(p).geometry.normal(), plane(p).geometry.position_mm);
    };
    double paper_lo = paper(kept.front()), paper_hi = paper_lo;
    for (const int p : kept) {
      paper_lo = std::min(paper_lo, paper(p));
      paper_hi = std::max(paper_hi, paper(p));
    }
    if (hi - lo > 1e-6 && paper_hi - paper_lo > 1e-6) {
      for (const int p : stack.planes) {
        plane(p).relative_location_anatomical =
            std::clamp((plane(p).location_mm - lo) / (hi - lo), 0.0, 1.0);
        plane(p).relative_location_paper =
            std::clamp((paper(p) - paper_lo) / (paper_hi - paper_lo), 0.0, 1.0);
      }
    }
  }

  // Matrix and pixel spacing should agree within a stack (DSB has slices that differ).
  std::set<std::tuple<int, int, double, double>> grids;
  for (const int p : kept) {
    const geometry::ImagePlane& g = plane(p).geometry;
    grids.emplace(g.rows, g.cols, std::round(g.row_spacing_mm * 1e4) / 1e4,
                  std::round(g.col_spacing_mm * 1e4) / 1e4);
  }
  if (grids.size() > 1) {
    std::string detail;
    for (const auto& [r, c, dr, dc] : grids) {
      detail += (detail.empty() ? "" : ", ") + std::to_string(r) + "x" + std::to_string(c) + " @ " +
                mm(dr) + "x" + mm(dc) + " mm";
    }
    study.addFinding("mixed_matrix", "warning",
                     "planes of the stack differ in matrix size or pixel spacing", detail, index);
  }
  // Cine phases: every plane should have the stack's (and the header's) number of phases.
  for (const int p : stack.planes) {
    const int expected = std::max(stack.phase_count, plane(p).expected_phases.value_or(0));
    const int have = static_cast<int>(plane(p).images.size());
    if (expected > 1 && have < expected) {
      study.addFinding("missing_phase", "warning",
                       "plane has " + std::to_string(have) + " of " + std::to_string(expected) +
                           " cardiac phases",
                       {}, index, plane(p).series, p);
    }
  }
}

}  // namespace

void clusterStacks(StudyCuration& study, const Options& options) {
  const double cos_tolerance = std::cos(geometry::degToRad(options.orientation_tolerance_deg));
  std::vector<Vec3> reference;
  for (std::size_t p = 0; p < study.planes.size(); ++p) {
    Plane& plane = study.planes[p];
    const SeriesInfo& series = study.series[static_cast<std::size_t>(plane.series)];
    if (series.localizer) continue;
    const Vec3 n = plane.geometry.normal();
    int found = -1;
    for (std::size_t s = 0; s < study.stacks.size(); ++s) {
      if (study.stacks[s].group == series.group &&
          std::abs(geometry::dot(n, reference[s])) >= cos_tolerance) {
        found = static_cast<int>(s);
        break;
      }
    }
    if (found < 0) {
      found = static_cast<int>(study.stacks.size());
      Stack stack;
      stack.group = series.group;
      stack.direction = n;
      study.stacks.push_back(stack);
      reference.push_back(n);
    }
    study.stacks[static_cast<std::size_t>(found)].planes.push_back(static_cast<int>(p));
  }
  // Largest stacks first (the heart's SAX stack is the largest parallel stack).
  std::vector<std::size_t> order(study.stacks.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return study.stacks[a].planes.size() > study.stacks[b].planes.size();
  });
  std::vector<Stack> sorted;
  for (const std::size_t s : order) sorted.push_back(study.stacks[s]);
  study.stacks = std::move(sorted);
  for (std::size_t s = 0; s < study.stacks.size(); ++s) {
    for (const int p : study.stacks[s].planes) {
      study.planes[static_cast<std::size_t>(p)].stack = static_cast<int>(s);
    }
  }
}

void finishStacks(StudyCuration& study, const Options& options) {
  for (std::size_t s = 0; s < study.stacks.size(); ++s) {
    finishStack(study, static_cast<int>(s), options);
  }
}

}  // namespace planelab::curation
