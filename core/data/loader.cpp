#include "data/loader.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "data/augment.h"
#include "data/random.h"

namespace planelab::data {

namespace {

// Tags of the derived random streams (arbitrary constants, part of the reproducibility contract).
constexpr std::uint64_t kTagOrder = 0x4F52444552ULL;  // "ORDER": epoch permutation
constexpr std::uint64_t kTagPick = 0x5049434BULL;     // "PICK": one sample per subject
constexpr std::uint64_t kTagBatch = 0x4241544348ULL;  // "BATCH": Batch::seed

std::uint64_t u64(std::int64_t v) {
  return static_cast<std::uint64_t>(v);
}

// What every batch needs from the dataset, computed once.
struct Context {
  int size = 0;
  int channels = 0;
  std::vector<std::int64_t> class_of_subject;  // -1 when none
  // heatmap_plane[subject][k]: index of the first plane of view heatmap_views[k], -1 if none.
  std::vector<std::vector<int>> heatmap_plane;
};

Context makeContext(const PreparedDataset& ds) {
  const DatasetInfo& info = ds.info();
  Context ctx;
  ctx.size = ds.size();
  ctx.channels = static_cast<int>(info.plan.heatmap_views.size());
  for (const Subject& s : info.subjects) {
    const auto it = std::find(info.class_names.begin(), info.class_names.end(), s.class_label);
    ctx.class_of_subject.push_back(s.class_label.empty() || it == info.class_names.end()
                                       ? -1
                                       : static_cast<std::int64_t>(it - info.class_names.begin()));
    std::vector<int> planes;
    for (const auto& view : info.plan.heatmap_views) {
      int found = -1;
      for (std::size_t p = 0; p < s.planes.size(); ++p) {
        if (s.planes[p].view == view) {
          found = static_cast<int>(p);
          break;
        }
      }
      planes.push_back(found);
    }
    ctx.heatmap_plane.push_back(std::move(planes));
  }
  return ctx;
}

void checkSamples(const PreparedDataset& ds, const std::vector<std::int64_t>& samples) {
  for (const std::int64_t s : samples) {
    if (s < 0 || s >= ds.sampleCount()) {
      throw std::invalid_argument("Loader: sample index " + std::to_string(s) + " out of range");
    }
  }
}

void checkOptions(const LoaderOptions& o) {
  if (o.batch_size < 1) throw std::invalid_argument("Loader: batch_size must be >= 1");
  if (o.augment.enabled &&
      !(o.augment.scale_min > 0.0 && o.augment.scale_max >= o.augment.scale_min)) {
    throw std::invalid_argument("Loader: augment scale range must be positive and ordered");
  }
}

// The dataset sample indices of one epoch, in order (before drop_last).
std::vector<std::int64_t> epochOrder(const PreparedDataset& ds,
                                     const std::vector<std::int64_t>& samples,
                                     const LoaderOptions& o, int epoch) {
  const auto e = static_cast<std::uint64_t>(epoch);
  if (o.sampling == Sampling::kAllSamples) {
    std::vector<std::int64_t> order = samples;
    if (o.shuffle) Rng::derive(o.seed, {kTagOrder, e}).shuffle(order);
    return order;
  }
  // One random sample per subject (among `samples`), subjects in a permuted order.
  std::map<int, std::vector<std::int64_t>> by_subject;
  for (const std::int64_t s : samples) {
    by_subject[ds.info().samples[static_cast<std::size_t>(s)].subject].push_back(s);
  }
  std::vector<int> subjects;
  for (const auto& [subject, list] : by_subject) subjects.push_back(subject);
  if (o.shuffle) Rng::derive(o.seed, {kTagOrder, e}).shuffle(subjects);
  std::vector<std::int64_t> order;
  order.reserve(subjects.size());
  for (const int subject : subjects) {
    const auto& list = by_subject[subject];
    Rng rng = Rng::derive(o.seed, {kTagPick, e, static_cast<std::uint64_t>(subject)});
    order.push_back(list[static_cast<std::size_t>(rng.below(list.size()))]);
  }
  return order;
}

std::int64_t countBatches(std::int64_t n, const LoaderOptions& o) {
  return o.drop_last ? n / o.batch_size : (n + o.batch_size - 1) / o.batch_size;
}

std::int64_t epochLength(const PreparedDataset& ds, const std::vector<std::int64_t>& samples,
                         const LoaderOptions& o) {
  if (o.sampling == Sampling::kAllSamples) return static_cast<std::int64_t>(samples.size());
  std::vector<int> subjects;
  for (const std::int64_t s : samples) {
    subjects.push_back(ds.info().samples[static_cast<std::size_t>(s)].subject);
  }
  std::sort(subjects.begin(), subjects.end());
  return std::unique(subjects.begin(), subjects.end()) - subjects.begin();
}

// Builds one batch: `samples[i]` sits at epoch position first_position + i.
Batch buildBatch(const PreparedDataset& ds, const Context& ctx,
                 const std::vector<std::int64_t>& samples, const LoaderOptions& o, int epoch,
                 std::int64_t first_position) {
  const DatasetInfo& info = ds.info();
  const auto b = static_cast<std::int64_t>(samples.size());
  const int size = ctx.size;
  const auto pixels = static_cast<std::size_t>(size) * static_cast<std::size_t>(size);
  const int k_channels = ctx.channels;
  const auto e = static_cast<std::uint64_t>(epoch);

  Batch batch;
  batch.samples = samples;
  batch.seed = deriveSeed(o.seed, {kTagBatch, e, u64(first_position / o.batch_size)});
  batch.images = torch::empty({b, 1, size, size}, torch::kFloat32);
  float* images = batch.images.data_ptr<float>();
  float* heatmaps = nullptr;
  float* heatmap_valid = nullptr;
  if (o.content.heatmaps) {
    batch.heatmaps = torch::empty({b, k_channels, size, size}, torch::kFloat32);
    batch.heatmap_valid = torch::empty({b, k_channels}, torch::kFloat32);
    heatmaps = batch.heatmaps.data_ptr<float>();
    heatmap_valid = batch.heatmap_valid.data_ptr<float>();
  }
  float* location = nullptr;
  float* location_valid = nullptr;
  if (o.content.location) {
    batch.location = torch::empty({b}, torch::kFloat32);
    batch.location_valid = torch::empty({b}, torch::kFloat32);
    location = batch.location.data_ptr<float>();
    location_valid = batch.location_valid.data_ptr<float>();
  }
  std::int64_t* labels = nullptr;
  if (o.content.labels) {
    batch.labels = torch::empty({b, size, size}, torch::kInt64);
    labels = batch.labels.data_ptr<std::int64_t>();
  }
  std::int64_t* classes = nullptr;
  if (o.content.classes) {
    batch.classes = torch::empty({b}, torch::kInt64);
    classes = batch.classes.data_ptr<std::int64_t>();
  }

  for (std::int64_t i = 0; i < b; ++i) {
    const std::int64_t index = samples[static_cast<std::size_t>(i)];
    const Sample& sample = info.samples[static_cast<std::size_t>(index)];
    const Subject& subject = info.subjects[static_cast<std::size_t>(sample.subject)];
    const SubjectPlane& own = subject.planes[static_cast<std::size_t>(sample.plane)];
    const auto slot = static_cast<std::size_t>(i);
    float* image = images + slot * pixels;

    Rng rng = sampleRng(o.seed, epoch, first_position + i);
    PixelAffine map;
    map.centre = (size - 1) / 2.0;
    AugmentDraw draw;
    if (o.augment.enabled) {
      draw = drawAugmentation(o.augment, rng);
      map = inverseMap(draw, size);
    }
    if (map.identity) {
      std::memcpy(image, ds.image(index), pixels * sizeof(float));  // stored pixels, bit-exact
    } else {
      warpBilinear(ds.image(index), size, map, image);
    }
    if (o.augment.enabled) augmentIntensity(image, pixels, o.augment, draw, rng);

    if (heatmaps != nullptr) {
      geometry::ImagePlane target = map.identity ? own.plane : augmentPlane(own.plane, map);
      target.rows = target.cols = size;
      for (int k = 0; k < k_channels; ++k) {
        float* out = heatmaps + (slot * static_cast<std::size_t>(k_channels) + k) * pixels;
        const int other = ctx.heatmap_plane[static_cast<std::size_t>(sample.subject)]
                                           [static_cast<std::size_t>(k)];
        const std::string& view = info.plan.heatmap_views[static_cast<std::size_t>(k)];
        float valid = 0.0f;
        if (other < 0 || view == own.view) {
          std::fill(out, out + pixels, 0.0f);  // view_missing / own view: no target
        } else {
          const std::string flag =
              lineHeatmapInto(target, subject.planes[static_cast<std::size_t>(other)].plane,
                              info.plan.heatmap, out);
          // An all-zero map of a line outside the crop is a legitimate target.
          valid = flag.empty() || flag == "line_misses_crop" ? 1.0f : 0.0f;
        }
        heatmap_valid[slot * static_cast<std::size_t>(k_channels) + k] = valid;
      }
    }
    if (location != nullptr) {
      location[slot] =
          sample.relative_location ? static_cast<float>(*sample.relative_location) : 0.0f;
      location_valid[slot] = sample.relative_location ? 1.0f : 0.0f;
    }
    if (labels != nullptr) {
      std::int64_t* out = labels + slot * pixels;
      const std::uint8_t* in = ds.labels(index);
      if (map.identity) {
        for (std::size_t p = 0; p < pixels; ++p) out[p] = in[p];
      } else {
        warpNearest(in, size, map, out);
      }
    }
    if (classes != nullptr) {
      classes[slot] = ctx.class_of_subject[static_cast<std::size_t>(sample.subject)];
    }
  }
  return batch;
}

}  // namespace

struct Loader::Impl {
  std::shared_ptr<const PreparedDataset> dataset;
  std::vector<std::int64_t> samples;
  LoaderOptions options;
  Context ctx;
  std::int64_t batches_per_epoch = 0;

