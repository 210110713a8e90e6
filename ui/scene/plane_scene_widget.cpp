#include "ui/scene/plane_scene_widget.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QWheelEvent>
#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <vtkActor.h>
#include <vtkAxesActor.h>
#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCellPicker.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkImageData.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkNew.h>
#include <vtkOpenGLState.h>
#include <vtkOrientationMarkerWidget.h>
#include <vtkPlaneSource.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkTexture.h>

#include "ui/view_colours.h"
#include "ui/viewer/image_cache.h"

namespace planelab::ui {
namespace {

// Background (sRGB 0..1): a dark blue-grey that neither a grey-scale texture nor a view colour
// takes.
constexpr double kBackground[3] = {0.11, 0.12, 0.15};
// Planes whose pixels cannot be read.
constexpr double kUntexturedGrey = 0.45;
// Line widths in pixels; the selected outline is also mixed 40 % towards white.
constexpr float kOutlineWidth = 2.5F;
constexpr float kSelectedOutlineWidth = 5.0F;
constexpr double kSelectedWhiteMix = 0.4;
constexpr float kIntersectionWidth = 1.5F;
constexpr double kIntersectionColour[3] = {0.92, 0.92, 0.92};
// The default view direction, from the study's centre towards the camera (LPS): mostly the
// patient's front, a little from the left and above, so the long-axis images face the viewer and
// the short-axis stack is seen at an angle. Head up, patient's left on the right of the screen.
constexpr double kViewFrom[3] = {0.2, -1.0, 0.45};
// Zoom after fitting the study's bounding sphere into the view.
constexpr double kFitZoom = 1.4;
// A press that moves further than this (logical pixels) rotates or pans instead of picking.
constexpr double kClickSlopPx = 4.0;
// The orientation marker's viewport: the bottom-left 18 % of the widget.
constexpr double kMarkerViewport[4] = {0.0, 0.0, 0.18, 0.18};

// The plane's first image, windowed to 8-bit grey: row r of the image is row r of the texture, so
// texture coordinates (s, t) = (column, row) match the quad built from planeCorners.
vtkSmartPointer<vtkTexture> planeTexture(ImageCache& images, const curation::Plane& plane) {
  if (plane.images.empty()) return nullptr;
  const CachedFrame frame = images.frame(plane.images.front());
  if (!frame.image || frame.image->rows <= 0 || frame.image->cols <= 0) return nullptr;
  const dicom::PixelImage& pixels = *frame.image;
  const auto [centre, width] = defaultWindow(pixels);
  const double low = centre - width / 2.0;
  vtkNew<vtkImageData> grey;
  grey->SetDimensions(pixels.cols, pixels.rows, 1);
  grey->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
  auto* out = static_cast<unsigned char*>(grey->GetScalarPointer());
  for (std::size_t i = 0; i < pixels.values.size(); ++i) {
    double g = (pixels.values[i] - low) * 255.0 / width;
    if (pixels.monochrome1) g = 255.0 - g;
    out[i] = static_cast<unsigned char>(std::clamp(g, 0.0, 255.0));
  }
  auto texture = vtkSmartPointer<vtkTexture>::New();
  texture->SetInputData(grey);
  texture->InterpolateOn();
  return texture;
}

vtkSmartPointer<vtkActor> quadActor(const std::array<geometry::Vec3, 4>& corners,
                                    vtkTexture* texture) {
  // vtkPlaneSource's texture coordinates: (0, 0) at the origin, s along Point1, t along Point2.
  vtkNew<vtkPlaneSource> source;
  source->SetOrigin(corners[0].x, corners[0].y, corners[0].z);
  source->SetPoint1(corners[1].x, corners[1].y, corners[1].z);
  source->SetPoint2(corners[3].x, corners[3].y, corners[3].z);
  vtkNew<vtkPolyDataMapper> mapper;
  mapper->SetInputConnection(source->GetOutputPort());
  auto actor = vtkSmartPointer<vtkActor>::New();
  actor->SetMapper(mapper);
  // Unlit: the quad shows the windowed grey levels as the 2-D viewer does, whatever its angle.
  actor->GetProperty()->LightingOff();
  if (texture != nullptr) {
    actor->SetTexture(texture);
    actor->GetProperty()->SetColor(1.0, 1.0, 1.0);
  } else {
    actor->GetProperty()->SetColor(kUntexturedGrey, kUntexturedGrey, kUntexturedGrey);
  }
  return actor;
}

vtkSmartPointer<vtkActor> outlineActor(const std::array<geometry::Vec3, 4>& corners) {
  vtkNew<vtkPoints> points;
  for (const geometry::Vec3& c : corners) points->InsertNextPoint(c.x, c.y, c.z);
  vtkNew<vtkCellArray> lines;
  const vtkIdType loop[5] = {0, 1, 2, 3, 0};
  lines->InsertNextCell(5, loop);
  vtkNew<vtkPolyData> outline;
  outline->SetPoints(points);
  outline->SetLines(lines);
  vtkNew<vtkPolyDataMapper> mapper;
  mapper->SetInputData(outline);
  auto actor = vtkSmartPointer<vtkActor>::New();
  actor->SetMapper(mapper);
  actor->GetProperty()->LightingOff();
  actor->PickableOff();
  return actor;
}

}  // namespace

struct PlaneSceneWidget::Vtk {
  struct PlaneProps {
    int plane = -1;
    std::string view;
    QColor colour;
    vtkSmartPointer<vtkActor> quad;
    vtkSmartPointer<vtkActor> outline;
  };

