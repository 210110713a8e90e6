// Strict reading of JSON config objects: every field optional (defaults stay), types checked
// (an integer field rejects 1.5, a number field rejects "1"), unknown fields rejected so a typo
// does not silently fall back to a default. Errors: std::invalid_argument "[invalid_config]
// <path>.<field>: <why>".
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

namespace planelab::train {

class JsonReader {
 public:
  JsonReader(const nlohmann::json& json, std::string path) : json_(json), path_(std::move(path)) {
    if (!json_.is_object()) fail(path_, "expected an object");
  }

  template <class T>
  void get(const char* key, T& out) {
    const auto* value = find(key);
    if (!value) return;
    const std::string where = path_ + "." + key;
    if constexpr (std::is_same_v<T, bool>) {
      if (!value->is_boolean()) fail(where, "expected true or false");
      out = value->get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
      if (!value->is_number_integer()) fail(where, "expected an integer");
      if constexpr (std::is_unsigned_v<T>) {
        if (value->get<std::int64_t>() < 0) fail(where, "expected a non-negative integer");
      }
      out = value->get<T>();
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!value->is_number()) fail(where, "expected a number");
      out = value->get<T>();
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!value->is_string()) fail(where, "expected a string");
      out = value->get<std::string>();
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      if (!value->is_array()) fail(where, "expected an array of strings");
      out.clear();
      for (const auto& item : *value) {
        if (!item.is_string()) fail(where, "expected an array of strings");
        out.push_back(item.get<std::string>());
      }
    } else if constexpr (std::is_same_v<T, std::vector<int>>) {
      if (!value->is_array()) fail(where, "expected an array of integers");
      out.clear();
      for (const auto& item : *value) {
        if (!item.is_number_integer()) fail(where, "expected an array of integers");
        out.push_back(item.get<int>());
      }
    } else {
      static_assert(std::is_same_v<T, nlohmann::json>, "unsupported field type");
      out = *value;
    }
  }

  // A nested object (marked as read), or null when absent.
  const nlohmann::json* child(const char* key) { return find(key); }

  // Throws on fields that were never asked for.
  void finish() const {
    for (const auto& item : json_.items())
      if (!used_.count(item.key())) fail(path_ + "." + item.key(), "unknown field");
  }

  [[noreturn]] static void fail(const std::string& where, const std::string& why) {
    throw std::invalid_argument("[invalid_config] " + where + ": " + why);
  }

 private:
  const nlohmann::json* find(const char* key) {
    used_.insert(key);
    const auto it = json_.find(key);
    return it == json_.end() || it->is_null() ? nullptr : &*it;
  }

  const nlohmann::json& json_;
  std::string path_;
  std::set<std::string> used_;
};

// The JSON of a config file: std::invalid_argument "[cannot_read_config] ..." when it cannot be
// opened, "[invalid_config] <file>: <parser message>" when it is not JSON.
inline nlohmann::json readJsonConfigFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::invalid_argument("[cannot_read_config] cannot open " + file.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument("[invalid_config] " + file.string() + ": " + e.what());
  }
}

}  // namespace planelab::train
