// Loader rate: images/s delivered by data::Loader from a synthetic prepared dataset (400 SAX
// samples of 20 subjects, each subject with a 2CH and a 4CH plane), augmentation on (rotation,
// zoom, intensity), heatmaps (2 channels) + location, batch 16, for 96 and 128 px and 1 and 2
// workers. The consumer only takes the batches, so this is the loader's ceiling; training needs
// it >= 3x the training step's rate (about 45 images/s at base 8 / 96 px and 7 images/s at
// base 16 / 128 px on the reference CPU machine).
//   loader_bench [--min-seconds S] [--json] [--dir FOLDER]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "data/loader.h"
#include "data/prepared_dataset.h"
#include "phantom/planning.h"

namespace data = planelab::data;
namespace geometry = planelab::geometry;
namespace fs = std::filesystem;

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double cpuNow() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

// A size x size plane at `spacing` mm whose centre pixel lies at `centre`.
geometry::ImagePlane gridPlane(const geometry::Vec3& centre, const geometry::Vec3& row_dir,
                               const geometry::Vec3& col_dir, int size, double spacing) {
  return planelab::phantom::planeCentredAt(centre, geometry::normalized(row_dir),
                                           geometry::normalized(col_dir),
                                           {size, size, spacing, spacing});
}

// 20 subjects x 10 SAX slices x 2 phases = 400 samples; slice spacing 8 mm.
void writeDataset(const fs::path& folder, int size) {
  data::PreprocessingPlan plan;
  plan.grid = {1.26 * 128.0 / size, size};  // same field of view at both sizes
  plan.heatmap.sigma_px = 6.0 * size / 224.0;
  data::DatasetWriter writer(folder.string(), plan, true);
  const auto pixels = static_cast<std::size_t>(size) * size;
  std::vector<float> image(pixels);
  for (int s = 0; s < 20; ++s) {
    data::Subject subject;
    subject.id = "B" + std::to_string(s);
    subject.class_label = s % 2 == 0 ? "normal" : "dcm";
    const geometry::Vec3 heart{2.0 * s, -1.0 * s, 0.0};
    const double a2 = (60.0 + s) * geometry::kPi / 180.0;
    const double a4 = (-30.0 + s) * geometry::kPi / 180.0;
    subject.planes.push_back({gridPlane(heart, {std::cos(a2), std::sin(a2), 0.0}, {0, 0, -1}, size,
                                        plan.grid.spacing_mm),
                              "2ch", -1, -1});
    subject.planes.push_back({gridPlane(heart, {std::cos(a4), std::sin(a4), 0.0}, {0, 0, -1}, size,
                                        plan.grid.spacing_mm),
                              "4ch", -1, -1});
    for (int k = 0; k < 10; ++k) {
      subject.planes.push_back({gridPlane(heart + geometry::Vec3{0, 0, 8.0 * k - 36.0}, {1, 0, 0},
                                          {0, 1, 0}, size, plan.grid.spacing_mm),
                                "sax", 0, k});
    }
    const int index = writer.addSubject(subject);
    for (int k = 0; k < 10; ++k) {
      for (int phase = 0; phase < 2; ++phase) {
        for (std::size_t p = 0; p < pixels; ++p) {
          image[p] = static_cast<float>(std::sin(0.05 * static_cast<double>(p % size) + k) *
                                        std::cos(0.03 * static_cast<double>(p / size) + phase));
        }
        data::Sample sample;
        sample.subject = index;
        sample.plane = 2 + k;
        sample.phase = phase;
        sample.phase_count = 2;
        sample.slice_count = 10;
        sample.relative_location = k / 9.0;
        writer.addSample(sample, image, {});
      }
    }
  }
  writer.finish();
}

struct Result {
  int size = 0;
  int workers = 0;
  double images_per_s = 0.0;
  double cpu_s_per_image = 0.0;
  long images = 0;
  double seconds = 0.0;
  double step_images_per_s = 0.0;  // the training step's rate at this size (reference)
};

