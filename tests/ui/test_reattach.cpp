// SPDX-License-Identifier: Apache-2.0
// Re-attaching after a restart (issue: "reopening the app re-attaches to the state on disk"). Training runs
// in-process, so what a later session finds is the run folder. A window closed with a model, method, checkpoint,
// datasets and an existing output dir selected; a fresh window with the same QSettings restores them and shows the
// run as the disk has it: the form from llamaboard_config.yaml, the chart from trainer_log.jsonl, the progress bar
// at the last logged step, the tail of running_log.txt and where Start resumes (or that the run finished).
// The run folders are written by hand in the trainer's formats (the trainer's own output is covered by
// test_train_run, which reopens a real aborted run), so the test needs no model and runs in a second.
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QProgressBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "core/jobs/engine_service.h"
#include "ui/main_window.h"
#include "ui/pages/train_page.h"
#include "ui/top_bar.h"
#include "ui/train/train_form.h"
#include "ui/widgets/loss_chart.h"

using namespace td::ui;

namespace
{
bool writeFile(const QString& path, const QByteArray& text)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

QByteArray logLine(int step, int total, double loss)
{
    return QStringLiteral(R"({"current_steps": %1, "total_steps": %2, "loss": %3, "lr": 1e-04, "percentage": %4, )"
                          R"("elapsed_time": "0:00:%5", "remaining_time": "0:01:00"})"
                          "\n")
        .arg(step)
        .arg(total)
        .arg(loss)
        .arg(100.0 * step / total, 0, 'f', 2)
        .arg(step, 2, 10, QLatin1Char('0'))
        .toUtf8();
}
} // namespace

