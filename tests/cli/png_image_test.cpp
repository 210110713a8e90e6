#include "app/cli/png_image.h"

#include <gtest/gtest.h>
#include <png.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace planelab::cli {
namespace {

constexpr Rgb kRed = {255, 0, 0};
constexpr Rgb kGreen = {0, 255, 0};

std::filesystem::path freshTempDir(const std::string& name) {
  const char* env = std::getenv("PLANELAB_TEST_TMP");
  const std::filesystem::path root = env != nullptr
                                         ? std::filesystem::path(env)
                                         : std::filesystem::temp_directory_path() / "planelab-test";
  const std::filesystem::path dir = root / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Reads a PNG back with libpng's simplified API as 8-bit RGB.
struct ReadBack {
  bool ok = false;
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
};
ReadBack readPng(const std::filesystem::path& file) {
  ReadBack out;
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&image, file.c_str()) == 0) return out;
  image.format = PNG_FORMAT_RGB;
  out.width = static_cast<int>(image.width);
  out.height = static_cast<int>(image.height);
  out.rgb.resize(PNG_IMAGE_SIZE(image));
  out.ok = png_image_finish_read(&image, nullptr, out.rgb.data(), 0, nullptr) != 0;
  png_image_free(&image);
  return out;
}

Rgb pixelAt(const RgbImage& image, int x, int y) {
  const std::size_t at = (static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) +
                          static_cast<std::size_t>(x)) *
                         3;
  return {image.rgb[at], image.rgb[at + 1], image.rgb[at + 2]};
}

RgbImage blank(int width, int height, std::uint8_t grey = 0) {
  return greyToRgb(std::vector<float>(static_cast<std::size_t>(width * height), grey), height,
                   width, 0.0f, 255.0f);
}

// The pixels of `image` that have `colour`, as (x, y).
std::vector<std::pair<int, int>> pixelsOf(const RgbImage& image, const Rgb& colour) {
  std::vector<std::pair<int, int>> out;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      if (pixelAt(image, x, y) == colour) out.emplace_back(x, y);
    }
  }
  return out;
}

TEST(PercentileWindow, InterpolatedPercentiles) {
  std::vector<float> values;
  for (int i = 100; i >= 0; --i) values.push_back(static_cast<float>(i));  // 0..100, unsorted
  const auto [low, high] = percentileWindow(values);
  EXPECT_FLOAT_EQ(low, 1.0f);
  EXPECT_FLOAT_EQ(high, 99.0f);
  const auto [min, max] = percentileWindow(values, 0, 100);
  EXPECT_FLOAT_EQ(min, 0.0f);
  EXPECT_FLOAT_EQ(max, 100.0f);
  const auto [q1, q3] = percentileWindow({0.0f, 10.0f}, 25, 75);  // between the two ranks
  EXPECT_FLOAT_EQ(q1, 2.5f);
  EXPECT_FLOAT_EQ(q3, 7.5f);
}

TEST(PercentileWindow, DegenerateInputs) {
  EXPECT_EQ(percentileWindow({}), std::make_pair(0.0f, 1.0f));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(percentileWindow({nan, inf}), std::make_pair(0.0f, 1.0f));
  EXPECT_EQ(percentileWindow({7.0f, 7.0f, nan}), std::make_pair(6.5f, 7.5f));
  // 1st and 99th percentile both 0: the full range is used instead.
  std::vector<float> background(1000, 0.0f);
  background[10] = 500.0f;
  EXPECT_EQ(percentileWindow(background), std::make_pair(0.0f, 500.0f));
}

