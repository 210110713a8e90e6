// The phantom source of the prepare step: a cohort generated in memory, its images as an import
// of its DICOM files would store them, pixels and labels rendered on demand.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <tuple>

#include "phantom/render.h"
#include "prepare/prepare.h"
#include "prepare/study_pipeline.h"

namespace planelab::prepare {

namespace {

// A header value as the DICOM files carry it: core/dicom's formatDs (fixed notation, at most 6
// decimals, at most 16 characters, |v| < 1e-9 -> 0) read back as the header reader does.
double asWritten(double value) {
  if (!std::isfinite(value) || std::abs(value) < 1e-9) return 0.0;
  char buffer[64];
  for (int decimals = 6; decimals >= 0; --decimals) {
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text(buffer);
    if (text.find('.') != std::string::npos) {
      while (!text.empty() && text.back() == '0') text.pop_back();
      if (!text.empty() && text.back() == '.') text.pop_back();
    }
    if (text.size() <= 16) {
      double parsed = 0.0;
      std::from_chars(text.data(), text.data() + text.size(), parsed);
      return parsed;
    }
  }
  return value;
}

// AcquisitionTime (TM) `offset_s` after the phantom's study start (09:00:00), as
// core/dicom's studyDateTime writes it.
std::string acquisitionTime(double offset_s) {
  constexpr long long kStudyStartSeconds = 9 * 3600;
  const double clamped = std::isfinite(offset_s) && offset_s > 0.0 ? offset_s : 0.0;
  const long long micros = kStudyStartSeconds * 1000000LL + std::llround(clamped * 1e6);
  const long long in_day = micros % (86400LL * 1000000LL);
  const long long seconds = in_day / 1000000LL;
  char time[96];
  std::snprintf(time, sizeof time, "%02lld%02lld%02lld.%06lld", seconds / 3600, (seconds / 60) % 60,
                seconds % 60, in_day % 1000000LL);
  return time;
}

std::string studyUid(const phantom::PhantomStudy& study) {
  return "phantom." + phantom::organName(study.organ) + "." + std::to_string(study.seed) + "." +
         std::to_string(study.subject_index);
}

// Pixels and labels of one generated study, rendered on demand (fast settings). An image whose
// labels are wanted is rendered once with its label map, which the label source then takes.
struct PhantomRender {
  const phantom::PhantomStudy* study = nullptr;
  const std::map<std::int64_t, PhantomImageKey>* keys = nullptr;
  phantom::StudyOptions::Labels labels = phantom::StudyOptions::Labels::kEdEs;
  std::int64_t cached_instance = 0;
  std::vector<std::uint8_t> cached_labels;

  bool labelled(const PhantomImageKey& key) const {
    return phantomImageLabelled(*study, key, labels);
  }
  const PhantomImageKey* key(std::int64_t instance) const {
    const auto it = keys->find(instance);
    return it == keys->end() ? nullptr : &it->second;
  }
};

class PhantomPixels : public KeyedPixelSource {
 public:
  explicit PhantomPixels(PhantomRender& render) : render_(render) {}
  using KeyedPixelSource::load;
  std::optional<curation::PixelData> load(const curation::PlaneImage& image,
                                          std::string* error_key) override {
    const PhantomImageKey* key = render_.key(image.instance_id);
    if (key == nullptr) {
      if (error_key != nullptr) *error_key = "unknown_image";
      return std::nullopt;
    }
    phantom::RenderSettings settings = phantom::RenderSettings::fast();
    settings.labels = render_.labelled(*key);
    phantom::RenderedImage rendered =
        phantom::renderImage(*render_.study, key->series, key->slice, key->phase, settings);
    if (settings.labels) {
      render_.cached_instance = image.instance_id;
      render_.cached_labels = std::move(rendered.labels);
    }
    curation::PixelData data;
    data.rows = rendered.rows;
    data.cols = rendered.cols;
    data.values.assign(rendered.pixels.begin(), rendered.pixels.end());  // no rescale written
    return data;
  }

