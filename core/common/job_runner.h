// SPDX-License-Identifier: Apache-2.0
// Runs jobs one at a time on a dedicated worker thread ("one device job at a time"): training, chat and
// export share one device, so they queue rather than race for memory. No exception leaves a job: the runner
// converts it to an Error (guard.h) and reports it through JobObserver::onFinished. Torch-free header.
#pragma once

#include <memory>
#include <string>

#include "core/common/job.h"

namespace td
{

class JobRunner
{
public:
    JobRunner();
    /// Cancels every queued and running job and joins the worker.
    ~JobRunner();
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;

    /// Queues a job; the observer (may be null) must outlive it. Returns the job's id (never 0).
    JobId submit(std::string name, JobFn fn, std::shared_ptr<JobObserver> observer);
    /// Asks a queued or running job to stop. A queued job finishes with ErrorCode::Cancelled without running.
    void cancel(JobId id);
    void cancelAll();
    /// Jobs queued or running.
    std::size_t pendingCount() const;
    /// Blocks until the queue is empty and the worker idle (for the CLI and tests).
    void waitIdle();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace td
