// The Import wizard: sources (folders, files, DICOMDIRs; drag and drop), options (as
// `planelab-cli import`: threads, hidden files, keyed de-identification; plus "curate after
// import", as `planelab-cli curate`), progress of the import job and its summary. The import and
// the curation run as ONE job of the JobManager, on a worker thread with its own catalog
// connection: the UI thread never writes the catalog.
#pragma once

#include <QMetaType>
#include <QStringList>
#include <QWizard>

#include "curation/curate_catalog.h"
#include "import/importer.h"
#include "ui/catalog/catalog_session.h"
#include "ui/jobs/job_manager.h"

namespace planelab::ui {

class ImportSourcesPage;
class ImportOptionsPage;
class ImportProgressPage;
class ImportSummaryPage;

// What the user asked for on the Sources and Options pages.
struct ImportRequest {
  QString catalog_path;
  QStringList inputs;  // folders, files, DICOMDIRs
  int threads = 1;     // header-reading threads, also curation's workers
  bool include_hidden = false;
  bool deidentify = false;
  QString deidentify_key;  // the user's; never stored
  bool curate = true;
};

// What the job hands back (JobOutcome::result), also when it failed or was cancelled, so the
// summary can show what was done before.
struct ImportJobResult {
  import::ImportSummary import;
  bool curated = false;  // curation ran (complete or cancelled)
  curation::CatalogCurationSummary curation;
};

class ImportWizard : public QWizard {
  Q_OBJECT

 public:
  enum PageId { kSourcesPage, kOptionsPage, kImportPage, kSummaryPage };

  // initial_paths pre-fills the Sources page (folders dropped on the main window).
  ImportWizard(CatalogSession* session, JobManager* jobs, const QStringList& initial_paths,
               QWidget* parent = nullptr);

  // The import job, once the Import page started it (null before).
  Job* job() const;
  // The Sources and Options pages' choices, with the session's catalog path.
  ImportRequest request() const;

 Q_SIGNALS:
  // The user asked to see the import issues (the main window shows the issues panel).
  void showIssuesRequested();

 private:
  CatalogSession* session_;
  ImportSourcesPage* sources_;
  ImportOptionsPage* options_;
  ImportProgressPage* progress_;
};

}  // namespace planelab::ui

Q_DECLARE_METATYPE(planelab::ui::ImportJobResult)