class TestReattach : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TuneDeskTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TuneDeskReattachTest"));
        QLocale::setDefault(QLocale::c());
        QSettings().clear();
    }

    void restartRestoresSelectionsAndTheRunFromDisk()
    {
        QTemporaryDir root;
        QVERIFY(QDir::setCurrent(root.path())); // saves/ and llamaboard_config/ are relative to it
        const QString data = qEnvironmentVariable("TD_SOURCE_DIR") + QStringLiteral("/resources/demo/data");
        const QString runs = root.filePath(QStringLiteral("saves/Tiny/lora"));

        // A run stopped at step 30 of 100 (Abort saves checkpoint-30 and the weights).
        const QString stopped = runs + QStringLiteral("/train_stopped");
        QVERIFY(writeFile(stopped + QStringLiteral("/trainer_log.jsonl"),
                          logLine(10, 100, 2.5) + logLine(20, 100, 2.0) + logLine(30, 100, 1.5)));
        QByteArray running;
        for (int i = 1; i <= 50; ++i) {
            running += QStringLiteral("running log line %1\n").arg(i).toUtf8();
        }
        QVERIFY(writeFile(stopped + QStringLiteral("/running_log.txt"), running));
        QVERIFY(writeFile(stopped + QStringLiteral("/checkpoint-20/adapter_model.safetensors"), "x"));
        QVERIFY(writeFile(stopped + QStringLiteral("/checkpoint-30/adapter_model.safetensors"), "x"));
        QVERIFY(writeFile(stopped + QStringLiteral("/adapter_model.safetensors"), "x"));
        QVERIFY(writeFile(stopped + QStringLiteral("/llamaboard_config.yaml"),
                          "top.finetuning_type: lora\n"
                          "top.checkpoint_path: ''\n"
                          "train.lora_rank: 32\n"
                          "train.cutoff_len: 512\n"
                          "train.learning_rate: '2e-4'\n"
                          "train.dataset_dir: " + data.toUtf8() + "\n"
                          "train.dataset:\n- demo_alpaca\n"));
        // A run that finished: its last line is the last step and the final weights are there.
        const QString done = runs + QStringLiteral("/train_done");
        QVERIFY(writeFile(done + QStringLiteral("/trainer_log.jsonl"), logLine(5, 10, 1.0) + logLine(10, 10, 0.5)));
        QVERIFY(writeFile(done + QStringLiteral("/adapter_model.safetensors"), "x"));
        QVERIFY(writeFile(done + QStringLiteral("/running_log.txt"), "Training completed.\n"));

        {
            td::jobs::EngineService engine;
            MainWindow w(&engine);
            w.topBar()->setModelPath(QStringLiteral("/models/Tiny"));
            w.topBar()->setFinetuningType(QStringLiteral("lora"));
            w.topBar()->setTemplateName(QStringLiteral("qwen"));
            w.trainPage()->setDatasetDir(data);
            w.trainPage()->setSelectedDatasets({QStringLiteral("demo_alpaca")});
            w.trainPage()->setOutputDirName(QStringLiteral("train_stopped"));
            w.topBar()->setCheckpoint(QStringLiteral("train_done")); // e.g. picked for chat
            QVERIFY(w.close());
        }

        // The next start.
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        TrainPage* page = w.trainPage();
        QCOMPARE(w.topBar()->modelPath(), QStringLiteral("/models/Tiny"));
        QCOMPARE(w.topBar()->finetuningType(), QStringLiteral("lora"));
        QCOMPARE(w.topBar()->templateName(), QStringLiteral("qwen"));
        QCOMPARE(w.topBar()->checkpoint(), QStringLiteral("train_done"));
        QCOMPARE(page->datasetDir(), data);
        QCOMPARE(page->selectedDatasets(), QStringList{QStringLiteral("demo_alpaca")});
        QCOMPARE(page->outputDirName(), QStringLiteral("train_stopped"));
        // The form as the run was started (llamaboard_config.yaml).
        QCOMPARE(page->form()->values().value(QStringLiteral("lora_rank")).toLongLong(), 32);
        QCOMPARE(page->form()->values().value(QStringLiteral("cutoff_len")).toLongLong(), 512);
        QCOMPARE(page->form()->values().value(QStringLiteral("learning_rate")).toString(), QStringLiteral("2e-4"));
        // The run's state from disk.
        QCOMPARE(page->chart()->lossPoints(), 3);
        auto* progress = w.findChild<QProgressBar*>(QStringLiteral("train.progress_bar"));
        QVERIFY(progress->isVisibleTo(page));
        QCOMPARE(progress->maximum(), 100);
        QCOMPARE(progress->value(), 30);
        QCOMPARE(page->progressText(), QStringLiteral("30/100 steps"));
        const QStringList out = page->outputText().split(QLatin1Char('\n'));
        QCOMPARE(out.value(0), QStringLiteral("Stopped at step 30 of 100 — Start resumes from checkpoint-30."));
        QCOMPARE(out.value(1), QStringLiteral("Step 30/100 (30.00%), elapsed 0:00:30."));
        QCOMPARE(out.last(), QStringLiteral("running log line 50"));
        QVERIFY(out.contains(QStringLiteral("running log line 21")));
        QVERIFY(!out.contains(QStringLiteral("running log line 20"))); // the tail, not the whole file

        // Another run folder: finished.
        page->setOutputDirName(QStringLiteral("train_done"));
        QVERIFY2(page->outputText().startsWith(QStringLiteral("Finished.\nStep 10/10 (100.00%)")),
                 qPrintable(page->outputText()));
        QVERIFY(page->outputText().endsWith(QStringLiteral("Training completed.")));
        QCOMPARE(page->chart()->lossPoints(), 2);
        QCOMPARE(progress->value(), 10);
        QCOMPARE(progress->maximum(), 10);
        // A new name: nothing on disk to show.
        page->setOutputDirName(QStringLiteral("train_new"));
        QCOMPARE(page->chart()->lossPoints(), 0);
        QVERIFY(!progress->isVisibleTo(page));
    }

    void aVanishedOutputDirIsNotRestored()
    {
        QTemporaryDir root;
        QVERIFY(QDir::setCurrent(root.path()));
        QSettings().setValue(QStringLiteral("train/output_dir"), QStringLiteral("train_gone"));
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        // A fresh train_<timestamp> name instead of a folder that no longer exists.
        QVERIFY2(w.trainPage()->outputDirName().startsWith(QStringLiteral("train_2")),
                 qPrintable(w.trainPage()->outputDirName()));
        QVERIFY(w.trainPage()->outputText().isEmpty());
    }
};

QTEST_MAIN(TestReattach)
#include "test_reattach.moc"
