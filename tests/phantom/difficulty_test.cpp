#include "phantom/difficulty.h"

#include <gtest/gtest.h>

namespace planelab::phantom {
namespace {

TEST(Difficulty, LevelsGrowHarder) {
  const DifficultyKnobs l0 = knobsForLevel(Level::kL0);
  const DifficultyKnobs l1 = knobsForLevel(Level::kL1);
  const DifficultyKnobs l2 = knobsForLevel(Level::kL2);
  const DifficultyKnobs l3 = knobsForLevel(Level::kL3);
  EXPECT_EQ(l0.snr_max, 0.0);  // noise-free
  EXPECT_LT(l1.roll_sd_deg, l2.roll_sd_deg);
  EXPECT_LT(l2.roll_sd_deg, l3.roll_sd_deg);
  EXPECT_LT(l1.breath_hold_sd_mm.z, l2.breath_hold_sd_mm.z);
  EXPECT_GT(l1.snr_min, l3.snr_max);
  EXPECT_FALSE(l1.pathology_mix);
  EXPECT_TRUE(l2.pathology_mix);
  EXPECT_TRUE(l3.extreme_pathology);
}

TEST(Difficulty, ParsesLevelNames) {
  EXPECT_EQ(parseLevel("L2"), Level::kL2);
  EXPECT_FALSE(parseLevel("L4").has_value());
  EXPECT_EQ(levelName(Level::kL3), "L3");
}

TEST(Difficulty, EveryKnobCanBeSetByNameAndReadBack) {
  DifficultyKnobs k = knobsForLevel(Level::kL2);
  for (const auto& [name, value] : knobValues(k)) {
    const double next =
        (name == "pathology_mix" || name == "extreme_pathology" || name == "papillary_muscles")
            ? 1.0 - value
            : (value > 0.5 ? value - 0.125 : value + 0.125);
    ASSERT_EQ(setKnob(k, name, next), "") << name;
  }
  const auto after = knobValues(k);
  const auto before = knobValues(knobsForLevel(Level::kL2));
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i)
    EXPECT_NE(after[i].second, before[i].second) << after[i].first;
}

TEST(Difficulty, RejectsUnknownKnobsAndBadValuesWithStableKeys) {
  DifficultyKnobs k = knobsForLevel(Level::kL1);
  EXPECT_EQ(setKnob(k, "snr", 5.0), "unknown_knob");
  EXPECT_EQ(setKnob(k, "snr_min", -1.0), "bad_knob_value");
  EXPECT_EQ(setKnob(k, "pathology_mix", 0.5), "bad_knob_value");
  EXPECT_EQ(setKnob(k, "inplane_family_probability", 1.5), "bad_knob_value");
  EXPECT_EQ(setKnob(k, "kspace_phase_min", 0.0), "bad_knob_value");
  EXPECT_EQ(setKnob(k, "breath_hold_sd_mm_z", 4.0), "");
  EXPECT_EQ(k.breath_hold_sd_mm.z, 4.0);
  EXPECT_EQ(validateKnobs(k), "");
  EXPECT_EQ(setKnob(k, "snr_min", 80.0), "");
  EXPECT_EQ(validateKnobs(k), "bad_knob_value");  // snr_min above snr_max
}

}  // namespace
}  // namespace planelab::phantom
