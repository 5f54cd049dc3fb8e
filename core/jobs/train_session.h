// SPDX-License-Identifier: Apache-2.0
// TrainSession: the Train tab's Start/Abort. start() hands LLaMA-Factory arguments (the map the Train tab
// builds, the same one written to training_args.yaml) to the engine's trainer as a job on EngineService's
// worker thread; progress, trainer_log.jsonl lines and running_log.txt messages come back as signals on the
// GUI thread. abort() sets the job's cancel token: the trainer stops after the current step and saves a
// checkpoint and the weights. One run at a time; the worker runs one device job at a time, so a run started
// while a chat reply or a model load is in progress waits in the queue (isQueued()). Torch-free header.
#pragma once

#include <memory>
#include <optional>

#include <QObject>
#include <QString>
#include <QVariantMap>

#include "core/common/job.h"
#include "core/jobs/job_types.h"
#include "core/jobs/trainer_log.h"

namespace td::jobs
{

class EngineService;

/// How a run ended.
struct TrainOutcome
{
    bool ok = false;        ///< trained to the last step
    bool cancelled = false; ///< stopped on request (weights and a checkpoint saved), or dropped while queued
    td::ErrorCode code = td::ErrorCode::Internal; ///< meaningful when failed
    QString message;        ///< the engine's detail (untranslated) when it failed
    QString hint;
    QString outputDir;
    qint64 globalStep = 0;  ///< the step the run reached (0 when it never trained)
    qint64 maxSteps = 0;
    qint64 resumedFromStep = 0;
    std::optional<double> lastLoss;

    bool failed() const { return !ok && !cancelled; }
};

class TrainSession : public QObject
{
    Q_OBJECT
public:
    explicit TrainSession(EngineService* engine, QObject* parent = nullptr);
    ~TrainSession() override;

    /// Queues a run with LLaMA-Factory argument names (numbers, bools and lists keep their types). Returns the
    /// job id, or 0 when a run is already queued or running.
    td::JobId start(const QVariantMap& llamaFactoryArgs);
    /// Asks the run to stop after the current step (a queued run is dropped). No-op when idle.
    void abort();

    /// Queued or running.
    bool isActive() const { return m_job != 0; }
    /// Waiting for another job (chat, model load, preview) to leave the worker.
    bool isQueued() const { return m_job != 0 && !m_running; }
    bool isAborting() const { return m_aborting; }
    td::JobId jobId() const { return m_job; }

    /// The JSON mapping start() hands to the engine (for tests and the log).
    static QByteArray argumentsJson(const QVariantMap& llamaFactoryArgs);

Q_SIGNALS:
    /// The run left the queue and runs on the worker.
    void started();
    /// Coalesced progress: phases "prepare", "load", "train" (current/total = step/max steps), "eval", "save".
    void progress(const td::jobs::JobProgressInfo& progress);
    /// One trainer_log.jsonl line, as the trainer appended it.
    void logLine(const td::jobs::TrainerLogEntry& entry);
    /// One running_log.txt message.
    void message(const QString& text);
    void finished(const td::jobs::TrainOutcome& outcome);

private:
    struct State;
    void finish(const JobOutcome& outcome);

    EngineService* m_engine;
    std::shared_ptr<State> m_state;
    td::JobId m_job = 0;
    bool m_running = false;
    bool m_aborting = false;
};

} // namespace td::jobs

Q_DECLARE_METATYPE(td::jobs::TrainOutcome)
