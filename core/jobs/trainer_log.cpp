// SPDX-License-Identifier: Apache-2.0
#include "core/jobs/trainer_log.h"

#include <cmath>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace td::jobs
{

namespace
{
std::optional<double> number(const QJsonObject& o, const char* key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isDouble()) {
        return std::nullopt;
    }
    return v.toDouble();
}
} // namespace

std::optional<TrainerLogEntry> parseTrainerLogLine(const QByteArray& line)
{
    const QJsonDocument doc = QJsonDocument::fromJson(line.trimmed());
    if (!doc.isObject() || !doc.object().value(QStringLiteral("current_steps")).isDouble()) {
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    TrainerLogEntry e;
    e.currentSteps = o.value(QStringLiteral("current_steps")).toInteger();
    e.totalSteps = o.value(QStringLiteral("total_steps")).toInteger();
    e.loss = number(o, "loss");
    e.evalLoss = number(o, "eval_loss");
    e.lr = number(o, "lr");
    if (!e.lr) {
        e.lr = number(o, "learning_rate");
    }
    e.epoch = number(o, "epoch");
    e.percentage = o.value(QStringLiteral("percentage")).toDouble();
    e.elapsedTime = o.value(QStringLiteral("elapsed_time")).toString();
    e.remainingTime = o.value(QStringLiteral("remaining_time")).toString();
    e.throughput = number(o, "throughput");
    if (o.value(QStringLiteral("total_tokens")).isDouble()) {
        e.totalTokens = o.value(QStringLiteral("total_tokens")).toInteger();
    }
    return e;
}

td::Expected<TrainerLog> readTrainerLog(const QString& path)
{
    QFile f(path);
    if (!f.exists()) {
        return td::makeError(td::ErrorCode::FileNotFound, "no trainer log at " + path.toStdString());
    }
    if (!f.open(QIODevice::ReadOnly)) {
        return td::makeError(td::ErrorCode::Io, "cannot read " + path.toStdString() + ": " + f.errorString().toStdString());
    }
    TrainerLog log;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        if (line.trimmed().isEmpty()) {
            continue;
        }
        if (auto e = parseTrainerLogLine(line)) {
            log.entries.push_back(*e);
        } else {
            ++log.skippedLines;
        }
    }
    return log;
}

QVector<double> smoothLoss(const QVector<double>& values)
{
    QVector<double> out;
    if (values.isEmpty()) {
        return out;
    }
    const double n = double(values.size());
    const double w = 1.8 * (1.0 / (1.0 + std::exp(-0.05 * n)) - 0.5);
    out.reserve(values.size());
    double last = values.front();
    for (double x : values) {
        last = w * last + (1.0 - w) * x;
        out.push_back(last);
    }
    return out;
}

} // namespace td::jobs
