// readSegmentationFrame / SegmentationCache: SEGs written by segmentation_writer read back bit for
// bit (hand-made and generated phantom labels, a matrix whose frames do not start on a byte),
// error keys, and concurrent reads through one cache.
#include "dicom/seg_reader.h"

#include <gtest/gtest.h>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "dicom/mr_image_writer.h"
#include "dicom/segmentation_writer.h"
#include "phantom/render.h"
#include "test_study.h"

namespace planelab::dicom {
namespace {

std::vector<std::uint8_t> pattern(const geometry::ImagePlane& plane, int slice, int phase,
                                  int labels) {
  std::vector<std::uint8_t> out;
  for (int i = 0; i < plane.rows; ++i) {
    for (int j = 0; j < plane.cols; ++j) {
      out.push_back(static_cast<std::uint8_t>((i / 3 + j / 5 + slice * 2 + phase) % labels));
    }
  }
  return out;
}

// The SEG's frame order (segmentation_writer): label-major, then slice, then phase.
struct Expected {
  int label = 0;
  const LabelledImage* image = nullptr;
};
std::vector<Expected> frameOrder(std::vector<LabelledImage>& images, int labels) {
  std::sort(images.begin(), images.end(), [](const LabelledImage& a, const LabelledImage& b) {
    return a.slice != b.slice ? a.slice < b.slice : a.phase < b.phase;
  });
  std::vector<Expected> out;
  for (int label = 1; label < labels; ++label) {
    for (const LabelledImage& image : images) out.push_back({label, &image});
  }
  return out;
}

void expectRoundTrip(const std::filesystem::path& file, std::vector<LabelledImage> images,
                     int labels, int rows, int cols) {
  const std::vector<Expected> frames = frameOrder(images, labels);
  SegmentationCache cache;
  for (std::size_t f = 0; f < frames.size(); ++f) {
    std::string key = "stale", message = "stale";
    const auto direct = readSegmentationFrame(file, static_cast<int>(f) + 1, &key, &message);
    ASSERT_TRUE(direct) << key << ": " << message;
    EXPECT_TRUE(key.empty());
    EXPECT_TRUE(message.empty());
    const auto cached = cache.readFrame(file, static_cast<int>(f) + 1, &key, &message);
    ASSERT_TRUE(cached) << key << ": " << message;
    ASSERT_EQ(direct->rows, rows);
    ASSERT_EQ(direct->cols, cols);
    std::vector<std::uint8_t> want(direct->mask.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      want[i] = frames[f].image->labels[i] == frames[f].label ? 1 : 0;
    }
    EXPECT_EQ(direct->mask, want) << "frame " << f + 1;
    EXPECT_EQ(cached->mask, want) << "frame " << f + 1;
  }
  std::string key;
  EXPECT_FALSE(cache.readFrame(file, static_cast<int>(frames.size()) + 1, &key, nullptr));
  EXPECT_EQ(key, "frame_out_of_range");
  EXPECT_FALSE(readSegmentationFrame(file, 0, &key, nullptr));
  EXPECT_EQ(key, "frame_out_of_range");
}

class SegReaderTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::freshTempDir("seg_reader"); }
  std::filesystem::path dir_;
};

TEST_F(SegReaderTest, HandMadeLabelsRoundTrip) {
  const phantom::PhantomStudy study = testing::makeTestStudy();
  const int labels = static_cast<int>(study.label_names.size());
  std::vector<LabelledImage> images;
  for (const auto& [slice, phase] : std::vector<std::pair<int, int>>{{1, 2}, {0, 0}, {1, 0}}) {
    images.push_back(
        {slice, phase, pattern(study.series[0].slices[slice].plane, slice, phase, labels)});
  }
  const auto file = dir_ / "seg.dcm";
  ASSERT_TRUE(writeSegmentation(study, 0, images, file).ok());
  expectRoundTrip(file, images, labels, 24, 32);
}

TEST_F(SegReaderTest, FramesThatDoNotStartOnAByte) {
  phantom::PhantomStudy study = testing::makeTestStudy();
  for (phantom::SlicePlan& slice : study.series[0].slices) {
    slice.plane.rows = 13;  // 13 x 11 = 143 bits per frame
    slice.plane.cols = 11;
  }
  const int labels = static_cast<int>(study.label_names.size());
  std::vector<LabelledImage> images;
  for (int slice = 0; slice < 2; ++slice) {
    for (int phase = 0; phase < 3; ++phase) {
      images.push_back(
          {slice, phase, pattern(study.series[0].slices[slice].plane, slice, phase, labels)});
    }
  }
  const auto file = dir_ / "odd.dcm";
  ASSERT_TRUE(writeSegmentation(study, 0, images, file).ok());
  // DCMTK 3.6.7 alone would pack such frames one byte too early (each frame after the first
  // overwriting the previous one's last byte); the writer packs them back to back itself.
  expectRoundTrip(file, images, labels, 13, 11);
}

