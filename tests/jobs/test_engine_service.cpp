// SPDX-License-Identifier: Apache-2.0
// EngineService drives dummy jobs through the worker thread: signals arrive on the GUI thread, in order,
// progress is coalesced to <= 10/s, cancellation stops a job, and destruction never hangs.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/jobs/engine_service.h"

using td::jobs::EngineService;
using td::jobs::JobOutcome;
using td::jobs::JobProgressInfo;

namespace
{

/// A job that reports `steps` progress events, sleeping `ms` between them, and honours cancellation.
td::JobFn dummyJob(int steps, int ms, std::atomic<int>* done = nullptr)
{
    return [=](td::JobContext& ctx) -> td::Status {
        for (int i = 1; i <= steps; ++i) {
            if (ctx.isCancelled()) {
                return td::makeError(td::ErrorCode::Cancelled, "cancelled at step " + std::to_string(i));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            ctx.progress({"work", i, steps, "step " + std::to_string(i)});
            if (done) {
                *done = i;
            }
        }
        return {};
    };
}

struct Event
{
    QString kind;
    td::JobId id;
    QThread* thread;
    qint64 atMs;
    qint64 current = 0;
    JobOutcome outcome;
};

} // namespace

class TestEngineService : public QObject
{
    Q_OBJECT

private:
    QVector<Event> m_events;
    QElapsedTimer m_clock;

    void record(EngineService& svc)
    {
        m_events.clear();
        m_clock.start();
        connect(&svc, &EngineService::jobQueued, this, [this](td::JobId id, const QString&) {
            m_events.push_back({QStringLiteral("queued"), id, QThread::currentThread(), m_clock.elapsed(), 0, {}});
        });
        connect(&svc, &EngineService::jobStarted, this, [this](td::JobId id, const QString&) {
            m_events.push_back({QStringLiteral("started"), id, QThread::currentThread(), m_clock.elapsed(), 0, {}});
        });
        connect(&svc, &EngineService::jobProgress, this, [this](td::JobId id, const JobProgressInfo& p) {
            m_events.push_back({QStringLiteral("progress"), id, QThread::currentThread(), m_clock.elapsed(), p.current, {}});
        });
        connect(&svc, &EngineService::jobFinished, this, [this](td::JobId id, const JobOutcome& o) {
            m_events.push_back({QStringLiteral("finished"), id, QThread::currentThread(), m_clock.elapsed(), 0, o});
        });
    }

    int countKind(const QString& kind) const
    {
        return int(std::count_if(m_events.begin(), m_events.end(), [&](const Event& e) { return e.kind == kind; }));
    }

private Q_SLOTS:
    void signalsArriveOnGuiThreadInOrder()
    {
        EngineService svc;
        record(svc);
        QSignalSpy finished(&svc, &EngineService::jobFinished);
        QSignalSpy busy(&svc, &EngineService::busyChanged);
        const td::JobId id = svc.submit(QStringLiteral("dummy"), dummyJob(40, 5));
        QVERIFY(svc.isBusy());
        QVERIFY(finished.wait(20000));
        QVERIFY(!svc.isBusy());
        QCOMPARE(busy.count(), 2);
        QCOMPARE(busy.at(0).at(0).toBool(), true);
        QCOMPARE(busy.at(1).at(0).toBool(), false);

        QVERIFY(m_events.size() >= 4);
        QCOMPARE(m_events.front().kind, QStringLiteral("queued"));
        QCOMPARE(m_events.at(1).kind, QStringLiteral("started"));
        QCOMPARE(m_events.back().kind, QStringLiteral("finished"));
        QVERIFY(m_events.back().outcome.ok);
        qint64 lastCurrent = 0;
        for (const Event& e : m_events) {
            QCOMPARE(e.thread, QThread::currentThread()); // the GUI thread
            QCOMPARE(e.id, id);
            if (e.kind == QStringLiteral("progress")) {
                QVERIFY(e.current > lastCurrent); // in order, never repeated
                lastCurrent = e.current;
            }
        }
        QCOMPARE(lastCurrent, qint64(40)); // the final report is never dropped
    }

