#include "ui/catalog/catalog_tree_model.h"

#include <QHash>

#include "ui/catalog/table_values.h"

namespace planelab::ui {

struct CatalogTreeModel::Node {
  Kind kind = Kind::kPatient;
  Node* parent = nullptr;
  int row = 0;
  bool fetched = false;
  QString key;  // PatientID / StudyInstanceUID / SeriesInstanceUID
  QString patient_id;
  std::int64_t study_id = 0;
  QString name, view, view_detail, details;
  qlonglong images = 0;
  qlonglong findings = -1;     // -1: not curated
  bool patient_match = false;  // the search named this patient: its branch is not filtered
  std::vector<std::unique_ptr<Node>> children;
};

CatalogTreeModel::CatalogTreeModel(CatalogSession* session, QObject* parent)
    : QAbstractItemModel(parent), session_(session), root_(std::make_unique<Node>()) {
  connect(session_, &CatalogSession::opened, this, &CatalogTreeModel::reload);
  connect(session_, &CatalogSession::closed, this, &CatalogTreeModel::reload);
  connect(session_, &CatalogSession::changed, this, &CatalogTreeModel::reload);
  reload();
}

CatalogTreeModel::~CatalogTreeModel() = default;

void CatalogTreeModel::setFilter(const QString& search, const QString& modality) {
  search_ = search.trimmed();
  modality_ = modality;
  reload();
}

void CatalogTreeModel::reload() {
  beginResetModel();
  root_ = std::make_unique<Node>();
  endResetModel();
  loadChildren(root_.get(), {});
}

CatalogTreeModel::Node* CatalogTreeModel::nodeOf(const QModelIndex& index) const {
  return index.isValid() ? static_cast<Node*>(index.internalPointer()) : root_.get();
}

QModelIndex CatalogTreeModel::index(int row, int column, const QModelIndex& parent) const {
  const Node* node = nodeOf(parent);
  if (row < 0 || column < 0 || column >= kColumnCount ||
      static_cast<std::size_t>(row) >= node->children.size()) {
    return {};
  }
  return createIndex(row, column, node->children[static_cast<std::size_t>(row)].get());
}

QModelIndex CatalogTreeModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  const Node* node = nodeOf(child);
  if (node->parent == nullptr || node->parent == root_.get()) return {};
  return createIndex(node->parent->row, 0, node->parent);
}

int CatalogTreeModel::rowCount(const QModelIndex& parent) const {
  if (parent.column() > 0) return 0;
  return static_cast<int>(nodeOf(parent)->children.size());
}

int CatalogTreeModel::columnCount(const QModelIndex&) const {
  return kColumnCount;
}

bool CatalogTreeModel::hasChildren(const QModelIndex& parent) const {
  const Node* node = nodeOf(parent);
  if (node == root_.get()) return !node->children.empty();
  if (node->kind == Kind::kSeries) return false;
  return !node->fetched || !node->children.empty();
}

bool CatalogTreeModel::canFetchMore(const QModelIndex& parent) const {
  const Node* node = nodeOf(parent);
  return node != root_.get() && node->kind != Kind::kSeries && !node->fetched;
}

void CatalogTreeModel::fetchMore(const QModelIndex& parent) {
  loadChildren(nodeOf(parent), parent);
}

void CatalogTreeModel::loadChildren(Node* node, const QModelIndex& index) {
  if (node->fetched) return;
  node->fetched = true;
  std::vector<std::unique_ptr<Node>> children = queryChildren(node);
  if (children.empty()) return;
  beginInsertRows(index, 0, static_cast<int>(children.size()) - 1);
  for (std::size_t i = 0; i < children.size(); ++i) {
    children[i]->parent = node;
    children[i]->row = static_cast<int>(i);
  }
  node->children = std::move(children);
  endInsertRows();
}

void CatalogTreeModel::reportFailure() const {
  const catalog::Status& status = session_->catalog()->lastStatus();
  if (!status.ok()) {
    Q_EMIT const_cast<CatalogTreeModel*>(this)->queryFailed(
        QString::fromStdString(status.error_key), QString::fromStdString(status.message));
  }
}

