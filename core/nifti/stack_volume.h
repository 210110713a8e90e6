// DICOM image planes <-> NIfTI volumes. A parallel stack of slices becomes one volume whose voxel
// (i, j, k) is column i, row j of the k-th slice along the plane normal, so the volume's memory
// order is the DICOM rows one after another (no flips). A label volume made elsewhere is matched
// back to image planes by geometry alone (any axis order or flips).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "geometry/image_plane.h"
#include "nifti/nifti_file.h"

namespace planelab::nifti {

struct StackLayout {
  std::vector<std::size_t> order;  // indices of the input planes for k = 0, 1, ... (along normal)
  Affine affine{};                 // voxel -> RAS mm
  int cols = 0;                    // nx
  int rows = 0;                    // ny
};

// The volume layout of parallel slices. The slice step is the mean step between neighbouring
// positions (a sheared stack gets a sheared affine); a single slice gets the normal times
// `single_slice_mm`. Throws std::runtime_error "[not_a_stack] ..." (no planes, or planes differing
// in matrix size, pixel spacing or orientation, or two at one position) or
// "[irregular_slice_spacing] ..." (a slice more than max(0.05 mm, 1% of the step) off the
// regular grid).
StackLayout stackLayout(const std::vector<geometry::ImagePlane>& planes,
                        double single_slice_mm = 1.0);

// Where an image plane lies in a volume: pixel (row r, col c) is voxel
// origin + c * along_col + r * along_row, where the steps are signed unit voxel steps.
struct PlaneInVolume {
  std::array<int, 3> origin{};
  std::array<int, 3> along_col{};
  std::array<int, 3> along_row{};
  int slice_axis = 2;  // the voxel axis across the plane
};

// The placement of `plane` in `volume` when every pixel centre lies on a voxel centre within
// `tolerance_mm` and the whole image is inside the volume; otherwise empty, with the worst corner
// distance from the voxel grid (mm; infinity when the axes do not line up or the image is
// outside) in `*residual_mm`.
std::optional<PlaneInVolume> placePlane(const Volume& volume, const geometry::ImagePlane& plane,
                                        double tolerance_mm, double* residual_mm = nullptr);

// The volume's values on the plane's pixels (rows x cols, row-major) at time index `t`.
std::vector<float> valuesOnPlane(const Volume& volume, const PlaneInVolume& placement, int rows,
                                 int cols, int t = 0);

}  // namespace planelab::nifti
