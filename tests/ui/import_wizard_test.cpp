// The Import wizard and the import-issues panel: the wizard imports and curates a phantom cohort
// driven like a user would (drop, clicks, keys) and its summary agrees with the catalog; Cancel
// stops the import midway and leaves a consistent catalog; the UI thread keeps turning during an
// import; the issues panel groups a folder's bad files by key and filters them.
#include <QtTest>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPainter>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTreeWidget>
#include <QUrl>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

#include "ui/catalog/catalog_session.h"
#include "ui/catalog/issues_panel.h"
#include "ui/event_loop.h"
#include "ui/jobs/job_manager.h"
#include "ui/phantom_catalog.h"
#include "ui/wizards/import_wizard.h"

namespace fs = std::filesystem;
using planelab::testing::StallMeter;
using planelab::ui::CatalogSession;
using planelab::ui::ImportWizard;
using planelab::ui::IssuesPanel;
using planelab::ui::Job;
using planelab::ui::JobManager;
using planelab::ui::JobState;

namespace {

// `copies` copies of every file under `from`, under `to`/copy_<n>: a large input (duplicates of
// the same SOP instances) without rendering more phantom subjects. Real copies: discovery counts
// hard links to one file once.
void copyTimes(const fs::path& from, const fs::path& to, int copies) {
  fs::create_directories(to);
  for (int c = 0; c < copies; ++c) {
    fs::copy(from, to / ("copy_" + std::to_string(c)), fs::copy_options::recursive);
  }
}

std::vector<fs::path> filesUnder(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

QString labelText(const QWidget& root, const char* name) {
  const auto* label = root.findChild<QLabel*>(QString::fromLatin1(name));
  return label == nullptr ? QStringLiteral("<no %1>").arg(QLatin1String(name)) : label->text();
}

QString number(std::int64_t value) {
  return QLocale().toString(static_cast<qlonglong>(value));
}

// Drops local paths on a widget as a file manager would.
void dropPaths(QWidget* target, const QStringList& paths) {
  QMimeData mime;
  QList<QUrl> urls;
  for (const QString& path : paths) urls << QUrl::fromLocalFile(path);
  mime.setUrls(urls);
  const QPoint at = target->rect().center();
  QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &drop);
  QVERIFY(drop.isAccepted());
}

std::unique_ptr<planelab::catalog::Catalog> openCatalog(const fs::path& file) {
  planelab::catalog::Status status;
  auto catalog = planelab::catalog::Catalog::open(file, status);
  if (!catalog)
    qWarning("open %s: [%s] %s", file.c_str(), status.error_key.c_str(), status.message.c_str());
  return catalog;
}

}  // namespace

class ImportWizardTest : public QObject {
  Q_OBJECT

 private:
  fs::path dir_;
  planelab::testing::PhantomCatalog phantom_;
  fs::path big_input_;  // many copies of the cohort's files
  fs::path extras_;     // one file that is not DICOM

  fs::path dicomFolder() const { return phantom_.cohort / "dicom"; }

 private Q_SLOTS:
  void initTestCase() {
    dir_ = planelab::testing::uiTestDir("import_wizard");
    phantom_ = planelab::testing::makePhantomCatalog(dir_, 2, 1, /*curate=*/false);
    big_input_ = dir_ / "big";
    copyTimes(dicomFolder(), big_input_, 12);
    extras_ = dir_ / "extras";
    fs::create_directories(extras_);
    std::ofstream(extras_ / "notes.dcm") << "not a DICOM file\n";
  }