std::vector<std::unique_ptr<CatalogTreeModel::Node>> CatalogTreeModel::queryChildren(
    Node* node) const {
  std::vector<std::unique_ptr<Node>> out;
  catalog::Catalog* cat = session_->catalog();
  if (cat == nullptr) return out;
  catalog::Filters filters;
  filters.modality = modality_.toStdString();
  // A search that names a patient shows that patient unfiltered; otherwise it matches study and
  // series descriptions at every level.
  const bool patient_match = node != root_.get() && [&] {
    const Node* n = node;
    while (n->kind != Kind::kPatient) n = n->parent;
    return n->patient_match;
  }();
  if (!patient_match) filters.description = search_.toStdString();

  if (node == root_.get()) {
    catalog::Table patients;
    if (!search_.isEmpty()) {
      catalog::Filters by_id = filters;
      by_id.description.clear();
      by_id.patient_id = search_.toStdString();
      patients = cat->list(catalog::Level::kPatients, by_id);
    }
    const bool named = !patients.rows.empty();
    if (!named) patients = cat->list(catalog::Level::kPatients, filters);
    reportFailure();
    for (std::size_t r = 0; r < patients.rows.size(); ++r) {
      auto child = std::make_unique<Node>();
      child->kind = Kind::kPatient;
      child->key = child->patient_id = cellText(patients, r, "patient_id");
      const QString name = cellText(patients, r, "name");
      child->name = name.isEmpty() ? child->key : child->key + QStringLiteral(" — ") + name;
      child->images = cellValue(patients, r, "instances").toLongLong();
      child->details = tr("%n study(ies)", nullptr, cellValue(patients, r, "studies").toInt());
      child->patient_match = named;
      out.push_back(std::move(child));
    }
    return out;
  }

  if (node->kind == Kind::kPatient) {
    filters.patient_id = node->patient_id.toStdString();
    const catalog::Table studies = cat->list(catalog::Level::kStudies, filters);
    reportFailure();
    for (std::size_t r = 0; r < studies.rows.size(); ++r) {
      auto child = std::make_unique<Node>();
      child->kind = Kind::kStudy;
      child->patient_id = node->patient_id;
      child->key = cellText(studies, r, "study_instance_uid");
      const std::vector<catalog::StudyRef> refs = cat->studies(child->key.toStdString());
      if (!refs.empty()) child->study_id = refs.front().id;
      const QString date = cellText(studies, r, "study_date");
      const QString description = cellText(studies, r, "description");
      child->name = (date.isEmpty() ? QString() : date + QLatin1Char(' ')) +
                    (description.isEmpty() ? tr("(no description)") : description);
      child->images = cellValue(studies, r, "instances").toLongLong();
      child->details = tr("%n series", nullptr, cellValue(studies, r, "series").toInt());
      out.push_back(std::move(child));
    }
    return out;
  }

  // Study: its series with view labels and findings.
  filters.patient_id = node->patient_id.toStdString();
  filters.study_instance_uid = node->key.toStdString();
  const catalog::Table series = cat->list(catalog::Level::kSeries, filters);
  catalog::Filters study_only;
  study_only.study_instance_uid = filters.study_instance_uid;
  const catalog::Table views = cat->viewLabels(study_only);
  const catalog::Table findings = cat->findings(filters.study_instance_uid);
  reportFailure();
  QHash<QString, std::size_t> view_row;
  for (std::size_t r = 0; r < views.rows.size(); ++r) {
    view_row.insert(cellText(views, r, "series_instance_uid"), r);
  }
  QHash<QString, qlonglong> finding_count;
  for (std::size_t r = 0; r < findings.rows.size(); ++r) {
    ++finding_count[cellText(findings, r, "series_instance_uid")];
  }
  const bool curated = !views.rows.empty();
  for (std::size_t r = 0; r < series.rows.size(); ++r) {
    auto child = std::make_unique<Node>();
    child->kind = Kind::kSeries;
    child->patient_id = node->patient_id;
    child->study_id = node->study_id;
    child->key = cellText(series, r, "series_instance_uid");
    const QVariant number = cellValue(series, r, "series_number");
    const QString description = cellText(series, r, "description");
    child->name = (number.isValid() ? QStringLiteral("#%1 ").arg(number.toInt()) : QString()) +
                  (description.isEmpty() ? tr("(no description)") : description);
    child->images = cellValue(series, r, "instances").toLongLong();
    if (const auto it = view_row.constFind(child->key); it != view_row.constEnd()) {
      child->view = cellText(views, *it, "view");
      child->view_detail = tr("%1, %2 %")
                               .arg(cellText(views, *it, "source"))
                               .arg(qRound(100.0 * cellValue(views, *it, "confidence").toDouble()));
    }
    child->findings = curated ? finding_count.value(child->key, 0) : -1;
    const QVariant rows = cellValue(series, r, "rows");
    const QVariant cols = cellValue(series, r, "cols");
    child->details = cellText(series, r, "modality");
    if (rows.isValid() && cols.isValid()) {
      child->details += QStringLiteral(" %1×%2").arg(cols.toInt()).arg(rows.toInt());
    }
    if (cellValue(series, r, "label_sets").toInt() > 0) child->details += tr(" · labels (SEG)");
    if (cellValue(series, r, "labelled_by").toInt() > 0) child->details += tr(" · labelled");
    out.push_back(std::move(child));
  }
  return out;
}

