#include "dicom/header_reader.h"

#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcsequen.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include <unistd.h>

#include "dicom/deterministic_uid.h"
#include "dicom/mr_image_writer.h"
#include "dicom/segmentation_writer.h"
#include "edge_files.h"
#include "phantom/study.h"
#include "test_study.h"

namespace planelab::dicom {
namespace {

namespace fs = std::filesystem;
using testing::readBytes;
using testing::writeBytes;

constexpr double kTolerance = 1e-6;

catalog::FileRecord read(const fs::path& file, const HeaderReadOptions& options = {}) {
  return readDicomHeader(DiscoveredFile{fs::absolute(file).string(), 0, 0}, options);
}

std::string keysOf(const catalog::FileRecord& record) {
  std::string keys;
  for (const catalog::ImportIssue& issue : record.issues) {
    keys += (keys.empty() ? "" : ",") + issue.key;
  }
  return keys;
}

bool hasKey(const catalog::FileRecord& record, const std::string& key) {
  return std::any_of(record.issues.begin(), record.issues.end(),
                     [&](const catalog::ImportIssue& i) { return i.key == key; });
}

std::string describe(const catalog::FileRecord& record) {
  std::string text = record.path + " [" + keysOf(record) + "]";
  for (const catalog::ImportIssue& issue : record.issues) {
    text += "\n  " + issue.key + ": " + issue.message + (issue.detail.empty() ? "" : " | ") +
            issue.detail;
  }
  return text;
}

// A one-line summary of everything a record holds, to compare two readings of the same data.
std::string summary(const catalog::FileRecord& r) {
  std::ostringstream out;
  out.precision(17);
  out << r.sop_class_uid << '|' << keysOf(r) << '|';
  if (r.patient) out << r.patient->patient_id << '|' << r.patient->name << '|';
  if (r.study) out << r.study->study_instance_uid << '|' << r.study->description << '|';
  if (r.series) {
    out << r.series->series_instance_uid << '|' << r.series->series_number.value_or(-1) << '|'
        << r.series->frame_of_reference_uid << '|';
  }
  for (const catalog::InstanceRecord& i : r.instances) {
    out << i.sop_instance_uid << '#' << i.frame_number << ' ' << i.rows << 'x' << i.cols;
    if (i.image_position_patient) {
      for (double v : *i.image_position_patient) out << ' ' << v;
    }
    if (i.image_orientation_patient) {
      for (double v : *i.image_orientation_patient) out << ' ' << v;
    }
    if (i.pixel_spacing) out << ' ' << (*i.pixel_spacing)[0] << ' ' << (*i.pixel_spacing)[1];
    out << ' ' << i.trigger_time_ms.value_or(-1) << ' ' << i.acquisition_time << ';';
  }
  if (r.label_set) {
    out << r.label_set->segments.size() << " segments;";
    for (const catalog::LabelFrameRecord& f : r.label_set->frames) {
      out << f.segment_number << '>' << f.referenced_sop_instance_uid << ';';
    }
  }
  return out.str();
}

void expectVec(const std::array<double, 3>& actual, const geometry::Vec3& expected) {
  EXPECT_NEAR(actual[0], expected.x, kTolerance);
  EXPECT_NEAR(actual[1], expected.y, kTolerance);
  EXPECT_NEAR(actual[2], expected.z, kTolerance);
}

fs::path dataDir(const std::string& name) {
  return testing::freshTempDir("header_reader/" + name);
}

// -----------------------------------------------------------------------------------------------
// Phantom studies: every image and SEG written by the project's writers (blank pixels: the
// headers are the point) reads back with the plan's geometry and references.

struct ImageKey {
  int series = 0;
  int slice = 0;
  int phase = 0;
};

std::map<std::string, ImageKey> writeBlankStudy(const phantom::PhantomStudy& study,
                                                const fs::path& dir) {
  std::map<std::string, ImageKey> images;
  for (std::size_t s = 0; s < study.series.size(); ++s) {
    const phantom::SeriesPlan& series = study.series[s];
    fs::create_directories(dir / series.folder);
    std::vector<LabelledImage> labelled;
    for (std::size_t k = 0; k < series.slices.size(); ++k) {
      const geometry::ImagePlane& plane = series.slices[k].plane;
      for (const int phase : series.slices[k].phases) {
        phantom::RenderedImage image;
        image.rows = plane.rows;
        image.cols = plane.cols;
        image.pixels.assign(static_cast<std::size_t>(plane.rows) * plane.cols, 100);
        image.window_center = 100;
        image.window_width = 200;
        const int si = static_cast<int>(s);
        const int ki = static_cast<int>(k);
        const ImageWriteResult written = writeMrImage(
            study, si, ki, phase, image, dir / series.folder / imageFileName(series, ki, phase));
        EXPECT_TRUE(written.ok()) << written.status.message;
        images[written.sop_instance_uid] = {si, ki, phase};
        if (series.labelled && phase == series.slices[k].phases.front()) {
          LabelledImage li;
          li.slice = ki;
          li.phase = phase;
          li.labels.resize(image.pixels.size());
          for (std::size_t p = 0; p < li.labels.size(); ++p) {
            li.labels[p] = static_cast<std::uint8_t>(p % study.label_names.size());
          }
          labelled.push_back(std::move(li));
        }
      }
    }
    if (!labelled.empty()) {
      fs::create_directories(dir / "labels" / series.folder);
      const SegmentationWriteResult seg = writeSegmentation(
          study, static_cast<int>(s), labelled, dir / "labels" / series.folder / "seg.dcm");
      EXPECT_TRUE(seg.ok()) << seg.status.message;
    }
  }
  return images;
}

class PhantomStudyTest
    : public ::testing::TestWithParam<std::tuple<phantom::Organ, phantom::Layout>> {};

TEST_P(PhantomStudyTest, ImagesAndSegsReadBackWithThePlannedGeometry) {
  const auto [organ, layout] = GetParam();
  phantom::StudyOptions options;
  options.organ = organ;
  options.layout = layout;
  options.phases = 2;
  const phantom::PhantomStudy study = phantom::generateStudy(11, 3, options);
  const std::string name = phantom::organName(organ) + "_" + phantom::layoutName(layout);
  const fs::path dir = dataDir(name);
  const std::map<std::string, ImageKey> images = writeBlankStudy(study, dir);
  ASSERT_FALSE(images.empty());

  const DiscoveryResult found = discoverInputs({dir}, {}, {});
  ASSERT_TRUE(found.issues.empty());
  int image_files = 0;
  int seg_files = 0;
  for (const DiscoveredFile& file : found.files) {
    const catalog::FileRecord record = readDicomHeader(file, {});
    ASSERT_TRUE(record.issues.empty()) << describe(record);
    ASSERT_TRUE(record.patient && record.study && record.series);
    EXPECT_EQ(record.patient->patient_id, study.patient.id);
    EXPECT_EQ(record.patient->name, study.patient.name);
    EXPECT_EQ(record.study->study_instance_uid, studyInstanceUid(study));
    EXPECT_EQ(record.series->frame_of_reference_uid, frameOfReferenceUid(study));
    EXPECT_EQ(record.transfer_syntax_uid, UID_LittleEndianExplicitTransferSyntax);
    if (record.label_set) {
      ++seg_files;
      const catalog::LabelSetRecord& set = *record.label_set;
      EXPECT_EQ(record.series->modality, "SEG");
      EXPECT_EQ(set.segmentation_type, "BINARY");
      ASSERT_EQ(set.segments.size(), study.label_names.size() - 1);
      for (std::size_t i = 0; i < set.segments.size(); ++i) {
        EXPECT_EQ(set.segments[i].number, static_cast<int>(i + 1));
        EXPECT_EQ(set.segments[i].label, study.label_names[i + 1]);
        EXPECT_FALSE(set.segments[i].type_code.empty());
      }
      ASSERT_FALSE(set.frames.empty());
      ASSERT_EQ(set.frames.size() % set.segments.size(), 0u);
      const std::size_t per_segment = set.frames.size() / set.segments.size();
      std::set<std::string> referenced;
      for (std::size_t f = 0; f < set.frames.size(); ++f) {
        const catalog::LabelFrameRecord& frame = set.frames[f];
        EXPECT_EQ(frame.frame_number, static_cast<int>(f + 1));
        // The writer orders frames by segment, then by (slice, phase).
        EXPECT_EQ(frame.segment_number, static_cast<int>(f / per_segment + 1));
        const auto it = images.find(frame.referenced_sop_instance_uid);
        ASSERT_NE(it, images.end()) << frame.referenced_sop_instance_uid;
        EXPECT_EQ(set.series_instance_uid, segmentationSeriesUid(study, it->second.series));
        referenced.insert(frame.referenced_sop_instance_uid);
      }
      EXPECT_EQ(referenced.size(), per_segment);
      continue;
    }
    ASSERT_EQ(record.instances.size(), 1u) << describe(record);
    ++image_files;
    const catalog::InstanceRecord& inst = record.instances.front();
    const auto it = images.find(inst.sop_instance_uid);
    ASSERT_NE(it, images.end());
    const ImageKey key = it->second;
    const phantom::SeriesPlan& series = study.series[static_cast<std::size_t>(key.series)];
    const geometry::ImagePlane& plane = series.slices[static_cast<std::size_t>(key.slice)].plane;
    EXPECT_EQ(record.sop_class_uid, UID_MRImageStorage);
    EXPECT_EQ(record.series->series_instance_uid, seriesInstanceUid(study, key.series));
    EXPECT_EQ(record.series->series_number, series.series_number);
    EXPECT_EQ(record.series->modality, "MR");
    EXPECT_EQ(record.series->description, series.description);
    EXPECT_EQ(inst.frame_number, 0);
    EXPECT_EQ(inst.instance_number, instanceNumber(series, key.slice, key.phase));
    EXPECT_EQ(inst.rows, plane.rows);
    EXPECT_EQ(inst.cols, plane.cols);
    ASSERT_TRUE(inst.image_position_patient && inst.image_orientation_patient &&
                inst.pixel_spacing);
    expectVec(*inst.image_position_patient, plane.position_mm);
    const std::array<double, 6>& iop = *inst.image_orientation_patient;
    expectVec({iop[0], iop[1], iop[2]}, plane.row_dir);
    expectVec({iop[3], iop[4], iop[5]}, plane.col_dir);
    EXPECT_NEAR((*inst.pixel_spacing)[0], plane.row_spacing_mm, kTolerance);
    EXPECT_NEAR((*inst.pixel_spacing)[1], plane.col_spacing_mm, kTolerance);
    ASSERT_TRUE(inst.slice_thickness_mm);
    EXPECT_NEAR(*inst.slice_thickness_mm, series.slice_thickness_mm, kTolerance);
    if (series.gated) {
      ASSERT_TRUE(inst.trigger_time_ms);
      EXPECT_NEAR(*inst.trigger_time_ms,
                  series.trigger_times_ms[static_cast<std::size_t>(key.phase)], kTolerance);
      EXPECT_EQ(inst.cardiac_number_of_images, series.phase_count);
    }
    EXPECT_FALSE(inst.acquisition_time.empty());
  }
  EXPECT_EQ(image_files, static_cast<int>(images.size()));
  EXPECT_GT(seg_files, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, PhantomStudyTest,
    ::testing::Values(std::make_tuple(phantom::Organ::kHeart, phantom::Layout::kDsb),
                      std::make_tuple(phantom::Organ::kHeart, phantom::Layout::kUkb),
                      std::make_tuple(phantom::Organ::kHeart, phantom::Layout::kQuirks),
                      std::make_tuple(phantom::Organ::kKnee, phantom::Layout::kDsb)));

// -----------------------------------------------------------------------------------------------
// The edge-case corpus of issue #3 §5.

// One MR image and its SEG from the hand-made test study, written by the project's writers into
// a folder of the test's own (CTest runs tests in parallel processes).
class EdgeCaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = dataDir(std::string("edge_") + info->name());
    const phantom::PhantomStudy study = testing::makeTestStudy();
    phantom::RenderedImage image;
    const geometry::ImagePlane& plane = study.series[0].slices[1].plane;
    image.rows = plane.rows;
    image.cols = plane.cols;
    image.pixels.assign(static_cast<std::size_t>(plane.rows) * plane.cols, 7);
    image.window_center = 50;
    image.window_width = 100;
    ASSERT_TRUE(writeMrImage(study, 0, 1, 2, image, mr()).ok());
    std::vector<LabelledImage> labelled;
    for (int slice = 0; slice < 2; ++slice) {
      for (int phase = 0; phase < 3; ++phase) {
        LabelledImage li;
        li.slice = slice;
        li.phase = phase;
        li.labels.assign(image.pixels.size(), static_cast<std::uint8_t>(phase + 1));
        labelled.push_back(li);
      }
    }
    ASSERT_TRUE(writeSegmentation(study, 0, labelled, seg()).ok());
  }
  fs::path mr() const { return dir_ / "mr.dcm"; }
  fs::path seg() const { return dir_ / "seg.dcm"; }
  fs::path path(const std::string& name) const { return dir_ / name; }

