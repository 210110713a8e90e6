#include "ui/catalog/catalog_session.h"

#include <filesystem>

namespace planelab::ui {

CatalogSession::~CatalogSession() = default;

catalog::Status CatalogSession::open(const QString& path) {
  catalog::Status status;
  auto opened_catalog = catalog::Catalog::open(std::filesystem::path(path.toStdString()), status);
  if (!opened_catalog) return status;
  catalog_ = std::move(opened_catalog);
  path_ = path;
  Q_EMIT opened(path_);
  return status;
}

void CatalogSession::close() {
  if (!catalog_) return;
  catalog_.reset();
  path_.clear();
  Q_EMIT closed();
}

void CatalogSession::notifyChanged() {
  Q_EMIT changed();
}

}  // namespace planelab::ui
