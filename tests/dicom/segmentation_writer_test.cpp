#include "dicom/segmentation_writer.h"

#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <map>
#include <set>
#include <tuple>

#include "dcmtk_read.h"
#include "dicom/deterministic_uid.h"
#include "dicom/seg_reader.h"
#include "test_study.h"

namespace planelab::dicom {
namespace {

using testing::doubles;
using testing::str;

// Label map with every label present and a slice/phase-dependent pattern.
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

DcmItem* item(DcmItem& parent, const DcmTagKey& seq, unsigned long index = 0) {
  DcmItem* result = nullptr;
  parent.findAndGetSequenceItem(seq, result, static_cast<signed long>(index));
  return result;
}

class SegmentationWriterTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::freshTempDir("segmentation_writer"); }
  std::filesystem::path dir_;
};

TEST_F(SegmentationWriterTest, FramesReferencesAndMasksRoundTrip) {
  const phantom::PhantomStudy study = testing::makeTestStudy();
  const phantom::SeriesPlan& series = study.series[0];
  const int labels = static_cast<int>(study.label_names.size());
  // ED + ES of both slices, given out of order.
  std::vector<LabelledImage> images;
  for (const auto& [slice, phase] :
       std::vector<std::pair<int, int>>{{1, 2}, {0, 0}, {1, 0}, {0, 2}}) {
    images.push_back({slice, phase, pattern(series.slices[slice].plane, slice, phase, labels)});
  }
  const std::filesystem::path file = dir_ / "seg.dcm";
  const SegmentationWriteResult result = writeSegmentation(study, 0, images, file);
  ASSERT_TRUE(result.ok()) << result.status.error_key << ": " << result.status.message;
  ASSERT_EQ(result.files.size(), 1u);
  EXPECT_EQ(result.files[0], file);
  EXPECT_EQ(result.frames, 3 * 4);
  EXPECT_EQ(result.sop_instance_uids.at(0), segmentationSopInstanceUid(study, 0, 1));

  auto ff = testing::load(file);
  ASSERT_TRUE(ff);
  DcmDataset& ds = *ff->getDataset();
  EXPECT_EQ(str(ds, DCM_SOPClassUID), UID_SegmentationStorage);
  EXPECT_EQ(str(ds, DCM_Modality), "SEG");
  EXPECT_EQ(str(ds, DCM_StudyInstanceUID), studyInstanceUid(study));
  EXPECT_EQ(str(ds, DCM_FrameOfReferenceUID), frameOfReferenceUid(study));
  EXPECT_EQ(str(ds, DCM_SeriesInstanceUID), segmentationSeriesUid(study, 0));
  EXPECT_EQ(str(ds, DCM_SeriesNumber), "1005");
  EXPECT_EQ(str(ds, DCM_PatientID), study.patient.id);
  EXPECT_EQ(str(ds, DCM_NumberOfFrames), "12");
  EXPECT_EQ(str(ds, DCM_SegmentationType), "BINARY");

  // Segments: one per label, numbered as the label values.
  DcmSequenceOfItems* segments = nullptr;
  ASSERT_TRUE(ds.findAndGetSequence(DCM_SegmentSequence, segments).good());
  ASSERT_EQ(segments->card(), 3u);
  for (unsigned long k = 0; k < 3; ++k) {
    DcmItem* seg = segments->getItem(k);
    EXPECT_EQ(str(*seg, DCM_SegmentNumber), std::to_string(k + 1));
    EXPECT_EQ(str(*seg, DCM_SegmentLabel), study.label_names[k + 1]);
  }

  // Shared pixel measures and orientation.
  DcmItem* shared = item(ds, DCM_SharedFunctionalGroupsSequence);
  ASSERT_NE(shared, nullptr);
  DcmItem* measures = item(*shared, DCM_PixelMeasuresSequence);
  ASSERT_NE(measures, nullptr);
  EXPECT_EQ(str(*measures, DCM_PixelSpacing), "2.5\\2");
  EXPECT_EQ(str(*measures, DCM_SliceThickness), "8");
  ASSERT_NE(item(*shared, DCM_PlaneOrientationSequence), nullptr);

  // Referenced series: the image series and its 4 images.
  DcmItem* ref_series = item(ds, DCM_ReferencedSeriesSequence);
  ASSERT_NE(ref_series, nullptr);
  EXPECT_EQ(str(*ref_series, DCM_SeriesInstanceUID), seriesInstanceUid(study, 0));
  DcmSequenceOfItems* ref_instances = nullptr;
  ASSERT_TRUE(ref_series->findAndGetSequence(DCM_ReferencedInstanceSequence, ref_instances).good());
  EXPECT_EQ(ref_instances->card(), 4u);

  // Per frame: segment number, source image, plane position; then the packed mask.
  Uint16 rows = 0;
  Uint16 cols = 0;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, cols);
  ASSERT_EQ(rows, 24);
  ASSERT_EQ(cols, 32);
  const Uint8* bits = nullptr;
  unsigned long byte_count = 0;
  ASSERT_TRUE(ds.findAndGetUint8Array(DCM_PixelData, bits, &byte_count).good());
  const std::size_t per_frame = static_cast<std::size_t>(rows) * cols;
  ASSERT_GE(byte_count * 8, per_frame * 12);

  std::map<std::string, std::pair<int, int>> uid_to_image;
  for (const LabelledImage& image : images) {
    uid_to_image[imageSopInstanceUid(study, 0, image.slice, image.phase)] = {image.slice,
                                                                             image.phase};
  }
  std::set<std::tuple<int, int, int>> seen;
  DcmSequenceOfItems* per_frame_seq = nullptr;
  ASSERT_TRUE(ds.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, per_frame_seq).good());
  ASSERT_EQ(per_frame_seq->card(), 12u);
  for (unsigned long f = 0; f < 12; ++f) {
    DcmItem* frame = per_frame_seq->getItem(f);
    const int segment = std::stoi(
        str(*item(*frame, DCM_SegmentIdentificationSequence), DCM_ReferencedSegmentNumber));
    DcmItem* derivation = item(*frame, DCM_DerivationImageSequence);
    ASSERT_NE(derivation, nullptr);
    DcmItem* source = item(*derivation, DCM_SourceImageSequence);
    ASSERT_NE(source, nullptr);
    EXPECT_EQ(str(*source, DCM_ReferencedSOPClassUID), UID_MRImageStorage);
    const std::string uid = str(*source, DCM_ReferencedSOPInstanceUID);
    ASSERT_EQ(uid_to_image.count(uid), 1u) << uid;
    const auto [slice, phase] = uid_to_image[uid];
    EXPECT_TRUE(seen.insert({segment, slice, phase}).second);
    const geometry::ImagePlane& plane = series.slices[slice].plane;
    const std::vector<double> ipp =
        doubles(*item(*frame, DCM_PlanePositionSequence), DCM_ImagePositionPatient);
    ASSERT_EQ(ipp.size(), 3u);
    EXPECT_NEAR(ipp[0], plane.position_mm.x, 1e-6);
    EXPECT_NEAR(ipp[1], plane.position_mm.y, 1e-6);
    EXPECT_NEAR(ipp[2], plane.position_mm.z, 1e-6);
    DcmItem* content = item(*frame, DCM_FrameContentSequence);
    ASSERT_NE(content, nullptr);
    EXPECT_EQ(str(*content, DCM_TemporalPositionIndex), std::to_string(phase + 1));

    const std::vector<std::uint8_t> expected = pattern(plane, slice, phase, labels);
    int set_pixels = 0;
    for (std::size_t k = 0; k < per_frame; ++k) {
      const std::size_t bit = f * per_frame + k;
      const bool on = ((bits[bit / 8] >> (bit % 8)) & 1) != 0;
      ASSERT_EQ(on, expected[k] == segment) << "frame " << f << " pixel " << k;
      set_pixels += on ? 1 : 0;
    }
    EXPECT_GT(set_pixels, 0);
  }
  EXPECT_EQ(seen.size(), 12u);
}