 private:
  PhantomRender& render_;
};

class PhantomLabels : public LabelSource {
 public:
  explicit PhantomLabels(PhantomRender& render) : render_(render) {}
  std::vector<std::string> labelNames() const override { return render_.study->label_names; }
  bool hasLabels(const curation::PlaneImage& image) override {
    const PhantomImageKey* key = render_.key(image.instance_id);
    return key != nullptr && render_.labelled(*key);
  }
  std::optional<LabelMap> load(const curation::PlaneImage& image) override {
    const PhantomImageKey* key = render_.key(image.instance_id);
    if (key == nullptr || !render_.labelled(*key)) return std::nullopt;
    LabelMap map;
    const geometry::ImagePlane& plane = render_.study->series[static_cast<std::size_t>(key->series)]
                                            .slices[static_cast<std::size_t>(key->slice)]
                                            .plane;
    map.rows = plane.rows;
    map.cols = plane.cols;
    if (render_.cached_instance == image.instance_id) {
      map.values = std::move(render_.cached_labels);
      render_.cached_instance = 0;
    } else {
      phantom::RenderSettings settings = phantom::RenderSettings::fast();
      settings.noise = false;
      map.values =
          phantom::renderImage(*render_.study, key->series, key->slice, key->phase, settings)
              .labels;
    }
    return map;
  }

 private:
  PhantomRender& render_;
};

}  // namespace

std::vector<catalog::StudyImage> phantomStudyImages(const phantom::PhantomStudy& study,
                                                    std::map<std::int64_t, PhantomImageKey>* keys) {
  struct Entry {
    catalog::StudyImage image;
    PhantomImageKey key;
  };
  std::vector<Entry> entries;
  const std::string study_uid = studyUid(study);
  const phantom::AcquisitionParameters& acq = study.acquisition;
  for (std::size_t s = 0; s < study.series.size(); ++s) {
    const phantom::SeriesPlan& series = study.series[s];
    const std::string series_uid = study_uid + "." + std::to_string(s + 1);
    for (std::size_t k = 0; k < series.slices.size(); ++k) {
      const geometry::ImagePlane& p = series.slices[k].plane;
      for (const int phase : series.slices[k].phases) {
        catalog::StudyImage m;
        m.series_id = static_cast<std::int64_t>(s) + 1;
        m.series_instance_uid = series_uid;
        m.series_number = series.series_number;
        m.series_description = series.description;
        m.modality = "MR";
        m.body_part = acq.body_part;
        m.laterality = acq.laterality;
        m.patient_position = acq.patient_position;
        m.frame_of_reference_uid = study_uid + ".for";  // one per subject, as the writer's
        const int instance_number =
            static_cast<int>(k) * std::max(1, series.phase_count) + phase + 1;
        m.sop_instance_uid = series_uid + "." + std::to_string(instance_number);
        m.frame_number = 0;
        m.instance_number = instance_number;
        m.rows = p.rows;
        m.cols = p.cols;
        m.image_position_patient = std::array<double, 3>{
            asWritten(p.position_mm.x), asWritten(p.position_mm.y), asWritten(p.position_mm.z)};
        m.image_orientation_patient = std::array<double, 6>{
            asWritten(p.row_dir.x), asWritten(p.row_dir.y), asWritten(p.row_dir.z),
            asWritten(p.col_dir.x), asWritten(p.col_dir.y), asWritten(p.col_dir.z)};
        m.pixel_spacing =
            std::array<double, 2>{asWritten(p.row_spacing_mm), asWritten(p.col_spacing_mm)};
        m.slice_thickness_mm = asWritten(series.slice_thickness_mm);
        double trigger_ms = 0.0;
        if (series.gated && phase < static_cast<int>(series.trigger_times_ms.size())) {
          trigger_ms = series.trigger_times_ms[static_cast<std::size_t>(phase)];
        }
        if (series.gated) {
          m.trigger_time_ms = asWritten(trigger_ms);
          m.cardiac_number_of_images = series.phase_count;
        }
        m.acquisition_time = acquisitionTime(series.acquisition_offset_s + trigger_ms / 1000.0);
        entries.push_back({std::move(m), {static_cast<int>(s), static_cast<int>(k), phase}});
      }
    }
  }
  // The catalog's order (Catalog::studyImages): series number, series UID, instance number.
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.image.series_number, a.image.series_instance_uid, a.image.instance_number) <
           std::tie(b.image.series_number, b.image.series_instance_uid, b.image.instance_number);
  });
  std::vector<catalog::StudyImage> images;
  images.reserve(entries.size());
  for (Entry& e : entries) {
    e.image.instance_id = static_cast<std::int64_t>(images.size()) + 1;
    if (keys != nullptr) (*keys)[e.image.instance_id] = e.key;
    images.push_back(std::move(e.image));
  }
  return images;
}

