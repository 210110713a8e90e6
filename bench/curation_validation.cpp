// Validation of curation on phantom cohorts whose truth is known (numbers for the closing note
// and docs/curation.md):
//  views        — view labels vs the plan, per layout, with standard and with blanked
//                 descriptions (confusion matrix);
//  misalignment — per-slice breath-hold displacement score vs the true displacement (Spearman),
//                 flag rates for slices shifted by > 5 mm and for unshifted slices;
//  speed        — geometry-only curation rate (studies/s) without pixels.
//  catalog      — curating a 1,000-study catalog (geometry only) through SQLite.
// Usage: curation_validation [--subjects N] [--seed S] [--level L2] [--misalignment-subjects N]
//                            [--catalog-studies N] [--only views|misalignment|speed|catalog|angles]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include <unistd.h>

#include <filesystem>

#include "catalog/catalog.h"
#include "curation/curate_catalog.h"
#include "curation/curation_steps.h"
#include "curation/phantom_input.h"
#include "curation/study_curation.h"
#include "instance_record.h"
#include "phantom/rng.h"
#include "phantom/study.h"

namespace {

using namespace planelab;

struct Args {
  int subjects = 50;
  int misalignment_subjects = 30;
  std::uint64_t seed = 2024;
  std::string level = "L2";
  int catalog_studies = 1000;
};

// The phantom options of a validation cohort at the level given on the command line.
phantom::StudyOptions cohortOptions(const Args& args, phantom::Organ organ, phantom::Layout layout,
                                    int phases) {
  phantom::StudyOptions options;
  options.organ = organ;
  options.layout = layout;
  options.level = *phantom::parseLevel(args.level);
  options.knobs = phantom::knobsForLevel(options.level);
  options.phases = phases;
  return options;
}

using Confusion = std::map<std::string, std::map<std::string, int>>;

void printConfusion(const char* title, const Confusion& c) {
  std::vector<std::string> predicted;
  for (const auto& [truth, row] : c) {
    for (const auto& [p, n] : row) {
      if (std::find(predicted.begin(), predicted.end(), p) == predicted.end())
        predicted.push_back(p);
    }
  }
  std::sort(predicted.begin(), predicted.end());
  std::printf("%s (rows: truth, columns: label)\n  %-10s", title, "");
  for (const std::string& p : predicted) std::printf("%10s", p.c_str());
  std::printf("%10s\n", "correct");
  for (const auto& [truth, row] : c) {
    int total = 0;
    for (const auto& [p, n] : row) total += n;
    std::printf("  %-10s", truth.c_str());
    for (const std::string& p : predicted) {
      const auto it = row.find(p);
      std::printf("%10d", it == row.end() ? 0 : it->second);
    }
    const auto it = row.find(truth);
    std::printf("%9.1f%%\n", 100.0 * (it == row.end() ? 0 : it->second) / std::max(1, total));
  }
}

// Share correct of the given truth views.
double accuracy(const Confusion& c, const std::vector<std::string>& views) {
  int right = 0, total = 0;
  for (const std::string& v : views) {
    const auto row = c.find(v);
    if (row == c.end()) continue;
    for (const auto& [p, n] : row->second) {
      total += n;
      if (p == v) right += n;
    }
  }
  return total == 0 ? 0.0 : 100.0 * right / total;
}

// SAX vs long axis: a long-axis view labelled with any long-axis view counts as right here.
double saxLaxAccuracy(const Confusion& c) {
  const auto group = [](const std::string& v) {
    if (v == "sax") return 0;
    if (v == "2ch" || v == "3ch" || v == "4ch" || v == "lax_other") return 1;
    return 2;
  };
  int right = 0, total = 0;
  for (const auto& [truth, row] : c) {
    if (group(truth) == 2) continue;
    for (const auto& [p, n] : row) {
      total += n;
      if (group(p) == group(truth)) right += n;
    }
  }
  return total == 0 ? 0.0 : 100.0 * right / total;
}

void views(const Args& args) {
  for (const bool blank : {false, true}) {
    Confusion all;
    for (const phantom::Layout layout :
         {phantom::Layout::kDsb, phantom::Layout::kUkb, phantom::Layout::kQuirks}) {
      const phantom::StudyOptions options = cohortOptions(args, phantom::Organ::kHeart, layout, 2);
      for (int subject = 0; subject < args.subjects; ++subject) {
        const phantom::PhantomStudy study = phantom::generateStudy(args.seed, subject, options);
        const testing::PhantomInput input = testing::phantomInput(study, blank);
        const curation::StudyCuration c = curation::curateStudy(input.images, {}, {}, nullptr);
        for (std::size_t s = 0; s < study.series.size(); ++s) {
          // Curation numbers series in catalog order; phantomInput gives series id s + 1.
          for (std::size_t k = 0; k < c.series.size(); ++k) {
            if (c.series[k].id == static_cast<std::int64_t>(s) + 1) {
              ++all[study.series[s].view][c.views[k].view];
            }
          }
        }
      }
    }
    const std::string title = std::string("heart views, ") + args.level + ", " +
                              std::to_string(args.subjects) + " subjects x (dsb, ukb, quirks), " +
                              (blank ? "descriptions blanked" : "standard descriptions");
    printConfusion(title.c_str(), all);
    std::printf("  SAX/LAX correct: %.2f %%   2CH/3CH/4CH correct: %.2f %%\n\n",
                saxLaxAccuracy(all), accuracy(all, {"2ch", "3ch", "4ch"}));
  }
  // Knee: sagittal / coronal / axial.
  Confusion knee;
  phantom::StudyOptions options = cohortOptions(args, phantom::Organ::kKnee, phantom::Layout::kDsb,
                                                phantom::StudyOptions{}.phases);
  for (const phantom::Layout layout : {phantom::Layout::kDsb, phantom::Layout::kQuirks}) {
    options.layout = layout;
    for (int subject = 0; subject < args.subjects; ++subject) {
      const phantom::PhantomStudy study = phantom::generateStudy(args.seed, subject, options);
      const testing::PhantomInput input = testing::phantomInput(study, true);
      const curation::StudyCuration c = curation::curateStudy(input.images, {}, {}, nullptr);
      for (std::size_t k = 0; k < c.series.size(); ++k) {
        ++knee[study.series[static_cast<std::size_t>(c.series[k].id - 1)].view][c.views[k].view];
      }
    }
  }
  printConfusion("knee views, descriptions blanked", knee);
  std::printf("  correct: %.2f %%\n\n", accuracy(knee, {"sag", "cor", "ax"}));
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  const auto ranks = [](const std::vector<double>& v) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t l, std::size_t r) { return v[l] < v[r]; });
    std::vector<double> r(v.size());
    for (std::size_t i = 0; i < order.size();) {
      std::size_t j = i;
      while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
      for (std::size_t k = i; k <= j; ++k) r[order[k]] = 0.5 * static_cast<double>(i + j);
      i = j + 1;
    }
    return r;
  };
  const std::vector<double> ra = ranks(a), rb = ranks(b);
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n;
  const double mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) * (ra[i] - ma);
    sbb += (rb[i] - mb) * (rb[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

// Known shifts: long-axis views and half of the SAX slices unshifted, the other SAX slices
// displaced by 1-10 mm in a random direction.
void misalignment(const Args& args) {
  phantom::StudyOptions options =
      cohortOptions(args, phantom::Organ::kHeart, phantom::Layout::kUkb, 3);
  options.breath_hold_shifts = false;
  std::vector<double> truth, score;
  int shifted_big = 0, flagged_big = 0, unshifted = 0, flagged_unshifted = 0;
  int mid = 0, flagged_mid = 0;
  double abs_error = 0.0;
  const auto started = std::chrono::steady_clock::now();
  for (int subject = 0; subject < args.misalignment_subjects; ++subject) {
    phantom::PhantomStudy study = phantom::generateStudy(args.seed + 7, subject, options);
    phantom::Rng rng =
        phantom::Rng::derive(args.seed + 7, {99, static_cast<std::uint64_t>(subject)});
    std::map<int, double> true_shift;  // series -> |shift|
    for (std::size_t s = 0; s < study.series.size(); ++s) {
      phantom::SeriesPlan& series = study.series[s];
      double magnitude = 0.0;
      if (series.view == "sax" && rng.bernoulli(0.5)) {
        magnitude = rng.uniform(1.0, 10.0);
        geometry::Vec3 d{rng.normal(0, 1), rng.normal(0, 1), rng.normal(0, 1)};
        series.slices[0].breath_hold_shift_mm = geometry::normalized(d) * magnitude;
      }
      true_shift[static_cast<int>(s)] = magnitude;
    }
    const testing::PhantomInput input = testing::phantomInput(study, false);
    testing::PhantomPixels pixels(study, input);
    const curation::StudyCuration c = curation::curateStudy(input.images, {}, {}, &pixels);
    for (const curation::Plane& plane : c.planes) {
      const int s = static_cast<int>(c.series[static_cast<std::size_t>(plane.series)].id - 1);
      if (study.series[static_cast<std::size_t>(s)].view != "sax" || !plane.misalignment_mm)
        continue;
      const double t = true_shift[s];
      truth.push_back(t);
      score.push_back(*plane.misalignment_mm);
      abs_error += std::abs(*plane.misalignment_mm - t);
      const bool flag = plane.misalignment_flag.value_or(false);
      if (t > 5.0) {
        ++shifted_big;
        flagged_big += flag ? 1 : 0;
      } else if (t == 0.0) {
        ++unshifted;
        flagged_unshifted += flag ? 1 : 0;
      } else {
        ++mid;
        flagged_mid += flag ? 1 : 0;
      }
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("breath-hold misalignment, %s, %d ukb subjects, SAX slices (half shifted 1-10 mm)\n",
              args.level.c_str(), args.misalignment_subjects);
  std::printf(
      "  slices scored: %zu, Spearman(score, true shift) = %.3f, mean |score - truth| = %.2f mm\n",
      truth.size(), spearman(score, truth),
      abs_error / static_cast<double>(std::max<std::size_t>(1, truth.size())));
  std::printf(
      "  flagged: %d/%d shifted > 5 mm (%.1f %%), %d/%d unshifted (%.1f %%), %d/%d shifted 1-5 "
      "mm\n",
      flagged_big, shifted_big, 100.0 * flagged_big / std::max(1, shifted_big), flagged_unshifted,
      unshifted, 100.0 * flagged_unshifted / std::max(1, unshifted), flagged_mid, mid);
  // The same scores against other flag thresholds (mm), to choose the default.
  for (const double threshold : {2.0, 2.5, 3.0, 3.5, 4.0}) {
    int big = 0, big_flagged = 0, zero = 0, zero_flagged = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
      if (truth[i] > 5.0) {
        ++big;
        big_flagged += score[i] > threshold ? 1 : 0;
      } else if (truth[i] == 0.0) {
        ++zero;
        zero_flagged += score[i] > threshold ? 1 : 0;
      }
    }
    std::printf("  threshold %.1f mm: %.1f %% of shifts > 5 mm flagged, %.1f %% of unshifted\n",
                threshold, 100.0 * big_flagged / std::max(1, big),
                100.0 * zero_flagged / std::max(1, zero));
  }
  std::printf("  %.1f s (rendering 3 phases per plane included)\n\n", seconds);
}

// The rotation of each long-axis view about the long axis (theta, as views.cpp measures it) on
// the phantom: the source of views.cpp's kLaxModels.
void angles(const Args& args) {
  const phantom::StudyOptions options =
      cohortOptions(args, phantom::Organ::kHeart, phantom::Layout::kUkb, 1);
  std::map<std::string, std::vector<double>> theta;
  std::map<std::string, std::vector<double>> relative;  // to the 4CH of the same subject
  for (int subject = 0; subject < args.subjects; ++subject) {
    const phantom::PhantomStudy study = phantom::generateStudy(args.seed, subject, options);
    geometry::Vec3 sax_normal;
    for (const phantom::SeriesPlan& s : study.series) {
      if (s.view == "sax") sax_normal = s.slices[0].plane.normal();
    }
    const curation::LongAxisFrame frame = curation::LongAxisFrame::fromSaxNormal(sax_normal);
    std::map<std::string, double> t;
    for (const phantom::SeriesPlan& s : study.series) {
      if (s.view == "sax" || s.view == "localizer") continue;
      const double th = frame.rotationDeg(s.slices[0].plane.normal());
      t[s.view] = th;
      theta[s.view].push_back(th);
    }
    for (const auto& [v, th] : t) {
      double d = std::fmod(th - t["4ch"] + 360.0, 180.0);
      relative[v].push_back(d);
    }
  }
  const auto stats = [](const std::vector<double>& v, double& mean, double& sd) {
    // circular mean on the doubled angle (lines are undirected)
    double c = 0, s = 0;
    for (const double x : v) {
      c += std::cos(geometry::degToRad(2 * x));
      s += std::sin(geometry::degToRad(2 * x));
    }
    mean = std::fmod(geometry::radToDeg(std::atan2(s, c)) / 2 + 180.0, 180.0);
    double ss = 0;
    for (const double x : v) {
      double d = std::fmod(x - mean + 270.0, 180.0) - 90.0;
      ss += d * d;
    }
    sd = std::sqrt(ss / static_cast<double>(v.size()));
  };
  for (const auto& [v, values] : theta) {
    double m, sd, rm, rsd;
    stats(values, m, sd);
    stats(relative[v], rm, rsd);
    std::printf("%s theta mean %.1f sd %.1f   relative to 4ch mean %.1f sd %.1f\n", v.c_str(), m,
                sd, rm, rsd);
  }
}

// Curating a catalog of `studies` phantom studies (geometry only) through the real path: SQLite
// read of every study's images, curation on 2 threads, one transaction per 64 studies. The
// catalog is filled with the records the importer would write (no DICOM files needed).
void catalogRate(const Args& args, int study_count) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("planelab-curation-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  catalog::Status status;
  auto cat = catalog::Catalog::open(dir / "bench.planelab", status);
  if (!cat) {
    std::printf("cannot open the benchmark catalog: %s\n", status.message.c_str());
    return;
  }
  const std::int64_t run = cat->beginRun("[]", "{}", status);
  const phantom::StudyOptions options =
      cohortOptions(args, phantom::Organ::kHeart, phantom::Layout::kUkb, 25);
  std::size_t images = 0;
  const auto fill_started = std::chrono::steady_clock::now();
  // 20 distinct plans, repeated under new UIDs (plan generation is not what is measured).
  std::vector<testing::PhantomInput> plans;
  for (int subject = 0; subject < 20; ++subject) {
    plans.push_back(
        testing::phantomInput(phantom::generateStudy(args.seed, subject, options), false));
  }
  std::vector<catalog::FileRecord> batch;
  for (int k = 0; k < study_count; ++k) {
    const testing::PhantomInput& plan = plans[static_cast<std::size_t>(k % 20)];
    const std::string study_uid = "2.25.9." + std::to_string(k);
    for (const catalog::StudyImage& m : plan.images) {
      catalog::FileRecord f;
      f.path = "/bench/" + std::to_string(k) + "/" + std::to_string(m.instance_id) + ".dcm";
      f.size_bytes = 1;
      f.sop_class_uid = "1.2.840.10008.5.1.4.1.1.4";
      f.patient =
          catalog::PatientRecord{"B" + std::to_string(k), "BENCH^" + std::to_string(k), "", "F"};
      f.study = catalog::StudyRecord{study_uid, "", "", "", "", ""};
      catalog::SeriesRecord se;
      se.series_instance_uid = study_uid + "." + std::to_string(m.series_id);
      se.series_number = m.series_number;
      se.description = m.series_description;
      se.body_part = m.body_part;
      se.patient_position = m.patient_position;
      se.frame_of_reference_uid = study_uid + ".1";
      f.series = se;
      f.instances.push_back(bench::instanceRecordOf(m, study_uid, f.sop_class_uid));
      batch.push_back(std::move(f));
      ++images;
    }
    if (batch.size() > 5000 || k + 1 == study_count) {
      cat->writeBatch(run, batch, nullptr);
      batch.clear();
    }
  }
  cat->finishRun(run, "complete", "{}");
  const double fill_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_started).count();
  curation::CatalogCurationOptions curate;
  curate.jobs = 2;
  curate.study.misalignment = false;
  curation::CatalogCurationSummary summary;
  const catalog::Status result = curation::curateCatalog(*cat, curate, nullptr, nullptr, &summary);
  std::printf(
      "catalog curation (geometry only, 2 threads): %d ukb studies, %zu images, %d planes, "
      "%d intersections stored in %.1f s = %.0f studies/s (%s; filling the catalog took %.1f s)\n",
      summary.studies, images, summary.planes, summary.intersections, summary.seconds,
      summary.studies / summary.seconds, result.ok() ? "ok" : result.error_key.c_str(), fill_s);
  cat.reset();
  std::filesystem::remove_all(dir);
}

void speed(const Args& args) {
  const phantom::StudyOptions options =
      cohortOptions(args, phantom::Organ::kHeart, phantom::Layout::kUkb, 50);
  std::vector<testing::PhantomInput> inputs;
  for (int subject = 0; subject < 20; ++subject) {
    inputs.push_back(
        testing::phantomInput(phantom::generateStudy(args.seed, subject, options), false));
  }
  curation::Options geometry_only;
  geometry_only.misalignment = false;
  const auto started = std::chrono::steady_clock::now();
  int studies = 0;
  std::size_t images = 0;
  for (int round = 0; round < 10; ++round) {
    for (const testing::PhantomInput& input : inputs) {
      const curation::StudyCuration c =
          curation::curateStudy(input.images, {}, geometry_only, nullptr);
      ++studies;
      images += input.images.size();
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "geometry-only curation (in memory, 1 thread): %d ukb studies (%zu images) in %.2f s = %.0f "
      "studies/s\n",
      studies, images, seconds, studies / seconds);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--subjects") args.subjects = std::atoi(argv[i + 1]);
    if (flag == "--misalignment-subjects") args.misalignment_subjects = std::atoi(argv[i + 1]);
    if (flag == "--seed") args.seed = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--level") args.level = argv[i + 1];
    if (flag == "--catalog-studies") args.catalog_studies = std::atoi(argv[i + 1]);
    if (flag == "--only") only = argv[i + 1];
  }
  if (only.empty() || only == "views") views(args);
  if (only.empty() || only == "misalignment") misalignment(args);
  if (only.empty() || only == "speed") speed(args);
  if (only == "angles") angles(args);
  if (only.empty() || only == "catalog") catalogRate(args, args.catalog_studies);
  return 0;
}
