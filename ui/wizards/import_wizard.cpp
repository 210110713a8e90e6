#include "ui/wizards/import_wizard.h"

#include <QCheckBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sources/dicom_sources.h"

namespace planelab::ui {

namespace fs = std::filesystem;

namespace {

// The phases the Import page shows. The importer interleaves reading and writing (readers hand
// records to the single writer as they go), so they are one phase here.
enum class ImportJobPhase { kDiscover, kReadWrite, kCurate };

QString phaseText(ImportJobPhase phase) {
  switch (phase) {
    case ImportJobPhase::kDiscover:
      return ImportWizard::tr("Finding files");
    case ImportJobPhase::kReadWrite:
      return ImportWizard::tr("Reading headers and writing to the catalog");
    case ImportJobPhase::kCurate:
      return ImportWizard::tr("Curating: stacks, views, intersections, QA, misalignment");
  }
  return {};
}

QString number(std::int64_t value) {
  return QLocale().toString(static_cast<qlonglong>(value));
}

// The CLI's one-line summaries (app/cli import and curate), for the job's log.
QString importLogLine(const import::ImportSummary& s) {
  return ImportWizard::tr(
             "import run %1: %2 files found, %3 read, %4 unchanged, %5 missing (%6 s, %7 files/s); "
             "added %8 patients, %9 studies, %10 series, %11 instances, %12 label sets")
      .arg(s.run)
      .arg(s.files_found)
      .arg(s.files_read)
      .arg(s.files_unchanged)
      .arg(s.files_missing)
      .arg(s.seconds, 0, 'f', 1)
      .arg(s.files_per_second, 0, 'f', 0)
      .arg(s.added.patients_added)
      .arg(s.added.studies_added)
      .arg(s.added.series_added)
      .arg(s.added.instances_added)
      .arg(s.added.label_sets_added);
}

QString curationLogLine(const curation::CatalogCurationSummary& s) {
  return ImportWizard::tr(
             "curation run %1: %2 studies, %3 planes, %4 stacks, %5 intersections, %6 planes "
             "flagged for misalignment (%7 s)")
      .arg(s.run)
      .arg(s.studies)
      .arg(s.planes)
      .arg(s.stacks)
      .arg(s.intersections)
      .arg(s.flagged_planes)
      .arg(s.seconds, 0, 'f', 1);
}

// The job's work: import, then (when asked and the import neither failed nor was cancelled)
// curation on a catalog connection of its own. Runs on the job's worker thread.
JobOutcome runImportJob(const ImportRequest& request, JobContext& context) {
  JobOutcome outcome;
  ImportJobResult result;
  import::ImportOptions options;
  options.jobs = request.threads;
  options.skip_hidden = !request.include_hidden;
  options.deidentify = request.deidentify;
  options.deidentify_key = request.deidentify_key.toStdString();
  options.cancel = context.cancelFlag();
  std::vector<fs::path> inputs;
  for (const QString& input : request.inputs) inputs.emplace_back(input.toStdString());
  const fs::path catalog_file(request.catalog_path.toStdString());

  // The importer calls back at most ~5 times per second per phase; its final report (kDone)
  // completes the read/write counts.
  result.import = import::importIntoCatalog(
      catalog_file, inputs, options, [&context](const import::ImportProgress& p) {
        const ImportJobPhase phase = p.phase == import::Phase::kDiscover
                                         ? ImportJobPhase::kDiscover
                                         : ImportJobPhase::kReadWrite;
        context.progress(static_cast<std::int64_t>(p.done), static_cast<std::int64_t>(p.total),
                         phaseText(phase));
        return !context.cancelled();
      });
  const import::ImportSummary& imported = result.import;
  if (imported.ok() || imported.run != 0) context.log(importLogLine(imported));
  if (!imported.ok()) {
    outcome.error_key = QString::fromStdString(imported.status.error_key);
    outcome.message = QString::fromStdString(imported.status.message);
  } else if (imported.cancelled) {
    outcome.cancelled = true;
  } else if (request.curate) {
    context.progress(0, 0, phaseText(ImportJobPhase::kCurate));
    catalog::Status status;
    auto catalog = catalog::Catalog::open(catalog_file, status);
    if (catalog) {
      curation::CatalogCurationOptions curation_options;
      curation_options.jobs = request.threads;
      curation_options.cancel = context.cancelFlag();
      result.curated = true;
      status = curation::curateCatalog(
          *catalog, curation_options, [] { return std::make_unique<sources::DicomPixels>(); },
          [&context](const curation::CurationProgress& p) {
            context.progress(p.studies_done, p.studies_total, phaseText(ImportJobPhase::kCurate));
          },
          &result.curation);
    }
    if (status.ok()) {
      context.log(curationLogLine(result.curation));
      outcome.cancelled = result.curation.cancelled;
    } else {
      outcome.error_key = QString::fromStdString(status.error_key);
      outcome.message = QString::fromStdString(status.message);
    }
  }
  outcome.result = QVariant::fromValue(result);
  return outcome;
}

QLabel* makeHint(const QString& text, QWidget* parent) {
  auto* hint = new QLabel(text, parent);
  hint->setWordWrap(true);
  hint->setForegroundRole(QPalette::PlaceholderText);
  return hint;
}

// A "key | count" table (import issues, QA findings).
QTableWidget* makeCountTable(const QString& object_name, const QString& key_header,
                             QWidget* parent) {
  auto* table = new QTableWidget(0, 2, parent);
  table->setObjectName(object_name);
  table->setHorizontalHeaderLabels({key_header, ImportWizard::tr("Count")});
  table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  table->verticalHeader()->setVisible(false);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionMode(QAbstractItemView::NoSelection);
  return table;
}

void fillCountTable(QTableWidget* table, const std::map<std::string, int>& counts) {
  table->setRowCount(static_cast<int>(counts.size()));
  int row = 0;
  for (const auto& [key, count] : counts) {
    table->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(key)));
    auto* value = new QTableWidgetItem(number(count));
    value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    table->setItem(row, 1, value);
    ++row;
  }
}

}  // namespace

