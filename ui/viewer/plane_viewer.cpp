#include "ui/viewer/plane_viewer.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "data/pretext_targets.h"
#include "ui/view_colours.h"

namespace planelab::ui {
namespace {

constexpr double kHoverDistancePx = 6.0;  // a line within this many widget px is hovered
constexpr int kCineIntervalMs = 66;       // ~15 frames per second
// The heatmap overlay uses the prepared datasets' default ridge width: sigma 3 target pixels of
// 1.26 mm (docs/pretext-targets.md), converted to this image's pixels.
constexpr double kHeatmapSigmaMm = 3.0 * 1.26;

QColor labelColour(int value) {
  static const QColor kPalette[] = {{255, 82, 82},  {105, 240, 174}, {64, 196, 255},
                                    {255, 215, 64}, {224, 64, 251},  {255, 171, 64},
                                    {178, 255, 89}, {24, 255, 255}};
  return kPalette[static_cast<std::size_t>(value - 1) % (sizeof kPalette / sizeof kPalette[0])];
}

double distanceToSegment(const QPointF& p, const QPointF& a, const QPointF& b) {
  const QPointF ab = b - a;
  const double length2 = QPointF::dotProduct(ab, ab);
  const double t =
      length2 > 0.0 ? std::clamp(QPointF::dotProduct(p - a, ab) / length2, 0.0, 1.0) : 0.0;
  const QPointF d = p - (a + t * ab);
  return std::hypot(d.x(), d.y());
}

}  // namespace

PlaneViewer::PlaneViewer(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("planeViewer"));
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(320, 320);
  setAutoFillBackground(false);
  cine_.setInterval(kCineIntervalMs);
  connect(&cine_, &QTimer::timeout, this, [this] {
    if (phaseCount() > 1) setPhase((phase_ + 1) % phaseCount());
  });
}

void PlaneViewer::setScene(std::shared_ptr<const curation::StudyScene> scene, ImageCache* images) {
  scene_ = std::move(scene);
  images_ = images;
  plane_ = -1;
  phase_ = 0;
  pixels_.reset();
  drawn_.clear();
  image_ = {};
  overlay_ = {};
  setCinePlaying(false);
  update();
}

void PlaneViewer::setLabelProvider(LabelProvider labels) {
  labels_ = std::move(labels);
  renderOverlays();
  update();
}

void PlaneViewer::clear() {
  setScene(nullptr, nullptr);
}

int PlaneViewer::phaseCount() const {
  if (!scene_ || plane_ < 0) return 0;
  return static_cast<int>(scene_->curation.planes[static_cast<std::size_t>(plane_)].images.size());
}

void PlaneViewer::setPlane(int plane) {
  if (!scene_ || plane < 0 || static_cast<std::size_t>(plane) >= scene_->curation.planes.size()) {
    return;
  }
  const bool first = plane_ < 0;
  plane_ = plane;
  phase_ = std::min(phase_, std::max(phaseCount() - 1, 0));
  hovered_line_ = -1;
  hovered_plane_ = -1;
  // The window carries over between slices of a study, as in every clinical viewer; the first
  // image sets it.
  loadImage(first);
  updateLines();
  update();
  Q_EMIT planeChanged(plane_);
}

void PlaneViewer::setPhase(int phase) {
  if (phase < 0 || phase >= phaseCount() || phase == phase_) return;
  phase_ = phase;
  loadImage(false);
  update();
  Q_EMIT phaseChanged(phase_);
}

void PlaneViewer::stepSlice(int delta) {
  if (!scene_ || plane_ < 0 || delta == 0) return;
  const auto& planes = scene_->curation.planes;
  const curation::Plane& here = planes[static_cast<std::size_t>(plane_)];
  if (here.stack < 0) return;
  // Kept planes of the stack in slice order; a superseded repeat steps from its kept neighbour.
  std::vector<std::pair<int, int>> order;  // (slice index, plane)
  for (std::size_t p = 0; p < planes.size(); ++p) {
    if (planes[p].stack == here.stack && planes[p].kept) {
      order.emplace_back(planes[p].slice_index, static_cast<int>(p));
    }
  }
  std::sort(order.begin(), order.end());
  const auto it = std::find_if(order.begin(), order.end(),
                               [&](const auto& e) { return e.first >= here.slice_index; });
  auto k = static_cast<long>(it - order.begin()) + delta;
  k = std::clamp(k, 0L, static_cast<long>(order.size()) - 1);
  if (!order.empty()) setPlane(order[static_cast<std::size_t>(k)].second);
}

void PlaneViewer::setCinePlaying(bool playing) {
  if (playing && phaseCount() > 1) {
    cine_.start();
  } else {
    cine_.stop();
  }
}

