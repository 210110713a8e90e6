#include "dicom/pixel_reader.h"

#include <gtest/gtest.h>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcrlerp.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpeg/djrploss.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "dicom/mr_image_writer.h"
#include "edge_files.h"
#include "phantom/render.h"
#include "test_study.h"

namespace planelab::dicom {
namespace {

// DCMTK's encoders, for the compressed copies the tests read back (registered once).
void registerEncoders() {
  static const bool registered = [] {
    DJEncoderRegistration::registerCodecs();
    DJLSEncoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs();
    return true;
  }();
  (void)registered;
}

// A small monochrome MR image (4 x 3) with the given pixel layout; `words` are the raw 16-bit
// container values (or the 8-bit values when bits_allocated is 8), all frames one after another.
struct ImageSpec {
  int rows = 3;
  int cols = 4;
  int frames = 1;  // > 1 writes NumberOfFrames
  int bits_allocated = 16;
  int bits_stored = 12;
  bool is_signed = false;
  std::vector<std::uint16_t> words;
};

void fillImage(DcmDataset& ds, const ImageSpec& spec) {
  testing::fillSmallMr(ds, "1.2.826.0.1.3680043.10.1.99");
  ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(spec.rows));
  ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(spec.cols));
  ds.putAndInsertUint16(DCM_BitsAllocated, static_cast<Uint16>(spec.bits_allocated));
  ds.putAndInsertUint16(DCM_BitsStored, static_cast<Uint16>(spec.bits_stored));
  ds.putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(spec.bits_stored - 1));
  ds.putAndInsertUint16(DCM_PixelRepresentation, spec.is_signed ? 1 : 0);
  if (spec.frames > 1) {
    ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(spec.frames).c_str());
  }
  if (spec.bits_allocated == 8) {
    std::vector<Uint8> bytes(spec.words.begin(), spec.words.end());
    ds.putAndInsertUint8Array(DCM_PixelData, bytes.data(),
                              static_cast<unsigned long>(bytes.size()));
  } else {
    ds.putAndInsertUint16Array(DCM_PixelData, spec.words.data(),
                               static_cast<unsigned long>(spec.words.size()));
  }
}

std::vector<std::uint16_t> ramp(std::size_t count, int start, int step = 1) {
  std::vector<std::uint16_t> out;
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(static_cast<std::uint16_t>(start + step * static_cast<int>(i)));
  }
  return out;
}

std::vector<float> asFloats(const std::vector<std::uint16_t>& words) {
  return std::vector<float>(words.begin(), words.end());
}

class PixelReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::freshTempDir(std::string("pixel_reader_") +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  std::filesystem::path path(const std::string& name) const { return dir_ / name; }

  // Writes `ds` (a fresh file format around it) to `name` in `xfer`, compressing with `param`
  // when the syntax is encapsulated.
  std::filesystem::path write(const std::string& name, const ImageSpec& spec,
                              E_TransferSyntax xfer = EXS_LittleEndianExplicit,
                              const DcmRepresentationParameter* param = nullptr) {
    DcmFileFormat ff;
    fillImage(*ff.getDataset(), spec);
    return save(ff, name, xfer, param);
  }

  std::filesystem::path save(DcmFileFormat& ff, const std::string& name, E_TransferSyntax xfer,
                             const DcmRepresentationParameter* param = nullptr) {
    if (DcmXfer(xfer).isEncapsulated()) {
      registerEncoders();
      const OFCondition chosen = ff.getDataset()->chooseRepresentation(xfer, param);
      EXPECT_TRUE(chosen.good()) << chosen.text();
      EXPECT_TRUE(ff.getDataset()->canWriteXfer(xfer));
    }
    const std::filesystem::path file = path(name);
    EXPECT_TRUE(testing::save(ff, file, xfer)) << name;
    return file;
  }

  std::filesystem::path dir_;
};

// Reads, expecting success.
PixelImage readOk(const std::filesystem::path& file, int frame = 0) {
  std::string key = "stale";
  std::string message = "stale";
  std::optional<PixelImage> image = readPixels(file, frame, &key, &message);
  EXPECT_TRUE(image.has_value()) << file << ": " << key << ": " << message;
  EXPECT_EQ(key, "");
  EXPECT_EQ(message, "");
  return image.value_or(PixelImage{});
}