// --- Sources -------------------------------------------------------------------------------------

class ImportSourcesPage : public QWizardPage {
  Q_OBJECT

 public:
  ImportSourcesPage(const QString& catalog_path, const QStringList& initial_paths, QWidget* parent)
      : QWizardPage(parent), list_(new QListWidget(this)) {
    setTitle(tr("Sources"));
    setSubTitle(tr("Folders (read recursively), DICOM files and DICOMDIRs to import into %1.")
                    .arg(catalog_path.isEmpty() ? tr("the catalog")
                                                : QDir::toNativeSeparators(catalog_path)));
    setAcceptDrops(true);
    list_->setObjectName(QStringLiteral("sourceList"));
    list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    auto* add_folder = new QPushButton(tr("Add folder…"), this);
    add_folder->setObjectName(QStringLiteral("addFolderButton"));
    auto* add_files = new QPushButton(tr("Add files…"), this);
    add_files->setObjectName(QStringLiteral("addFilesButton"));
    remove_ = new QPushButton(tr("Remove"), this);
    remove_->setObjectName(QStringLiteral("removeSourceButton"));
    remove_->setEnabled(false);

    auto* buttons = new QVBoxLayout;
    buttons->addWidget(add_folder);
    buttons->addWidget(add_files);
    buttons->addWidget(remove_);
    buttons->addStretch();
    auto* row = new QHBoxLayout;
    row->addWidget(list_, 1);
    row->addLayout(buttons);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row, 1);
    layout->addWidget(makeHint(tr("Drop folders or files here. Files already in the catalog and "
                                  "unchanged (same size and modification time) are not read "
                                  "again."),
                               this));