QVariant CatalogTreeModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const Node* node = nodeOf(index);
  switch (role) {
    case kKindRole:
      return static_cast<int>(node->kind);
    case kKeyRole:
      return node->key;
    case kStudyIdRole:
      return QVariant::fromValue<qlonglong>(node->study_id);
    case kViewRole:
      return node->view;
    default:
      break;
  }
  if (role == Qt::EditRole && index.column() == kView) return node->view;
  if (role == Qt::ToolTipRole) {
    if (index.column() == kView && !node->view.isEmpty()) {
      return tr("View %1 (%2). Double-click to correct it.").arg(node->view, node->view_detail);
    }
    return node->key;
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case kName:
      return node->name;
    case kView:
      if (node->kind != Kind::kSeries) return {};
      if (node->view.isEmpty()) return tr("(not curated)");
      return QStringLiteral("%1 (%2)").arg(node->view, node->view_detail);
    case kImages:
      return node->images;
    case kFindings:
      return node->findings < 0 ? QVariant() : QVariant(node->findings);
    case kDetails:
      return node->details;
    default:
      return {};
  }
}

QVariant CatalogTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kName:
      return tr("Patient / study / series");
    case kView:
      return tr("View (source, confidence)");
    case kImages:
      return tr("Images");
    case kFindings:
      return tr("QA findings");
    case kDetails:
      return tr("Details");
    default:
      return {};
  }
}

Qt::ItemFlags CatalogTreeModel::flags(const QModelIndex& index) const {
  Qt::ItemFlags f = QAbstractItemModel::flags(index);
  if (index.isValid() && index.column() == kView && nodeOf(index)->kind == Kind::kSeries) {
    f |= Qt::ItemIsEditable;
  }
  return f;
}

bool CatalogTreeModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (role != Qt::EditRole || index.column() != kView) return false;
  Node* node = nodeOf(index);
  if (node->kind != Kind::kSeries) return false;
  const QString view = value.toString();
  if (view == node->view) return false;
  // The catalog is written by a job (the main window's); the row shows the new label at once and
  // is reloaded with the stored one when the job reports the change.
  node->view = view;
  node->view_detail = tr("user, pending");
  Q_EMIT dataChanged(index, index);
  Q_EMIT viewCorrectionRequested(node->key, view);
  return true;
}

QModelIndex CatalogTreeModel::findSeries(const QString& series_instance_uid) const {
  for (const auto& patient : root_->children) {
    for (const auto& study : patient->children) {
      for (const auto& series : study->children) {
        if (series->key == series_instance_uid) {
          return createIndex(series->row, 0, series.get());
        }
      }
    }
  }
  return {};
}

QModelIndex CatalogTreeModel::revealSeries(const QString& patient_id,
                                           const QString& study_instance_uid,
                                           const QString& series_instance_uid) {
  for (const auto& patient : root_->children) {
    if (patient->patient_id != patient_id) continue;
    const QModelIndex patient_index = createIndex(patient->row, 0, patient.get());
    loadChildren(patient.get(), patient_index);
    for (const auto& study : patient->children) {
      if (study->key != study_instance_uid) continue;
      loadChildren(study.get(), createIndex(study->row, 0, study.get()));
      return findSeries(series_instance_uid);
    }
  }
  return {};
}

}  // namespace planelab::ui
