// SPDX-License-Identifier: Apache-2.0
#include "core/jobs/log_feed.h"

#include <QDir>

#include "core/common/log.h"

namespace td::jobs
{

namespace
{
LogEntry toEntry(const td::log::LogLine& line)
{
    return {line.seq, QDateTime::fromMSecsSinceEpoch(line.msecsSinceEpoch), int(line.level),
            QString::fromStdString(line.logger), QString::fromStdString(line.text)};
}
} // namespace

LogFeed::LogFeed(QObject* parent, int intervalMs) : QObject(parent)
{
    qRegisterMetaType<td::jobs::LogEntry>();
    connect(&m_timer, &QTimer::timeout, this, &LogFeed::poll);
    m_timer.start(intervalMs);
}

void LogFeed::poll()
{
    const auto lines = td::log::ringSince(m_lastSeq);
    if (lines.empty()) {
        return;
    }
    QVector<LogEntry> out;
    out.reserve(qsizetype(lines.size()));
    for (const auto& l : lines) {
        out.push_back(toEntry(l));
    }
    m_lastSeq = lines.back().seq;
    Q_EMIT linesAppended(out);
}

QVector<LogEntry> LogFeed::tail(int count)
{
    QVector<LogEntry> out;
    for (const auto& l : td::log::ringTail(std::size_t(std::max(count, 0)))) {
        out.push_back(toEntry(l));
    }
    return out;
}

QString initLogging(const QString& logDir, bool toStderr)
{
    td::log::Setup setup;
    setup.toStderr = toStderr;
    if (!logDir.isEmpty() && QDir().mkpath(logDir)) {
        setup.file = QDir(logDir).filePath(QStringLiteral("tunedesk.log")).toStdString();
    }
    std::string error;
    if (!td::log::setup(setup, &error)) {
        return QString::fromStdString(error);
    }
    return {};
}

} // namespace td::jobs
