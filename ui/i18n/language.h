// The user-interface language: which translations PlaneLab ships, the choice stored in the
// settings, and installing the translators (PlaneLab's own, compiled into this library from
// translations/*.ts, and Qt's from the system's Qt translations).
#pragma once

#include <QList>
#include <QLocale>
#include <QString>

class QCoreApplication;

namespace planelab::ui {

// A language the interface can be shown in. `code` is a QLocale name ("de", "zh_CN"; "en" for the
// untranslated English source); `native_name` is how the language names itself.
struct Language {
  QString code;
  QString native_name;
};

// English first, then the shipped translations.
QList<Language> availableLanguages();

// The stored choice: empty to follow the system locale, else one of availableLanguages()' codes.
QString languageSetting();
void setLanguageSetting(const QString& code);

// The locale the interface uses: the stored choice, or `system` when there is none (or when the
// stored code is not one PlaneLab ships).
QLocale interfaceLocale(const QLocale& system = QLocale::system());

// Installs PlaneLab's and Qt's translators for interfaceLocale() on the application (replacing
// any installed before). Returns the code of the PlaneLab translation loaded, or "en" when the
// interface stays in English.
QString installTranslators(QCoreApplication& app, const QLocale& system = QLocale::system());

}  // namespace planelab::ui
