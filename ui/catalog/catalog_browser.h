// The catalog browser: search and modality filter over the lazy patients → studies → series tree,
// view labels editable in place (a combo of the known views; "automatic" removes the correction),
// and a context menu with the tag browser.
#pragma once

#include <QStringList>
#include <QWidget>

#include "ui/catalog/catalog_tree_model.h"

class QComboBox;
class QLineEdit;
class QTreeView;

namespace planelab::ui {

class CatalogBrowser : public QWidget {
  Q_OBJECT

 public:
  explicit CatalogBrowser(CatalogSession* session, QWidget* parent = nullptr);

  CatalogTreeModel* model() const { return model_; }
  QTreeView* view() const { return tree_; }
  // Selects (expanding its branch) a series of a study.
  void selectSeries(const QString& patient_id, const QString& study_instance_uid,
                    const QString& series_instance_uid);

 Q_SIGNALS:
  // A study (study_id = catalog id) or one of its series was selected.
  void studySelected(qlonglong study_id);
  void seriesSelected(qlonglong study_id, const QString& series_instance_uid);
  // "Show tags" on a series: the file of its first instance.
  void tagsRequested(const QString& file);

 private:
  void onCurrentChanged(const QModelIndex& current);
  // A reload (after an import, a curation, a correction) keeps the expanded branches and the
  // current row.
  void rememberExpansion();
  void restoreExpansion();
  void showContextMenu(const QPoint& pos);

  CatalogSession* session_;
  CatalogTreeModel* model_;
  QLineEdit* search_;
  QComboBox* modality_;
  QTreeView* tree_;
  bool selecting_ = false;    // selectSeries in progress: do not re-emit
  QStringList expanded_;      // keys of expanded patients and studies before a reload
  QStringList current_path_;  // keys from the patient down to the current row
};

}  // namespace planelab::ui