// Reads, expecting failure with `expected_key`.
void expectFailure(const std::filesystem::path& file, int frame, const std::string& expected_key) {
  std::string key;
  std::string message;
  EXPECT_FALSE(readPixels(file, frame, &key, &message).has_value()) << file;
  EXPECT_EQ(key, expected_key) << message;
  EXPECT_FALSE(message.empty());
}

// The dicom tests' hand-made study, with tissue contrast and noise so that the pixels vary.
phantom::PhantomStudy contrastStudy() {
  phantom::PhantomStudy study = testing::makeTestStudy();
  study.appearance.signal[static_cast<std::size_t>(phantom::Tissue::kMyocardium)] = 40.0;
  study.appearance.signal[static_cast<std::size_t>(phantom::Tissue::kFat)] = 160.0;
  study.appearance.noise_sigma = 3.0;
  return study;
}

TEST_F(PixelReaderTest, PhantomMrImageRoundTrip) {
  const phantom::PhantomStudy study = contrastStudy();
  const phantom::RenderedImage rendered =
      phantom::renderImage(study, 0, 1, 2, phantom::RenderSettings::fast());
  const std::filesystem::path file = path(imageFileName(study.series[0], 1, 2));
  ASSERT_TRUE(writeMrImage(study, 0, 1, 2, rendered, file).ok());

  const PixelImage image = readOk(file);
  EXPECT_EQ(image.rows, rendered.rows);
  EXPECT_EQ(image.cols, rendered.cols);
  EXPECT_FALSE(image.monochrome1);
  ASSERT_EQ(image.values.size(), rendered.pixels.size());
  EXPECT_EQ(image.values, asFloats(rendered.pixels));
  // Not a flat image: the test would prove little otherwise.
  EXPECT_NE(*std::min_element(rendered.pixels.begin(), rendered.pixels.end()),
            *std::max_element(rendered.pixels.begin(), rendered.pixels.end()));
}

TEST_F(PixelReaderTest, RescaleSlopeAndInterceptApplied) {
  DcmFileFormat ff;
  ImageSpec spec;
  spec.words = ramp(12, 0, 3);
  fillImage(*ff.getDataset(), spec);
  ff.getDataset()->putAndInsertString(DCM_RescaleSlope, "2.5");
  ff.getDataset()->putAndInsertString(DCM_RescaleIntercept, "-100.25");
  const PixelImage image = readOk(save(ff, "rescaled.dcm", EXS_LittleEndianExplicit));
  ASSERT_EQ(image.values.size(), 12u);
  for (std::size_t i = 0; i < 12; ++i) {
    EXPECT_FLOAT_EQ(image.values[i], static_cast<float>(spec.words[i] * 2.5 - 100.25)) << i;
  }
}

TEST_F(PixelReaderTest, ZeroRescaleSlopeIsIgnored) {
  DcmFileFormat ff;
  ImageSpec spec;
  spec.words = ramp(12, 7);
  fillImage(*ff.getDataset(), spec);
  ff.getDataset()->putAndInsertString(DCM_RescaleSlope, "0");
  ff.getDataset()->putAndInsertString(DCM_RescaleIntercept, "5");
  EXPECT_EQ(readOk(save(ff, "zero_slope.dcm", EXS_LittleEndianExplicit)).values,
            asFloats(spec.words));
}

TEST_F(PixelReaderTest, ModalityLutSequenceApplied) {
  DcmFileFormat ff;
  ImageSpec spec;
  spec.words = {2, 3, 4, 5, 0, 1, 9, 9, 2, 2, 3, 3};
  fillImage(*ff.getDataset(), spec);
  DcmItem* lut = nullptr;
  ASSERT_TRUE(ff.getDataset()->findOrCreateSequenceItem(DCM_ModalityLUTSequence, lut, 0).good());
  const Uint16 descriptor[3] = {4, 2, 16};  // 4 entries for stored values 2..5
  ASSERT_TRUE(lut->putAndInsertUint16Array(DCM_LUTDescriptor, descriptor, 3).good());
  const Uint16 data[4] = {100, 200, 300, 400};
  ASSERT_TRUE(lut->putAndInsertUint16Array(DCM_LUTData, data, 4).good());
  const PixelImage image = readOk(save(ff, "lut.dcm", EXS_LittleEndianExplicit));
  // Below the first mapped value -> first entry, above the last -> last entry.
  const std::vector<float> expected = {100, 200, 300, 400, 100, 100, 400, 400, 100, 100, 200, 200};
  EXPECT_EQ(image.values, expected);
}