    void progressIsCoalescedToTenPerSecond()
    {
        EngineService svc;
        record(svc);
        QSignalSpy finished(&svc, &EngineService::jobFinished);
        // 200 reports in ~600 ms: without coalescing 200 signals, with it about 7.
        svc.submit(QStringLiteral("chatty"), dummyJob(200, 3));
        QVERIFY(finished.wait(20000));
        QVector<qint64> times;
        for (const Event& e : m_events) {
            if (e.kind == QStringLiteral("progress")) {
                times.push_back(e.atMs);
            }
        }
        QVERIFY(!times.isEmpty());
        QVERIFY2(times.size() < 200 / 4, qPrintable(QString::number(times.size())));
        // Every gap except the last (the final report is flushed with `finished`) respects the interval.
        for (int i = 1; i + 1 < times.size(); ++i) {
            QVERIFY2(times[i] - times[i - 1] >= EngineService::kProgressIntervalMs - 5,
                     qPrintable(QStringLiteral("gap %1 ms").arg(times[i] - times[i - 1])));
        }
    }

    void cancellationStopsTheJob()
    {
        EngineService svc;
        record(svc);
        QSignalSpy progress(&svc, &EngineService::jobProgress);
        QSignalSpy finished(&svc, &EngineService::jobFinished);
        std::atomic<int> done{0};
        const td::JobId id = svc.submit(QStringLiteral("long"), dummyJob(100000, 1, &done));
        QVERIFY(progress.wait(20000));
        svc.cancel(id);
        QVERIFY(finished.wait(20000));
        const auto outcome = finished.at(0).at(1).value<JobOutcome>();
        QVERIFY(!outcome.ok);
        QVERIFY(outcome.cancelled());
        QVERIFY(outcome.message.contains(QStringLiteral("cancelled at step")));
        QVERIFY(done.load() < 100000);
    }

    void jobsRunOneAtATime()
    {
        EngineService svc;
        record(svc);
        QSignalSpy finished(&svc, &EngineService::jobFinished);
        const td::JobId a = svc.submit(QStringLiteral("a"), dummyJob(5, 5));
        const td::JobId b = svc.submit(QStringLiteral("b"), dummyJob(5, 5));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 20000);
        int finishedA = -1;
        int startedB = -1;
        for (int i = 0; i < m_events.size(); ++i) {
            if (m_events[i].kind == QStringLiteral("finished") && m_events[i].id == a) {
                finishedA = i;
            }
            if (m_events[i].kind == QStringLiteral("started") && m_events[i].id == b) {
                startedB = i;
            }
        }
        QVERIFY(finishedA >= 0 && startedB > finishedA);
        QCOMPARE(countKind(QStringLiteral("started")), 2);
    }

    void failureCarriesCodeMessageAndHint()
    {
        EngineService svc;
        QSignalSpy finished(&svc, &EngineService::jobFinished);
        svc.submit(QStringLiteral("bad"), [](td::JobContext&) -> td::Status {
            return td::makeError(td::ErrorCode::BadDataset, "row 3: missing column 'output'", "fix the file");
        });
        QVERIFY(finished.wait(20000));
        const auto o = finished.at(0).at(1).value<JobOutcome>();
        QVERIFY(!o.ok);
        QCOMPARE(o.code, td::ErrorCode::BadDataset);
        QCOMPARE(o.message, QStringLiteral("row 3: missing column 'output'")); // returned errors are not re-wrapped
        QCOMPARE(o.hint, QStringLiteral("fix the file"));
    }

    void destroyingTheServiceCancelsAndReturns()
    {
        std::atomic<int> done{0};
        QElapsedTimer t;
        t.start();
        {
            EngineService svc;
            svc.submit(QStringLiteral("forever"), dummyJob(1000000, 1, &done));
            QTRY_VERIFY_WITH_TIMEOUT(done.load() > 3, 20000);
        }
        QVERIFY(done.load() < 1000000);
    }
};

QTEST_GUILESS_MAIN(TestEngineService)
#include "test_engine_service.moc"
