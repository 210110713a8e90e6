#include "nifti/nifti_file.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <system_error>

namespace planelab::nifti {

namespace {

constexpr int kHeaderBytes = 348;
constexpr int kVoxOffset = 352;  // header + the 4-byte "no extensions" marker

int bytesPerVoxel(DataType type) {
  switch (type) {
    case DataType::kUint8:
    case DataType::kInt8:
      return 1;
    case DataType::kInt16:
    case DataType::kUint16:
      return 2;
    case DataType::kInt32:
    case DataType::kUint32:
    case DataType::kFloat32:
      return 4;
    case DataType::kFloat64:
      return 8;
  }
  return 0;
}

template <typename T>
void put(std::vector<unsigned char>& buffer, std::size_t offset, T value) {
  std::memcpy(buffer.data() + offset, &value, sizeof value);
}

template <typename T>
T get(const std::vector<unsigned char>& buffer, std::size_t offset, bool swap) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, buffer.data() + offset, sizeof(T));
  if (swap) std::reverse(bytes, bytes + sizeof(T));
  T value;
  std::memcpy(&value, bytes, sizeof(T));
  return value;
}

template <typename T>
void storeAs(const std::vector<float>& values, std::vector<unsigned char>& out, std::size_t at) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    T v;
    if constexpr (std::is_integral_v<T>) {
      const double r = std::nearbyint(static_cast<double>(values[i]));
      v = static_cast<T>(std::clamp(r, static_cast<double>(std::numeric_limits<T>::lowest()),
                                    static_cast<double>(std::numeric_limits<T>::max())));
    } else {
      v = static_cast<T>(values[i]);
    }
    std::memcpy(out.data() + at + i * sizeof(T), &v, sizeof(T));
  }
}

template <typename T>
void loadFrom(const std::vector<unsigned char>& in, std::size_t at, bool swap,
              std::vector<float>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    values[i] = static_cast<float>(get<T>(in, at + i * sizeof(T), swap));
  }
}

using Matrix3 = std::array<std::array<double, 3>, 3>;

// Quaternion (b, c, d) and qfac of the rotation part of `a` (nifti1_io's mat44_to_quatern,
// after orthonormalising the columns; a left-handed frame gives qfac = -1).
void toQuaternion(const Affine& a, double quatern[3], double& qfac) {
  double col[3][3];
  for (int j = 0; j < 3; ++j) {
    const double n = std::sqrt(a[0][j] * a[0][j] + a[1][j] * a[1][j] + a[2][j] * a[2][j]);
    for (int i = 0; i < 3; ++i) col[j][i] = n > 0.0 ? a[i][j] / n : (i == j ? 1.0 : 0.0);
  }
  // Gram-Schmidt: the second column orthogonal to the first, the third = their cross product
  // with the sign of the original third column.
  const double d01 = col[0][0] * col[1][0] + col[0][1] * col[1][1] + col[0][2] * col[1][2];
  double n1 = 0.0;
  for (int i = 0; i < 3; ++i) {
    col[1][i] -= d01 * col[0][i];
    n1 += col[1][i] * col[1][i];
  }
  for (int i = 0; i < 3; ++i) col[1][i] /= std::sqrt(n1);
  const double cr[3] = {col[0][1] * col[1][2] - col[0][2] * col[1][1],
                        col[0][2] * col[1][0] - col[0][0] * col[1][2],
                        col[0][0] * col[1][1] - col[0][1] * col[1][0]};
  const double side = cr[0] * col[2][0] + cr[1] * col[2][1] + cr[2] * col[2][2];
  qfac = side < 0.0 ? -1.0 : 1.0;
  for (int i = 0; i < 3; ++i) col[2][i] = cr[i];  // proper rotation; qfac carries the flip
  Matrix3 r;                                      // r[i][j] = row i, column j
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) r[i][j] = col[j][i];
  double qa, qb, qc, qd;
  const double trace = r[0][0] + r[1][1] + r[2][2] + 1.0;
  if (trace > 0.5) {
    qa = 0.5 * std::sqrt(trace);
    qb = 0.25 * (r[2][1] - r[1][2]) / qa;
    qc = 0.25 * (r[0][2] - r[2][0]) / qa;
    qd = 0.25 * (r[1][0] - r[0][1]) / qa;
  } else {
    const double xd = 1.0 + r[0][0] - (r[1][1] + r[2][2]);
    const double yd = 1.0 + r[1][1] - (r[0][0] + r[2][2]);
    const double zd = 1.0 + r[2][2] - (r[0][0] + r[1][1]);
    if (xd > 1.0) {
      qb = 0.5 * std::sqrt(xd);
      qc = 0.25 * (r[0][1] + r[1][0]) / qb;
      qd = 0.25 * (r[0][2] + r[2][0]) / qb;
      qa = 0.25 * (r[2][1] - r[1][2]) / qb;
    } else if (yd > 1.0) {
      qc = 0.5 * std::sqrt(yd);
      qb = 0.25 * (r[0][1] + r[1][0]) / qc;
      qd = 0.25 * (r[1][2] + r[2][1]) / qc;
      qa = 0.25 * (r[0][2] - r[2][0]) / qc;
    } else {
      qd = 0.5 * std::sqrt(zd);
      qb = 0.25 * (r[0][2] + r[2][0]) / qd;
      qc = 0.25 * (r[1][2] + r[2][1]) / qd;
      qa = 0.25 * (r[1][0] - r[0][1]) / qd;
    }
    if (qa < 0.0) {
      qb = -qb;
      qc = -qc;
      qd = -qd;
    }
  }
  quatern[0] = qb;
  quatern[1] = qc;
  quatern[2] = qd;
}

