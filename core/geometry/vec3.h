// Plain 3-vector in the DICOM patient frame (LPS: +x left, +y posterior, +z head), millimetres.
#pragma once

#include <cmath>

namespace planelab::geometry {

struct Vec3 {
  double x = 0.0;
  double y = 0.0;
  double z = 0.0;

  constexpr Vec3 operator+(const Vec3& o) const { return {x + o.x, y + o.y, z + o.z}; }
  constexpr Vec3 operator-(const Vec3& o) const { return {x - o.x, y - o.y, z - o.z}; }
  constexpr Vec3 operator-() const { return {-x, -y, -z}; }
  constexpr Vec3 operator*(double s) const { return {x * s, y * s, z * s}; }
  constexpr Vec3 operator/(double s) const { return {x / s, y / s, z / s}; }
  Vec3& operator+=(const Vec3& o) {
    x += o.x;
    y += o.y;
    z += o.z;
    return *this;
  }
  Vec3& operator-=(const Vec3& o) {
    x -= o.x;
    y -= o.y;
    z -= o.z;
    return *this;
  }
};

constexpr Vec3 operator*(double s, const Vec3& v) {
  return v * s;
}
constexpr double dot(const Vec3& a, const Vec3& b) {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}
constexpr Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline double norm(const Vec3& v) {
  return std::sqrt(dot(v, v));
}
// Unit vector along v; v must not be zero.
inline Vec3 normalized(const Vec3& v) {
  return v / norm(v);
}
// Component of v perpendicular to the unit vector n.
constexpr Vec3 projectOntoPlane(const Vec3& v, const Vec3& n) {
  return v - n * dot(v, n);
}
// Rotation of v about the unit axis k by angle_rad (Rodrigues' formula).
inline Vec3 rotateAbout(const Vec3& v, const Vec3& k, double angle_rad) {
  const double c = std::cos(angle_rad);
  const double s = std::sin(angle_rad);
  return v * c + cross(k, v) * s + k * (dot(k, v) * (1.0 - c));
}

constexpr double kPi = 3.14159265358979323846;
constexpr double degToRad(double deg) {
  return deg * kPi / 180.0;
}
constexpr double radToDeg(double rad) {
  return rad * 180.0 / kPi;
}

}  // namespace planelab::geometry