  vtkNew<vtkGenericOpenGLRenderWindow> window;
  vtkNew<vtkRenderer> renderer;
  vtkNew<vtkGenericRenderWindowInteractor> interactor;
  vtkNew<vtkInteractorStyleTrackballCamera> style;
  vtkNew<vtkCellPicker> picker;
  vtkNew<vtkPolyData> intersections;
  vtkNew<vtkActor> intersection_actor;
  vtkNew<vtkAxesActor> axes;
  vtkNew<vtkOrientationMarkerWidget> marker;  // after interactor and axes: released first
  std::vector<PlaneProps> planes;             // the kept planes, in plane order
  std::set<std::string> hidden_views;

  bool visible(const std::string& view) const { return hidden_views.count(view) == 0; }
};

PlaneSceneWidget::PlaneSceneWidget(QWidget* parent)
    : QOpenGLWidget(parent), vtk_(std::make_unique<Vtk>()) {
  // VTK's OpenGL2 backend needs a 3.2 core context; it renders into framebuffers of its own, so
  // the widget's surface needs no depth, stencil or multisampling.
  QSurfaceFormat format;
  format.setRenderableType(QSurfaceFormat::OpenGL);
  format.setVersion(3, 2);
  format.setProfile(QSurfaceFormat::CoreProfile);
  format.setAlphaBufferSize(8);
  setFormat(format);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumSize(200, 150);

  Vtk& v = *vtk_;
  // Nothing renders until initializeGL hands VTK the widget's context.
  v.window->SetReadyForRendering(false);
  // Lines wider than one pixel through VTK's own geometry shader: core profiles drop wide lines.
  v.window->SetForceMaximumHardwareLineWidth(1);
  // paintGL copies VTK's frame into the widget's framebuffer (not the window system's).
  v.window->SetFrameBlitModeToNoBlit();
  vtkNew<vtkCallbackCommand> make_current;
  make_current->SetClientData(this);
  make_current->SetCallback([](vtkObject*, unsigned long, void* widget, void*) {
    // VTK asks at every step; QOpenGLWidget::makeCurrent also binds the widget's framebuffer
    // behind VTK's back, so only when another context is current.
    auto* self = static_cast<PlaneSceneWidget*>(widget);
    if (QOpenGLContext::currentContext() != self->context()) self->makeCurrent();
  });
  v.window->AddObserver(vtkCommand::WindowMakeCurrentEvent, make_current);
  vtkNew<vtkCallbackCommand> is_current;
  is_current->SetClientData(this);
  is_current->SetCallback([](vtkObject*, unsigned long, void* widget, void* answer) {
    *static_cast<bool*>(answer) =
        QOpenGLContext::currentContext() == static_cast<PlaneSceneWidget*>(widget)->context();
  });
  v.window->AddObserver(vtkCommand::WindowIsCurrentEvent, is_current);

  v.renderer->SetBackground(kBackground[0], kBackground[1], kBackground[2]);
  // Opaque background, so the widget never shows through to what lies behind the window.
  v.renderer->SetBackgroundAlpha(1.0);
  v.window->AddRenderer(v.renderer);

  // The interactor only asks for a frame; paintGL renders it, inside Qt's paint cycle.
  v.interactor->SetRenderWindow(v.window);
  v.interactor->SetInteractorStyle(v.style);
  v.interactor->EnableRenderOff();
  vtkNew<vtkCallbackCommand> request_frame;
  request_frame->SetClientData(this);
  request_frame->SetCallback([](vtkObject*, unsigned long, void* widget, void*) {
    static_cast<PlaneSceneWidget*>(widget)->update();
  });
  v.interactor->AddObserver(vtkCommand::RenderEvent, request_frame);
  v.interactor->Initialize();

  v.picker->SetTolerance(0.0005);
  v.picker->PickFromListOn();

  v.intersection_actor->GetProperty()->SetColor(kIntersectionColour[0], kIntersectionColour[1],
                                                kIntersectionColour[2]);
  v.intersection_actor->GetProperty()->SetLineWidth(kIntersectionWidth);
  v.intersection_actor->GetProperty()->LightingOff();
  v.intersection_actor->PickableOff();
  vtkNew<vtkPolyDataMapper> intersection_mapper;
  intersection_mapper->SetInputData(v.intersections);
  v.intersection_actor->SetMapper(intersection_mapper);

  // DICOM's patient frame: +x towards the patient's left, +y posterior, +z superior (head). The
  // letters are the DICOM convention every viewer shows, so they are not translated.
  v.axes->SetXAxisLabelText("L");
  v.axes->SetYAxisLabelText("P");
  v.axes->SetZAxisLabelText("S");
  v.marker->SetOrientationMarker(v.axes);
  v.marker->SetInteractor(v.interactor);
  v.marker->SetDefaultRenderer(v.renderer);
  v.marker->SetViewport(kMarkerViewport[0], kMarkerViewport[1], kMarkerViewport[2],
                        kMarkerViewport[3]);
  v.marker->SetEnabled(1);
  v.marker->InteractiveOff();

  resetCamera();
}

PlaneSceneWidget::~PlaneSceneWidget() {
  // The context dies in QOpenGLWidget's destructor, after this class is gone: release VTK's
  // resources now and drop the connection that would call back into a destroyed object.
  if (context() != nullptr) disconnect(context(), nullptr, this, nullptr);
  releaseGraphics();
}

void PlaneSceneWidget::releaseGraphics() {
  if (!vtk_->window->GetReadyForRendering()) return;
  makeCurrent();
  vtk_->window->Finalize();
  vtk_->window->SetReadyForRendering(false);
  doneCurrent();
}

void PlaneSceneWidget::initializeGL() {
  // Called again with a new context when the widget moves to another top-level window (a floated
  // dock): the old context's resources go with it.
  connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &PlaneSceneWidget::releaseGraphics,
          Qt::DirectConnection);
  vtk_->window->SetOwnContext(0);
  vtk_->window->InitializeFromCurrentContext();
  vtk_->window->SetReadyForRendering(true);
}

