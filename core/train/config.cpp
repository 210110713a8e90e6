#include "train/config.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "train/config_json.h"

namespace planelab::train {

nlohmann::json augmentToJson(const data::AugmentOptions& a) {
  return {{"enabled", a.enabled},
          {"rotation_deg", a.rotation_deg},
          {"scale_min", a.scale_min},
          {"scale_max", a.scale_max},
          {"flip_cols", a.flip_cols},
          {"flip_rows", a.flip_rows},
          {"intensity_scale", a.intensity_scale},
          {"intensity_shift", a.intensity_shift},
          {"gamma", a.gamma},
          {"noise_sd", a.noise_sd}};
}

data::AugmentOptions augmentFromJson(const nlohmann::json& json, data::AugmentOptions a) {
  JsonReader r(json, "augment");
  r.get("enabled", a.enabled);
  r.get("rotation_deg", a.rotation_deg);
  r.get("scale_min", a.scale_min);
  r.get("scale_max", a.scale_max);
  r.get("flip_cols", a.flip_cols);
  r.get("flip_rows", a.flip_rows);
  r.get("intensity_scale", a.intensity_scale);
  r.get("intensity_shift", a.intensity_shift);
  r.get("gamma", a.gamma);
  r.get("noise_sd", a.noise_sd);
  r.finish();
  if (a.rotation_deg < 0 || !(a.scale_min > 0) || a.scale_max < a.scale_min ||
      a.intensity_scale < 0 || a.intensity_shift < 0 || a.gamma < 0 || a.noise_sd < 0)
    JsonReader::fail("augment",
                     "rotation, intensity, gamma and noise must be >= 0 and "
                     "0 < scale_min <= scale_max");
  return a;
}

nlohmann::json TrainConfig::toJson() const {
  return {{"task", task},
          {"dataset", dataset},
          {"out", out},
          {"seed", seed},
          {"threads", threads},
          {"device", device},
          {"network", network.toJson()},
          {"pretext",
           {{"variant", pretext.variant},
            {"heatmap_weight", pretext.heatmap_weight},
            {"location_weight", pretext.location_weight},
            {"permute_targets", pretext.permute_targets}}},
          {"finetune",
           {{"init", finetune.init},
            {"checkpoint", finetune.checkpoint},
            {"transfer", finetune.transfer},
            {"labelled_subjects", finetune.labelled_subjects},
            {"budget_seed", finetune.budget_seed},
            {"allow_plan_mismatch", finetune.allow_plan_mismatch}}},
          {"split",
           {{"file", split.file},
            {"val_fraction", split.val_fraction},
            {"test_fraction", split.test_fraction},
            {"seed", split.seed}}},
          {"optimizer", optimizer.toJson()},
          {"schedule", schedule.toJson()},
          {"epochs", epochs},
          {"batch_size", batch_size},
          {"sampling", sampling},
          {"epoch_repeats", epoch_repeats},
          {"augment", augmentToJson(augment)},
          {"workers", workers},
          {"validate_every", validate_every},
          {"max_val_samples", max_val_samples}};
}

TrainConfig defaultConfig(const std::string& task) {
  TrainConfig c;
  c.task = task;
  if (task == "pretrain") {
    // ML-RECIPE §4.4: Adam 1e-3, x0.3 every 100 epochs (without the epoch-0 decay), batch 20,
    // one random slice and phase per subject per epoch, no augmentation.
    c.schedule.kind = "step";
    c.schedule.step_epochs = 100;
    c.schedule.gamma = 0.3;
    c.batch_size = 20;
    c.sampling = "one_per_subject";
  } else if (task == "segmentation" || task == "classification") {
    // ML-RECIPE §4.5: Adam 1e-3, x0.5 every 50 epochs, batch 10, rotation +-15 degrees (here
    // bilinear for the image, nearest for labels; the official code used nearest for both).
    c.schedule.kind = "step";
    c.schedule.step_epochs = 50;
    c.schedule.gamma = 0.5;
    c.batch_size = 10;
    c.sampling = "all";
    c.augment.enabled = true;
    c.augment.rotation_deg = 15.0;
    c.augment.scale_min = 1.0;
    c.augment.scale_max = 1.0;
    c.augment.intensity_scale = 0.0;
    c.augment.intensity_shift = 0.0;
  } else {
    JsonReader::fail("task", "expected pretrain, segmentation or classification, got " + task);
  }
  return c;
}

TrainConfig configFromJson(const nlohmann::json& json) {
  std::string task = "pretrain";
  if (json.is_object() && json.contains("task")) {
    if (!json["task"].is_string()) JsonReader::fail("task", "expected a string");
    task = json["task"].get<std::string>();
  }
  TrainConfig c = defaultConfig(task);
  JsonReader r(json, "config");
  r.get("task", c.task);
  r.get("dataset", c.dataset);
  r.get("out", c.out);
  r.get("seed", c.seed);
  r.get("threads", c.threads);
  r.get("device", c.device);
  if (const auto* n = r.child("network")) {
    // A preset name first, then field overrides.
    nlohmann::json merged = n->contains("preset") && (*n)["preset"].is_string()
                                ? nn::preset((*n)["preset"].get<std::string>()).toJson()
                                : c.network.toJson();
    for (const auto& item : n->items()) merged[item.key()] = item.value();
    try {
      // The config names the trunk; the task sets the heads (trainer.cpp), so head fields here
      // are placeholders: parse with one head, then clear them all.
      for (const char* head : {"heatmap_channels", "segmentation_classes", "classification_classes",
                               "restoration_channels"})
        merged[head] = 0;
      merged["location"] = true;
      c.network = nn::NetworkConfig::fromJson(merged);
      c.network.location = false;
    } catch (const std::invalid_argument& e) {
      JsonReader::fail("network", e.what());
    }
  }
  if (const auto* p = r.child("pretext")) {
    JsonReader pr(*p, "pretext");
    pr.get("variant", c.pretext.variant);
    pr.get("heatmap_weight", c.pretext.heatmap_weight);
    pr.get("location_weight", c.pretext.location_weight);
    pr.get("permute_targets", c.pretext.permute_targets);
    pr.finish();
  }
  if (const auto* f = r.child("finetune")) {
    JsonReader fr(*f, "finetune");
    fr.get("init", c.finetune.init);
    fr.get("checkpoint", c.finetune.checkpoint);
    fr.get("transfer", c.finetune.transfer);
    fr.get("labelled_subjects", c.finetune.labelled_subjects);
    fr.get("budget_seed", c.finetune.budget_seed);
    fr.get("allow_plan_mismatch", c.finetune.allow_plan_mismatch);
    fr.finish();
  }
  if (const auto* s = r.child("split")) {
    JsonReader sr(*s, "split");
    sr.get("file", c.split.file);
    sr.get("val_fraction", c.split.val_fraction);
    sr.get("test_fraction", c.split.test_fraction);
    sr.get("seed", c.split.seed);
    sr.finish();
  }
  if (const auto* o = r.child("optimizer")) c.optimizer = OptimiserConfig::fromJson(*o);
  if (const auto* s = r.child("schedule")) {
    nlohmann::json merged = c.schedule.toJson();
    for (const auto& item : s->items()) merged[item.key()] = item.value();
    c.schedule = ScheduleConfig::fromJson(merged);
  }
  r.get("epochs", c.epochs);
  r.get("batch_size", c.batch_size);
  r.get("sampling", c.sampling);
  r.get("epoch_repeats", c.epoch_repeats);
  if (const auto* a = r.child("augment")) c.augment = augmentFromJson(*a, c.augment);
  r.get("workers", c.workers);
  r.get("validate_every", c.validate_every);
  r.get("max_val_samples", c.max_val_samples);
  r.finish();

  const auto& v = c.pretext.variant;
  if (v != "multitask" && v != "orientation" && v != "location" && v != "genesis")
    JsonReader::fail("pretext.variant", "expected multitask, orientation, location or genesis");
  if (c.pretext.heatmap_weight < 0 || c.pretext.location_weight < 0)
    JsonReader::fail("pretext", "weights must be >= 0");
  if (c.finetune.transfer != "encoder" && c.finetune.transfer != "encoder_decoder")
    JsonReader::fail("finetune.transfer", "expected encoder or encoder_decoder");
  if (c.finetune.checkpoint != "best" && c.finetune.checkpoint != "last")
    JsonReader::fail("finetune.checkpoint", "expected best or last");
  if (c.finetune.labelled_subjects < 0)
    JsonReader::fail("finetune.labelled_subjects", "must be >= 0");
  if (c.split.val_fraction < 0 || c.split.test_fraction < 0 ||
      c.split.val_fraction + c.split.test_fraction >= 1.0)
    JsonReader::fail("split", "fractions must be >= 0 and leave a training part");
  if (c.device != "auto" && c.device != "cpu" && c.device != "cuda")
    JsonReader::fail("device", "expected auto, cpu or cuda");
  if (c.sampling != "one_per_subject" && c.sampling != "all")
    JsonReader::fail("sampling", "expected one_per_subject or all");
  if (c.epochs < 1 || c.batch_size < 1 || c.epoch_repeats < 1 || c.workers < 0 ||
      c.validate_every < 1 || c.threads < 0 || c.max_val_samples < 1)
    JsonReader::fail("config",
                     "epochs, batch_size, epoch_repeats, validate_every and "
                     "max_val_samples must be >= 1; workers and threads >= 0");
  return c;
}

}  // namespace planelab::train
