// The DICOM tags of one file (core/dicom's tag dump), nested by sequence, with a filter.
#pragma once

#include <QDialog>

class QLineEdit;
class QTreeWidget;

namespace planelab::ui {

class TagBrowser : public QDialog {
  Q_OBJECT

 public:
  explicit TagBrowser(const QString& file, QWidget* parent = nullptr);
  QTreeWidget* tree() const { return tree_; }

 private:
  void applyFilter(const QString& text);

  QLineEdit* filter_;
  QTreeWidget* tree_;
};

}  // namespace planelab::ui