void PlaneSceneWidget::resizeGL(int width, int height) {
  const double ratio = devicePixelRatioF();
  // Updates the render window's size too; VTK works in device pixels.
  vtk_->interactor->UpdateSize(static_cast<int>(std::lround(width * ratio)),
                               static_cast<int>(std::lround(height * ratio)));
}

void PlaneSceneWidget::paintGL() {
  vtkGenericOpenGLRenderWindow* window = vtk_->window;
  window->Render();
  // VTK rendered into its own framebuffer; copy the frame into the one Qt composes the widget from.
  vtkOpenGLState* state = window->GetState();
  state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
  state->vtkglDrawBuffer(GL_COLOR_ATTACHMENT0);
  const int* size = window->GetSize();
  window->BlitDisplayFramebuffer(0, 0, 0, size[0], size[1], 0, 0, size[0], size[1],
                                 GL_COLOR_BUFFER_BIT, GL_NEAREST);
}

void PlaneSceneWidget::setScene(std::shared_ptr<const curation::StudyScene> scene,
                                ImageCache* images) {
  clearScene();
  scene_ = std::move(scene);
  if (!scene_) return;
  Vtk& v = *vtk_;
  const curation::StudyCuration& curation = scene_->curation;
  for (std::size_t p = 0; p < curation.planes.size(); ++p) {
    const curation::Plane& plane = curation.planes[p];
    if (!plane.kept) continue;
    Vtk::PlaneProps props;
    props.plane = static_cast<int>(p);
    props.view = curation::planeView(curation, props.plane);
    props.colour = viewColour(props.view);
    const auto corners = curation::planeCorners(plane.geometry);
    vtkSmartPointer<vtkTexture> texture;
    if (images != nullptr) texture = planeTexture(*images, plane);
    props.quad = quadActor(corners, texture);
    props.outline = outlineActor(corners);
    props.quad->SetVisibility(v.visible(props.view));
    props.quad->SetPickable(v.visible(props.view));
    props.outline->SetVisibility(v.visible(props.view));
    v.renderer->AddActor(props.quad);
    v.renderer->AddActor(props.outline);
    v.picker->AddPickList(props.quad);
    v.planes.push_back(std::move(props));
  }
  v.renderer->AddActor(v.intersection_actor);
  rebuildIntersections();
  applyOutlineStyles();
  resetCamera();
}