  // Offset of the Pixel Data tag in an Explicit VR Little Endian file.
  static std::size_t pixelDataOffset(const std::string& bytes) {
    const std::size_t at = bytes.rfind(std::string("\xE0\x7F\x10\x00OW", 6));
    EXPECT_NE(at, std::string::npos);
    return at;
  }

  // The expected reading of mr().
  static void expectMrGeometry(const catalog::FileRecord& record) {
    ASSERT_EQ(record.instances.size(), 1u) << describe(record);
    const phantom::PhantomStudy study = testing::makeTestStudy();
    const geometry::ImagePlane& plane = study.series[0].slices[1].plane;
    const catalog::InstanceRecord& inst = record.instances.front();
    EXPECT_EQ(inst.sop_instance_uid, imageSopInstanceUid(study, 0, 1, 2));
    ASSERT_TRUE(inst.image_position_patient && inst.image_orientation_patient);
    expectVec(*inst.image_position_patient, plane.position_mm);
    const std::array<double, 6>& iop = *inst.image_orientation_patient;
    expectVec({iop[0], iop[1], iop[2]}, plane.row_dir);
    expectVec({iop[3], iop[4], iop[5]}, plane.col_dir);
    ASSERT_TRUE(inst.pixel_spacing);
    EXPECT_NEAR((*inst.pixel_spacing)[0], plane.row_spacing_mm, kTolerance);
    ASSERT_TRUE(inst.trigger_time_ms);
    EXPECT_NEAR(*inst.trigger_time_ms, 666.666667, kTolerance);
    EXPECT_EQ(inst.rows, plane.rows);
    EXPECT_EQ(inst.cols, plane.cols);
    EXPECT_EQ(record.patient->name, "Phantom^Test");
  }

