// The GUI's catalog browser on a catalog of 100,000+ instances: what each user action costs the UI
// thread in ui::CatalogTreeModel (opening the catalog and listing every patient, expanding a
// patient and a study, searching, clearing the search) and in opening a study's page
// (curation::loadStudyScene + the study's label frames, as MainWindow::showStudy does), each the
// median of several fresh sessions. Peer: the sqlite3 command-line shell running the very SQL the
// catalog ran for that action (captured with sqlite3_trace_v2 on every connection of this
// process), against the same file, timed as a whole process and, with `.timer on`, SQL only.
// No window is created (QCoreApplication): the numbers are the model's and the catalog's work,
// not the view's painting.
// Usage: browser_bench [--catalog FILE] [--studies 280] [--phases 50] [--repeats 7] [--show-sql 1]
//   --catalog FILE: reuse FILE if it exists, else build it there and keep it; without it the
//   catalog is built in a temporary folder and removed at the end. --show-sql 1: also print the
//   SQL each action ran (what the peer runs).
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QCoreApplication>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "curation/curate_catalog.h"
#include "curation/phantom_input.h"
#include "curation/study_scene.h"
#include "instance_record.h"
#include "phantom/study.h"
#include "ui/catalog/catalog_session.h"
#include "ui/catalog/catalog_tree_model.h"

namespace {

using namespace planelab;
using Clock = std::chrono::steady_clock;

struct Args {
  std::filesystem::path catalog;
  int studies = 280;
  int phases = 50;
  int repeats = 7;
  bool show_sql = false;
};

// --- SQL capture: every connection opened in this process reports its statements here ---

struct SqlTrace {
  bool capture = false;               // record the statements' expanded SQL
  std::vector<std::string> captured;  // with the bound values inlined
  std::int64_t sql_ns = 0;            // SQLite's own time of the finished statements
};
SqlTrace g_trace;

int traceCallback(unsigned type, void*, void* p, void* x) {
  if (type == SQLITE_TRACE_PROFILE) {
    g_trace.sql_ns += *static_cast<const sqlite3_int64*>(x);
  } else if (type == SQLITE_TRACE_STMT && g_trace.capture) {
    const char* text = static_cast<const char*>(x);
    if (text != nullptr && std::strncmp(text, "--", 2) == 0) return 0;  // a trigger's program
    if (char* expanded = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(p))) {
      g_trace.captured.emplace_back(expanded);
      sqlite3_free(expanded);
    }
  }
  return 0;
}

int traceConnection(sqlite3* db, const char**, const sqlite3_api_routines*) {
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, traceCallback, nullptr);
  return SQLITE_OK;
}

// --- the catalog ---

// `studies` UK Biobank-layout cardiac studies (one series per SAX slice + 2CH/3CH/4CH, `phases`
// cine phases), as the importer would store them (no DICOM files), then curated (geometry only)
// so view labels and findings exist. 20 distinct plans repeated under new UIDs; every tenth study
// is a second imaging visit of an earlier participant, so some patients have two studies.
bool buildCatalog(const Args& args, const std::filesystem::path& file, double& seconds) {
  const auto started = Clock::now();
  catalog::Status status;
  auto cat = catalog::Catalog::open(file, status);
  if (!cat) {
    std::printf("cannot create the catalog: %s\n", status.message.c_str());
    return false;
  }
  const std::int64_t run = cat->beginRun("[]", "{}", status);
  phantom::StudyOptions options;
  options.organ = phantom::Organ::kHeart;
  options.layout = phantom::Layout::kUkb;
  options.level = phantom::Level::kL2;
  options.knobs = phantom::knobsForLevel(options.level);
  options.phases = args.phases;
  std::vector<testing::PhantomInput> plans;
  for (int subject = 0; subject < 20; ++subject) {
    plans.push_back(testing::phantomInput(phantom::generateStudy(2024, subject, options), false));
  }
  const int first_visits = args.studies - args.studies / 10;
  std::vector<catalog::FileRecord> batch;
  for (int k = 0; k < args.studies; ++k) {
    const bool revisit = k >= first_visits;
    const int participant = revisit ? (k - first_visits) * 9 : k;
    char patient_id[32];
    std::snprintf(patient_id, sizeof patient_id, "UKB%07d", 1000000 + participant * 37);
    const testing::PhantomInput& plan = plans[static_cast<std::size_t>(k % 20)];
    const std::string study_uid = "2.25.7." + std::to_string(k);
    for (const catalog::StudyImage& m : plan.images) {
      catalog::FileRecord f;
      f.path = "/bench/" + std::to_string(k) + "/" + std::to_string(m.instance_id) + ".dcm";
      f.size_bytes = 1;
      f.transfer_syntax_uid = "1.2.840.10008.1.2.1";
      f.sop_class_uid = "1.2.840.10008.5.1.4.1.1.4";
      f.patient = catalog::PatientRecord{patient_id, "PARTICIPANT^" + std::to_string(participant),
                                         "19600101", participant % 2 == 0 ? "F" : "M"};
      f.study = catalog::StudyRecord{study_uid,
                                     revisit ? "20210315" : "20190612",
                                     "101500",
                                     "CMR cine (UK Biobank protocol)",
                                     "A" + std::to_string(k),
                                     "1"};
      catalog::SeriesRecord se;
      se.series_instance_uid = study_uid + "." + std::to_string(m.series_id);
      se.series_number = m.series_number;
      se.modality = m.modality;
      se.description = m.series_description;
      se.protocol_name = m.series_description;
      se.body_part = m.body_part;
      se.patient_position = m.patient_position;
      se.manufacturer = "Siemens";
      se.magnetic_field_strength_t = 1.5;
      se.frame_of_reference_uid = study_uid + ".1";
      f.series = se;
      f.instances.push_back(bench::instanceRecordOf(m, study_uid, f.sop_class_uid));
      batch.push_back(std::move(f));
    }
    if (batch.size() > 5000 || k + 1 == args.studies) {
      status = cat->writeBatch(run, batch, nullptr);
      if (!status.ok()) {
        std::printf("cannot fill the catalog: %s\n", status.message.c_str());
        return false;
      }
      batch.clear();
    }
  }
  cat->finishRun(run, "complete", "{}");
  curation::CatalogCurationOptions curate;
  curate.jobs = 2;
  curate.study.misalignment = false;
  status = curation::curateCatalog(*cat, curate, nullptr, nullptr, nullptr);
  if (!status.ok()) {
    std::printf("cannot curate the catalog: %s\n", status.message.c_str());
    return false;
  }
  seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return true;
}

