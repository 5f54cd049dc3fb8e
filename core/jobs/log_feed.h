// SPDX-License-Identifier: Apache-2.0
// LogFeed polls the engine's in-memory log ring (core/common/log_ring.h) on a timer and emits the new lines
// on the GUI thread, so the log dock never receives calls from engine threads.
#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QVector>

namespace td::jobs
{

struct LogEntry
{
    quint64 seq = 0;
    QDateTime time;
    int level = 2; ///< 0 trace .. 5 critical (td::log::Level)
    QString area;
    QString text;
};

class LogFeed : public QObject
{
    Q_OBJECT
public:
    explicit LogFeed(QObject* parent = nullptr, int intervalMs = 200);

    /// Emits whatever arrived since the last poll (also called by the timer).
    void poll();
    /// The last `count` lines, for error dialogs ("log tail").
    static QVector<LogEntry> tail(int count);

Q_SIGNALS:
    void linesAppended(const QVector<td::jobs::LogEntry>& lines);

private:
    QTimer m_timer;
    quint64 m_lastSeq = 0;
};

/// Installs the engine's log sinks for the GUI: a rotating file under `logDir` plus the ring buffer.
/// Returns an empty string on success, else why the file could not be opened (the ring still works).
QString initLogging(const QString& logDir, bool toStderr);

} // namespace td::jobs

Q_DECLARE_METATYPE(td::jobs::LogEntry)