    connect(add_folder, &QPushButton::clicked, this, [this] {
      const QString dir =
          QFileDialog::getExistingDirectory(this, tr("Add a folder to import"), last_dir_);
      if (!dir.isEmpty()) addPaths({dir});
    });
    connect(add_files, &QPushButton::clicked, this, [this] {
      addPaths(QFileDialog::getOpenFileNames(this, tr("Add DICOM files or DICOMDIRs"), last_dir_));
    });
    connect(remove_, &QPushButton::clicked, this, [this] {
      qDeleteAll(list_->selectedItems());
      Q_EMIT completeChanged();
    });
    connect(list_, &QListWidget::itemSelectionChanged, this,
            [this] { remove_->setEnabled(!list_->selectedItems().isEmpty()); });
    addPaths(initial_paths);
  }

  // Absolute paths, each once, in the order added.
  void addPaths(const QStringList& paths) {
    for (const QString& path : paths) {
      const QFileInfo info(path);
      const QString absolute = QDir::toNativeSeparators(QDir::cleanPath(info.absoluteFilePath()));
      if (!list_->findItems(absolute, Qt::MatchExactly).isEmpty()) continue;
      list_->addItem(absolute);
      last_dir_ = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
    }
    Q_EMIT completeChanged();
  }

  QStringList paths() const {
    QStringList out;
    for (int i = 0; i < list_->count(); ++i)
      out << QDir::fromNativeSeparators(list_->item(i)->text());
    return out;
  }

  bool isComplete() const override { return list_->count() > 0; }

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override {
    if (!localPaths(event->mimeData()).isEmpty()) event->acceptProposedAction();
  }
  void dragMoveEvent(QDragMoveEvent* event) override {
    if (!localPaths(event->mimeData()).isEmpty()) event->acceptProposedAction();
  }
  void dropEvent(QDropEvent* event) override {
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty()) return;
    addPaths(paths);
    event->acceptProposedAction();
  }

 private:
  static QStringList localPaths(const QMimeData* mime) {
    QStringList paths;
    if (mime == nullptr) return paths;
    for (const QUrl& url : mime->urls()) {
      if (url.isLocalFile()) paths << url.toLocalFile();
    }
    return paths;
  }

  QListWidget* list_;
  QPushButton* remove_;
  QString last_dir_;
};

// --- Options -------------------------------------------------------------------------------------

class ImportOptionsPage : public QWizardPage {
  Q_OBJECT

 public:
  explicit ImportOptionsPage(QWidget* parent)
      : QWizardPage(parent),
        threads_(new QSpinBox(this)),
        include_hidden_(
            new QCheckBox(tr("Also read hidden files (dotfiles, macOS ._* files)"), this)),
        deidentify_(new QCheckBox(tr("De-identify patients"), this)),
        key_(new QLineEdit(this)),
        key_hint_(new QLabel(this)),
        curate_(new QCheckBox(tr("Curate after import"), this)) {
    setTitle(tr("Options"));
    setSubTitle(tr("The same choices as planelab-cli import (and planelab-cli curate)."));
    // This page starts the import: there is no going back to change the options of a running
    // job. Its Next button reads "Import".
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("&Import"));

    threads_->setObjectName(QStringLiteral("threadsSpin"));
    threads_->setRange(1, 256);
    threads_->setValue(std::max(1, QThread::idealThreadCount()));
    threads_->setToolTip(
        tr("Threads reading DICOM headers while one writer fills the catalog; "
           "curation uses as many workers."));
    include_hidden_->setObjectName(QStringLiteral("includeHiddenCheck"));
    deidentify_->setObjectName(QStringLiteral("deidentifyCheck"));
    key_->setObjectName(QStringLiteral("deidentifyKeyEdit"));
    key_->setEchoMode(QLineEdit::Password);
    key_->setPlaceholderText(tr("De-identification key"));
    key_->setEnabled(false);
    auto* key_file = new QPushButton(tr("From file…"), this);
    key_file->setObjectName(QStringLiteral("deidentifyKeyFileButton"));
    key_file->setToolTip(tr("Use the first line of a file as the key (as --key-file)."));
    key_file->setEnabled(false);
    key_hint_->setObjectName(QStringLiteral("deidentifyHint"));
    key_hint_->setWordWrap(true);
    curate_->setObjectName(QStringLiteral("curateCheck"));
    curate_->setChecked(true);

