// planelab: the desktop application. `planelab [CATALOG]` opens a catalog at start. The interface
// speaks the language chosen in Settings ▸ Language, else the system's (LANG, LANGUAGE).
#include <QApplication>
#include <QCommandLineParser>

#include "app/version.h"
#include "ui/i18n/language.h"
#include "ui/window/main_window.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("PlaneLab"));
  QApplication::setApplicationName(QStringLiteral("PlaneLab"));
  QApplication::setApplicationVersion(QStringLiteral(PLANELAB_VERSION));
  // Before any text is made, --help included.
  planelab::ui::installTranslators(app);

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
