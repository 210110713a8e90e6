// Catalog::labelFramesOfStudy: the SEG frames that label a study's images, through the resolved
// label_frames.instance link.
#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "catalog_test_support.h"

namespace planelab::catalog {
namespace {

using testing::freshTempDir;
using testing::mrImage;
using testing::multiFrameImage;
using testing::openOrFail;
using testing::segmentation;

class LabelStore : public ::testing::Test {
 protected:
  void open(const std::string& name) {
    catalog_ = openOrFail(freshTempDir(name) / "catalog.sqlite");
    Status status;
    run_ = catalog_->beginRun(R"(["/data"])", "{}", status);
    ASSERT_TRUE(status.ok()) << status.message;
  }
  void write(const std::vector<FileRecord>& files) {
    BatchCounts counts;
    const Status status = catalog_->writeBatch(run_, files, &counts);
    ASSERT_TRUE(status.ok()) << status.error_key << ": " << status.message;
  }
  std::int64_t studyId(const std::string& uid) {
    const std::vector<StudyRef> refs = catalog_->studies(uid);
    EXPECT_EQ(refs.size(), 1u);
    return refs.empty() ? 0 : refs[0].id;
  }
  std::int64_t instanceId(std::int64_t study, const std::string& sop_uid, int frame = 0) {
    for (const StudyImage& image : catalog_->studyImages(study)) {
      if (image.sop_instance_uid == sop_uid && image.frame_number == frame) {
        return image.instance_id;
      }
    }
    ADD_FAILURE() << "no image " << sop_uid;
    return 0;
  }

  std::unique_ptr<Catalog> catalog_;
  std::int64_t run_ = 0;
};

TEST_F(LabelStore, ListsEveryLinkedFrameWithItsSegmentAndFile) {
  open("labels_linked");
  // Study 1.2.1.1: three images, labelled by one SEG with two segments; the SEG also labels an
  // image that was never imported (no link: not listed). Study 1.2.2.1 has no labels.
  FileRecord seg = segmentation("/data/seg.dcm", "9.9", {});
  seg.label_set->frames = {{1, 1, "1.2.1.1.1.1", 0},
                           {2, 1, "1.2.1.1.1.2", 0},
                           {3, 2, "1.2.1.1.1.1", 0},
                           {4, 2, "1.2.1.1.1.2", 0},
                           {5, 1, "1.2.1.1.1.99", 0}};
  write({mrImage("/data/1.dcm", 1, 1, 1, 1), mrImage("/data/2.dcm", 1, 1, 1, 2),
         mrImage("/data/3.dcm", 1, 1, 1, 3), mrImage("/data/other.dcm", 2, 1, 1, 1), seg});
  const std::int64_t study = studyId("1.2.1.1");
  const std::vector<LabelFrameRef> refs = catalog_->labelFramesOfStudy(study);
  ASSERT_TRUE(catalog_->lastStatus().ok()) << catalog_->lastStatus().message;
  ASSERT_EQ(refs.size(), 4u);
  const std::int64_t first = instanceId(study, "1.2.1.1.1.1");
  const std::int64_t second = instanceId(study, "1.2.1.1.1.2");
  // Ordered by instance, then segment.
  EXPECT_EQ(refs[0].instance_id, first);
  EXPECT_EQ(refs[0].segment_number, 1);
  EXPECT_EQ(refs[0].seg_frame, 1);
  EXPECT_EQ(refs[0].segment_label, "Left ventricle");
  EXPECT_EQ(refs[1].instance_id, first);
  EXPECT_EQ(refs[1].segment_number, 2);
  EXPECT_EQ(refs[1].seg_frame, 3);
  EXPECT_EQ(refs[1].segment_label, "Right ventricle");
  EXPECT_EQ(refs[2].instance_id, second);
  EXPECT_EQ(refs[2].seg_frame, 2);
  EXPECT_EQ(refs[3].seg_frame, 4);
  for (const LabelFrameRef& r : refs) {
    EXPECT_EQ(r.seg_file, "/data/seg.dcm");
    EXPECT_FALSE(r.seg_file_missing);
    EXPECT_EQ(r.label_set_uid, "9.9");
    EXPECT_EQ(r.segmentation_type, "BINARY");
    EXPECT_EQ(r.frame_number, 0);
  }
  EXPECT_TRUE(catalog_->labelFramesOfStudy(studyId("1.2.2.1")).empty());
  EXPECT_TRUE(catalog_->labelFramesOfStudy(987654).empty());
}

TEST_F(LabelStore, FramesOfAMultiFrameImageAndAnUndescribedSegment) {
  open("labels_multiframe");
  write({multiFrameImage("/data/enhanced.dcm", 4)});
  FileRecord seg = segmentation("/data/seg.dcm", "9.9", {});
  seg.label_set->frames = {{1, 1, "1.2.1.1.50.1", 2}, {2, 7, "1.2.1.1.50.1", 4}};
  write({seg});
  const std::int64_t study = studyId("1.2.1.1");
  const std::vector<LabelFrameRef> refs = catalog_->labelFramesOfStudy(study);
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].instance_id, instanceId(study, "1.2.1.1.50.1", 2));
  EXPECT_EQ(refs[0].frame_number, 2);
  EXPECT_EQ(refs[1].frame_number, 4);
  EXPECT_EQ(refs[1].segment_number, 7);
  EXPECT_EQ(refs[1].segment_label, "");  // segment 7 is not in the Segment Sequence
}

TEST_F(LabelStore, MarksAMissingSegFile) {
  open("labels_missing");
  write(
      {mrImage("/data/1.dcm", 1, 1, 1, 1), segmentation("/data/seg.dcm", "9.9", {"1.2.1.1.1.1"})});
  ASSERT_TRUE(catalog_->markMissing(run_, {"/data/seg.dcm"}).ok());
  const std::vector<LabelFrameRef> refs = catalog_->labelFramesOfStudy(studyId("1.2.1.1"));
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_TRUE(refs[0].seg_file_missing);
}

}  // namespace
}  // namespace planelab::catalog
