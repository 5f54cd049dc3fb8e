// SPDX-License-Identifier: Apache-2.0
// Start and Abort on the Train tab with the real trainer: the bundled demo model (<build>/demo/model, written by
// the td_demo_model target) and the demo dataset (resources/demo/data), LoRA, a few steps. Start writes the run
// files and trains on the worker thread; the progress bar, the loss chart and the output box follow the run;
// Abort and closing the window stop it after the current step with a checkpoint; bad input is an error box,
// never a crash.
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <chrono>
#include <thread>

#include "core/jobs/args_file.h"
#include "core/jobs/engine_service.h"
#include "core/jobs/train_session.h"
#include "ui/main_window.h"
#include "ui/pages/train_page.h"
#include "ui/top_bar.h"
#include "ui/train/train_form.h"
#include "ui/widgets/loss_chart.h"

using namespace td::ui;
using td::jobs::TrainOutcome;
using td::jobs::TrainSession;

namespace
{
constexpr int kTrainTimeoutMs = 120000;

QString demoModel()
{
    return qEnvironmentVariable("TD_BINARY_DIR") + QStringLiteral("/demo/model");
}

/// A window set up for a short LoRA run of the demo model on demo_alpaca under `saves`.
void setUpRun(MainWindow& w, const QString& saves, const QString& runName, const QString& extraArgs)
{
    w.topBar()->setSavesRoot(saves);
    w.topBar()->setModelPath(demoModel());
    w.topBar()->setFinetuningType(QStringLiteral("lora"));
    w.topBar()->setTemplateName(QStringLiteral("qwen"));
    TrainPage* page = w.trainPage();
    page->setDatasetDir(qEnvironmentVariable("TD_SOURCE_DIR") + QStringLiteral("/resources/demo/data"));
    page->setSelectedDatasets({QStringLiteral("demo_alpaca")});
    page->form()->setValues({{QStringLiteral("cutoff_len"), qlonglong(64)},
                             {QStringLiteral("max_samples"), qlonglong(16)},
                             {QStringLiteral("batch_size"), qlonglong(2)},
                             {QStringLiteral("gradient_accumulation_steps"), qlonglong(1)},
                             {QStringLiteral("logging_steps"), qlonglong(1)},
                             {QStringLiteral("learning_rate"), QStringLiteral("1e-3")},
                             {QStringLiteral("compute_type"), QStringLiteral("fp32")},
                             {QStringLiteral("extra_args"), extraArgs}});
    w.findChild<QComboBox*>(QStringLiteral("train.output_dir"))->setCurrentText(runName);
}

QString runDir(const QString& saves, const QString& runName)
{
    return saves + QStringLiteral("/model/lora/") + runName;
}

QStringList checkpoints(const QString& dir)
{
    return QDir(dir).entryList({QStringLiteral("checkpoint-*")}, QDir::Dirs);
}
} // namespace

class TestTrainRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale::c());
        QVERIFY2(QFileInfo::exists(demoModel() + QStringLiteral("/model.safetensors")),
                 "the demo model is missing: build the td_demo_model target");
    }

    void startTrainsAndShowsTheRun()
    {
        QTemporaryDir root;
        const QString saves = root.filePath(QStringLiteral("saves"));
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        setUpRun(w, saves, QStringLiteral("train_gui"), QStringLiteral("{\"optim\": \"adamw_torch\", \"max_steps\": 6}"));
        TrainPage* page = w.trainPage();
        auto* start = w.findChild<QPushButton*>(QStringLiteral("train.start_btn"));
        auto* abort = w.findChild<QPushButton*>(QStringLiteral("train.stop_btn"));
        QVERIFY(start->isEnabled());
        QVERIFY(!abort->isEnabled());

        // Another job holds the worker: Start queues behind it and says so.
        std::atomic<bool> release{false};
        QSignalSpy otherStarted(&engine, &td::jobs::EngineService::jobStarted);
        engine.submit(QStringLiteral("other"), [&release](td::JobContext& ctx) -> td::Status {
            while (!release && !ctx.isCancelled()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
            return {};
        });
        QVERIFY(otherStarted.wait(20000));

        QStringList labels;
        connect(page->session(), &TrainSession::logLine, this, [&] { labels << page->progressText(); });
        QSignalSpy lines(page->session(), &TrainSession::logLine);
        QSignalSpy messages(page->session(), &TrainSession::message);
        QSignalSpy finished(page->session(), &TrainSession::finished);
        start->click();
        QVERIFY2(page->isTraining(), qPrintable(page->outputText()));
        QVERIFY(page->session()->isQueued());
        QVERIFY(!start->isEnabled());
        QVERIFY(abort->isEnabled());
        QVERIFY2(page->outputText().contains(QStringLiteral("Waiting for the running job to finish")),
                 qPrintable(page->outputText()));
        QCOMPARE(page->progressText(), QStringLiteral("Waiting for the running job to finish…"));
        // The run files are written at Start, before the trainer runs.
        const QString dir = runDir(saves, QStringLiteral("train_gui"));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/training_args.yaml")));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/llamaboard_config.yaml")));
        release = true;

        QVERIFY(finished.wait(kTrainTimeoutMs));
        const auto out = finished.at(0).at(0).value<TrainOutcome>();
        QVERIFY2(out.ok, qPrintable(out.message + QLatin1Char('\n') + out.hint));
        QCOMPARE(out.globalStep, 6);
        QCOMPARE(out.maxSteps, 6);
        QCOMPARE(lines.size(), 6);
        QVERIFY(!messages.isEmpty());
        QVERIFY2(labels.last().startsWith(QStringLiteral("Running 6/6: ")), qPrintable(labels.join(QLatin1Char('|'))));
        QVERIFY(labels.last().contains(QStringLiteral(" < ")));
        QCOMPARE(page->chart()->lossPoints(), 6);
        QVERIFY2(page->outputText().startsWith(QStringLiteral("Finished.")), qPrintable(page->outputText()));
        QVERIFY(page->outputText().contains(QStringLiteral("trainable params")));
        QVERIFY(start->isEnabled());
        QVERIFY(!abort->isEnabled());
        QVERIFY(!page->isTraining());
        QVERIFY(page->progressText().isEmpty()); // hidden again, as in LlamaBoard

        for (const char* f : {"adapter_model.safetensors", "adapter_config.json", "trainer_log.jsonl",
                              "running_log.txt", "training_args.yaml", "llamaboard_config.yaml"}) {
            QVERIFY2(QFileInfo::exists(dir + QLatin1Char('/') + QLatin1String(f)), f);
        }
        const auto args = td::jobs::readArgsFile(dir + QStringLiteral("/training_args.yaml"));
        QVERIFY(args);
        QCOMPARE(args->value(QStringLiteral("max_steps")).toLongLong(), 6);
        QCOMPARE(args->value(QStringLiteral("output_dir")).toString(), dir);
        const auto ui = td::jobs::readArgsFile(dir + QStringLiteral("/llamaboard_config.yaml"));
        QVERIFY(ui);
        QCOMPARE(ui->value(QStringLiteral("train.cutoff_len")).toLongLong(), 64);
        QVERIFY(!ui->contains(QStringLiteral("train.output_dir")));

        // The new run is a checkpoint of the top bar now.
        auto* ckpt = w.findChild<QComboBox*>(QStringLiteral("top.checkpoint_path"));
        QVERIFY(ckpt->findText(QStringLiteral("train_gui")) >= 0);

        // For people to look at: the tab after a run.
        w.resize(1400, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QDir().mkpath(QStringLiteral(TD_TEST_BINARY_DIR "/screenshots"));
        QVERIFY(w.grab().save(QStringLiteral(TD_TEST_BINARY_DIR "/screenshots/train_tab_finished.png")));
    }

    void abortStopsEarlyWithACheckpoint()
    {
        QTemporaryDir root;
        const QString saves = root.filePath(QStringLiteral("saves"));
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        setUpRun(w, saves, QStringLiteral("train_abort"),
                 QStringLiteral("{\"optim\": \"adamw_torch\", \"max_steps\": 100000, \"save_steps\": 1000000}"));
        TrainPage* page = w.trainPage();
        auto* start = w.findChild<QPushButton*>(QStringLiteral("train.start_btn"));
        auto* abort = w.findChild<QPushButton*>(QStringLiteral("train.stop_btn"));
        QSignalSpy lines(page->session(), &TrainSession::logLine);
        QSignalSpy finished(page->session(), &TrainSession::finished);
        QVERIFY(page->startTraining());
        QVERIFY(lines.wait(kTrainTimeoutMs));
        abort->click();
        QVERIFY(!abort->isEnabled());
        QVERIFY(page->outputText().contains(QStringLiteral("Aborted, wait for terminating...")));
        QVERIFY(finished.size() == 1 || finished.wait(kTrainTimeoutMs));
        const auto out = finished.at(0).at(0).value<TrainOutcome>();
        QVERIFY(out.cancelled);
        QVERIFY(!out.ok);
        QVERIFY2(out.globalStep >= 1 && out.globalStep < 100000, qPrintable(QString::number(out.globalStep)));
        qInfo("stopped at step %lld of %lld", qlonglong(out.globalStep), qlonglong(out.maxSteps));
        const QString dir = runDir(saves, QStringLiteral("train_abort"));
        QCOMPARE(checkpoints(dir), QStringList{QStringLiteral("checkpoint-%1").arg(out.globalStep)});
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/adapter_model.safetensors")));
        QVERIFY2(page->outputText().startsWith(QStringLiteral("Aborted.")), qPrintable(page->outputText()));
        QVERIFY(start->isEnabled());
        QVERIFY(!abort->isEnabled());
        QVERIFY(!w.findChild<QMessageBox*>(QStringLiteral("errorBox"))); // a stop is not an error
        // The stopped run can be resumed: it is listed in the output-dir box.
        QVERIFY(w.findChild<QComboBox*>(QStringLiteral("train.output_dir"))->findText(QStringLiteral("train_abort")) > 0);

        // Start again on the same folder: the trainer resumes from the checkpoint and the curve goes on.
        const qint64 stopped = out.globalStep;
        page->form()->setValues(
            {{QStringLiteral("extra_args"),
              QStringLiteral("{\"optim\": \"adamw_torch\", \"max_steps\": %1}").arg(stopped + 2)}});
        QSignalSpy again(page->session(), &TrainSession::finished);
        QVERIFY(page->startTraining());
        QVERIFY2(page->outputText().startsWith(QStringLiteral("Output dir already exists, will resume training from here.")),
                 qPrintable(page->outputText()));
        QVERIFY(again.wait(kTrainTimeoutMs));
        const auto resumed = again.at(0).at(0).value<TrainOutcome>();
        QVERIFY2(resumed.ok, qPrintable(resumed.message));
        QCOMPARE(resumed.resumedFromStep, stopped);
        QCOMPARE(resumed.globalStep, stopped + 2);
        QCOMPARE(page->chart()->lossPoints(), int(stopped + 2));
    }

    void closingWhileTrainingAsksAndStops()
    {
        QTemporaryDir root;
        const QString saves = root.filePath(QStringLiteral("saves"));
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        setUpRun(w, saves, QStringLiteral("train_close"),
                 QStringLiteral("{\"optim\": \"adamw_torch\", \"max_steps\": 100000, \"save_steps\": 1000000}"));
        w.show();
        TrainPage* page = w.trainPage();
        QSignalSpy lines(page->session(), &TrainSession::logLine);
        QSignalSpy finished(page->session(), &TrainSession::finished);
        QVERIFY(page->startTraining());
        QVERIFY(lines.wait(kTrainTimeoutMs));

        MainWindow::setNextAnswer(QMessageBox::No);
        QVERIFY(!w.close()); // refused: training goes on
        QVERIFY(page->isTraining());
        QVERIFY(!page->session()->isAborting());

        MainWindow::setNextAnswer(QMessageBox::Yes);
        QVERIFY(w.close());
        QVERIFY(finished.size() == 1 || finished.wait(kTrainTimeoutMs));
        const auto out = finished.at(0).at(0).value<TrainOutcome>();
        QVERIFY(out.cancelled);
        QVERIFY(out.globalStep < 100000);
        QVERIFY(!checkpoints(runDir(saves, QStringLiteral("train_close"))).isEmpty());
    }

    void badDatasetDirIsAnErrorNotACrash()
    {
        QTemporaryDir root;
        const QString saves = root.filePath(QStringLiteral("saves"));
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        setUpRun(w, saves, QStringLiteral("train_bad"), QStringLiteral("{\"max_steps\": 2}"));
        TrainPage* page = w.trainPage();
        page->setDatasetDir(root.filePath(QStringLiteral("no-such-data")));
        page->setSelectedDatasets({QStringLiteral("demo_alpaca")}); // a typed name, not listed
        QSignalSpy finished(page->session(), &TrainSession::finished);
        QVERIFY(page->startTraining());
        QVERIFY(finished.wait(kTrainTimeoutMs));
        const auto out = finished.at(0).at(0).value<TrainOutcome>();
        QVERIFY(out.failed());
        QVERIFY(!out.message.isEmpty());
        qInfo("%s", qPrintable(page->outputText().section(QLatin1Char('\n'), 0, 2)));
        QVERIFY2(page->outputText().startsWith(QStringLiteral("Failed.\n")), qPrintable(page->outputText()));
        QVERIFY(page->outputText().contains(out.message));
        auto* box = w.findChild<QMessageBox*>(QStringLiteral("errorBox"));
        QVERIFY(box);
        QVERIFY(box->detailedText().contains(out.message));
        QVERIFY(w.findChild<QPushButton*>(QStringLiteral("train.start_btn"))->isEnabled());
        QVERIFY(!page->isTraining());

        // Validation that the form can do itself never reaches the trainer (LlamaBoard's messages).
        page->setSelectedDatasets({});
        QVERIFY(!page->startTraining());
        QCOMPARE(page->outputText(), QStringLiteral("Please choose a dataset."));
    }
};

QTEST_MAIN(TestTrainRun)
#include "test_train_run.moc"