TEST_F(PixelReaderTest, Signed16Bit) {
  // 16 x 16: DCMTK 3.6.7's JPEG-LS encoder overruns its buffer on tiny frames (4 x 3).
  ImageSpec spec;
  spec.rows = 16;
  spec.cols = 16;
  spec.bits_stored = 16;
  spec.is_signed = true;
  const std::vector<int> extremes = {-32768, -1000, -1, 0,  1,     1000,
                                     32767,  -2,    5,  -5, 12345, -12345};
  std::vector<int> values;
  for (int i = 0; i < 256; ++i) values.push_back(extremes[static_cast<std::size_t>(i) % 12]);
  for (int v : values)
    spec.words.push_back(static_cast<std::uint16_t>(static_cast<std::int16_t>(v)));
  const PixelImage image = readOk(write("signed16.dcm", spec));
  ASSERT_EQ(image.values.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(image.values[i], values[i]) << i;

  // The same values through big-endian, deflated, JPEG lossless and RLE.
  const DJ_RPLossless lossless(6, 0);
  const DcmRLERepresentationParameter rle;
  const DJLSRepresentationParameter jpeg_ls(0, OFTrue);
  EXPECT_EQ(readOk(write("signed16_be.dcm", spec, EXS_BigEndianExplicit)).values, image.values);
  EXPECT_EQ(readOk(write("signed16_deflated.dcm", spec, EXS_DeflatedLittleEndianExplicit)).values,
            image.values);
  EXPECT_EQ(readOk(write("signed16_jpll.dcm", spec, EXS_JPEGProcess14SV1, &lossless)).values,
            image.values);
  EXPECT_EQ(readOk(write("signed16_rle.dcm", spec, EXS_RLELossless, &rle)).values, image.values);
  EXPECT_EQ(readOk(write("signed16_jls.dcm", spec, EXS_JPEGLSLossless, &jpeg_ls)).values,
            image.values);
}

TEST_F(PixelReaderTest, Signed12BitIsSignExtendedAndUnusedBitsMasked) {
  ImageSpec spec;
  spec.bits_stored = 12;
  spec.is_signed = true;
  // 12-bit two's complement in a 16-bit container; the top 4 bits hold junk (an overlay).
  spec.words = {0x0FFF, 0x0800, 0x07FF, 0x0000, 0xF001, 0xA800,
                0x5123, 0x0001, 0x0002, 0x0FFE, 0x0400, 0x0C00};
  const std::vector<float> expected = {-1, -2048, 2047, 0, 1, -2048, 291, 1, 2, -2, 1024, -1024};
  EXPECT_EQ(readOk(write("signed12.dcm", spec)).values, expected);

  spec.is_signed = false;
  const std::vector<float> unsigned_expected = {4095, 2048, 2047, 0,    1,    2048,
                                                291,  1,    2,    4094, 1024, 3072};
  EXPECT_EQ(readOk(write("unsigned12.dcm", spec)).values, unsigned_expected);
}

TEST_F(PixelReaderTest, Unsigned8BitAndJpegBaseline) {
  ImageSpec spec;
  spec.rows = 16;
  spec.cols = 16;
  spec.bits_allocated = 8;
  spec.bits_stored = 8;
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 16; ++j) spec.words.push_back(static_cast<std::uint16_t>(i * 12 + j));
  }
  const PixelImage image = readOk(write("u8.dcm", spec));
  EXPECT_EQ(image.rows, 16);
  EXPECT_EQ(image.cols, 16);
  EXPECT_EQ(image.values, asFloats(spec.words));

  const DJ_RPLossy lossy(95);
  const PixelImage jpeg = readOk(write("u8_baseline.dcm", spec, EXS_JPEGProcess1, &lossy));
  ASSERT_EQ(jpeg.values.size(), image.values.size());
  for (std::size_t i = 0; i < image.values.size(); ++i) {
    EXPECT_NEAR(jpeg.values[i], image.values[i], 6.0) << i;  // lossy, a smooth ramp
  }
}

