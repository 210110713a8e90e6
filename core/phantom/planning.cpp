#include "phantom/planning.h"

#include <cmath>

namespace planelab::phantom {

using geometry::Vec3;

std::pair<Vec3, Vec3> inPlaneAxes(const Vec3& n, double rotation_deg) {
  const Vec3 feet{0.0, 0.0, -1.0};
  const Vec3 posterior{0.0, 1.0, 0.0};
  const Vec3 down = std::abs(n.z) > 0.95 ? posterior : feet;
  Vec3 c0 = geometry::normalized(geometry::projectOntoPlane(down, n));
  Vec3 r0 = geometry::normalized(geometry::cross(c0, n));
  // Image right = patient left (radiological convention); for near-sagittal planes, where x
  // says nothing, image right = posterior.
  if (std::abs(n.x) > 0.95 ? r0.y < 0.0 : r0.x < 0.0) r0 = -r0;
  const double a = geometry::degToRad(rotation_deg);
  const Vec3 r = geometry::rotateAbout(r0, n, a);
  const Vec3 c = geometry::rotateAbout(c0, n, a);
  return {r, c};
}

double drawInPlaneRotationDeg(Rng& rng, double sd_deg, double family_probability) {
  double angle = rng.normal(0.0, sd_deg);
  if (family_probability > 0.0 && rng.bernoulli(family_probability)) {
    angle += rng.bernoulli(0.5) ? 90.0 : 180.0;
  }
  return angle;
}

ImageGrid drawImageGrid(Rng& rng, const DifficultyKnobs& knobs, double fov_mm,
                        const int* column_choices, int n_choices, double min_row_ratio) {
  // Prefer choices whose pixel size is in range; pick uniformly among them.
  int candidates[16];
  int n_ok = 0;
  for (int k = 0; k < n_choices && n_ok < 16; ++k) {
    const double px = fov_mm / column_choices[k];
    if (px >= knobs.pixel_spacing_min_mm - 1e-9 && px <= knobs.pixel_spacing_max_mm + 1e-9) {
      candidates[n_ok++] = column_choices[k];
    }
  }
  int cols = 0;
  if (n_ok > 0) {
    cols = candidates[rng.uniformInt(0, n_ok - 1)];
  } else {  // no listed matrix fits: use the nearest spacing in range
    const double target = 0.5 * (knobs.pixel_spacing_min_mm + knobs.pixel_spacing_max_mm);
    cols = static_cast<int>(std::lround(fov_mm / target / 2.0)) * 2;
    rng.uniform();  // keep the stream position independent of the branch
  }
  ImageGrid g;
  g.cols = cols;
  g.col_spacing_mm = std::round(fov_mm / cols * 1e4) / 1e4;  // 0.1 um precision in the header
  g.row_spacing_mm = g.col_spacing_mm;
  const double ratio = rng.uniform(min_row_ratio, 1.0);
  g.rows = static_cast<int>(std::lround(cols * ratio / 2.0)) * 2;
  return g;
}

geometry::ImagePlane planeCentredAt(const Vec3& centre_mm, const Vec3& row_dir, const Vec3& col_dir,
                                    const ImageGrid& grid) {
  geometry::ImagePlane p;
  p.row_dir = row_dir;
  p.col_dir = col_dir;
  p.rows = grid.rows;
  p.cols = grid.cols;
  p.row_spacing_mm = grid.row_spacing_mm;
  p.col_spacing_mm = grid.col_spacing_mm;
  p.position_mm = centre_mm - row_dir * (0.5 * (grid.cols - 1) * grid.col_spacing_mm) -
                  col_dir * (0.5 * (grid.rows - 1) * grid.row_spacing_mm);
  return p;
}

Vec3 anyPerpendicular(const Vec3& v) {
  const Vec3 helper = std::abs(v.x) < 0.9 ? Vec3{1.0, 0.0, 0.0} : Vec3{0.0, 1.0, 0.0};
  return geometry::normalized(geometry::cross(v, helper));
}

Vec3 tiltRandomly(Rng& rng, const Vec3& v, double angle_deg) {
  const Vec3 p = anyPerpendicular(v);
  const Vec3 axis =
      geometry::rotateAbout(p, geometry::normalized(v), rng.uniform(0.0, 2.0 * geometry::kPi));
  return geometry::normalized(geometry::rotateAbout(v, axis, geometry::degToRad(angle_deg)));
}

}  // namespace planelab::phantom
