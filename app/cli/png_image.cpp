#include "app/cli/png_image.h"

#include <png.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <system_error>

namespace planelab::cli {

namespace {

std::uint8_t toByte(double v) {
  if (!(v > 0.0)) return 0;  // also NaN
  if (v >= 255.0) return 255;
  return static_cast<std::uint8_t>(std::lround(v));
}

// The value at percentile `pct` of ascending `sorted` (non-empty), interpolated between ranks.
double percentileOfSorted(const std::vector<float>& sorted, double pct) {
  const double p = std::clamp(std::isfinite(pct) ? pct : 0.0, 0.0, 100.0);
  const double rank = p / 100.0 * static_cast<double>(sorted.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(rank));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = rank - static_cast<double>(lo);
  return static_cast<double>(sorted[lo]) +
         frac * (static_cast<double>(sorted[hi]) - static_cast<double>(sorted[lo]));
}

void onPngError(png_structp png, png_const_charp message) {
  auto* error = static_cast<std::string*>(png_get_error_ptr(png));
  if (error != nullptr) *error = message != nullptr ? message : "libpng error";
  png_longjmp(png, 1);
}

void onPngWarning(png_structp, png_const_charp) {}

// Encodes `image` into the open `out`. Kept free of objects with destructors after setjmp.
bool encodePng(std::FILE* out, const RgbImage& image, std::vector<png_bytep>& rows,
               std::string& error) {
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, &error, onPngError, onPngWarning);
  if (png == nullptr) {
    error = "libpng: cannot create a write structure";
    return false;
  }
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    error = "libpng: cannot create an info structure";
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_init_io(png, out);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width),
               static_cast<png_uint_32>(image.height), 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

void plot(RgbImage& image, int x, int y, const Rgb& colour) {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  const std::size_t at = (static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) +
                          static_cast<std::size_t>(x)) *
                         3;
  image.rgb[at] = colour[0];
  image.rgb[at + 1] = colour[1];
  image.rgb[at + 2] = colour[2];
}

// Liang-Barsky: clips the segment to [xmin, xmax] x [ymin, ymax]; false when nothing is left.
bool clipSegment(double& x0, double& y0, double& x1, double& y1, double xmin, double xmax,
                 double ymin, double ymax) {
  const double dx = x1 - x0;
  const double dy = y1 - y0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x0 - xmin, xmax - x0, y0 - ymin, ymax - y0};
  double t0 = 0.0;
  double t1 = 1.0;
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0.0) {
      if (q[i] < 0.0) return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0.0) {
      t0 = std::max(t0, t);
    } else {
      t1 = std::min(t1, t);
    }
    if (t0 > t1) return false;
  }
  const double sx = x0;
  const double sy = y0;
  x0 = sx + t0 * dx;
  y0 = sy + t0 * dy;
  x1 = sx + t1 * dx;
  y1 = sy + t1 * dy;
  return std::isfinite(x0) && std::isfinite(y0) && std::isfinite(x1) && std::isfinite(y1);
}

}  // namespace

std::pair<float, float> percentileWindow(const std::vector<float>& values, double low_pct,
                                         double high_pct) {
  std::vector<float> sorted;
  sorted.reserve(values.size());
  for (float v : values) {
    if (std::isfinite(v)) sorted.push_back(v);
  }
  if (sorted.empty()) return {0.0f, 1.0f};
  std::sort(sorted.begin(), sorted.end());
  double low = percentileOfSorted(sorted, std::min(low_pct, high_pct));
  double high = percentileOfSorted(sorted, std::max(low_pct, high_pct));
  if (!(high > low)) {
    // Mostly one value (e.g. background): fall back to the full range, then to +-0.5.
    low = sorted.front();
    high = sorted.back();
  }
  if (!(high > low)) {
    low -= 0.5;
    high += 0.5;
  }
  return {static_cast<float>(low), static_cast<float>(high)};
}

