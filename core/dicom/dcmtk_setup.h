// Internal to planelab::dicom: the process-wide DCMTK state that reading needs, set up once.
#pragma once

#include <string>

namespace planelab::dicom::detail {

// Loads DCMTK's data dictionary and routes DCMTK's log output (oflog) to LogCapture instead of
// the terminal. Idempotent and thread-safe (std::call_once); every reading entry point calls it.
void initializeDcmtk();

// While alive, DCMTK warnings and errors logged on this thread are collected here (at most a few
// KiB) instead of being printed; messages logged on a thread without a capture are dropped.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::string* previous_;
};

}  // namespace planelab::dicom::detail
