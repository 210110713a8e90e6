// The catalog the window works on: its path, a connection for the UI thread's reads (listings are
// indexed queries of milliseconds), and a `changed` signal that jobs writing to the catalog (on
// their own connections, on worker threads) emit through the session when they finish.
#pragma once

#include <QObject>
#include <QString>
#include <memory>

#include "catalog/catalog.h"

namespace planelab::ui {

class CatalogSession : public QObject {
  Q_OBJECT

 public:
  explicit CatalogSession(QObject* parent = nullptr) : QObject(parent) {}
  ~CatalogSession() override;

  // Opens (creating it if absent) the catalog file; on failure keeps the previous one and
  // returns the status (its key and message are shown to the user).
  catalog::Status open(const QString& path);
  void close();
  bool isOpen() const { return catalog_ != nullptr; }
  QString path() const { return path_; }
  // The UI thread's connection (null when none is open). Never used from worker threads: a job
  // opens its own connection from path().
  catalog::Catalog* catalog() const { return catalog_.get(); }

  // Tells the views to reload (after an import, a curation or a view-label correction).
  void notifyChanged();

 Q_SIGNALS:
  void opened(const QString& path);
  void closed();
  void changed();

 private:
  QString path_;
  std::unique_ptr<catalog::Catalog> catalog_;
};

}  // namespace planelab::ui
