#include "ui/viewer/study_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <set>

#include "ui/view_colours.h"

namespace planelab::ui {
namespace {
enum StackColumn { kSlice, kLocation, kMisalignment, kNcc, kStackColumns };
}

StudyView::StudyView(QWidget* parent)
    : QWidget(parent),
      viewer_(new PlaneViewer(this)),
      view_toggles_(new QHBoxLayout),
      labels_(new QCheckBox(tr("Labels"), this)),
      heatmaps_(new QCheckBox(tr("Heatmap targets"), this)),
      cine_(new QToolButton(this)),
      phase_(new QSlider(Qt::Horizontal, this)),
      stack_title_(new QLabel(this)),
      stack_table_(new QTableWidget(0, kStackColumns, this)) {
  setObjectName(QStringLiteral("studyView"));
  labels_->setObjectName(QStringLiteral("labelsToggle"));
  labels_->setToolTip(tr("Overlay the image's labels (DICOM SEG)"));
  heatmaps_->setObjectName(QStringLiteral("heatmapsToggle"));
  heatmaps_->setToolTip(tr("Overlay the orientation pretext task's targets for this image"));
  cine_->setObjectName(QStringLiteral("cineButton"));
  cine_->setText(tr("▶ Cine"));
  cine_->setCheckable(true);
  phase_->setObjectName(QStringLiteral("phaseSlider"));
  phase_->setMinimumWidth(120);
  auto* reset = new QToolButton(this);
  reset->setText(tr("Reset view"));
  reset->setToolTip(tr("Fit the image and reset the window (R)"));

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Lines:"), this));
  controls->addLayout(view_toggles_);
  controls->addSpacing(12);
  controls->addWidget(labels_);
  controls->addWidget(heatmaps_);
  controls->addStretch(1);
  controls->addWidget(cine_);
  controls->addWidget(phase_);
  controls->addWidget(reset);

  stack_table_->setObjectName(QStringLiteral("stackTable"));
  stack_table_->setHorizontalHeaderLabels({tr("Slice"), tr("Location (mm)"),
                                           tr("Misalignment (mm)"),
                                           //: Normalised cross-correlation (a column header).
                                           tr("NCC")});
  stack_table_->verticalHeader()->setVisible(false);
  stack_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  stack_table_->setSelectionMode(QAbstractItemView::SingleSelection);
  stack_table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  stack_table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  stack_title_->setWordWrap(true);
  auto* side = new QWidget(this);
  auto* side_layout = new QVBoxLayout(side);
  side_layout->setContentsMargins(0, 0, 0, 0);
  side_layout->addWidget(stack_title_);
  side_layout->addWidget(stack_table_);

  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->addWidget(viewer_);
  splitter->addWidget(side);
  splitter->setStretchFactor(0, 4);
  splitter->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(controls);
  layout->addWidget(splitter, 1);

  connect(labels_, &QCheckBox::toggled, viewer_, &PlaneViewer::setLabelsVisible);
  connect(heatmaps_, &QCheckBox::toggled, viewer_, &PlaneViewer::setHeatmapsVisible);
  connect(cine_, &QToolButton::toggled, viewer_, &PlaneViewer::setCinePlaying);
  connect(phase_, &QSlider::valueChanged, viewer_, &PlaneViewer::setPhase);
  connect(reset, &QToolButton::clicked, viewer_, &PlaneViewer::resetView);
  connect(viewer_, &PlaneViewer::planeChanged, this, [this] { syncControls(); });
  connect(viewer_, &PlaneViewer::phaseChanged, this, [this](int phase) {
    const QSignalBlocker block(phase_);
    phase_->setValue(phase);
  });
  connect(stack_table_, &QTableWidget::cellClicked, this, [this](int row, int) {
    const QVariant plane = stack_table_->item(row, kSlice)->data(Qt::UserRole);
    if (plane.isValid()) viewer_->setPlane(plane.toInt());
  });
}

void StudyView::setScene(std::shared_ptr<const curation::StudyScene> scene, ImageCache* images,
                         PlaneViewer::LabelProvider labels) {
  viewer_->setScene(std::move(scene), images);
  viewer_->setLabelProvider(std::move(labels));
  table_stack_ = -1;
  rebuildViewToggles();
  syncControls();
}

void StudyView::rebuildViewToggles() {
  for (QCheckBox* box : toggles_) box->deleteLater();
  toggles_.clear();
  const curation::StudyScene* scene = viewer_->scene();
  if (scene == nullptr) return;
  std::set<std::string> views;
  for (const curation::ViewLabel& label : scene->curation.views) views.insert(label.view);
  for (const std::string& view : views) {
    auto* box = new QCheckBox(QString::fromStdString(view), this);
    box->setObjectName(QStringLiteral("viewToggle_") + QString::fromStdString(view));
    box->setChecked(viewer_->viewVisible(view));
    const QColor colour = viewColour(view);
    box->setStyleSheet(QStringLiteral("QCheckBox { color: %1; font-weight: bold; }")
                           .arg(colour.darker(130).name()));
    connect(box, &QCheckBox::toggled, viewer_,
            [this, view](bool on) { viewer_->setViewVisible(view, on); });
    view_toggles_->addWidget(box);
    toggles_.insert(QString::fromStdString(view), box);
  }
}

void StudyView::syncControls() {
  {
    const QSignalBlocker block(phase_);
    phase_->setRange(0, std::max(viewer_->phaseCount() - 1, 0));
    phase_->setValue(viewer_->phase());
  }
  phase_->setEnabled(viewer_->phaseCount() > 1);
  cine_->setEnabled(viewer_->phaseCount() > 1);
  fillStackTable();
}

void StudyView::fillStackTable() {
  const curation::StudyScene* scene = viewer_->scene();
  const int plane = viewer_->plane();
  const int stack = scene != nullptr && plane >= 0
                        ? scene->curation.planes[static_cast<std::size_t>(plane)].stack
                        : -1;
  if (stack != table_stack_) {
    table_stack_ = stack;
    stack_table_->setRowCount(0);
    stack_title_->clear();
    if (stack >= 0) {
      const curation::Stack& s = scene->curation.stacks[static_cast<std::size_t>(stack)];
      stack_title_->setText(tr("Stack %1 · %2 · %3 slices%4")
                                .arg(stack + 1)
                                .arg(QString::fromStdString(s.view))
                                .arg(s.slice_count)
                                .arg(scene->misalignment_stored
                                         ? QString()
                                         : tr(" · no misalignment scores (run Curate)")));
      for (const int p : s.planes) {
        const curation::Plane& member = scene->curation.planes[static_cast<std::size_t>(p)];
        if (!member.kept) continue;
        const int row = stack_table_->rowCount();
        stack_table_->insertRow(row);
        auto* slice = new QTableWidgetItem(QString::number(member.slice_index + 1));
        slice->setData(Qt::UserRole, p);
        stack_table_->setItem(row, kSlice, slice);
        stack_table_->setItem(row, kLocation,
                              new QTableWidgetItem(QString::number(member.location_mm, 'f', 1)));
        auto* score = new QTableWidgetItem(
            member.misalignment_mm ? QString::number(*member.misalignment_mm, 'f', 1) : QString());
        if (member.misalignment_flag.value_or(false)) {
          score->setForeground(QColor(220, 40, 40));
          score->setToolTip(tr("Flagged: estimated displacement above the threshold"));
        }
        stack_table_->setItem(row, kMisalignment, score);
        stack_table_->setItem(
            row, kNcc,
            new QTableWidgetItem(member.misalignment_ncc
                                     ? QString::number(*member.misalignment_ncc, 'f', 2)
                                     : QString()));
      }
    }
  }
  for (int row = 0; row < stack_table_->rowCount(); ++row) {
    if (stack_table_->item(row, kSlice)->data(Qt::UserRole).toInt() == plane) {
      const QSignalBlocker block(stack_table_);
      stack_table_->selectRow(row);
    }
  }
}

}  // namespace planelab::ui
