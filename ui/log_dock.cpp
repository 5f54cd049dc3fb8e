// SPDX-License-Identifier: Apache-2.0
#include "ui/log_dock.h"

#include <QEvent>
#include <QFontDatabase>
#include <QPlainTextEdit>

namespace td::ui
{

namespace
{
const char* levelTag(int level)
{
    static const char* kTags[] = {"trace", "debug", "info", "warn", "error", "critical"};
    return (level >= 0 && level < 6) ? kTags[level] : "?";
}
} // namespace

LogDock::LogDock(QWidget* parent) : QDockWidget(parent)
{
    setObjectName(QStringLiteral("logDock"));
    m_view = new QPlainTextEdit(this);
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setReadOnly(true);
    m_view->setMaximumBlockCount(kMaxLines);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setWidget(m_view);
    setWindowTitle(tr("Log"));
}

void LogDock::appendLines(const QVector<td::jobs::LogEntry>& lines)
{
    for (const auto& l : lines) {
        m_view->appendPlainText(QStringLiteral("%1 [%2] %3: %4")
                                    .arg(l.time.toString(QStringLiteral("HH:mm:ss.zzz")),
                                         QString::fromLatin1(levelTag(l.level)), l.area, l.text));
    }
}

QString LogDock::text() const
{
    return m_view->toPlainText();
}

void LogDock::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        setWindowTitle(tr("Log"));
    }
    QDockWidget::changeEvent(event);
}

} // namespace td::ui
