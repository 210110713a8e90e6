// What a training run reports while it runs: per-iteration losses, per-epoch validation metrics,
// learning rate, throughput and ETA. The CLI prints them; the GUI plots them; every event is also
// appended to metrics.jsonl in the run folder.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>

namespace planelab::train {

struct IterationEvent {
  int epoch = 0;  // 0-based
  int epochs = 0;
  std::int64_t step = 0;   // global optimiser step, 1-based
  std::int64_t batch = 0;  // within the epoch, 1-based
  std::int64_t batches = 0;
  std::map<std::string, double> losses;  // per task + "total"
  double lr = 0.0;
  double images_per_s = 0.0;
  double elapsed_s = 0.0;
  double eta_s = 0.0;  // whole run (remaining training + validation estimate)
};

struct EpochEvent {
  int epoch = 0;
  int epochs = 0;
  std::map<std::string, double> train;       // mean losses of the epoch
  std::map<std::string, double> validation;  // losses / metrics on the validation split
  double lr = 0.0;
  double images_per_s = 0.0;
  double elapsed_s = 0.0;
  double eta_s = 0.0;
  bool best = false;  // the selection metric improved: best checkpoint written
};

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void iteration(const IterationEvent&) {}
  virtual void epoch(const EpochEvent&) {}
  // level: info | warning | error
  virtual void message(const std::string& /*level*/, const std::string& /*text*/) {}
};

// Set from any thread; the trainer looks at them between iterations.
struct Control {
  std::atomic<bool> cancel{false};
  std::atomic<bool> pause{false};
};

}  // namespace planelab::train