void PlaneViewer::setWindow(double centre, double width) {
  window_centre_ = centre;
  window_width_ = std::max(width, 1e-6);
  renderImage();
  update();
  Q_EMIT windowChanged(window_centre_, window_width_);
}

void PlaneViewer::resetView() {
  zoom_ = 1.0;
  pan_ = {};
  if (pixels_) {
    const auto [centre, width] = defaultWindow(*pixels_);
    setWindow(centre, width);
  }
  update();
}

void PlaneViewer::setViewVisible(const std::string& view, bool visible) {
  if (visible) {
    hidden_views_.remove(QString::fromStdString(view));
  } else {
    hidden_views_.insert(QString::fromStdString(view));
  }
  updateLines();
  renderOverlays();
  update();
}

bool PlaneViewer::viewVisible(const std::string& view) const {
  return !hidden_views_.contains(QString::fromStdString(view));
}

void PlaneViewer::setLabelsVisible(bool visible) {
  show_labels_ = visible;
  renderOverlays();
  update();
}

void PlaneViewer::setHeatmapsVisible(bool visible) {
  show_heatmaps_ = visible;
  renderOverlays();
  update();
}

void PlaneViewer::loadImage(bool reset_window) {
  pixels_.reset();
  image_error_.clear();
  if (images_ != nullptr && plane_ >= 0) {
    const auto& plane = scene_->curation.planes[static_cast<std::size_t>(plane_)];
    const CachedFrame frame = images_->frame(plane.images[static_cast<std::size_t>(phase_)]);
    pixels_ = frame.image;
    image_error_ = frame.error_key;
  }
  if (pixels_ && (reset_window || window_width_ <= 1e-6)) {
    const auto [centre, width] = defaultWindow(*pixels_);
    window_centre_ = centre;
    window_width_ = width;
  }
  renderImage();
  renderOverlays();
}

void PlaneViewer::renderImage() {
  if (!pixels_) {
    image_ = {};
    return;
  }
  image_ = QImage(pixels_->cols, pixels_->rows, QImage::Format_Grayscale8);
  const double low = window_centre_ - window_width_ / 2.0;
  const double scale = 255.0 / window_width_;
  for (int r = 0; r < pixels_->rows; ++r) {
    uchar* line = image_.scanLine(r);
    const float* values = pixels_->values.data() + static_cast<std::size_t>(r) * pixels_->cols;
    for (int c = 0; c < pixels_->cols; ++c) {
      double g = (values[c] - low) * scale;
      if (pixels_->monochrome1) g = 255.0 - g;
      line[c] = static_cast<uchar>(std::clamp(g, 0.0, 255.0));
    }
  }
}

void PlaneViewer::renderOverlays() {
  overlay_ = {};
  heatmap_peak_ = 0.0f;
  label_pixels_ = 0;
  if (!scene_ || plane_ < 0 || (!show_labels_ && !show_heatmaps_)) return;
  const curation::Plane& plane = scene_->curation.planes[static_cast<std::size_t>(plane_)];
  const geometry::ImagePlane& geometry = plane.geometry;
  overlay_ = QImage(geometry.cols, geometry.rows, QImage::Format_ARGB32_Premultiplied);
  overlay_.fill(Qt::transparent);
  QPainter painter(&overlay_);
  if (show_heatmaps_) {
    data::HeatmapOptions options;
    options.sigma_px = kHeatmapSigmaMm / std::min(geometry.row_spacing_mm, geometry.col_spacing_mm);
    for (const auto& [view, other] : curation::heatmapChannelPlanes(scene_->curation, plane_)) {
      if (other < 0 || !viewVisible(view)) continue;
      const data::LineHeatmap heatmap = data::lineHeatmap(
          geometry, scene_->curation.planes[static_cast<std::size_t>(other)].geometry, options);
      if (!heatmap.flag.empty()) continue;
      const QColor colour = viewColour(view);
      QImage layer(geometry.cols, geometry.rows, QImage::Format_ARGB32);
      for (int r = 0; r < geometry.rows; ++r) {
        auto* line = reinterpret_cast<QRgb*>(layer.scanLine(r));
        for (int c = 0; c < geometry.cols; ++c) {
          const float v = heatmap.values[static_cast<std::size_t>(r) * geometry.cols + c];
          heatmap_peak_ = std::max(heatmap_peak_, v);
          line[c] = qRgba(colour.red(), colour.green(), colour.blue(), static_cast<int>(150 * v));
        }
      }
      painter.drawImage(0, 0, layer);
    }
  }
  if (show_labels_ && labels_) {
    const auto labels = labels_(plane.images[static_cast<std::size_t>(phase_)]);
    if (labels && labels->rows == geometry.rows && labels->cols == geometry.cols) {
      QImage layer(geometry.cols, geometry.rows, QImage::Format_ARGB32);
      for (int r = 0; r < geometry.rows; ++r) {
        auto* line = reinterpret_cast<QRgb*>(layer.scanLine(r));
        for (int c = 0; c < geometry.cols; ++c) {
          const int v = labels->values[static_cast<std::size_t>(r) * geometry.cols + c];
          label_pixels_ += v == 0 ? 0 : 1;
          line[c] =
              v == 0 ? qRgba(0, 0, 0, 0) : (labelColour(v).rgb() & 0x00ffffffu) | (110u << 24);
        }
      }
      painter.drawImage(0, 0, layer);
    }
  }
}

