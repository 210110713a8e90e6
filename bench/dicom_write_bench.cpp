// DICOM writing: (1) MR Image Storage files per second for pre-rendered images (serialisation and
// I/O only, comparable with the pydicom peer in bench/peers/pydicom_write.py), (2) wall time to
// write a whole cardiac cohort (render + write, all cores) with planelab's cohort writer.
//   dicom_write_bench OUT_DIR [--subjects N] [--phases P] [--images K]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "dicom/cohort_writer.h"
#include "dicom/mr_image_writer.h"

using namespace planelab;

namespace {
double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: dicom_write_bench OUT_DIR [--subjects N] [--phases P] [--images K]\n");
    return 2;
  }
  const std::filesystem::path out = argv[1];
  int subjects = 20, phases = 25, images = 300;
  for (int i = 2; i + 1 < argc; ++i) {
    if (!std::strcmp(argv[i], "--subjects")) subjects = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--phases")) phases = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--images")) images = std::atoi(argv[i + 1]);
  }
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out / "write_only");

  phantom::StudyOptions o;
  o.level = phantom::Level::kL2;
  o.knobs = phantom::knobsForLevel(o.level);
  o.phases = phases;

  // (1) Serialisation + I/O of pre-rendered images.
  const phantom::PhantomStudy study = phantom::generateStudy(11, 0, o);
  std::vector<phantom::RenderedImage> rendered;
  std::vector<std::pair<int, int>> where;  // (series, phase)
  for (int k = 0; k < images; ++k) {
    const int series = k % static_cast<int>(study.series.size());
    const int phase = (k / static_cast<int>(study.series.size())) % phases;
    where.emplace_back(series, phase);
    rendered.push_back(
        phantom::renderImage(study, series, 0, phase, phantom::RenderSettings::fast()));
  }
  const double t0 = now();
  std::uint64_t bytes = 0;
  for (int k = 0; k < images; ++k) {
    const auto file = out / "write_only" / ("IM-" + std::to_string(k) + ".dcm");
    const auto r = dicom::writeMrImage(study, where[static_cast<std::size_t>(k)].first, 0,
                                       where[static_cast<std::size_t>(k)].second,
                                       rendered[static_cast<std::size_t>(k)], file);
    if (!r.ok()) {
      std::fprintf(stderr, "write failed: %s\n", r.status.message.c_str());
      return 1;
    }
    bytes += r.bytes;
  }
  const double dt = now() - t0;
  std::printf("write_only_files_per_s %.1f\n", images / dt);
  std::printf("write_only_mib_per_s %.1f\n", static_cast<double>(bytes) / dt / 1048576.0);

  // (2) A whole cohort, as `planelab-cli phantom` writes it (quality rendering, all cores).
  dicom::CohortRequest request;
  request.parts.push_back({o, subjects});
  request.seed = 2026;
  request.out = out / "cohort";
  const dicom::CohortSummary s = dicom::writeCohort(request, {});
  if (!s.ok()) {
    std::fprintf(stderr, "cohort failed: %s\n", s.status.message.c_str());
    return 1;
  }
  std::printf("cohort_subjects %d\ncohort_phases %d\ncohort_images %d\ncohort_seg_files %d\n",
              subjects, phases, s.images, s.seg_files);
  std::printf("cohort_mib %.1f\ncohort_seconds %.1f\ncohort_images_per_s %.1f\n",
              static_cast<double>(s.bytes) / 1048576.0, s.seconds, s.images / s.seconds);
  return 0;
}