TEST_F(SegReaderTest, GeneratedPhantomLabelsRoundTrip) {
  phantom::StudyOptions options;
  options.phases = 4;
  const phantom::PhantomStudy study = phantom::generateStudy(3, 0, options);
  int series = -1;
  for (std::size_t s = 0; s < study.series.size() && series < 0; ++s) {
    if (study.series[s].labelled) series = static_cast<int>(s);
  }
  ASSERT_GE(series, 0);
  const phantom::SeriesPlan& plan = study.series[static_cast<std::size_t>(series)];
  phantom::RenderSettings settings = phantom::RenderSettings::fast();
  std::vector<LabelledImage> images;
  const int slices = std::min<int>(3, static_cast<int>(plan.slices.size()));
  for (int slice = 0; slice < slices; ++slice) {
    for (const int phase : {study.cardiac_truth->ed_phase, study.cardiac_truth->es_phase}) {
      const phantom::RenderedImage r = phantom::renderImage(study, series, slice, phase, settings);
      images.push_back({slice, phase, r.labels});
    }
  }
  const auto file = dir_ / "phantom.dcm";
  ASSERT_TRUE(writeSegmentation(study, series, images, file).ok());
  const geometry::ImagePlane& plane = plan.slices[0].plane;
  expectRoundTrip(file, images, static_cast<int>(study.label_names.size()), plane.rows, plane.cols);
}

TEST_F(SegReaderTest, ErrorKeys) {
  std::string key, message;
  EXPECT_FALSE(readSegmentationFrame(dir_ / "absent.dcm", 1, &key, &message));
  EXPECT_EQ(key, "cannot_read_file");
  EXPECT_FALSE(message.empty());
  { std::ofstream(dir_ / "text.dcm") << "not a DICOM file at all"; }
  EXPECT_FALSE(readSegmentationFrame(dir_ / "text.dcm", 1, &key, &message));
  EXPECT_TRUE(key == "cannot_read_file" || key == "not_a_segmentation") << key;
  // An MR image is not a SEG.
  const phantom::PhantomStudy study = testing::makeTestStudy();
  phantom::RenderedImage image;
  image.rows = 24;
  image.cols = 32;
  image.pixels.assign(24 * 32, 7);
  ASSERT_TRUE(writeMrImage(study, 0, 0, 0, image, dir_ / "mr.dcm").ok());
  SegmentationCache cache(1);
  EXPECT_FALSE(cache.readFrame(dir_ / "mr.dcm", 1, &key, &message));
  EXPECT_EQ(key, "not_a_segmentation");
  EXPECT_FALSE(cache.readFrame(dir_ / "mr.dcm", 1, &key, &message));  // cached failure
  EXPECT_EQ(key, "not_a_segmentation");
}

TEST_F(SegReaderTest, ConcurrentReadsThroughOneCacheAgree) {
  const phantom::PhantomStudy study = testing::makeTestStudy();
  const int labels = static_cast<int>(study.label_names.size());
  std::vector<std::filesystem::path> files;
  std::vector<LabelledImage> images;
  for (int slice = 0; slice < 2; ++slice) {
    for (int phase = 0; phase < 3; ++phase) {
      images.push_back(
          {slice, phase, pattern(study.series[0].slices[slice].plane, slice, phase, labels)});
    }
  }
  for (int k = 0; k < 3; ++k) {
    files.push_back(dir_ / ("seg" + std::to_string(k) + ".dcm"));
    ASSERT_TRUE(writeSegmentation(study, 0, images, files.back()).ok());
  }
  const int frames = (labels - 1) * 6;
  std::vector<std::vector<std::uint8_t>> want;
  for (int f = 1; f <= frames; ++f)
    want.push_back(readSegmentationFrame(files[0], f, nullptr, nullptr)->mask);
  SegmentationCache cache(2);  // smaller than the files read: entries are evicted while in use
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        const auto& file = files[static_cast<std::size_t>((t + round) % 3)];
        const int f = 1 + (t * 7 + round * 5) % frames;
        const auto frame = cache.readFrame(file, f, nullptr, nullptr);
        if (!frame || frame->mask != want[static_cast<std::size_t>(f - 1)]) ++mismatches;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace planelab::dicom
