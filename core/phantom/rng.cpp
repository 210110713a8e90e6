#include "phantom/rng.h"

#include <cmath>

namespace planelab::phantom {

namespace {
constexpr std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}
constexpr double kTwoPi = 6.283185307179586476925;
}  // namespace

std::uint64_t splitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t hashPath(std::initializer_list<std::uint64_t> path) {
  std::uint64_t h = 0x6A09E667F3BCC908ULL;  // arbitrary non-zero start
  for (const std::uint64_t v : path) {
    std::uint64_t s = h ^ v;
    h = splitMix64(s) ^ rotl(h, 17);
  }
  std::uint64_t s = h;
  return splitMix64(s);
}

Rng::Rng(std::uint64_t seed) {
  std::uint64_t state = seed;
  for (auto& word : s_) word = splitMix64(state);
}

Rng Rng::derive(std::uint64_t seed, std::initializer_list<std::uint64_t> path) {
  std::uint64_t h = seed;
  for (const std::uint64_t v : path) h = hashPath({h, v});
  return Rng(h);
}

std::uint64_t Rng::nextU64() {
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

double Rng::uniform() {
  return static_cast<double>(nextU64() >> 11) * 0x1.0p-53;
}

double Rng::uniform(double lo, double hi) {
  return lo + (hi - lo) * uniform();
}

int Rng::uniformInt(int lo, int hi) {
  const auto span = static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo + 1);
  return static_cast<int>(lo + static_cast<std::int64_t>(nextU64() % span));
}

bool Rng::bernoulli(double p) {
  return uniform() < p;
}

double Rng::normal(double mean, double sd) {
  // Box-Muller with u1 in (0, 1] so the log is finite; one variate per call keeps the stream
  // position independent of how many normals were drawn before.
  const double u1 = 1.0 - uniform();
  const double u2 = uniform();
  return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

std::pair<double, double> Rng::normalPair(double sd) {
  const double u1 = 1.0 - uniform();
  const double u2 = uniform();
  const double r = sd * std::sqrt(-2.0 * std::log(u1));
  return {r * std::cos(kTwoPi * u2), r * std::sin(kTwoPi * u2)};
}

double Rng::truncatedNormal(double mean, double sd, double k) {
  if (sd <= 0.0) return mean;
  for (;;) {
    const double v = normal(0.0, 1.0);
    if (std::abs(v) <= k) return mean + sd * v;
  }
}

}  // namespace planelab::phantom
