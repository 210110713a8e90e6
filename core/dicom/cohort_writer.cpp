#include "dicom/cohort_writer.h"

#include <chrono>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "dicom/study_writer.h"

namespace planelab::dicom {

namespace fs = std::filesystem;

WriteStatus checkOutputFolder(const fs::path& out) {
  std::error_code ec;
  if (!fs::exists(out, ec)) return {};
  if (!fs::is_directory(out, ec)) {
    return WriteStatus::failure("output_not_a_folder",
                                out.string() + " exists and is not a folder");
  }
  if (!fs::is_empty(out, ec)) {
    return WriteStatus::failure(
        "output_not_empty",
        out.string() + " is not empty; choose a new folder (nothing was overwritten)");
  }
  return {};
}

namespace {

std::string describe(const phantom::PhantomStudy& s) {
  char text[128];
  if (s.cardiac_truth) {
    const auto& t = *s.cardiac_truth;
    std::snprintf(text, sizeof text, "%s, LV EDV %.0f mL, EF %.0f %%, %s", t.group.c_str(),
                  t.lv_edv_ml, 100.0 * t.lv_ef, s.patient.sex.c_str());
  } else if (s.knee_truth) {
    std::snprintf(text, sizeof text, "%s knee, %s", s.knee_truth->side == "L" ? "left" : "right",
                  s.patient.sex.c_str());
  } else {
    return {};
  }
  return text;
}

nlohmann::json knobsJson(const phantom::DifficultyKnobs& knobs) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, value] : phantom::knobValues(knobs)) j[name] = value;
  return j;
}

nlohmann::json requestJson(const CohortRequest& r) {
  nlohmann::json parts = nlohmann::json::array();
  for (const auto& p : r.parts) {
    const char* labels = p.options.labels == phantom::StudyOptions::Labels::kEdEs  ? "ed-es"
                         : p.options.labels == phantom::StudyOptions::Labels::kAll ? "all"
                                                                                   : "none";
    parts.push_back({{"organ", phantom::organName(p.options.organ)},
                     {"subjects", p.subjects},
                     {"layout", phantom::layoutName(p.options.layout)},
                     {"level", phantom::levelName(p.options.level)},
                     {"knobs", knobsJson(p.options.knobs)},
                     {"phases", p.options.phases},
                     {"labels", labels},
                     {"markers", p.options.markers},
                     {"breath_hold_shifts", p.options.breath_hold_shifts}});
  }
  return {{"seed", r.seed},
          {"render",
           {{"supersample", r.render.supersample}, {"slice_samples", r.render.slice_samples}}},
          {"parts", parts}};
}

}  // namespace

CohortSummary writeCohort(const CohortRequest& request,
                          const std::function<bool(const CohortProgress&)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  CohortSummary summary;
  summary.status = checkOutputFolder(request.out);
  if (!summary.ok()) return summary;
  std::error_code ec;
  fs::create_directories(request.out, ec);
  if (ec) {
    summary.status = WriteStatus::failure(
        "cannot_create_folder", "cannot create " + request.out.string() + ": " + ec.message());
    return summary;
  }

  // Plan every subject first (cheap) so progress and ETA cover the whole cohort.
  std::vector<phantom::PhantomStudy> studies;
  std::vector<phantom::StudyOptions::Labels> labels;
  CohortProgress state;
  for (const auto& part : request.parts) {
    for (int i = 0; i < part.subjects; ++i) {
      studies.push_back(phantom::generateStudy(request.seed, i, part.options));
      labels.push_back(part.options.labels);
      state.images_total += progressUnits(studies.back(), part.options.labels);
    }
  }
  state.subjects_total = static_cast<int>(studies.size());
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };

  nlohmann::json subjects = nlohmann::json::array();
  std::vector<std::string> groups;  // per finished subject
  for (std::size_t k = 0; k < studies.size() && !summary.cancelled; ++k) {
    const phantom::PhantomStudy& study = studies[k];
    const fs::path dir = request.out / kDicomFolder / study.patient.id;
    const fs::path truth = request.out / kTruthFolder / (study.patient.id + ".json");
    const int before = state.images_done;
    const auto on_progress = [&](int done, int /*total*/) {
      state.images_done = before + done;
      state.elapsed_s = elapsed();
      return !progress || progress(state);
    };
    const StudyWriteSummary written =
        writeStudy(study, dir, request.render, labels[k], request.threads, on_progress, truth);
    if (!written.ok() || written.cancelled) {
      // Leave only complete subjects behind.
      fs::remove_all(dir, ec);
      fs::remove(truth, ec);
      summary.cancelled = written.cancelled;
      if (!written.ok()) summary.status = written.status;
      break;
    }
    state.images_done = before + progressUnits(study, labels[k]);
    ++state.subjects_done;
    CohortSubjectSummary s;
    s.patient_id = study.patient.id;
    s.organ = phantom::organName(study.organ);
    s.description = describe(study);
    s.series = static_cast<int>(study.series.size());
    s.images = written.images_written;
    s.seg_files = written.seg_files;
    s.bytes = written.bytes;
    summary.images += s.images;
    summary.seg_files += s.seg_files;
    summary.bytes += s.bytes;
    summary.subjects.push_back(s);
    groups.push_back(study.cardiac_truth ? study.cardiac_truth->group : std::string());
    subjects.push_back(
        {{"patient_id", s.patient_id},
         {"organ", s.organ},
         {"folder", (fs::path(kDicomFolder) / s.patient_id).generic_string()},
         {"truth", (fs::path(kTruthFolder) / (s.patient_id + ".json")).generic_string()},
         {"description", s.description},
         {"series", s.series},
         {"images", s.images},
         {"seg_files", s.seg_files},
         {"bytes", s.bytes}});
  }

  // Class labels of the finished subjects (planelab-cli prepare --class-labels): the cardiac
  // pathology group; knees have none (empty).
  {
    std::ofstream csv(request.out / "subjects.csv");
    csv << "patient_id,group\n";
    for (std::size_t k = 0; k < summary.subjects.size(); ++k) {
      csv << summary.subjects[k].patient_id << ',' << groups[k] << '\n';
    }
    if (!csv && summary.ok()) {
      summary.status = WriteStatus::failure("write_failed",
                                            "cannot write subjects.csv in " + request.out.string());
    }
  }
  nlohmann::json cohort = {{"generator", "planelab phantom"},
                           {"request", requestJson(request)},
                           {"complete", summary.ok() && !summary.cancelled},
                           {"subjects", subjects}};
  std::ofstream file(request.out / "cohort.json");
  file << cohort.dump(2) << '\n';
  if (!file && summary.ok()) {
    summary.status =
        WriteStatus::failure("write_failed", "cannot write cohort.json in " + request.out.string());
  }
  summary.seconds = elapsed();
  return summary;
}

}  // namespace planelab::dicom