TEST_F(PixelReaderTest, MultiFrameSecondOfThree) {
  ImageSpec spec;
  spec.rows = 16;
  spec.cols = 16;
  spec.frames = 3;
  spec.words = ramp(3 * 256, 0);  // frame k holds 256 (k - 1) .. 256 k - 1
  const std::vector<float> frame2(spec.words.begin() + 256, spec.words.begin() + 512);
  const std::filesystem::path plain = write("multi.dcm", spec);
  EXPECT_EQ(readOk(plain, 2).values, frame2);
  EXPECT_EQ(readOk(plain, 1).values[0], 0.0f);
  EXPECT_EQ(readOk(plain, 3).values[255], 767.0f);

  // Compressed: only frame 2 is decoded (one fragment per frame).
  const DJ_RPLossless lossless(1, 0);
  const DcmRLERepresentationParameter rle;
  const DJLSRepresentationParameter jpeg_ls(0, OFTrue);
  EXPECT_EQ(readOk(write("multi_jpll.dcm", spec, EXS_JPEGProcess14SV1, &lossless), 2).values,
            frame2);
  EXPECT_EQ(readOk(write("multi_rle.dcm", spec, EXS_RLELossless, &rle), 2).values, frame2);
  EXPECT_EQ(readOk(write("multi_jls.dcm", spec, EXS_JPEGLSLossless, &jpeg_ls), 2).values, frame2);
  EXPECT_EQ(readOk(write("multi_be.dcm", spec, EXS_BigEndianExplicit), 2).values, frame2);
  EXPECT_EQ(readOk(write("multi_implicit.dcm", spec, EXS_LittleEndianImplicit), 2).values, frame2);
}

TEST_F(PixelReaderTest, EnhancedPerFrameRescale) {
  DcmFileFormat ff;
  ImageSpec spec;
  spec.frames = 3;
  spec.words = ramp(36, 0);
  DcmDataset& ds = *ff.getDataset();
  fillImage(ds, spec);
  ds.putAndInsertString(DCM_SOPClassUID, UID_EnhancedMRImageStorage);
  ds.putAndInsertString(DCM_RescaleSlope, "100");  // the functional groups take precedence
  DcmItem* shared = nullptr;
  ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).good());
  DcmItem* shared_pvt = nullptr;
  ASSERT_TRUE(
      shared->findOrCreateSequenceItem(DCM_PixelValueTransformationSequence, shared_pvt, 0).good());
  shared_pvt->putAndInsertString(DCM_RescaleSlope, "3");
  shared_pvt->putAndInsertString(DCM_RescaleIntercept, "1");
  for (int f = 0; f < 3; ++f) {
    DcmItem* frame = nullptr;
    ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, f).good());
    if (f == 1) {  // frame 2 has its own; frames 1 and 3 use the shared one
      DcmItem* pvt = nullptr;
      ASSERT_TRUE(
          frame->findOrCreateSequenceItem(DCM_PixelValueTransformationSequence, pvt, 0).good());
      pvt->putAndInsertString(DCM_RescaleSlope, "0.5");
      pvt->putAndInsertString(DCM_RescaleIntercept, "-2");
    }
  }
  const std::filesystem::path file = save(ff, "enhanced.dcm", EXS_LittleEndianExplicit);
  const PixelImage second = readOk(file, 2);
  const PixelImage third = readOk(file, 3);
  for (std::size_t i = 0; i < 12; ++i) {
    EXPECT_FLOAT_EQ(second.values[i], static_cast<float>(static_cast<double>(12 + i) * 0.5 - 2))
        << i;
    EXPECT_FLOAT_EQ(third.values[i], static_cast<float>(static_cast<double>(24 + i) * 3 + 1)) << i;
  }
}

TEST_F(PixelReaderTest, PhantomJpegLosslessAndRleCopies) {
  const phantom::PhantomStudy study = contrastStudy();
  const phantom::RenderedImage rendered =
      phantom::renderImage(study, 0, 0, 1, phantom::RenderSettings::fast());
  const std::filesystem::path original = path("phantom.dcm");
  ASSERT_TRUE(writeMrImage(study, 0, 0, 1, rendered, original).ok());
  const DJ_RPLossless lossless(6, 0);
  const DcmRLERepresentationParameter rle;
  const std::vector<std::pair<E_TransferSyntax, const DcmRepresentationParameter*>> variants = {
      {EXS_JPEGProcess14SV1, &lossless},
      {EXS_RLELossless, &rle},
      {EXS_DeflatedLittleEndianExplicit, nullptr},
      {EXS_BigEndianExplicit, nullptr}};
  for (const auto& [xfer, param] : variants) {
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(original.c_str()).good());
    const std::string name = std::string("phantom_") + DcmXfer(xfer).getXferID() + ".dcm";
    const std::filesystem::path copy = save(ff, name, xfer, param);
    EXPECT_EQ(readOk(copy).values, asFloats(rendered.pixels)) << DcmXfer(xfer).getXferName();
  }
}

