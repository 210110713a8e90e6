// The import issues of the open catalog, grouped by key (docs/import-issues.md): one top-level
// item per key (count, what it means, what to do), the files under it (path, message, DCMTK's
// detail, run). Shows the last import run or every file's current issues (or one chosen run),
// filtered by text. The query is an indexed read on the UI thread; its rows are added to the tree
// in chunks from a timer, so a catalog with 100,000 issues does not freeze the window.
#pragma once

#include <QHash>
#include <QTimer>
#include <QWidget>
#include <cstddef>

#include "catalog/catalog.h"
#include "ui/catalog/catalog_session.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace planelab::ui {

class IssuesPanel : public QWidget {
  Q_OBJECT

 public:
  explicit IssuesPanel(CatalogSession* session, QWidget* parent = nullptr);

  // Re-reads the runs and the issues (done on the session's opened and changed).
  void reload();
  // True while rows are still being added to the tree.
  bool loading() const { return chunks_.isActive(); }
  // The short explanation of an issue key (docs/import-issues.md); empty for an unknown key.
  static QString explanation(const QString& key);

 Q_SIGNALS:
  // A file of an issue was double-clicked (or activated with the keyboard): its absolute path.
  void fileActivated(const QString& path);
  // Every row of the current selection and filter is in the tree.
  void loaded();

 private:
  void reloadRuns();
  void query();
  void rebuild();
  void addChunk();
  QTreeWidgetItem* group(const QString& key);
  void clear();

  CatalogSession* session_;
  QComboBox* runs_;
  QLineEdit* filter_;
  QTreeWidget* tree_;
  QLabel* status_;
  QTimer chunks_;
  catalog::Table table_;  // path, key, message, detail, run
  std::size_t next_row_ = 0;
  int shown_ = 0;
  QHash<QString, QTreeWidgetItem*> groups_;
};

}  // namespace planelab::ui