    auto* key_row = new QHBoxLayout;
    key_row->addWidget(key_, 1);
    key_row->addWidget(key_file);
    auto* form = new QFormLayout;
    form->addRow(tr("Header-reading threads:"), threads_);
    form->addRow(QString(), include_hidden_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addSpacing(8);
    layout->addWidget(deidentify_);
    layout->addLayout(key_row);
    layout->addWidget(key_hint_);
    layout->addSpacing(8);
    layout->addWidget(curate_);
    layout->addWidget(makeHint(tr("Stacks, view labels, the intersections of every pair of planes, "
                                  "QA findings and the breath-hold misalignment score of every "
                                  "study, as planelab-cli curate (reads pixels for the score)."),
                               this));
    layout->addStretch();

    connect(deidentify_, &QCheckBox::toggled, this, [this, key_file](bool on) {
      key_->setEnabled(on);
      key_file->setEnabled(on);
      updateKeyHint();
    });
    connect(key_, &QLineEdit::textChanged, this, [this] { updateKeyHint(); });
    connect(key_file, &QPushButton::clicked, this, [this] {
      const QString path = QFileDialog::getOpenFileName(this, tr("Key file"));
      if (path.isEmpty()) return;
      QFile file(path);
      if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        key_hint_->setText(
            tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return;
      }
      key_->setText(QTextStream(&file).readLine());
    });
    updateKeyHint();
  }

  bool isComplete() const override { return !deidentify_->isChecked() || !key_->text().isEmpty(); }

  void fill(ImportRequest* request) const {
    request->threads = threads_->value();
    request->include_hidden = include_hidden_->isChecked();
    request->deidentify = deidentify_->isChecked();
    request->deidentify_key = request->deidentify ? key_->text() : QString();
    request->curate = curate_->isChecked();
  }

 private:
  void updateKeyHint() {
    QString text =
        tr("Patient name, ID and birth date are stored as keyed pseudonyms "
           "(HMAC-SHA256). The key is yours: it is never stored, and the same key "
           "gives the same pseudonyms in later imports.");
    if (deidentify_->isChecked() && key_->text().isEmpty()) {
      text += QLatin1Char(' ') + tr("<b>Enter a key to continue.</b>");
    }
    key_hint_->setText(text);
    Q_EMIT completeChanged();
  }

  QSpinBox* threads_;
  QCheckBox* include_hidden_;
  QCheckBox* deidentify_;
  QLineEdit* key_;
  QLabel* key_hint_;
  QCheckBox* curate_;
};

// --- Import (progress) ---------------------------------------------------------------------------

class ImportProgressPage : public QWizardPage {
  Q_OBJECT

 public:
  ImportProgressPage(ImportWizard* wizard, CatalogSession* session, JobManager* jobs)
      : QWizardPage(wizard),
        wizard_(wizard),
        session_(session),
        jobs_(jobs),
        phase_(new QLabel(this)),
        counts_(new QLabel(this)),
        rate_(new QLabel(this)),
        time_(new QLabel(this)),
        bar_(new QProgressBar(this)),
        cancel_(new QPushButton(tr("Cancel import"), this)) {
    setTitle(tr("Import"));
    setSubTitle(tr("The import runs as a job: it also shows in the Jobs panel."));
    // The wizard's own Cancel only closes the window; the job goes on in the Jobs panel.
    setButtonText(QWizard::CancelButton, tr("Close"));
    phase_->setObjectName(QStringLiteral("phaseLabel"));
    counts_->setObjectName(QStringLiteral("countsLabel"));
    rate_->setObjectName(QStringLiteral("rateLabel"));
    time_->setObjectName(QStringLiteral("timeLabel"));
    bar_->setObjectName(QStringLiteral("importProgressBar"));
    cancel_->setObjectName(QStringLiteral("cancelImportButton"));
    QFont bold = phase_->font();
    bold.setBold(true);
    phase_->setFont(bold);

    auto* form = new QFormLayout;
    form->addRow(tr("Phase:"), phase_);
    form->addRow(tr("Done:"), counts_);
    form->addRow(tr("Rate:"), rate_);
    form->addRow(tr("Time:"), time_);
    auto* cancel_row = new QHBoxLayout;
    cancel_row->addWidget(cancel_);
    cancel_row->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(bar_);
    layout->addLayout(cancel_row);
    layout->addWidget(makeHint(
        tr("Cancelling keeps every batch already written to the catalog; run the same import "
           "again to finish it (files already indexed are not read again). Closing this window "
           "does not stop the import."),
        this));
    layout->addStretch();

    connect(cancel_, &QPushButton::clicked, this, [this] {
      if (job_ == nullptr || job_->finished()) return;
      job_->cancel();
      cancel_->setEnabled(false);
      phase_->setText(tr("Cancelling…"));
    });
    // Elapsed time and ETA move on between progress reports (curation reports once per study).
    clock_.setInterval(500);
    connect(&clock_, &QTimer::timeout, this, [this] { refresh(); });
  }

