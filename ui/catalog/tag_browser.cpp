#include "ui/catalog/tag_browser.h"

#include <QLabel>
#include <QLineEdit>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>
#include <vector>

#include "dicom/tag_dump.h"

namespace planelab::ui {

TagBrowser::TagBrowser(const QString& file, QWidget* parent)
    : QDialog(parent), filter_(new QLineEdit(this)), tree_(new QTreeWidget(this)) {
  setObjectName(QStringLiteral("tagBrowser"));
  setWindowTitle(tr("DICOM tags — %1").arg(file));
  resize(820, 640);
  filter_->setObjectName(QStringLiteral("tagFilter"));
  filter_->setPlaceholderText(tr("Filter by tag, keyword or value"));
  filter_->setClearButtonEnabled(true);
  tree_->setObjectName(QStringLiteral("tagTree"));
  tree_->setHeaderLabels({tr("Tag"), tr("VR"), tr("Keyword"), tr("Value")});
  tree_->setUniformRowHeights(true);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(filter_);
  layout->addWidget(tree_);

  std::string error_key;
  const std::vector<dicom::TagLine> lines = dicom::dumpTags(file.toStdString(), &error_key);
  if (!error_key.empty()) {
    auto* problem =
        new QLabel(tr("[%1] the file could not be read completely; showing what was read.")
                       .arg(QString::fromStdString(error_key)),
                   this);
    problem->setObjectName(QStringLiteral("tagError"));
    layout->insertWidget(0, problem);
  }
  // Depth gives the nesting: a sequence's items are one level below it, their elements two.
  std::vector<QTreeWidgetItem*> parents;
  for (const dicom::TagLine& line : lines) {
    auto* item = new QTreeWidgetItem(
        {QString::fromStdString(line.tag), QString::fromStdString(line.vr),
         QString::fromStdString(line.name), QString::fromStdString(line.value)});
    const auto depth = static_cast<std::size_t>(std::max(line.depth, 0));
    parents.resize(std::min(parents.size(), depth));
    if (parents.empty()) {
      tree_->addTopLevelItem(item);
    } else {
      parents.back()->addChild(item);
    }
    parents.push_back(item);
  }
  tree_->expandAll();
  tree_->resizeColumnToContents(0);
  tree_->resizeColumnToContents(2);
  connect(filter_, &QLineEdit::textChanged, this, &TagBrowser::applyFilter);
}

void TagBrowser::applyFilter(const QString& text) {
  // An item stays visible when it or one of its descendants matches.
  std::function<bool(QTreeWidgetItem*)> visit = [&](QTreeWidgetItem* item) {
    bool match = text.isEmpty();
    for (int c = 0; c < item->columnCount() && !match; ++c) {
      match = item->text(c).contains(text, Qt::CaseInsensitive);
    }
    bool child_match = false;
    for (int i = 0; i < item->childCount(); ++i) child_match = visit(item->child(i)) || child_match;
    item->setHidden(!(match || child_match));
    return match || child_match;
  };
  for (int i = 0; i < tree_->topLevelItemCount(); ++i) visit(tree_->topLevelItem(i));
}

}  // namespace planelab::ui