void PlaneViewer::updateLines() {
  drawn_.clear();
  if (!scene_ || plane_ < 0) return;
  for (curation::ReferenceLine& line : curation::referenceLines(scene_->curation, plane_)) {
    if (viewVisible(line.view)) drawn_.push_back(std::move(line));
  }
  hovered_line_ = -1;
}

double PlaneViewer::fitScale() const {
  if (!scene_ || plane_ < 0) return 1.0;
  const geometry::ImagePlane& g =
      scene_->curation.planes[static_cast<std::size_t>(plane_)].geometry;
  return std::min(width() / std::max(g.widthMm(), 1e-6), height() / std::max(g.heightMm(), 1e-6));
}

QPointF PlaneViewer::imageToWidget(const geometry::PixelCoord& pixel) const {
  if (!scene_ || plane_ < 0) return {};
  const geometry::ImagePlane& g =
      scene_->curation.planes[static_cast<std::size_t>(plane_)].geometry;
  // Pixels are drawn with their physical aspect (PixelSpacing may be non-square).
  const double s = fitScale() * zoom_;
  const double sx = s * g.col_spacing_mm;
  const double sy = s * g.row_spacing_mm;
  const double x0 = (width() - g.cols * sx) / 2.0 + pan_.x();
  const double y0 = (height() - g.rows * sy) / 2.0 + pan_.y();
  return {x0 + (pixel.col + 0.5) * sx, y0 + (pixel.row + 0.5) * sy};
}

void PlaneViewer::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), Qt::black);
  if (!scene_ || plane_ < 0) {
    painter.setPen(Qt::gray);
    painter.drawText(rect(), Qt::AlignCenter, tr("Select a series or a plane to view it"));
    return;
  }
  const curation::Plane& plane = scene_->curation.planes[static_cast<std::size_t>(plane_)];
  const QRectF target(imageToWidget({-0.5, -0.5}),
                      imageToWidget({plane.geometry.rows - 0.5, plane.geometry.cols - 0.5}));
  if (!image_.isNull()) {
    painter.setRenderHint(QPainter::SmoothPixmapTransform, zoom_ < 2.0);
    painter.drawImage(target, image_);
  } else {
    painter.setPen(Qt::red);
    painter.drawText(target, Qt::AlignCenter,
                     tr("[%1] image could not be read").arg(QString::fromStdString(image_error_)));
  }
  if (!overlay_.isNull()) painter.drawImage(target, overlay_);

  painter.setRenderHint(QPainter::Antialiasing, true);
  for (std::size_t i = 0; i < drawn_.size(); ++i) {
    const curation::ReferenceLine& line = drawn_[i];
    const bool hovered = static_cast<int>(i) == hovered_line_;
    QColor colour = viewColour(line.view);
    const QPointF a = imageToWidget(line.segment.start);
    const QPointF b = imageToWidget(line.segment.end);
    painter.setPen(QPen(colour, hovered ? 3.0 : 1.5));
    painter.drawLine(a, b);
    // Label near the end lower in the window (the text overlay is at the top), pulled inwards.
    const QPointF end = a.y() > b.y() ? a : b;
    const QPointF at = end + (((a.y() > b.y()) ? b : a) - end) * 0.06;
    painter.drawText(at + QPointF(4, -4), QString::fromStdString(line.view));
  }

  // Text overlay: what is shown and where in the stack.
  const auto& curation = scene_->curation;
  const curation::SeriesInfo& series = curation.series[static_cast<std::size_t>(plane.series)];
  QStringList info;
  info << QStringLiteral("%1 · %2").arg(QString::fromStdString(scene_->study.patient_id),
                                        QString::fromStdString(series.description));
  QString where = QString::fromStdString(curation::planeView(curation, plane_));
  if (plane.stack >= 0 && plane.slice_index >= 0) {
    const auto& stack = curation.stacks[static_cast<std::size_t>(plane.stack)];
    where += tr(" · slice %1/%2").arg(plane.slice_index + 1).arg(stack.slice_count);
  }
  if (!plane.kept) where += tr(" · superseded repeat");
  info << where;
  //: Cine phase, then the display window: W = window width, C = window centre (level).
  info << tr("phase %1/%2 · W %3 C %4")
              .arg(phase_ + 1)
              .arg(phaseCount())
              .arg(window_width_, 0, 'f', 0)
              .arg(window_centre_, 0, 'f', 0);
  if (plane.misalignment_mm) {
    info << tr("misalignment %1 mm%2")
                .arg(*plane.misalignment_mm, 0, 'f', 1)
                .arg(plane.misalignment_flag.value_or(false) ? tr(" (flagged)") : QString());
  }
  if (hovered_line_ >= 0) {
    const auto& line = drawn_[static_cast<std::size_t>(hovered_line_)];
    const auto& other = curation.planes[static_cast<std::size_t>(line.other_plane)];
    const QString view = QString::fromStdString(line.view);
    //: %1: a view code (sax, 2ch, ...), %2: a slice number.
    const QString name =
        other.slice_index >= 0 ? tr("%1 slice %2").arg(view).arg(other.slice_index + 1) : view;
    info << tr("line: %1 at %2°").arg(name).arg(line.angle_deg, 0, 'f', 0);
  }
  painter.setPen(Qt::white);
  painter.drawText(rect().adjusted(8, 6, -8, -6), Qt::AlignLeft | Qt::AlignTop,
                   info.join(QLatin1Char('\n')));
}