void PlaneSceneWidget::clearScene() {
  Vtk& v = *vtk_;
  for (const Vtk::PlaneProps& props : v.planes) {
    v.renderer->RemoveActor(props.quad);
    v.renderer->RemoveActor(props.outline);
  }
  v.renderer->RemoveActor(v.intersection_actor);
  v.planes.clear();
  v.picker->InitializePickList();
  scene_.reset();
  selected_ = -1;
  update();
}

void PlaneSceneWidget::setSelectedPlane(int plane) {
  if (plane == selected_) return;
  selected_ = plane;
  applyOutlineStyles();
  update();
}

void PlaneSceneWidget::setViewVisible(const std::string& view, bool visible) {
  Vtk& v = *vtk_;
  if (visible) {
    v.hidden_views.erase(view);
  } else {
    v.hidden_views.insert(view);
  }
  for (const Vtk::PlaneProps& props : v.planes) {
    if (props.view != view) continue;
    props.quad->SetVisibility(visible);
    props.quad->SetPickable(visible);
    props.outline->SetVisibility(visible);
  }
  rebuildIntersections();
  update();
}

void PlaneSceneWidget::resetCamera() {
  vtkCamera* camera = vtk_->renderer->GetActiveCamera();
  camera->SetFocalPoint(0.0, 0.0, 0.0);
  camera->SetPosition(kViewFrom[0], kViewFrom[1], kViewFrom[2]);
  camera->SetViewUp(0.0, 0.0, 1.0);
  vtk_->renderer->ResetCamera();
  // ResetCamera fits the bounding sphere, which leaves a wide margin around a stack of planes.
  camera->Zoom(kFitZoom);
  vtk_->renderer->ResetCameraClippingRange();
  update();
}

