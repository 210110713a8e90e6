// The 2-D plane viewer: one image of a study with window/level, zoom/pan, cine playback over its
// phases and slice stepping in its stack, and the reference lines of every other plane of the
// same frame of reference (core's curation::referenceLines), colour coded and labelled by view,
// with per-view toggles; hovering a line highlights it and names its plane. Optional overlays:
// the image's labels (DICOM SEG) and the orientation pretext task's heatmap targets.
//
// Mouse: wheel = slice, Ctrl+wheel = zoom at the cursor, left drag = pan, right drag = window
// (horizontal = width, vertical = centre), double-click on a line = go to that plane.
// Keys: Up/Down = slice, Left/Right = phase, Space = cine, R = reset view and window.
#pragma once

#include <QImage>
#include <QPointF>
#include <QSet>
#include <QTimer>
#include <QWidget>
#include <functional>
#include <memory>
#include <optional>

#include "curation/study_scene.h"
#include "prepare/prepare.h"
#include "ui/viewer/image_cache.h"

namespace planelab::ui {

class PlaneViewer : public QWidget {
  Q_OBJECT

 public:
  // Labels of an image (nullopt when it has none).
  using LabelProvider =
      std::function<std::optional<prepare::LabelMap>(const curation::PlaneImage&)>;

  explicit PlaneViewer(QWidget* parent = nullptr);

  void setScene(std::shared_ptr<const curation::StudyScene> scene, ImageCache* images);
  void setLabelProvider(LabelProvider labels);
  void clear();
  const curation::StudyScene* scene() const { return scene_.get(); }

  void setPlane(int plane);
  int plane() const { return plane_; }
  void setPhase(int phase);
  int phase() const { return phase_; }
  int phaseCount() const;
  // Moves to the next (delta > 0) or previous kept plane of the same stack, by slice index.
  void stepSlice(int delta);
  void setCinePlaying(bool playing);
  bool cinePlaying() const { return cine_.isActive(); }

  void setWindow(double centre, double width);
  double windowCentre() const { return window_centre_; }
  double windowWidth() const { return window_width_; }
  void resetView();

  void setViewVisible(const std::string& view, bool visible);
  bool viewVisible(const std::string& view) const;
  void setLabelsVisible(bool visible);
  void setHeatmapsVisible(bool visible);
  bool heatmapsVisible() const { return show_heatmaps_; }

  // The reference lines drawn now (visible views only), in image pixel coordinates.
  const std::vector<curation::ReferenceLine>& drawnLines() const { return drawn_; }
  // Image pixel coordinates (row, col; centres at integers) → widget coordinates.
  QPointF imageToWidget(const geometry::PixelCoord& pixel) const;
  int hoveredPlane() const { return hovered_plane_; }
  // The last image read problem (pixel_reader's key), empty when the image is shown.
  const std::string& imageError() const { return image_error_; }
  // The orientation task's heatmap overlay's peak value (tests: 0 when off or nothing drawn).
  float heatmapPeak() const { return heatmap_peak_; }
  // Labelled pixels in the label overlay (tests: 0 when off or the image has no labels).
  int labelPixels() const { return label_pixels_; }

 Q_SIGNALS:
  void planeChanged(int plane);
  void phaseChanged(int phase);
  void hoveredPlaneChanged(int plane);  // -1: no line under the cursor
  void windowChanged(double centre, double width);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  void loadImage(bool reset_window);
  void renderImage();
  void renderOverlays();
  void updateLines();
  int lineAt(const QPointF& pos) const;
  double fitScale() const;  // widget px per mm at zoom 1

  std::shared_ptr<const curation::StudyScene> scene_;
  ImageCache* images_ = nullptr;
  LabelProvider labels_;
  int plane_ = -1;
  int phase_ = 0;
  std::shared_ptr<const dicom::PixelImage> pixels_;
  std::string image_error_;
  QImage image_;    // grey levels after the window
  QImage overlay_;  // labels and heatmaps, ARGB
  double window_centre_ = 0.0, window_width_ = 1.0;
  double zoom_ = 1.0;
  QPointF pan_;  // widget px
  QSet<QString> hidden_views_;
  bool show_labels_ = false;
  bool show_heatmaps_ = false;
  float heatmap_peak_ = 0.0f;
  int label_pixels_ = 0;
  std::vector<curation::ReferenceLine> drawn_;
  int hovered_line_ = -1;
  int hovered_plane_ = -1;
  QTimer cine_;
  enum class Drag { kNone, kPan, kWindow } drag_ = Drag::kNone;
  QPointF drag_start_;
  QPointF pan_start_;
  double centre_start_ = 0.0, width_start_ = 1.0;
};

}  // namespace planelab::ui
