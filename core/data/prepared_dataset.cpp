#include "data/prepared_dataset.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "data/random.h"

namespace planelab::data {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kFormatName = "planelab-prepared";
constexpr const char* kJsonName = "dataset.json";
constexpr const char* kImagesName = "images.f32";
constexpr const char* kLabelsName = "labels.u8";
constexpr const char* kTmpSuffix = ".tmp";

static_assert(sizeof(float) == 4, "images.f32 stores IEEE float32");

bool littleEndianHost() {
  const std::uint32_t probe = 1;
  unsigned char first = 0;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

[[noreturn]] void badJson(const std::string& field, const std::string& why) {
  throw std::invalid_argument("[not_a_dataset] dataset.json: " + field + ": " + why);
}

const json& need(const json& object, const char* key, const std::string& where) {
  if (!object.is_object()) badJson(where, "must be an object");
  const auto it = object.find(key);
  if (it == object.end()) badJson(where + "." + key, "missing");
  return *it;
}

std::string needString(const json& object, const char* key, const std::string& where) {
  const json& v = need(object, key, where);
  if (!v.is_string()) badJson(where + "." + key, "must be a string");
  return v.get<std::string>();
}

double needNumber(const json& object, const char* key, const std::string& where) {
  const json& v = need(object, key, where);
  if (!v.is_number()) badJson(where + "." + key, "must be a number");
  return v.get<double>();
}

int needInt(const json& object, const char* key, const std::string& where) {
  const json& v = need(object, key, where);
  if (!v.is_number_integer()) badJson(where + "." + key, "must be an integer");
  const auto value = v.get<std::int64_t>();
  if (value > 0x7FFFFFFF || value < -0x7FFFFFFF) badJson(where + "." + key, "out of range");
  return static_cast<int>(value);
}

bool needBool(const json& object, const char* key, const std::string& where) {
  const json& v = need(object, key, where);
  if (!v.is_boolean()) badJson(where + "." + key, "must be a boolean");
  return v.get<bool>();
}

json vec3Json(const geometry::Vec3& v) {
  return json::array({v.x, v.y, v.z});
}

geometry::Vec3 vec3From(const json& object, const char* key, const std::string& where) {
  const json& v = need(object, key, where);
  if (!v.is_array() || v.size() != 3) badJson(where + "." + key, "must be an array of 3 numbers");
  geometry::Vec3 out;
  double* slots[3] = {&out.x, &out.y, &out.z};
  for (std::size_t i = 0; i < 3; ++i) {
    if (!v[i].is_number()) badJson(where + "." + key, "must be an array of 3 numbers");
    *slots[i] = v[i].get<double>();
  }
  return out;
}

std::vector<std::string> stringList(const json& object, const char* key, const std::string& where) {
  const json& v = need(object, key, where);
  if (!v.is_array()) badJson(where + "." + key, "must be an array of strings");
  std::vector<std::string> out;
  for (const auto& item : v) {
    if (!item.is_string()) badJson(where + "." + key, "must be an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

json planeJson(const geometry::ImagePlane& p) {
  return {{"position_mm", vec3Json(p.position_mm)},
          {"row_dir", vec3Json(p.row_dir)},
          {"col_dir", vec3Json(p.col_dir)},
          {"row_spacing_mm", p.row_spacing_mm},
          {"col_spacing_mm", p.col_spacing_mm},
          {"rows", p.rows},
          {"cols", p.cols}};
}

geometry::ImagePlane planeFrom(const json& j, const std::string& where) {
  geometry::ImagePlane p;
  p.position_mm = vec3From(j, "position_mm", where);
  p.row_dir = vec3From(j, "row_dir", where);
  p.col_dir = vec3From(j, "col_dir", where);
  p.row_spacing_mm = needNumber(j, "row_spacing_mm", where);
  p.col_spacing_mm = needNumber(j, "col_spacing_mm", where);
  p.rows = needInt(j, "rows", where);
  p.cols = needInt(j, "cols", where);
  return p;
}

json subjectJson(const Subject& s) {
  json planes = json::array();
  for (const auto& sp : s.planes) {
    planes.push_back({{"plane", planeJson(sp.plane)},
                      {"view", sp.view},
                      {"stack", sp.stack},
                      {"slice_index", sp.slice_index}});
  }
  return {{"id", s.id},
          {"study_uid", s.study_uid},
          {"class_label", s.class_label},
          {"planes", std::move(planes)}};
}

Subject subjectFrom(const json& j, const std::string& where) {
  Subject s;
  s.id = needString(j, "id", where);
  s.study_uid = needString(j, "study_uid", where);
  s.class_label = needString(j, "class_label", where);
  const json& planes = need(j, "planes", where);
  if (!planes.is_array()) badJson(where + ".planes", "must be an array");
  for (std::size_t i = 0; i < planes.size(); ++i) {
    const std::string at = where + ".planes[" + std::to_string(i) + "]";
    SubjectPlane sp;
    sp.plane = planeFrom(need(planes[i], "plane", at), at + ".plane");
    sp.view = needString(planes[i], "view", at);
    sp.stack = needInt(planes[i], "stack", at);
    sp.slice_index = needInt(planes[i], "slice_index", at);
    s.planes.push_back(std::move(sp));
  }
  return s;
}

json sampleJson(const Sample& s) {
  return {{"subject", s.subject},
          {"plane", s.plane},
          {"phase", s.phase},
          {"phase_count", s.phase_count},
          {"ed", s.ed},
          {"es", s.es},
          {"slice_count", s.slice_count},
          {"relative_location", s.relative_location ? json(*s.relative_location) : json(nullptr)},
          {"has_labels", s.has_labels},
          {"sop_instance_uid", s.sop_instance_uid},
          {"frame_number", s.frame_number}};
}

Sample sampleFrom(const json& j, const std::string& where) {
  Sample s;
  s.subject = needInt(j, "subject", where);
  s.plane = needInt(j, "plane", where);
  s.phase = needInt(j, "phase", where);
  s.phase_count = needInt(j, "phase_count", where);
  s.ed = needBool(j, "ed", where);
  s.es = needBool(j, "es", where);
  s.slice_count = needInt(j, "slice_count", where);
  const json& loc = need(j, "relative_location", where);
  if (loc.is_number()) {
    s.relative_location = loc.get<double>();
  } else if (!loc.is_null()) {
    badJson(where + ".relative_location", "must be a number or null");
  }
  s.has_labels = needBool(j, "has_labels", where);
  s.sop_instance_uid = needString(j, "sop_instance_uid", where);
  s.frame_number = needInt(j, "frame_number", where);
  return s;
}

// Checks that samples point at existing subjects/planes and planes are on the grid.
void checkConsistency(const DatasetInfo& info) {
  const int size = info.plan.grid.size;
  for (std::size_t i = 0; i < info.subjects.size(); ++i) {
    for (std::size_t k = 0; k < info.subjects[i].planes.size(); ++k) {
      const auto& p = info.subjects[i].planes[k].plane;
      if (p.rows != size || p.cols != size) {
        badJson("subjects[" + std::to_string(i) + "].planes[" + std::to_string(k) + "]",
                "plane is not on the plan's grid (rows/cols != grid.size)");
      }
    }
  }
  for (std::size_t i = 0; i < info.samples.size(); ++i) {
    const Sample& s = info.samples[i];
    const std::string at = "samples[" + std::to_string(i) + "]";
    if (s.subject < 0 || s.subject >= static_cast<int>(info.subjects.size())) {
      badJson(at + ".subject", "out of range");
    }
    const auto& planes = info.subjects[static_cast<std::size_t>(s.subject)].planes;
    if (s.plane < 0 || s.plane >= static_cast<int>(planes.size())) {
      badJson(at + ".plane", "out of range");
    }
  }
}

std::string errnoText() {
  return std::strerror(errno);
}

void removeQuietly(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

// Writes `bytes` to `path` (created/truncated) and syncs it; throws "[cannot_write]".
void writeFileSynced(const fs::path& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("[cannot_write] " + path.string() + ": " + errnoText());
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = n < 0 ? errnoText() : "short write";
      ::close(fd);
      throw std::runtime_error("[cannot_write] " + path.string() + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    throw std::runtime_error("[cannot_write] " + path.string() + ": " + errnoText());
  }
}

}  // namespace

// ---- JSON of the whole dataset ----

nlohmann::json toJson(const DatasetInfo& info) {
  json subjects = json::array();
  for (const auto& s : info.subjects) subjects.push_back(subjectJson(s));
  json samples = json::array();
  for (const auto& s : info.samples) samples.push_back(sampleJson(s));
  return {{"format", kFormatName},
          {"format_version", info.format_version},
          {"plan", info.plan.toJson()},
          {"label_names", info.label_names},
          {"class_names", info.class_names},
          {"source", info.source.is_null() ? json::object() : info.source},
          {"files",
           {{"images", {{"name", kImagesName}, {"dtype", "float32"}, {"byte_order", "little"}}},
            {"labels", {{"name", kLabelsName}, {"dtype", "uint8"}}}}},
          {"sample_count", info.samples.size()},
          {"size", info.plan.grid.size},
          {"subjects", std::move(subjects)},
          {"samples", std::move(samples)}};
}

DatasetInfo datasetInfoFromJson(const nlohmann::json& j) {
  if (!j.is_object()) badJson("(root)", "must be an object");
  if (needString(j, "format", "") != kFormatName) badJson("format", "not planelab-prepared");
  DatasetInfo info;
  info.format_version = needInt(j, "format_version", "");
  if (info.format_version > DatasetInfo::kFormatVersion) {
    throw std::runtime_error("[unsupported_dataset_version] format_version " +
                             std::to_string(info.format_version) + " is newer than supported " +
                             std::to_string(DatasetInfo::kFormatVersion));
  }
  if (info.format_version < 1) badJson("format_version", "must be >= 1");
  info.plan = PreprocessingPlan::fromJson(need(j, "plan", ""));
  info.label_names = stringList(j, "label_names", "");
  info.class_names = stringList(j, "class_names", "");
  if (const auto it = j.find("source"); it != j.end()) info.source = *it;
  const json& subjects = need(j, "subjects", "");
  if (!subjects.is_array()) badJson("subjects", "must be an array");
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    info.subjects.push_back(subjectFrom(subjects[i], "subjects[" + std::to_string(i) + "]"));
  }
  const json& samples = need(j, "samples", "");
  if (!samples.is_array()) badJson("samples", "must be an array");
  info.samples.reserve(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    info.samples.push_back(sampleFrom(samples[i], "samples[" + std::to_string(i) + "]"));
  }
  if (const auto it = j.find("sample_count"); it != j.end()) {
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() != info.samples.size()) {
      badJson("sample_count", "does not match the samples array");
    }
  }
  checkConsistency(info);
  return info;
}

// ---- Writer ----

struct DatasetWriter::Impl {
  fs::path folder;
  DatasetInfo info;
  bool overwrite = false;
  bool finished = false;
  std::FILE* images = nullptr;
  std::FILE* labels = nullptr;
  std::vector<std::uint8_t> zero_labels;

  fs::path tmp(const char* name) const { return folder / (std::string(name) + kTmpSuffix); }
  fs::path final(const char* name) const { return folder / name; }

  void closeFiles() {
    if (images != nullptr) std::fclose(images);
    if (labels != nullptr) std::fclose(labels);
    images = labels = nullptr;
  }
  void removeTemporaries() {
    closeFiles();
    removeQuietly(tmp(kImagesName));
    removeQuietly(tmp(kLabelsName));
    removeQuietly(tmp(kJsonName));
  }
  [[noreturn]] void fail(const std::string& what) {
    const std::string why = errnoText();
    removeTemporaries();
    finished = true;  // unusable from now on
    throw std::runtime_error("[cannot_write] " + what + ": " + why);
  }
  void append(std::FILE* file, const void* data, std::size_t bytes, const char* name) {
    if (std::fwrite(data, 1, bytes, file) != bytes) fail((folder / name).string());
  }
};

DatasetWriter::DatasetWriter(const std::string& folder, const PreprocessingPlan& plan,
                             bool overwrite)
    : impl_(std::make_unique<Impl>()) {
  if (!littleEndianHost()) throw std::runtime_error("[cannot_write] big-endian host");
  impl_->folder = folder;
  impl_->info.plan = plan;
  impl_->overwrite = overwrite;
  std::error_code ec;
  if (fs::exists(impl_->final(kJsonName), ec) && !overwrite) {
    throw std::runtime_error("[dataset_exists] " + folder +
                             " already holds a dataset (dataset.json); use overwrite");
  }
  fs::create_directories(impl_->folder, ec);
  if (ec) throw std::runtime_error("[cannot_write] " + folder + ": " + ec.message());
  impl_->images = std::fopen(impl_->tmp(kImagesName).c_str(), "wb");
  if (impl_->images == nullptr) impl_->fail(impl_->tmp(kImagesName).string());
  impl_->labels = std::fopen(impl_->tmp(kLabelsName).c_str(), "wb");
  if (impl_->labels == nullptr) impl_->fail(impl_->tmp(kLabelsName).string());
  const auto pixels = static_cast<std::size_t>(plan.grid.size) * plan.grid.size;
  impl_->zero_labels.assign(pixels, 0);
}

DatasetWriter::~DatasetWriter() {
  if (impl_ && !impl_->finished) impl_->removeTemporaries();
}

int DatasetWriter::addSubject(Subject subject) {
  if (impl_->finished) throw std::logic_error("DatasetWriter: already finished");
  const int size = impl_->info.plan.grid.size;
  for (const auto& p : subject.planes) {
    if (p.plane.rows != size || p.plane.cols != size) {
      throw std::invalid_argument("DatasetWriter::addSubject: plane of subject '" + subject.id +
                                  "' is not on the plan's grid (rows/cols != grid.size)");
    }
  }
  impl_->info.subjects.push_back(std::move(subject));
  return static_cast<int>(impl_->info.subjects.size()) - 1;
}

void DatasetWriter::addSample(Sample sample, const std::vector<float>& image,
                              const std::vector<std::uint8_t>& labels) {
  Impl& m = *impl_;
  if (m.finished) throw std::logic_error("DatasetWriter: already finished");
  const std::size_t pixels = m.zero_labels.size();
  if (sample.subject < 0 || sample.subject >= static_cast<int>(m.info.subjects.size())) {
    throw std::invalid_argument("DatasetWriter::addSample: subject index out of range");
  }
  const auto& planes = m.info.subjects[static_cast<std::size_t>(sample.subject)].planes;
  if (sample.plane < 0 || sample.plane >= static_cast<int>(planes.size())) {
    throw std::invalid_argument("DatasetWriter::addSample: plane index out of range");
  }
  if (image.size() != pixels) {
    throw std::invalid_argument("DatasetWriter::addSample: image must have size*size values");
  }
  if (!labels.empty() && labels.size() != pixels) {
    throw std::invalid_argument("DatasetWriter::addSample: labels must be empty or size*size");
  }
  sample.has_labels = !labels.empty();
  m.append(m.images, image.data(), pixels * sizeof(float), kImagesName);
  m.append(m.labels, labels.empty() ? m.zero_labels.data() : labels.data(), pixels, kLabelsName);
  m.info.samples.push_back(std::move(sample));
}

void DatasetWriter::setLabelNames(std::vector<std::string> names) {
  impl_->info.label_names = std::move(names);
}

void DatasetWriter::setSource(const nlohmann::json& source) {
  impl_->info.source = source;
}

void DatasetWriter::finish() {
  Impl& m = *impl_;
  if (m.finished) throw std::logic_error("DatasetWriter: already finished");
  // Class names: sorted distinct non-empty class labels.
  std::set<std::string> classes;
  for (const auto& s : m.info.subjects) {
    if (!s.class_label.empty()) classes.insert(s.class_label);
  }
  m.info.class_names.assign(classes.begin(), classes.end());

  // Flush and sync the binaries (a full disk shows up here at the latest).
  for (std::FILE** file : {&m.images, &m.labels}) {
    const char* name = *file == m.images ? kImagesName : kLabelsName;
    if (std::fflush(*file) != 0 || ::fsync(::fileno(*file)) != 0) {
      m.fail((m.folder / name).string());
    }
    const int rc = std::fclose(*file);
    *file = nullptr;
    if (rc != 0) m.fail((m.folder / name).string());
  }
  try {
    writeFileSynced(m.tmp(kJsonName), toJson(m.info).dump() + "\n");  // compact: large cohorts
  } catch (...) {
    m.removeTemporaries();
    m.finished = true;
    throw;
  }
  // Rename into place; an old dataset.json goes first so a half-renamed folder is never
  // "complete", and the new dataset.json comes last.
  std::error_code ec;
  fs::remove(m.final(kJsonName), ec);
  for (const char* name : {kImagesName, kLabelsName, kJsonName}) {
    fs::rename(m.tmp(name), m.final(name), ec);
    if (ec) {
      const std::string why = ec.message();
      m.removeTemporaries();
      removeQuietly(m.final(kJsonName));
      m.finished = true;
      throw std::runtime_error("[cannot_write] rename " + m.tmp(name).string() + ": " + why);
    }
  }
  m.finished = true;
  // Make the renames durable.
  const int dir = ::open(m.folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

// ---- Reader ----

struct PreparedDataset::Mapping {
  void* data = nullptr;
  std::size_t bytes = 0;
  ~Mapping() {
    if (data != nullptr) ::munmap(data, bytes);
  }
  // Maps the first `needed` bytes of `path` read-only; throws "[dataset_truncated]" when shorter.
  static std::unique_ptr<Mapping> create(const fs::path& path, std::size_t needed);
};

std::shared_ptr<const PreparedDataset> PreparedDataset::open(const std::string& folder) {
  const fs::path json_path = fs::path(folder) / kJsonName;
  std::ifstream in(json_path, std::ios::binary);
  if (!in) throw std::runtime_error("[not_a_dataset] " + folder + ": no readable dataset.json");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  json j = json::parse(bytes, nullptr, false);
  if (j.is_discarded()) {
    throw std::runtime_error("[not_a_dataset] " + json_path.string() + ": not valid JSON");
  }
  std::shared_ptr<PreparedDataset> ds(new PreparedDataset());
  try {
    ds->info_ = datasetInfoFromJson(j);
  } catch (const std::invalid_argument& e) {
    // Plan errors ("[invalid_plan] ...") and field errors: the folder is not a usable dataset.
    const std::string what = e.what();
    throw std::runtime_error(what.rfind("[not_a_dataset]", 0) == 0
                                 ? what
                                 : "[not_a_dataset] " + json_path.string() + ": " + what);
  }
  ds->folder_ = folder;
  ds->hash_ = hex64(fnv1a64(bytes));
  if (!littleEndianHost()) throw std::runtime_error("[not_a_dataset] big-endian host");
  const auto pixels = static_cast<std::size_t>(ds->size()) * static_cast<std::size_t>(ds->size());
  const auto n = static_cast<std::size_t>(ds->sampleCount());
  ds->images_ = Mapping::create(fs::path(folder) / kImagesName, n * pixels * sizeof(float));
  ds->labels_ = Mapping::create(fs::path(folder) / kLabelsName, n * pixels);
  return ds;
}

std::unique_ptr<PreparedDataset::Mapping> PreparedDataset::Mapping::create(const fs::path& path,
                                                                           std::size_t needed) {
  auto mapping = std::make_unique<Mapping>();
  if (needed == 0) return mapping;  // empty dataset: nothing to map (mmap of 0 bytes fails)
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw std::runtime_error("[dataset_truncated] " + path.string() + ": " + errnoText());
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string why = errnoText();
    ::close(fd);
    throw std::runtime_error("[dataset_truncated] " + path.string() + ": " + why);
  }
  if (static_cast<std::uint64_t>(st.st_size) < needed) {
    ::close(fd);
    throw std::runtime_error("[dataset_truncated] " + path.string() + " has " +
                             std::to_string(st.st_size) + " bytes, the samples need " +
                             std::to_string(needed));
  }
  void* data = ::mmap(nullptr, needed, PROT_READ, MAP_PRIVATE, fd, 0);
  const std::string why = errnoText();
  ::close(fd);  // the mapping stays valid
  if (data == MAP_FAILED) {
    throw std::runtime_error("[not_a_dataset] cannot map " + path.string() + ": " + why);
  }
  mapping->data = data;
  mapping->bytes = needed;
  return mapping;
}

PreparedDataset::~PreparedDataset() = default;

const float* PreparedDataset::image(std::int64_t sample) const {
  if (sample < 0 || sample >= sampleCount()) {
    throw std::out_of_range("PreparedDataset::image: sample index out of range");
  }
  const auto pixels = static_cast<std::size_t>(size()) * static_cast<std::size_t>(size());
  return static_cast<const float*>(images_->data) + static_cast<std::size_t>(sample) * pixels;
}

const std::uint8_t* PreparedDataset::labels(std::int64_t sample) const {
  if (sample < 0 || sample >= sampleCount()) {
    throw std::out_of_range("PreparedDataset::labels: sample index out of range");
  }
  const auto pixels = static_cast<std::size_t>(size()) * static_cast<std::size_t>(size());
  return static_cast<const std::uint8_t*>(labels_->data) +
         static_cast<std::size_t>(sample) * pixels;
}

}  // namespace planelab::data