  fs::path dir_;
};

TEST_F(EdgeCaseTest, TheProjectsMrImageIsIndexedWithoutIssues) {
  const catalog::FileRecord record = read(mr());
  EXPECT_TRUE(record.issues.empty()) << describe(record);
  expectMrGeometry(record);
  EXPECT_EQ(record.size_bytes, fs::file_size(mr()));
  EXPECT_GT(record.mtime_ns, 0);
  EXPECT_TRUE(isIndexable(record));
}

TEST_F(EdgeCaseTest, TruncatedFilesAreReportedOrIndexedWhenOnlyPixelsAreCut) {
  const std::string bytes = readBytes(mr());
  const std::size_t pixels = pixelDataOffset(bytes);
  struct Cut {
    std::string name;
    std::size_t size;
    bool indexable;
  };
  const std::vector<Cut> cuts = {
      {"inside_preamble", 100, false},
      {"after_preamble", 132, false},
      {"inside_meta", 150, false},
      {"mid_dataset", pixels / 2, false},
      {"before_pixel_data", pixels, true},
      {"inside_pixel_header", pixels + 6, true},
      {"inside_pixel_data", pixels + 12 + 100, true},
  };
  for (const Cut& cut : cuts) {
    SCOPED_TRACE(cut.name);
    const fs::path file = path("cut_" + cut.name + ".dcm");
    writeBytes(file, bytes.substr(0, cut.size));
    const catalog::FileRecord record = read(file);
    EXPECT_TRUE(hasKey(record, "truncated")) << describe(record);
    EXPECT_EQ(isIndexable(record), cut.indexable) << describe(record);
    if (cut.indexable) {
      expectMrGeometry(record);
      EXPECT_EQ(record.issues.size(), 1u);
    } else {
      EXPECT_FALSE(record.patient.has_value());
      EXPECT_EQ(record.issues.size(), 1u);
    }
  }
}

TEST_F(EdgeCaseTest, NonDicomFilesAreReportedAsNotDicom) {
  std::mt19937 random(42);
  std::string noise(5000, '\0');
  for (char& c : noise) c = static_cast<char>(random() & 0xFF);
  const std::vector<std::pair<std::string, std::string>> files = {
      {"random.bin", noise},
      {"empty.dcm", ""},
      {"notes.txt", "Patient list\nname,id\nDoe^John,123\n"},
      {"short.bin", "\x08\x00"},
      {"json.dcm", "{\"organ\": \"heart\"}\n"},
  };
  for (const auto& [name, content] : files) {
    SCOPED_TRACE(name);
    writeBytes(path(name), content);
    const catalog::FileRecord record = read(path(name));
    ASSERT_EQ(keysOf(record), "not_dicom") << describe(record);
    EXPECT_FALSE(isIndexable(record));
    EXPECT_FALSE(record.patient.has_value());
    EXPECT_EQ(record.size_bytes, content.size());
  }
}

TEST_F(EdgeCaseTest, MissingAndUnreadableFilesAreReported) {
  EXPECT_EQ(keysOf(read(path("no_such_file.dcm"))), "missing_file");
  EXPECT_EQ(keysOf(read(dir_)), "unreadable");
  if (::geteuid() != 0) {  // root reads anything
    writeBytes(path("locked.dcm"), readBytes(mr()));
    fs::permissions(path("locked.dcm"), fs::perms::none);
    EXPECT_EQ(keysOf(read(path("locked.dcm"))), "unreadable");
    fs::permissions(path("locked.dcm"), fs::perms::owner_all);
  }
}

TEST_F(EdgeCaseTest, TransferSyntaxesAreReadAlike) {
  const std::string reference = summary(read(mr()));
  struct Variant {
    std::string name;
    std::string command;
    std::string uid;
  };
  const std::string in = mr().string();
  const std::vector<Variant> variants = {
      {"big_endian", "dcmconv +tb", UID_BigEndianExplicitTransferSyntax},
      {"implicit", "dcmconv +ti", UID_LittleEndianImplicitTransferSyntax},
      {"deflated", "dcmconv +td", UID_DeflatedExplicitVRLittleEndianTransferSyntax},
      {"jpeg_lossless", "dcmcjpeg +e1", UID_JPEGProcess14SV1TransferSyntax},
      {"rle", "dcmcrle", UID_RLELosslessTransferSyntax},
  };
  for (const Variant& v : variants) {
    SCOPED_TRACE(v.name);
    const fs::path out = path(v.name + ".dcm");
    ASSERT_TRUE(testing::runTool(v.command + " " + in + " " + out.string()));
    const catalog::FileRecord record = read(out);
    EXPECT_TRUE(record.issues.empty()) << describe(record);
    EXPECT_EQ(record.transfer_syntax_uid, v.uid);
    EXPECT_EQ(summary(record), reference);
  }
}

TEST_F(EdgeCaseTest, SegmentationsReadAlikeInEveryVrEncoding) {
  const catalog::FileRecord explicit_le = read(seg());
  ASSERT_TRUE(explicit_le.issues.empty()) << describe(explicit_le);
  ASSERT_TRUE(explicit_le.label_set);
  const phantom::PhantomStudy study = testing::makeTestStudy();
  const catalog::LabelSetRecord& set = *explicit_le.label_set;
  ASSERT_EQ(set.segments.size(), 3u);
  EXPECT_EQ(set.segments[1].label, "LV myocardium");
  EXPECT_EQ(set.segments[1].type_code, "SCT:74281007");
  EXPECT_EQ(set.segments[1].type_meaning, "Myocardium");
  ASSERT_EQ(set.frames.size(), 18u);  // 3 segments x 2 slices x 3 phases
  EXPECT_EQ(set.frames[7].segment_number, 2);
  EXPECT_EQ(set.frames[7].referenced_sop_instance_uid, imageSopInstanceUid(study, 0, 0, 1));
  EXPECT_EQ(set.frames[17].referenced_sop_instance_uid, imageSopInstanceUid(study, 0, 1, 2));
  EXPECT_EQ(set.frames[17].referenced_frame_number, 0);
  EXPECT_TRUE(explicit_le.instances.empty());
  const std::string in = seg().string();
  for (const std::string option : {"+ti", "+tb", "+td"}) {
    SCOPED_TRACE(option);
    const fs::path out = path("seg" + option.substr(1) + ".dcm");
    ASSERT_TRUE(testing::runTool("dcmconv " + option + " " + in + " " + out.string()));
    const catalog::FileRecord record = read(out);
    EXPECT_TRUE(record.issues.empty()) << describe(record);
    EXPECT_EQ(summary(record), summary(explicit_le));
  }
}

TEST_F(EdgeCaseTest, LongHeadersAreReadInFurtherChunksOrByDcmtk) {
  DcmFileFormat ff;
  testing::fillSmallMr(*ff.getDataset(), "1.2.826.0.1.3680043.10.1.100");
  ff.getDataset()->putAndInsertString(DcmTagKey(0x0009, 0x0010), "PLANELAB TEST");
  const std::vector<Uint8> blob(100000, 0xAB);  // beyond the first read and 64 KiB
  ff.getDataset()->putAndInsertUint8Array(DcmTagKey(0x0009, 0x1001), blob.data(),
                                          static_cast<unsigned long>(blob.size()));
  ASSERT_TRUE(testing::save(ff, path("long_header.dcm")));
  const catalog::FileRecord fast = read(path("long_header.dcm"));
  EXPECT_TRUE(fast.issues.empty()) << describe(fast);
  ASSERT_EQ(fast.instances.size(), 1u);
  EXPECT_EQ(fast.instances[0].pixel_spacing, (std::array<double, 2>{0.5, 0.75}));
  HeaderReadOptions tiny;
  tiny.initial_read_bytes = 16;
  EXPECT_EQ(summary(read(path("long_header.dcm"), tiny)), summary(fast));
  // A header beyond max_header_bytes goes to DCMTK: the same records.
  HeaderReadOptions capped;
  capped.max_header_bytes = 4096;
  EXPECT_EQ(summary(read(path("long_header.dcm"), capped)), summary(fast));
  EXPECT_EQ(summary(read(seg(), capped)), summary(read(seg())));
  EXPECT_EQ(summary(read(mr(), capped)), summary(read(mr())));
}

TEST_F(EdgeCaseTest, ADataSetWithoutPreambleIsRead) {
  DcmFileFormat ff;
  testing::fillSmallMr(*ff.getDataset(), "1.2.826.0.1.3680043.10.1.101");
  for (const E_TransferSyntax xfer :
       {EXS_LittleEndianImplicit, EXS_LittleEndianExplicit, EXS_BigEndianExplicit}) {
    SCOPED_TRACE(DcmXfer(xfer).getXferName());
    ASSERT_TRUE(ff.getDataset()->saveFile(path("raw.dcm").c_str(), xfer).good());
    const catalog::FileRecord record = read(path("raw.dcm"));
    EXPECT_TRUE(record.issues.empty()) << describe(record);
    ASSERT_EQ(record.instances.size(), 1u);
    EXPECT_EQ(record.instances[0].image_position_patient,
              (std::array<double, 3>{-10.5, 20.25, 30}));
    EXPECT_EQ(record.transfer_syntax_uid, DcmXfer(xfer).getXferID());
  }
}

TEST_F(EdgeCaseTest, AStructuredReportIsRecordedAsNoImage) {
  DcmFileFormat ff;
  DcmDataset& ds = *ff.getDataset();
  ds.putAndInsertString(DCM_SOPClassUID, UID_BasicTextSRStorage);
  ds.putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.1.200");
  ds.putAndInsertString(DCM_Modality, "SR");
  ds.putAndInsertString(DCM_PatientID, "EDGE-1");
  ds.putAndInsertString(DCM_StudyInstanceUID, "1.2.826.0.1.3680043.10.1.1");
  ds.putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.10.1.9");
  ds.putAndInsertString(DCM_ValueType, "CONTAINER");
  ASSERT_TRUE(testing::save(ff, path("report.dcm")));
  const catalog::FileRecord record = read(path("report.dcm"));
  EXPECT_EQ(keysOf(record), "no_image");
  EXPECT_EQ(record.sop_class_uid, UID_BasicTextSRStorage);
  EXPECT_NE(record.issues[0].message.find("BasicTextSRStorage"), std::string::npos);
  EXPECT_TRUE(record.instances.empty());
  ASSERT_TRUE(record.series);
  EXPECT_EQ(record.series->modality, "SR");
  EXPECT_FALSE(isIndexable(record));
}

TEST_F(EdgeCaseTest, GeometryProblemsKeepTheInstanceWithoutTheBadFields) {
  struct Case {
    std::string name;
    DcmTagKey tag;
    const char* value;  // null: delete the attribute
    std::string key;
  };
  const std::vector<Case> cases = {
      {"no_ipp", DCM_ImagePositionPatient, nullptr, "missing_geometry"},
      {"no_spacing", DCM_PixelSpacing, nullptr, "missing_geometry"},
      {"skewed_iop", DCM_ImageOrientationPatient, "1\\0\\0\\0.1\\1\\0", "invalid_geometry"},
      {"long_iop", DCM_ImageOrientationPatient, "1.01\\0\\0\\0\\1\\0", "invalid_geometry"},
      {"zero_spacing", DCM_PixelSpacing, "0\\0.75", "invalid_geometry"},
      {"nan_ipp", DCM_ImagePositionPatient, "1\\nan\\3", "invalid_geometry"},
      {"short_ipp", DCM_ImagePositionPatient, "1\\2", "invalid_geometry"},
      {"text_ipp", DCM_ImagePositionPatient, "a\\b\\c", "invalid_geometry"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    DcmFileFormat ff;
    testing::fillSmallMr(*ff.getDataset(), "1.2.826.0.1.3680043.10.1.300");
    if (c.value == nullptr) {
      ff.getDataset()->findAndDeleteElement(c.tag);
    } else {
      ff.getDataset()->putAndInsertString(c.tag, c.value);
    }
    ASSERT_TRUE(testing::save(ff, path(c.name + ".dcm")));
    const catalog::FileRecord record = read(path(c.name + ".dcm"));
    EXPECT_EQ(keysOf(record), c.key) << describe(record);
    ASSERT_EQ(record.instances.size(), 1u);
    const catalog::InstanceRecord& inst = record.instances[0];
    const bool ipp = c.tag == DCM_ImagePositionPatient;
    const bool iop = c.tag == DCM_ImageOrientationPatient;
    const bool spacing = c.tag == DCM_PixelSpacing;
    EXPECT_EQ(inst.image_position_patient.has_value(), !ipp);
    EXPECT_EQ(inst.image_orientation_patient.has_value(), !iop);
    EXPECT_EQ(inst.pixel_spacing.has_value(), !spacing);
  }
  // A tiny deviation (rounding in 6-decimal DS values) is fine.
  DcmFileFormat ff;
  testing::fillSmallMr(*ff.getDataset(), "1.2.826.0.1.3680043.10.1.301");
  ff.getDataset()->putAndInsertString(DCM_ImageOrientationPatient,
                                      "0.707107\\0.707107\\0\\-0.707107\\0.707107\\0");
  ASSERT_TRUE(testing::save(ff, path("rounded_iop.dcm")));
  EXPECT_TRUE(read(path("rounded_iop.dcm")).issues.empty());
}

TEST_F(EdgeCaseTest, MissingUidsRefuseTheImage) {
  DcmFileFormat ff;
  testing::fillSmallMr(*ff.getDataset(), "1.2.826.0.1.3680043.10.1.400");
  ff.getDataset()->findAndDeleteElement(DCM_SOPInstanceUID);
  ASSERT_TRUE(testing::save(ff, path("no_sop_uid.dcm")));
  const catalog::FileRecord record = read(path("no_sop_uid.dcm"));
  EXPECT_EQ(keysOf(record), "missing_sop_instance_uid") << describe(record);
  EXPECT_FALSE(isIndexable(record));

  DcmFileFormat no_series;
  testing::fillSmallMr(*no_series.getDataset(), "1.2.826.0.1.3680043.10.1.401");
  no_series.getDataset()->findAndDeleteElement(DCM_SeriesInstanceUID);
  ASSERT_TRUE(testing::save(no_series, path("no_series_uid.dcm")));
  EXPECT_EQ(keysOf(read(path("no_series_uid.dcm"))), "missing_uid");
}

TEST_F(EdgeCaseTest, EnhancedMrGivesOneInstancePerFrame) {
  DcmFileFormat ff;
  DcmDataset& ds = *ff.getDataset();
  testing::fillSmallMr(ds, "1.2.826.0.1.3680043.10.1.500");
  ds.putAndInsertString(DCM_SOPClassUID, UID_EnhancedMRImageStorage);
  for (const DcmTagKey& t : {DCM_ImagePositionPatient, DCM_ImageOrientationPatient,
                             DCM_PixelSpacing, DCM_SliceThickness}) {
    ds.findAndDeleteElement(t);
  }
  ds.putAndInsertString(DCM_NumberOfFrames, "3");
  ds.putAndInsertString(DCM_AcquisitionDateTime, "20260101090000");
  DcmItem* shared = nullptr;
  ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).good());
  DcmItem* item = nullptr;
  shared->findOrCreateSequenceItem(DCM_PlaneOrientationSequence, item, 0);
  item->putAndInsertString(DCM_ImageOrientationPatient, "0\\1\\0\\0\\0\\-1");
  shared->findOrCreateSequenceItem(DCM_PixelMeasuresSequence, item, 0);
  item->putAndInsertString(DCM_PixelSpacing, "1.5\\1.25");
  item->putAndInsertString(DCM_SliceThickness, "4");
  item->putAndInsertString(DCM_SpacingBetweenSlices, "5");
  shared->findOrCreateSequenceItem(DCM_CardiacSynchronizationSequence, item, 0);
  item->putAndInsertFloat64(DCM_RRIntervalTimeNominal, 900.0);
  for (int f = 0; f < 3; ++f) {
    DcmItem* frame = nullptr;
    ASSERT_TRUE(
        ds.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, -2).good());
    frame->findOrCreateSequenceItem(DCM_PlanePositionSequence, item, 0);
    item->putAndInsertString(DCM_ImagePositionPatient,
                             (std::to_string(f * 5) + "\\-20\\30.5").c_str());
    frame->findOrCreateSequenceItem(DCM_FrameContentSequence, item, 0);
    item->putAndInsertString(DCM_FrameAcquisitionDateTime,
                             ("2026010109000" + std::to_string(f) + ".5+0100").c_str());
    frame->findOrCreateSequenceItem(DCM_CardiacSynchronizationSequence, item, 0);
    item->putAndInsertFloat64(DCM_NominalCardiacTriggerDelayTime, 100.0 * f + 0.25);
    if (f == 2) {  // a per-frame orientation overrides the shared one
      frame->findOrCreateSequenceItem(DCM_PlaneOrientationSequence, item, 0);
      item->putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
    }
  }
  const std::vector<Uint16> pixels(36, 5);
  ds.putAndInsertUint16Array(DCM_PixelData, pixels.data(), 36);
  ASSERT_TRUE(testing::save(ff, path("enhanced.dcm")));
  ASSERT_TRUE(testing::runTool("dcmconv +ti " + path("enhanced.dcm").string() + " " +
                               path("enhanced_implicit.dcm").string()));
  ASSERT_TRUE(testing::runTool("dcmconv +tb " + path("enhanced.dcm").string() + " " +
                               path("enhanced_big.dcm").string()));
  std::string reference;
  for (const std::string name : {"enhanced", "enhanced_implicit", "enhanced_big"}) {
    SCOPED_TRACE(name);
    const catalog::FileRecord record = read(path(name + ".dcm"));
    EXPECT_TRUE(record.issues.empty()) << describe(record);
    ASSERT_EQ(record.instances.size(), 3u);
    for (int f = 0; f < 3; ++f) {
      const catalog::InstanceRecord& inst = record.instances[static_cast<std::size_t>(f)];
      EXPECT_EQ(inst.frame_number, f + 1);
      EXPECT_EQ(inst.sop_instance_uid, "1.2.826.0.1.3680043.10.1.500");
      EXPECT_EQ(inst.image_position_patient, (std::array<double, 3>{f * 5.0, -20.0, 30.5}));
      EXPECT_EQ(inst.image_orientation_patient, f == 2
                                                    ? (std::array<double, 6>{1, 0, 0, 0, 1, 0})
                                                    : (std::array<double, 6>{0, 1, 0, 0, 0, -1}));
      EXPECT_EQ(inst.pixel_spacing, (std::array<double, 2>{1.5, 1.25}));
      EXPECT_EQ(inst.slice_thickness_mm, 4.0);
      EXPECT_EQ(inst.spacing_between_slices_mm, 5.0);
      EXPECT_EQ(inst.trigger_time_ms, 100.0 * f + 0.25);
      EXPECT_EQ(inst.nominal_interval_ms, 900.0);
      EXPECT_EQ(inst.acquisition_time, "09000" + std::to_string(f) + ".5");
    }
    if (reference.empty()) reference = summary(record);
    EXPECT_EQ(summary(record), reference);
  }
}

