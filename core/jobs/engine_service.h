// SPDX-License-Identifier: Apache-2.0
// EngineService: the GUI's only door to the engine. It owns the JobRunner (one worker thread, one device
// job at a time) and turns the runner's observer callbacks, which arrive on the worker thread, into queued
// Qt signals on the thread that owns the service (the GUI thread). Progress is coalesced to at most
// 10 signals per second per service; started/finished are never dropped and always arrive in order:
// jobQueued -> jobStarted -> jobProgress* -> jobFinished.
#pragma once

#include <memory>

#include <QObject>
#include <QString>

#include "core/common/job.h"
#include "core/jobs/job_types.h"

namespace td::jobs
{

class EngineService : public QObject
{
    Q_OBJECT
public:
    explicit EngineService(QObject* parent = nullptr);
    /// Cancels running and queued jobs and waits for the worker to stop.
    ~EngineService() override;

    /// Queues a job on the worker thread; returns its id. The function runs on the worker thread.
    td::JobId submit(const QString& name, td::JobFn fn);
    void cancel(td::JobId id);
    void cancelAll();
    /// True while a job is queued or running.
    bool isBusy() const;

    /// Minimum interval between two jobProgress signals (100 ms = 10/s).
    static constexpr int kProgressIntervalMs = 100;

Q_SIGNALS:
    void jobQueued(td::JobId id, const QString& name);
    void jobStarted(td::JobId id, const QString& name);
    void jobProgress(td::JobId id, const td::jobs::JobProgressInfo& progress);
    void jobFinished(td::JobId id, const td::jobs::JobOutcome& outcome);
    void busyChanged(bool busy);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace td::jobs
