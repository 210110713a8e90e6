#include "ui/plot/study_plot.h"

#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QFile>
#include <QGraphicsScene>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <memory>

namespace planelab::ui {

QColor armColour(int index) {
  static const QColor kColours[] = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b),
                                    QColor(0xe1, 0x57, 0x59), QColor(0x76, 0xb7, 0xb2),
                                    QColor(0x59, 0xa1, 0x4f), QColor(0xed, 0xc9, 0x48),
                                    QColor(0xb0, 0x7a, 0xa1), QColor(0xff, 0x9d, 0xa7),
                                    QColor(0x9c, 0x75, 0x5f), QColor(0xba, 0xb0, 0xac)};
  constexpr int kCount = static_cast<int>(std::size(kColours));
  return kColours[((index % kCount) + kCount) % kCount];
}

QImage renderStudyPlot(const nlohmann::json& plot, QSize size) {
  auto* chart = new QChart;  // owned by the scene
  chart->setTitle(QString::fromStdString(plot.value("title", "")));
  chart->setAnimationOptions(QChart::NoAnimation);
  auto* x_axis = new QValueAxis;
  x_axis->setTitleText(QString::fromStdString(plot.value("x_label", "")));
  x_axis->setLabelFormat(QStringLiteral("%d"));
  auto* y_axis = new QValueAxis;
  y_axis->setTitleText(QString::fromStdString(plot.value("y_label", "")));
  chart->addAxis(x_axis, Qt::AlignBottom);
  chart->addAxis(y_axis, Qt::AlignLeft);

  double x_max = 1.0, y_min = 1.0, y_max = 0.0;
  int index = 0;
  const nlohmann::json all_series = plot.value("series", nlohmann::json::array());
  for (const auto& s : all_series) {
    const auto xs = s.value("x", std::vector<double>());
    const auto means = s.value("mean", std::vector<double>());
    const auto sds = s.value("sd", std::vector<double>());
    const QColor colour = armColour(index++);
    if (xs.empty() || xs.size() != means.size() || xs.size() != sds.size()) continue;
    auto* mean = new QLineSeries;
    auto* upper = new QLineSeries;
    auto* lower = new QLineSeries;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      mean->append(xs[i], means[i]);
      upper->append(xs[i], means[i] + sds[i]);
      lower->append(xs[i], means[i] - sds[i]);
      x_max = std::max(x_max, xs[i]);
      y_min = std::min(y_min, means[i] - sds[i]);
      y_max = std::max(y_max, means[i] + sds[i]);
    }
    auto* band = new QAreaSeries(upper, lower);  // takes upper and lower
    QColor fill = colour;
    fill.setAlpha(46);  // 18 % opaque
    band->setBrush(fill);
    band->setPen(Qt::NoPen);
    mean->setName(QString::fromStdString(s.value("name", "")));
    QPen pen(colour);
    pen.setWidthF(2.5);
    mean->setPen(pen);
    mean->setPointsVisible(true);
    for (QAbstractSeries* series :
         {static_cast<QAbstractSeries*>(band), static_cast<QAbstractSeries*>(mean)}) {
      chart->addSeries(series);
      series->attachAxis(x_axis);
      series->attachAxis(y_axis);
    }
    for (QLegendMarker* marker : chart->legend()->markers(band)) marker->setVisible(false);
  }
  // Scores are in [0, 1]; the y range is widened to whole tenths around the data.
  const double low = std::max(0.0, std::floor((y_min - 0.02) * 10.0) / 10.0);
  const double high = std::min(1.0, std::ceil((y_max + 0.02) * 10.0) / 10.0);
  y_axis->setRange(low, std::max(high, low + 0.1));
  y_axis->setTickCount(static_cast<int>(std::lround((std::max(high, low + 0.1) - low) * 10)) + 1);
  y_axis->setLabelFormat(QStringLiteral("%.1f"));
  x_axis->setRange(0.0, std::ceil(x_max) + 1.0);
  x_axis->setTickType(QValueAxis::TicksDynamic);
  x_axis->setTickAnchor(0.0);
  x_axis->setTickInterval(std::max(1.0, std::ceil((x_max + 1.0) / 10.0)));
  chart->legend()->setAlignment(Qt::AlignRight);

  QGraphicsScene scene;
  scene.addItem(chart);
  chart->setGeometry(0, 0, size.width(), size.height());
  scene.setSceneRect(0, 0, size.width(), size.height());
  QImage image(size, QImage::Format_ARGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing);
  scene.render(&painter);
  painter.end();
  return image;
}

std::string writeStudyPlotPng(const nlohmann::json& plot, const std::string& file) {
  if (QCoreApplication::instance() == nullptr) {
    // The CLI has no Qt application: an offscreen one lives until the process ends.
    static int argc = 3;
    static char arg0[] = "planelab-cli", arg1[] = "-platform", arg2[] = "offscreen";
    static char* argv[] = {arg0, arg1, arg2, nullptr};
    static QApplication* app = new QApplication(argc, argv);  // never deleted: lives to exit
    (void)app;
  }
  const QImage image = renderStudyPlot(plot);
  const QString target = QString::fromStdString(file);
  const QString tmp = target + QStringLiteral(".tmp.png");
  if (!image.save(tmp, "PNG")) return "cannot write " + tmp.toStdString();
  QFile::remove(target);
  if (!QFile::rename(tmp, target)) {
    QFile::remove(tmp);
    return "cannot rename " + tmp.toStdString() + " to " + file;
  }
  return "";
}

}  // namespace planelab::ui
