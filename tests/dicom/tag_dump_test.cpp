#include "dicom/tag_dump.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "dicom/mr_image_writer.h"
#include "dicom/segmentation_writer.h"
#include "edge_files.h"
#include "test_study.h"

namespace planelab::dicom {
namespace {

namespace fs = std::filesystem;

const TagLine* findLine(const std::vector<TagLine>& lines, const std::string& tag, int depth) {
  const auto it = std::find_if(lines.begin(), lines.end(), [&](const TagLine& line) {
    return line.tag == tag && line.depth == depth;
  });
  return it == lines.end() ? nullptr : &*it;
}

class TagDumpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::freshTempDir(std::string("tag_dump/") +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  fs::path dir_;
};

TEST_F(TagDumpTest, ListsMetaHeaderAndDataSetWithUtf8ValuesAndSummarisedPixels) {
  DcmFileFormat ff;
  DcmDataset& ds = *ff.getDataset();
  testing::fillSmallMr(ds, "1.2.826.0.1.3680043.10.1.700");
  ds.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 100");
  ds.putAndInsertString(DCM_PatientName, "M\xFCller^J\xFCrgen");
  ds.putAndInsertString(DCM_ImageComments, std::string(1000, 'a').c_str());
  ASSERT_TRUE(testing::save(ff, dir_ / "mr.dcm"));
  std::string error = "unset";
  const std::vector<TagLine> lines = dumpTags(dir_ / "mr.dcm", &error);
  EXPECT_EQ(error, "");
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front().tag, "(0002,0000)");  // meta header first
  const TagLine* name = findLine(lines, "(0010,0010)", 0);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->vr, "PN");
  EXPECT_EQ(name->name, "PatientName");
  EXPECT_EQ(name->value, "M\xC3\xBCller^J\xC3\xBCrgen");
  const TagLine* ipp = findLine(lines, "(0020,0032)", 0);
  ASSERT_NE(ipp, nullptr);
  EXPECT_EQ(ipp->value, "-10.5\\20.25\\30");
  const TagLine* comments = findLine(lines, "(0020,4000)", 0);
  ASSERT_NE(comments, nullptr);
  EXPECT_LT(comments->value.size(), 300u);
  EXPECT_EQ(comments->value.substr(comments->value.size() - 3), "\xE2\x80\xA6");
  const TagLine* pixels = findLine(lines, "(7FE0,0010)", 0);
  ASSERT_NE(pixels, nullptr);
  EXPECT_EQ(pixels->value, "(pixel data, 24 bytes)");
}

TEST_F(TagDumpTest, NestsSequencesOfASegmentation) {
  const phantom::PhantomStudy study = testing::makeTestStudy();
  LabelledImage image;
  image.slice = 0;
  image.phase = 0;
  image.labels.assign(24 * 32, 1);
  ASSERT_TRUE(writeSegmentation(study, 0, {image}, dir_ / "seg.dcm").ok());
  std::string error;
  const std::vector<TagLine> lines = dumpTags(dir_ / "seg.dcm", &error);
  EXPECT_EQ(error, "");
  const auto segments = std::find_if(lines.begin(), lines.end(),
                                     [](const TagLine& line) { return line.tag == "(0062,0002)"; });
  ASSERT_NE(segments, lines.end());
  EXPECT_EQ(segments->vr, "SQ");
  EXPECT_EQ(segments->value, "(3 items)");
  const auto item = segments + 1;
  EXPECT_EQ(item->tag, "(FFFE,E000)");
  EXPECT_EQ(item->name, "Item #1");
  EXPECT_EQ(item->depth, segments->depth + 1);
  const auto first = item + 1;
  EXPECT_EQ(first->depth, segments->depth + 2);
  const TagLine* label = findLine(lines, "(0062,0005)", segments->depth + 2);
  ASSERT_NE(label, nullptr);
  EXPECT_EQ(label->value, "RV cavity");
}

TEST_F(TagDumpTest, ReportsTheReadersKeyForBadFiles) {
  testing::writeBytes(dir_ / "text.txt", "hello");
  std::string error;
  EXPECT_TRUE(dumpTags(dir_ / "text.txt", &error).empty());
  EXPECT_EQ(error, "not_dicom");
  EXPECT_TRUE(dumpTags(dir_ / "absent.dcm", &error).empty());
  EXPECT_EQ(error, "missing_file");

  DcmFileFormat ff;
  testing::fillSmallMr(*ff.getDataset(), "1.2.826.0.1.3680043.10.1.701");
  ASSERT_TRUE(testing::save(ff, dir_ / "mr.dcm"));
  const std::string bytes = testing::readBytes(dir_ / "mr.dcm");
  testing::writeBytes(dir_ / "cut.dcm", bytes.substr(0, bytes.size() / 2));
  const std::vector<TagLine> partial = dumpTags(dir_ / "cut.dcm", &error);
  EXPECT_EQ(error, "truncated");
  EXPECT_NE(findLine(partial, "(0002,0010)", 0), nullptr);  // what could be read is listed
}

}  // namespace
}  // namespace planelab::dicom
