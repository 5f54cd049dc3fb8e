// SPDX-License-Identifier: Apache-2.0
#include "core/jobs/engine_service.h"

#include <map>
#include <mutex>

#include <QElapsedTimer>
#include <QTimer>

#include "core/common/job_runner.h"

namespace td::jobs
{

JobProgressInfo JobProgressInfo::fromEngine(const td::JobProgress& p)
{
    return {QString::fromStdString(p.phase), p.current, p.total, QString::fromStdString(p.message)};
}

JobOutcome JobOutcome::fromStatus(const td::Status& status)
{
    JobOutcome out;
    if (!status) {
        out.ok = false;
        out.code = status.error().code;
        out.message = QString::fromStdString(status.error().message);
        out.hint = QString::fromStdString(status.error().hint);
    }
    return out;
}

namespace
{

/// Lives as long as any job references it; forwards worker-thread callbacks to the service's thread.
class Bridge final : public td::JobObserver
{
public:
    explicit Bridge(EngineService* service, std::function<void()> requestFlush,
                    std::function<void(td::JobId, td::jobs::JobOutcome)> finish,
                    std::function<void(td::JobId, QString)> start)
        : m_service(service), m_requestFlush(std::move(requestFlush)), m_finish(std::move(finish)),
          m_start(std::move(start))
    {
    }

    void onStarted(td::JobId id, const std::string& name) override
    {
        QMetaObject::invokeMethod(m_service, [f = m_start, id, n = QString::fromStdString(name)] { f(id, n); },
                                  Qt::QueuedConnection);
    }

    void onProgress(td::JobId id, const td::JobProgress& p) override
    {
        bool post = false;
        {
            std::lock_guard lock(m_mutex);
            m_pending[id] = JobProgressInfo::fromEngine(p);
            post = !m_flushPosted;
            m_flushPosted = true;
        }
        if (post) {
            QMetaObject::invokeMethod(m_service, m_requestFlush, Qt::QueuedConnection);
        }
    }

    void onFinished(td::JobId id, const td::Status& status) override
    {
        QMetaObject::invokeMethod(m_service, [f = m_finish, id, o = JobOutcome::fromStatus(status)] { f(id, o); },
                                  Qt::QueuedConnection);
    }

    /// GUI thread: removes and returns every pending progress report.
    std::map<td::JobId, JobProgressInfo> takeAll()
    {
        std::lock_guard lock(m_mutex);
        m_flushPosted = false;
        return std::exchange(m_pending, {});
    }

    /// GUI thread: removes and returns the pending report of one job, if any.
    std::optional<JobProgressInfo> take(td::JobId id)
    {
        std::lock_guard lock(m_mutex);
        auto it = m_pending.find(id);
        if (it == m_pending.end()) {
            return std::nullopt;
        }
        JobProgressInfo info = std::move(it->second);
        m_pending.erase(it);
        return info;
    }

private:
    EngineService* m_service;
    std::function<void()> m_requestFlush;
    std::function<void(td::JobId, td::jobs::JobOutcome)> m_finish;
    std::function<void(td::JobId, QString)> m_start;
    std::mutex m_mutex;
    std::map<td::JobId, JobProgressInfo> m_pending;
    bool m_flushPosted = false;
};

} // namespace

struct EngineService::Impl
{
    std::shared_ptr<Bridge> bridge;
    QTimer flushTimer;        // delays a flush until kProgressIntervalMs have passed since the last one
    QElapsedTimer sinceEmit;  // invalid until the first progress signal
    int active = 0;           // submitted and not finished (GUI thread only)
    td::JobRunner runner;     // declared last: destroyed (joined) first
};

EngineService::EngineService(QObject* parent) : QObject(parent), m_impl(std::make_unique<Impl>())
{
    qRegisterMetaType<td::jobs::JobProgressInfo>();
    qRegisterMetaType<td::jobs::JobOutcome>();
    qRegisterMetaType<td::JobId>("td::JobId");

    m_impl->flushTimer.setSingleShot(true);
    m_impl->flushTimer.setTimerType(Qt::PreciseTimer); // the rate limit is a lower bound on spacing

    auto flush = [this] {
        if (m_impl->sinceEmit.isValid() && m_impl->sinceEmit.elapsed() < kProgressIntervalMs) {
            if (!m_impl->flushTimer.isActive()) {
                m_impl->flushTimer.start(kProgressIntervalMs - int(m_impl->sinceEmit.elapsed()));
            }
            return;
        }
        const auto pending = m_impl->bridge->takeAll();
        if (pending.empty()) {
            return;
        }
        m_impl->sinceEmit.start();
        for (const auto& [id, info] : pending) {
            Q_EMIT jobProgress(id, info);
        }
    };
    connect(&m_impl->flushTimer, &QTimer::timeout, this, flush);

    auto finish = [this](td::JobId id, td::jobs::JobOutcome outcome) {
        // The last progress report of a job is delivered before its end, even inside the rate limit.
        if (auto last = m_impl->bridge->take(id)) {
            Q_EMIT jobProgress(id, *last);
        }
        Q_EMIT jobFinished(id, outcome);
        if (--m_impl->active == 0) {
            Q_EMIT busyChanged(false);
        }
    };
    auto start = [this](td::JobId id, QString name) { Q_EMIT jobStarted(id, name); };
    m_impl->bridge = std::make_shared<Bridge>(this, flush, finish, start);
}

EngineService::~EngineService()
{
    m_impl->runner.cancelAll();
    m_impl->runner.waitIdle();
}

td::JobId EngineService::submit(const QString& name, td::JobFn fn)
{
    const td::JobId id = m_impl->runner.submit(name.toStdString(), std::move(fn), m_impl->bridge);
    Q_EMIT jobQueued(id, name);
    if (m_impl->active++ == 0) {
        Q_EMIT busyChanged(true);
    }
    return id;
}

void EngineService::cancel(td::JobId id)
{
    m_impl->runner.cancel(id);
}

void EngineService::cancelAll()
{
    m_impl->runner.cancelAll();
}

bool EngineService::isBusy() const
{
    return m_impl->active > 0;
}

} // namespace td::jobs
