// The catalog browser and the 2-D plane viewer on a phantom catalog: the tree lists patients →
// studies → series with view labels and findings, loads branches lazily, searches, corrects a view
// label; the viewer shows a SAX slice with exactly the reference lines core computes (one per
// long-axis view, at the same pixel coordinates), steps slices, plays cine, toggles views and
// overlays; the tag browser shows a file's tags.
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>
#include <memory>

#include "curation/study_scene.h"
#include "geometry/intersection.h"
#include "ui/catalog/catalog_browser.h"
#include "ui/catalog/tag_browser.h"
#include "ui/event_loop.h"
#include "ui/phantom_catalog.h"
#include "ui/view_colours.h"
#include "ui/viewer/plane_viewer.h"

using planelab::ui::CatalogTreeModel;

class CatalogViewerTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    const auto dir = planelab::testing::uiTestDir("catalog_viewer");
    fixture_ = planelab::testing::makePhantomCatalog(dir, 2, 1);
    QVERIFY(session_.open(QString::fromStdString(fixture_.catalog.string())).ok());
  }

  void treeListsPatientsStudiesAndSeriesLazily() {
    CatalogTreeModel model(&session_);
    QCOMPARE(model.rowCount(), 3);  // 2 hearts + 1 knee
    const QModelIndex patient = model.index(0, 0);
    QVERIFY(model.hasChildren(patient));
    QCOMPARE(model.rowCount(patient), 0);  // not queried until expanded
    QVERIFY(model.canFetchMore(patient));
    model.fetchMore(patient);
    QCOMPARE(model.rowCount(patient), 1);
    const QModelIndex study = model.index(0, 0, patient);
    model.fetchMore(study);
    QVERIFY(model.rowCount(study) > 4);  // SAX slices (one series each) + 2/3/4CH
    int sax = 0, long_axis = 0;
    for (int r = 0; r < model.rowCount(study); ++r) {
      const QString view = model.index(r, 0, study).data(CatalogTreeModel::kViewRole).toString();
      sax += view == QLatin1String("sax") ? 1 : 0;
      long_axis += view.endsWith(QLatin1String("ch")) ? 1 : 0;
      // Image series carry their label's source and confidence; the SEG series has no view.
      const QString shown = model.index(r, CatalogTreeModel::kView, study).data().toString();
      if (!view.isEmpty()) {
        QVERIFY2(shown.contains(QLatin1String("description")) ||
                     shown.contains(QLatin1String("geometry")),
                 qPrintable(shown));
      }
      QVERIFY(model.index(r, CatalogTreeModel::kFindings, study).data().isValid());  // curated
    }
    QVERIFY(sax >= 5);
    QCOMPARE(long_axis, 3);
    QVERIFY(model.index(0, CatalogTreeModel::kImages, patient).data().toInt() > 0);
  }

  void searchFindsAPatientOrADescription() {
    CatalogTreeModel model(&session_);
    const QString first = model.index(0, 0).data(CatalogTreeModel::kKeyRole).toString();
    model.setFilter(first, QString());
    QCOMPARE(model.rowCount(), 1);
    model.setFilter(QStringLiteral("knee"), QString());  // the knee study's description
    QCOMPARE(model.rowCount(), 1);
    model.setFilter(QStringLiteral("no such text anywhere"), QString());
    QCOMPARE(model.rowCount(), 0);
    model.setFilter(QString(), QStringLiteral("SEG"));  // label series only
    QCOMPARE(model.rowCount(), 3);
    model.setFilter(QString(), QString());
    QCOMPARE(model.rowCount(), 3);
  }

  void viewCorrectionIsRequestedForTheSeries() {
    planelab::ui::CatalogBrowser browser(&session_);
    CatalogTreeModel* model = browser.model();
    const QModelIndex patient = model->index(0, 0);
    model->fetchMore(patient);
    const QModelIndex study = model->index(0, 0, patient);
    model->fetchMore(study);
    const QModelIndex view = model->index(0, CatalogTreeModel::kView, study);
    QVERIFY(model->flags(view) & Qt::ItemIsEditable);
    QSignalSpy requested(model, &CatalogTreeModel::viewCorrectionRequested);
    const QString other = view.data(Qt::EditRole).toString() == QLatin1String("other")
                              ? QStringLiteral("sax")
                              : QStringLiteral("other");
    QVERIFY(model->setData(view, other, Qt::EditRole));
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.at(0).at(0).toString(),
             model->index(0, 0, study).data(CatalogTreeModel::kKeyRole).toString());
    QCOMPARE(requested.at(0).at(1).toString(), other);
    QCOMPARE(view.data(CatalogTreeModel::kViewRole).toString(), other);
  }

  void saxSliceShowsCoreReferenceLines() {
    auto scene = loadFirstStudy();
    QVERIFY(scene != nullptr);
    planelab::ui::ImageCache cache;
    planelab::ui::PlaneViewer viewer;
    viewer.resize(600, 600);
    viewer.show();
    viewer.setScene(scene, &cache);
    const int sax = firstPlaneOfView(*scene, "sax", 3);
    QVERIFY(sax >= 0);
    viewer.setPlane(sax);
    QVERIFY(viewer.imageError().empty());
    const auto& drawn = viewer.drawnLines();
    QCOMPARE(static_cast<int>(drawn.size()), 3);  // 2CH, 3CH, 4CH
    const auto& image = scene->curation.planes[static_cast<std::size_t>(sax)].geometry;
    for (const auto& line : drawn) {
      const auto& other =
          scene->curation.planes[static_cast<std::size_t>(line.other_plane)].geometry;
      const auto expected = planelab::geometry::referenceLine(image, other);
      QVERIFY(expected.has_value());
      QCOMPARE(line.segment.start.row, expected->start.row);
      QCOMPARE(line.segment.start.col, expected->start.col);
      QCOMPARE(line.segment.end.row, expected->end.row);
      QCOMPARE(line.segment.end.col, expected->end.col);
    }
    // The lines are painted where the segment maps: the pixel at a segment's midpoint carries the
    // view's colour (lines are 1.5 px wide and antialiased, so look in a 2-px neighbourhood).
    const QImage shot = viewer.grab().toImage();
    for (const auto& line : drawn) {
      const QPointF mid =
          (viewer.imageToWidget(line.segment.start) + viewer.imageToWidget(line.segment.end)) / 2;
      QVERIFY2(colourNear(shot, mid, planelab::ui::viewColour(line.view)),
               qPrintable(QString::fromStdString(line.view)));
    }
    // Hiding a view removes its line.
    viewer.setViewVisible("4ch", false);
    QCOMPARE(static_cast<int>(viewer.drawnLines().size()), 2);
    viewer.setViewVisible("4ch", true);
    // Hovering a line names its plane.
    QSignalSpy hovered(&viewer, &planelab::ui::PlaneViewer::hoveredPlaneChanged);
    const auto& first = viewer.drawnLines().front();
    const QPointF on_line =
        (viewer.imageToWidget(first.segment.start) + viewer.imageToWidget(first.segment.end)) / 2;
    QTest::mouseMove(&viewer, on_line.toPoint());
    QTRY_VERIFY(!hovered.isEmpty());
    QCOMPARE(viewer.hoveredPlane(), first.other_plane);
    saveScreenshot(viewer, "viewer.png");
  }

  void stepsSlicesPlaysCineAndShowsOverlays() {
    auto scene = loadFirstStudy();
    planelab::ui::ImageCache cache;
    planelab::ui::PlaneViewer viewer;
    viewer.resize(400, 400);
    viewer.setScene(scene, &cache);
    const int sax = firstPlaneOfView(*scene, "sax", 2);
    viewer.setPlane(sax);
    const auto& planes = scene->curation.planes;
    viewer.stepSlice(1);
    QCOMPARE(planes[static_cast<std::size_t>(viewer.plane())].slice_index, 3);
    QCOMPARE(planes[static_cast<std::size_t>(viewer.plane())].stack,
             planes[static_cast<std::size_t>(sax)].stack);
    viewer.stepSlice(-2);
    QCOMPARE(planes[static_cast<std::size_t>(viewer.plane())].slice_index, 1);
    QVERIFY(viewer.phaseCount() == 4);
    viewer.setCinePlaying(true);
    QTRY_VERIFY_WITH_TIMEOUT(viewer.phase() != 0, 2000);
    viewer.setCinePlaying(false);
    // Window: right-drag widens it; R resets to the image's percentiles.
    const double width = viewer.windowWidth();
    viewer.setWindow(viewer.windowCentre(), width * 2);
    QCOMPARE(viewer.windowWidth(), width * 2);
    // Heatmap targets of the orientation task peak on the lines (value 1).
    viewer.setHeatmapsVisible(true);
    QVERIFY(viewer.heatmapPeak() > 0.95f);
    viewer.setHeatmapsVisible(false);
    QCOMPARE(viewer.heatmapPeak(), 0.0f);
  }

  void tagBrowserShowsAFilesTags() {
    catalog_filters_.limit = 1;
    const auto first =
        session_.catalog()->list(planelab::catalog::Level::kInstances, catalog_filters_);
    QCOMPARE(static_cast<int>(first.rows.size()), 1);
    const QString path = QString::fromStdString(std::get<std::string>(first.rows[0][4]));
    planelab::ui::TagBrowser tags(path);
    QVERIFY(tags.tree()->topLevelItemCount() > 20);
    QVERIFY(!tags.tree()
                 ->findItems(QStringLiteral("ImageOrientationPatient"), Qt::MatchExactly, 2)
                 .isEmpty());
  }

 private:
  std::shared_ptr<const planelab::curation::StudyScene> loadFirstStudy() {
    const auto studies = session_.catalog()->studies();
    for (const auto& ref : studies) {
      planelab::catalog::Status status;
      auto scene = planelab::curation::loadStudyScene(*session_.catalog(), ref.id, status);
      if (scene && scene->curation.organ == planelab::curation::Organ::kHeart) {
        return std::make_shared<const planelab::curation::StudyScene>(std::move(*scene));
      }
    }
    return nullptr;
  }

  static int firstPlaneOfView(const planelab::curation::StudyScene& scene, const std::string& view,
                              int slice_index) {
    for (std::size_t p = 0; p < scene.curation.planes.size(); ++p) {
      if (planelab::curation::planeView(scene.curation, static_cast<int>(p)) == view &&
          scene.curation.planes[p].slice_index == slice_index && scene.curation.planes[p].kept) {
        return static_cast<int>(p);
      }
    }
    return -1;
  }

  static bool colourNear(const QImage& image, const QPointF& at, const QColor& colour) {
    for (int dy = -2; dy <= 2; ++dy) {
      for (int dx = -2; dx <= 2; ++dx) {
        const QPoint p(qRound(at.x()) + dx, qRound(at.y()) + dy);
        if (!image.rect().contains(p)) continue;
        const QColor c = image.pixelColor(p);
        if (std::abs(c.red() - colour.red()) < 40 && std::abs(c.green() - colour.green()) < 40 &&
            std::abs(c.blue() - colour.blue()) < 40) {
          return true;
        }
      }
    }
    return false;
  }

  static void saveScreenshot(QWidget& widget, const char* name) {
    const QString dir = qEnvironmentVariable("PLANELAB_SCREENSHOTS");
    if (dir.isEmpty()) return;
    QDir().mkpath(dir);
    QVERIFY(widget.grab().save(dir + QLatin1Char('/') + QLatin1String(name)));
  }

  planelab::testing::PhantomCatalog fixture_;
  planelab::ui::CatalogSession session_;
  planelab::catalog::Filters catalog_filters_;
};

QTEST_MAIN(CatalogViewerTest)
#include "catalog_viewer_test.moc"
