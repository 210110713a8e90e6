// The study page of the 2-D viewer: the plane viewer with its controls (one toggle per view
// present, label and heatmap overlays, cine, phase slider, reset) and, beside it, the planes of
// the shown stack with their slice location and breath-hold misalignment score (flagged rows in
// red), where a click selects the plane.
#pragma once

#include <QHash>
#include <QWidget>
#include <memory>

#include "ui/viewer/plane_viewer.h"

class QCheckBox;
class QHBoxLayout;
class QLabel;
class QSlider;
class QTableWidget;
class QToolButton;

namespace planelab::ui {

class StudyView : public QWidget {
  Q_OBJECT

 public:
  explicit StudyView(QWidget* parent = nullptr);

  void setScene(std::shared_ptr<const curation::StudyScene> scene, ImageCache* images,
                PlaneViewer::LabelProvider labels);
  PlaneViewer* viewer() const { return viewer_; }
  QTableWidget* stackTable() const { return stack_table_; }

 private:
  void rebuildViewToggles();
  void fillStackTable();
  void syncControls();

  PlaneViewer* viewer_;
  QHBoxLayout* view_toggles_;
  QHash<QString, QCheckBox*> toggles_;
  QCheckBox* labels_;
  QCheckBox* heatmaps_;
  QToolButton* cine_;
  QSlider* phase_;
  QLabel* stack_title_;
  QTableWidget* stack_table_;
  int table_stack_ = -1;
};

}  // namespace planelab::ui