  void initializePage() override {
    if (job_ != nullptr) return;
    const ImportRequest request = wizard_->request();
    job_ = jobs_->start(tr("Import into %1").arg(QFileInfo(request.catalog_path).fileName()),
                        [request](JobContext& context) { return runImportJob(request, context); });
    // Views reload whatever the end: a cancelled or failed import keeps its committed batches.
    // The session is the context, so this holds even if the wizard is closed meanwhile.
    CatalogSession* session = session_;
    connect(job_, &Job::finishedWith, session_, [session] { session->notifyChanged(); });
    connect(job_, &Job::progressed, this, [this] { refresh(); });
    connect(job_, &Job::stateChanged, this, [this] {
      refresh();
      if (job_->finished()) {
        clock_.stop();
        cancel_->setEnabled(false);
        Q_EMIT completeChanged();
      }
    });
    clock_.start();
    refresh();
  }

  bool isComplete() const override { return job_ != nullptr && job_->finished(); }

  Job* job() const { return job_; }

 private:
  void refresh() {
    if (job_ == nullptr) return;
    const QString text = job_->progressText();
    if (text != phase_text_) {
      // Rate and ETA are per phase: files while importing, studies while curating.
      phase_text_ = text;
      phase_started_s_ = job_->elapsedSeconds();
    }
    const bool curating = text == phaseText(ImportJobPhase::kCurate);
    const QString unit = curating ? tr("studies") : tr("files");
    const std::int64_t done = job_->done();
    const std::int64_t total = job_->total();
    if (job_->finished()) {
      phase_->setText(jobStateName(job_->state()));
    } else if (cancel_->isEnabled()) {
      phase_->setText(text.isEmpty() ? tr("Starting…") : text);
    }
    counts_->setText(total > 0 ? tr("%1 of %2 %3").arg(number(done), number(total), unit)
                               : tr("%1 %2").arg(number(done), unit));
    const double phase_s = job_->elapsedSeconds() - phase_started_s_;
    const double rate = phase_s > 0.0 ? static_cast<double>(done) / phase_s : 0.0;
    rate_->setText(done > 0 && phase_s > 0.0
                       ? tr("%1 %2/s").arg(QLocale().toString(rate, 'f', curating ? 1 : 0), unit)
                       : QStringLiteral("–"));
    const double eta = !job_->finished() && rate > 0.0 && total >= done
                           ? static_cast<double>(total - done) / rate
                           : -1.0;
    time_->setText(tr("elapsed %1 · ETA %2")
                       .arg(Job::formatDuration(job_->elapsedSeconds()), Job::formatDuration(eta)));
    if (total > 0) {
      // Per mille: QProgressBar takes int, the counts may exceed its range.
      bar_->setRange(0, 1000);
      bar_->setValue(static_cast<int>(1000 * std::min(done, total) / total));
    } else {
      bar_->setRange(0, job_->finished() ? 1 : 0);  // busy indicator until a total is known
      bar_->setValue(job_->finished() ? 1 : 0);
    }
  }

  ImportWizard* wizard_;
  CatalogSession* session_;
  JobManager* jobs_;
  QLabel* phase_;
  QLabel* counts_;
  QLabel* rate_;
  QLabel* time_;
  QProgressBar* bar_;
  QPushButton* cancel_;
  QTimer clock_;
  Job* job_ = nullptr;
  QString phase_text_;
  double phase_started_s_ = 0.0;
};

// --- Summary -------------------------------------------------------------------------------------

class ImportSummaryPage : public QWizardPage {
  Q_OBJECT