TEST_F(SegmentationWriterTest, DifferentMatrixSizesGoToSeparateInstances) {
  phantom::PhantomStudy study = testing::makeTestStudy();
  study.series[0].slices[1].plane.rows = 20;  // the "different matrix" quirk inside one series
  const int labels = static_cast<int>(study.label_names.size());
  std::vector<LabelledImage> images;
  for (int slice = 0; slice < 2; ++slice) {
    images.push_back({slice, 0, pattern(study.series[0].slices[slice].plane, slice, 0, labels)});
  }
  const SegmentationWriteResult result = writeSegmentation(study, 0, images, dir_ / "seg.dcm");
  ASSERT_TRUE(result.ok()) << result.status.message;
  ASSERT_EQ(result.files.size(), 2u);
  EXPECT_EQ(result.files[1].filename(), "seg-2.dcm");
  EXPECT_NE(result.sop_instance_uids[0], result.sop_instance_uids[1]);
  auto second = testing::load(result.files[1]);
  ASSERT_TRUE(second);
  EXPECT_EQ(str(*second->getDataset(), DCM_Rows), "20");
  EXPECT_EQ(str(*second->getDataset(), DCM_SeriesInstanceUID), segmentationSeriesUid(study, 0));
}

TEST_F(SegmentationWriterTest, NonUniformPlanesUsePerFrameGroups) {
  phantom::PhantomStudy study = testing::makeTestStudy();
  geometry::ImagePlane& plane = study.series[0].slices[1].plane;
  const geometry::Vec3 n = plane.normal();
  plane.row_dir = geometry::rotateAbout(plane.row_dir, n, 0.3);  // in-plane rotation
  plane.col_dir = geometry::rotateAbout(plane.col_dir, n, 0.3);
  plane.row_spacing_mm = 1.9;
  const int labels = static_cast<int>(study.label_names.size());
  std::vector<LabelledImage> images;
  for (int slice = 0; slice < 2; ++slice) {
    images.push_back({slice, 1, pattern(study.series[0].slices[slice].plane, slice, 1, labels)});
  }
  const SegmentationWriteResult result = writeSegmentation(study, 0, images, dir_ / "seg.dcm");
  ASSERT_TRUE(result.ok()) << result.status.message;
  auto ff = testing::load(dir_ / "seg.dcm");
  ASSERT_TRUE(ff);
  DcmDataset& ds = *ff->getDataset();
  DcmItem* shared = item(ds, DCM_SharedFunctionalGroupsSequence);
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(item(*shared, DCM_PlaneOrientationSequence), nullptr);
  EXPECT_EQ(item(*shared, DCM_PixelMeasuresSequence), nullptr);
  for (unsigned long f = 0; f < 6; ++f) {
    DcmItem* frame = item(ds, DCM_PerFrameFunctionalGroupsSequence, f);
    ASSERT_NE(frame, nullptr);
    DcmItem* orientation = item(*frame, DCM_PlaneOrientationSequence);
    DcmItem* measures = item(*frame, DCM_PixelMeasuresSequence);
    ASSERT_NE(orientation, nullptr);
    ASSERT_NE(measures, nullptr);
    const int slice = static_cast<int>(f % 2);  // frames: segment-major, then slice
    const geometry::ImagePlane& p = study.series[0].slices[slice].plane;
    EXPECT_NEAR(doubles(*orientation, DCM_ImageOrientationPatient).at(0), p.row_dir.x, 1e-6);
    EXPECT_NEAR(doubles(*measures, DCM_PixelSpacing).at(0), p.row_spacing_mm, 1e-9);
  }
}

