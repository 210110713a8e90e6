#include "dicom/mr_image_writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "dcmtk_read.h"
#include "dicom/deterministic_uid.h"
#include "dicom/dicom_format.h"
#include "test_study.h"

namespace planelab::dicom {
namespace {

using testing::doubles;
using testing::str;

phantom::RenderedImage rampImage(const geometry::ImagePlane& plane) {
  phantom::RenderedImage image;
  image.rows = plane.rows;
  image.cols = plane.cols;
  for (int i = 0; i < plane.rows; ++i) {
    for (int j = 0; j < plane.cols; ++j)
      image.pixels.push_back(static_cast<std::uint16_t>(i * 100 + j));
  }
  image.window_center = 1200.25;
  image.window_width = 2400.5;
  return image;
}

std::string readBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(FormatDs, FixedShortAndClamped) {
  EXPECT_EQ(formatDs(0.0), "0");
  EXPECT_EQ(formatDs(-2.77556e-17), "0");
  EXPECT_EQ(formatDs(-0.0000000001), "0");
  EXPECT_EQ(formatDs(8.0), "8");
  EXPECT_EQ(formatDs(1.6), "1.6");
  EXPECT_EQ(formatDs(0.6691306063588582), "0.669131");
  EXPECT_EQ(formatDs(-175.42123456), "-175.421235");
  EXPECT_EQ(formatDs(-0.0000004), "0");  // rounds to zero at 6 decimals: no "-0"
  EXPECT_LE(formatDs(-123456789.123456).size(), 16u);
  EXPECT_LE(formatDs(1e15).size(), 16u);
  EXPECT_EQ(formatDsList({1.0, -2.5, 0.0}), "1\\-2.5\\0");
}

TEST(FormatDateTime, OffsetsAndRollover) {
  EXPECT_EQ(studyDateTime(0.0).date, "20260101");
  EXPECT_EQ(studyDateTime(0.0).time, "090000.000000");
  EXPECT_EQ(studyDateTime(125.25).time, "090205.250000");
  EXPECT_EQ(studyDateTime(15.0 * 3600.0).date, "20260102");
  EXPECT_EQ(studyDateTime(15.0 * 3600.0).time, "000000.000000");
  EXPECT_EQ(patientAge(54), "054Y");
  EXPECT_EQ(patientAge(8), "008Y");
}

class MrImageWriterTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::freshTempDir("mr_image_writer"); }
  std::filesystem::path dir_;
};