 public:
  explicit ImportSummaryPage(ImportWizard* wizard)
      : QWizardPage(wizard),
        wizard_(wizard),
        status_(new QLabel(this)),
        issues_(makeCountTable(QStringLiteral("summaryIssuesTable"), tr("Issue"), this)),
        findings_(makeCountTable(QStringLiteral("summaryFindingsTable"), tr("QA finding"), this)),
        curation_(new QGroupBox(tr("Curation"), this)) {
    setTitle(tr("Summary"));
    status_->setObjectName(QStringLiteral("summaryStatusLabel"));
    status_->setWordWrap(true);
    curation_->setObjectName(QStringLiteral("curationGroup"));

    auto* files = new QGroupBox(tr("Files"), this);
    auto* files_form = new QFormLayout(files);
    addCount(files_form, tr("found"), "summaryFilesFound");
    addCount(files_form, tr("read"), "summaryFilesRead");
    addCount(files_form, tr("unchanged (skipped)"), "summaryFilesUnchanged");
    addCount(files_form, tr("missing now"), "summaryFilesMissing");
    addCount(files_form, tr("import issues"), "summaryIssueCount");
    addCount(files_form, tr("read rate (files/s)"), "summaryRate");
    auto* added = new QGroupBox(tr("Added to the catalog"), this);
    auto* added_form = new QFormLayout(added);
    addCount(added_form, tr("patients"), "summaryPatients");
    addCount(added_form, tr("studies"), "summaryStudies");
    addCount(added_form, tr("series"), "summarySeries");
    addCount(added_form, tr("instances"), "summaryInstances");
    addCount(added_form, tr("label sets"), "summaryLabelSets");
    addCount(added_form, tr("instances updated"), "summaryInstancesUpdated");
    auto* curation_form = new QFormLayout(curation_);
    addCount(curation_form, tr("studies"), "summaryCuratedStudies");
    addCount(curation_form, tr("planes"), "summaryPlanes");
    addCount(curation_form, tr("stacks"), "summaryStacks");
    addCount(curation_form, tr("intersections"), "summaryIntersections");
    addCount(curation_form, tr("planes flagged (misalignment)"), "summaryFlaggedPlanes");
    addCount(curation_form, tr("images left out (no geometry)"), "summaryExcludedImages");

    auto* show_issues = new QPushButton(tr("Show issues"), this);
    show_issues->setObjectName(QStringLiteral("showIssuesButton"));
    connect(show_issues, &QPushButton::clicked, wizard_, &ImportWizard::showIssuesRequested);
    show_issues_ = show_issues;

    auto* grid = new QGridLayout;
    grid->addWidget(files, 0, 0);
    grid->addWidget(added, 0, 1);
    grid->addWidget(curation_, 0, 2);
    auto* issues_box = new QVBoxLayout;
    issues_box->addWidget(new QLabel(tr("Import issues (per key):"), this));
    issues_box->addWidget(issues_);
    issues_box->addWidget(show_issues, 0, Qt::AlignLeft);
    auto* findings_box = new QVBoxLayout;
    findings_label_ = new QLabel(tr("QA findings (per key):"), this);
    findings_box->addWidget(findings_label_);
    findings_box->addWidget(findings_);
    auto* tables = new QHBoxLayout;
    tables->addLayout(issues_box);
    tables->addLayout(findings_box);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(status_);
    layout->addLayout(grid);
    layout->addLayout(tables, 1);
  }

