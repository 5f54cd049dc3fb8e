// SPDX-License-Identifier: Apache-2.0
#include "core/jobs/saved_weights.h"

#include <algorithm>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/jobs/trainer_log.h"

namespace td::jobs
{

namespace
{

/// The last training loss logged at or before `step` in trainer_state.json's log_history (HF Trainer's and
/// ours: {"step": N, "loss": x, ...}; eval entries carry eval_loss instead).
std::optional<double> stateLoss(const QString& dir, qint64 step)
{
    QFile f(QDir(dir).filePath(QStringLiteral("trainer_state.json")));
    if (!f.open(QIODevice::ReadOnly)) {
        return std::nullopt;
    }
    const QJsonArray history = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("log_history")).toArray();
    std::optional<double> loss;
    for (const QJsonValue& v : history) {
        const QJsonObject e = v.toObject();
        const QJsonValue l = e.value(QStringLiteral("loss"));
        const QJsonValue s = e.value(QStringLiteral("step"));
        if (l.isDouble() && (!s.isDouble() || s.toInteger() <= step)) {
            loss = l.toDouble();
        }
    }
    return loss;
}

/// The last training loss in the run's trainer_log.jsonl at or before `step` (any step when step < 0).
std::optional<double> logLoss(const QVector<TrainerLogEntry>& log, qint64 step)
{
    std::optional<double> loss;
    for (const TrainerLogEntry& e : log) {
        if (e.loss && (step < 0 || e.currentSteps <= step)) {
            loss = e.loss;
        }
    }
    return loss;
}

qint64 checkpointStep(const QString& name)
{
    bool ok = false;
    const qint64 n = name.mid(11).toLongLong(&ok); // "checkpoint-" is 11 characters
    return ok ? n : -1;
}

} // namespace

bool hasSavedWeights(const QString& dir)
{
    static const char* const kWeights[] = {"adapter_model.safetensors", "adapter_model.bin",
                                           "model.safetensors",         "model.safetensors.index.json",
                                           "pytorch_model.bin",         "pytorch_model.bin.index.json"};
    const QDir d(dir);
    return std::any_of(std::begin(kWeights), std::end(kWeights),
                       [&d](const char* f) { return d.exists(QLatin1String(f)); });
}

QVector<SavedWeights> listSavedWeights(const QString& runsDir)
{
    QVector<SavedWeights> out;
    const QDir runs(runsDir);
    if (runsDir.isEmpty() || !runs.exists()) {
        return out;
    }
    for (const QString& run : runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir runDir(runs.filePath(run));
        QVector<std::pair<qint64, QString>> checkpoints;
        for (const QString& name : runDir.entryList({QStringLiteral("checkpoint-*")}, QDir::Dirs)) {
            const qint64 n = checkpointStep(name);
            if (n >= 0 && hasSavedWeights(runDir.filePath(name))) {
                checkpoints.push_back({n, name});
            }
        }
        const bool final = hasSavedWeights(runDir.path());
        if (!final && checkpoints.isEmpty()) {
            continue; // nothing to load yet (a run still before its first save)
        }
        std::sort(checkpoints.begin(), checkpoints.end()); // checkpoint-100 after checkpoint-20
        const auto log = readTrainerLog(runDir.filePath(QStringLiteral("trainer_log.jsonl")));
        const QVector<TrainerLogEntry> entries = log ? log->entries : QVector<TrainerLogEntry>{};
        if (final) {
            SavedWeights w;
            w.path = runDir.path();
            w.run = run;
            for (const TrainerLogEntry& e : entries) {
                w.step = std::max(w.step, e.currentSteps);
            }
            w.loss = logLoss(entries, -1);
            out.push_back(w);
        }
        for (const auto& [n, name] : checkpoints) {
            SavedWeights w;
            w.path = runDir.filePath(name);
            w.run = run;
            w.checkpoint = name;
            w.step = n;
            w.loss = stateLoss(w.path, n);
            if (!w.loss) {
                w.loss = logLoss(entries, n);
            }
            out.push_back(w);
        }
    }
    return out;
}

} // namespace td::jobs