TEST_F(PixelReaderTest, NotDicomAndMissingFile) {
  testing::writeBytes(path("notes.txt"), std::string(4000, 'x') + "\nnot a DICOM file\n");
  expectFailure(path("notes.txt"), 0, "cannot_read_file");
  testing::writeBytes(path("empty.dcm"), "");
  expectFailure(path("empty.dcm"), 0, "cannot_read_file");
  expectFailure(path("missing.dcm"), 0, "cannot_read_file");
  // A folder is not a file.
  expectFailure(dir_, 0, "cannot_read_file");
}

TEST_F(PixelReaderTest, NoPixelData) {
  DcmFileFormat ff;
  ImageSpec spec;
  spec.words = ramp(12, 0);
  fillImage(*ff.getDataset(), spec);
  delete ff.getDataset()->remove(DCM_PixelData);
  expectFailure(save(ff, "no_pixels.dcm", EXS_LittleEndianExplicit), 0, "no_pixel_data");
}

TEST_F(PixelReaderTest, FrameOutOfRange) {
  ImageSpec spec;
  spec.words = ramp(12, 0);
  const std::filesystem::path single = write("single.dcm", spec);
  EXPECT_EQ(readOk(single, 1).values, readOk(single, 0).values);  // the only frame
  expectFailure(single, 2, "frame_out_of_range");
  expectFailure(single, -1, "frame_out_of_range");

  spec.frames = 3;
  spec.words = ramp(36, 0);
  const std::filesystem::path multi = write("multi.dcm", spec);
  expectFailure(multi, 0, "frame_out_of_range");
  expectFailure(multi, 4, "frame_out_of_range");
  const DcmRLERepresentationParameter rle;
  expectFailure(write("multi_rle.dcm", spec, EXS_RLELossless, &rle), 4, "frame_out_of_range");
}

TEST_F(PixelReaderTest, ColourIsRefused) {
  DcmFileFormat ff;
  ImageSpec spec;
  spec.bits_allocated = 8;
  spec.bits_stored = 8;
  spec.words = ramp(36, 0);
  fillImage(*ff.getDataset(), spec);
  ff.getDataset()->putAndInsertUint16(DCM_SamplesPerPixel, 3);
  ff.getDataset()->putAndInsertUint16(DCM_PlanarConfiguration, 0);
  ff.getDataset()->putAndInsertString(DCM_PhotometricInterpretation, "RGB");
  expectFailure(save(ff, "rgb.dcm", EXS_LittleEndianExplicit), 0, "unsupported_photometric");
}

// An encapsulated Pixel Data element holding `fragment` as the only frame, saved in `xfer`.
std::filesystem::path writeEncapsulated(const std::filesystem::path& file, E_TransferSyntax xfer,
                                        const std::string& fragment) {
  DcmFileFormat ff;
  ImageSpec spec;
  spec.words = ramp(12, 0);
  fillImage(*ff.getDataset(), spec);
  DcmPixelSequence* sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
  sequence->insert(new DcmPixelItem(DCM_PixelItemTag));  // empty offset table
  DcmPixelItem* item = new DcmPixelItem(DCM_PixelItemTag);
  std::string even = fragment;
  if (even.size() % 2 != 0) even.push_back('\0');
  item->putUint8Array(reinterpret_cast<const Uint8*>(even.data()),
                      static_cast<unsigned long>(even.size()));
  sequence->insert(item);
  DcmPixelData* pixels = new DcmPixelData(DCM_PixelData);
  pixels->putOriginalRepresentation(xfer, nullptr, sequence);
  ff.getDataset()->insert(pixels, true);
  EXPECT_TRUE(testing::save(ff, file, xfer));
  return file;
}

