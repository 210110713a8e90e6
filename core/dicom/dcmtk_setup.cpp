#include "dicom/dcmtk_setup.h"

#include <mutex>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/oflog/appender.h>
#include <dcmtk/oflog/oflog.h>
#include <dcmtk/oflog/spi/logevent.h>

namespace planelab::dicom::detail {

namespace {

constexpr std::size_t kMaxCaptureBytes = 4096;

thread_local std::string* t_capture = nullptr;

// Appends "W: message" lines to the capture of the logging thread.
class CaptureAppender : public dcmtk::log4cplus::Appender {
 public:
  ~CaptureAppender() override { destructorImpl(); }
  void close() override {}

 protected:
  void append(const dcmtk::log4cplus::spi::InternalLoggingEvent& event) override {
    std::string* out = t_capture;
    if (out == nullptr || out->size() >= kMaxCaptureBytes) return;
    const dcmtk::log4cplus::LogLevel level = event.getLogLevel();
    out->append(level >= dcmtk::log4cplus::ERROR_LOG_LEVEL  ? "E: "
                : level >= dcmtk::log4cplus::WARN_LOG_LEVEL ? "W: "
                                                            : "I: ");
    out->append(event.getMessage().c_str());
    out->push_back('\n');
  }
};

}  // namespace

void initializeDcmtk() {
  static std::once_flag once;
  std::call_once(once, [] {
    // OFLog installs its console appender on first use; replace it.
    OFLog::getLogger("dcmtk.dcmdata");
    dcmtk::log4cplus::Logger root = dcmtk::log4cplus::Logger::getRoot();
    root.removeAllAppenders();
    root.addAppender(dcmtk::log4cplus::SharedAppenderPtr(new CaptureAppender));
    root.setLogLevel(dcmtk::log4cplus::WARN_LOG_LEVEL);
    // The dictionary loads lazily under a lock; load it before worker threads start.
    dcmDataDict.rdlock();
    dcmDataDict.rdunlock();
  });
}

LogCapture::LogCapture() : previous_(t_capture) {
  t_capture = &text_;
}

LogCapture::~LogCapture() {
  t_capture = previous_;
}

}  // namespace planelab::dicom::detail