// nifti1_io's quatern_to_mat44.
Affine fromQuaternion(double b, double c, double d, const double offset[3], const double pix[3],
                      double qfac) {
  const double a = std::sqrt(std::max(0.0, 1.0 - (b * b + c * c + d * d)));
  const Matrix3 r{{{a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
                   {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
                   {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}}};
  Affine out{};
  for (int i = 0; i < 3; ++i) {
    out[i][0] = r[i][0] * pix[0];
    out[i][1] = r[i][1] * pix[1];
    out[i][2] = r[i][2] * pix[2] * qfac;
    out[i][3] = offset[i];
  }
  return out;
}

}  // namespace

std::array<double, 3> Volume::spacing() const {
  std::array<double, 3> s{};
  for (int j = 0; j < 3; ++j) {
    s[static_cast<std::size_t>(j)] = std::sqrt(
        affine[0][j] * affine[0][j] + affine[1][j] * affine[1][j] + affine[2][j] * affine[2][j]);
  }
  return s;
}

DataType exactType(const std::vector<float>& values, DataType otherwise) {
  for (const float v : values) {
    if (v != std::nearbyint(v) || v < -32768.0f || v > 32767.0f) return otherwise;
  }
  return DataType::kInt16;
}

std::array<double, 3> lpsToRas(const std::array<double, 3>& lps) {
  return {-lps[0], -lps[1], lps[2]};
}

void writeVolume(const std::filesystem::path& file, const Volume& volume) {
  for (const int d : volume.dim) {
    if (d < 1 || d > 32767) throw std::runtime_error("[invalid_volume] dimension out of range");
  }
  if (volume.values.size() != volume.voxels()) {
    throw std::runtime_error("[invalid_volume] " + std::to_string(volume.values.size()) +
                             " values for " + std::to_string(volume.voxels()) + " voxels");
  }
  const int bytes = bytesPerVoxel(volume.type);
  std::vector<unsigned char> buffer(kVoxOffset + volume.voxels() * static_cast<std::size_t>(bytes),
                                    0);
  put<std::int32_t>(buffer, 0, kHeaderBytes);
  const bool four_d = volume.dim[3] > 1;
  put<std::int16_t>(buffer, 40, static_cast<std::int16_t>(four_d ? 4 : 3));
  for (int i = 0; i < 4; ++i)
    put<std::int16_t>(buffer, 42 + 2 * i,
                      static_cast<std::int16_t>(volume.dim[static_cast<std::size_t>(i)]));
  for (int i = 4; i < 7; ++i) put<std::int16_t>(buffer, 42 + 2 * i, 1);
  put<std::int16_t>(buffer, 70, static_cast<std::int16_t>(volume.type));
  put<std::int16_t>(buffer, 72, static_cast<std::int16_t>(8 * bytes));
  double quatern[3];
  double qfac = 1.0;
  toQuaternion(volume.affine, quatern, qfac);
  const auto spacing = volume.spacing();
  put<float>(buffer, 76, static_cast<float>(qfac));
  for (int i = 0; i < 3; ++i)
    put<float>(buffer, 80 + 4 * i, static_cast<float>(spacing[static_cast<std::size_t>(i)]));
  put<float>(buffer, 92, static_cast<float>(four_d ? volume.time_step_s : 0.0));
  put<float>(buffer, 108, static_cast<float>(kVoxOffset));
  put<float>(buffer, 112, 1.0f);  // scl_slope: values are stored as they are
  buffer[123] = 2 | 8;            // xyzt_units: mm, s
  std::memcpy(buffer.data() + 148, volume.description.data(),
              std::min<std::size_t>(79, volume.description.size()));
  put<std::int16_t>(buffer, 252, 1);  // qform_code: scanner
  put<std::int16_t>(buffer, 254, 1);  // sform_code: scanner
  for (int i = 0; i < 3; ++i) put<float>(buffer, 256 + 4 * i, static_cast<float>(quatern[i]));
  for (int i = 0; i < 3; ++i)
    put<float>(buffer, 268 + 4 * i,
               static_cast<float>(volume.affine[static_cast<std::size_t>(i)][3]));
  for (int row = 0; row < 3; ++row)
    for (int c = 0; c < 4; ++c)
      put<float>(buffer, 280 + 16 * row + 4 * c,
                 static_cast<float>(
                     volume.affine[static_cast<std::size_t>(row)][static_cast<std::size_t>(c)]));
  std::memcpy(buffer.data() + 344, "n+1\0", 4);
  switch (volume.type) {
    case DataType::kUint8:
      storeAs<std::uint8_t>(volume.values, buffer, kVoxOffset);
      break;
    case DataType::kInt8:
      storeAs<std::int8_t>(volume.values, buffer, kVoxOffset);
      break;
    case DataType::kInt16:
      storeAs<std::int16_t>(volume.values, buffer, kVoxOffset);
      break;
    case DataType::kUint16:
      storeAs<std::uint16_t>(volume.values, buffer, kVoxOffset);
      break;
    case DataType::kInt32:
      storeAs<std::int32_t>(volume.values, buffer, kVoxOffset);
      break;
    case DataType::kUint32:
      storeAs<std::uint32_t>(volume.values, buffer, kVoxOffset);
      break;
    case DataType::kFloat32:
      storeAs<float>(volume.values, buffer, kVoxOffset);
      break;
    case DataType::kFloat64:
      storeAs<double>(volume.values, buffer, kVoxOffset);
      break;
  }

  const std::filesystem::path tmp = file.string() + ".tmp";
  const bool gz = file.extension() == ".gz";
  bool ok = false;
  if (gz) {
    gzFile out = gzopen(tmp.string().c_str(), "wb1");
    if (out != nullptr) {
      std::size_t done = 0;
      ok = true;
      while (ok && done < buffer.size()) {
        const auto chunk =
            static_cast<unsigned>(std::min<std::size_t>(buffer.size() - done, 1u << 30));
        ok = gzwrite(out, buffer.data() + done, chunk) == static_cast<int>(chunk);
        done += chunk;
      }
      ok = gzclose(out) == Z_OK && ok;
    }
  } else if (FILE* out = std::fopen(tmp.string().c_str(), "wb")) {
    ok = std::fwrite(buffer.data(), 1, buffer.size(), out) == buffer.size();
    ok = std::fclose(out) == 0 && ok;
  }
  std::error_code ec;
  if (ok) std::filesystem::rename(tmp, file, ec);
  if (!ok || ec) {
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error("[cannot_write] " + file.string());
  }
}

Volume readVolume(const std::filesystem::path& file) {
  const std::string name = file.string();
  gzFile in = gzopen(name.c_str(), "rb");  // reads plain files too
  if (in == nullptr) throw std::runtime_error("[cannot_read_nifti] cannot open " + name);
  std::vector<unsigned char> buffer;
  unsigned char chunk[1 << 16];
  int got = 0;
  while ((got = gzread(in, chunk, sizeof chunk)) > 0)
    buffer.insert(buffer.end(), chunk, chunk + got);
  const bool read_error = got < 0;
  gzclose(in);
  if (read_error)
    throw std::runtime_error("[cannot_read_nifti] corrupt compressed data in " + name);
  if (buffer.size() < kHeaderBytes)
    throw std::runtime_error("[cannot_read_nifti] " + name + " is too short for a NIfTI header");
  const auto size_native = get<std::int32_t>(buffer, 0, false);
  const auto size_swapped = get<std::int32_t>(buffer, 0, true);
  if (size_native == 540 || size_swapped == 540) {
    throw std::runtime_error("[unsupported_nifti] " + name + " is NIfTI-2");
  }
  if (size_native != kHeaderBytes && size_swapped != kHeaderBytes) {
    throw std::runtime_error("[cannot_read_nifti] " + name + " is not a NIfTI-1 file");
  }
  const bool swap = size_native != kHeaderBytes;
  if (std::memcmp(buffer.data() + 344, "n+1", 4) != 0) {
    throw std::runtime_error("[cannot_read_nifti] " + name +
                             " is not a single-file NIfTI-1 (.hdr/.img pairs are not read)");
  }
  Volume v;
  const int rank = get<std::int16_t>(buffer, 40, swap);
  if (rank < 1 || rank > 7) throw std::runtime_error("[cannot_read_nifti] bad dim[0] in " + name);
  for (int i = 1; i <= 7; ++i) {
    const int d = get<std::int16_t>(buffer, 40 + 2 * i, swap);
    if (i <= rank && d < 1)
      throw std::runtime_error("[cannot_read_nifti] bad dimension in " + name);
    if (i > 4 && i <= rank && d > 1) {
      throw std::runtime_error("[unsupported_nifti] " + name + " has more than 4 dimensions");
    }
    if (i <= 4) v.dim[static_cast<std::size_t>(i - 1)] = i <= rank ? d : 1;
  }
  const auto code = get<std::int16_t>(buffer, 70, swap);
  v.type = static_cast<DataType>(code);
  const int bytes = bytesPerVoxel(v.type);
  if (bytes == 0) {
    throw std::runtime_error("[unsupported_nifti] datatype " + std::to_string(code) + " in " +
                             name);
  }
  double pix[8];
  for (int i = 0; i < 8; ++i) pix[i] = get<float>(buffer, 76 + 4 * i, swap);
  v.time_step_s = v.dim[3] > 1 ? pix[4] : 0.0;
  const auto offset = static_cast<std::size_t>(get<float>(buffer, 108, swap));
  if (offset < kHeaderBytes ||
      buffer.size() < offset + v.voxels() * static_cast<std::size_t>(bytes)) {
    throw std::runtime_error("[cannot_read_nifti] " + name + " is truncated");
  }
  const double slope = get<float>(buffer, 112, swap);
  const double inter = get<float>(buffer, 116, swap);
  char descrip[81] = {};
  std::memcpy(descrip, buffer.data() + 148, 80);
  v.description = descrip;
  const auto qform_code = get<std::int16_t>(buffer, 252, swap);
  const auto sform_code = get<std::int16_t>(buffer, 254, swap);
  if (sform_code > 0) {
    for (int row = 0; row < 3; ++row)
      for (int c = 0; c < 4; ++c)
        v.affine[static_cast<std::size_t>(row)][static_cast<std::size_t>(c)] =
            get<float>(buffer, 280 + 16 * row + 4 * c, swap);
  } else if (qform_code > 0) {
    const double qoffset[3] = {get<float>(buffer, 268, swap), get<float>(buffer, 272, swap),
                               get<float>(buffer, 276, swap)};
    const double spacing[3] = {pix[1], pix[2], pix[3]};
    v.affine =
        fromQuaternion(get<float>(buffer, 256, swap), get<float>(buffer, 260, swap),
                       get<float>(buffer, 264, swap), qoffset, spacing, pix[0] < 0.0 ? -1.0 : 1.0);
  } else {
    for (int i = 0; i < 3; ++i)
      v.affine[static_cast<std::size_t>(i)][static_cast<std::size_t>(i)] = pix[i + 1];
  }
  v.values.resize(v.voxels());
  switch (v.type) {
    case DataType::kUint8:
      loadFrom<std::uint8_t>(buffer, offset, swap, v.values);
      break;
    case DataType::kInt8:
      loadFrom<std::int8_t>(buffer, offset, swap, v.values);
      break;
    case DataType::kInt16:
      loadFrom<std::int16_t>(buffer, offset, swap, v.values);
      break;
    case DataType::kUint16:
      loadFrom<std::uint16_t>(buffer, offset, swap, v.values);
      break;
    case DataType::kInt32:
      loadFrom<std::int32_t>(buffer, offset, swap, v.values);
      break;
    case DataType::kUint32:
      loadFrom<std::uint32_t>(buffer, offset, swap, v.values);
      break;
    case DataType::kFloat32:
      loadFrom<float>(buffer, offset, swap, v.values);
      break;
    case DataType::kFloat64:
      loadFrom<double>(buffer, offset, swap, v.values);
      break;
  }
  if (slope != 0.0 && (slope != 1.0 || inter != 0.0)) {
    for (float& value : v.values) value = static_cast<float>(value * slope + inter);
  }
  return v;
}

}  // namespace planelab::nifti
