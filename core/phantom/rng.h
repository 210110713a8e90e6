// Reproducible random numbers: own generator and own normal sampler, so the same seed gives the
// same phantom with any compiler and standard library (std::normal_distribution differs between
// libstdc++ and libc++).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <utility>

namespace planelab::phantom {

// One SplitMix64 step: advances state and returns a well-mixed 64-bit value.
std::uint64_t splitMix64(std::uint64_t& state);
// Order-dependent mix of a path of integers into one 64-bit key (seed derivation, UIDs).
std::uint64_t hashPath(std::initializer_list<std::uint64_t> path);

// xoshiro256** seeded through SplitMix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  // Independent stream for an entity, e.g. derive(seed, {subject, series, slice}).
  static Rng derive(std::uint64_t seed, std::initializer_list<std::uint64_t> path);

  std::uint64_t nextU64();
  double uniform();                      // [0, 1)
  double uniform(double lo, double hi);  // [lo, hi)
  int uniformInt(int lo, int hi);        // inclusive both ends
  bool bernoulli(double p);
  double normal(double mean = 0.0, double sd = 1.0);  // Box-Muller
  // Two independent N(0, sd^2) variates from one Box-Muller draw (noise of a complex sample).
  std::pair<double, double> normalPair(double sd);
  // Normal resampled until it lies within mean +- k * sd (PHANTOM.md 3.0: k = 2.5).
  double truncatedNormal(double mean, double sd, double k = 2.5);

 private:
  std::uint64_t s_[4];
};

}  // namespace planelab::phantom
