#include "dicom/deterministic_uid.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "test_study.h"

namespace planelab::dicom {
namespace {

TEST(DeterministicUid, FormatAndLength) {
  const std::regex pattern("^2\\.25\\.[1-9][0-9]*$");
  for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, ~0ULL}) {
    for (const std::string path : {"", "heart/0/study", "knee/12/series/3/slice/1/phase/0"}) {
      const std::string uid = deterministicUid(seed, path);
      EXPECT_TRUE(std::regex_match(uid, pattern)) << uid;
      EXPECT_LE(uid.size(), 64u) << uid;
      EXPECT_GT(uid.size(), 20u) << uid;  // a 122-bit number has at least ~36 digits usually
    }
  }
}

TEST(DeterministicUid, Deterministic) {
  EXPECT_EQ(deterministicUid(7, "heart/3/study"), deterministicUid(7, "heart/3/study"));
  const phantom::PhantomStudy a = testing::makeTestStudy();
  const phantom::PhantomStudy b = testing::makeTestStudy();
  EXPECT_EQ(studyInstanceUid(a), studyInstanceUid(b));
  EXPECT_EQ(imageSopInstanceUid(a, 0, 1, 2), imageSopInstanceUid(b, 0, 1, 2));
}

TEST(DeterministicUid, DistinctForSeedsAndPaths) {
  std::set<std::string> uids;
  int count = 0;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    for (int subject = 0; subject < 10; ++subject) {
      for (int k = 0; k < 50; ++k) {
        uids.insert(deterministicUid(seed, "heart/" + std::to_string(subject) + "/series/0/slice/" +
                                               std::to_string(k) + "/phase/0"));
        ++count;
      }
    }
  }
  EXPECT_EQ(uids.size(), static_cast<std::size_t>(count));
  // Paths that differ only in length / trailing bytes.
  EXPECT_NE(deterministicUid(1, "a"), deterministicUid(1, std::string("a\0", 2)));
  EXPECT_NE(deterministicUid(1, "heart/1/study"), deterministicUid(1, "heart/11/study"));
  EXPECT_NE(deterministicUid(1, "abcdefgh"), deterministicUid(1, "abcdefgh "));
}

TEST(DeterministicUid, EntityHelpersAreDistinct) {
  const phantom::PhantomStudy study = testing::makeTestStudy();
  std::set<std::string> uids = {studyInstanceUid(study),
                                frameOfReferenceUid(study),
                                seriesInstanceUid(study, 0),
                                seriesInstanceUid(study, 1),
                                segmentationSeriesUid(study, 0),
                                segmentationSopInstanceUid(study, 0, 1),
                                segmentationSopInstanceUid(study, 0, 2),
                                segmentationDimensionOrganizationUid(study, 0)};
  for (int slice = 0; slice < 2; ++slice) {
    for (int phase = 0; phase < 3; ++phase)
      uids.insert(imageSopInstanceUid(study, 0, slice, phase));
  }
  EXPECT_EQ(uids.size(), 14u);
  phantom::PhantomStudy other = study;
  other.subject_index = 8;
  EXPECT_NE(studyInstanceUid(study), studyInstanceUid(other));
  other = study;
  other.seed = 1235;
  EXPECT_NE(studyInstanceUid(study), studyInstanceUid(other));
  other = study;
  other.organ = phantom::Organ::kKnee;
  EXPECT_NE(studyInstanceUid(study), studyInstanceUid(other));
}

}  // namespace
}  // namespace planelab::dicom
