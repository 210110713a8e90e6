// Writes pretext-task targets computed by planelab::data for the oracle test
// (tests/tools/pretext_oracle.py recomputes them independently with numpy):
//   targets_dump CASES.json TARGETS.f32
// CASES.json describes every case (planes as DICOM fields, grid, sigma, the flags we produced and
// where each result lies in TARGETS.f32); TARGETS.f32 holds the float32 heatmaps (row-major, one
// per channel) and the relative slice locations, in the order of CASES.json.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "data/pretext_targets.h"
#include "data/target_grid.h"
#include "phantom/study.h"

using planelab::geometry::ImagePlane;
using planelab::geometry::Vec3;
namespace data = planelab::data;
namespace phantom = planelab::phantom;

namespace {

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string vec(const Vec3& v) {
  return "[" + num(v.x) + ", " + num(v.y) + ", " + num(v.z) + "]";
}

std::string planeJson(const ImagePlane& p) {
  return "{\"ipp\": " + vec(p.position_mm) + ", \"iop\": [" + num(p.row_dir.x) + ", " +
         num(p.row_dir.y) + ", " + num(p.row_dir.z) + ", " + num(p.col_dir.x) + ", " +
         num(p.col_dir.y) + ", " + num(p.col_dir.z) + "], \"pixel_spacing\": [" +
         num(p.row_spacing_mm) + ", " + num(p.col_spacing_mm) +
         "], \"rows\": " + std::to_string(p.rows) + ", \"cols\": " + std::to_string(p.cols) + "}";
}

struct Channel {
  std::string view;
  std::optional<ImagePlane> plane;  // none: the view is missing
};

class Dump {
 public:
  // One target image: `source` resampled onto `grid` (or used as is when grid is empty).
  void heatmaps(const std::string& name, const ImagePlane& source,
                const std::optional<data::TargetGrid>& grid, const std::vector<Channel>& channels,
                double sigma_px) {
    const ImagePlane target = grid ? data::resampledPlane(source, *grid) : source;
    std::vector<const ImagePlane*> others;
    for (const Channel& c : channels) others.push_back(c.plane ? &*c.plane : nullptr);
    const auto maps = data::lineHeatmaps(target, others, data::HeatmapOptions{sigma_px});
    std::string j = "    {\"name\": \"" + name + "\", \"sigma_px\": " + num(sigma_px) +
                    ", \"source\": " + planeJson(source) + ", \"grid\": ";
    j += grid ? "{\"spacing_mm\": " + num(grid->spacing_mm) +
                    ", \"size\": " + std::to_string(grid->size) + "}"
              : std::string("null");
    j += ", \"target\": " + planeJson(target) + ", \"offset\": " + std::to_string(values_.size()) +
         ", \"channels\": [";
    for (std::size_t k = 0; k < channels.size(); ++k) {
      j += (k ? ", " : "") + std::string("{\"view\": \"") + channels[k].view +
           "\", \"plane\": " + (channels[k].plane ? planeJson(*channels[k].plane) : "null") +
           ", \"flag\": \"" + maps[k].flag + "\"}";
      values_.insert(values_.end(), maps[k].values.begin(), maps[k].values.end());
      ++channel_count_;
      if (maps[k].flag.empty()) ++line_count_;
    }
    heatmap_cases_.push_back(j + "]}");
  }

  void locations(const std::string& name, const std::vector<ImagePlane>& stack,
                 data::LocationMode mode, const Vec3& direction) {
    std::string key;
    const auto rel = data::relativeSliceLocations(stack, mode, direction, &key);
    std::string j = "    {\"name\": \"" + name + "\", \"mode\": \"" + data::locationModeName(mode) +
                    "\", \"direction\": " + vec(direction) + ", \"error_key\": \"" + key +
                    "\", \"offset\": " + std::to_string(values_.size()) +
                    ", \"count\": " + std::to_string(rel.size()) + ", \"planes\": [";
    for (std::size_t k = 0; k < stack.size(); ++k) j += (k ? ", " : "") + planeJson(stack[k]);
    location_cases_.push_back(j + "]}");
    for (double v : rel) values_.push_back(static_cast<float>(v));
  }

  bool write(const std::string& json_path, const std::string& bin_path) const {
    std::ofstream js(json_path);
    js << "{\n  \"heatmap_cases\": [\n";
    for (std::size_t k = 0; k < heatmap_cases_.size(); ++k) {
      js << heatmap_cases_[k] << (k + 1 < heatmap_cases_.size() ? ",\n" : "\n");
    }
    js << "  ],\n  \"location_cases\": [\n";
    for (std::size_t k = 0; k < location_cases_.size(); ++k) {
      js << location_cases_[k] << (k + 1 < location_cases_.size() ? ",\n" : "\n");
    }
    js << "  ],\n  \"value_count\": " << values_.size() << "\n}\n";
    std::ofstream bin(bin_path, std::ios::binary);
    bin.write(reinterpret_cast<const char*>(values_.data()),
              static_cast<std::streamsize>(values_.size() * sizeof(float)));
    std::printf(
        "targets_dump: %zu heatmap cases (%zu channels, %zu with a line), %zu location "
        "cases\n",
        heatmap_cases_.size(), channel_count_, line_count_, location_cases_.size());
    return js.good() && bin.good();
  }

