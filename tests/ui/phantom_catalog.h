// The GUI tests' phantom catalog: hearts in the UK Biobank layout (SAX stack + 2/3/4-chamber views)
// and a knee, written as DICOM, imported and curated exactly as the CLI does, in a folder of this
// test process. Link planelab::import, planelab::sources, planelab::curation.
#pragma once

#include <unistd.h>
#include <QCoreApplication>
#include <QSettings>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "curation/curate_catalog.h"
#include "dicom/cohort_writer.h"
#include "import/importer.h"
#include "sources/dicom_sources.h"

namespace planelab::testing {

// A fresh folder for this test process under PLANELAB_TEST_TMP (CTest runs test executables in
// parallel).
inline std::filesystem::path uiTestDir(const std::string& name) {
  const char* root = std::getenv("PLANELAB_TEST_TMP");
  const std::filesystem::path dir = std::filesystem::path(root != nullptr ? root : "/tmp") /
                                    (name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// QSettings of this test process in <dir>/settings, so tests never read or write the user's
// (recent catalogs, window layout).
inline void useTestSettings(const std::filesystem::path& dir) {
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                     QString::fromStdString((dir / "settings").string()));
  QCoreApplication::setOrganizationName(QStringLiteral("PlaneLabTest"));
  QCoreApplication::setApplicationName(QStringLiteral("PlaneLabTest"));
}

struct PhantomCatalog {
  std::filesystem::path cohort;   // <cohort>/dicom holds the DICOM files
  std::filesystem::path catalog;  // the imported and curated catalog
};

// hearts: cardiac subjects (UK Biobank layout: SAX stack + 2CH/3CH/4CH), knees: knee subjects.
// Fast rendering and 4 cine phases keep it to a few seconds. drop_series: series folders whose
// name contains it (with their labels) are deleted before the import ("LAX": SAX stacks only).
inline PhantomCatalog makePhantomCatalog(const std::filesystem::path& dir, int hearts = 2,
                                         int knees = 1, bool curate = true,
                                         const std::string& drop_series = "") {
  PhantomCatalog out;
  out.cohort = dir / "cohort";
  out.catalog = dir / "catalog.sqlite";
  dicom::CohortRequest request;
  dicom::CohortRequest::Part heart;
  heart.options.organ = phantom::Organ::kHeart;
  heart.options.layout = phantom::Layout::kUkb;
  heart.options.phases = 4;
  heart.subjects = hearts;
  request.parts.push_back(heart);
  if (knees > 0) {
    dicom::CohortRequest::Part knee;
    knee.options.organ = phantom::Organ::kKnee;
    knee.subjects = knees;
    request.parts.push_back(knee);
  }
  request.seed = 11;
  request.render = phantom::RenderSettings::fast();
  request.threads = 2;
  request.out = out.cohort;
  const dicom::CohortSummary written =
      dicom::writeCohort(request, [](const dicom::CohortProgress&) { return true; });
  if (!written.ok()) throw std::runtime_error("phantom cohort: " + written.status.message);
  if (!drop_series.empty()) {
    std::vector<std::filesystem::path> dropped;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(out.cohort / dicom::kDicomFolder)) {
      if (entry.is_directory() &&
          entry.path().filename().string().find(drop_series) != std::string::npos) {
        dropped.push_back(entry.path());
      }
    }
    for (const auto& folder : dropped) std::filesystem::remove_all(folder);
  }
  import::ImportOptions options;
  options.jobs = 2;
  const import::ImportSummary imported =
      import::importIntoCatalog(out.catalog, {out.cohort / dicom::kDicomFolder}, options,
                                [](const import::ImportProgress&) { return true; });
  if (!imported.ok()) throw std::runtime_error("import: " + imported.status.message);
  if (curate) {
    catalog::Status status;
    auto cat = catalog::Catalog::open(out.catalog, status);
    if (!cat) throw std::runtime_error("open: " + status.message);
    curation::CatalogCurationOptions curation_options;
    curation_options.jobs = 2;
    curation::CatalogCurationSummary summary;
    status = curation::curateCatalog(
        *cat, curation_options, [] { return std::make_unique<sources::DicomPixels>(); },
        [](const curation::CurationProgress&) {}, &summary);
    if (!status.ok()) throw std::runtime_error("curate: " + status.message);
  }
  return out;
}

}  // namespace planelab::testing
