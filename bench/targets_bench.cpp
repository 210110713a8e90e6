// Pretext-target rate: line heatmaps (2 channels: 2CH and 4CH, 224 x 224 at 1.26 mm, sigma 6 px)
// for every SAX image of N phantom heart studies, one thread, target plane included; through the
// vector-returning API (lineHeatmaps) and into a reused buffer (lineHeatmapInto, as a loader
// writing straight into a batch tensor would).
//   targets_bench [--subjects N] [--min-seconds S] [--cases-out CASES.json]
// --cases-out writes the same cases (and our rates) for bench/peers/targets_oracle_bench.py, which
// times the numpy oracle of tests/tools/pretext_oracle.py on them and prints the ratios.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "data/pretext_targets.h"
#include "data/target_grid.h"
#include "phantom/study.h"

using planelab::geometry::ImagePlane;
namespace data = planelab::data;
namespace phantom = planelab::phantom;

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double cpuNow() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

struct Case {
  ImagePlane sax;
  ImagePlane two;
  ImagePlane four;
};

struct Rate {
  double per_s = 0.0;      // wall clock
  double cpu_per_s = 0.0;  // process CPU time (less sensitive to other load on the machine)
  long heatmaps = 0;
  long lines = 0;
  int passes = 0;
  double seconds = 0.0;
  double checksum = 0.0;
};

// Runs body(case, rate) over all cases, pass after pass, for at least min_seconds of wall clock.
template <typename Body>
Rate measure(const std::vector<Case>& cases, double min_seconds, Body&& body) {
  Rate r;
  const double t0 = now();
  const double c0 = cpuNow();
  do {
    for (const Case& c : cases) body(c, r);
    ++r.passes;
    r.seconds = now() - t0;
  } while (r.seconds < min_seconds);
  r.per_s = static_cast<double>(r.heatmaps) / r.seconds;
  r.cpu_per_s = static_cast<double>(r.heatmaps) / (cpuNow() - c0);
  return r;
}

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string planeJson(const ImagePlane& p) {
  const auto v = [](const planelab::geometry::Vec3& a) {
    return num(a.x) + ", " + num(a.y) + ", " + num(a.z);
  };
  return "{\"ipp\": [" + v(p.position_mm) + "], \"iop\": [" + v(p.row_dir) + ", " + v(p.col_dir) +
         "], \"pixel_spacing\": [" + num(p.row_spacing_mm) + ", " + num(p.col_spacing_mm) +
         "], \"rows\": " + std::to_string(p.rows) + ", \"cols\": " + std::to_string(p.cols) + "}";
}

}  // namespace

int main(int argc, char** argv) {
  int subjects = 20;
  double min_seconds = 2.0;
  std::string cases_out;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--subjects")) subjects = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--min-seconds")) min_seconds = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--cases-out")) cases_out = argv[i + 1];
  }
  std::vector<Case> cases;
  phantom::StudyOptions opt;
  opt.organ = phantom::Organ::kHeart;
  opt.layout = phantom::Layout::kDsb;
  opt.phases = 2;
  for (int s = 0; s < subjects; ++s) {
    const auto st = phantom::generateStudy(2026, s, opt);
    const ImagePlane* two = nullptr;
    const ImagePlane* four = nullptr;
    for (const auto& series : st.series) {
      if (series.view == "2ch" && !two) two = &series.slices[0].plane;
      if (series.view == "4ch" && !four) four = &series.slices[0].plane;
    }
    for (const auto& series : st.series) {
      if (series.view != "sax" || !two || !four) continue;
      for (const auto& slice : series.slices) cases.push_back({slice.plane, *two, *four});
    }
  }
  const data::TargetGrid grid;         // 224 x 224 at 1.26 mm
  const data::HeatmapOptions options;  // sigma 6 px
  // Checksum: the centre pixel of every heatmap (the numpy peer sums the same pixels).
  const std::size_t centre = static_cast<std::size_t>(grid.size / 2) * grid.size + grid.size / 2;

  const Rate api = measure(cases, min_seconds, [&](const Case& c, Rate& r) {
    const ImagePlane target = data::resampledPlane(c.sax, grid);
    const auto maps = data::lineHeatmaps(target, {&c.two, &c.four}, options);
    for (const auto& m : maps) {
      r.checksum += static_cast<double>(m.values[centre]);
      r.lines += m.flag.empty() ? 1 : 0;
    }
    r.heatmaps += static_cast<long>(maps.size());
  });
  const std::size_t plane_size = static_cast<std::size_t>(grid.size) * grid.size;
  std::vector<float> slot(2 * plane_size);
  const Rate into = measure(cases, min_seconds, [&](const Case& c, Rate& r) {
    const ImagePlane target = data::resampledPlane(c.sax, grid);
    const std::string f2 = data::lineHeatmapInto(target, c.two, options, slot.data());
    const std::string f4 = data::lineHeatmapInto(target, c.four, options, slot.data() + plane_size);
    r.checksum +=
        static_cast<double>(slot[centre]) + static_cast<double>(slot[plane_size + centre]);
    r.lines += (f2.empty() ? 1 : 0) + (f4.empty() ? 1 : 0);
    r.heatmaps += 2;
  });

  std::printf(
      "pretext targets: %d heart subjects (dsb), %zu SAX images x 2 channels (2ch, 4ch), "
      "224x224 at 1.26 mm, sigma 6 px, 1 thread\n",
      subjects, cases.size());
  std::printf("images %zu\nlines_present_per_pass %ld\n", cases.size(), api.lines / api.passes);
  std::printf("heatmaps_per_s %.1f\ncpu_heatmaps_per_s %.1f\nseconds %.3f\npasses %d\n", api.per_s,
              api.cpu_per_s, api.seconds, api.passes);
  std::printf(
      "into_heatmaps_per_s %.1f\ninto_cpu_heatmaps_per_s %.1f\ninto_seconds %.3f\n"
      "into_passes %d\nchecksum %.6f %.6f\n",
      into.per_s, into.cpu_per_s, into.seconds, into.passes, api.checksum / api.passes,
      into.checksum / into.passes);
  if (!cases_out.empty()) {
    std::ofstream js(cases_out);
    js << "{\"ours_heatmaps_per_s\": " << num(api.per_s)
       << ", \"ours_cpu_heatmaps_per_s\": " << num(api.cpu_per_s)
       << ", \"ours_into_heatmaps_per_s\": " << num(into.per_s)
       << ", \"ours_into_cpu_heatmaps_per_s\": " << num(into.cpu_per_s)
       << ", \"sigma_px\": " << num(options.sigma_px)
       << ", \"grid\": {\"spacing_mm\": " << num(grid.spacing_mm) << ", \"size\": " << grid.size
       << "},\n \"images\": [\n";
    for (std::size_t k = 0; k < cases.size(); ++k) {
      js << "  {\"source\": " << planeJson(cases[k].sax) << ", \"others\": ["
         << planeJson(cases[k].two) << ", " << planeJson(cases[k].four) << "]}"
         << (k + 1 < cases.size() ? ",\n" : "\n");
    }
    js << " ]}\n";
    if (!js.good()) {
      std::fprintf(stderr, "cannot write %s\n", cases_out.c_str());
      return 1;
    }
  }
  return 0;
}
