// SPDX-License-Identifier: Apache-2.0
// The contract between long-running engine work (training, generation, evaluation, export) and whoever
// shows it: a job is a function that receives a JobContext, reports progress through it, checks its cancel
// token, and returns a Status. JobRunner (core/common/job_runner.h) runs jobs on a worker thread.
// Torch-free and Qt-free, so core/jobs and ui/ can include it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/common/cancel.h"
#include "core/common/error.h"

namespace td
{

using JobId = std::uint64_t;

/// One progress report. `total` == 0 means "unknown" (indeterminate progress).
struct JobProgress
{
    std::string phase;     ///< stable id of the phase, e.g. "load", "train", "save"
    std::int64_t current = 0;
    std::int64_t total = 0;
    std::string message;   ///< human-readable detail (already formatted by the engine)
};

/// Receives a job's life cycle. Called on the worker thread; implementations must be thread-safe and fast
/// (queue and return), never block on the UI.
class JobObserver
{
public:
    virtual ~JobObserver() = default;
    virtual void onStarted(JobId id, const std::string& name) { (void)id, (void)name; }
    virtual void onProgress(JobId id, const JobProgress& progress) { (void)id, (void)progress; }
    virtual void onFinished(JobId id, const Status& status) = 0;
};

/// What a running job sees: its id, the cancel token, and a way to report progress.
class JobContext
{
public:
    JobContext(JobId id, CancelToken cancel, JobObserver* observer)
        : m_id(id), m_cancel(std::move(cancel)), m_observer(observer)
    {
    }

    JobId id() const { return m_id; }
    const CancelToken& cancelToken() const { return m_cancel; }
    bool isCancelled() const { return m_cancel.isCancelled(); }

    void progress(const JobProgress& p) const
    {
        if (m_observer) {
            m_observer->onProgress(m_id, p);
        }
    }

private:
    JobId m_id;
    CancelToken m_cancel;
    JobObserver* m_observer;
};

using JobFn = std::function<Status(JobContext&)>;

} // namespace td
