#include "app/cli/curate_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <spdlog/spdlog.h>

#include "app/cli/cli_common.h"
#include "app/cli/png_image.h"
#include "app/cli/progress_bar.h"
#include "curation/study_scene.h"
#include "data/pretext_targets.h"
#include "data/target_grid.h"
#include "dicom/pixel_reader.h"
#include "sources/dicom_sources.h"

namespace planelab::cli {

namespace fs = std::filesystem;

namespace {

bool isViewName(const std::string& view) {
  const auto& names = curation::viewNames();
  return std::find(names.begin(), names.end(), view) != names.end();
}

void printCurationSummary(const fs::path& catalog_file, const curation::CatalogCurationSummary& s) {
  std::printf("curation run %lld: %d studies, %d planes, %d stacks, %d intersections (%.1f s)\n",
              static_cast<long long>(s.run), s.studies, s.planes, s.stacks, s.intersections,
              s.seconds);
  std::string views;
  for (const auto& [view, count] : s.views) {
    views += (views.empty() ? "" : ", ") + view + " " + std::to_string(count);
  }
  std::printf("  series by view: %s\n", views.empty() ? "none" : views.c_str());
  if (s.excluded_images > 0) {
    std::printf("  images without usable geometry (left out): %d\n", s.excluded_images);
  }
  if (s.findings_by_key.empty()) {
    std::printf("  QA: no findings\n");
    return;
  }
  std::printf("  QA findings (%d error, %d warning, %d info; details: planelab-cli check %s):\n",
              s.findings_by_severity.count("error") ? s.findings_by_severity.at("error") : 0,
              s.findings_by_severity.count("warning") ? s.findings_by_severity.at("warning") : 0,
              s.findings_by_severity.count("info") ? s.findings_by_severity.at("info") : 0,
              catalog_file.string().c_str());
  for (const auto& [key, count] : s.findings_by_key) {
    std::printf("    %-28s %d\n", key.c_str(), count);
  }
  if (s.flagged_planes > 0) {
    std::printf("  planes flagged for breath-hold misalignment: %d\n", s.flagged_planes);
  }
}

// Refuses to answer from a catalog nobody curated (the tables would just be empty).
bool requireCurated(const catalog::Catalog& cat, const std::string& catalog_file, int* exit_code) {
  const catalog::Table runs = cat.curationRuns();
  // A complete run, or a cancelled one that stored some studies (a run cancelled before its
  // first batch stored nothing).
  bool complete = false;
  for (const auto& row : runs.rows) {
    const std::string state = valueText(row[3]);
    if (state == "complete") complete = true;
    if (state == "cancelled") {
      const nlohmann::json summary = nlohmann::json::parse(valueText(row[5]), nullptr, false);
      if (summary.is_object() && summary.value("studies", 0) > 0) complete = true;
    }
  }
  if (!complete) {
    spdlog::error("[not_curated] {} has no curation yet: run planelab-cli curate {}", catalog_file,
                  catalog_file);
    *exit_code = kExitFailed;
  }
  return complete;
}

// Per view pair: how many crossings, their angles, how many cross the image, profile agreement.
catalog::Table viewPairTable(const catalog::Table& intersections) {
  struct Acc {
    int pairs = 0, crossing = 0, ncc_n = 0;
    double angle_sum = 0, angle_min = 1e9, angle_max = -1e9, ncc_sum = 0;
  };
  std::map<std::pair<std::string, std::string>, Acc> acc;
  for (const auto& row : intersections.rows) {
    Acc& a = acc[{valueText(row[2]), valueText(row[4])}];
    const double angle = std::get<double>(row[5]);
    ++a.pairs;
    a.angle_sum += angle;
    a.angle_min = std::min(a.angle_min, angle);
    a.angle_max = std::max(a.angle_max, angle);
    a.crossing += std::get<std::int64_t>(row[6]) != 0 ? 1 : 0;
    if (const double* ncc = std::get_if<double>(&row[11])) {
      a.ncc_sum += *ncc;
      ++a.ncc_n;
    }
  }
  catalog::Table table;
  table.columns = {"view",      "other_view", "pairs",         "crossing_image",
                   "angle_min", "angle_mean", "angle_max_deg", "profile_ncc_mean"};
  for (const auto& [views, a] : acc) {
    catalog::Value ncc;
    if (a.ncc_n > 0) ncc = a.ncc_sum / a.ncc_n;
    table.rows.push_back({views.first, views.second, std::int64_t{a.pairs},
                          std::int64_t{a.crossing}, a.angle_min, a.angle_sum / a.pairs, a.angle_max,
                          ncc});
  }
  return table;
}

struct CurateArgs {
  std::string catalog;
  std::string study;
  int jobs = 0;
  bool no_misalignment = false;
  double orientation_tolerance_deg = 0.5;
  double flag_mm = 2.5;
  std::string keep = "latest";
  bool json = false;
};

struct TargetsArgs {
  std::string catalog;
  std::string image;
  int frame = 0;
  std::string png;
  double spacing_mm = 1.26;
  int size = 224;
  double sigma_px = 6.0;
  std::vector<std::string> channels;  // views giving the heatmap channels; empty = default
  bool json = false;
};

int runTargets(const TargetsArgs& a) {
  int exit_code = kExitOk;
  auto cat = openOrReport(a.catalog, &exit_code);
  if (!cat) return exit_code;
  const auto study_id = cat->studyOfImage(a.image, a.frame);
  if (!study_id) {
    spdlog::error("[unknown_image] no image {} (frame {}) in {}", a.image, a.frame, a.catalog);
    return kExitFailed;
  }
  const std::vector<catalog::StudyImage> images = cat->studyImages(*study_id);
  curation::Options options;
  options.misalignment = false;
  const curation::StudyCuration study =
      curation::curateStudy(images, cat->viewOverrides(), options, nullptr);
  int plane_index = -1;
  const curation::PlaneImage* image = nullptr;
  for (std::size_t p = 0; p < study.planes.size() && image == nullptr; ++p) {
    for (const curation::PlaneImage& im : study.planes[p].images) {
      if (im.sop_instance_uid == a.image && im.frame_number == a.frame) {
        plane_index = static_cast<int>(p);
        image = &im;
      }
    }
  }
  if (image == nullptr) {
    spdlog::error("[missing_geometry] image {} has no usable geometry", a.image);
    return kExitFailed;
  }
  const curation::Plane& plane = study.planes[static_cast<std::size_t>(plane_index)];
  std::string key, message;
  const auto pixels = dicom::readPixels(image->file_path, image->frame_number, &key, &message);
  if (!pixels) {
    spdlog::error("[{}] {}: {}", key, image->file_path, message);
    return kExitFailed;
  }
  const data::TargetGrid grid{a.spacing_mm, a.size};
  const geometry::ImagePlane target = data::resampledPlane(plane.geometry, grid);
  const std::vector<float> resampled = data::resampleImage(pixels->values.data(), plane.geometry,
                                                           grid, data::Interpolation::kLinear);
  std::vector<std::pair<std::string, const curation::Plane*>> channels;
  for (const auto& [view, other] : curation::heatmapChannelPlanes(study, plane_index, a.channels)) {
    channels.emplace_back(view,
                          other < 0 ? nullptr : &study.planes[static_cast<std::size_t>(other)]);
  }
  std::vector<const geometry::ImagePlane*> others;
  for (const auto& [view, other] : channels) others.push_back(other ? &other->geometry : nullptr);
  const std::vector<data::LineHeatmap> heatmaps =
      data::lineHeatmaps(target, others, data::HeatmapOptions{a.sigma_px});

  nlohmann::json report = {
      {"image", a.image},
      {"view", study.views[static_cast<std::size_t>(plane.series)].view},
      {"grid", {{"spacing_mm", a.spacing_mm}, {"size", a.size}, {"sigma_px", a.sigma_px}}},
      {"relative_location_anatomical", plane.relative_location_anatomical
                                           ? nlohmann::json(*plane.relative_location_anatomical)
                                           : nlohmann::json(nullptr)},
      {"relative_location_paper", plane.relative_location_paper
                                      ? nlohmann::json(*plane.relative_location_paper)
                                      : nlohmann::json(nullptr)}};
  nlohmann::json jch = nlohmann::json::array();
  for (std::size_t c = 0; c < channels.size(); ++c) {
    jch.push_back(
        {{"channel", c},
         {"view", channels[c].first},
         {"flag", heatmaps[c].flag},
         {"series", channels[c].second
                        ? study.series[static_cast<std::size_t>(channels[c].second->series)]
                              .series_instance_uid
                        : ""}});
  }
  report["channels"] = jch;

  if (!a.png.empty()) {
    const auto [lo, hi] = percentileWindow(resampled);
    RgbImage rgb = greyToRgb(resampled, a.size, a.size, lo, hi);
    const std::array<std::array<std::uint8_t, 3>, 3> heat_colours = {
        {{255, 64, 64}, {64, 255, 64}, {64, 128, 255}}};
    for (std::size_t c = 0; c < heatmaps.size(); ++c) {
      blendHeatmap(rgb, heatmaps[c].values, heat_colours[c % heat_colours.size()], 0.45f);
    }
    // Reference lines of every other plane crossing this image (yellow), in the target grid.
    int lines = 0;
    for (std::size_t p = 0; p < study.planes.size(); ++p) {
      if (static_cast<int>(p) == plane_index) continue;
      const int group = study.series[static_cast<std::size_t>(study.planes[p].series)].group;
      if (group != study.series[static_cast<std::size_t>(plane.series)].group) {
        continue;
      }
      const auto segment = geometry::referenceLine(target, study.planes[p].geometry);
      if (!segment) continue;
      drawLine(rgb, segment->start.col, segment->start.row, segment->end.col, segment->end.row,
               {255, 230, 0});
      ++lines;
    }
    std::string error;
    if (!writePng(a.png, rgb, &error)) {
      spdlog::error("[write_failed] {}: {}", a.png, error);
      return kExitFailed;
    }
    report["png"] = a.png;
    report["reference_lines"] = lines;
  }
  if (a.json) {
    std::cout << report.dump(2) << '\n';
  } else {
    std::printf("%s image %s -> %dx%d at %.2f mm\n", report["view"].get<std::string>().c_str(),
                a.image.c_str(), a.size, a.size, a.spacing_mm);
    for (const auto& ch : jch) {
      const std::string flag = ch["flag"].get<std::string>();
      std::printf("  channel %d: %s line%s\n", ch["channel"].get<int>(),
                  ch["view"].get<std::string>().c_str(),
                  flag.empty() ? "" : (" — empty: " + flag).c_str());
    }
    if (plane.relative_location_anatomical) {
      std::printf("  relative slice location: %.3f (anatomical), %.3f (paper)\n",
                  *plane.relative_location_anatomical, plane.relative_location_paper.value_or(0.0));
    } else {
      std::printf("  relative slice location: none (single-slice stack)\n");
    }
    if (!a.png.empty()) std::printf("  wrote %s\n", a.png.c_str());
  }
  return kExitOk;
}

}  // namespace

int runCurate(const fs::path& catalog_file, const curation::CatalogCurationOptions& options,
              bool json, nlohmann::json* report) {
  int exit_code = kExitOk;
  auto cat = openOrReport(catalog_file.string(), &exit_code);
  if (!cat) return exit_code;
  const InterruptGuard interrupt;
  std::atomic<bool> cancel{false};
  curation::CatalogCurationOptions o = options;
  o.cancel = &cancel;
  ProgressBar bar("curate");
  const auto started = std::chrono::steady_clock::now();
  // Ctrl-C reaches the workers at once (they check between studies), not only at batch ends.
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done.load()) {
      if (InterruptGuard::cancelRequested()) cancel = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  curation::CatalogCurationSummary summary;
  const catalog::Status status = curation::curateCatalog(
      *cat, o, [] { return std::make_unique<sources::DicomPixels>(); },
      [&](const curation::CurationProgress& p) {
        if (InterruptGuard::cancelRequested()) cancel = true;
        bar.update(
            p.studies_done, p.studies_total,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      },
      &summary);
  done = true;
  watcher.join();
  bar.finish();
  *report = nlohmann::json::parse(curation::summaryJson(summary));
  (*report)["catalog"] = catalog_file.string();
  (*report)["status"] = !status.ok() ? "error" : summary.cancelled ? "cancelled" : "ok";
  if (!status.ok()) {
    (*report)["error_key"] = status.error_key;
    (*report)["message"] = status.message;
    spdlog::error("[{}] {}", status.error_key, status.message);
    return status.error_key == "unknown_study" ? kExitFailed : kExitCatalog;
  }
  if (!json) printCurationSummary(catalog_file, summary);
  if (summary.cancelled) {
    spdlog::warn("[cancelled] stopped by the user; the studies curated so far are stored");
    return kExitCancelled;
  }
  return kExitOk;
}

void addCurationCommands(CLI::App& app, int* exit_code) {
  auto c = std::make_shared<CurateArgs>();
  CLI::App* cur = app.add_subcommand(
      "curate", "Stacks, view labels, intersections, misalignment and QA findings of every study");
  cur->add_option("catalog", c->catalog, "Catalog file")->required();
  cur->add_option("--study", c->study, "Only this StudyInstanceUID");
  cur->add_option("--jobs", c->jobs, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  cur->add_flag("--no-misalignment", c->no_misalignment,
                "Skip the breath-hold misalignment score (geometry only, reads no pixels)");
  cur->add_option("--orientation-tolerance", c->orientation_tolerance_deg,
                  "Planes closer to parallel than this share a stack (degrees)")
      ->check(CLI::Range(0.01, 10.0))
      ->capture_default_str();
  cur->add_option("--flag-mm", c->flag_mm,
                  "Flag planes whose estimated misalignment exceeds this (mm)")
      ->check(CLI::Range(0.5, 50.0))
      ->capture_default_str();
  cur->add_option("--keep", c->keep, "Which acquisition of a repeated slice location to keep")
      ->check(CLI::IsMember({"latest", "first"}))
      ->capture_default_str();
  cur->add_flag("--json", c->json, "Print a machine-readable summary on stdout");
  cur->callback([c, exit_code] {
    curation::CatalogCurationOptions options;
    options.study_instance_uid = c->study;
    options.jobs = c->jobs;
    options.study.misalignment = !c->no_misalignment;
    options.study.orientation_tolerance_deg = c->orientation_tolerance_deg;
    options.study.misalignment_flag_mm = c->flag_mm;
    options.study.keep_latest_repeat = c->keep == "latest";
    nlohmann::json report;
    *exit_code = runCurate(c->catalog, options, c->json, &report);
    if (c->json) std::cout << report.dump(2) << '\n';
  });

  struct CheckArgs {
    std::string catalog;
    std::string study;
    bool json = false;
  };
  auto k = std::make_shared<CheckArgs>();
  CLI::App* chk = app.add_subcommand(
      "check", "QA findings of the curation (per stack and per view pair); exit 2 on warnings");
  chk->add_option("catalog", k->catalog, "Catalog file")->required();
  chk->add_option("--study", k->study, "Only this StudyInstanceUID");
  chk->add_flag("--json", k->json, "Print JSON");
  chk->callback([k, exit_code] {
    auto cat = openOrReport(k->catalog, exit_code);
    if (!cat || !requireCurated(*cat, k->catalog, exit_code)) return;
    if (!k->study.empty() && cat->studies(k->study).empty()) {
      spdlog::error("[unknown_study] no study {} in {}", k->study, k->catalog);
      *exit_code = kExitFailed;
      return;
    }
    const catalog::Table findings = cat->findings(k->study);
    const catalog::Table stacks = cat->stacks(k->study);
    const catalog::Table pairs = viewPairTable(cat->studyIntersections(k->study));
    int warnings = 0;
    for (const auto& row : findings.rows) {
      const std::string severity = valueText(row[3]);
      warnings += severity == "warning" || severity == "error" ? 1 : 0;
    }
    if (k->json) {
      std::cout << nlohmann::json{{"findings", tableToJson(findings)},
                                  {"stacks", tableToJson(stacks)},
                                  {"view_pairs", tableToJson(pairs)}}
                       .dump(2)
                << '\n';
    } else {
      std::printf("stacks\n");
      printTable(stacks, 24);
      std::printf("\nview pairs (intersections)\n");
      printTable(pairs);
      std::printf("\nfindings (%zu, %d warnings or errors)\n", findings.rows.size(), warnings);
      printTable(findings, 70);
    }
    *exit_code = warnings > 0 ? kExitPartial : kExitOk;
  });

  struct ViewsArgs {
    std::string catalog;
    std::string study;
    std::vector<std::string> set;
    bool json = false;
  };
  auto v = std::make_shared<ViewsArgs>();
  CLI::App* vw = app.add_subcommand(
      "views", "View label of every series (with its source); --set corrects one");
  vw->add_option("catalog", v->catalog, "Catalog file")->required();
  vw->add_option("--set", v->set,
                 "SERIES_INSTANCE_UID=VIEW (sax 2ch 3ch 4ch lax_other localizer other sag cor "
                 "ax; an empty VIEW removes the correction)");
  vw->add_option("--study", v->study, "Only this StudyInstanceUID");
  vw->add_flag("--json", v->json, "Print JSON rows");
  vw->callback([v, exit_code] {
    auto cat = openOrReport(v->catalog, exit_code);
    if (!cat) return;
    for (const std::string& assignment : v->set) {
      const auto eq = assignment.rfind('=');
      const std::string series = eq == std::string::npos ? "" : assignment.substr(0, eq);
      const std::string view = eq == std::string::npos ? "" : assignment.substr(eq + 1);
      if (series.empty() || (!view.empty() && !isViewName(view))) {
        spdlog::error(
            "[invalid_view] '{}': expected SERIES_INSTANCE_UID=VIEW with VIEW one of "
            "sax 2ch 3ch 4ch lax_other localizer other sag cor ax",
            assignment);
        *exit_code = kExitFailed;
        return;
      }
      const catalog::Status status = cat->setViewOverride(series, view);
      if (!status.ok()) {
        spdlog::error("[{}] {}", status.error_key, status.message);
        *exit_code = status.error_key == "unknown_series" ? kExitFailed : kExitCatalog;
        return;
      }
    }
    if (!requireCurated(*cat, v->catalog, exit_code)) return;
    catalog::Filters filters;
    filters.study_instance_uid = v->study;
    const catalog::Table table = cat->viewLabels(filters);
    if (v->json) {
      std::cout << tableToJson(table).dump(2) << '\n';
    } else {
      printTable(table, 30);
    }
    *exit_code = kExitOk;
  });

  struct IntersectionArgs {
    std::string catalog;
    std::string image;
    int frame = 0;
    bool all = false;
    bool json = false;
  };
  auto x = std::make_shared<IntersectionArgs>();
  CLI::App* ix = app.add_subcommand(
      "intersections", "Where every other plane of its study cuts an image (reference lines)");
  ix->add_option("catalog", x->catalog, "Catalog file")->required();
  ix->add_option("--image", x->image, "SOPInstanceUID of the image")->required();
  ix->add_option("--frame", x->frame, "Frame of a multi-frame image (1..N; 0 = single frame)")
      ->capture_default_str();
  ix->add_flag("--all", x->all, "Also list planes whose trace misses the image");
  ix->add_flag("--json", x->json, "Print JSON");
  ix->callback([x, exit_code] {
    auto cat = openOrReport(x->catalog, exit_code);
    if (!cat || !requireCurated(*cat, x->catalog, exit_code)) return;
    if (!cat->studyOfImage(x->image, x->frame)) {
      spdlog::error("[unknown_image] no image {} (frame {}) in {}", x->image, x->frame, x->catalog);
      *exit_code = kExitFailed;
      return;
    }
    catalog::Table table = cat->imageIntersections(x->image, x->frame);
    if (!x->all) {
      std::vector<std::vector<catalog::Value>> crossing;
      for (auto& row : table.rows) {
        if (std::get<std::int64_t>(row[4]) != 0) crossing.push_back(std::move(row));
      }
      table.rows = std::move(crossing);
    }
    if (x->json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& row : table.rows) {
        nlohmann::json e = {{"other_series", valueText(row[0])},
                            {"view", valueText(row[1])},
                            {"other_image", valueText(row[2])},
                            {"angle_deg", std::get<double>(row[3])},
                            {"crosses", std::get<std::int64_t>(row[4]) != 0}};
        if (std::get<std::int64_t>(row[4]) != 0) {
          // [column, row], 0-based, pixel centres at integers.
          e["start"] = {std::get<double>(row[5]), std::get<double>(row[6])};
          e["end"] = {std::get<double>(row[7]), std::get<double>(row[8])};
        }
        if (const double* ncc = std::get_if<double>(&row[9])) e["profile_ncc"] = *ncc;
        out.push_back(e);
      }
      std::cout << out.dump(2) << '\n';
    } else {
      printTable(table, 64);
    }
    *exit_code = kExitOk;
  });

  auto t = std::make_shared<TargetsArgs>();
  CLI::App* tg = app.add_subcommand(
      "targets", "Pretext targets of an image (line heatmaps, slice location), as a PNG overlay");
  tg->add_option("catalog", t->catalog, "Catalog file")->required();
  tg->add_option("--image", t->image, "SOPInstanceUID of the image")->required();
  tg->add_option("--frame", t->frame, "Frame of a multi-frame image (1..N; 0 = single frame)");
  tg->add_option("--png", t->png, "Write the resampled image with heatmaps and reference lines");
  tg->add_option("--spacing", t->spacing_mm, "Target pixel spacing (mm)")
      ->check(CLI::Range(0.1, 10.0))
      ->capture_default_str();
  tg->add_option("--size", t->size, "Target size (pixels, square)")
      ->check(CLI::Range(16, 1024))
      ->capture_default_str();
  tg->add_option("--sigma", t->sigma_px, "Heatmap ridge width (target pixels)")
      ->check(CLI::Range(0.5, 50.0))
      ->capture_default_str();
  tg->add_option("--channels", t->channels,
                 "Views giving the heatmap channels, in order (default: SAX -> 2ch 4ch; long axis "
                 "-> the other long-axis views; knee -> the other two planes)")
      ->delimiter(',')
      ->check(CLI::IsMember(curation::viewNames()));
  tg->add_flag("--json", t->json, "Print JSON");
  tg->callback([t, exit_code] { *exit_code = runTargets(*t); });
}

}  // namespace planelab::cli