  // (a) Drop two folders, remove a third, set the options with mouse and keys, import and curate;
  // the summary's numbers are the catalog's.
  void wizardImportsCuratesAndShowsTheCatalogsCounts() {
    const fs::path catalog_file = dir_ / "a.planelab";
    CatalogSession session;
    QVERIFY(session.open(QString::fromStdString(catalog_file.string())).ok());
    QSignalSpy changed(&session, &CatalogSession::changed);
    JobManager jobs;
    ImportWizard wizard(&session, &jobs, {});
    QSignalSpy show_issues(&wizard, &ImportWizard::showIssuesRequested);
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));

    // Sources: Next stays disabled until something is listed.
    auto* list = wizard.findChild<QListWidget*>(QStringLiteral("sourceList"));
    QVERIFY(list != nullptr);
    QCOMPARE(list->count(), 0);
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    const QString unwanted = QString::fromStdString((dir_ / "unwanted").string());
    dropPaths(wizard.currentPage(), {QString::fromStdString(dicomFolder().string()),
                                     QString::fromStdString(extras_.string()), unwanted});
    QCOMPARE(list->count(), 3);
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    list->setCurrentRow(2);
    QTest::mouseClick(wizard.findChild<QPushButton*>(QStringLiteral("removeSourceButton")),
                      Qt::LeftButton);
    QCOMPARE(list->count(), 2);
    QCOMPARE(wizard.request().inputs, QStringList({QString::fromStdString(dicomFolder().string()),
                                                   QString::fromStdString(extras_.string())}));
    QTest::mouseClick(wizard.button(QWizard::NextButton), Qt::LeftButton);
    QCOMPARE(wizard.currentId(), static_cast<int>(ImportWizard::kOptionsPage));

    // Options: defaults, then de-identification needs its key before Import is enabled.
    auto* threads = wizard.findChild<QSpinBox*>(QStringLiteral("threadsSpin"));
    QCOMPARE(threads->value(), std::max(1, QThread::idealThreadCount()));
    QVERIFY(wizard.findChild<QCheckBox*>(QStringLiteral("curateCheck"))->isChecked());
    QAbstractButton* import_button = wizard.button(QWizard::CommitButton);
    QVERIFY(import_button->isEnabled());
    auto* deidentify = wizard.findChild<QCheckBox*>(QStringLiteral("deidentifyCheck"));
    deidentify->click();
    QVERIFY(deidentify->isChecked());
    QVERIFY(!import_button->isEnabled());
    QVERIFY(labelText(wizard, "deidentifyHint").contains(QStringLiteral("Enter a key")));
    QTest::keyClicks(wizard.findChild<QLineEdit*>(QStringLiteral("deidentifyKeyEdit")),
                     QStringLiteral("test-key"));
    QVERIFY(import_button->isEnabled());
    threads->selectAll();
    QTest::keyClicks(threads, QStringLiteral("2"));
    QCOMPARE(wizard.request().threads, 2);
    QVERIFY(wizard.request().deidentify);
    QCOMPARE(wizard.request().deidentify_key, QStringLiteral("test-key"));

    // Import: the job starts on entering the page; Back is gone, Next waits for the end.
    QTest::mouseClick(import_button, Qt::LeftButton);
    QCOMPARE(wizard.currentId(), static_cast<int>(ImportWizard::kImportPage));
    Job* job = wizard.job();
    QVERIFY(job != nullptr);
    QVERIFY(!wizard.button(QWizard::BackButton)->isEnabled() ||
            !wizard.button(QWizard::BackButton)->isVisible());
    QVERIFY(planelab::testing::waitUntil([&] { return job->finished(); }, 180000));
    QCOMPARE(job->state(), JobState::kSucceeded);
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    QCOMPARE(changed.count(), 1);
    QTest::mouseClick(wizard.button(QWizard::NextButton), Qt::LeftButton);
    QCOMPARE(wizard.currentId(), static_cast<int>(ImportWizard::kSummaryPage));

    // Summary = catalog.
    const auto catalog = openCatalog(catalog_file);
    QVERIFY(catalog != nullptr);
    const planelab::catalog::Counts counts = catalog->counts();
    QVERIFY(counts.instances > 0);
    QVERIFY(labelText(wizard, "summaryStatusLabel").contains(QStringLiteral("complete")));
    QCOMPARE(labelText(wizard, "summaryFilesFound"), number(counts.files));
    QCOMPARE(labelText(wizard, "summaryFilesRead"), number(counts.files));
    QCOMPARE(labelText(wizard, "summaryFilesUnchanged"), number(0));
    QCOMPARE(labelText(wizard, "summaryFilesMissing"), number(0));
    QCOMPARE(labelText(wizard, "summaryIssueCount"), number(counts.issues));
    QCOMPARE(labelText(wizard, "summaryPatients"), number(counts.patients));
    QCOMPARE(labelText(wizard, "summaryStudies"), number(counts.studies));
    QCOMPARE(labelText(wizard, "summarySeries"), number(counts.series));
    QCOMPARE(labelText(wizard, "summaryInstances"), number(counts.instances));
    QCOMPARE(labelText(wizard, "summaryLabelSets"), number(counts.label_sets));
    // Curated: stacks stored, and the summary says how many.
    const auto stacks = catalog->stacks({});
    QVERIFY(!stacks.rows.empty());
    QCOMPARE(labelText(wizard, "summaryStacks"),
             number(static_cast<std::int64_t>(stacks.rows.size())));
    QCOMPARE(labelText(wizard, "summaryCuratedStudies"), number(counts.studies));
    QVERIFY(wizard.findChild<QWidget*>(QStringLiteral("curationGroup"))->isVisible());
    // De-identified: PatientIDs are keyed pseudonyms.
    const auto patients = catalog->list(planelab::catalog::Level::kPatients, {});
    for (const auto& row : patients.rows) {
      QVERIFY(std::get<std::string>(row[0]).rfind("PX", 0) == 0);
    }
    // The one bad file, in the issues table and in the catalog.
    auto* issues = wizard.findChild<QTableWidget*>(QStringLiteral("summaryIssuesTable"));
    QCOMPARE(issues->rowCount(), 1);
    QCOMPARE(issues->item(0, 0)->text(), QStringLiteral("not_dicom"));
    QCOMPARE(issues->item(0, 1)->text(), number(1));
    QCOMPARE(counts.issues, 1);
    QTest::mouseClick(wizard.findChild<QPushButton*>(QStringLiteral("showIssuesButton")),
                      Qt::LeftButton);
    QCOMPARE(show_issues.count(), 1);
  }

  // (b) Cancel as soon as the import reads: the job ends cancelled, the summary says so, and the
  // catalog holds the committed batches, each file complete.
  void cancelMidwayKeepsTheCommittedBatches() {
    const fs::path catalog_file = dir_ / "b.planelab";
    CatalogSession session;
    QVERIFY(session.open(QString::fromStdString(catalog_file.string())).ok());
    JobManager jobs;
    const QString input = QString::fromStdString(big_input_.string());
    ImportWizard wizard(&session, &jobs, {input});
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QCOMPARE(wizard.findChild<QListWidget*>(QStringLiteral("sourceList"))->count(), 1);
    QTest::mouseClick(wizard.button(QWizard::NextButton), Qt::LeftButton);
    // Without curation, so the cancel has only the import to stop.
    wizard.findChild<QCheckBox*>(QStringLiteral("curateCheck"))->click();
    QVERIFY(!wizard.request().curate);
    QTest::mouseClick(wizard.button(QWizard::CommitButton), Qt::LeftButton);
    Job* job = wizard.job();
    QVERIFY(job != nullptr);
    auto* phase = wizard.findChild<QLabel*>(QStringLiteral("phaseLabel"));
    QVERIFY(planelab::testing::waitUntil(
        [&] { return job->finished() || phase->text().startsWith(QStringLiteral("Reading")); },
        60000));
    QVERIFY2(!job->finished(), "the import ended before it could be cancelled");
    QTest::mouseClick(wizard.findChild<QPushButton*>(QStringLiteral("cancelImportButton")),
                      Qt::LeftButton);
    QVERIFY(job->wait(60000));
    QCOMPARE(job->state(), JobState::kCancelled);
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    QTest::mouseClick(wizard.button(QWizard::NextButton), Qt::LeftButton);
    QVERIFY(labelText(wizard, "summaryStatusLabel").contains(QStringLiteral("cancelled")));
    const auto files_found = static_cast<std::int64_t>(filesUnder(big_input_).size());
    QCOMPARE(labelText(wizard, "summaryFilesFound"), number(files_found));
    QVERIFY(!wizard.findChild<QWidget*>(QStringLiteral("curationGroup"))->isVisible());

    const auto catalog = openCatalog(catalog_file);
    QVERIFY(catalog != nullptr);
    const planelab::catalog::Counts counts = catalog->counts();
    QVERIFY(catalog->lastStatus().ok());
    qInfo("cancelled after %lld of %lld files", static_cast<long long>(counts.files),
          static_cast<long long>(files_found));
    QVERIFY(counts.files < files_found);
    QCOMPARE(labelText(wizard, "summaryFilesRead"), number(counts.files));
    QVERIFY(counts.instances <= counts.files);
    const auto runs = catalog->runs();
    QCOMPARE(runs.rows.size(), std::size_t{1});
    QCOMPARE(std::get<std::string>(runs.rows[0][3]), std::string("cancelled"));
  }

  // (c) A 10 ms timer on the UI thread ticks on time while a large import and its curation run;
  // the README's screenshot (progress and summary pages).
  void eventLoopKeepsTurningDuringImport() {
    const fs::path catalog_file = dir_ / "c.planelab";
    CatalogSession session;
    QVERIFY(session.open(QString::fromStdString(catalog_file.string())).ok());
    JobManager jobs;
    ImportWizard wizard(&session, &jobs, {QString::fromStdString(big_input_.string())});
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QTest::mouseClick(wizard.button(QWizard::NextButton), Qt::LeftButton);
    StallMeter meter;
    meter.start();
    QTest::mouseClick(wizard.button(QWizard::CommitButton), Qt::LeftButton);
    Job* job = wizard.job();
    // The README's screenshot of the progress page, taken while files are being read; the grab
    // is the test's work, not the wizard's, so the meter leaves it out.
    QImage progress_shot;
    connect(job, &Job::progressed, this, [&] {
      if (progress_shot.isNull() && job->done() > 0 && job->total() > job->done() &&
          job->progressText().startsWith(QStringLiteral("Reading"))) {
        progress_shot = wizard.grab().toImage();
        meter.skip();
      }
    });
    QVERIFY(planelab::testing::waitUntil([&] { return job->finished(); }, 180000));
    if (progress_shot.isNull()) {
      // A machine that reads every file between two progress reports: the page as it ended.
      progress_shot = wizard.grab().toImage();
      meter.skip();
    }
    QTest::mouseClick(wizard.button(QWizard::NextButton), Qt::LeftButton);
    QTest::qWait(50);  // the summary page's first paint
    const qint64 worst_ms = meter.stop();
    QCOMPARE(job->state(), JobState::kSucceeded);
    qInfo("worst event-loop stall during import: %lld ms (import and curation took %.1f s)",
          static_cast<long long>(worst_ms), job->elapsedSeconds());
    QVERIFY2(worst_ms < 100, qPrintable(QStringLiteral("%1 ms").arg(worst_ms)));

    // The progress page beside the summary page.
    const QImage summary_shot = wizard.grab().toImage();
    QImage both(progress_shot.width() + summary_shot.width(),
                std::max(progress_shot.height(), summary_shot.height()), QImage::Format_RGB32);
    both.fill(Qt::white);
    QPainter painter(&both);
    painter.drawImage(0, 0, progress_shot);
    painter.drawImage(progress_shot.width(), 0, summary_shot);
    painter.end();
    const QString shots = qEnvironmentVariable("PLANELAB_SCREENSHOTS");
    if (!shots.isEmpty()) {
      QVERIFY(QDir().mkpath(shots));
      QVERIFY(both.save(shots + QStringLiteral("/import_wizard.png")));
    }
  }

  // (d) A folder with good and bad files: the panel groups the issues by key with their counts,
  // fills large lists in chunks, filters, and reports a double-clicked file.
  void issuesPanelGroupsByKeyAndFilters() {
    const fs::path input = dir_ / "mixed";
    fs::create_directories(input);
    const std::vector<fs::path> images = filesUnder(dicomFolder());
    for (int i = 0; i < 3; ++i) {
      fs::copy_file(images[static_cast<std::size_t>(i)],
                    input / ("good_" + std::to_string(i) + ".dcm"));
    }
    std::ofstream(input / "x.dcm") << "hello, I am text\n";
    {
      std::ifstream in(images[0], std::ios::binary);
      std::vector<char> head(300);
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      std::ofstream(input / "cut.dcm", std::ios::binary).write(head.data(), 300);
    }
    // Enough unusable files that the panel adds them over several timer ticks.
    constexpr int kNotes = 1200;
    fs::create_directories(input / "notes");
    for (int i = 0; i < kNotes; ++i) {
      std::ofstream(input / "notes" / ("note_" + std::to_string(i) + ".txt")) << "note " << i;
    }
    const fs::path catalog_file = dir_ / "d.planelab";
    planelab::import::ImportOptions options;
    options.jobs = 2;
    const auto summary = planelab::import::importIntoCatalog(
        catalog_file, {input}, options,
        [](const planelab::import::ImportProgress&) { return true; });
    QVERIFY(summary.ok());
    QCOMPARE(summary.issues_by_key.at("not_dicom"), kNotes + 1);
    QCOMPARE(summary.issues_by_key.at("truncated"), 1);

    CatalogSession session;
    QVERIFY(session.open(QString::fromStdString(catalog_file.string())).ok());
    StallMeter meter;
    meter.start();
    IssuesPanel panel(&session);
    QSignalSpy activated(&panel, &IssuesPanel::fileActivated);
    panel.resize(1000, 500);
    panel.show();
    QVERIFY(panel.loading());  // 1,202 rows do not go in at once
    QVERIFY(planelab::testing::waitUntil([&] { return !panel.loading(); }, 10000));
    const qint64 worst_ms = meter.stop();
    qInfo("worst event-loop stall while the issues panel loads: %lld ms",
          static_cast<long long>(worst_ms));
    QVERIFY(worst_ms < 100);

    auto* runs = panel.findChild<QComboBox*>(QStringLiteral("issuesRunCombo"));
    QVERIFY(runs->currentText().startsWith(QStringLiteral("Last import run")));
    QCOMPARE(runs->count(), 3);  // last run, all runs, run 1
    auto* tree = panel.findChild<QTreeWidget*>(QStringLiteral("issuesTree"));
    QCOMPARE(tree->topLevelItemCount(), 2);
    QTreeWidgetItem* not_dicom = tree->topLevelItem(0);
    QTreeWidgetItem* truncated = tree->topLevelItem(1);
    QCOMPARE(not_dicom->text(0), QStringLiteral("not_dicom"));
    QCOMPARE(not_dicom->text(1), number(kNotes + 1));
    QCOMPARE(not_dicom->childCount(), kNotes + 1);
    QCOMPARE(not_dicom->text(2), IssuesPanel::explanation(QStringLiteral("not_dicom")));
    QVERIFY(!not_dicom->text(2).isEmpty());
    QCOMPARE(truncated->text(0), QStringLiteral("truncated"));
    QCOMPARE(truncated->text(1), number(1));
    const QString cut_path = QString::fromStdString((input / "cut.dcm").string());
    QCOMPARE(truncated->child(0)->text(0), QDir::toNativeSeparators(cut_path));
    QCOMPARE(truncated->child(0)->text(4), QString::number(summary.run));

    // Filter by file name, then by key.
    auto* filter = panel.findChild<QLineEdit*>(QStringLiteral("issuesFilter"));
    QTest::keyClicks(filter, QStringLiteral("x.dcm"));
    QVERIFY(planelab::testing::waitUntil([&] { return !panel.loading(); }, 10000));
    QCOMPARE(tree->topLevelItemCount(), 1);
    QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("not_dicom"));
    QCOMPARE(tree->topLevelItem(0)->childCount(), 1);
    filter->clear();
    QTest::keyClicks(filter, QStringLiteral("TRUNC"));
    QVERIFY(planelab::testing::waitUntil([&] { return !panel.loading(); }, 10000));
    QCOMPARE(tree->topLevelItemCount(), 1);
    QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("truncated"));

    // Double-click the file: its path goes to whoever opens the tag browser.
    QTreeWidgetItem* file = tree->topLevelItem(0)->child(0);
    tree->expandAll();
    tree->scrollToItem(file);
    QApplication::processEvents();  // the view lays out the expanded items
    const QRect rect = tree->visualItemRect(file);
    QVERIFY(rect.isValid());
    // As a mouse does it: a click, then the double-click event.
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, Qt::NoModifier, rect.center());
    QTest::mouseDClick(tree->viewport(), Qt::LeftButton, Qt::NoModifier, rect.center());
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), cut_path);

    // A second run that finds nothing new: "last run" follows it, "all runs" keeps the issues.
    filter->clear();
    const auto again = planelab::import::importIntoCatalog(
        catalog_file, {input}, options,
        [](const planelab::import::ImportProgress&) { return true; });
    QVERIFY(again.ok());
    session.notifyChanged();
    QVERIFY(planelab::testing::waitUntil([&] { return !panel.loading(); }, 10000));
    QVERIFY(runs->currentText().contains(QString::number(again.run)));
    QCOMPARE(tree->topLevelItemCount(), 0);
    runs->setCurrentIndex(runs->findText(QStringLiteral("All runs"), Qt::MatchStartsWith));
    QVERIFY(planelab::testing::waitUntil([&] { return !panel.loading(); }, 10000));
    QCOMPARE(tree->topLevelItemCount(), 2);
  }

  void cleanupTestCase() { fs::remove_all(dir_); }
};

QTEST_MAIN(ImportWizardTest)
#include "import_wizard_test.moc"