int PlaneSceneWidget::planeAt(const QPointF& widget_px) {
  Vtk& v = *vtk_;
  const double ratio = devicePixelRatioF();
  const int* size = v.window->GetSize();
  if (v.picker->Pick(widget_px.x() * ratio, size[1] - widget_px.y() * ratio, 0.0, v.renderer) ==
      0) {
    return -1;
  }
  const vtkActor* hit = v.picker->GetActor();
  for (const Vtk::PlaneProps& props : v.planes) {
    if (props.quad.GetPointer() == hit) return props.plane;
  }
  return -1;
}

QPointF PlaneSceneWidget::projectToWidget(const geometry::Vec3& patient_mm) const {
  vtkRenderer* renderer = vtk_->renderer;
  renderer->SetWorldPoint(patient_mm.x, patient_mm.y, patient_mm.z, 1.0);
  renderer->WorldToDisplay();
  const double* display = renderer->GetDisplayPoint();
  const double ratio = devicePixelRatioF();
  // Display coordinates: device pixels from the bottom-left corner.
  return {display[0] / ratio, (vtk_->window->GetSize()[1] - display[1]) / ratio};
}

QImage PlaneSceneWidget::grabScene() {
  return grabFramebuffer();
}

void PlaneSceneWidget::rebuildIntersections() {
  Vtk& v = *vtk_;
  vtkNew<vtkPoints> points;
  vtkNew<vtkCellArray> lines;
  if (scene_) {
    const curation::StudyCuration& curation = scene_->curation;
    const auto shown = [&](int p) {
      const curation::Plane& plane = curation.planes[static_cast<std::size_t>(p)];
      return plane.kept && v.visible(curation::planeView(curation, p));
    };
    for (const curation::Intersection& x : curation.intersections) {
      if (!x.segment || !shown(x.plane) || !shown(x.other)) continue;
      // The segment is in pixel coordinates of the image it was traced in (x.plane).
      const geometry::ImagePlane& image =
          curation.planes[static_cast<std::size_t>(x.plane)].geometry;
      const geometry::Vec3 start = image.toPatient(x.segment->start);
      const geometry::Vec3 end = image.toPatient(x.segment->end);
      const vtkIdType ids[2] = {points->InsertNextPoint(start.x, start.y, start.z),
                                points->InsertNextPoint(end.x, end.y, end.z)};
      lines->InsertNextCell(2, ids);
    }
  }
  v.intersections->SetPoints(points);
  v.intersections->SetLines(lines);
  v.intersections->Modified();
}

void PlaneSceneWidget::applyOutlineStyles() {
  const auto brighter = [](double channel) {
    return (1.0 - kSelectedWhiteMix) * channel + kSelectedWhiteMix;
  };
  for (const Vtk::PlaneProps& props : vtk_->planes) {
    vtkProperty* property = props.outline->GetProperty();
    const QColor& c = props.colour;
    if (props.plane == selected_) {
      property->SetColor(brighter(c.redF()), brighter(c.greenF()), brighter(c.blueF()));
      property->SetLineWidth(kSelectedOutlineWidth);
    } else {
      property->SetColor(c.redF(), c.greenF(), c.blueF());
      property->SetLineWidth(kOutlineWidth);
    }
  }
}

void PlaneSceneWidget::forwardMouse(QMouseEvent* event, unsigned long vtk_event) {
  const double ratio = devicePixelRatioF();
  const Qt::KeyboardModifiers modifiers = event->modifiers();
  vtkGenericRenderWindowInteractor* interactor = vtk_->interactor;
  interactor->SetEventInformationFlipY(static_cast<int>(std::lround(event->position().x() * ratio)),
                                       static_cast<int>(std::lround(event->position().y() * ratio)),
                                       modifiers.testFlag(Qt::ControlModifier) ? 1 : 0,
                                       modifiers.testFlag(Qt::ShiftModifier) ? 1 : 0);
  interactor->SetAltKey(modifiers.testFlag(Qt::AltModifier) ? 1 : 0);
  interactor->InvokeEvent(vtk_event);
}

