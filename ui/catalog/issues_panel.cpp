#include "ui/catalog/issues_panel.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace planelab::ui {
namespace {

enum Column { kKeyOrFile, kCount, kMessage, kDetail, kRun, kColumns };
enum TableColumn { kPath, kKey, kIssueMessage, kIssueDetail, kIssueRun };
enum RunColumn { kRunId = 0, kRunStarted = 1, kRunState = 3 };

// Rows added per timer tick: a few milliseconds of tree insertion, so the event loop keeps
// turning while a large issue list fills in.
constexpr std::size_t kRowsPerTick = 500;
// Combo data of "All runs": every file's current issues.
constexpr qlonglong kAllRuns = 0;

// docs/import-issues.md, per-file keys: what the key means and what the user should do.
struct KeyHelp {
  const char* key;
  const char* meaning;
  const char* action;
};
constexpr KeyHelp kKeyHelp[] = {
    {"input_not_found",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel", "A path given to import does not exist."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel", "Check the path; mount the drive or CD.")},
    {"unreadable",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "A folder cannot be listed or a file cannot be opened or read."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "Fix the permissions or copy the data to a healthy disk; re-import.")},
    {"missing_file",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "A file referenced by a DICOMDIR or a link is not there, or vanished "
                       "before it was read."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel", "Copy the missing files; re-import.")},
    {"path_outside_dicomdir",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "A DICOMDIR entry points outside the DICOMDIR's folder; it was not read."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "Import the folder that holds the files instead of the DICOMDIR.")},
    {"not_dicom",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "Not a DICOM file (text, random bytes, an empty file, PDF, …)."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "Nothing if it is not meant to be DICOM; otherwise get it again.")},
    {"truncated",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "The file ends too early. Cut in (or just before) the pixel data: indexed, "
                       "but its pixels are incomplete; cut earlier: not indexed."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel", "Copy the file again from the source.")},
    {"corrupt",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "Says it is DICOM but its data set cannot be parsed (see the detail)."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "Get the file again; if the scanner or PACS made it so, report it.")},
    {"unsupported_transfer_syntax",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "Unknown transfer syntax: indexed only if it reads as Explicit VR Little "
                       "Endian, and its pixels cannot be decoded."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "Convert to a standard syntax (e.g. dcmconv +te) and re-import.")},
    {"unsupported_character_set",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "Text could not be converted to UTF-8 as declared; stored as Latin-1. "
                       "Indexed."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel", "Usually nothing; names may look wrong.")},
    {"missing_sop_instance_uid",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "An image or SEG without SOPInstanceUID: it cannot be indexed."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel", "Report it to whoever produced the file.")},
    {"missing_uid",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "An image or SEG without StudyInstanceUID or SeriesInstanceUID: it "
                       "cannot be indexed."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel", "Report it to whoever produced the file.")},
    {"missing_geometry",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "An image without position, orientation or pixel spacing: indexed, but "
                       "curation cannot place it in space."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "Nothing for screenshots; for MR series check the export settings.")},
    {"invalid_geometry",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "Geometry present but unusable: indexed with the invalid fields empty, "
                       "left out of stacks and intersections."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "Nothing for screenshots; for MR series check the export settings.")},
    {"no_image",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "A DICOM object that is not an image (SR, RT, presentation state, PDF, …); "
                       "recorded without instances."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel", "Nothing.")},
    {"dicomdir",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "A DICOMDIR met as an ordinary file (given to the reader, or under another "
                       "name in a folder)."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel", "Nothing.")},
    {"duplicate_sop_instance",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "The same SOP Instance UID in two files: the instance already indexed "
                       "is kept, this one is not stored."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel", "Usually a copied file: remove one copy.")},
    {"incomplete_record",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "An image arrived without patient, study or series records; not stored."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel", "Report it.")},
    {"internal_error",
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel",
                       "PlaneLab failed unexpectedly on this file (out of memory, a bug)."),
     QT_TRANSLATE_NOOP("planelab::ui::IssuesPanel", "Report it with the file if possible.")},
};

const KeyHelp* findHelp(const QString& key) {
  const auto* it = std::find_if(std::begin(kKeyHelp), std::end(kKeyHelp),
                                [&](const KeyHelp& h) { return key == QLatin1String(h.key); });
  return it == std::end(kKeyHelp) ? nullptr : it;
}

QString text(const catalog::Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return QString::fromStdString(*s);
  if (const auto* i = std::get_if<std::int64_t>(&value)) return QString::number(*i);
  if (const auto* d = std::get_if<double>(&value)) return QString::number(*d);
  return {};
}

}  // namespace

QString IssuesPanel::explanation(const QString& key) {
  const KeyHelp* help = findHelp(key);
  return help == nullptr ? QString()
                         : QCoreApplication::translate("planelab::ui::IssuesPanel", help->meaning);
}

IssuesPanel::IssuesPanel(CatalogSession* session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      runs_(new QComboBox(this)),
      filter_(new QLineEdit(this)),
      tree_(new QTreeWidget(this)),
      status_(new QLabel(this)) {
  setObjectName(QStringLiteral("issuesPanel"));
  runs_->setObjectName(QStringLiteral("issuesRunCombo"));
  filter_->setObjectName(QStringLiteral("issuesFilter"));
  filter_->setPlaceholderText(tr("Filter: key, path, message or detail"));
  filter_->setClearButtonEnabled(true);
  tree_->setObjectName(QStringLiteral("issuesTree"));
  tree_->setColumnCount(kColumns);
  tree_->setHeaderLabels(
      {tr("Issue / file"), tr("Count"), tr("Meaning / message"), tr("Detail"), tr("Run")});
  tree_->setUniformRowHeights(true);  // lets the view skip measuring every row
  tree_->header()->setSectionResizeMode(kKeyOrFile, QHeaderView::Interactive);
  tree_->header()->resizeSection(kKeyOrFile, 360);
  tree_->header()->resizeSection(kMessage, 360);
  status_->setObjectName(QStringLiteral("issuesStatus"));

  auto* bar = new QHBoxLayout;
  bar->addWidget(runs_);
  bar->addWidget(filter_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(bar);
  layout->addWidget(tree_, 1);
  layout->addWidget(status_);

  chunks_.setInterval(0);
  connect(&chunks_, &QTimer::timeout, this, &IssuesPanel::addChunk);
  connect(runs_, &QComboBox::currentIndexChanged, this, &IssuesPanel::query);
  connect(filter_, &QLineEdit::textChanged, this, &IssuesPanel::rebuild);
  connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
    const QString path = item->data(kKeyOrFile, Qt::UserRole).toString();
    if (!path.isEmpty()) Q_EMIT fileActivated(path);
  });
  connect(session_, &CatalogSession::opened, this, &IssuesPanel::reload);
  connect(session_, &CatalogSession::changed, this, &IssuesPanel::reload);
  connect(session_, &CatalogSession::closed, this, [this] {
    runs_->clear();
    table_ = {};
    clear();
    status_->clear();
  });
  reload();
}

void IssuesPanel::reload() {
  reloadRuns();
  query();
}

void IssuesPanel::reloadRuns() {
  // Keep the user's choice: "last run" follows the newest run, a chosen run stays chosen.
  const bool follow_last = runs_->currentIndex() <= 0;
  const QVariant chosen = runs_->currentData();
  const QSignalBlocker blocker(runs_);
  runs_->clear();
  if (session_->catalog() == nullptr) return;
  const catalog::Table runs = session_->catalog()->runs();
  if (!runs.rows.empty()) {
    const QString last = text(runs.rows.back()[kRunId]);
    runs_->addItem(tr("Last import run (%1)").arg(last), last.toLongLong());
  }
  runs_->addItem(tr("All runs (every file's current issues)"), kAllRuns);
  for (auto row = runs.rows.rbegin(); row != runs.rows.rend(); ++row) {
    runs_->addItem(
        tr("Run %1 · %2 · %3")
            .arg(text((*row)[kRunId]), text((*row)[kRunStarted]), text((*row)[kRunState])),
        text((*row)[kRunId]).toLongLong());
  }
  const int index = follow_last ? 0 : std::max(0, runs_->findData(chosen));
  runs_->setCurrentIndex(index);
}

void IssuesPanel::query() {
  table_ = {};
  if (session_->catalog() != nullptr && runs_->count() > 0) {
    const qlonglong run = runs_->currentData().toLongLong();
    table_ = session_->catalog()->issues(run == kAllRuns ? std::nullopt
                                                         : std::optional<std::int64_t>(run));
    const catalog::Status& status = session_->catalog()->lastStatus();
    if (!status.ok()) {
      clear();
      status_->setText(tr("Cannot read the issues: [%1] %2")
                           .arg(QString::fromStdString(status.error_key),
                                QString::fromStdString(status.message)));
      return;
    }
  }
  rebuild();
}

void IssuesPanel::clear() {
  chunks_.stop();
  tree_->clear();
  groups_.clear();
  next_row_ = 0;
  shown_ = 0;
}

void IssuesPanel::rebuild() {
  clear();
  chunks_.start();
}

QTreeWidgetItem* IssuesPanel::group(const QString& key) {
  QTreeWidgetItem* item = groups_.value(key, nullptr);
  if (item != nullptr) return item;
  item = new QTreeWidgetItem;
  item->setText(kKeyOrFile, key);
  QFont bold = item->font(kKeyOrFile);
  bold.setBold(true);
  item->setFont(kKeyOrFile, bold);
  if (const KeyHelp* help = findHelp(key)) {
    const QString meaning = QCoreApplication::translate("planelab::ui::IssuesPanel", help->meaning);
    const QString action = QCoreApplication::translate("planelab::ui::IssuesPanel", help->action);
    item->setText(kMessage, meaning);
    const QString tip = tr("%1\nWhat to do: %2").arg(meaning, action);
    item->setToolTip(kKeyOrFile, tip);
    item->setToolTip(kMessage, tip);
  }
  // Keys in alphabetical order, whatever order their first files arrive in.
  int at = 0;
  while (at < tree_->topLevelItemCount() && tree_->topLevelItem(at)->text(kKeyOrFile) < key) ++at;
  tree_->insertTopLevelItem(at, item);
  groups_.insert(key, item);
  return item;
}

void IssuesPanel::addChunk() {
  const QString filter = filter_->text().trimmed();
  const std::size_t end = std::min(table_.rows.size(), next_row_ + kRowsPerTick);
  // Children are added per group at the end of the tick: one model insertion per group instead
  // of one per row.
  QHash<QTreeWidgetItem*, QList<QTreeWidgetItem*>> added;
  for (; next_row_ < end; ++next_row_) {
    const auto& row = table_.rows[next_row_];
    const QString path = text(row[kPath]);
    const QString key = text(row[kKey]);
    const QString message = text(row[kIssueMessage]);
    const QString detail = text(row[kIssueDetail]);
    if (!filter.isEmpty() && !key.contains(filter, Qt::CaseInsensitive) &&
        !path.contains(filter, Qt::CaseInsensitive) &&
        !message.contains(filter, Qt::CaseInsensitive) &&
        !detail.contains(filter, Qt::CaseInsensitive)) {
      continue;
    }
    auto* item = new QTreeWidgetItem;
    item->setText(kKeyOrFile, QDir::toNativeSeparators(path));
    item->setData(kKeyOrFile, Qt::UserRole, path);
    item->setToolTip(kKeyOrFile, QDir::toNativeSeparators(path));
    item->setText(kMessage, message);
    item->setToolTip(kMessage, message);
    // DCMTK's detail can hold several lines: the first in the cell, all in the tooltip.
    item->setText(kDetail, detail.section(QLatin1Char('\n'), 0, 0));
    item->setToolTip(kDetail, detail);
    item->setText(kRun, text(row[kIssueRun]));
    added[group(key)].append(item);
    ++shown_;
  }
  for (auto it = added.cbegin(); it != added.cend(); ++it) it.key()->addChildren(it.value());
  for (QTreeWidgetItem* item : std::as_const(groups_)) {
    item->setText(kCount, QLocale().toString(item->childCount()));
  }
  const QString total = QLocale().toString(static_cast<qlonglong>(table_.rows.size()));
  if (next_row_ < table_.rows.size()) {
    status_->setText(tr("Loading issues… %1 of %2")
                         .arg(QLocale().toString(static_cast<qlonglong>(next_row_)), total));
    return;
  }
  chunks_.stop();
  if (table_.rows.empty()) {
    status_->setText(session_->catalog() == nullptr ? tr("No catalog open.")
                                                    : tr("No import issues."));
  } else if (filter.isEmpty()) {
    status_->setText(
        tr("%1 issues under %n key(s).", nullptr, static_cast<int>(groups_.size())).arg(total));
  } else {
    status_->setText(
        tr("%1 of %2 issues match the filter.").arg(QLocale().toString(shown_), total));
  }
  Q_EMIT loaded();
}

}  // namespace planelab::ui