TEST_F(PixelReaderTest, UnsupportedTransferSyntax) {
  expectFailure(writeEncapsulated(path("j2k.dcm"), EXS_JPEG2000LosslessOnly, "not really J2K"), 0,
                "unsupported_transfer_syntax");
}

TEST_F(PixelReaderTest, DecoderErrorsAndShortPixelData) {
  expectFailure(writeEncapsulated(path("bad_jpeg.dcm"), EXS_JPEGProcess14SV1, "not a JPEG stream"),
                0, "pixel_decode_failed");
  expectFailure(writeEncapsulated(path("bad_rle.dcm"), EXS_RLELossless, "garbage RLE"), 0,
                "pixel_decode_failed");
  // An RLE header whose segment offsets point past the fragment.
  std::string header(80, '\0');
  header[0] = 2;       // two segments (16-bit samples)
  header[4] = 64;      // first segment right after the header
  header[8] = '\x7f';  // second segment at offset 127 > 80 bytes
  expectFailure(writeEncapsulated(path("bad_rle_offsets.dcm"), EXS_RLELossless, header), 0,
                "pixel_decode_failed");

  // Two frames declared, one frame of pixels stored.
  ImageSpec spec;
  spec.frames = 2;
  spec.words = ramp(12, 0);
  const std::filesystem::path short_file = write("short.dcm", spec);
  EXPECT_EQ(readOk(short_file, 1).values, asFloats(spec.words));
  expectFailure(short_file, 2, "pixel_decode_failed");
}

TEST_F(PixelReaderTest, NullOutputsAreAllowed) {
  EXPECT_FALSE(readPixels(path("missing.dcm"), 0, nullptr, nullptr).has_value());
  ImageSpec spec;
  spec.words = ramp(12, 0);
  EXPECT_TRUE(readPixels(write("ok.dcm", spec), 0, nullptr, nullptr).has_value());
}

// Four threads read different files (uncompressed, JPEG lossless, RLE, JPEG-LS, multi-frame)
// at the same time; every read must give the expected values. Meant to be run under TSan too.
TEST_F(PixelReaderTest, ConcurrentReads) {
  ImageSpec spec;
  spec.rows = 32;
  spec.cols = 24;
  spec.frames = 3;
  spec.bits_stored = 16;
  spec.is_signed = true;
  for (int i = 0; i < 3 * 32 * 24; ++i) {
    spec.words.push_back(
        static_cast<std::uint16_t>(static_cast<std::int16_t>((i * 37) % 5000 - 2500)));
  }
  const DJ_RPLossless lossless(6, 0);
  const DcmRLERepresentationParameter rle;
  const DJLSRepresentationParameter jpeg_ls(0, OFTrue);
  struct Case {
    std::filesystem::path file;
    int frame;
    std::vector<float> expected;
  };
  std::vector<Case> cases;
  const std::vector<std::pair<E_TransferSyntax, const DcmRepresentationParameter*>> variants = {
      {EXS_LittleEndianExplicit, nullptr},
      {EXS_JPEGProcess14SV1, &lossless},
      {EXS_RLELossless, &rle},
      {EXS_JPEGLSLossless, &jpeg_ls},
      {EXS_BigEndianExplicit, nullptr},
      {EXS_DeflatedLittleEndianExplicit, nullptr}};
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const std::filesystem::path file = write("concurrent_" + std::to_string(v) + ".dcm", spec,
                                             variants[v].first, variants[v].second);
    for (int frame = 1; frame <= 3; ++frame) {
      std::vector<float> expected;
      for (int i = 0; i < 32 * 24; ++i) {
        expected.push_back(static_cast<std::int16_t>(
            spec.words[static_cast<std::size_t>((frame - 1) * 32 * 24 + i)]));
      }
      cases.push_back({file, frame, expected});
    }
  }

  std::atomic<int> failures{0};
  std::atomic<int> reads{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 6; ++round) {
        for (std::size_t c = 0; c < cases.size(); ++c) {
          const Case& item = cases[(c + static_cast<std::size_t>(t) * 5) % cases.size()];
          std::string key;
          const std::optional<PixelImage> image = readPixels(item.file, item.frame, &key, nullptr);
          if (!image || image->values != item.expected) failures.fetch_add(1);
          reads.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(reads.load(), 4 * 6 * static_cast<int>(cases.size()));
}

}  // namespace
}  // namespace planelab::dicom