TEST_F(EdgeCaseTest, TextIsConvertedToUtf8FromItsCharacterSet) {
  struct Case {
    std::string charset;
    std::string raw;
    std::string utf8;
    std::string key;
  };
  const std::vector<Case> cases = {
      {"ISO_IR 100", "M\xFCller^J\xFCrgen", "M\xC3\xBCller^J\xC3\xBCrgen", ""},
      {"ISO_IR 192",
       "\xC3\x86r\xC3\xB8sk\xC3\xB8"
       "bing^Zo\xC3\xAB",
       "\xC3\x86r\xC3\xB8sk\xC3\xB8"
       "bing^Zo\xC3\xAB",
       ""},
      {"ISO_IR 144", "\xB1\xD0^\xB2", "\xD0\x91\xD0\xB0^\xD0\x92", ""},  // Cyrillic via iconv
      {"", "Caf\xE9", "Caf\xC3\xA9", ""},  // undeclared Latin-1, as often found
      {"ISO_IR 192", "Bad\xFF", "Bad\xEF\xBF\xBD", "unsupported_character_set"},
      {"ISO_IR 999", "Odd\xE9", "Odd\xC3\xA9", "unsupported_character_set"},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.charset + " " + c.raw);
    DcmFileFormat ff;
    testing::fillSmallMr(*ff.getDataset(), "1.2.826.0.1.3680043.10.1.60" + std::to_string(n));
    if (!c.charset.empty()) {
      ff.getDataset()->putAndInsertString(DCM_SpecificCharacterSet, c.charset.c_str());
    }
    ff.getDataset()->putAndInsertString(DCM_PatientName, c.raw.c_str());
    ff.getDataset()->putAndInsertString(DCM_SeriesDescription, c.raw.c_str());
    const fs::path file = path("charset_" + std::to_string(n++) + ".dcm");
    ASSERT_TRUE(testing::save(ff, file));
    const catalog::FileRecord record = read(file);
    EXPECT_EQ(keysOf(record), c.key) << describe(record);
    ASSERT_TRUE(record.patient && record.series);
    EXPECT_EQ(record.patient->name, c.utf8);
    EXPECT_EQ(record.series->description, c.utf8);
    EXPECT_EQ(record.instances.size(), 1u);
  }
}

