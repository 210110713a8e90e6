// Phantom image rate (fast and quality settings, heart and knee) and the time to fill an in-memory
// pretraining pool: 100 cardiac subjects, SAX + LAX, 10 phases, fast setting, all cores.
//   phantom_bench [--pool-subjects N] [--threads T]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "phantom/render.h"
#include "phantom/study.h"

using namespace planelab::phantom;

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

StudyOptions options(Organ organ, int phases) {
  StudyOptions o;
  o.organ = organ;
  o.level = Level::kL2;
  o.knobs = knobsForLevel(Level::kL2);
  o.layout = Layout::kUkb;
  o.phases = phases;
  return o;
}

// Renders `count` images of the first subjects (cycling over their series), one thread.
double imagesPerSecond(Organ organ, const RenderSettings& settings, int count) {
  std::vector<PhantomStudy> studies;
  for (int s = 0; s < 3; ++s) studies.push_back(generateStudy(2026, s, options(organ, 10)));
  long pixels = 0;
  const double t0 = now();
  for (int k = 0; k < count; ++k) {
    const PhantomStudy& st = studies[static_cast<std::size_t>(k) % studies.size()];
    const int series = (k / 3) % static_cast<int>(st.series.size());
    const auto& sp = st.series[static_cast<std::size_t>(series)];
    const int slice = (k / 7) % static_cast<int>(sp.slices.size());
    const RenderedImage im = renderImage(st, series, slice, 0, settings);
    pixels += static_cast<long>(im.pixels.size());
  }
  const double dt = now() - t0;
  std::printf("  %-5s %-7s %4d images  %6.1f images/s  (%.0f kpixel/s, 1 thread)\n",
              organ == Organ::kHeart ? "heart" : "knee",
              settings.supersample == 1 ? "fast" : "quality", count, count / dt,
              static_cast<double>(pixels) / dt / 1000.0);
  return count / dt;
}

}  // namespace

int main(int argc, char** argv) {
  int pool_subjects = 100;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i + 1 < argc; ++i) {
    if (!std::strcmp(argv[i], "--pool-subjects")) pool_subjects = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
  }
  std::printf("phantom image rate (level L2, UKB layout)\n");
  imagesPerSecond(Organ::kHeart, RenderSettings::fast(), 120);
  imagesPerSecond(Organ::kHeart, RenderSettings::quality(), 24);
  imagesPerSecond(Organ::kKnee, RenderSettings::fast(), 60);
  imagesPerSecond(Organ::kKnee, RenderSettings::quality(), 12);

  // Pretraining pool: every SAX and LAX image of every phase, rendered in memory on all cores.
  std::printf("pretraining pool: %d cardiac subjects, SAX + LAX, 10 phases, fast, %d threads\n",
              pool_subjects, threads);
  const double t0 = now();
  std::atomic<int> next{0};
  std::atomic<long> images{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int s = next++; s < pool_subjects; s = next++) {
        const PhantomStudy st = generateStudy(7, s, options(Organ::kHeart, 10));
        for (int k = 0; k < static_cast<int>(st.series.size()); ++k) {
          for (int p = 0; p < 10; ++p) {
            const RenderedImage im = renderImage(st, k, 0, p, RenderSettings::fast());
            images += im.rows > 0;
          }
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  const double dt = now() - t0;
  std::printf("  %ld images in %.1f s (%.1f images/s); requirement: under 300 s -> %s\n",
              images.load(), dt, static_cast<double>(images.load()) / dt,
              dt < 300.0 ? "met" : "NOT met");
  return dt < 300.0 ? 0 : 1;
}
