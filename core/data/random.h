// Reproducible random numbers for the data layer (splits, label budgets, epoch orders,
// augmentation): own generator and own samplers, so a seed gives the same draws with any compiler
// and standard library. Independent of core/phantom (same algorithms: SplitMix64 seeding,
// xoshiro256**, Box-Muller).
#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

namespace planelab::data {

// One SplitMix64 step: advances state and returns a well-mixed 64-bit value.
inline std::uint64_t splitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Order-dependent mix of a seed and a path of integers into one 64-bit key.
inline std::uint64_t deriveSeed(std::uint64_t seed, std::initializer_list<std::uint64_t> path) {
  std::uint64_t h = seed ^ 0x6A09E667F3BCC908ULL;  // arbitrary non-zero start
  std::uint64_t s = h;
  h = splitMix64(s);
  for (const std::uint64_t v : path) {
    s = h ^ (v * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL);
    h = splitMix64(s) ^ ((h << 17) | (h >> 47));
  }
  s = h;
  return splitMix64(s);
}

// FNV-1a 64 of a byte string (content hashes, string keys for seeds).
inline std::uint64_t fnv1a64(const std::string& bytes) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (const char c : bytes) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

// 16 lower-case hex digits.
inline std::string hex64(std::uint64_t value) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kDigits[value & 0xF];
    value >>= 4;
  }
  return out;
}

// xoshiro256** seeded through SplitMix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    std::uint64_t state = seed;
    for (auto& word : s_) word = splitMix64(state);
  }
  // Independent stream for an entity, e.g. derive(seed, {tag, epoch, position}).
  static Rng derive(std::uint64_t seed, std::initializer_list<std::uint64_t> path) {
    return Rng(deriveSeed(seed, path));
  }

  std::uint64_t nextU64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(nextU64() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform in [0, n) without modulo bias (Lemire's rejection); n > 0.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
      const std::uint64_t r = nextU64();
      if (r >= threshold) return r % n;
    }
  }
  bool bernoulli(double p) { return uniform() < p; }
  // Box-Muller, one variate per call (u1 in (0, 1] so the log is finite).
  double normal(double mean = 0.0, double sd = 1.0) {
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586476925 * u2);
  }
  // Fisher-Yates shuffle of a random-access container.
  template <typename Container>
  void shuffle(Container& items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(below(i));
      std::swap(items[i - 1], items[j]);
    }
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace planelab::data