TEST_F(EdgeCaseTest, UnknownTransferSyntaxIsReadAsExplicitLittleWhenPossible) {
  std::string bytes = readBytes(mr());
  const std::string uid(UID_LittleEndianExplicitTransferSyntax);
  const std::size_t at = bytes.find(uid);
  ASSERT_LT(at, 400u);
  bytes.replace(at, uid.size(), "1.2.3.4.5.6.7.8.9.1");
  writeBytes(path("private_ts.dcm"), bytes);
  const catalog::FileRecord record = read(path("private_ts.dcm"));
  EXPECT_EQ(keysOf(record), "unsupported_transfer_syntax");
  expectMrGeometry(record);
  EXPECT_EQ(record.transfer_syntax_uid, "1.2.3.4.5.6.7.8.9.1");

  // The same with a big-endian data set: unreadable as the guess, refused with the same key.
  ASSERT_TRUE(testing::runTool("dcmconv +tb " + mr().string() + " " + path("be.dcm").string()));
  bytes = readBytes(path("be.dcm"));
  const std::string be_uid(UID_BigEndianExplicitTransferSyntax);
  const std::size_t be_at = bytes.find(be_uid);
  ASSERT_LT(be_at, 400u);
  bytes.replace(be_at, be_uid.size(), "1.2.3.4.5.6.7.8.9.2");
  writeBytes(path("private_ts_be.dcm"), bytes);
  const catalog::FileRecord refused = read(path("private_ts_be.dcm"));
  EXPECT_EQ(keysOf(refused), "unsupported_transfer_syntax") << describe(refused);
  EXPECT_FALSE(isIndexable(refused));
}