Result run(const std::shared_ptr<const data::PreparedDataset>& ds, int workers,
           double min_seconds) {
  data::LoaderOptions o;
  o.batch_size = 16;
  o.workers = workers;
  o.prefetch = 4;
  o.seed = 1;
  o.augment.enabled = true;  // rotation 15 deg, zoom 0.9-1.1, intensity scale/shift
  o.content.heatmaps = true;
  o.content.location = true;
  std::vector<std::int64_t> samples(static_cast<std::size_t>(ds->sampleCount()));
  for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = static_cast<std::int64_t>(i);
  data::Loader loader(ds, samples, o);
  Result r;
  r.size = ds->size();
  r.workers = workers;
  double checksum = 0.0;
  const double t0 = now();
  const double c0 = cpuNow();
  for (int epoch = 0; now() - t0 < min_seconds; ++epoch) {
    loader.startEpoch(epoch);
    while (auto batch = loader.next()) {
      r.images += batch->images.size(0);
      checksum += static_cast<double>(batch->images.data_ptr<float>()[0]);
    }
  }
  r.seconds = now() - t0;
  r.images_per_s = static_cast<double>(r.images) / r.seconds;
  r.cpu_s_per_image = (cpuNow() - c0) / static_cast<double>(r.images);
  if (std::isnan(checksum)) std::printf("(checksum NaN)\n");
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  double min_seconds = 3.0;
  bool json = false;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--min-seconds") == 0 && i + 1 < argc) {
      min_seconds = std::atof(argv[++i]);
    } else if (std::strcmp(argv[i], "--json") == 0) {
      json = true;
    } else if (std::strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
      dir = argv[++i];
    } else {
      std::fprintf(stderr, "usage: loader_bench [--min-seconds S] [--json] [--dir FOLDER]\n");
      return 2;
    }
  }
  torch::set_num_threads(1);
  const fs::path root =
      dir.empty() ? fs::temp_directory_path() / "planelab-loader-bench" : fs::path(dir);
  std::vector<Result> results;
  for (const auto& [size, step_rate] : {std::pair<int, double>{96, 45.0}, {128, 7.0}}) {
    const fs::path folder = root / ("s" + std::to_string(size));
    writeDataset(folder, size);
    const auto ds = data::PreparedDataset::open(folder.string());
    for (const int workers : {1, 2}) {
      Result r = run(ds, workers, min_seconds);
      r.step_images_per_s = step_rate;
      results.push_back(r);
    }
  }
  if (dir.empty()) fs::remove_all(root);
  if (json) {
    std::printf("{\"bench\": \"loader\", \"batch\": 16, \"samples\": 400, \"results\": [");
    for (std::size_t i = 0; i < results.size(); ++i) {
      const Result& r = results[i];
      std::printf(
          "%s{\"size\": %d, \"workers\": %d, \"images_per_s\": %.1f, \"cpu_ms_per_image\": %.3f, "
          "\"images\": %ld, \"seconds\": %.2f, \"step_images_per_s\": %.1f, \"ratio_to_step\": "
          "%.1f}",
          i == 0 ? "" : ", ", r.size, r.workers, r.images_per_s, 1e3 * r.cpu_s_per_image, r.images,
          r.seconds, r.step_images_per_s, r.images_per_s / r.step_images_per_s);
    }
    std::printf("]}\n");
  } else {
    std::printf("loader: batch 16, augmentation on, heatmaps (2) + location, 400 samples\n");
    for (const Result& r : results) {
      std::printf(
          "  %3d px, %d worker(s): %8.1f images/s (%.3f ms CPU/image), %.1fx the training "
          "step (%.0f images/s)\n",
          r.size, r.workers, r.images_per_s, 1e3 * r.cpu_s_per_image,
          r.images_per_s / r.step_images_per_s, r.step_images_per_s);
    }
  }
  return 0;
}
