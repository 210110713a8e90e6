#include "nifti/nifti_file.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "temp_dir.h"

namespace planelab::nifti {
namespace {

// An oblique, left-handed affine (a flipped slice axis) with 1.5 x 1.25 x 8 mm voxels.
Affine obliqueAffine() {
  const double c = std::cos(0.3), s = std::sin(0.3);
  return {
      {{1.5 * c, -1.25 * s, 0.0, -40.0}, {1.5 * s, 1.25 * c, 0.0, 12.5}, {0.0, 0.0, -8.0, 70.0}}};
}

Volume ramp(std::array<int, 4> dim, DataType type) {
  Volume v;
  v.dim = dim;
  v.affine = obliqueAffine();
  v.type = type;
  v.description = "test volume";
  v.values.resize(v.voxels());
  for (std::size_t i = 0; i < v.values.size(); ++i) v.values[i] = static_cast<float>(i % 251);
  return v;
}

std::string errorOf(const std::filesystem::path& file) {
  try {
    readVolume(file);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

void expectAffineNear(const Affine& a, const Affine& b, double tolerance) {
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_NEAR(a[i][j], b[i][j], tolerance) << i << "," << j;
}

TEST(NiftiFile, RoundTripsCompressedAndPlainVolumes) {
  const auto dir = testing::freshTempDir("nifti", "round_trip");
  for (const char* name : {"labels.nii.gz", "labels.nii"}) {
    const Volume written = ramp({7, 5, 3, 1}, DataType::kUint8);
    writeVolume(dir / name, written);
    const Volume read = readVolume(dir / name);
    EXPECT_EQ(read.dim, written.dim);
    EXPECT_EQ(read.type, DataType::kUint8);
    EXPECT_EQ(read.values, written.values);
    EXPECT_EQ(read.description, "test volume");
    expectAffineNear(read.affine, written.affine, 1e-5);
    EXPECT_FALSE(std::filesystem::exists(dir / (std::string(name) + ".tmp")));
  }
  // gzip magic only on the .gz file.
  std::ifstream gz(dir / "labels.nii.gz", std::ios::binary);
  EXPECT_EQ(gz.get(), 0x1f);
  EXPECT_EQ(std::filesystem::file_size(dir / "labels.nii"), 352u + 7 * 5 * 3);
}

TEST(NiftiFile, FourDimensionalFloatVolumeKeepsItsTimeAxis) {
  const auto dir = testing::freshTempDir("nifti", "four_d");
  Volume written = ramp({4, 3, 2, 5}, DataType::kFloat32);
  written.values[7] = -3.25f;
  written.time_step_s = 0.04;
  writeVolume(dir / "cine.nii.gz", written);
  const Volume read = readVolume(dir / "cine.nii.gz");
  EXPECT_EQ(read.dim, written.dim);
  EXPECT_EQ(read.values, written.values);
  EXPECT_NEAR(read.time_step_s, 0.04, 1e-7);
}

TEST(NiftiFile, QformAloneGivesTheSameAffine) {
  // Zero sform_code (offset 254): readers fall back to the quaternion we wrote.
  const auto dir = testing::freshTempDir("nifti", "qform");
  const Volume written = ramp({3, 3, 3, 1}, DataType::kInt16);
  writeVolume(dir / "v.nii", written);
  std::fstream f(dir / "v.nii", std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(254);
  const char zero[2] = {0, 0};
  f.write(zero, 2);
  f.close();
  const Volume read = readVolume(dir / "v.nii");
  expectAffineNear(read.affine, written.affine, 1e-4);
  EXPECT_EQ(read.values, written.values);
}

TEST(NiftiFile, IntegerTypesRoundAndClamp) {
  const auto dir = testing::freshTempDir("nifti", "clamp");
  Volume v = ramp({3, 1, 1, 1}, DataType::kUint8);
  v.values = {-4.0f, 2.6f, 300.0f};
  writeVolume(dir / "v.nii", v);
  EXPECT_EQ(readVolume(dir / "v.nii").values, (std::vector<float>{0.0f, 3.0f, 255.0f}));
  EXPECT_EQ(exactType({0.0f, -32768.0f, 32767.0f}), DataType::kInt16);
  EXPECT_EQ(exactType({0.0f, 0.5f}), DataType::kFloat32);
  EXPECT_EQ(exactType({40000.0f}), DataType::kFloat32);
  EXPECT_EQ(exactType({-40000.0f}, DataType::kFloat64), DataType::kFloat64);
}

TEST(NiftiFile, BadFilesGiveKeys) {
  const auto dir = testing::freshTempDir("nifti", "bad");
  EXPECT_EQ(errorOf(dir / "missing.nii").rfind("[cannot_read_nifti]", 0), 0u);
  writeVolume(dir / "whole.nii", ramp({8, 8, 8, 1}, DataType::kFloat32));
  std::ifstream in(dir / "whole.nii", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(dir / "truncated.nii", std::ios::binary) << bytes.substr(0, 1000);
  EXPECT_EQ(errorOf(dir / "truncated.nii").rfind("[cannot_read_nifti]", 0), 0u)
      << errorOf(dir / "truncated.nii");
  std::ofstream(dir / "text.nii") << std::string(400, 'x');
  EXPECT_EQ(errorOf(dir / "text.nii").rfind("[cannot_read_nifti]", 0), 0u);
  std::string nifti2 = bytes;
  const std::int32_t size2 = 540;
  std::memcpy(nifti2.data(), &size2, 4);
  std::ofstream(dir / "two.nii", std::ios::binary) << nifti2;
  EXPECT_EQ(errorOf(dir / "two.nii").rfind("[unsupported_nifti]", 0), 0u);
  Volume wrong = ramp({2, 2, 2, 1}, DataType::kUint8);
  wrong.values.pop_back();
  EXPECT_THROW(writeVolume(dir / "wrong.nii", wrong), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir / "wrong.nii"));
}

TEST(NiftiFile, ReadsBigEndianFiles) {
  // A big-endian file as other tools may write it: header fields and data byte-swapped.
  const auto dir = testing::freshTempDir("nifti", "big_endian");
  const Volume written = ramp({3, 2, 2, 1}, DataType::kInt16);
  writeVolume(dir / "le.nii", written);
  std::ifstream in(dir / "le.nii", std::ios::binary);
  std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto swap = [&b](std::size_t at, std::size_t size) {
    std::reverse(b.begin() + static_cast<long>(at), b.begin() + static_cast<long>(at + size));
  };
  swap(0, 4);
  for (std::size_t at = 40; at < 56; at += 2) swap(at, 2);
  swap(70, 2);
  swap(72, 2);
  for (std::size_t at = 76; at < 120; at += 4) swap(at, 4);
  swap(252, 2);
  swap(254, 2);
  for (std::size_t at = 256; at < 328; at += 4) swap(at, 4);
  for (std::size_t at = 352; at < b.size(); at += 2) swap(at, 2);
  std::ofstream(dir / "be.nii", std::ios::binary) << b;
  const Volume read = readVolume(dir / "be.nii");
  EXPECT_EQ(read.values, written.values);
  expectAffineNear(read.affine, written.affine, 1e-5);
}

}  // namespace
}  // namespace planelab::nifti
