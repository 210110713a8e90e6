// Keeps the Qt event loop turning while a GUI test waits for something.
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <functional>

namespace planelab::testing {

// Turns the event loop until done() or timeout; true when done() became true.
inline bool waitUntil(const std::function<bool()>& done, int timeout_ms) {
  QElapsedTimer timer;
  timer.start();
  while (!done()) {
    if (timer.elapsed() > timeout_ms) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(2);
  }
  return true;
}

// The largest gap between the ticks of a 10 ms timer on the UI thread: how long the event loop
// stood still.
class StallMeter : public QObject {
 public:
  StallMeter() {
    timer_.setInterval(10);
    connect(&timer_, &QTimer::timeout, this,
            [this] { worst_ms_ = std::max(worst_ms_, clock_.restart()); });
  }
  void start() {
    worst_ms_ = 0;
    clock_.start();
    timer_.start();
  }
  // Starts the next gap now: what the test did since the last tick is not the UI's stall.
  void skip() { clock_.restart(); }
  qint64 stop() {
    timer_.stop();
    return std::max(worst_ms_, clock_.elapsed());  // the gap since the last tick counts too
  }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 worst_ms_ = 0;
};

}  // namespace planelab::testing
