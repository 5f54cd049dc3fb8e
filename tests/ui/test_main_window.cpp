// SPDX-License-Identifier: Apache-2.0
// The main window's structure and behaviour, offscreen: tabs, top bar, menus, log dock, status line,
// and the close-while-busy question. Widgets are found by objectName, as users' scripts and tests rely on.
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QFile>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/jobs/engine_service.h"
#include "ui/log_dock.h"
#include "ui/main_window.h"
#include "ui/top_bar.h"

using td::ui::MainWindow;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TuneDeskTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TuneDeskTest"));
        QLocale::setDefault(QLocale::c());
    }

    void hasLlamaBoardTabsInOrder()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        QTabWidget* tabs = w.findChild<QTabWidget*>(QStringLiteral("tabs"));
        QVERIFY(tabs);
        QCOMPARE(tabs->count(), 4);
        QCOMPARE(tabs->widget(0)->objectName(), QStringLiteral("train"));
        QCOMPARE(tabs->widget(1)->objectName(), QStringLiteral("eval"));
        QCOMPARE(tabs->widget(2)->objectName(), QStringLiteral("infer"));
        QCOMPARE(tabs->widget(3)->objectName(), QStringLiteral("export"));
        QCOMPARE(tabs->tabText(0), QStringLiteral("Train"));
        QCOMPARE(tabs->tabText(2), QStringLiteral("Chat"));
        QCOMPARE(tabs->tabText(1), QStringLiteral("Evaluate && Predict"));
        QVERIFY(w.findChild<QPushButton*>(QStringLiteral("eval.start_btn"))); // tests/ui/test_eval_page.cpp
    }

    void topBarHasTheSharedFields()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        // LlamaBoard's top bar (§1.1), every field (tests/ui/test_top_bar.cpp tests what they do).
        for (const char* name : {"top.lang", "top.model_name", "top.model_path", "top.finetuning_type",
                                 "top.checkpoint_path", "top.quantization_bit", "top.quantization_method",
                                 "top.template", "top.rope_scaling", "top.booster"}) {
            QVERIFY2(w.findChild<QComboBox*>(QString::fromLatin1(name)), name);
        }
        auto* type = w.findChild<QComboBox*>(QStringLiteral("top.finetuning_type"));
        QCOMPARE(type->currentData().toString(), QStringLiteral("lora")); // LlamaBoard's default
        QCOMPARE(w.topBar()->finetuningType(), QStringLiteral("lora"));
    }

    void checkpointListFollowsSavesLayout()
    {
        QTemporaryDir root;
        // Listed: run folders with final weights (LlamaBoard §1.7); a run still training (only checkpoint-N)
        // is not.
        for (const char* run : {"lora/train_2026-01-01/adapter_model.safetensors",
                                "lora/train_2026-01-02/adapter_model.safetensors",
                                "full/full_run/model.safetensors.index.json"}) {
            const QString file = root.filePath(QStringLiteral("saves/Tiny-Model/") + QLatin1String(run));
            QVERIFY(QDir().mkpath(QFileInfo(file).path()));
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        QVERIFY(QDir(root.path()).mkpath(QStringLiteral("saves/Tiny-Model/lora/train_running/checkpoint-10")));
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setSavesRoot(root.filePath(QStringLiteral("saves")));
        w.topBar()->setModelPath(QStringLiteral("/models/Tiny-Model"));
        auto* ckpt = w.findChild<QComboBox*>(QStringLiteral("top.checkpoint_path"));
        QCOMPARE(ckpt->count(), 2);
        QCOMPARE(ckpt->itemText(0), QStringLiteral("train_2026-01-01"));
        auto* type = w.findChild<QComboBox*>(QStringLiteral("top.finetuning_type"));
        type->setCurrentIndex(type->findData(QStringLiteral("full")));
        QCOMPARE(ckpt->count(), 1);
        QCOMPARE(ckpt->itemText(0), QStringLiteral("full_run"));
    }

    void menusExist()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        QStringList titles;
        for (QAction* a : w.menuBar()->actions()) {
            titles << a->text().remove(QLatin1Char('&'));
        }
        QCOMPARE(titles, (QStringList{QStringLiteral("File"), QStringLiteral("Model"), QStringLiteral("Export"),
                                      QStringLiteral("Language"), QStringLiteral("Help")}));
        auto* exportAction = w.findChild<QAction*>(QStringLiteral("actionExportMerged"));
        QVERIFY(exportAction);
        QVERIFY(exportAction->isEnabled()); // File → Export merged model… opens the Export tab
    }

    void languageMenuEmitsAndReflectsChoice()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        QSignalSpy spy(&w, &MainWindow::languageRequested);
        auto* combo = w.findChild<QComboBox*>(QStringLiteral("top.lang"));
        combo->setCurrentIndex(combo->findData(QStringLiteral("ru")));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("ru"));
        w.showLanguage(QStringLiteral("zh_CN")); // as app/ does after installing translators
        QCOMPARE(combo->currentData().toString(), QStringLiteral("zh_CN"));
        QCOMPARE(spy.count(), 1); // reflecting a choice does not request it again
    }

    void statusFollowsJobsAndLogDockShowsEngineLog()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        auto* status = w.findChild<QLabel*>(QStringLiteral("statusLabel"));
        auto* bar = w.findChild<QProgressBar*>(QStringLiteral("jobProgress"));
        QSignalSpy finished(&engine, &td::jobs::EngineService::jobFinished);
        engine.submit(QStringLiteral("probe"), [](td::JobContext& ctx) -> td::Status {
            ctx.progress({"work", 1, 2, "halfway"});
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
            ctx.progress({"work", 2, 2, "all done"});
            return {};
        });
        QVERIFY(finished.wait(20000));
        QCOMPARE(status->text(), QStringLiteral("Done."));
        QVERIFY(!bar->isVisibleTo(&w));
        // The job runner logs start and end; the dock shows it after the feed's next poll.
        auto* log = w.findChild<QPlainTextEdit*>(QStringLiteral("logView"));
        QTRY_VERIFY_WITH_TIMEOUT(log->toPlainText().contains(QStringLiteral("job 1 'probe' finished")), 5000);
    }

    void loadArgumentsFillsTheTopBar()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("model")));
        const QString yaml = dir.filePath(QStringLiteral("run.yaml"));
        QFile f(yaml);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("model_name_or_path: /models/Qwen3-0.6B\nfinetuning_type: freeze\ntemplate: qwen3\n"
                "learning_rate: 5.0e-5\n");
        f.close();
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.openPaths({yaml, dir.filePath(QStringLiteral("model"))});
        QCOMPARE(w.topBar()->finetuningType(), QStringLiteral("freeze"));
        QCOMPARE(w.topBar()->templateName(), QStringLiteral("qwen3"));
        QCOMPARE(w.loadedArguments().value(QStringLiteral("learning_rate")).toDouble(), 5e-5);
        // The folder given after the file wins for the model path, and joins the recent list.
        QCOMPARE(w.topBar()->modelPath(), dir.filePath(QStringLiteral("model")));
        QCOMPARE(w.topBar()->recentModels().first(), dir.filePath(QStringLiteral("model")));
    }

    void badArgumentsFileShowsAnErrorNotACrash()
    {
        QTemporaryDir dir;
        const QString yaml = dir.filePath(QStringLiteral("broken.yaml"));
        QFile f(yaml);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("stage: [sft\n");
        f.close();
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        QVERIFY(!w.loadArguments(yaml));
        auto* box = w.findChild<QMessageBox*>(QStringLiteral("errorBox"));
        QVERIFY(box);
        QCOMPARE(box->text(), QStringLiteral("A JSON or YAML file is malformed."));
        QVERIFY(box->detailedText().contains(QStringLiteral("broken.yaml:")));
        QVERIFY(w.loadedArguments().isEmpty());
    }

    void failedJobShowsTranslatedTitleHintAndDetails()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        QSignalSpy finished(&engine, &td::jobs::EngineService::jobFinished);
        engine.submit(QStringLiteral("load"), [](td::JobContext&) -> td::Status {
            return td::makeError(td::ErrorCode::BadCheckpoint, "model.safetensors: tensor x ends past the file",
                                 "download the model again");
        });
        QVERIFY(finished.wait(20000));
        auto* status = w.findChild<QLabel*>(QStringLiteral("statusLabel"));
        QCOMPARE(status->text(), QStringLiteral("Failed: The model checkpoint is damaged or incomplete."));
        auto* box = w.findChild<QMessageBox*>(QStringLiteral("errorBox"));
        QVERIFY(box);
        QCOMPARE(box->informativeText(), QStringLiteral("download the model again"));
        QVERIFY(box->detailedText().contains(QStringLiteral("tensor x ends past the file")));
    }

    void closingWhileBusyAsksFirst()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.show();
        std::atomic<bool> stop{false};
        QSignalSpy started(&engine, &td::jobs::EngineService::jobStarted);
        QSignalSpy finished(&engine, &td::jobs::EngineService::jobFinished);
        engine.submit(QStringLiteral("training"), [&](td::JobContext& ctx) -> td::Status {
            while (!ctx.isCancelled() && !stop) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
            return ctx.isCancelled() ? td::Status(td::makeError(td::ErrorCode::Cancelled, "aborted")) : td::Status{};
        });
        QVERIFY(started.wait(20000));

        MainWindow::setNextAnswer(QMessageBox::No);
        QVERIFY(!w.close()); // refused: the job goes on
        QVERIFY(w.isVisible());
        QVERIFY(engine.isBusy());

        MainWindow::setNextAnswer(QMessageBox::Yes);
        QVERIFY(w.close()); // accepted: the job is cancelled
        QVERIFY(finished.wait(20000));
        QVERIFY(finished.at(0).at(1).value<td::jobs::JobOutcome>().cancelled());
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