TEST(GreyToRgb, WindowMapsLinearlyAndClamps) {
  const std::vector<float> values = {-5.0f, 10.0f, 15.0f,
                                     20.0f, 30.0f, std::numeric_limits<float>::quiet_NaN()};
  const RgbImage image = greyToRgb(values, 2, 3, 10.0f, 20.0f);
  EXPECT_EQ(image.width, 3);
  EXPECT_EQ(image.height, 2);
  ASSERT_EQ(image.rgb.size(), 18u);
  EXPECT_EQ(pixelAt(image, 0, 0), (Rgb{0, 0, 0}));        // below the window
  EXPECT_EQ(pixelAt(image, 1, 0), (Rgb{0, 0, 0}));        // window low
  EXPECT_EQ(pixelAt(image, 2, 0), (Rgb{128, 128, 128}));  // 127.5 rounds up
  EXPECT_EQ(pixelAt(image, 0, 1), (Rgb{255, 255, 255}));  // window high
  EXPECT_EQ(pixelAt(image, 1, 1), (Rgb{255, 255, 255}));  // above
  EXPECT_EQ(pixelAt(image, 2, 1), (Rgb{0, 0, 0}));        // NaN

  const RgbImage step = greyToRgb({1.0f, 2.0f, 3.0f}, 1, 3, 2.0f, 2.0f);
  EXPECT_EQ(pixelAt(step, 0, 0)[0], 0);
  EXPECT_EQ(pixelAt(step, 1, 0)[0], 0);
  EXPECT_EQ(pixelAt(step, 2, 0)[0], 255);

  EXPECT_THROW(greyToRgb({1.0f, 2.0f}, 2, 3, 0.0f, 1.0f), std::invalid_argument);
}

TEST(BlendHeatmap, WeightsByHeatAndOpacity) {
  RgbImage image = blank(4, 1, 100);
  blendHeatmap(image, {0.0f, 1.0f, 0.5f, 3.0f}, kRed, 0.5f);
  EXPECT_EQ(pixelAt(image, 0, 0), (Rgb{100, 100, 100}));  // no heat
  EXPECT_EQ(pixelAt(image, 1, 0), (Rgb{178, 50, 50}));    // a = 0.5: 177.5 -> 178
  EXPECT_EQ(pixelAt(image, 2, 0), (Rgb{139, 75, 75}));    // a = 0.25: 138.75 -> 139
  EXPECT_EQ(pixelAt(image, 3, 0), (Rgb{178, 50, 50}));    // heat clamped to 1

  RgbImage full = blank(2, 1, 10);
  blendHeatmap(full, {1.0f, std::numeric_limits<float>::quiet_NaN()}, kGreen, 1.0f);
  EXPECT_EQ(pixelAt(full, 0, 0), kGreen);
  EXPECT_EQ(pixelAt(full, 1, 0), (Rgb{10, 10, 10}));

  EXPECT_THROW(blendHeatmap(full, {1.0f}, kRed, 1.0f), std::invalid_argument);
}

TEST(DrawLine, HorizontalVerticalDiagonal) {
  RgbImage image = blank(8, 6);
  drawLine(image, 1, 2, 5, 2, kRed);
  EXPECT_EQ(pixelsOf(image, kRed),
            (std::vector<std::pair<int, int>>{{1, 2}, {2, 2}, {3, 2}, {4, 2}, {5, 2}}));

  image = blank(8, 6);
  drawLine(image, 6, 5, 6, 1, kRed);  // vertical, drawn upwards
  EXPECT_EQ(pixelsOf(image, kRed),
            (std::vector<std::pair<int, int>>{{6, 1}, {6, 2}, {6, 3}, {6, 4}, {6, 5}}));

  image = blank(8, 6);
  drawLine(image, 0, 0, 4.2, 3.9, kRed);  // endpoints round to pixel centres
  EXPECT_EQ(pixelsOf(image, kRed),
            (std::vector<std::pair<int, int>>{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}}));

  image = blank(8, 6);
  drawLine(image, 3, 3, 3, 3, kRed);  // a point
  EXPECT_EQ(pixelsOf(image, kRed), (std::vector<std::pair<int, int>>{{3, 3}}));

  // Shallow line: one pixel per column, every pixel within half a pixel of the true line.
  image = blank(8, 6);
  drawLine(image, 0, 1, 7, 4, kRed);
  const auto shallow = pixelsOf(image, kRed);
  EXPECT_EQ(shallow.size(), 8u);
  for (const auto& [x, y] : shallow) EXPECT_LE(std::abs(y - (1.0 + 3.0 * x / 7.0)), 0.5);
}

