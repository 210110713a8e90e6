// A generated phantom study: what was "scanned" (the plan, as a scanner would write it into the
// headers), the anatomy and appearance that produce the pixels, and the exact ground truth.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geometry/image_plane.h"
#include "phantom/anatomy.h"
#include "phantom/difficulty.h"
#include "phantom/tissue.h"

namespace planelab::phantom {

enum class Organ { kHeart, kKnee };
// Series/folder layouts of real cohorts (PHANTOM.md 3.7): Kaggle DSB, UK Biobank, and DSB with
// the import-robustness quirks.
enum class Layout { kDsb, kUkb, kQuirks };

std::optional<Organ> parseOrgan(const std::string& text);    // "heart" | "knee"
std::optional<Layout> parseLayout(const std::string& text);  // "dsb" | "ukb" | "quirks"
std::string organName(Organ organ);
std::string layoutName(Layout layout);

// One acquired slice position of a series.
struct SlicePlan {
  geometry::ImagePlane plane;
  // Where the organs really were during this breath-hold (mm, LPS); the header does not know.
  geometry::Vec3 breath_hold_shift_mm;
  // Phase indices acquired at this position (all phases unless a "missing phase" quirk).
  std::vector<int> phases;
};

struct SeriesPlan {
  std::string view;         // sax, 2ch, 3ch, 4ch, localizer (heart); sag, cor, ax (knee)
  std::string description;  // SeriesDescription; empty for the blank-description quirk
  std::string folder;       // folder of the layout, relative to the study folder
  int series_number = 0;
  bool gated = false;   // cine: TriggerTime, NominalInterval, CardiacNumberOfImages, CG
  int phase_count = 1;  // CardiacNumberOfImages
  std::vector<double> trigger_times_ms;  // per phase, as written to TriggerTime
  double slice_thickness_mm = 0.0;
  double spacing_between_slices_mm = 0.0;  // centre-to-centre; 0 for single-slice series
  std::vector<SlicePlan> slices;
  // k-space window actually acquired (fractions of the reconstructed matrix) and encoding.
  double phase_fraction = 1.0;
  double readout_fraction = 1.0;
  bool phase_encoding_along_rows = true;  // InPlanePhaseEncodingDirection ROW (else COL)
  bool labelled = false;                  // ground truth exported as DICOM SEG
  // Seconds after the study start of this series' acquisition (AcquisitionTime); a repeated
  // slice is acquired later than the series it repeats.
  double acquisition_offset_s = 0.0;
};

// Acquisition settings shared by a study, as written to the headers.
struct AcquisitionParameters {
  std::string patient_position = "HFS";
  std::string body_part = "HEART";
  std::string laterality;  // "L" / "R" for knees, empty for the heart
  std::string scanning_sequence = "GR";
  std::string sequence_variant = "SS";
  std::string scan_options = "CG";
  std::string sequence_name = "bSSFP";
  double repetition_time_ms = 3.0;
  double echo_time_ms = 1.5;
  double flip_angle_deg = 60.0;
  double field_strength_t = 1.5;
  int echo_train_length = 1;
  double heart_rate_bpm = 0.0;       // 0 for ungated studies
  double nominal_interval_ms = 0.0;  // RR interval
};

struct Patient {
  std::string id;    // PatientID, e.g. PL-HEART-0007
  std::string name;  // PatientName
  std::string sex;   // M / F
  int age_years = 0;
  double weight_kg = 0.0;
};

// A small sphere of distinct intensity at a known patient point (asymmetric marker mode): lets a
// test detect transposed or flipped images.
struct Marker {
  geometry::Vec3 centre_mm;
  double radius_mm = 3.0;
  Tissue tissue = Tissue::kMarkerA;
  std::string name;
};

// How tissues look in this study (contrast, texture, coil shading, noise, scaling).
struct Appearance {
  std::array<double, kTissueCount> signal{};  // steady-state signal per tissue (arbitrary units)
  // Texture: sum of plane waves in patient space, amplitude per tissue (relative).
  std::array<double, kTissueCount> texture_amplitude{};
  std::array<geometry::Vec3, 8> texture_wave_vectors{};  // rad/mm
  std::array<double, 8> texture_phases{};
  // Bias field B(X) = exp(sum_k c_k P_k((X - centre)/250 mm)), monomials up to order 3.
  geometry::Vec3 bias_centre_mm;
  std::array<double, 20> bias_coefficients{};
  double noise_sigma = 0.0;  // complex Gaussian noise SD in signal units; 0 = noise-free
  double gain = 1.0;         // signal -> stored value
  int bits_stored = 12;
};

struct CardiacTruth {
  std::string group;  // NOR, DCM, HCM, MINF, ARV
  double lv_edv_ml = 0.0;
  double lv_esv_ml = 0.0;
  double lv_ef = 0.0;
  double lv_myocardial_volume_ml = 0.0;
  double lv_mass_g = 0.0;  // 1.05 g/mL
  double rv_edv_ml = 0.0;
  double rv_esv_ml = 0.0;
  double wall_thickness_ed_mm = 0.0;
  double wall_thickness_es_mm = 0.0;
  int ed_phase = 0;
  int es_phase = 0;
  geometry::Vec3 mitral_centre_mm;  // O at ED
  geometry::Vec3 apex_mm;           // endocardial apex A (fixed in time)
  geometry::Vec3 aortic_valve_mm;
  geometry::Vec3 true_long_axis;     // base -> apex unit vector
  geometry::Vec3 planned_long_axis;  // what the technologist planned (a')
  geometry::Vec3 septal_direction;   // e_S
  std::vector<double> lv_volume_per_phase_ml;
};

struct KneeTruth {
  std::string side;  // L / R
  double scale = 1.0;
  double flexion_deg = 0.0;
  double external_rotation_deg = 0.0;
  double varus_valgus_deg = 0.0;
  double cartilage_thickness_mm = 0.0;
  geometry::Vec3 origin_mm;            // knee frame origin (femoral notch)
  geometry::Vec3 medial_lateral_axis;  // knee frame x
  geometry::Vec3 anterior_posterior_axis;
  geometry::Vec3 distal_proximal_axis;
};

struct PhantomStudy {
  Organ organ = Organ::kHeart;
  Layout layout = Layout::kDsb;
  Level level = Level::kL2;
  DifficultyKnobs knobs;  // as used (the level's, possibly changed knob by knob)
  std::uint64_t seed = 0;
  int subject_index = 0;
  // Hash of every option that shapes the content (layout, level and knobs, phases, markers,
  // breath-hold shifts): two variants of one subject must not share DICOM UIDs.
  std::uint64_t variant_key = 0;
  Patient patient;
  AcquisitionParameters acquisition;
  std::vector<SeriesPlan> series;
  std::shared_ptr<const Anatomy> anatomy;
  Appearance appearance;
  std::vector<Marker> markers;
  std::optional<CardiacTruth> cardiac_truth;
  std::optional<KneeTruth> knee_truth;
  // Ground-truth label names, index = label value (0 = background).
  std::vector<std::string> label_names;
};

// Everything that shapes one generated study besides the seed and subject index.
struct StudyOptions {
  Organ organ = Organ::kHeart;
  Layout layout = Layout::kDsb;
  Level level = Level::kL2;
  DifficultyKnobs knobs = knobsForLevel(Level::kL2);
  int phases = 25;  // cine phases per cycle (heart); knees are single-phase
  enum class Labels { kEdEs, kAll, kNone } labels = Labels::kEdEs;
  bool markers = false;            // asymmetric marker mode
  bool breath_hold_shifts = true;  // off: anatomy agrees exactly with the headers
};

// A study with its identity filled in: organ, layout, level, seed, subject and the patient
// (PatientID PL-HEART-0007 / PL-KNEE-0007, PatientName PHANTOM^HEART7, sex, age, weight to 0.1 kg).
// The organ's generator adds plan, anatomy, appearance and truth.
PhantomStudy startStudy(Organ organ, std::uint64_t seed, int subject_index,
                        const StudyOptions& options, bool female, int age_years, double weight_kg);

// Hash of the content-shaping options (PhantomStudy::variant_key).
std::uint64_t variantKey(const StudyOptions& options);

// Generates subject `subject_index` of the cohort drawn from `seed` (pure function of its inputs).
PhantomStudy generateStudy(std::uint64_t seed, int subject_index, const StudyOptions& options);

}  // namespace planelab::phantom
