#include "ui/catalog/catalog_browser.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QStyledItemDelegate>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include "curation/study_curation.h"
#include "ui/catalog/table_values.h"

namespace planelab::ui {
namespace {

// The View column's editor: the known view names, plus "automatic" (empty) to drop a correction.
class ViewDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;
  QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&,
                        const QModelIndex&) const override {
    auto* combo = new QComboBox(parent);
    combo->setObjectName(QStringLiteral("viewEditor"));
    //: View label choice: no correction, the view is detected automatically.
    combo->addItem(CatalogBrowser::tr("automatic"), QString());
    for (const std::string& view : curation::viewNames()) {
      combo->addItem(QString::fromStdString(view), QString::fromStdString(view));
    }
    return combo;
  }
  void setEditorData(QWidget* editor, const QModelIndex& index) const override {
    auto* combo = static_cast<QComboBox*>(editor);
    const int at = combo->findData(index.data(Qt::EditRole).toString());
    combo->setCurrentIndex(at < 0 ? 0 : at);
  }
  void setModelData(QWidget* editor, QAbstractItemModel* model,
                    const QModelIndex& index) const override {
    model->setData(index, static_cast<QComboBox*>(editor)->currentData(), Qt::EditRole);
  }
};

}  // namespace

CatalogBrowser::CatalogBrowser(CatalogSession* session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      model_(new CatalogTreeModel(session, this)),
      search_(new QLineEdit(this)),
      modality_(new QComboBox(this)),
      tree_(new QTreeView(this)) {
  setObjectName(QStringLiteral("catalogBrowser"));
  search_->setObjectName(QStringLiteral("catalogSearch"));
  search_->setPlaceholderText(tr("Search: patient ID or description"));
  search_->setClearButtonEnabled(true);
  modality_->setObjectName(QStringLiteral("modalityFilter"));
  modality_->addItem(tr("All modalities"), QString());
  for (const char* m : {"MR", "SEG", "CT"}) modality_->addItem(QString::fromLatin1(m), m);
  tree_->setObjectName(QStringLiteral("catalogTree"));
  tree_->setModel(model_);
  tree_->setItemDelegateForColumn(CatalogTreeModel::kView, new ViewDelegate(tree_));
  tree_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
  tree_->setUniformRowHeights(true);  // fast layout for long lists
  tree_->setContextMenuPolicy(Qt::CustomContextMenu);
  tree_->header()->setSectionResizeMode(CatalogTreeModel::kName, QHeaderView::Interactive);
  tree_->setColumnWidth(CatalogTreeModel::kName, 260);
  tree_->setColumnWidth(CatalogTreeModel::kView, 170);

  auto* filters = new QHBoxLayout;
  filters->addWidget(search_, 1);
  filters->addWidget(modality_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(filters);
  layout->addWidget(tree_);

  // Typing re-queries after a short pause, not on every key.
  auto* debounce = new QTimer(this);
  debounce->setSingleShot(true);
  debounce->setInterval(250);
  connect(search_, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
  const auto apply = [this] {
    model_->setFilter(search_->text(), modality_->currentData().toString());
  };
  connect(debounce, &QTimer::timeout, this, apply);
  connect(modality_, &QComboBox::currentIndexChanged, this, apply);
  connect(tree_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          [this](const QModelIndex& current) { onCurrentChanged(current); });
  connect(tree_, &QTreeView::customContextMenuRequested, this, &CatalogBrowser::showContextMenu);
  connect(model_, &QAbstractItemModel::modelAboutToBeReset, this,
          &CatalogBrowser::rememberExpansion);
  // The model fills its top level right after the reset: restore once that is done.
  connect(model_, &QAbstractItemModel::modelReset, this,
          [this] { QTimer::singleShot(0, this, &CatalogBrowser::restoreExpansion); });
}

void CatalogBrowser::rememberExpansion() {
  expanded_.clear();
  current_path_.clear();
  for (int p = 0; p < model_->rowCount(); ++p) {
    const QModelIndex patient = model_->index(p, 0);
    if (!tree_->isExpanded(patient)) continue;
    expanded_ << patient.data(CatalogTreeModel::kKeyRole).toString();
    for (int s = 0; s < model_->rowCount(patient); ++s) {
      const QModelIndex study = model_->index(s, 0, patient);
      if (tree_->isExpanded(study)) expanded_ << study.data(CatalogTreeModel::kKeyRole).toString();
    }
  }
  for (QModelIndex i = tree_->currentIndex().siblingAtColumn(0); i.isValid(); i = i.parent()) {
    current_path_.prepend(i.data(CatalogTreeModel::kKeyRole).toString());
  }
}

void CatalogBrowser::restoreExpansion() {
  selecting_ = true;  // restoring is not a new selection
  QModelIndex parent;
  for (const QString& key : current_path_) {
    QModelIndex found;
    for (int r = 0; r < model_->rowCount(parent) && !found.isValid(); ++r) {
      if (model_->index(r, 0, parent).data(CatalogTreeModel::kKeyRole).toString() == key) {
        found = model_->index(r, 0, parent);
      }
    }
    if (!found.isValid()) break;
    if (model_->canFetchMore(found)) model_->fetchMore(found);
    parent = found;
  }
  for (int p = 0; p < model_->rowCount(); ++p) {
    const QModelIndex patient = model_->index(p, 0);
    if (!expanded_.contains(patient.data(CatalogTreeModel::kKeyRole).toString())) continue;
    tree_->expand(patient);
    if (model_->canFetchMore(patient)) model_->fetchMore(patient);
    for (int s = 0; s < model_->rowCount(patient); ++s) {
      const QModelIndex study = model_->index(s, 0, patient);
      if (expanded_.contains(study.data(CatalogTreeModel::kKeyRole).toString()))
        tree_->expand(study);
    }
  }
  if (parent.isValid()) {
    tree_->setCurrentIndex(parent);
    tree_->scrollTo(parent);
  }
  selecting_ = false;
}

void CatalogBrowser::onCurrentChanged(const QModelIndex& current) {
  if (selecting_ || !current.isValid()) return;
  const auto kind =
      static_cast<CatalogTreeModel::Kind>(current.data(CatalogTreeModel::kKindRole).toInt());
  const qlonglong study = current.data(CatalogTreeModel::kStudyIdRole).toLongLong();
  if (kind == CatalogTreeModel::Kind::kStudy) Q_EMIT studySelected(study);
  if (kind == CatalogTreeModel::Kind::kSeries) {
    Q_EMIT seriesSelected(study, current.data(CatalogTreeModel::kKeyRole).toString());
  }
}

void CatalogBrowser::selectSeries(const QString& patient_id, const QString& study_instance_uid,
                                  const QString& series_instance_uid) {
  const QModelIndex index =
      model_->revealSeries(patient_id, study_instance_uid, series_instance_uid);
  if (!index.isValid()) return;
  selecting_ = true;
  tree_->expand(index.parent().parent());
  tree_->expand(index.parent());
  tree_->setCurrentIndex(index);
  tree_->scrollTo(index);
  selecting_ = false;
}

void CatalogBrowser::showContextMenu(const QPoint& pos) {
  const QModelIndex index = tree_->indexAt(pos);
  if (!index.isValid() || session_->catalog() == nullptr) return;
  const auto kind =
      static_cast<CatalogTreeModel::Kind>(index.data(CatalogTreeModel::kKindRole).toInt());
  if (kind != CatalogTreeModel::Kind::kSeries) return;
  QMenu menu(this);
  QAction* tags = menu.addAction(tr("Show DICOM tags…"));
  QAction* edit = menu.addAction(tr("Correct view label…"));
  QAction* chosen = menu.exec(tree_->viewport()->mapToGlobal(pos));
  if (chosen == edit) tree_->edit(index.siblingAtColumn(CatalogTreeModel::kView));
  if (chosen != tags) return;
  catalog::Filters filters;
  filters.series_instance_uid = index.data(CatalogTreeModel::kKeyRole).toString().toStdString();
  filters.limit = 1;
  const catalog::Table first = session_->catalog()->list(catalog::Level::kInstances, filters);
  if (!first.rows.empty()) Q_EMIT tagsRequested(cellText(first, 0, "path"));
}

}  // namespace planelab::ui
