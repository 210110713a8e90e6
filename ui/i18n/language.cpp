#include "ui/i18n/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QSettings>
#include <QTranslator>

namespace planelab::ui {
namespace {

constexpr char kLanguageKey[] = "language";
// Where qt_add_translations puts the compiled .qm files in this library's resources.
constexpr char kTranslationsResource[] = ":/i18n";

// Owned by the application object, so they live as long as it and are replaced on reinstall.
QTranslator* installed(QCoreApplication& app, const char* name) {
  auto* old = app.findChild<QTranslator*>(QLatin1String(name));
  if (old != nullptr) {
    QCoreApplication::removeTranslator(old);
    delete old;
  }
  auto* translator = new QTranslator(&app);
  translator->setObjectName(QLatin1String(name));
  return translator;
}

}  // namespace

QList<Language> availableLanguages() {
  return {{QStringLiteral("en"), QStringLiteral("English")},
          {QStringLiteral("de"), QStringLiteral("Deutsch")},
          {QStringLiteral("zh_CN"), QStringLiteral("简体中文")}};
}

QString languageSetting() {
  return QSettings().value(QLatin1String(kLanguageKey)).toString();
}

void setLanguageSetting(const QString& code) {
  QSettings settings;
  if (code.isEmpty()) {
    settings.remove(QLatin1String(kLanguageKey));
  } else {
    settings.setValue(QLatin1String(kLanguageKey), code);
  }
}

QLocale interfaceLocale(const QLocale& system) {
  const QString code = languageSetting();
  for (const Language& language : availableLanguages()) {
    if (language.code == code) return QLocale(code);
  }
  return system;
}

QString installTranslators(QCoreApplication& app, const QLocale& system) {
  const QLocale locale = interfaceLocale(system);
  QTranslator* own = installed(app, "planelabTranslator");
  QTranslator* qt = installed(app, "qtTranslator");
  // English is the source language: nothing to load (a German system with English chosen must not
  // fall back to planelab_de through the locale's list of UI languages).
  if (locale.language() == QLocale::English) return QStringLiteral("en");
  QString loaded = QStringLiteral("en");
  if (own->load(locale, QStringLiteral("planelab"), QStringLiteral("_"),
                QLatin1String(kTranslationsResource))) {
    QCoreApplication::installTranslator(own);
    loaded = own->language();
  }
  // Qt's own strings (standard buttons, file dialogs); Debian's qt6-translations-l10n.
  if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
               QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    QCoreApplication::installTranslator(qt);
  }
  return loaded;
}

}  // namespace planelab::ui
