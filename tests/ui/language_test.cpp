// The interface language: with no stored choice PlaneLab follows the system locale, a choice made
// in Settings ▸ Language wins over it (English included), and in Simplified Chinese every menu of
// the main window — titles and actions — is translated, Qt's own strings too.
#include <QActionGroup>
#include <QMenuBar>
#include <QStatusBar>
#include <QtTest>

#include "ui/i18n/language.h"
#include "ui/phantom_catalog.h"
#include "ui/window/main_window.h"

using planelab::ui::installTranslators;
using planelab::ui::MainWindow;
using planelab::ui::setLanguageSetting;

namespace {

QStringList menuTitles(const MainWindow& window) {
  QStringList titles;
  for (QAction* action : window.menuBar()->actions()) titles << action->text();
  return titles;
}

bool hasHan(const QString& text) {
  for (const QChar c : text) {
    if (c.script() == QChar::Script_Han) return true;
  }
  return false;
}

// Every action with text in the menu and its submenus, except the language names (shown in
// their own language) and separators.
void collectActions(QMenu* menu, QList<QAction*>& out) {
  for (QAction* action : menu->actions()) {
    if (action->isSeparator()) continue;
    if (action->menu() != nullptr) collectActions(action->menu(), out);
    if (menu->objectName() == QLatin1String("languageMenu") && action->data().isValid() &&
        !action->data().toString().isEmpty()) {
      continue;
    }
    out << action;
  }
}

}  // namespace

class LanguageTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    planelab::testing::useTestSettings(planelab::testing::uiTestDir("language"));
  }

  void cleanup() {
    setLanguageSetting(QString());
    installTranslators(*QCoreApplication::instance(), QLocale(QLocale::English));
  }

  void followsTheSystemLocaleWithoutAChoice() {
    setLanguageSetting(QString());
    QCOMPARE(installTranslators(*QCoreApplication::instance(), QLocale(QStringLiteral("zh_CN"))),
             QStringLiteral("zh_CN"));
    MainWindow window;
    const QStringList titles = menuTitles(window);
    QCOMPARE(titles.value(0), QStringLiteral("文件(&F)"));
    QVERIFY2(titles.contains(QStringLiteral("设置(&S)")), qPrintable(titles.join(u' ')));
    for (const QString& title : titles) QVERIFY2(hasHan(title), qPrintable(title));
    // Qt's own strings come from the system's Qt translations (Debian qt6-translations-l10n).
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("取消"));
  }

  void everyMenuActionIsTranslatedInChinese() {
    installTranslators(*QCoreApplication::instance(), QLocale(QStringLiteral("zh_CN")));
    MainWindow window;
    QList<QAction*> actions;
    for (QAction* top : window.menuBar()->actions()) collectActions(top->menu(), actions);
    QVERIFY2(actions.size() >= 15, qPrintable(QString::number(actions.size())));
    for (QAction* action : actions) {
      const QString text = action->text();
      if (text.isEmpty()) continue;
      QVERIFY2(hasHan(text), qPrintable(QStringLiteral("untranslated menu entry: ") + text));
    }
  }

  void aStoredChoiceWinsOverTheSystem() {
    setLanguageSetting(QStringLiteral("de"));
    QCOMPARE(installTranslators(*QCoreApplication::instance(), QLocale(QStringLiteral("zh_CN"))),
             QStringLiteral("de"));
    MainWindow window;
    QCOMPARE(menuTitles(window).value(0), QStringLiteral("&Datei"));
    QVERIFY(menuTitles(window).contains(QStringLiteral("&Einstellungen")));
  }

  void englishCanBeChosenOnAGermanSystem() {
    setLanguageSetting(QStringLiteral("en"));
    QCOMPARE(installTranslators(*QCoreApplication::instance(), QLocale(QStringLiteral("de_DE"))),
             QStringLiteral("en"));
    MainWindow window;
    QCOMPARE(menuTitles(window).value(0), QStringLiteral("&File"));
    // An unknown stored code falls back to the system's language.
    setLanguageSetting(QStringLiteral("xx"));
    QCOMPARE(installTranslators(*QCoreApplication::instance(), QLocale(QStringLiteral("de_DE"))),
             QStringLiteral("de"));
  }

  void theLanguageMenuStoresTheChoice() {
    MainWindow window;
    auto* menu = window.findChild<QMenu*>(QStringLiteral("languageMenu"));
    QVERIFY(menu != nullptr);
    QAction* german = nullptr;
    QAction* system = nullptr;
    for (QAction* action : menu->actions()) {
      if (action->data().toString() == QLatin1String("de")) german = action;
      if (!action->isSeparator() && action->data().toString().isEmpty()) system = action;
    }
    QVERIFY(german != nullptr && system != nullptr);
    QVERIFY(system->isChecked());
    german->trigger();
    QCOMPARE(planelab::ui::languageSetting(), QStringLiteral("de"));
    QVERIFY(german->isChecked());
    QVERIFY(window.statusBar()->currentMessage().contains(QLatin1String("Deutsch")));
    // A new window shows the stored choice checked.
    MainWindow again;
    auto* menu2 = again.findChild<QMenu*>(QStringLiteral("languageMenu"));
    for (QAction* action : menu2->actions()) {
      if (action->data().toString() == QLatin1String("de")) QVERIFY(action->isChecked());
    }
    system->trigger();
    QVERIFY(planelab::ui::languageSetting().isEmpty());
  }
};

QTEST_MAIN(LanguageTest)
#include "language_test.moc"
