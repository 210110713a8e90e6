// The main window on a phantom catalog: opened from the File menu's code path and remembered as
// recent; selecting a SAX series in the browser shows it in the 2-D viewer with core's reference
// lines and selects the same plane in the 3-D scene; picking in the 3-D scene moves the viewer;
// a view-label correction runs as a job and comes back stored with source `user`; a file that is
// not a catalog is refused with its key; dropping folders without a catalog explains what to do.
// Writes the main window's screenshot.
#include <QDir>
#include <QDockWidget>
#include <QSettings>
#include <QTreeView>
#include <QtTest>

#include "ui/catalog/catalog_browser.h"
#include "ui/catalog/catalog_session.h"
#include "ui/catalog/table_values.h"
#include "ui/event_loop.h"
#include "ui/jobs/job_manager.h"
#include "ui/phantom_catalog.h"
#include "ui/scene/plane_scene_widget.h"
#include "ui/viewer/study_view.h"
#include "ui/window/main_window.h"

using planelab::ui::CatalogTreeModel;
using planelab::ui::MainWindow;

class MainWindowTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    dir_ = planelab::testing::uiTestDir("main_window");
    planelab::testing::useTestSettings(dir_);
    fixture_ = planelab::testing::makePhantomCatalog(dir_, 2, 1);
  }

  void opensACatalogAndRemembersIt() {
    MainWindow window;
    window.show();
    const QString path = QString::fromStdString(fixture_.catalog.string());
    QVERIFY(window.openCatalog(path));
    QVERIFY(window.windowTitle().contains(QLatin1String("catalog.sqlite")));
    QCOMPARE(window.recentCatalogs().value(0), QFileInfo(path).absoluteFilePath());
    QCOMPARE(window.browser()->model()->rowCount(), 3);
  }

  void refusesAFileThatIsNotACatalog() {
    MainWindow window;
    const QString bogus = QString::fromStdString((dir_ / "not-a-catalog.sqlite").string());
    QFile file(bogus);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    QVERIFY(!window.openCatalog(bogus));
    QCOMPARE(window.lastErrorKey(), QStringLiteral("not_a_catalog"));
    QVERIFY(!window.session()->isOpen());
  }

  void dropWithoutCatalogExplainsWhatToDo() {
    MainWindow window;
    window.show();
    window.openDroppedPaths({QString::fromStdString(fixture_.cohort.string())});
    QCOMPARE(window.lastErrorKey(), QStringLiteral("no_catalog"));
    // A dropped catalog file opens.
    window.openDroppedPaths({QString::fromStdString(fixture_.catalog.string())});
    QVERIFY(window.session()->isOpen());
  }

  void browserViewerAndSceneStayInStep() {
    MainWindow window;
    window.resize(1500, 950);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openCatalog(QString::fromStdString(fixture_.catalog.string())));
    // Select a SAX series of the first heart in the browser, as a user clicks it.
    const QModelIndex series = firstSeriesOfView(window, QStringLiteral("sax"));
    QVERIFY(series.isValid());
    window.browser()->view()->setCurrentIndex(series);
    const planelab::curation::StudyScene* scene = window.currentScene();
    QVERIFY(scene != nullptr);
    auto* viewer = window.studyView()->viewer();
    const int plane = viewer->plane();
    QVERIFY(plane >= 0);
    QCOMPARE(planelab::curation::planeView(scene->curation, plane), std::string("sax"));
    QCOMPARE(static_cast<int>(viewer->drawnLines().size()),
             static_cast<int>(planelab::curation::referenceLines(scene->curation, plane).size()));
    QCOMPARE(static_cast<int>(viewer->drawnLines().size()), 3);
    QCOMPARE(window.planeScene()->selectedPlane(), plane);
    // The label overlay shows the SEG labels of the shown (end-diastolic, first) phase.
    viewer->setPhase(0);
    viewer->setLabelsVisible(true);
    QVERIFY(viewer->labelPixels() > 50);
    viewer->setLabelsVisible(false);
    QCOMPARE(viewer->labelPixels(), 0);
    // Picking another plane in the 3-D scene moves the 2-D viewer, and the browser follows.
    const int other = viewer->drawnLines().front().other_plane;
    Q_EMIT window.planeScene()->planePicked(other);
    QCOMPARE(viewer->plane(), other);
    const auto& other_series = scene->curation.series[static_cast<std::size_t>(
        scene->curation.planes[static_cast<std::size_t>(other)].series)];
    QCOMPARE(window.browser()->view()->currentIndex().data(CatalogTreeModel::kKeyRole).toString(),
             QString::fromStdString(other_series.series_instance_uid));
    // Slice stepping in the viewer is mirrored in the scene.
    viewer->setPlane(plane);
    viewer->stepSlice(1);
    QCOMPARE(window.planeScene()->selectedPlane(), viewer->plane());
    QTest::qWait(200);
    const QString shots = qEnvironmentVariable("PLANELAB_SCREENSHOTS");
    if (!shots.isEmpty()) {
      QDir().mkpath(shots);
      QVERIFY(window.grab().save(shots + QStringLiteral("/main_window.png")));
    }
  }

  void viewCorrectionIsStoredAsTheUsers() {
    MainWindow window;
    window.show();
    QVERIFY(window.openCatalog(QString::fromStdString(fixture_.catalog.string())));
    const QModelIndex series = firstSeriesOfView(window, QStringLiteral("2ch"));
    QVERIFY(series.isValid());
    const QString uid = series.data(CatalogTreeModel::kKeyRole).toString();
    QSignalSpy changed(window.session(), &planelab::ui::CatalogSession::changed);
    window.browser()->model()->setData(series.siblingAtColumn(CatalogTreeModel::kView),
                                       QStringLiteral("lax_other"), Qt::EditRole);
    window.browser()->view()->expand(series.parent().parent());
    window.browser()->view()->expand(series.parent());
    window.browser()->view()->setCurrentIndex(series);
    QVERIFY(planelab::testing::waitUntil([&] { return !changed.isEmpty(); }, 60000));
    QVERIFY(window.jobs()->jobs().last()->outcome().ok());
    // The reload kept the branch open and the corrected series current.
    QTRY_COMPARE(
        window.browser()->view()->currentIndex().data(CatalogTreeModel::kKeyRole).toString(), uid);
    QVERIFY(
        window.browser()->view()->isExpanded(window.browser()->view()->currentIndex().parent()));
    planelab::catalog::Filters filters;
    filters.series_instance_uid = uid.toStdString();
    const auto labels = window.session()->catalog()->viewLabels(filters);
    QCOMPARE(labels.rows.size(), std::size_t{1});
    QCOMPARE(planelab::ui::cellText(labels, 0, "view"), QStringLiteral("lax_other"));
    QCOMPARE(planelab::ui::cellText(labels, 0, "source"), QStringLiteral("user"));
    // Back to automatic: the geometry's label returns.
    changed.clear();
    window.browser()->model()->setData(firstSeriesOfView(window, QStringLiteral("lax_other"))
                                           .siblingAtColumn(CatalogTreeModel::kView),
                                       QString(), Qt::EditRole);
    QVERIFY(planelab::testing::waitUntil([&] { return !changed.isEmpty(); }, 60000));
    const auto again = window.session()->catalog()->viewLabels(filters);
    QCOMPARE(planelab::ui::cellText(again, 0, "view"), QStringLiteral("2ch"));
  }

 private:
  // The first series with this view label in the first patient that has one (expands branches).
  static QModelIndex firstSeriesOfView(MainWindow& window, const QString& view) {
    CatalogTreeModel* model = window.browser()->model();
    for (int p = 0; p < model->rowCount(); ++p) {
      const QModelIndex patient = model->index(p, 0);
      if (model->canFetchMore(patient)) model->fetchMore(patient);
      for (int s = 0; s < model->rowCount(patient); ++s) {
        const QModelIndex study = model->index(s, 0, patient);
        if (model->canFetchMore(study)) model->fetchMore(study);
        for (int r = 0; r < model->rowCount(study); ++r) {
          const QModelIndex series = model->index(r, 0, study);
          if (series.data(CatalogTreeModel::kViewRole).toString() == view) return series;
        }
      }
    }
    return {};
  }

  std::filesystem::path dir_;
  planelab::testing::PhantomCatalog fixture_;
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