void PlaneViewer::resizeEvent(QResizeEvent*) {
  update();
}

void PlaneViewer::wheelEvent(QWheelEvent* event) {
  const int steps = event->angleDelta().y() / 120;
  if (steps == 0) return;
  if (event->modifiers() & Qt::ControlModifier) {
    // Zoom about the cursor: the point under it stays put.
    const QPointF centre(width() / 2.0, height() / 2.0);
    const QPointF cursor = event->position();
    const double factor = std::pow(1.25, steps);
    pan_ = cursor - centre - (cursor - centre - pan_) * factor;
    zoom_ *= factor;
    update();
  } else {
    stepSlice(-steps);
  }
  event->accept();
}

void PlaneViewer::mousePressEvent(QMouseEvent* event) {
  drag_start_ = event->position();
  pan_start_ = pan_;
  centre_start_ = window_centre_;
  width_start_ = window_width_;
  if (event->button() == Qt::LeftButton) drag_ = Drag::kPan;
  if (event->button() == Qt::RightButton) drag_ = Drag::kWindow;
}

void PlaneViewer::mouseMoveEvent(QMouseEvent* event) {
  const QPointF delta = event->position() - drag_start_;
  if (drag_ == Drag::kPan) {
    pan_ = pan_start_ + delta;
    update();
    return;
  }
  if (drag_ == Drag::kWindow) {
    // One widget pixel changes the window by 0.5 % of its width at the drag's start.
    const double unit = width_start_ * 0.005;
    setWindow(centre_start_ - delta.y() * unit, std::max(width_start_ + delta.x() * unit, 1.0));
    return;
  }
  const int line = lineAt(event->position());
  if (line != hovered_line_) {
    hovered_line_ = line;
    hovered_plane_ = line < 0 ? -1 : drawn_[static_cast<std::size_t>(line)].other_plane;
    update();
    Q_EMIT hoveredPlaneChanged(hovered_plane_);
  }
}

void PlaneViewer::mouseReleaseEvent(QMouseEvent*) {
  drag_ = Drag::kNone;
}

void PlaneViewer::mouseDoubleClickEvent(QMouseEvent* event) {
  const int line = lineAt(event->position());
  if (line >= 0) setPlane(drawn_[static_cast<std::size_t>(line)].other_plane);
}

void PlaneViewer::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_Up:
    case Qt::Key_PageUp:
      stepSlice(-1);
      break;
    case Qt::Key_Down:
    case Qt::Key_PageDown:
      stepSlice(1);
      break;
    case Qt::Key_Left:
      setPhase((phase_ + phaseCount() - 1) % std::max(phaseCount(), 1));
      break;
    case Qt::Key_Right:
      setPhase((phase_ + 1) % std::max(phaseCount(), 1));
      break;
    case Qt::Key_Space:
      setCinePlaying(!cinePlaying());
      break;
    case Qt::Key_R:
      resetView();
      break;
    default:
      QWidget::keyPressEvent(event);
      return;
  }
  event->accept();
}

int PlaneViewer::lineAt(const QPointF& pos) const {
  int best = -1;
  double best_distance = kHoverDistancePx;
  for (std::size_t i = 0; i < drawn_.size(); ++i) {
    const double d = distanceToSegment(pos, imageToWidget(drawn_[i].segment.start),
                                       imageToWidget(drawn_[i].segment.end));
    if (d <= best_distance) {
      best = static_cast<int>(i);
      best_distance = d;
    }
  }
  return best;
}

}  // namespace planelab::ui