TEST(DrawLine, ClippedToTheImage) {
  RgbImage image = blank(8, 6);
  drawLine(image, -1e6, 3, 1e6, 3, kRed);  // far outside on both sides
  EXPECT_EQ(pixelsOf(image, kRed).size(), 8u);
  for (const auto& [x, y] : pixelsOf(image, kRed)) EXPECT_EQ(y, 3);

  image = blank(8, 6);
  drawLine(image, -3, -3, 2, 2, kRed);  // enters at the top-left corner
  EXPECT_EQ(pixelsOf(image, kRed), (std::vector<std::pair<int, int>>{{0, 0}, {1, 1}, {2, 2}}));

  image = blank(8, 6);
  drawLine(image, -5, -5, 20, -2, kRed);  // entirely outside
  drawLine(image, std::nan(""), 1, 2, 2, kRed);
  drawLine(image, 0, 0, std::numeric_limits<double>::infinity(), 2, kRed);
  EXPECT_TRUE(pixelsOf(image, kRed).empty());
}

TEST(WritePng, ReadBackWithLibpng) {
  const std::filesystem::path dir = freshTempDir("cli_png");
  std::vector<float> values;
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 7; ++x) values.push_back(static_cast<float>(10 * x + y));
  }
  RgbImage image = greyToRgb(values, 5, 7, 0.0f, 64.0f);
  std::vector<float> heat(35, 0.0f);
  heat[3 * 7 + 5] = 1.0f;  // (x 5, y 3)
  blendHeatmap(image, heat, kRed, 0.5f);
  drawLine(image, 0, 1, 6, 1, kGreen);
  const std::filesystem::path file = dir / "quick.png";
  std::string error = "stale";
  ASSERT_TRUE(writePng(file, image, &error)) << error;
  EXPECT_EQ(error, "");
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));

  const ReadBack back = readPng(file);
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(back.width, 7);
  EXPECT_EQ(back.height, 5);
  EXPECT_EQ(back.rgb, image.rgb);
  auto at = [&](int x, int y) {
    const std::size_t i = static_cast<std::size_t>(y * 7 + x) * 3;
    return Rgb{back.rgb[i], back.rgb[i + 1], back.rgb[i + 2]};
  };
  EXPECT_EQ(at(0, 0), (Rgb{0, 0, 0}));
  EXPECT_EQ(at(2, 4), (Rgb{96, 96, 96}));  // 24 / 64 * 255 = 95.6
  EXPECT_EQ(at(6, 4), (Rgb{255, 255, 255}));
  for (int x = 0; x < 7; ++x) EXPECT_EQ(at(x, 1), kGreen) << x;
  // Heat-map pixel: grey 53 / 64 * 255 = 211.2 -> 211, half red: 233, 105.5 -> 106.
  EXPECT_EQ(at(5, 3), (Rgb{233, 106, 106}));
  EXPECT_EQ(at(4, 3), (Rgb{171, 171, 171}));  // its neighbour is untouched (43 / 64 * 255)
}

TEST(WritePng, DeterministicBytes) {
  const std::filesystem::path dir = freshTempDir("cli_png_determinism");
  RgbImage image = blank(16, 9, 40);
  drawLine(image, 0, 0, 15, 8, kRed);
  ASSERT_TRUE(writePng(dir / "a.png", image, nullptr));
  ASSERT_TRUE(writePng(dir / "b.png", image, nullptr));
  auto bytes = [](const std::filesystem::path& f) {
    std::ifstream in(f, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(bytes(dir / "a.png"), bytes(dir / "b.png"));
  EXPECT_EQ(bytes(dir / "a.png").substr(1, 3), "PNG");
}

TEST(WritePng, Errors) {
  const std::filesystem::path dir = freshTempDir("cli_png_errors");
  std::string error;
  EXPECT_FALSE(writePng(dir / "missing" / "x.png", blank(2, 2), &error));
  EXPECT_NE(error.find("cannot create"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(writePng(dir / "empty.png", RgbImage{}, &error));
  EXPECT_FALSE(error.empty());
  RgbImage wrong = blank(2, 2);
  wrong.rgb.pop_back();
  EXPECT_FALSE(writePng(dir / "wrong.png", wrong, &error));
  EXPECT_FALSE(std::filesystem::exists(dir / "wrong.png"));
  EXPECT_FALSE(writePng(dir / "wrong.png", wrong, nullptr));
}

}  // namespace
}  // namespace planelab::cli
