#include "dicom/file_discovery.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>

#include "edge_files.h"
#include "test_study.h"

namespace planelab::dicom {
namespace {

namespace fs = std::filesystem;
using testing::writeBytes;

std::vector<std::string> pathsOf(const DiscoveryResult& result) {
  std::vector<std::string> paths;
  for (const DiscoveredFile& f : result.files) paths.push_back(f.path);
  return paths;
}

std::vector<std::string> issueKeys(const DiscoveryResult& result) {
  std::vector<std::string> keys;
  for (const auto& [path, issue] : result.issues) keys.push_back(issue.key);
  return keys;
}

void writeSmallMr(const fs::path& file, const std::string& uid) {
  DcmFileFormat ff;
  testing::fillSmallMr(*ff.getDataset(), uid);
  ASSERT_TRUE(testing::save(ff, file));
}

// A DICOMDIR whose records reference `ids` (ReferencedFileID values, components separated by
// backslashes), written with DCMTK as a hand-made index would be.
void writeDicomdir(const fs::path& file, const std::vector<std::string>& ids) {
  DcmFileFormat ff;
  ff.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPClassUID,
                                       UID_MediaStorageDirectoryStorage);
  ff.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPInstanceUID,
                                       "1.2.826.0.1.3680043.10.1.900");
  DcmDataset& ds = *ff.getDataset();
  ds.putAndInsertString(DCM_FileSetID, "HANDMADE");
  for (const std::string& id : ids) {
    DcmItem* record = nullptr;
    ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_DirectoryRecordSequence, record, -2).good());
    record->putAndInsertString(DCM_DirectoryRecordType, "IMAGE");
    record->putAndInsertString(DCM_ReferencedFileID, id.c_str());
  }
  ASSERT_TRUE(ff.saveFile(file.c_str(), EXS_LittleEndianExplicit, EET_ExplicitLength, EGL_recalcGL,
                          EPD_noChange, 0, 0, EWM_dontUpdateMeta)
                  .good());
}

TEST(FileDiscovery, WalksFoldersSkipsHiddenFilesAndSortsAbsolutePaths) {
  const fs::path dir = testing::freshTempDir("discovery/walk");
  fs::create_directories(dir / "b" / "deeper");
  fs::create_directories(dir / ".git");
  fs::create_directories(dir / "a");
  writeBytes(dir / "b" / "deeper" / "IM2", "x");
  writeBytes(dir / "a" / "IM1", "xy");
  writeBytes(dir / "top.dcm", "xyz");
  writeBytes(dir / ".DS_Store", "mac");
  writeBytes(dir / "a" / "._IM1", "fork");
  writeBytes(dir / ".git" / "HEAD", "ref");
  int calls = 0;
  std::size_t last = 0;
  // The same folder twice, once spelled with "..": listed once.
  const DiscoveryResult result =
      discoverInputs({dir, dir / "a" / ".." / "b" / ".."}, {}, [&](std::size_t found) {
        ++calls;
        last = found;
        return true;
      });
  EXPECT_TRUE(result.issues.empty());
  EXPECT_FALSE(result.cancelled);
  const std::vector<std::string> expected = {(dir / "a" / "IM1").string(),
                                             (dir / "b" / "deeper" / "IM2").string(),
                                             (dir / "top.dcm").string()};
  EXPECT_EQ(pathsOf(result), expected);
  EXPECT_EQ(result.files[0].size_bytes, 2u);
  EXPECT_GT(result.files[0].mtime_ns, 0);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(last, 3u);

  DiscoveryOptions all;
  all.skip_hidden = false;
  EXPECT_EQ(discoverInputs({dir}, all, {}).files.size(), 6u);
  // An input named explicitly is never skipped, hidden or not.
  const DiscoveryResult hidden = discoverInputs({dir / ".DS_Store"}, {}, {});
  ASSERT_EQ(hidden.files.size(), 1u);
  EXPECT_EQ(hidden.files[0].path, (dir / ".DS_Store").string());
}

TEST(FileDiscovery, RelativeInputsBecomeAbsoluteAndNormal) {
  const fs::path dir = testing::freshTempDir("discovery/relative");
  writeBytes(dir / "IM1", "x");
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  const DiscoveryResult result = discoverInputs({"./IM1", "."}, {}, {});
  fs::current_path(before);
  ASSERT_EQ(pathsOf(result), std::vector<std::string>{(dir / "IM1").string()});
}

TEST(FileDiscovery, SymbolicLinkLoopsEndAndLinkedFilesAreListedOnce) {
  const fs::path dir = testing::freshTempDir("discovery/links");
  fs::create_directories(dir / "series");
  writeBytes(dir / "series" / "IM1", "x");
  fs::create_directory_symlink(dir, dir / "series" / "loop");
  fs::create_symlink(dir / "series" / "IM1", dir / "alias");
  fs::create_symlink(dir / "nowhere", dir / "dangling");
  const DiscoveryResult result = discoverInputs({dir}, {}, {});
  // "alias" and "series/IM1" are one file (same inode): the first path in order is kept.
  EXPECT_EQ(pathsOf(result), std::vector<std::string>{(dir / "alias").string()});
  ASSERT_EQ(result.issues.size(), 1u);
  EXPECT_EQ(result.issues[0].first, (dir / "dangling").string());
  EXPECT_EQ(result.issues[0].second.key, "missing_file");
}