  void initializePage() override {
    const Job* job = wizard_->job();
    if (job == nullptr) return;
    const JobOutcome& outcome = job->outcome();
    const bool has_result = outcome.result.canConvert<ImportJobResult>();
    const ImportJobResult result =
        has_result ? outcome.result.value<ImportJobResult>() : ImportJobResult{};
    const import::ImportSummary& s = result.import;
    const curation::CatalogCurationSummary& c = result.curation;

    QString status;
    if (!outcome.error_key.isEmpty()) {
      status = (result.curated ? tr("Curation failed: [%1] %2") : tr("Import failed: [%1] %2"))
                   .arg(outcome.error_key, outcome.message);
      if (result.curated) status += QLatin1Char(' ') + tr("The import itself is complete.");
    } else if (outcome.cancelled && result.curated) {
      status =
          tr("Curation cancelled. The import is complete; the studies curated before the "
             "cancel are stored. Run the curation again to finish it.");
    } else if (outcome.cancelled) {
      status =
          tr("Import cancelled. Every batch written before the cancel is in the catalog; "
             "run the same import again to finish it (files already indexed are not read "
             "again).");
    } else {
      status = result.curated ? tr("Import and curation complete.") : tr("Import complete.");
    }
    // Reader issues and the writer's (duplicates) together, as the catalog's import log holds
    // them.
    int issue_count = 0;
    for (const auto& [key, count] : s.issues_by_key) issue_count += count;
    if (issue_count > 0) {
      status += QLatin1Char(' ') +
                tr("%n import issue(s): files that could not be used fully.", nullptr, issue_count);
    }
    status_->setText(status);

    setCount("summaryFilesFound", static_cast<std::int64_t>(s.files_found));
    setCount("summaryFilesRead", static_cast<std::int64_t>(s.files_read));
    setCount("summaryFilesUnchanged", static_cast<std::int64_t>(s.files_unchanged));
    setCount("summaryFilesMissing", static_cast<std::int64_t>(s.files_missing));
    setCount("summaryIssueCount", issue_count);
    setCount("summaryRate", static_cast<std::int64_t>(s.files_per_second + 0.5));
    setCount("summaryPatients", s.added.patients_added);
    setCount("summaryStudies", s.added.studies_added);
    setCount("summarySeries", s.added.series_added);
    setCount("summaryInstances", s.added.instances_added);
    setCount("summaryLabelSets", s.added.label_sets_added);
    setCount("summaryInstancesUpdated", s.added.instances_updated);
    fillCountTable(issues_, s.issues_by_key);
    show_issues_->setEnabled(!s.issues_by_key.empty());

    curation_->setVisible(result.curated);
    findings_label_->setVisible(result.curated);
    findings_->setVisible(result.curated);
    setCount("summaryCuratedStudies", c.studies);
    setCount("summaryPlanes", c.planes);
    setCount("summaryStacks", c.stacks);
    setCount("summaryIntersections", c.intersections);
    setCount("summaryFlaggedPlanes", c.flagged_planes);
    setCount("summaryExcludedImages", c.excluded_images);
    fillCountTable(findings_, c.findings_by_key);
  }

 private:
  void addCount(QFormLayout* form, const QString& label, const char* object_name) {
    auto* value = new QLabel(this);
    value->setObjectName(QString::fromLatin1(object_name));
    value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->addRow(label, value);
  }
  void setCount(const char* object_name, std::int64_t value) {
    findChild<QLabel*>(QString::fromLatin1(object_name))->setText(number(value));
  }

  ImportWizard* wizard_;
  QLabel* status_;
  QTableWidget* issues_;
  QTableWidget* findings_;
  QGroupBox* curation_;
  QLabel* findings_label_ = nullptr;
  QPushButton* show_issues_ = nullptr;
};

// --- The wizard ----------------------------------------------------------------------------------

ImportWizard::ImportWizard(CatalogSession* session, JobManager* jobs,
                           const QStringList& initial_paths, QWidget* parent)
    : QWizard(parent),
      session_(session),
      sources_(new ImportSourcesPage(session->path(), initial_paths, this)),
      options_(new ImportOptionsPage(this)),
      progress_(new ImportProgressPage(this, session, jobs)) {
  qRegisterMetaType<planelab::ui::ImportJobResult>();
  setObjectName(QStringLiteral("importWizard"));
  setWindowTitle(tr("Import DICOM"));
  setOption(QWizard::NoCancelButtonOnLastPage);
  setOption(QWizard::NoBackButtonOnLastPage);
  setPage(kSourcesPage, sources_);
  setPage(kOptionsPage, options_);
  setPage(kImportPage, progress_);
  setPage(kSummaryPage, new ImportSummaryPage(this));
  resize(820, 600);
}

Job* ImportWizard::job() const {
  return progress_->job();
}

ImportRequest ImportWizard::request() const {
  ImportRequest request;
  request.catalog_path = session_->path();
  request.inputs = sources_->paths();
  options_->fill(&request);
  return request;
}

}  // namespace planelab::ui

#include "import_wizard.moc"