// --- the peer: the sqlite3 shell ---

struct ShellRun {
  double wall_ms = 0;
  std::string output;  // stdout and stderr
  bool ok = false;
};

// Runs `sqlite3 -batch FILE` with `script` on its standard input; the time covers the whole
// process (start, open, the statements, printing the rows into a pipe, exit).
ShellRun runShell(const std::filesystem::path& file, const std::string& script) {
  ShellRun result;
  int to_child[2];
  int from_child[2];
  if (::pipe(to_child) != 0 || ::pipe(from_child) != 0) return result;
  const auto started = Clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(to_child[0], 0);
    ::dup2(from_child[1], 1);
    ::dup2(from_child[1], 2);
    ::close(to_child[0]);
    ::close(to_child[1]);
    ::close(from_child[0]);
    ::close(from_child[1]);
    ::execlp("sqlite3", "sqlite3", "-batch", "-init", "/dev/null", file.c_str(),
             static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(to_child[0]);
  ::close(from_child[1]);
  // The scripts are a few KiB, below the pipe's buffer: written whole before the output is read.
  std::size_t written = 0;
  while (written < script.size()) {
    const ssize_t n = ::write(to_child[1], script.data() + written, script.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(to_child[1]);
  char buffer[65536];
  ssize_t n = 0;
  while ((n = ::read(from_child[0], buffer, sizeof buffer)) > 0) {
    result.output.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(from_child[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  result.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  result.ok = pid > 0 && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 &&
              result.output.find("Error") == std::string::npos;
  return result;
}

// --- measuring ---

struct Action {
  std::string name;
  std::vector<double> ms;               // PlaneLab, wall, per session
  std::vector<double> sql_ms;           // of which SQLite ran statements (sqlite3_trace_v2 profile)
  std::vector<std::string> statements;  // the SQL of the first session
  long rows = 0;                        // model rows it produced (study page: planes)
  double peer_process_ms = 0;
  double peer_sql_ms = 0;
  bool peer_ok = true;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0.0 : (n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
}

void measure(Action& action, bool capture, const std::function<long()>& work) {
  g_trace.sql_ns = 0;
  g_trace.capture = capture;
  g_trace.captured.clear();
  const auto started = Clock::now();
  action.rows = work();
  action.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  action.sql_ms.push_back(static_cast<double>(g_trace.sql_ns) / 1e6);
  if (capture) action.statements = g_trace.captured;
  g_trace.capture = false;
}

// The peer of one action: the shell with the catalog connection's settings and the action's
// statements, `repeats` processes (median wall), then one process that runs them `repeats` times
// on one line under `.timer on` (SQL time per repeat; the shell's timer has 1 ms resolution,
// hence one timed line for all repeats).
void runPeer(const std::filesystem::path& file, int repeats, bool opens, Action& action) {
  std::string line;
  for (const std::string& s : action.statements) line += s + "; ";
  // The opening action's statements already hold the connection's PRAGMAs.
  const std::string settings =
      opens ? "" : "PRAGMA cache_size = -16384;\nPRAGMA temp_store = MEMORY;\n";
  std::vector<double> walls;
  for (int r = 0; r < repeats; ++r) {
    const ShellRun run = runShell(file, settings + line + "\n");
    action.peer_ok = action.peer_ok && run.ok;
    walls.push_back(run.wall_ms);
  }
  action.peer_process_ms = median(walls);
  std::string all;
  for (int r = 0; r < repeats; ++r) all += line;
  const ShellRun timed = runShell(file, ".timer on\n" + settings + all + "\n");
  action.peer_ok = action.peer_ok && timed.ok;
  const std::size_t at = timed.output.rfind("Run Time: real ");
  if (at != std::string::npos) {
    action.peer_sql_ms = std::strtod(timed.output.c_str() + at + 15, nullptr) * 1000.0 / repeats;
  } else {
    action.peer_ok = false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--catalog") args.catalog = argv[i + 1];
    if (flag == "--studies") args.studies = std::atoi(argv[i + 1]);
    if (flag == "--phases") args.phases = std::atoi(argv[i + 1]);
    if (flag == "--repeats") args.repeats = std::max(1, std::atoi(argv[i + 1]));
    if (flag == "--show-sql") args.show_sql = std::atoi(argv[i + 1]) != 0;
  }
  QCoreApplication app(argc, argv);
  sqlite3_auto_extension(reinterpret_cast<void (*)()>(traceConnection));

  std::filesystem::path temp_dir;
  std::filesystem::path file = args.catalog;
  if (file.empty()) {
    temp_dir = std::filesystem::temp_directory_path() /
               ("planelab-browser-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(temp_dir);
    file = temp_dir / "browser.planelab";
  }
  double build_s = 0;
  const bool reused = std::filesystem::exists(file);
  if (!reused && !buildCatalog(args, file, build_s)) {
    if (!temp_dir.empty()) std::filesystem::remove_all(temp_dir);
    return 1;
  }

  catalog::Counts counts;
  std::size_t view_labels = 0;
  std::size_t findings = 0;
  {
    catalog::Status status;
    auto cat = catalog::Catalog::open(file, status);
    if (!cat) {
      std::printf("cannot open %s: %s\n", file.c_str(), status.message.c_str());
      return 1;
    }
    counts = cat->counts();
    view_labels = cat->viewLabels({}).rows.size();
    findings = cat->findings("").rows.size();
  }

  // The patient to expand: one with two studies, in the middle of the list.
  std::vector<Action> actions(8);
  Action& open = actions[0];
  Action& expand_patient = actions[1];
  Action& expand_study = actions[2];
  Action& study_page = actions[3];
  Action& search_text = actions[4];
  Action& expand_found = actions[5];
  Action& search_id = actions[6];
  Action& clear = actions[7];
  const QString text = QStringLiteral("lax_4ch");
  QString patient_id;
  open.name = "open catalog + list all patients";
  expand_patient.name = "expand a patient (studies)";
  expand_study.name = "expand a study (series+views+QA)";
  study_page.name = "open a study page (scene+labels)";
  search_text.name = "search \"" + text.toStdString() + "\" (all match)";
  expand_found.name = "expand a patient under search";
  search_id.name = "search a PatientID";
  clear.name = "clear the search (all patients)";

  for (int r = 0; r < args.repeats; ++r) {
    const bool capture = r == 0;
    ui::CatalogSession session;
    ui::CatalogTreeModel model(&session);
    measure(open, capture, [&] {
      session.open(QString::fromStdString(file.string()));
      return static_cast<long>(model.rowCount());
    });
    if (model.rowCount() == 0) {
      std::printf("the model lists no patient\n");
      return 1;
    }
    QModelIndex patient;
    for (int row = model.rowCount() / 2; row < model.rowCount() && !patient.isValid(); ++row) {
      // Two studies: the details column says "2 study(ies)".
      const QModelIndex details = model.index(row, ui::CatalogTreeModel::kDetails);
      if (model.data(details, Qt::DisplayRole).toString().startsWith(QLatin1Char('2'))) {
        patient = model.index(row, 0);
      }
    }
    if (!patient.isValid()) patient = model.index(model.rowCount() / 2, 0);
    patient_id = model.data(patient, ui::CatalogTreeModel::kKeyRole).toString();
    measure(expand_patient, capture, [&] {
      model.fetchMore(patient);
      return static_cast<long>(model.rowCount(patient));
    });
    const QModelIndex study = model.index(0, 0, patient);
    measure(expand_study, capture, [&] {
      model.fetchMore(study);
      return static_cast<long>(model.rowCount(study));
    });
    const std::int64_t study_id =
        model.data(study, ui::CatalogTreeModel::kStudyIdRole).toLongLong();
    measure(study_page, capture, [&] {
      catalog::Status status;
      const auto scene = curation::loadStudyScene(*session.catalog(), study_id, status);
      const auto labels = session.catalog()->labelFramesOfStudy(study_id);
      return scene ? static_cast<long>(scene->curation.planes.size() + labels.size()) : -1L;
    });
    measure(search_text, capture, [&] {
      model.setFilter(text, {});
      return static_cast<long>(model.rowCount());
    });
    const QModelIndex found = model.index(model.rowCount() / 2, 0);
    measure(expand_found, capture, [&] {
      model.fetchMore(found);
      return static_cast<long>(model.rowCount(found));
    });
    measure(search_id, capture, [&] {
      model.setFilter(patient_id, {});
      return static_cast<long>(model.rowCount());
    });
    measure(clear, capture, [&] {
      model.setFilter({}, {});
      return static_cast<long>(model.rowCount());
    });
  }

  for (std::size_t a = 0; a < actions.size(); ++a) {
    runPeer(file, args.repeats, a == 0, actions[a]);
  }

  const double mib = static_cast<double>(std::filesystem::file_size(file)) / (1024.0 * 1024.0);
  std::printf(
      "catalog browser (ui::CatalogTreeModel), %lld instances: %lld patients, %lld studies, %lld "
      "series, %zu view labels, %zu QA findings; %.0f MiB%s\n",
      static_cast<long long>(counts.instances), static_cast<long long>(counts.patients),
      static_cast<long long>(counts.studies), static_cast<long long>(counts.series), view_labels,
      findings, mib,
      reused ? " (reused)"
             : (" (built and curated in " + std::to_string(static_cast<int>(build_s + 0.5)) + " s)")
                   .c_str());
  std::printf(
      "median of %d fresh sessions, wall ms on the UI thread; peer: the sqlite3 %s shell running "
      "the same SQL on the same file\n",
      args.repeats, sqlite3_libversion());
  std::printf("%-36s %6s %9s %9s %8s %10s %9s %10s %8s\n", "UI action", "rows", "PlaneLab",
              "PlaneLab", "of which", "sqlite3", "sqlite3", "PlaneLab/", "PlaneLab/");
  std::printf("%-36s %6s %9s %9s %8s %10s %9s %10s %8s\n", "", "", "median", "worst", "SQLite",
              "process", "SQL only", "process", "SQL only");
  double worst_median = 0;
  double worst_single = 0;
  std::string worst_median_name;
  std::string worst_single_name;
  for (const Action& a : actions) {
    const double m = median(a.ms);
    const double worst = *std::max_element(a.ms.begin(), a.ms.end());
    std::printf("%-36s %6ld %9.2f %9.2f %8.0f %10.2f %9.2f %9.2fx %8.2fx%s\n", a.name.c_str(),
                a.rows, m, worst, median(a.sql_ms), a.peer_process_ms, a.peer_sql_ms,
                m / a.peer_process_ms, a.peer_sql_ms > 0 ? m / a.peer_sql_ms : 0.0,
                a.peer_ok ? "" : "  (peer failed)");
    if (m > worst_median) {
      worst_median = m;
      worst_median_name = a.name;
    }
    if (worst > worst_single) {
      worst_single = worst;
      worst_single_name = a.name;
    }
  }
  std::printf(
      "rows: model rows the action produced (study page: planes). \"of which SQLite\": the "
      "statements' time as SQLite profiles it (1 ms resolution). sqlite3 process: start, open, the "
      "statements, rows printed into a pipe, exit; SQL only: `.timer on` over %d repeats in one "
      "process.\n",
      args.repeats);
  std::printf(
      "worst UI-thread time per action: %.1f ms median (%s), %.1f ms worst single run (%s) = %.0f "
      "%% of the 100 ms budget -> %s\n",
      worst_median, worst_median_name.c_str(), worst_single, worst_single_name.c_str(),
      worst_single, worst_single < 100.0 ? "met" : "NOT met");
  if (args.show_sql) {
    for (const Action& a : actions) {
      std::printf("-- %s\n", a.name.c_str());
      for (const std::string& sql : a.statements) std::printf("%s;\n", sql.c_str());
    }
  }
  if (!temp_dir.empty()) std::filesystem::remove_all(temp_dir);
  return 0;
}