RgbImage greyToRgb(const std::vector<float>& values, int rows, int cols, float window_low,
                   float window_high) {
  if (rows < 0 || cols < 0 ||
      values.size() != static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols)) {
    throw std::invalid_argument("greyToRgb: values do not hold rows x cols");
  }
  RgbImage image;
  image.width = cols;
  image.height = rows;
  image.rgb.resize(values.size() * 3);
  const double low = window_low;
  const double high = window_high;
  const bool threshold = !(high > low);
  const double scale = threshold ? 0.0 : 255.0 / (high - low);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    const std::uint8_t g = std::isnan(v) ? 0
                           : threshold   ? (v > low ? 255 : 0)
                                         : toByte((v - low) * scale);
    image.rgb[3 * i] = g;
    image.rgb[3 * i + 1] = g;
    image.rgb[3 * i + 2] = g;
  }
  return image;
}

void blendHeatmap(RgbImage& image, const std::vector<float>& heat, Rgb colour, float opacity) {
  const std::size_t pixels = static_cast<std::size_t>(std::max(image.width, 0)) *
                             static_cast<std::size_t>(std::max(image.height, 0));
  if (heat.size() != pixels || image.rgb.size() != pixels * 3) {
    throw std::invalid_argument("blendHeatmap: heat does not hold width x height values");
  }
  const double o =
      std::isfinite(opacity) ? std::clamp(static_cast<double>(opacity), 0.0, 1.0) : 0.0;
  for (std::size_t i = 0; i < pixels; ++i) {
    const double h = std::isnan(heat[i]) ? 0.0 : std::clamp(static_cast<double>(heat[i]), 0.0, 1.0);
    const double a = o * h;
    if (a <= 0.0) continue;
    for (std::size_t c = 0; c < 3; ++c) {
      const double mixed = (1.0 - a) * image.rgb[3 * i + c] + a * colour[c];
      image.rgb[3 * i + c] = toByte(mixed);
    }
  }
}

void drawLine(RgbImage& image, double x0, double y0, double x1, double y1, Rgb colour) {
  if (image.width <= 0 || image.height <= 0 ||
      image.rgb.size() !=
          static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 3) {
    return;
  }
  if (!std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1)) return;
  // Pixel (x, y) covers [x - 0.5, x + 0.5) x [y - 0.5, y + 0.5).
  if (!clipSegment(x0, y0, x1, y1, -0.5, image.width - 0.5, -0.5, image.height - 0.5)) return;
  auto pixel = [](double v, int size) {
    return std::clamp(static_cast<int>(std::floor(v + 0.5)), 0, size - 1);
  };
  int x = pixel(x0, image.width);
  int y = pixel(y0, image.height);
  const int xe = pixel(x1, image.width);
  const int ye = pixel(y1, image.height);
  const int dx = std::abs(xe - x);
  const int dy = -std::abs(ye - y);
  const int sx = x < xe ? 1 : -1;
  const int sy = y < ye ? 1 : -1;
  int err = dx + dy;
  for (;;) {
    plot(image, x, y, colour);
    if (x == xe && y == ye) break;
    const int e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
}

bool writePng(const std::filesystem::path& file, const RgbImage& image, std::string* error) {
  std::string message;
  auto fail = [&](const std::string& text) {
    if (error != nullptr) *error = text;
    return false;
  };
  if (image.width <= 0 || image.height <= 0 ||
      image.rgb.size() !=
          static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 3) {
    return fail("the image is empty or its pixel buffer does not hold width x height x 3 bytes");
  }
  std::vector<png_bytep> rows(static_cast<std::size_t>(image.height));
  for (std::size_t y = 0; y < rows.size(); ++y) {
    // libpng takes non-const rows but only reads them when writing.
    rows[y] =
        const_cast<png_bytep>(image.rgb.data() + y * static_cast<std::size_t>(image.width) * 3);
  }
  const std::filesystem::path temporary = file.string() + ".tmp";
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr) {
    return fail("cannot create " + temporary.string() + ": " +
                std::error_code(errno, std::generic_category()).message());
  }
  const bool encoded = encodePng(out, image, rows, message);
  const bool flushed = std::fflush(out) == 0 && std::ferror(out) == 0;
  const bool closed = std::fclose(out) == 0;
  std::error_code ec;
  if (!encoded || !flushed || !closed) {
    std::filesystem::remove(temporary, ec);
    return fail("cannot write " + file.string() + ": " +
                (encoded ? std::string("write error") : message));
  }
  std::filesystem::rename(temporary, file, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    return fail("cannot rename " + temporary.string() + " to " + file.string() + ": " +
                ec.message());
  }
  if (error != nullptr) error->clear();
  return true;
}

}  // namespace planelab::cli
