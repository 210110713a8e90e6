// One 2-D image placed in the patient frame, exactly as DICOM's Image Plane module defines it.
#pragma once

#include <array>
#include <string>

#include "geometry/vec3.h"

namespace planelab::geometry {

// Continuous pixel coordinates: row = i (down the image), col = j (along a row), 0-based,
// integer values at pixel centres.
struct PixelCoord {
  double row = 0.0;
  double col = 0.0;
};

// A point mapped into an image: its pixel coordinates plus its signed distance from the plane
// along the plane normal (mm).
struct PlaneProjection {
  PixelCoord pixel;
  double out_of_plane_mm = 0.0;
};

// Conventions (DICOM PS3.3 C.7.6.2.1.1):
//  - position_mm (ImagePositionPatient) is the centre of the first transmitted pixel (row 0, col
//  0).
//  - row_dir = ImageOrientationPatient[0..2] is the direction of increasing *column* index j.
//  - col_dir = ImageOrientationPatient[3..5] is the direction of increasing *row* index i.
//  - PixelSpacing = [row_spacing_mm, col_spacing_mm]: the distance between rows (along col_dir),
//    then the distance between columns (along row_dir).
//  X(i, j) = position + j * col_spacing * row_dir + i * row_spacing * col_dir.
struct ImagePlane {
  Vec3 position_mm;
  Vec3 row_dir{1.0, 0.0, 0.0};
  Vec3 col_dir{0.0, 1.0, 0.0};
  double row_spacing_mm = 1.0;
  double col_spacing_mm = 1.0;
  int rows = 0;
  int cols = 0;

  // From the raw DICOM fields; orientation vectors are used as given (see validate()).
  static ImagePlane fromDicom(const std::array<double, 3>& image_position_patient,
                              const std::array<double, 6>& image_orientation_patient,
                              const std::array<double, 2>& pixel_spacing, int rows, int cols);

  // Unit normal row_dir x col_dir (right-handed with the image axes).
  Vec3 normal() const;
  Vec3 toPatient(double row, double col) const;
  Vec3 toPatient(const PixelCoord& p) const { return toPatient(p.row, p.col); }
  // Orthogonal projection of a patient point into the image.
  PlaneProjection toPixel(const Vec3& patient_mm) const;
  // Centre of the pixel rectangle in the patient frame.
  Vec3 centre() const;
  // Extent of the pixel area (edge to edge): cols * col_spacing and rows * row_spacing, mm.
  double widthMm() const { return cols * col_spacing_mm; }
  double heightMm() const { return rows * row_spacing_mm; }

  // Empty when the plane is usable; otherwise a stable key: "orientation_not_unit",
  // "orientation_not_orthogonal", "bad_pixel_spacing", "bad_matrix_size".
  std::string validate(double tolerance = 1e-4) const;
};

}  // namespace planelab::geometry
