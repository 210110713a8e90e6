// Tissue contrast, texture, bias field, noise level and scaling of a study (PHANTOM.md 3.6).
#pragma once

#include <array>

#include "phantom/difficulty.h"
#include "phantom/rng.h"
#include "phantom/study.h"
#include "phantom/tissue.h"

namespace planelab::phantom {

// Stored value of the brightest tissue in marker mode (markers reach up to 4x this).
constexpr double kMarkerModeTissueLevel = 900.0;

using RelaxationTable = std::array<TissueRelaxation, kTissueCount>;

// Base table with T1, T2 multiplied by N(1, jitter) and PD by N(1, jitter * 5/8) per tissue.
RelaxationTable jitteredRelaxation(Rng& rng, double jitter);

// Balanced SSFP on resonance: PD sin(a)(1-E1)/(1-(E1-E2)cos(a)-E1E2) exp(-TE/T2).
std::array<double, kTissueCount> bssfpSignal(const RelaxationTable& table, double tr_ms,
                                             double te_ms, double flip_deg);
// Fast spin echo: PD (1 - exp(-TR/T1)) exp(-TE/T2); fat and marrow scaled by fat_factor
// (fat suppression: ~0.15).
std::array<double, kTissueCount> fastSpinEchoSignal(const RelaxationTable& table, double tr_ms,
                                                    double te_ms, double fat_factor);

// Draws texture waves and amplitudes (amplitude per tissue from the knobs' range scaled by
// `tissue_texture_scale`), the bias field around `centre_mm`, the noise level relative to the
// signal of `reference` (SNR from the knobs) and the gain (brightest tissue -> U(400, 2500), or
// a fixed level in marker mode so the markers stay below the 12-bit ceiling). Sets marker
// signals above every tissue, each distinct.
void finishAppearance(Appearance& appearance, Rng& rng, const DifficultyKnobs& knobs,
                      const geometry::Vec3& centre_mm, Tissue reference,
                      const std::array<double, kTissueCount>& tissue_texture_scale, bool markers);

// Smooth bias field value at x (> 0).
double biasField(const Appearance& appearance, const geometry::Vec3& x);

}  // namespace planelab::phantom
