// The 3-D plane scene: one study's kept planes as textured quads at their true position in the
// patient frame (DICOM LPS, mm), outlined in their view's colour, with the plane-plane
// intersection segments and the patient axes; the user rotates, zooms and pans with the mouse and
// picks a plane with a click. VTK renders inside this Qt6 QOpenGLWidget through a
// vtkGenericOpenGLRenderWindow, because Debian's VTK Qt module is built for Qt5
// (shared/ARCHITECTURE.md). VTK stays out of this header: the main window and the tests see Qt
// only.
#pragma once

#include <QImage>
#include <QOpenGLWidget>
#include <QPointF>
#include <memory>
#include <string>

#include "curation/study_scene.h"

namespace planelab::ui {

class ImageCache;

class PlaneSceneWidget : public QOpenGLWidget {
  Q_OBJECT

 public:
  explicit PlaneSceneWidget(QWidget* parent = nullptr);
  ~PlaneSceneWidget() override;

  // Shows a study and resets the camera. `images` decodes each plane's first image as its
  // texture, during this call only (null: every plane is drawn untextured).
  void setScene(std::shared_ptr<const curation::StudyScene> scene, ImageCache* images);
  void clearScene();

  // Highlights a plane (index into the scene's curation.planes; -1: none). Does not emit
  // planePicked, so the main window can mirror other widgets' selection without a loop.
  void setSelectedPlane(int plane);
  int selectedPlane() const { return selected_; }

  // Shows or hides the planes of one view label ("sax", "2ch", ...) with their intersections.
  void setViewVisible(const std::string& view, bool visible);

  // Looks at the whole study from the patient's front, left and above, head up.
  void resetCamera();

  // The visible plane drawn nearest the viewer at a widget point (logical pixels, y down), or -1.
  int planeAt(const QPointF& widget_px);

  // Where a patient point (LPS, mm) lands in the widget through the current camera: logical
  // pixels, y down, origin at the widget's top-left corner.
  QPointF projectToWidget(const geometry::Vec3& patient_mm) const;

  // The rendered scene as the widget shows it.
  QImage grabScene();

 Q_SIGNALS:
  // A left click that did not drag landed on this plane.
  void planePicked(int plane);

 protected:
  void initializeGL() override;
  void paintGL() override;
  void resizeGL(int width, int height) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void keyReleaseEvent(QKeyEvent* event) override;

 private:
  struct Vtk;

  void releaseGraphics();
  void rebuildIntersections();
  void applyOutlineStyles();
  void forwardMouse(QMouseEvent* event, unsigned long vtk_event);
  void forwardKey(QKeyEvent* event, unsigned long vtk_event);

  std::unique_ptr<Vtk> vtk_;
  std::shared_ptr<const curation::StudyScene> scene_;
  int selected_ = -1;
  QPointF press_px_;
  bool dragged_ = false;
};

}  // namespace planelab::ui
