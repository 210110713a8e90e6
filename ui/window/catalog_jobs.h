// Catalog writes the main window runs as jobs (each opens its own catalog connection on the worker
// thread): re-curating the catalog or one study, and correcting a series' view label (stored as
// the user's override, then the study re-curated so its stacks and labels show it with source
// `user`, as `planelab-cli views --set` followed by `planelab-cli curate --study`).
#pragma once

#include <QString>

#include "ui/jobs/job.h"

namespace planelab::ui {

// study_instance_uid empty: every study. jobs: worker threads.
Job::Work curationWork(const QString& catalog_path, const QString& study_instance_uid, int jobs);

// view empty: remove the correction.
Job::Work viewCorrectionWork(const QString& catalog_path, const QString& series_instance_uid,
                             const QString& view, const QString& study_instance_uid);

}  // namespace planelab::ui