TEST_F(EdgeCaseTest, CorruptStructureIsReportedWithDcmtksWordsAndNothingIsPrinted) {
  std::string bytes = readBytes(seg());
  // Break the first item tag of the first sequence after the meta header.
  const std::size_t item = bytes.find(std::string("\xFE\xFF\x00\xE0", 4), 300);
  ASSERT_NE(item, std::string::npos);
  bytes.replace(item, 4, "\x11\x22\x33\x44");
  writeBytes(path("corrupt_seg.dcm"), bytes);
  ::testing::internal::CaptureStderr();
  const catalog::FileRecord record = read(path("corrupt_seg.dcm"));
  const std::string printed = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(printed, "");
  ASSERT_EQ(keysOf(record), "corrupt") << describe(record);
  EXPECT_NE(record.issues[0].detail.find("DCMTK"), std::string::npos) << describe(record);
  EXPECT_FALSE(isIndexable(record));
}

TEST_F(EdgeCaseTest, ADicomdirPassedToTheReaderIsReportedAsSuch) {
  const fs::path dir = path("cd");
  fs::create_directories(dir / "IMAGES");
  fs::copy_file(mr(), dir / "IMAGES" / "IM000001", fs::copy_options::overwrite_existing);
  ASSERT_TRUE(testing::runTool("cd " + dir.string() + " && dcmmkdir +r +I IMAGES"));
  const catalog::FileRecord record = read(dir / "DICOMDIR");
  EXPECT_EQ(keysOf(record), "dicomdir") << describe(record);
  EXPECT_FALSE(isIndexable(record));
}