TEST_F(MrImageWriterTest, GeometryAndPixelsRoundTrip) {
  const phantom::PhantomStudy study = testing::makeTestStudy();
  const phantom::SeriesPlan& series = study.series[0];
  const geometry::ImagePlane& plane = series.slices[1].plane;
  const phantom::RenderedImage image = rampImage(plane);
  const std::filesystem::path file = dir_ / imageFileName(series, 1, 2);
  EXPECT_EQ(file.filename(), "IM-0005-0006.dcm");  // slice 1 * 3 phases + phase 2 + 1

  const ImageWriteResult result = writeMrImage(study, 0, 1, 2, image, file);
  ASSERT_TRUE(result.ok()) << result.status.error_key << ": " << result.status.message;
  EXPECT_EQ(result.sop_instance_uid, imageSopInstanceUid(study, 0, 1, 2));
  EXPECT_EQ(result.instance_number, 6);
  EXPECT_EQ(result.bytes, std::filesystem::file_size(file));
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));

  auto ff = testing::load(file);
  ASSERT_TRUE(ff);
  DcmDataset& ds = *ff->getDataset();
  EXPECT_EQ(str(*ff->getMetaInfo(), DCM_TransferSyntaxUID), UID_LittleEndianExplicitTransferSyntax);
  EXPECT_EQ(str(ds, DCM_SOPClassUID), UID_MRImageStorage);
  EXPECT_EQ(str(ds, DCM_SOPInstanceUID), result.sop_instance_uid);
  EXPECT_EQ(str(ds, DCM_StudyInstanceUID), studyInstanceUid(study));
  EXPECT_EQ(str(ds, DCM_SeriesInstanceUID), seriesInstanceUid(study, 0));
  EXPECT_EQ(str(ds, DCM_FrameOfReferenceUID), frameOfReferenceUid(study));
  EXPECT_EQ(str(ds, DCM_InstanceNumber), "6");
  EXPECT_EQ(str(ds, DCM_SeriesNumber), "5");
  EXPECT_EQ(str(ds, DCM_ImageType), "ORIGINAL\\PRIMARY\\OTHER");
  EXPECT_EQ(str(ds, DCM_Modality), "MR");
  EXPECT_EQ(str(ds, DCM_PatientAge), "054Y");
  EXPECT_EQ(str(ds, DCM_PatientBirthDate), "");
  EXPECT_EQ(str(ds, DCM_AccessionNumber), "");
  EXPECT_EQ(str(ds, DCM_Laterality), "<absent>");
  EXPECT_EQ(str(ds, DCM_BodyPartExamined), "HEART");

  // Image plane: IPP, IOP = [row_dir, col_dir], PixelSpacing = [row spacing, column spacing].
  const std::vector<double> ipp = doubles(ds, DCM_ImagePositionPatient);
  const std::vector<double> iop = doubles(ds, DCM_ImageOrientationPatient);
  const std::vector<double> ps = doubles(ds, DCM_PixelSpacing);
  ASSERT_EQ(ipp.size(), 3u);
  ASSERT_EQ(iop.size(), 6u);
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_NEAR(ipp[0], plane.position_mm.x, 1e-6);
  EXPECT_NEAR(ipp[1], plane.position_mm.y, 1e-6);
  EXPECT_NEAR(ipp[2], plane.position_mm.z, 1e-6);
  EXPECT_NEAR(iop[0], plane.row_dir.x, 1e-6);
  EXPECT_NEAR(iop[1], plane.row_dir.y, 1e-6);
  EXPECT_NEAR(iop[2], plane.row_dir.z, 1e-6);
  EXPECT_NEAR(iop[3], plane.col_dir.x, 1e-6);
  EXPECT_NEAR(iop[4], plane.col_dir.y, 1e-6);
  EXPECT_NEAR(iop[5], plane.col_dir.z, 1e-6);
  EXPECT_DOUBLE_EQ(ps[0], 2.5);
  EXPECT_DOUBLE_EQ(ps[1], 2.0);
  const geometry::ImagePlane back = geometry::ImagePlane::fromDicom(
      {ipp[0], ipp[1], ipp[2]}, {iop[0], iop[1], iop[2], iop[3], iop[4], iop[5]}, {ps[0], ps[1]},
      24, 32);
  EXPECT_EQ(back.validate(), "");
  const geometry::Vec3 x = back.toPatient(7.0, 11.0);
  const geometry::Vec3 y = plane.toPatient(7.0, 11.0);
  EXPECT_NEAR(geometry::norm(x - y), 0.0, 1e-4);
  // SliceLocation = n . IPP with n = row x col.
  const geometry::Vec3 n = geometry::cross(back.row_dir, back.col_dir);
  EXPECT_NEAR(doubles(ds, DCM_SliceLocation).at(0), geometry::dot(n, back.position_mm), 1e-4);
  EXPECT_NEAR(doubles(ds, DCM_SliceLocation).at(0),
              geometry::dot(plane.normal(), plane.position_mm), 1e-5);

  EXPECT_EQ(str(ds, DCM_SliceThickness), "8");
  EXPECT_EQ(str(ds, DCM_SpacingBetweenSlices), "10");
  // Every DS value obeys the 16-character limit.
  for (const DcmTagKey& tag :
       {DCM_ImagePositionPatient, DCM_ImageOrientationPatient, DCM_PixelSpacing, DCM_SliceLocation,
        DCM_TriggerTime, DCM_WindowCenter, DCM_WindowWidth, DCM_PatientWeight,
        DCM_ImagingFrequency}) {
    const std::string value = str(ds, tag);
    std::size_t start = 0;
    for (;;) {
      const std::size_t end = value.find('\\', start);
      EXPECT_LE(value.substr(start, end - start).size(), 16u) << value;
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }

  // Pixels.
  Uint16 rows = 0;
  Uint16 cols = 0;
  ds.findAndGetUint16(DCM_Rows, rows);
  ds.findAndGetUint16(DCM_Columns, cols);
  EXPECT_EQ(rows, 24);
  EXPECT_EQ(cols, 32);
  Uint16 bits_stored = 0;
  Uint16 high_bit = 0;
  ds.findAndGetUint16(DCM_BitsStored, bits_stored);
  ds.findAndGetUint16(DCM_HighBit, high_bit);
  EXPECT_EQ(bits_stored, 12);
  EXPECT_EQ(high_bit, 11);
  const Uint16* pixels = nullptr;
  unsigned long count = 0;
  ASSERT_TRUE(ds.findAndGetUint16Array(DCM_PixelData, pixels, &count).good());
  ASSERT_EQ(count, image.pixels.size());
  for (unsigned long k = 0; k < count; ++k) ASSERT_EQ(pixels[k], image.pixels[k]) << k;
  EXPECT_EQ(str(ds, DCM_WindowCenter), "1200.25");
  EXPECT_EQ(str(ds, DCM_WindowWidth), "2400.5");

  // Phase encoding along rows: [freq rows, 0, 0, phase cols] with 75 % of the 32 columns.
  EXPECT_EQ(str(ds, DCM_AcquisitionMatrix), "24\\0\\0\\24");
  EXPECT_EQ(str(ds, DCM_InPlanePhaseEncodingDirection), "ROW");
}