bool phantomImageLabelled(const phantom::PhantomStudy& study, const PhantomImageKey& key,
                          phantom::StudyOptions::Labels labels) {
  // The cohort writer's labelledPhases.
  const phantom::SeriesPlan& series = study.series[static_cast<std::size_t>(key.series)];
  if (!series.labelled || labels == phantom::StudyOptions::Labels::kNone) return false;
  if (labels == phantom::StudyOptions::Labels::kEdEs && series.gated && study.cardiac_truth) {
    return key.phase == study.cardiac_truth->ed_phase || key.phase == study.cardiac_truth->es_phase;
  }
  return true;
}

PrepareSummary prepareFromPhantom(const PhantomCohort& cohort, const std::string& out_folder,
                                  const PrepareOptions& options) {
  const char* labels = cohort.study.labels == phantom::StudyOptions::Labels::kEdEs  ? "ed-es"
                       : cohort.study.labels == phantom::StudyOptions::Labels::kAll ? "all"
                                                                                    : "none";
  nlohmann::json knobs = nlohmann::json::object();
  for (const auto& [name, value] : phantom::knobValues(cohort.study.knobs)) knobs[name] = value;
  const nlohmann::json source = {{"kind", "phantom"},
                                 {"seed", cohort.seed},
                                 {"first_subject", cohort.first_subject},
                                 {"subjects", cohort.subjects},
                                 {"organ", phantom::organName(cohort.study.organ)},
                                 {"layout", phantom::layoutName(cohort.study.layout)},
                                 {"level", phantom::levelName(cohort.study.level)},
                                 {"knobs", knobs},
                                 {"phases", cohort.study.phases},
                                 {"labels", labels},
                                 {"markers", cohort.study.markers},
                                 {"breath_hold_shifts", cohort.study.breath_hold_shifts},
                                 {"render", "fast"},
                                 {"options", detail::optionsJson(options)}};
  auto work = [&](std::size_t index) {
    const phantom::PhantomStudy study = phantom::generateStudy(
        cohort.seed, cohort.first_subject + static_cast<int>(index), cohort.study);
    std::map<std::int64_t, PhantomImageKey> keys;
    detail::StudyInput input;
    input.images = phantomStudyImages(study, &keys);
    input.patient_id = study.patient.id;
    input.study_uid = studyUid(study);
    const auto it = options.class_labels.find(study.patient.id);
    if (it != options.class_labels.end()) {
      input.class_label = it->second;
    } else if (study.cardiac_truth) {
      input.class_label = study.cardiac_truth->group;
    }
    if (study.cardiac_truth) {
      input.ed_phase = study.cardiac_truth->ed_phase;
      input.es_phase = study.cardiac_truth->es_phase;
      for (const auto& [id, key] : keys) input.acquired_phase[id] = key.phase;
    }
    PhantomRender render;
    render.study = &study;
    render.keys = &keys;
    render.labels = cohort.study.labels;
    PhantomPixels pixels(render);
    PhantomLabels label_source(render);
    return detail::prepareStudy(input, pixels, &label_source, options);
  };
  return detail::runStudies(static_cast<std::size_t>(std::max(cohort.subjects, 0)), work,
                            out_folder, options, source);
}

}  // namespace planelab::prepare
