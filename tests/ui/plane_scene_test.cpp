// The 3-D plane scene on a phantom heart (SAX stack + 2/3/4-chamber views), rendered by VTK
// inside the Qt widget under Xvfb: the picture shows the study, each plane's outline lies where
// the camera projects its corners (and not 40 px away), a click picks the plane under the cursor,
// a drag rotates instead, selection and view toggles change what they should.
#include <QtTest>
#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <vector>

#include "catalog/catalog.h"
#include "curation/study_scene.h"
#include "ui/event_loop.h"
#include "ui/phantom_catalog.h"
#include "ui/scene/plane_scene_widget.h"
#include "ui/view_colours.h"
#include "ui/viewer/image_cache.h"

using planelab::geometry::Vec3;
using planelab::ui::PlaneSceneWidget;

namespace {

constexpr int kWidth = 900;
constexpr int kHeight = 700;
// A pixel "has" a colour when every channel is within this of it (lines are blended at their
// edges by multisampling).
constexpr int kColourTolerance = 40;
// How far from a projected edge point its outline pixels may lie: half the line width plus
// rounding.
constexpr int kSearchRadiusPx = 3;
// Points per edge, evenly spread between 10 % and 90 % of its length.
constexpr int kSamplesPerEdge = 9;

bool near(QRgb pixel, const QColor& colour, int tolerance = kColourTolerance) {
  return std::abs(qRed(pixel) - colour.red()) <= tolerance &&
         std::abs(qGreen(pixel) - colour.green()) <= tolerance &&
         std::abs(qBlue(pixel) - colour.blue()) <= tolerance;
}

bool colourWithin(const QImage& image, QPointF at, const QColor& colour, int radius) {
  const int cx = static_cast<int>(std::floor(at.x()));
  const int cy = static_cast<int>(std::floor(at.y()));
  for (int y = cy - radius; y <= cy + radius; ++y) {
    for (int x = cx - radius; x <= cx + radius; ++x) {
      if (x < 0 || y < 0 || x >= image.width() || y >= image.height()) continue;
      if (near(image.pixel(x, y), colour)) return true;
    }
  }
  return false;
}

bool inside(const QSize& size, QPointF p, double margin = 0.0) {
  return p.x() >= margin && p.y() >= margin && p.x() < size.width() - margin &&
         p.y() < size.height() - margin;
}

// Inside a convex quadrilateral given in order (either winding).
bool insideQuad(const std::array<QPointF, 4>& quad, QPointF p) {
  int positive = 0;
  int negative = 0;
  for (int i = 0; i < 4; ++i) {
    const QPointF a = quad[static_cast<std::size_t>(i)];
    const QPointF b = quad[static_cast<std::size_t>((i + 1) % 4)];
    const double cross = (b.x() - a.x()) * (p.y() - a.y()) - (b.y() - a.y()) * (p.x() - a.x());
    if (cross > 0) ++positive;
    if (cross < 0) ++negative;
  }
  return positive == 0 || negative == 0;
}

double distanceToSegment(QPointF p, QPointF a, QPointF b) {
  const QPointF ab = b - a;
  const double length2 = QPointF::dotProduct(ab, ab);
  const double t =
      length2 > 0.0 ? std::clamp(QPointF::dotProduct(p - a, ab) / length2, 0.0, 1.0) : 0.0;
  const QPointF d = p - (a + t * ab);
  return std::hypot(d.x(), d.y());
}

// Inside the quadrilateral or within 2 px of its outline (the picker's tolerance, 0.05 % of the
// widget's diagonal, plus rounding).
bool onQuad(const std::array<QPointF, 4>& quad, QPointF p) {
  if (insideQuad(quad, p)) return true;
  for (std::size_t i = 0; i < 4; ++i) {
    if (distanceToSegment(p, quad[i], quad[(i + 1) % 4]) <= 2.0) return true;
  }
  return false;
}

Vec3 lerp(const Vec3& a, const Vec3& b, double t) {
  return a + (b - a) * t;
}

struct OutlineScore {
  int visible = 0;  // sample points in the widget where the plane is the front-most surface
  int matched = 0;  // of those, points with the view's colour within kSearchRadiusPx
};

}  // namespace

class PlaneSceneTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    dir_ = planelab::testing::uiTestDir("plane_scene");
    const auto phantom = planelab::testing::makePhantomCatalog(dir_, 1, 0);
    planelab::catalog::Status status;
    catalog_ = planelab::catalog::Catalog::open(phantom.catalog, status);
    QVERIFY2(catalog_, status.message.c_str());
    const auto studies = catalog_->studies();
    QCOMPARE(studies.size(), std::size_t{1});
    auto scene = planelab::curation::loadStudyScene(*catalog_, studies[0].id, status);
    QVERIFY2(scene, status.message.c_str());
    scene_ = std::make_shared<const planelab::curation::StudyScene>(std::move(*scene));
    for (std::size_t p = 0; p < scene_->curation.planes.size(); ++p) {
      if (scene_->curation.planes[p].kept) kept_.push_back(static_cast<int>(p));
    }
    QVERIFY2(kept_.size() >= 8, qPrintable(QString::number(kept_.size())));

    widget_ = std::make_unique<PlaneSceneWidget>();
    widget_->resize(kWidth, kHeight);
    widget_->setScene(scene_, &images_);
    widget_->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget_.get()));
    frame_ = widget_->grabScene();
    QCOMPARE(frame_.size(), QSize(kWidth, kHeight));
    // The README's picture (written first, so a failing run still shows what it rendered).
    if (const char* folder = std::getenv("PLANELAB_SCREENSHOTS")) {
      std::filesystem::create_directories(folder);
      const QString file = QString::fromUtf8(folder) + QStringLiteral("/scene3d.png");
      QVERIFY2(frame_.save(file), qPrintable(file));
    }
  }

  // Each test starts from the first rendering's state, whatever the one before left behind.
  void init() {
    widget_->setSelectedPlane(-1);
    for (int p : kept_) widget_->setViewVisible(planeView(p), true);
    widget_->resetCamera();
  }

  void cleanupTestCase() {
    widget_.reset();
    catalog_.reset();
    std::filesystem::remove_all(dir_);
  }

  void showsEveryViewOfTheStudy() {
    std::map<std::string, int> planes_per_view;
    for (int p : kept_) ++planes_per_view[planeView(p)];
    for (const char* view : {"sax", "2ch", "3ch", "4ch"}) {
      QVERIFY2(planes_per_view[view] > 0, view);
    }

    // The background is the commonest colour; the study covers a good part of the picture.
    std::map<QRgb, int> histogram;
    for (int y = 0; y < frame_.height(); ++y) {
      for (int x = 0; x < frame_.width(); ++x) ++histogram[frame_.pixel(x, y) | 0xff000000U];
    }
    const QRgb background =
        std::max_element(histogram.begin(), histogram.end(), [](const auto& a, const auto& b) {
          return a.second < b.second;
        })->first;
    int differing = 0;
    int grey_levels = 0;
    std::array<bool, 256> grey_seen{};
    for (int y = 0; y < frame_.height(); ++y) {
      for (int x = 0; x < frame_.width(); ++x) {
        const QRgb pixel = frame_.pixel(x, y);
        if (!near(pixel, QColor(background), 8)) ++differing;
        if (qRed(pixel) == qGreen(pixel) && qGreen(pixel) == qBlue(pixel) &&
            !grey_seen[static_cast<std::size_t>(qRed(pixel))]) {
          grey_seen[static_cast<std::size_t>(qRed(pixel))] = true;
          ++grey_levels;
        }
      }
    }
    const double fraction = static_cast<double>(differing) / (kWidth * kHeight);
    qInfo("scene covers %.1f %% of the widget, %d grey levels", 100.0 * fraction, grey_levels);
    QVERIFY2(fraction > 0.10, qPrintable(QString::number(fraction)));
    // The planes carry their MR images (an untextured plane is one flat grey).
    QVERIFY2(grey_levels >= 64, qPrintable(QString::number(grey_levels)));
  }

  void outlinesLieOnTheProjectedCorners() {
    int planes_visible = 0;
    int visible = 0;
    int matched = 0;
    for (int p : kept_) {
      const OutlineScore score = scoreOutline(p);
      qInfo("plane %d (%s): %d of %d visible edge points on the outline", p, planeView(p).c_str(),
            score.matched, score.visible);
      visible += score.visible;
      matched += score.matched;
      if (score.visible == 0) continue;
      ++planes_visible;
      // Per plane: most of its visible edge points (another plane's edge or an intersection line
      // may cover a few).
      QVERIFY2(
          score.matched * 10 >= score.visible * 7,
          qPrintable(
              QStringLiteral("plane %1: %2 of %3").arg(p).arg(score.matched).arg(score.visible)));
    }
    qInfo("all planes: %d of %d visible edge points matched, %d of %zu planes seen", matched,
          visible, planes_visible, kept_.size());
    // Stacked short-axis planes hide each other's far edges, but most planes show some edge.
    QVERIFY2(planes_visible * 4 >= static_cast<int>(kept_.size()) * 3,
             qPrintable(QString::number(planes_visible)));
    QVERIFY(visible >= 100);
    QVERIFY2(matched * 10 >= visible * 9, qPrintable(QString::number(matched)));
  }

  void anOutlineIsNotFoundAcrossItsEdge() {
    // The same points moved across their projected edge must miss the outline, or the check above
    // could not tell a right mapping from a wrong one. Planes alone in their colour (the long-axis
    // views) only: a neighbour of the same colour in the closely stacked short-axis planes could
    // stand in for a displaced one.
    std::map<std::string, int> planes_per_view;
    for (int p : kept_) ++planes_per_view[planeView(p)];
    for (const double shift_px : {-40.0, -20.0, 20.0, 40.0}) {
      int visible = 0;
      int matched = 0;
      for (int p : kept_) {
        if (planes_per_view[planeView(p)] != 1) continue;
        const OutlineScore score = scoreOutline(p, shift_px);
        visible += score.visible;
        matched += score.matched;
      }
      qInfo("moved %+g px across the edge: %d of %d long-axis edge points matched", shift_px,
            matched, visible);
      QVERIFY(visible >= 30);
      QVERIFY2(matched * 10 <= visible, qPrintable(QString::number(matched)));
    }
  }

  void selectionChangesOnlyTheSelectedOutline() {
    const int p = alonePoint().plane;
    QVERIFY(p >= 0);
    widget_->setSelectedPlane(p);
    QCOMPARE(widget_->selectedPlane(), p);
    const QImage selected = widget_->grabScene();
    const auto edges = projectedCorners(p);
    int changed = 0;
    int changed_far = 0;
    for (int y = 0; y < selected.height(); ++y) {
      for (int x = 0; x < selected.width(); ++x) {
        if (selected.pixel(x, y) == frame_.pixel(x, y)) continue;
        ++changed;
        double distance = 1e9;
        for (int i = 0; i < 4; ++i) {
          distance =
              std::min(distance, distanceToSegment(QPointF(x + 0.5, y + 0.5),
                                                   edges[static_cast<std::size_t>(i)],
                                                   edges[static_cast<std::size_t>((i + 1) % 4)]));
        }
        if (distance > 6.0) ++changed_far;
      }
    }
    qInfo("selecting plane %d changed %d pixels, %d away from its outline", p, changed,
          changed_far);
    QVERIFY(changed >= 200);
    QCOMPARE(changed_far, 0);
    widget_->setSelectedPlane(-1);
    QCOMPARE(widget_->selectedPlane(), -1);
    QVERIFY(widget_->grabScene() == frame_);
  }

  void aClickPicksThePlaneUnderTheCursor() {
    // Points inside every plane pick a plane drawn there: itself, or one in front of it; where no
    // other plane is drawn, itself.
    int tried = 0;
    int unambiguous = 0;
    int picked_itself = 0;
    for (int p : kept_) {
      for (const Vec3& inner : innerPoints(p)) {
        const QPointF at = widget_->projectToWidget(inner);
        if (!inside(widget_->size(), at, 2.0)) continue;
        ++tried;
        const int q = widget_->planeAt(at);
        QVERIFY2(q >= 0, qPrintable(QStringLiteral("plane %1").arg(p)));
        QVERIFY2(onQuad(projectedCorners(q), at),
                 qPrintable(QStringLiteral("plane %1 picked %2").arg(p).arg(q)));
        if (q == p) ++picked_itself;
        if (onlyPlaneAt(p, at)) {
          ++unambiguous;
          QCOMPARE(q, p);
        }
      }
    }
    qInfo("%d of %d interior points picked their own plane; %d had no other plane drawn there",
          picked_itself, tried, unambiguous);
    QVERIFY(tried >= 200);
    QVERIFY(unambiguous >= 3);

    const Alone alone = alonePoint();
    QVERIFY(alone.plane >= 0);
    const QPoint at = widget_->projectToWidget(alone.patient_mm).toPoint();
    QSignalSpy picked(widget_.get(), &PlaneSceneWidget::planePicked);
    QTest::mouseClick(widget_.get(), Qt::LeftButton, {}, at);
    QCOMPARE(picked.count(), 1);
    QCOMPARE(picked.at(0).at(0).toInt(), alone.plane);
    QCOMPARE(widget_->selectedPlane(), alone.plane);

    // The background picks nothing and keeps the selection.
    const QPoint corner(kWidth - 5, 5);
    QCOMPARE(widget_->planeAt(corner), -1);
    QTest::mouseClick(widget_.get(), Qt::LeftButton, {}, corner);
    QCOMPARE(picked.count(), 1);
    QCOMPARE(widget_->selectedPlane(), alone.plane);
    widget_->setSelectedPlane(-1);
  }

  void aDragRotatesTheCameraInsteadOfPicking() {
    const Alone alone = alonePoint();
    QVERIFY(alone.plane >= 0);
    const QPointF before = widget_->projectToWidget(alone.patient_mm);
    QSignalSpy picked(widget_.get(), &PlaneSceneWidget::planePicked);
    const QPointF start = before;
    QPointF at = start;
    sendMouse(QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton);
    for (int step = 0; step < 10; ++step) {
      at += QPointF(8, 3);
      sendMouse(QEvent::MouseMove, at, Qt::NoButton, Qt::LeftButton);
    }
    sendMouse(QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton);
    QCOMPARE(picked.count(), 0);
    const QPointF after = widget_->projectToWidget(alone.patient_mm);
    const QPointF moved = after - before;
    qInfo("the drag moved a point of plane %d by %.1f px on screen", alone.plane,
          std::hypot(moved.x(), moved.y()));
    QVERIFY(std::hypot(moved.x(), moved.y()) > 5.0);
    QVERIFY(widget_->grabScene() != frame_);

    widget_->resetCamera();
    const QPointF reset = widget_->projectToWidget(alone.patient_mm);
    QVERIFY(std::hypot(reset.x() - before.x(), reset.y() - before.y()) < 0.5);
    QVERIFY(widget_->grabScene() == frame_);
  }

  void aHiddenViewIsNeitherDrawnNorPicked() {
    const QColor sax = planelab::ui::viewColour("sax");
    const auto count_sax = [&](const QImage& image) {
      int n = 0;
      for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) n += near(image.pixel(x, y), sax, 10) ? 1 : 0;
      }
      return n;
    };
    QVERIFY(count_sax(frame_) >= 200);
    widget_->setViewVisible("sax", false);
    QCOMPARE(count_sax(widget_->grabScene()), 0);
    for (int p : kept_) {
      if (planeView(p) != "sax") continue;
      for (const Vec3& inner : innerPoints(p)) {
        const int q = widget_->planeAt(widget_->projectToWidget(inner));
        QVERIFY2(q < 0 || planeView(q) != "sax", qPrintable(QString::number(q)));
      }
    }
    widget_->setViewVisible("sax", true);
    QVERIFY(widget_->grabScene() == frame_);
  }

 private:
  const planelab::geometry::ImagePlane& geometryOf(int p) const {
    return scene_->curation.planes[static_cast<std::size_t>(p)].geometry;
  }

  std::string planeView(int p) const { return planelab::curation::planeView(scene_->curation, p); }

  std::array<QPointF, 4> projectedCorners(int p) const {
    const auto corners = planelab::curation::planeCorners(geometryOf(p));
    std::array<QPointF, 4> out;
    for (std::size_t i = 0; i < 4; ++i) out[i] = widget_->projectToWidget(corners[i]);
    return out;
  }

  // A 5 x 5 grid of points inside a plane, from 10 % to 90 % of each side.
  std::vector<Vec3> innerPoints(int p) const {
    const auto c = planelab::curation::planeCorners(geometryOf(p));
    std::vector<Vec3> points;
    for (const double v : {0.1, 0.3, 0.5, 0.7, 0.9}) {
      for (const double u : {0.1, 0.3, 0.5, 0.7, 0.9}) {
        points.push_back(lerp(lerp(c[0], c[1], u), lerp(c[3], c[2], u), v));
      }
    }
    return points;
  }

  // No plane but p is drawn at this widget point (nor within the picker's tolerance of it).
  bool onlyPlaneAt(int p, QPointF at) const {
    return std::none_of(kept_.begin(), kept_.end(),
                        [&](int o) { return o != p && onQuad(projectedCorners(o), at); });
  }

  // A point of a plane where no other plane is drawn, well inside the widget: what a click
  // there must pick, by geometry alone.
  struct Alone {
    int plane = -1;
    Vec3 patient_mm;
  };
  Alone alonePoint() const {
    for (int p : kept_) {
      for (const Vec3& inner : innerPoints(p)) {
        const QPointF at = widget_->projectToWidget(inner);
        if (inside(widget_->size(), at, 10.0) && onlyPlaneAt(p, at)) return {p, inner};
      }
    }
    return {};
  }

  // Samples the plane's four edges; a point counts where the plane is the front-most surface
  // just inside the edge (so its outline is not hidden by another plane), and matches when the
  // pixels around its projection hold the plane's view colour. `shift_px` moves the projected
  // point across the projected edge (logical pixels; 0: where the camera puts it).
  OutlineScore scoreOutline(int p, double shift_px = 0.0) const {
    OutlineScore score;
    const auto corners = planelab::curation::planeCorners(geometryOf(p));
    const Vec3 centre = geometryOf(p).centre();
    const QColor colour = planelab::ui::viewColour(planeView(p));
    for (std::size_t edge = 0; edge < 4; ++edge) {
      for (int s = 0; s < kSamplesPerEdge; ++s) {
        const double t = 0.1 + 0.8 * s / (kSamplesPerEdge - 1);
        const Vec3 on_edge = lerp(corners[edge], corners[(edge + 1) % 4], t);
        const QPointF along = widget_->projectToWidget(corners[(edge + 1) % 4]) -
                              widget_->projectToWidget(corners[edge]);
        const double length = std::hypot(along.x(), along.y());
        if (length < 1.0) continue;  // the edge is seen end-on
        const QPointF across(-along.y() / length, along.x() / length);
        const QPointF at = widget_->projectToWidget(on_edge) + shift_px * across;
        if (!inside(widget_->size(), at, kSearchRadiusPx + 1.0)) continue;
        // 3 % of the way to the centre: a few pixels inside the quad.
        const QPointF inner = widget_->projectToWidget(lerp(on_edge, centre, 0.03));
        if (widget_->planeAt(inner) != p) continue;
        ++score.visible;
        if (colourWithin(frame_, at, colour, kSearchRadiusPx)) ++score.matched;
      }
    }
    return score;
  }

  void sendMouse(QEvent::Type type, QPointF at, Qt::MouseButton button, Qt::MouseButtons buttons) {
    QMouseEvent event(type, at, widget_->mapToGlobal(at), button, buttons, Qt::NoModifier);
    QCoreApplication::sendEvent(widget_.get(), &event);
  }

  std::filesystem::path dir_;
  std::unique_ptr<planelab::catalog::Catalog> catalog_;
  std::shared_ptr<const planelab::curation::StudyScene> scene_;
  std::vector<int> kept_;
  planelab::ui::ImageCache images_;
  std::unique_ptr<PlaneSceneWidget> widget_;
  QImage frame_;  // the first rendering: default camera, nothing selected
};

QTEST_MAIN(PlaneSceneTest)
#include "plane_scene_test.moc"
