// Prints one 64-bit hash over the geometry, pixels and labels of small heart and knee cohorts at
// several levels. Built once with the project compiler and once with another compiler by
// cross_compiler_test.sh: the hashes must be equal (same seed -> same bytes on any compiler).
#include <cstdio>
#include <cstring>

#include "phantom/render.h"
#include "phantom/rng.h"
#include "phantom/study.h"

using namespace planelab::phantom;

namespace {
std::uint64_t bits(double v) {
  std::uint64_t u = 0;
  std::memcpy(&u, &v, sizeof u);
  return u;
}
}  // namespace

int main() {
  std::uint64_t h = 0;
  for (const Organ organ : {Organ::kHeart, Organ::kKnee}) {
    for (const Level level : {Level::kL0, Level::kL2, Level::kL3}) {
      StudyOptions o;
      o.organ = organ;
      o.level = level;
      o.knobs = knobsForLevel(level);
      o.layout = level == Level::kL3 ? Layout::kQuirks : Layout::kUkb;
      o.phases = 3;
      for (int subject = 0; subject < 2; ++subject) {
        const PhantomStudy st = generateStudy(77, subject, o);
        for (int k = 0; k < static_cast<int>(st.series.size()); ++k) {
          const SeriesPlan& series = st.series[static_cast<std::size_t>(k)];
          const int slice = static_cast<int>(series.slices.size()) / 2;
          const auto& p = series.slices[static_cast<std::size_t>(slice)].plane;
          h = hashPath({h, bits(p.position_mm.x), bits(p.position_mm.y), bits(p.position_mm.z),
                        bits(p.row_dir.x), bits(p.col_dir.z), bits(p.row_spacing_mm)});
          const int phase = series.slices[static_cast<std::size_t>(slice)].phases.back();
          const RenderedImage im = renderImage(
              st, k, slice, phase, k % 2 ? RenderSettings::fast() : RenderSettings::quality());
          for (const auto v : im.pixels) h = hashPath({h, v});
          for (const auto v : im.labels) h = hashPath({h, v});
        }
      }
    }
  }
  std::printf("%016llx\n", static_cast<unsigned long long>(h));
  return 0;
}
