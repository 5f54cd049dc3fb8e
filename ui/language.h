// SPDX-License-Identifier: Apache-2.0
// Installs the UI language at run time: TuneDesk's own catalogue (embedded as :/i18n/tunedesk_<code>.qm)
// plus Qt's qtbase catalogue for standard dialogs. Switching sends LanguageChange to every widget, which
// retranslates itself. The choice is remembered in QSettings; the first start follows the system locale.
#pragma once

#include <QObject>
#include <QString>
#include <QTranslator>

namespace td::ui
{

class Language : public QObject
{
    Q_OBJECT
public:
    explicit Language(QObject* parent = nullptr);

    /// en, ru or zh_CN: the saved choice, else the system locale's language when supported, else en.
    static QString initialCode();
    static QStringList supportedCodes();

    /// Loads the catalogues for `code` and makes them current; remembers the choice.
    void apply(const QString& code);
    QString current() const { return m_current; }

Q_SIGNALS:
    void changed(const QString& code);

private:
    QTranslator m_app;
    QTranslator m_qt;
    QString m_current;
};

} // namespace td::ui
