// Writes small phantom studies for the external-tool checks (dciodvfy, dcentvfy):
//   write_fixture_study <out_dir>
// -> <out_dir>/heart_dsb/..., <out_dir>/heart_ukb/..., <out_dir>/knee_dsb/...
// Fixed seed; fast render settings and coarse pixels keep it to a few seconds.
#include <cstdio>
#include <filesystem>
#include <string>

#include "dicom/study_writer.h"
#include "phantom/study.h"

namespace {

constexpr std::uint64_t kSeed = 20260101;

int writeOne(const std::filesystem::path& dir, planelab::phantom::Organ organ,
             planelab::phantom::Layout layout) {
  using namespace planelab;
  phantom::StudyOptions options;
  options.organ = organ;
  options.layout = layout;
  options.level = phantom::Level::kL2;
  options.knobs = phantom::knobsForLevel(options.level);
  options.knobs.pixel_spacing_min_mm = 4.0;  // small matrices: this checks headers, not pixels
  options.knobs.pixel_spacing_max_mm = 4.0;
  options.phases = 2;
  options.labels = phantom::StudyOptions::Labels::kEdEs;
  const phantom::PhantomStudy study = phantom::generateStudy(kSeed, 0, options);
  const dicom::StudyWriteSummary summary =
      dicom::writeStudy(study, dir, phantom::RenderSettings::fast(), options.labels, 2, {});
  if (!summary.ok()) {
    std::fprintf(stderr, "%s: %s: %s\n", dir.string().c_str(), summary.status.error_key.c_str(),
                 summary.status.message.c_str());
    return 1;
  }
  std::printf("%s: %d images, %d SEG files, %.1f s\n", dir.string().c_str(), summary.images_written,
              summary.seg_files, summary.seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <out_dir>\n", argv[0]);
    return 2;
  }
  using planelab::phantom::Layout;
  using planelab::phantom::Organ;
  const std::filesystem::path out = argv[1];
  int failures = 0;
  failures += writeOne(out / "heart_dsb", Organ::kHeart, Layout::kDsb);
  failures += writeOne(out / "heart_ukb", Organ::kHeart, Layout::kUkb);
  failures += writeOne(out / "heart_quirks", Organ::kHeart, Layout::kQuirks);
  failures += writeOne(out / "knee_dsb", Organ::kKnee, Layout::kDsb);
  return failures == 0 ? 0 : 1;
}
