// SPDX-License-Identifier: Apache-2.0
// trainer_log.jsonl as LLaMA-Factory writes it (llamaboard.md §1.4): keys, omitted nulls, the older
// `learning_rate` key, a half-written last line; and LlamaBoard's loss smoothing, checked by hand.
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "core/jobs/trainer_log.h"

using namespace td::jobs;

class TestTrainerLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTrainingEvalAndOldStyleLines()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("trainer_log.jsonl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"current_steps": 5, "total_steps": 120, "loss": 1.8423, "lr": 4.98e-05, "epoch": 0.12, "percentage": 4.17, "elapsed_time": "0:00:41", "remaining_time": "0:15:43", "throughput": 2310.55, "total_tokens": 94720})"
                "\n"
                R"({"current_steps": 100, "total_steps": 120, "eval_loss": 1.2031, "epoch": 2.5, "percentage": 83.33, "elapsed_time": "0:13:02", "remaining_time": "0:02:36"})"
                "\n\n"
                R"({"current_steps": 105, "total_steps": 120, "loss": 1.1, "learning_rate": 1e-05, "percentage": 87.5})"
                "\n"
                "{\"current_steps\": 110, \"total_st"); // the trainer was writing this line
        f.close();
        const auto log = readTrainerLog(path);
        QVERIFY(log.has_value());
        QCOMPARE(log->entries.size(), 3);
        QCOMPARE(log->skippedLines, 1);
        const TrainerLogEntry& a = log->entries[0];
        QCOMPARE(a.currentSteps, 5);
        QCOMPARE(a.totalSteps, 120);
        QCOMPARE(*a.loss, 1.8423);
        QCOMPARE(*a.lr, 4.98e-05);
        QCOMPARE(a.elapsedTime, QStringLiteral("0:00:41"));
        QCOMPARE(*a.totalTokens, 94720);
        QVERIFY(!a.evalLoss);
        const TrainerLogEntry& b = log->entries[1];
        QVERIFY(!b.loss);
        QCOMPARE(*b.evalLoss, 1.2031);
        QCOMPARE(b.percentage, 83.33);
        QCOMPARE(*log->entries[2].lr, 1e-05); // `learning_rate` accepted
    }

    void readsEvalOnlyProgressLinesWithoutEpoch()
    {
        // An eval/predict run's line (LogCallback.on_prediction_step): five keys, no epoch, loss or lr.
        const auto e = parseTrainerLogLine(
            R"({"current_steps": 5, "total_steps": 20, "percentage": 25.0, "elapsed_time": "0:00:10", "remaining_time": "0:00:30"})");
        QVERIFY(e.has_value());
        QCOMPARE(e->currentSteps, 5);
        QCOMPARE(e->totalSteps, 20);
        QCOMPARE(e->percentage, 25.0);
        QCOMPARE(e->remainingTime, QStringLiteral("0:00:30"));
        QVERIFY(!e->epoch);
        QVERIFY(!e->loss);
        QVERIFY(!e->evalLoss);
        QVERIFY(!e->lr);
    }

    void missingFileIsAnError()
    {
        const auto log = readTrainerLog(QStringLiteral("/nonexistent/trainer_log.jsonl"));
        QVERIFY(!log.has_value());
        QCOMPARE(log.error().code, td::ErrorCode::FileNotFound);
    }

    void smoothingMatchesLlamaBoard()
    {
        // w = 1.8 * (sigmoid(0.05 * 3) - 0.5) = 0.0673737216...; s0 = x0; s_i = w s_{i-1} + (1 - w) x_i.
        const QVector<double> s = smoothLoss({2.0, 1.0, 0.5});
        QCOMPARE(s.size(), 3);
        QCOMPARE(s[0], 2.0);
        QVERIFY(qAbs(s[1] - 1.0673737216187493) < 1e-12);
        QVERIFY(qAbs(s[2] - 0.5382260791741353) < 1e-12);
        QVERIFY(smoothLoss({}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTrainerLog)
#include "test_trainer_log.moc"
