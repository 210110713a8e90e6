// One colour per view label, the same in every widget (reference lines, 3-D outlines, browser).
#pragma once

#include <QColor>
#include <string>

namespace planelab::ui {

// Cardiac: sax yellow, 2ch green, 3ch magenta, 4ch cyan; knee: sag orange, cor blue, ax red;
// anything else grey. Chosen to stay apart on a grey-scale MR image.
inline QColor viewColour(const std::string& view) {
  if (view == "sax") return {255, 214, 0};
  if (view == "2ch") return {0, 200, 83};
  if (view == "3ch") return {233, 30, 180};
  if (view == "4ch") return {0, 188, 212};
  if (view == "sag") return {255, 145, 0};
  if (view == "cor") return {41, 121, 255};
  if (view == "ax") return {255, 61, 0};
  return {158, 158, 158};
}

}  // namespace planelab::ui