// Random damage to real files: every result is either indexable or carries an issue, nothing
// crashes (run this under the ASan/UBSan preset), nothing is printed.
TEST_F(EdgeCaseTest, DamagedFilesNeverCrashTheReader) {
  std::mt19937 random(7);
  ::testing::internal::CaptureStderr();
  int reads = 0;
  for (const fs::path& source : {mr(), seg()}) {
    const std::string original = readBytes(source);
    const std::size_t header = std::min<std::size_t>(original.size(), 4000);
    for (int trial = 0; trial < 150; ++trial) {
      std::string bytes = original;
      const int flips = 1 + static_cast<int>(random() % 4);
      for (int k = 0; k < flips; ++k) {
        bytes[128 + random() % (header - 128)] = static_cast<char>(random() & 0xFF);
      }
      if (trial % 3 == 0) bytes.resize(128 + random() % (bytes.size() - 128));
      const fs::path file = path("damaged.dcm");
      writeBytes(file, bytes);
      const catalog::FileRecord record = read(file);
      EXPECT_TRUE(isIndexable(record) || !record.issues.empty()) << describe(record);
      ++reads;
    }
  }
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(reads, 300);
}

TEST_F(EdgeCaseTest, ConcurrentReadsGiveTheSameRecords) {
  std::vector<fs::path> files;
  // A mix of readable, cut and broken files.
  const std::string bytes = readBytes(mr());
  writeBytes(path("cut.dcm"), bytes.substr(0, bytes.size() / 3));
  writeBytes(path("text.txt"), "not DICOM");
  ASSERT_TRUE(testing::runTool("dcmconv +td " + seg().string() + " " + path("seg_d.dcm").string()));
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> sequential;
  for (const fs::path& f : files) sequential.push_back(summary(read(f)));
  std::vector<std::vector<std::string>> parallel(4, std::vector<std::string>(files.size()));
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < parallel.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int repeat = 0; repeat < 5; ++repeat) {
        for (std::size_t i = 0; i < files.size(); ++i) parallel[t][i] = summary(read(files[i]));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& results : parallel) EXPECT_EQ(results, sequential);
}

}  // namespace
}  // namespace planelab::dicom
