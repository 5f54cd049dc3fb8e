// SPDX-License-Identifier: Apache-2.0
// JobRunner: one job at a time on a worker thread, in order, cancellable, exceptions become errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/common/job_runner.h"

namespace
{

/// Records every callback with the thread it came from.
class Recorder final : public td::JobObserver
{
public:
    struct Event
    {
        std::string kind;
        td::JobId id;
        std::thread::id thread;
        td::Status status;
        std::int64_t current = 0;
    };

    void onStarted(td::JobId id, const std::string&) override { push({"started", id, std::this_thread::get_id(), {}}); }
    void onProgress(td::JobId id, const td::JobProgress& p) override
    {
        push({"progress", id, std::this_thread::get_id(), {}, p.current});
    }
    void onFinished(td::JobId id, const td::Status& s) override
    {
        push({"finished", id, std::this_thread::get_id(), s});
    }

    std::vector<Event> events()
    {
        std::lock_guard lock(m_mutex);
        return m_events;
    }

    void waitFinished(std::size_t count)
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait_for(lock, std::chrono::seconds(20), [&] {
            return std::count_if(m_events.begin(), m_events.end(),
                                 [](const Event& e) { return e.kind == "finished"; }) >= std::ptrdiff_t(count);
        });
    }

private:
    void push(Event e)
    {
        {
            std::lock_guard lock(m_mutex);
            m_events.push_back(std::move(e));
        }
        m_cv.notify_all();
    }
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<Event> m_events;
};

} // namespace

TEST(JobRunner, RunsJobsInOrderOnOneWorkerThread)
{
    auto rec = std::make_shared<Recorder>();
    td::JobRunner runner;
    std::vector<int> order;
    std::mutex m;
    for (int k = 0; k < 3; ++k) {
        runner.submit("job" + std::to_string(k), [&, k](td::JobContext& ctx) -> td::Status {
            {
                std::lock_guard lock(m);
                order.push_back(k);
            }
            ctx.progress({"work", 1, 1, ""});
            return {};
        }, rec);
    }
    runner.waitIdle();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
    const auto ev = rec->events();
    ASSERT_EQ(ev.size(), 9u);
    for (std::size_t i = 0; i < ev.size(); ++i) {
        EXPECT_NE(ev[i].thread, std::this_thread::get_id());
        EXPECT_EQ(ev[i].thread, ev[0].thread);
        EXPECT_EQ(ev[i].kind, (std::array<const char*, 3>{"started", "progress", "finished"}[i % 3]));
        EXPECT_EQ(ev[i].id, ev[i - i % 3].id);
    }
    EXPECT_EQ(runner.pendingCount(), 0u);
}

TEST(JobRunner, CancelStopsARunningJob)
{
    auto rec = std::make_shared<Recorder>();
    td::JobRunner runner;
    std::atomic<int> steps{0};
    const td::JobId id = runner.submit("loop", [&](td::JobContext& ctx) -> td::Status {
        for (int i = 0; i < 100000; ++i) {
            if (ctx.isCancelled()) {
                return td::makeError(td::ErrorCode::Cancelled, "stopped at step " + std::to_string(i));
            }
            ++steps;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return {};
    }, rec);
    while (steps.load() < 5) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    runner.cancel(id);
    rec->waitFinished(1);
    const auto ev = rec->events();
    ASSERT_FALSE(ev.empty());
    ASSERT_EQ(ev.back().kind, "finished");
    ASSERT_FALSE(ev.back().status.has_value());
    EXPECT_EQ(ev.back().status.error().code, td::ErrorCode::Cancelled);
    EXPECT_LT(steps.load(), 100000);
}

TEST(JobRunner, CancelledQueuedJobNeverRuns)
{
    auto rec = std::make_shared<Recorder>();
    td::JobRunner runner;
    std::atomic<bool> release{false};
    std::atomic<bool> secondRan{false};
    runner.submit("blocker", [&](td::JobContext&) -> td::Status {
        while (!release) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return {};
    }, rec);
    const td::JobId second = runner.submit("second", [&](td::JobContext&) -> td::Status {
        secondRan = true;
        return {};
    }, rec);
    EXPECT_EQ(runner.pendingCount(), 2u);
    runner.cancel(second);
    release = true;
    runner.waitIdle();
    EXPECT_FALSE(secondRan);
    const auto ev = rec->events();
    ASSERT_EQ(ev.back().id, second);
    ASSERT_FALSE(ev.back().status.has_value());
    EXPECT_EQ(ev.back().status.error().code, td::ErrorCode::Cancelled);
}

TEST(JobRunner, ExceptionInJobBecomesErrorAndRunnerGoesOn)
{
    auto rec = std::make_shared<Recorder>();
    td::JobRunner runner;
    runner.submit("throws", [](td::JobContext&) -> td::Status { throw std::runtime_error("kaput"); }, rec);
    runner.submit("after", [](td::JobContext&) -> td::Status { return {}; }, rec);
    runner.waitIdle();
    const auto ev = rec->events();
    ASSERT_EQ(ev.size(), 4u);
    ASSERT_FALSE(ev[1].status.has_value());
    EXPECT_EQ(ev[1].status.error().code, td::ErrorCode::Internal);
    EXPECT_EQ(ev[1].status.error().message, "throws: kaput");
    EXPECT_TRUE(ev[3].status.has_value());
}

TEST(JobRunner, DestructorCancelsRunningJob)
{
    auto rec = std::make_shared<Recorder>();
    {
        td::JobRunner runner;
        std::atomic<bool> started{false};
        runner.submit("forever", [&](td::JobContext& ctx) -> td::Status {
            started = true;
            while (!ctx.isCancelled()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            return td::makeError(td::ErrorCode::Cancelled, "cancelled");
        }, rec);
        while (!started) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    } // joins here; would hang if the job were not cancelled
    const auto ev = rec->events();
    ASSERT_EQ(ev.back().kind, "finished");
    EXPECT_EQ(ev.back().status.error().code, td::ErrorCode::Cancelled);
}
