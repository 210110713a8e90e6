#include "ui/window/catalog_jobs.h"

#include <QCoreApplication>
#include <filesystem>

#include "catalog/catalog.h"
#include "curation/curate_catalog.h"
#include "sources/dicom_sources.h"

namespace planelab::ui {
namespace {

JobOutcome failure(const catalog::Status& status) {
  JobOutcome outcome;
  outcome.error_key = QString::fromStdString(status.error_key);
  outcome.message = QString::fromStdString(status.message);
  return outcome;
}

JobOutcome curate(catalog::Catalog& cat, const std::string& study, int jobs, JobContext& context) {
  curation::CatalogCurationOptions options;
  options.study_instance_uid = study;
  options.jobs = jobs;
  options.cancel = context.cancelFlag();
  curation::CatalogCurationSummary summary;
  const catalog::Status status = curation::curateCatalog(
      cat, options, [] { return std::make_unique<sources::DicomPixels>(); },
      [&](const curation::CurationProgress& p) {
        context.progress(
            p.studies_done, p.studies_total,
            QCoreApplication::translate("planelab::ui::CatalogJobs", "%1 of %2 studies")
                .arg(p.studies_done)
                .arg(p.studies_total));
      },
      &summary);
  if (!status.ok()) return failure(status);
  context.log(
      QCoreApplication::translate("planelab::ui::CatalogJobs",
                                  "curated %1 studies: %2 planes, %3 stacks, %4 flagged planes")
          .arg(summary.studies)
          .arg(summary.planes)
          .arg(summary.stacks)
          .arg(summary.flagged_planes));
  for (const auto& [key, count] : summary.findings_by_key) {
    context.log(QStringLiteral("  %1: %2").arg(QString::fromStdString(key)).arg(count));
  }
  JobOutcome outcome;
  outcome.cancelled = summary.cancelled;
  outcome.result = QString::fromStdString(curation::summaryJson(summary));
  return outcome;
}

}  // namespace

Job::Work curationWork(const QString& catalog_path, const QString& study_instance_uid, int jobs) {
  return [path = catalog_path.toStdString(), study = study_instance_uid.toStdString(),
          jobs](JobContext& context) {
    catalog::Status status;
    auto cat = catalog::Catalog::open(std::filesystem::path(path), status);
    if (!cat) return failure(status);
    return curate(*cat, study, jobs, context);
  };
}

Job::Work viewCorrectionWork(const QString& catalog_path, const QString& series_instance_uid,
                             const QString& view, const QString& study_instance_uid) {
  return
      [path = catalog_path.toStdString(), series = series_instance_uid.toStdString(),
       view = view.toStdString(), study = study_instance_uid.toStdString()](JobContext& context) {
        catalog::Status status;
        auto cat = catalog::Catalog::open(std::filesystem::path(path), status);
        if (!cat) return failure(status);
        status = cat->setViewOverride(series, view);
        if (!status.ok()) return failure(status);
        context.log(view.empty()
                        ? QCoreApplication::translate("planelab::ui::CatalogJobs",
                                                      "view correction removed")
                        : QCoreApplication::translate("planelab::ui::CatalogJobs", "view set to %1")
                              .arg(QString::fromStdString(view)));
        return curate(*cat, study, 1, context);
      };
}

}  // namespace planelab::ui