  std::mutex mutex;
  std::condition_variable changed;
  bool stop = false;
  bool started = false;
  int epoch = 0;
  std::vector<std::int64_t> order;
  std::int64_t next_claim = 0;  // next batch index a worker takes
  std::int64_t delivered = 0;   // batches handed out by next()
  struct Slot {
    std::optional<Batch> batch;
    std::exception_ptr error;
  };
  std::map<std::int64_t, Slot> ready;
  std::vector<std::thread> threads;

  void stopWorkers() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    changed.notify_all();
    for (auto& t : threads) t.join();
    threads.clear();
  }

  void work() {
    const auto prefetch = static_cast<std::int64_t>(std::max(1, options.prefetch));
    const auto batch = static_cast<std::int64_t>(options.batch_size);
    for (;;) {
      std::int64_t index = 0;
      {
        std::unique_lock<std::mutex> lock(mutex);
        // Bounded queue: at most `prefetch` batches claimed ahead of the consumer.
        changed.wait(lock, [&] {
          return stop || next_claim >= batches_per_epoch || next_claim < delivered + prefetch;
        });
        if (stop || next_claim >= batches_per_epoch) return;
        index = next_claim++;
      }
      Slot slot;
      try {
        const std::int64_t first = index * batch;
        const std::int64_t last = std::min<std::int64_t>(first + batch, order.size());
        const std::vector<std::int64_t> part(order.begin() + first, order.begin() + last);
        slot.batch = buildBatch(*dataset, ctx, part, options, epoch, first);
      } catch (...) {
        slot.error = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        ready[index] = std::move(slot);
      }
      changed.notify_all();
    }
  }
};

