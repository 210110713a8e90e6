// Patients → studies → series of the open catalog as a lazy tree: a level's rows are queried when
// its parent is expanded (indexed queries; nothing is read for collapsed branches), so the model
// opens at once on a catalog of 100,000 instances. Series rows carry the view label (with its
// source and confidence) and the number of QA findings; the view is editable (a correction the
// main window stores with source `user`).
#pragma once

#include <QAbstractItemModel>
#include <QString>
#include <cstdint>
#include <memory>
#include <vector>

#include "ui/catalog/catalog_session.h"

namespace planelab::ui {

class CatalogTreeModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column { kName, kView, kImages, kFindings, kDetails, kColumnCount };
  enum class Kind { kPatient, kStudy, kSeries };
  // Item data roles beyond Qt's.
  enum Role {
    kKindRole = Qt::UserRole + 1,  // Kind as int
    kKeyRole,                      // PatientID / StudyInstanceUID / SeriesInstanceUID
    kStudyIdRole,                  // catalog id of the study (study and series rows)
    kViewRole,                     // series: the view label ("" when not curated)
  };

  explicit CatalogTreeModel(CatalogSession* session, QObject* parent = nullptr);
  ~CatalogTreeModel() override;

  // Search text: a PatientID (exact) or a part of a study/series description; modality: exact
  // ("" = any). Reloads the top level.
  void setFilter(const QString& search, const QString& modality);
  void reload();

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  bool hasChildren(const QModelIndex& parent = {}) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role) override;

  // The series row of a SeriesInstanceUID among the loaded rows (invalid when not loaded).
  QModelIndex findSeries(const QString& series_instance_uid) const;
  // Loads the branch down to this series (patient and study expanded) and returns its index.
  QModelIndex revealSeries(const QString& patient_id, const QString& study_instance_uid,
                           const QString& series_instance_uid);

 Q_SIGNALS:
  // The user chose a view for a series in the View column ("" = back to the automatic label).
  void viewCorrectionRequested(const QString& series_instance_uid, const QString& view);
  // A query failed: the catalog's key and message.
  void queryFailed(const QString& error_key, const QString& message);

 private:
  struct Node;
  Node* nodeOf(const QModelIndex& index) const;
  void loadChildren(Node* node, const QModelIndex& index);
  std::vector<std::unique_ptr<Node>> queryChildren(Node* node) const;
  void reportFailure() const;

  CatalogSession* session_;
  QString search_;
  QString modality_;
  std::unique_ptr<Node> root_;
};

}  // namespace planelab::ui