TEST(FileDiscovery, MissingInputsAreReported) {
  const fs::path dir = testing::freshTempDir("discovery/missing");
  const DiscoveryResult result = discoverInputs({dir / "no_such_folder"}, {}, {});
  EXPECT_TRUE(result.files.empty());
  ASSERT_EQ(issueKeys(result), std::vector<std::string>{"input_not_found"});
  EXPECT_EQ(result.issues[0].first, (dir / "no_such_folder").string());
}

TEST(FileDiscovery, UnreadableFoldersAreReported) {
  if (::geteuid() == 0) GTEST_SKIP() << "root lists any folder";
  const fs::path dir = testing::freshTempDir("discovery/locked");
  fs::create_directories(dir / "locked");
  writeBytes(dir / "locked" / "IM1", "x");
  fs::permissions(dir / "locked", fs::perms::none);
  const DiscoveryResult locked = discoverInputs({dir}, {}, {});
  fs::permissions(dir / "locked", fs::perms::owner_all);
  EXPECT_EQ(issueKeys(locked), std::vector<std::string>{"unreadable"});
}

TEST(FileDiscovery, ProgressCanCancel) {
  const fs::path dir = testing::freshTempDir("discovery/cancel");
  for (int i = 0; i < 600; ++i) writeBytes(dir / ("IM" + std::to_string(i)), "x");
  std::size_t seen = 0;
  const DiscoveryResult result = discoverInputs({dir}, {}, [&](std::size_t found) {
    seen = found;
    return false;
  });
  EXPECT_TRUE(result.cancelled);
  EXPECT_EQ(seen, 256u);
  EXPECT_EQ(result.files.size(), 256u);
}

TEST(FileDiscovery, DicomdirMadeByDcmmkdirListsItsFilesNotItself) {
  const fs::path cd = testing::freshTempDir("discovery/cd");
  fs::create_directories(cd / "IMAGES");
  writeSmallMr(cd / "IMAGES" / "IM000001", "1.2.826.0.1.3680043.10.1.901");
  writeSmallMr(cd / "IMAGES" / "IM000002", "1.2.826.0.1.3680043.10.1.902");
  ASSERT_TRUE(testing::runTool("cd " + cd.string() + " && dcmmkdir +r +I IMAGES"));
  ASSERT_TRUE(fs::exists(cd / "DICOMDIR"));
  writeBytes(cd / "README.TXT", "not listed by the DICOMDIR");
  const std::vector<std::string> images = {(cd / "IMAGES" / "IM000001").string(),
                                           (cd / "IMAGES" / "IM000002").string()};
  // The DICOMDIR itself: only its references.
  const DiscoveryResult from_dicomdir = discoverInputs({cd / "DICOMDIR"}, {}, {});
  EXPECT_TRUE(from_dicomdir.issues.empty());
  EXPECT_EQ(pathsOf(from_dicomdir), images);
  // The folder: walked as usual, the DICOMDIR used but not listed, nothing twice.
  const DiscoveryResult from_folder = discoverInputs({cd}, {}, {});
  EXPECT_TRUE(from_folder.issues.empty());
  std::vector<std::string> all = images;
  all.push_back((cd / "README.TXT").string());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(pathsOf(from_folder), all);
  // Recognised by its meta header under another name too.
  fs::copy_file(cd / "DICOMDIR", cd / "index.dcm");
  EXPECT_EQ(pathsOf(discoverInputs({cd / "index.dcm"}, {}, {})), images);
}

TEST(FileDiscovery, DicomdirReferencesOutsideItsFolderOrToMissingFilesAreRefused) {
  const fs::path root = testing::freshTempDir("discovery/handmade");
  const fs::path cd = root / "cd";
  fs::create_directories(cd / "images");
  writeSmallMr(root / "SECRET", "1.2.826.0.1.3680043.10.1.910");
  writeSmallMr(cd / "images" / "im1", "1.2.826.0.1.3680043.10.1.911");
  writeDicomdir(cd / "DICOMDIR", {"IMAGES\\IM1", "..\\SECRET", "IMAGES\\..\\..\\SECRET",
                                  "IMAGES\\IM404", "/etc/passwd"});
  const DiscoveryResult result = discoverInputs({cd / "DICOMDIR"}, {}, {});
  // IMAGES\IM1 resolves to images/im1 (CD file systems are often mounted in lower case).
  EXPECT_EQ(pathsOf(result), std::vector<std::string>{(cd / "images" / "im1").string()});
  EXPECT_EQ(issueKeys(result),
            (std::vector<std::string>{"path_outside_dicomdir", "path_outside_dicomdir",
                                      "missing_file", "path_outside_dicomdir"}));
  for (const auto& [path, issue] : result.issues) {
    EXPECT_EQ(path, (cd / "DICOMDIR").string());
    EXPECT_FALSE(issue.message.empty());
  }
}

TEST(FileDiscovery, ABrokenDicomdirIsListedAsAFileForTheReaderToReport) {
  const fs::path dir = testing::freshTempDir("discovery/broken");
  writeBytes(dir / "DICOMDIR", "garbage, not DICOM");
  const DiscoveryResult result = discoverInputs({dir}, {}, {});
  EXPECT_TRUE(result.issues.empty());
  EXPECT_EQ(pathsOf(result), std::vector<std::string>{(dir / "DICOMDIR").string()});
}

}  // namespace
}  // namespace planelab::dicom
