// SPDX-License-Identifier: Apache-2.0
#include "core/common/job_runner.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "core/common/guard.h"
#include "core/common/log.h"

namespace td
{

namespace
{
struct Entry
{
    JobId id = 0;
    std::string name;
    JobFn fn;
    std::shared_ptr<JobObserver> observer;
    CancelToken cancel;
};
} // namespace

struct JobRunner::Impl
{
    mutable std::mutex mutex;
    std::condition_variable wake;     // worker: new job or stop
    std::condition_variable idle;     // waitIdle(): queue drained
    std::deque<Entry> queue;
    std::optional<Entry> running;     // only the id and token are read from other threads
    JobId nextId = 1;
    bool stopping = false;
    std::thread worker;

    void loop();
    static void execute(Entry& entry);
};

void JobRunner::Impl::execute(Entry& entry)
{
    JobObserver* obs = entry.observer.get();
    Status status;
    if (entry.cancel.isCancelled()) {
        status = makeError(ErrorCode::Cancelled, "job '" + entry.name + "' was cancelled before it started");
    } else {
        if (obs) {
            obs->onStarted(entry.id, entry.name);
        }
        log::get("jobs")->info("job {} '{}' started", entry.id, entry.name);
        JobContext ctx(entry.id, entry.cancel, obs);
        status = guarded(entry.name, [&] { return entry.fn(ctx); });
        if (status) {
            log::get("jobs")->info("job {} '{}' finished", entry.id, entry.name);
        } else {
            log::get("jobs")->warn("job {} '{}' failed: {}", entry.id, entry.name, status.error().message);
        }
    }
    if (obs) {
        obs->onFinished(entry.id, status);
    }
}

void JobRunner::Impl::loop()
{
    for (;;) {
        Entry entry;
        {
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] { return stopping || !queue.empty(); });
            if (queue.empty()) {
                return; // stopping and drained
            }
            entry = std::move(queue.front());
            queue.pop_front();
            running = Entry{entry.id, entry.name, {}, {}, entry.cancel};
        }
        execute(entry);
        {
            std::lock_guard lock(mutex);
            running.reset();
        }
        idle.notify_all();
    }
}

JobRunner::JobRunner() : m_impl(std::make_unique<Impl>())
{
    m_impl->worker = std::thread([impl = m_impl.get()] { impl->loop(); });
}

JobRunner::~JobRunner()
{
    cancelAll();
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->stopping = true;
    }
    m_impl->wake.notify_all();
    if (m_impl->worker.joinable()) {
        m_impl->worker.join();
    }
}

JobId JobRunner::submit(std::string name, JobFn fn, std::shared_ptr<JobObserver> observer)
{
    JobId id = 0;
    {
        std::lock_guard lock(m_impl->mutex);
        id = m_impl->nextId++;
        m_impl->queue.push_back(Entry{id, std::move(name), std::move(fn), std::move(observer), CancelToken{}});
    }
    m_impl->wake.notify_one();
    return id;
}

void JobRunner::cancel(JobId id)
{
    std::lock_guard lock(m_impl->mutex);
    if (m_impl->running && m_impl->running->id == id) {
        m_impl->running->cancel.cancel();
    }
    for (auto& e : m_impl->queue) {
        if (e.id == id) {
            e.cancel.cancel();
        }
    }
}

void JobRunner::cancelAll()
{
    std::lock_guard lock(m_impl->mutex);
    if (m_impl->running) {
        m_impl->running->cancel.cancel();
    }
    for (auto& e : m_impl->queue) {
        e.cancel.cancel();
    }
}

std::size_t JobRunner::pendingCount() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->queue.size() + (m_impl->running ? 1 : 0);
}

void JobRunner::waitIdle()
{
    std::unique_lock lock(m_impl->mutex);
    m_impl->idle.wait(lock, [&] { return m_impl->queue.empty() && !m_impl->running; });
}

} // namespace td
