// planelab: the desktop application. `planelab [CATALOG]` opens a catalog at start.
#include <QApplication>
#include <QCommandLineParser>

#include "app/version.h"
#include "ui/window/main_window.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("PlaneLab"));
  QApplication::setApplicationName(QStringLiteral("PlaneLab"));
  QApplication::setApplicationVersion(QStringLiteral(PLANELAB_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QApplication::translate("main", "Self-supervised learning on anatomy-oriented MR planes"));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("catalog"),
                               QApplication::translate("main", "Catalog file to open"),
                               QStringLiteral("[CATALOG]"));
  parser.process(app);

  planelab::ui::MainWindow window;
  window.show();
  const QStringList args = parser.positionalArguments();
  if (!args.isEmpty()) window.openCatalog(args.front());
  return QApplication::exec();
}