TEST_F(SegmentationWriterTest, RejectsBadInput) {
  const phantom::PhantomStudy study = testing::makeTestStudy();
  EXPECT_EQ(writeSegmentation(study, 0, {}, dir_ / "x.dcm").status.error_key, "invalid_argument");
  std::vector<LabelledImage> wrong = {{0, 0, std::vector<std::uint8_t>(5, 1)}};
  EXPECT_EQ(writeSegmentation(study, 0, wrong, dir_ / "x.dcm").status.error_key,
            "invalid_argument");
}

// Derived SEGs (predictions, imported label volumes): sources from two series, hierarchy copied
// from a reference file, deterministic UIDs, frames that do not start on a byte.
TEST_F(SegmentationWriterTest, DerivedSegmentationReferencesItsSources) {
  phantom::PhantomStudy study = testing::makeTestStudy();
  for (auto& series : study.series)
    for (auto& slice : series.slices) {
      slice.plane.rows = 13;  // 143 bits per frame
      slice.plane.cols = 11;
    }
  const int labels = static_cast<int>(study.label_names.size());
  // Any file of the study carries its patient, study and frame of reference: the ground truth.
  const auto reference = dir_ / "truth.dcm";
  ASSERT_TRUE(writeSegmentation(study, 0,
                                {{0, 0, pattern(study.series[0].slices[0].plane, 0, 0, labels)}},
                                reference)
                  .ok());
  std::vector<SegmentationSourceFrame> frames;
  // Slices 0 and 1 of the short-axis series and the localizer's one slice.
  for (const auto& [s, slice] : std::vector<std::pair<int, int>>{{0, 0}, {0, 1}, {1, 0}}) {
    SegmentationSourceFrame f;
    f.sop_class_uid = UID_MRImageStorage;
    f.sop_instance_uid = imageSopInstanceUid(study, s, slice, 0);
    f.series_instance_uid = seriesInstanceUid(study, s);
    f.plane = study.series.at(static_cast<std::size_t>(s))
                  .slices.at(static_cast<std::size_t>(slice))
                  .plane;
    f.labels = pattern(f.plane, slice + 2 * s, 1, labels);
    frames.push_back(f);
  }
  DerivedSegmentation spec;
  spec.reference_image = reference;
  spec.source_series_uid = seriesInstanceUid(study, 0);
  spec.source_series_number = 5;
  spec.series_description = "PlaneLab prediction";
  spec.label_names = study.label_names;
  spec.content_description = "Predicted by a test";
  spec.algorithm_name = "PlaneLab test model";
  spec.slice_thickness_mm = 8.0;
  const auto file = dir_ / "derived.dcm";
  const auto result = writeDerivedSegmentation(spec, frames, file);
  ASSERT_TRUE(result.ok()) << result.status.error_key << ": " << result.status.message;
  EXPECT_EQ(result.frames, 3 * (labels - 1));

  auto ff = testing::load(file);
  ASSERT_TRUE(ff);
  DcmDataset& ds = *ff->getDataset();
  EXPECT_EQ(str(ds, DCM_StudyInstanceUID), studyInstanceUid(study));
  EXPECT_EQ(str(ds, DCM_FrameOfReferenceUID), frameOfReferenceUid(study));
  EXPECT_EQ(str(ds, DCM_SeriesNumber), "1005");
  EXPECT_EQ(str(ds, DCM_ContentLabel), "PREDICTION");
  EXPECT_EQ(str(*item(ds, DCM_SegmentSequence), DCM_SegmentAlgorithmType), "AUTOMATIC");
  EXPECT_EQ(str(*item(ds, DCM_SegmentSequence), DCM_SegmentAlgorithmName), "PlaneLab test model");
  DcmSequenceOfItems* referenced = nullptr;
  ASSERT_TRUE(ds.findAndGetSequence(DCM_ReferencedSeriesSequence, referenced).good());
  ASSERT_EQ(referenced->card(), 2u);  // one item per source series, two images each
  for (unsigned long s = 0; s < 2; ++s) {
    DcmItem* series_item = referenced->getItem(s);
    EXPECT_EQ(str(*series_item, DCM_SeriesInstanceUID),
              seriesInstanceUid(study, static_cast<int>(s)));
    DcmSequenceOfItems* instances = nullptr;
    ASSERT_TRUE(series_item->findAndGetSequence(DCM_ReferencedInstanceSequence, instances).good());
    EXPECT_EQ(instances->card(), s == 0 ? 2u : 1u);
  }
  // Frames: label-major, sources in the given order; masks back to back (143 bits each).
  for (int label = 1; label < labels; ++label) {
    for (std::size_t i = 0; i < frames.size(); ++i) {
      const int number = (label - 1) * static_cast<int>(frames.size()) + static_cast<int>(i) + 1;
      std::string key, message;
      const auto frame = readSegmentationFrame(file, number, &key, &message);
      ASSERT_TRUE(frame) << key << ": " << message;
      for (std::size_t p = 0; p < frame->mask.size(); ++p) {
        ASSERT_EQ(frame->mask[p] != 0, frames[i].labels[p] == label) << "frame " << number;
      }
    }
  }
  // The same labels give the same object; other labels another one.
  const auto again = writeDerivedSegmentation(spec, frames, dir_ / "again.dcm");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.sop_instance_uids, result.sop_instance_uids);
  frames[2].labels[0] = static_cast<std::uint8_t>((frames[2].labels[0] + 1) % labels);
  const auto changed = writeDerivedSegmentation(spec, frames, dir_ / "changed.dcm");
  ASSERT_TRUE(changed.ok());
  EXPECT_NE(changed.sop_instance_uids, result.sop_instance_uids);
  // Bad input.
  frames.push_back(frames.front());
  EXPECT_EQ(writeDerivedSegmentation(spec, frames, dir_ / "x.dcm").status.error_key,
            "invalid_argument");
  frames.pop_back();
  spec.reference_image = dir_ / "missing.dcm";
  EXPECT_EQ(writeDerivedSegmentation(spec, frames, dir_ / "x.dcm").status.error_key,
            "cannot_read_reference");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.dcm"));
}