TEST_F(MrImageWriterTest, GatedAndUngatedFields) {
  const phantom::PhantomStudy study = testing::makeTestStudy();
  const std::filesystem::path gated_file = dir_ / "gated.dcm";
  const std::filesystem::path ungated_file = dir_ / "ungated.dcm";
  ASSERT_TRUE(
      writeMrImage(study, 0, 0, 1, rampImage(study.series[0].slices[0].plane), gated_file).ok());
  ASSERT_TRUE(
      writeMrImage(study, 1, 0, 0, rampImage(study.series[1].slices[0].plane), ungated_file).ok());

  auto gated = testing::load(gated_file);
  auto ungated = testing::load(ungated_file);
  ASSERT_TRUE(gated && ungated);
  DcmDataset& g = *gated->getDataset();
  DcmDataset& u = *ungated->getDataset();
  EXPECT_EQ(str(g, DCM_ScanOptions), "CG");
  EXPECT_EQ(str(g, DCM_TriggerTime), "333.333333");
  EXPECT_EQ(str(g, DCM_NominalInterval), "1000");
  EXPECT_EQ(str(g, DCM_CardiacNumberOfImages), "3");
  EXPECT_EQ(str(g, DCM_HeartRate), "60");
  // AcquisitionTime = study start + series offset (120.5 s) + trigger time.
  EXPECT_EQ(str(g, DCM_AcquisitionTime), "090200.833333");
  EXPECT_EQ(str(g, DCM_SeriesTime), "090200.500000");

  EXPECT_EQ(str(u, DCM_ScanOptions), "");  // CG removed for the ungated localizer
  EXPECT_EQ(str(u, DCM_TriggerTime), "<absent>");
  EXPECT_EQ(str(u, DCM_NominalInterval), "<absent>");
  EXPECT_EQ(str(u, DCM_CardiacNumberOfImages), "<absent>");
  EXPECT_EQ(str(u, DCM_HeartRate), "<absent>");
  EXPECT_EQ(str(u, DCM_SpacingBetweenSlices), "<absent>");  // single-slice series
  EXPECT_EQ(str(u, DCM_SeriesDescription), "");             // present, empty (quirk)
  EXPECT_TRUE(u.tagExists(DCM_SeriesDescription));
  EXPECT_EQ(str(u, DCM_AcquisitionMatrix), "0\\16\\8\\0");  // COL: [0, freq cols, phase rows, 0]
  EXPECT_EQ(str(u, DCM_InPlanePhaseEncodingDirection), "COL");
  // Axis-aligned plane: zero components are written as "0".
  EXPECT_EQ(str(u, DCM_ImageOrientationPatient), "1\\0\\0\\0\\1\\0");
  EXPECT_EQ(str(u, DCM_FrameOfReferenceUID), str(g, DCM_FrameOfReferenceUID));
  EXPECT_NE(str(u, DCM_SeriesInstanceUID), str(g, DCM_SeriesInstanceUID));
}

TEST_F(MrImageWriterTest, KneeHasLateralityAndNoGating) {
  const phantom::PhantomStudy study = testing::makeTestStudy(phantom::Organ::kKnee);
  const std::filesystem::path file = dir_ / "knee.dcm";
  ASSERT_TRUE(writeMrImage(study, 0, 0, 0, rampImage(study.series[0].slices[0].plane), file).ok());
  auto ff = testing::load(file);
  ASSERT_TRUE(ff);
  DcmDataset& ds = *ff->getDataset();
  EXPECT_EQ(str(ds, DCM_Laterality), "R");
  EXPECT_EQ(str(ds, DCM_BodyPartExamined), "KNEE");
  EXPECT_EQ(str(ds, DCM_ScanOptions), "FS");
  EXPECT_EQ(str(ds, DCM_TriggerTime), "<absent>");
}

TEST_F(MrImageWriterTest, ByteIdenticalAndErrors) {
  const phantom::PhantomStudy study = testing::makeTestStudy();
  const phantom::RenderedImage image = rampImage(study.series[0].slices[0].plane);
  ASSERT_TRUE(writeMrImage(study, 0, 0, 0, image, dir_ / "a.dcm").ok());
  ASSERT_TRUE(writeMrImage(study, 0, 0, 0, image, dir_ / "b.dcm").ok());
  EXPECT_EQ(readBytes(dir_ / "a.dcm"), readBytes(dir_ / "b.dcm"));

  phantom::RenderedImage wrong = image;
  wrong.pixels.pop_back();
  EXPECT_EQ(writeMrImage(study, 0, 0, 0, wrong, dir_ / "c.dcm").status.error_key,
            "invalid_argument");
  EXPECT_EQ(writeMrImage(study, 5, 0, 0, image, dir_ / "c.dcm").status.error_key,
            "invalid_argument");
  const ImageWriteResult missing_dir = writeMrImage(study, 0, 0, 0, image, dir_ / "no" / "c.dcm");
  EXPECT_EQ(missing_dir.status.error_key, "write_failed");
  EXPECT_FALSE(missing_dir.status.message.empty());
}

}  // namespace
}  // namespace planelab::dicom
