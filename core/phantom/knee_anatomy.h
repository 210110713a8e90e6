// Analytic knee (PHANTOM.md 5.2): femur with condyles, trochlea and notch, tibia with sloped
// plateaus and eminence, patella, cartilage shells, wedge-shaped menisci, cruciate and
// collateral ligaments, tendons, Hoffa's fat pad, joint fluid, popliteal vessels, muscles,
// subcutaneous fat and skin, placed obliquely in the scanner.
//
// Knee frame: x_k medial -> lateral, y_k anterior -> posterior, z_k distal -> proximal (along the
// femoral shaft), origin at the femoral notch, distal condylar surfaces at z_k = 0. x_k is the
// posterior condylar axis (the posterior surfaces of both condyles touch the same y_k). For a
// right knee the frame is left-handed in LPS: left and right knees are exact mirror images.
//
// Labels: 0 background, 1 femur, 2 tibia, 3 patella, 4 femoral cartilage, 5 tibial cartilage,
// 6 patellar cartilage, 7 medial meniscus, 8 lateral meniscus (bone labels include cortex and
// marrow; the fibula is bone tissue with label 0).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "geometry/vec3.h"
#include "phantom/anatomy.h"
#include "phantom/difficulty.h"
#include "phantom/rng.h"
#include "phantom/study.h"

namespace planelab::phantom {

constexpr std::uint8_t kLabelFemur = 1;
constexpr std::uint8_t kLabelTibia = 2;
constexpr std::uint8_t kLabelPatella = 3;
constexpr std::uint8_t kLabelFemoralCartilage = 4;
constexpr std::uint8_t kLabelTibialCartilage = 5;
constexpr std::uint8_t kLabelPatellarCartilage = 6;
constexpr std::uint8_t kLabelMedialMeniscus = 7;
constexpr std::uint8_t kLabelLateralMeniscus = 8;

// One subject's knee. Lengths are in mm *before* the global scale (the anatomy multiplies every
// length by `scale`); angles in degrees.
struct KneeSubject {
  std::string side = "L";  // laterality L / R
  bool female = false;
  int age_years = 45;
  double weight_kg = 75.0;

  // Pose: flexion of the tibia against the femur (the femur itself is tilted by half of it),
  // external rotation of the limb about the scanner z axis, varus (+) / valgus (-) tilt of the
  // knee in the coronal plane. `joint_centre_mm` is where the joint centre (between the condyles
  // at the joint line) lies in the patient frame (LPS), near the magnet isocentre.
  double scale = 1.0;
  double flexion_deg = 10.0;
  double external_rotation_deg = 7.5;
  double varus_valgus_deg = 0.0;
  geometry::Vec3 joint_centre_mm;

  // Femur.
  double condyle_radius = 21.0;            // lateral condyle, sagittal radius R_c
  double medial_condyle_elongation = 1.2;  // AP semi-axis of the medial condyle / R_c
  double shaft_radius = 14.0;
  double posterior_condylar_offset = 25.0;
  double notch_width = 20.0;
  double notch_roof_angle_deg = 40.0;  // Blumensaat line against the shaft axis
  double trochlear_depth = 5.0;

  // Cartilage: common factor (+-20 %) and the resulting thicknesses.
  double cartilage_scale = 1.0;
  double femoral_cartilage = 2.0;
  double tibial_cartilage = 2.5;
  double patellar_cartilage = 3.0;

  // Tibia.
  double tibial_width = 76.0;
  double tibial_depth = 50.0;  // AP
  double tibial_shaft_radius = 16.0;
  double posterior_slope_deg = 7.0;
  double medial_plateau_depth = 2.0;  // concavity of the medial plateau
  double eminence_height = 7.0;

  // Menisci.
  double meniscus_outer_radius = 22.0;
  double meniscus_width = 10.0;
  double meniscus_height = 6.0;
  double medial_meniscus_gap_deg = 90.0;
  double lateral_meniscus_gap_deg = 50.0;

  // Patella: full lengths ML x AP x SI and its height offset (alta + / baja -).
  geometry::Vec3 patella_size{44.0, 22.0, 36.0};
  double patella_height = 0.0;

  // Ligaments and soft tissue.
  double acl_radius = 4.5;
  double pcl_radius = 5.0;
  double effusion = 2.0;  // suprapatellar recess thickness
  double subcutaneous_fat = 10.0;
  double limb_extra_width = 12.0;  // muscle / capsule margin around the bones (ML)
  double limb_extra_depth = 34.0;  // popliteal fossa + gastrocnemius depth behind the condyles
};

// Draws a knee: shape from the PHANTOM.md 5.2 distributions, the pose ranges (flexion U(0,20),
// external rotation U(-5,20), varus/valgus +-6) scaled by the knobs' pose SD (L2 = full range,
// L0 = the mean pose), the knee centre near the isocentre.
KneeSubject sampleKneeSubject(Rng& rng, const DifficultyKnobs& knobs);

// Landmarks in the knee frame (already scaled, mm).
struct KneeLandmarks {
  geometry::Vec3 medial_condyle_centre;
  geometry::Vec3 lateral_condyle_centre;
  geometry::Vec3 medial_plateau_centre;  // on the tibial bone surface
  geometry::Vec3 lateral_plateau_centre;
  geometry::Vec3 patella_centre;
  geometry::Vec3 tibial_tuberosity;
  geometry::Vec3 joint_centre;  // between the condyles at the joint line
  // Extents of the bony knee (knee-frame coordinates): ML, AP (patella front -> posterior
  // condyles), SI (tibial tuberosity -> patella top).
  double medial_x = 0.0;
  double lateral_x = 0.0;
  double anterior_y = 0.0;
  double posterior_y = 0.0;
  double distal_z = 0.0;
  double proximal_z = 0.0;
};

class KneeAnatomy : public Anatomy {
 public:
  // Markers (optional) are spheres that override the tissue (the label stays the anatomy's).
  explicit KneeAnatomy(const KneeSubject& subject, std::vector<Marker> markers = {});
  ~KneeAnatomy() override;

  // The knee is static: every time point gives the same snapshot; breath-hold shifts are ignored.
  std::unique_ptr<AnatomySnapshot> at(double t_ms) const override;
  // Same as at(0)->eval(x, {}), without the snapshot.
  TissueSample eval(const geometry::Vec3& x_mm) const;

  const KneeSubject& subject() const;
  // Knee frame in the patient frame (LPS): origin and unit axes.
  geometry::Vec3 origin() const;
  geometry::Vec3 medialLateralAxis() const;      // x_k (posterior condylar axis)
  geometry::Vec3 anteriorPosteriorAxis() const;  // y_k
  geometry::Vec3 distalProximalAxis() const;     // z_k (femoral shaft)
  geometry::Vec3 tibialShaftAxis() const;        // distal -> proximal along the tibia
  geometry::Vec3 kneeToPatient(const geometry::Vec3& k_mm) const;
  geometry::Vec3 patientToKnee(const geometry::Vec3& x_mm) const;
  const KneeLandmarks& landmarks() const;

  struct Model;  // implementation detail (knee_anatomy.cpp)

 private:
  std::shared_ptr<const Model> model_;
};

}  // namespace planelab::phantom