 private:
  std::vector<std::string> heatmap_cases_;
  std::vector<std::string> location_cases_;
  std::vector<float> values_;
  std::size_t channel_count_ = 0;
  std::size_t line_count_ = 0;
};

std::optional<ImagePlane> firstPlane(const phantom::PhantomStudy& st, const std::string& view) {
  for (const auto& s : st.series) {
    if (s.view == view && !s.slices.empty()) return s.slices[s.slices.size() / 2].plane;
  }
  return std::nullopt;
}

std::vector<ImagePlane> stackOf(const phantom::PhantomStudy& st, const std::string& view) {
  std::vector<ImagePlane> planes;
  for (const auto& s : st.series) {
    if (s.view != view) continue;
    for (const auto& sl : s.slices) planes.push_back(sl.plane);
  }
  return planes;
}

void heartCases(Dump& dump, phantom::Layout layout, int subject) {
  phantom::StudyOptions opt;
  opt.organ = phantom::Organ::kHeart;
  opt.layout = layout;
  opt.phases = 2;
  const auto st = phantom::generateStudy(2026, subject, opt);
  const std::string tag = "heart_" + phantom::layoutName(layout) + "_s" + std::to_string(subject);
  const data::TargetGrid grid;
  // SAX inputs with the 2CH and 4CH channels (the paper's setting); localizer images too.
  const std::vector<Channel> sax_channels = {{"2ch", firstPlane(st, "2ch")},
                                             {"4ch", firstPlane(st, "4ch")}};
  for (const std::string view : {"sax", "localizer"}) {
    const auto planes = stackOf(st, view);
    for (std::size_t k = 0; k < planes.size(); ++k) {
      dump.heatmaps(tag + "_" + view + std::to_string(k), planes[k], grid, sax_channels, 6.0);
    }
  }
  // LAX inputs with the other long-axis views (missing ones give view_missing channels).
  const std::vector<std::string> lax = {"2ch", "3ch", "4ch"};
  for (const std::string& v : lax) {
    const auto plane = firstPlane(st, v);
    if (!plane) continue;
    std::vector<Channel> channels;
    for (const std::string& o : lax) {
      if (o != v) channels.push_back({o, firstPlane(st, o)});
    }
    dump.heatmaps(tag + "_" + v, *plane, grid, channels, 6.0);
  }
  // Relative locations of the SAX stack (quirks: a repeated slice and a different matrix).
  const auto sax = stackOf(st, "sax");
  dump.locations(tag + "_sax_paper", sax, data::LocationMode::kPaper, {});
  dump.locations(tag + "_sax_base_apex", sax, data::LocationMode::kAnatomical,
                 st.cardiac_truth->planned_long_axis);
}

void kneeCases(Dump& dump, int subject) {
  phantom::StudyOptions opt;
  opt.organ = phantom::Organ::kKnee;
  opt.phases = 1;
  const auto st = phantom::generateStudy(2026, subject, opt);
  const std::string tag = "knee_s" + std::to_string(subject);
  const std::vector<std::string> families = {"sag", "cor", "ax"};
  const phantom::KneeTruth& truth = *st.knee_truth;
  const Vec3 axes[] = {truth.medial_lateral_axis, truth.anterior_posterior_axis,
                       truth.distal_proximal_axis};
  for (std::size_t f = 0; f < families.size(); ++f) {
    std::vector<Channel> channels;
    for (const std::string& o : families) {
      if (o != families[f]) channels.push_back({o, firstPlane(st, o)});
    }
    const auto planes = stackOf(st, families[f]);
    for (std::size_t k = 0; k < planes.size(); k += 3) {
      dump.heatmaps(tag + "_" + families[f] + std::to_string(k), planes[k], data::TargetGrid{},
                    channels, 6.0);
    }
    dump.locations(tag + "_" + families[f] + "_paper", planes, data::LocationMode::kPaper, {});
    dump.locations(tag + "_" + families[f] + "_anatomical", planes, data::LocationMode::kAnatomical,
                   axes[f]);
  }
}

ImagePlane planeAt(const Vec3& centre, const Vec3& r, const Vec3& c, double row_sp, double col_sp,
                   int rows, int cols) {
  ImagePlane p;
  p.row_dir = r;
  p.col_dir = c;
  p.row_spacing_mm = row_sp;
  p.col_spacing_mm = col_sp;
  p.rows = rows;
  p.cols = cols;
  p.position_mm = centre - r * (0.5 * (cols - 1) * col_sp) - c * (0.5 * (rows - 1) * row_sp);
  return p;
}

Vec3 unit(double x, double y, double z) {
  return planelab::geometry::normalized({x, y, z});
}

void syntheticCases(Dump& dump) {
  const data::TargetGrid grid;
  const Vec3 r = unit(0.9, 0.3, -0.3);
  const Vec3 c = planelab::geometry::normalized(Vec3{0.2, -0.2, -1.0} -
                                                r * planelab::geometry::dot({0.2, -0.2, -1.0}, r));
  const Vec3 n = planelab::geometry::cross(r, c);
  const Vec3 centre{12.0, -30.0, 55.0};
  // Non-square source pixels (PixelSpacing 1.0 \ 2.0 and 2.0 \ 1.0), oblique other planes.
  const ImagePlane ns1 = planeAt(centre, r, c, 1.0, 2.0, 200, 120);
  const ImagePlane ns2 = planeAt(centre, r, c, 2.0, 1.0, 120, 200);
  const ImagePlane o1 = planeAt(centre + r * 20.0, unit(0.1, 0.9, 0.4), n, 1.5, 1.5, 128, 128);
  const ImagePlane o2 =
      planeAt(centre - c * 35.0, unit(-0.3, 0.2, 0.9), unit(0.5, 0.8, 0.0), 1.2, 1.2, 100, 100);
  const ImagePlane o2n = [&] {  // o2 re-orthonormalised
    ImagePlane p = o2;
    p.col_dir = planelab::geometry::normalized(
        o2.col_dir - o2.row_dir * planelab::geometry::dot(o2.col_dir, o2.row_dir));
    return p;
  }();
  dump.heatmaps("synthetic_nonsquare_1x2", ns1, grid, {{"a", o1}, {"b", o2n}}, 6.0);
  dump.heatmaps("synthetic_nonsquare_2x1", ns2, grid, {{"a", o1}, {"b", o2n}}, 6.0);
  // The raw non-square image as the target (distance in pixel-index units), another sigma.
  dump.heatmaps("synthetic_nonsquare_raw_target", ns1, std::nullopt, {{"a", o1}, {"b", o2n}}, 3.0);
  // Lines parallel to the target's rows (other plane contains r) and columns (contains c).
  const ImagePlane square = planeAt(centre, r, c, 1.4, 1.4, 256, 256);
  const ImagePlane rows_par = planeAt(centre + c * 17.3, r, n, 1.0, 1.0, 64, 64);
  const ImagePlane cols_par = planeAt(centre - r * 41.9, c, n, 1.0, 1.0, 64, 64);
  dump.heatmaps("synthetic_parallel_to_rows_and_cols", square, grid,
                {{"rows", rows_par}, {"cols", cols_par}}, 6.0);
  // A line inside the source's field of view but outside the 224 crop; and one just inside.
  const ImagePlane wide = planeAt(centre, r, c, 1.0, 1.0, 400, 400);
  const ImagePlane far_col = planeAt(centre + r * 160.0, c, n, 1.0, 1.0, 64, 64);
  const ImagePlane edge_col = planeAt(centre + r * 140.0, c, n, 1.0, 1.0, 64, 64);
  const ImagePlane far_oblique =
      planeAt(centre + (r + c) * 150.0, planelab::geometry::normalized(r - c), n, 1.0, 1.0, 64, 64);
  dump.heatmaps("synthetic_line_misses_crop", wide, grid,
                {{"far", far_col}, {"edge", edge_col}, {"far_oblique", far_oblique}}, 6.0);
  // Parallel (0.5 degree) and perpendicular-to-view planes, and a missing view.
  const Vec3 r_tilt = planelab::geometry::rotateAbout(r, c, planelab::geometry::degToRad(0.5));
  const ImagePlane near_par = planeAt(centre + n * 10.0, r_tilt, c, 1.0, 1.0, 64, 64);
  const ImagePlane exact_par = planeAt(centre, r, c, 1.0, 1.0, 64, 64);
  dump.heatmaps("synthetic_parallel_and_missing", square, grid,
                {{"tilt_0.5deg", near_par}, {"missing", std::nullopt}, {"same", exact_par}}, 6.0);

  // Relative locations: duplicated positions, a single slice, coincident slices.
  std::vector<ImagePlane> stack;
  for (double o : {0.0, 10.0, 10.0, 25.0, 5.0})
    stack.push_back(planeAt(centre + n * o, r, c, 1, 1, 8, 8));
  dump.locations("synthetic_duplicates_paper", stack, data::LocationMode::kPaper, {});
  dump.locations("synthetic_duplicates_anatomical", stack, data::LocationMode::kAnatomical,
                 n * -2.0);
  dump.locations("synthetic_single_slice", {stack[0]}, data::LocationMode::kPaper, {});
  dump.locations("synthetic_coincident", {stack[1], stack[2]}, data::LocationMode::kAnatomical, n);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: targets_dump CASES.json TARGETS.f32\n");
    return 2;
  }
  Dump dump;
  for (const auto layout :
       {phantom::Layout::kDsb, phantom::Layout::kUkb, phantom::Layout::kQuirks}) {
    heartCases(dump, layout, 0);
  }
  heartCases(dump, phantom::Layout::kUkb, 1);
  kneeCases(dump, 0);
  kneeCases(dump, 1);
  syntheticCases(dump);
  return dump.write(argv[1], argv[2]) ? 0 : 1;
}
