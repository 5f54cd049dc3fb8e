// SPDX-License-Identifier: Apache-2.0
// The log dock: the engine's log lines (through td::jobs::LogFeed), newest at the bottom, capped in size.
#pragma once

#include <QDockWidget>

#include "core/jobs/log_feed.h"

class QPlainTextEdit;

namespace td::ui
{

class LogDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit LogDock(QWidget* parent = nullptr);

    void appendLines(const QVector<td::jobs::LogEntry>& lines);
    QString text() const;
    static constexpr int kMaxLines = 5000;

protected:
    void changeEvent(QEvent* event) override;

private:
    QPlainTextEdit* m_view;
};

} // namespace td::ui
