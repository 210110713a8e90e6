// NIfTI-1 single files (.nii, .nii.gz): the exchange format of nnU-Net, ACDC-style label volumes
// and most research tools. Only what PlaneLab writes and reads: 3-D/4-D scalar volumes, the sform
// (and an equivalent qform) in the NIfTI world frame (RAS+, mm).
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace planelab::nifti {

// NIfTI datatype codes (nifti1.h).
enum class DataType : short {
  kUint8 = 2,
  kInt16 = 4,
  kInt32 = 8,
  kFloat32 = 16,
  kFloat64 = 64,
  kInt8 = 256,
  kUint16 = 512,
  kUint32 = 768,
};

// Voxel (i, j, k) -> world (x, y, z) in RAS+ mm: world = A[0..2][0..2] * (i, j, k) + A[.][3].
using Affine = std::array<std::array<double, 4>, 3>;

struct Volume {
  std::array<int, 4> dim{1, 1, 1, 1};  // nx, ny, nz, nt (voxels; nt = 1 for 3-D)
  double time_step_s = 0.0;            // pixdim[4] of a 4-D volume
  Affine affine{};                     // voxel -> RAS mm
  DataType type = DataType::kFloat32;  // how the values are stored on disk
  std::vector<float> values;           // x fastest, then y, z, t (after scl_slope/inter on read)
  std::string description;             // descrip, <= 79 characters kept

  std::size_t voxels() const { return static_cast<std::size_t>(dim[0]) * dim[1] * dim[2] * dim[3]; }
  // Spacing along the voxel axes (mm): the column norms of the affine.
  std::array<double, 3> spacing() const;
};

// kInt16 when every value is an integer in [-32768, 32767] (MR pixels after a unit Modality LUT:
// half the bytes of float32, stored exactly), else `otherwise`.
DataType exactType(const std::vector<float>& values, DataType otherwise = DataType::kFloat32);

// Writes `volume` (gzip-compressed when the name ends in ".gz", zlib level 1: on MR volumes level
// 6 is about 1 % smaller and five times slower) via "<file>.tmp" and a rename, so
// an interrupted write never leaves a truncated file. sform_code = qform_code = 1 (scanner);
// the qform is the sform's rotation (orthonormalised) with qfac for left-handed axes. Values are
// rounded (and clamped) to integer types. Throws std::runtime_error "[cannot_write] ..." or
// "[invalid_volume] ..." (dim/values mismatch).
void writeVolume(const std::filesystem::path& file, const Volume& volume);

// Reads a NIfTI-1 file (plain or gzip, either byte order). The affine is the sform when
// sform_code > 0, else the qform when qform_code > 0, else the pixdim diagonal (ANALYZE). Throws
// std::runtime_error "[cannot_read_nifti] ..." (missing, truncated, not NIfTI-1) or
// "[unsupported_nifti] ..." (NIfTI-2, complex/RGB data, more than 4 dimensions).
Volume readVolume(const std::filesystem::path& file);

// DICOM patient coordinates (LPS+) <-> NIfTI world (RAS+): x and y change sign.
std::array<double, 3> lpsToRas(const std::array<double, 3>& lps);

}  // namespace planelab::nifti
