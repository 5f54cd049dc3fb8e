// SPDX-License-Identifier: Apache-2.0
// What the top bar's checkpoint list offers (llamaboard.md §1.7, §10.2): under saves/<model>/<method>/, every
// run folder with final weights (LlamaBoard's list) and, beyond LlamaBoard, every checkpoint-N folder with
// weights, with its step and the training loss at that step, so an earlier (or the best) checkpoint can be
// chatted with, evaluated or exported without typing its path. Reads folders only; Qt Core, no engine.
#pragma once

#include <optional>

#include <QString>
#include <QVector>

namespace td::jobs
{

struct SavedWeights
{
    QString path;             ///< the folder that holds the weights
    QString run;              ///< the run folder's name
    QString checkpoint;       ///< "checkpoint-N"; empty for the run's final weights
    qint64 step = -1;         ///< N, or for final weights the last logged step; -1 when unknown
    std::optional<double> loss; ///< training loss at `step` (trainer_state.json, else trainer_log.jsonl)
};

/// True when `dir` directly holds model or adapter weights (LlamaBoard's CHECKPOINT_NAMES).
bool hasSavedWeights(const QString& dir);

/// Runs under `runsDir` in name order; for each, its final weights (when saved) and then its checkpoint-N
/// folders with weights in step order. A missing folder gives an empty list.
QVector<SavedWeights> listSavedWeights(const QString& runsDir);

} // namespace td::jobs
