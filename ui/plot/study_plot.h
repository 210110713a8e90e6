// The study report's figure (core/study/report.h "plot" JSON) drawn with Qt Charts: one line per
// arm through the mean score at each number of labelled subjects, with a band of +- one sd over
// seeds. The CLI writes it as PNG without a display (offscreen platform); the results view uses
// the same colours per arm.
#pragma once

#include <QColor>
#include <QImage>
#include <QSize>
#include <string>

#include <nlohmann/json.hpp>

namespace planelab::ui {

// The colour of the index-th arm (a 10-colour qualitative palette, repeating).
QColor armColour(int index);

// Needs a QApplication (QChart is a graphics widget).
QImage renderStudyPlot(const nlohmann::json& plot, QSize size = QSize(960, 600));

// Renders and saves a PNG (atomically: FILE.tmp then rename). Creates an offscreen QApplication
// when the process has none (the CLI); call from the thread that owns it. Returns "" or why not.
std::string writeStudyPlotPng(const nlohmann::json& plot, const std::string& file);

}  // namespace planelab::ui