TEST(SegmentCodes, KnownConcepts) {
  EXPECT_EQ(describeSegment(phantom::Organ::kHeart, 2, "LV myocardium").type.value, "74281007");
  EXPECT_EQ(describeSegment(phantom::Organ::kHeart, 3, "LV cavity").type.value, "87878005");
  EXPECT_EQ(describeSegment(phantom::Organ::kHeart, 1, "RV cavity").type.value, "53085002");
  EXPECT_EQ(describeSegment(phantom::Organ::kKnee, 1, "femur").type.value, "71341001");
  EXPECT_EQ(describeSegment(phantom::Organ::kKnee, 3, "femoral cartilage").type.value, "309312004");
  EXPECT_EQ(describeSegment(phantom::Organ::kKnee, 7, "medial meniscus").type.value, "309312004");
  EXPECT_EQ(describeSegment(2, "LV myocardium").type.value, "74281007");  // organ unknown
  EXPECT_EQ(describeSegment(1, "tibia").type.value, "12611008");
  const SegmentDescription other = describeSegment(phantom::Organ::kKnee, 9, "something else");
  EXPECT_EQ(other.type.scheme, "99PLANELAB");
  EXPECT_EQ(other.type.meaning, "something else");
}

}  // namespace
}  // namespace planelab::dicom
