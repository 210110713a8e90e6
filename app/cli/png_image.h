// RGB images for the CLI's quick-look PNGs: grey levels from a window, heat-map blending, lines,
// and writing with libpng.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace planelab::cli {

using Rgb = std::array<std::uint8_t, 3>;

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // row-major, 3 bytes (R, G, B) per pixel, width * height * 3
};

// The values at the low_pct and high_pct percentiles (0..100, nearest rank with linear
// interpolation) of the finite values. Never returns low >= high: a constant image gives
// (v - 0.5, v + 0.5); no finite value gives (0, 1).
std::pair<float, float> percentileWindow(const std::vector<float>& values, double low_pct = 1,
                                         double high_pct = 99);

// Grey levels: window_low -> 0, window_high -> 255, linear in between, clamped; NaN -> 0. A window
// with window_high <= window_low thresholds at window_low. `values` is row-major rows x cols
// (x = column, y = row); throws std::invalid_argument if its size is not rows * cols.
RgbImage greyToRgb(const std::vector<float>& values, int rows, int cols, float window_low,
                   float window_high);

// Blends `colour` over the image with weight opacity * heat per pixel (heat clamped to 0..1, NaN
// = 0; opacity clamped to 0..1). `heat` is row-major height x width; throws
// std::invalid_argument if its size differs.
void blendHeatmap(RgbImage& image, const std::vector<float>& heat, Rgb colour, float opacity);

// A one-pixel line (Bresenham) from (x0, y0) to (x1, y1), endpoints included; pixel centres are
// at integer coordinates, x = column, y = row. The segment is clipped to the image first, so
// far-away or partly outside endpoints are fine; non-finite coordinates draw nothing.
void drawLine(RgbImage& image, double x0, double y0, double x1, double y1, Rgb colour);

// Writes an 8-bit RGB PNG (no time stamp: the same image gives the same bytes), via a temporary
// file renamed into place. On failure returns false and sets *error (if given).
bool writePng(const std::filesystem::path& file, const RgbImage& image, std::string* error);

}  // namespace planelab::cli
