// SPDX-License-Identifier: Apache-2.0
// Reader for a run's trainer_log.jsonl (LlamaBoard's monitoring file, llamaboard.md §1.4): one JSON object per
// logging event. The Train tab rebuilds its charts and progress from it, so a run survives an app restart and
// LLaMA-Factory's own runs can be opened too. Keys whose value is null are omitted; older files used
// `learning_rate` instead of `lr`; both are accepted.
#pragma once

#include <optional>

#include <QMetaType>
#include <QString>
#include <QVector>

#include "core/common/error.h"

namespace td::jobs
{

struct TrainerLogEntry
{
    qint64 currentSteps = 0;
    qint64 totalSteps = 0;
    std::optional<double> loss;
    std::optional<double> evalLoss;
    std::optional<double> lr;
    std::optional<double> epoch;
    double percentage = 0;
    QString elapsedTime;
    QString remainingTime;
    std::optional<double> throughput;
    std::optional<qint64> totalTokens;
};

struct TrainerLog
{
    QVector<TrainerLogEntry> entries;
    int skippedLines = 0; ///< malformed lines (e.g. a half-written last line while the trainer appends)
};

/// Parses one line; nullopt when it is not a JSON object with current_steps.
std::optional<TrainerLogEntry> parseTrainerLogLine(const QByteArray& line);

/// Reads the whole file. FileNotFound when it does not exist; malformed lines are skipped and counted.
td::Expected<TrainerLog> readTrainerLog(const QString& path);

/// TensorBoard-like smoothing as LlamaBoard plots it: w = 1.8 * (sigmoid(0.05 N) - 0.5),
/// s0 = x0, s_i = w s_{i-1} + (1 - w) x_i.
QVector<double> smoothLoss(const QVector<double>& values);

} // namespace td::jobs

Q_DECLARE_METATYPE(td::jobs::TrainerLogEntry)