void PlaneSceneWidget::mousePressEvent(QMouseEvent* event) {
  press_px_ = event->position();
  dragged_ = false;
  switch (event->button()) {
    case Qt::LeftButton:
      forwardMouse(event, vtkCommand::LeftButtonPressEvent);
      break;
    case Qt::MiddleButton:
      forwardMouse(event, vtkCommand::MiddleButtonPressEvent);
      break;
    case Qt::RightButton:
      forwardMouse(event, vtkCommand::RightButtonPressEvent);
      break;
    default:
      break;
  }
}

void PlaneSceneWidget::mouseMoveEvent(QMouseEvent* event) {
  const QPointF moved = event->position() - press_px_;
  if (std::hypot(moved.x(), moved.y()) > kClickSlopPx) dragged_ = true;
  forwardMouse(event, vtkCommand::MouseMoveEvent);
}

void PlaneSceneWidget::mouseReleaseEvent(QMouseEvent* event) {
  switch (event->button()) {
    case Qt::LeftButton:
      forwardMouse(event, vtkCommand::LeftButtonReleaseEvent);
      if (!dragged_) {
        const int plane = planeAt(event->position());
        if (plane >= 0) {
          setSelectedPlane(plane);
          Q_EMIT planePicked(plane);
        }
      }
      break;
    case Qt::MiddleButton:
      forwardMouse(event, vtkCommand::MiddleButtonReleaseEvent);
      break;
    case Qt::RightButton:
      forwardMouse(event, vtkCommand::RightButtonReleaseEvent);
      break;
    default:
      break;
  }
}

void PlaneSceneWidget::wheelEvent(QWheelEvent* event) {
  const int delta = event->angleDelta().y();
  if (delta == 0) return;
  const double ratio = devicePixelRatioF();
  vtkGenericRenderWindowInteractor* interactor = vtk_->interactor;
  interactor->SetEventInformationFlipY(
      static_cast<int>(std::lround(event->position().x() * ratio)),
      static_cast<int>(std::lround(event->position().y() * ratio)));
  interactor->InvokeEvent(delta > 0 ? vtkCommand::MouseWheelForwardEvent
                                    : vtkCommand::MouseWheelBackwardEvent);
}

void PlaneSceneWidget::forwardKey(QKeyEvent* event, unsigned long vtk_event) {
  // The trackball style's keys are printable ASCII ('r' resets the camera, 'w'/'s' wireframe or
  // surface, ...): VTK names those keys by the character itself.
  const QString text = event->text();
  if (text.size() != 1 || text.at(0).unicode() < 0x20 || text.at(0).unicode() > 0x7e) {
    event->ignore();
    return;
  }
  const std::string key = text.toStdString();
  const Qt::KeyboardModifiers modifiers = event->modifiers();
  vtkGenericRenderWindowInteractor* interactor = vtk_->interactor;
  interactor->SetKeyEventInformation(modifiers.testFlag(Qt::ControlModifier) ? 1 : 0,
                                     modifiers.testFlag(Qt::ShiftModifier) ? 1 : 0, key[0],
                                     event->isAutoRepeat() ? 1 : 0, key.c_str());
  interactor->InvokeEvent(vtk_event);
  if (vtk_event == vtkCommand::KeyPressEvent) interactor->InvokeEvent(vtkCommand::CharEvent);
}

void PlaneSceneWidget::keyPressEvent(QKeyEvent* event) {
  forwardKey(event, vtkCommand::KeyPressEvent);
}

void PlaneSceneWidget::keyReleaseEvent(QKeyEvent* event) {
  forwardKey(event, vtkCommand::KeyReleaseEvent);
}

}  // namespace planelab::ui
