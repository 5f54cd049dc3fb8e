// SPDX-License-Identifier: Apache-2.0
#include "ui/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>

namespace td::ui
{

Language::Language(QObject* parent) : QObject(parent) {}

QStringList Language::supportedCodes()
{
    return {QStringLiteral("en"), QStringLiteral("ru"), QStringLiteral("zh_CN")};
}

QString Language::initialCode()
{
    const QString saved = QSettings().value(QStringLiteral("ui/language")).toString();
    if (supportedCodes().contains(saved)) {
        return saved;
    }
    const QLocale sys = QLocale::system();
    if (sys.language() == QLocale::Russian) {
        return QStringLiteral("ru");
    }
    if (sys.language() == QLocale::Chinese) {
        return QStringLiteral("zh_CN");
    }
    return QStringLiteral("en");
}

void Language::apply(const QString& code)
{
    const QString lang = supportedCodes().contains(code) ? code : QStringLiteral("en");
    QCoreApplication::removeTranslator(&m_app);
    QCoreApplication::removeTranslator(&m_qt);
    // English too: its catalogue holds the plural forms ("%n sample(s)" -> "1 sample", "3 samples").
    if (m_app.load(QStringLiteral(":/i18n/tunedesk_%1.qm").arg(lang))) {
        QCoreApplication::installTranslator(&m_app);
    }
    if (lang != QStringLiteral("en")) {
        if (m_qt.load(QStringLiteral("qtbase_%1").arg(lang), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(&m_qt);
        }
    }
    // QLocale drives number and date formatting in every widget.
    QLocale::setDefault(QLocale(lang));
    m_current = lang;
    QSettings().setValue(QStringLiteral("ui/language"), lang);
    Q_EMIT changed(lang);
}

} // namespace td::ui