Loader::Loader(std::shared_ptr<const PreparedDataset> dataset, std::vector<std::int64_t> samples,
               LoaderOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (!dataset) throw std::invalid_argument("Loader: no dataset");
  checkOptions(options);
  checkSamples(*dataset, samples);
  impl_->ctx = makeContext(*dataset);
  impl_->batches_per_epoch = countBatches(epochLength(*dataset, samples, options), options);
  impl_->dataset = std::move(dataset);
  impl_->samples = std::move(samples);
  impl_->options = std::move(options);
}

Loader::~Loader() {
  impl_->stopWorkers();
}

std::int64_t Loader::batchesPerEpoch() const {
  return impl_->batches_per_epoch;
}

void Loader::startEpoch(int epoch) {
  Impl& m = *impl_;
  m.stopWorkers();
  m.order = epochOrder(*m.dataset, m.samples, m.options, epoch);
  m.epoch = epoch;
  m.next_claim = 0;
  m.delivered = 0;
  m.ready.clear();
  m.stop = false;
  m.started = true;
  const int workers = std::max(1, m.options.workers);
  for (int w = 0; w < workers; ++w) m.threads.emplace_back([&m] { m.work(); });
}

std::optional<Batch> Loader::next() {
  Impl& m = *impl_;
  std::unique_lock<std::mutex> lock(m.mutex);
  if (!m.started || m.delivered >= m.batches_per_epoch) return std::nullopt;
  m.changed.wait(lock, [&] { return m.ready.count(m.delivered) != 0; });
  auto node = m.ready.extract(m.delivered);
  ++m.delivered;
  lock.unlock();
  m.changed.notify_all();
  if (node.mapped().error) std::rethrow_exception(node.mapped().error);
  return std::move(node.mapped().batch);
}

Batch loadSamples(const PreparedDataset& dataset, const std::vector<std::int64_t>& samples,
                  const LoaderOptions& options, int epoch, std::int64_t first_position) {
  checkOptions(options);
  checkSamples(dataset, samples);
  return buildBatch(dataset, makeContext(dataset), samples, options, epoch, first_position);
}

}  // namespace planelab::data
