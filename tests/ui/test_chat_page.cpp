// SPDX-License-Identifier: Apache-2.0
// The Chat tab with a real (tiny) model: loading on the worker thread shows what was loaded, replies stream
// and add up to the final text, a fixed seed reproduces a reply, Stop and Unload work, a bad folder is an
// error in the UI, not a crash. The model is the llama fixture (tests/data/models/llama).
// With the demo model (<build>/demo/model) and a LoRA adapter trained by a short real run on the Train tab:
// Submit waits while that run (and an evaluation run) holds the worker; "Compare with base model" answers twice,
// side by side, the base side exactly as the model without the adapter and the tuned side exactly as the model
// with it; each side keeps its own history; Stop stops both.
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "core/jobs/engine_service.h"
#include "core/jobs/model_session.h"
#include "core/jobs/train_session.h"
#include "ui/main_window.h"
#include "ui/pages/chat_page.h"
#include "ui/pages/eval_page.h"
#include "ui/pages/train_page.h"
#include "ui/top_bar.h"
#include "ui/train/train_form.h"
#include "ui/widgets/dataset_picker.h"

using namespace td::ui;
using td::jobs::ModelSession;

namespace
{
QString fixtureModel()
{
    return qEnvironmentVariable("TD_SOURCE_DIR") + QStringLiteral("/tests/data/models/llama");
}

QString demoModel()
{
    return qEnvironmentVariable("TD_BINARY_DIR") + QStringLiteral("/demo/model");
}

/// Loads the top bar's model (+ checkpoint) in the Chat tab and waits for it.
bool loadChatModel(MainWindow& w)
{
    QSignalSpy loaded(w.chatPage()->session(), &ModelSession::loaded);
    w.chatPage()->loadModel();
    return loaded.wait(60000);
}

/// Submits `text` and waits for the reply; returns it with the concatenated stream.
std::pair<QString, QString> ask(MainWindow& w, const QString& text)
{
    ChatPage* page = w.chatPage();
    QString streamed;
    auto c = QObject::connect(page->session(), &ModelSession::replyDelta, [&](td::JobId, const QString& d) {
        streamed += d;
    });
    QSignalSpy done(page->session(), &ModelSession::replyFinished);
    w.findChild<QPlainTextEdit*>(QStringLiteral("infer.query"))->setPlainText(text);
    page->submit();
    [&] { QVERIFY(done.wait(60000)); }();
    QObject::disconnect(c);
    return {done.isEmpty() ? QString() : done.at(0).at(1).toString(), streamed};
}
} // namespace

class TestChatPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale::c());
    }

    void loadChatStopUnload()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        ChatPage* page = w.chatPage();
        auto* submit = w.findChild<QPushButton*>(QStringLiteral("infer.submit_btn"));
        QVERIFY(!submit->isEnabled()); // nothing loaded yet
        w.topBar()->setModelPath(fixtureModel());
        QSignalSpy loaded(page->session(), &ModelSession::loaded);
        page->loadModel();
        QVERIFY(loaded.wait(60000));
        const auto s = loaded.at(0).at(0).value<td::jobs::ModelSummary>();
        QCOMPARE(s.modelType, QStringLiteral("llama"));
        QCOMPARE(s.layers, 2);
        QCOMPARE(s.contextLength, 256);
        QCOMPARE(s.vocabSize, 320);
        QCOMPARE(s.templateName, QStringLiteral("chatml")); // chosen from tokenizer_config.json
        QVERIFY(s.parameters > 0);
        QVERIFY2(page->infoText().contains(QStringLiteral("2 layers, context 256")), qPrintable(page->infoText()));
        QVERIFY(submit->isEnabled());

        w.findChild<QSpinBox*>(QStringLiteral("infer.max_new_tokens"))->setValue(12);
        w.findChild<QSpinBox*>(QStringLiteral("infer.seed"))->setValue(7);
        const auto [reply, streamed] = ask(w, QStringLiteral("hello there"));
        QCOMPARE(streamed.trimmed(), reply);
        QCOMPARE(page->history().size(), 2);
        QCOMPARE(page->history().at(0).content, QStringLiteral("hello there"));
        QCOMPARE(page->history().at(1).content, reply);
        QVERIFY(page->transcriptText().contains(QStringLiteral("hello there")));

        // The same seed and history give the same reply.
        page->clearHistory();
        const auto again = ask(w, QStringLiteral("hello there"));
        QCOMPARE(again.first, reply);

        // Stop right away: the job ends cancelled and the conversation keeps the user's message.
        page->clearHistory();
        w.findChild<QSpinBox*>(QStringLiteral("infer.max_new_tokens"))->setValue(8192);
        QTRY_VERIFY(!engine.isBusy()); // the previous reply's job has reported its end
        QSignalSpy finished(&engine, &td::jobs::EngineService::jobFinished);
        QSignalSpy replies(page->session(), &ModelSession::replyFinished);
        w.findChild<QPlainTextEdit*>(QStringLiteral("infer.query"))->setPlainText(QStringLiteral("count"));
        page->submit();
        page->stop();
        QVERIFY(finished.wait(60000));
        // Either the job was stopped before it started, or generation ended early with what it had.
        const bool stoppedBeforeStart = finished.at(0).at(1).value<td::jobs::JobOutcome>().cancelled();
        QVERIFY(stoppedBeforeStart || (replies.size() == 1 && replies.at(0).at(2).toString() == QStringLiteral("cancelled")));
        QCOMPARE(page->history().at(0).content, QStringLiteral("count"));

        page->unloadModel();
        QVERIFY(!page->session()->isLoaded());
        QVERIFY(page->history().isEmpty());
        QVERIFY(!submit->isEnabled());
    }

    void compareBaseAndTunedAndWaitForTraining()
    {
        QVERIFY2(QFileInfo::exists(demoModel() + QStringLiteral("/model.safetensors")),
                 "the demo model is missing: build the td_demo_model target");
        QTemporaryDir root;
        const QString saves = root.filePath(QStringLiteral("saves"));
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        ChatPage* chat = w.chatPage();
        w.topBar()->setSavesRoot(saves);
        w.topBar()->setModelPath(demoModel());
        w.topBar()->setFinetuningType(QStringLiteral("lora"));
        w.topBar()->setTemplateName(QStringLiteral("qwen"));
        auto* submit = w.findChild<QPushButton*>(QStringLiteral("infer.submit_btn"));
        auto* note = w.findChild<QLabel*>(QStringLiteral("infer.worker_note"));
        auto* compare = w.findChild<QCheckBox*>(QStringLiteral("infer.compare_base"));
        QVERIFY(loadChatModel(w));
        QVERIFY(submit->isEnabled());
        QVERIFY(!chat->session()->hasAdapter());
        QVERIFY(!compare->isEnabled()); // nothing to compare without an adapter

        // A short LoRA run on the Train tab (a high learning rate, so the adapter changes the answers), with the
        // final norm trained fully (modules_to_save), so the base side also needs its base weights back.
        TrainPage* train = w.trainPage();
        train->setDatasetDir(qEnvironmentVariable("TD_SOURCE_DIR") + QStringLiteral("/resources/demo/data"));
        train->setSelectedDatasets({QStringLiteral("demo_alpaca")});
        train->form()->setValues({{QStringLiteral("cutoff_len"), qlonglong(64)},
                                  {QStringLiteral("max_samples"), qlonglong(16)},
                                  {QStringLiteral("batch_size"), qlonglong(2)},
                                  {QStringLiteral("gradient_accumulation_steps"), qlonglong(1)},
                                  {QStringLiteral("logging_steps"), qlonglong(1)},
                                  {QStringLiteral("learning_rate"), QStringLiteral("1e-2")},
                                  {QStringLiteral("compute_type"), QStringLiteral("fp32")},
                                  {QStringLiteral("extra_args"),
                                   QStringLiteral("{\"optim\": \"adamw_torch\", \"max_steps\": 6, "
                                                  "\"additional_target\": \"norm\"}")}});
        train->setOutputDirName(QStringLiteral("train_cmp"));
        QSignalSpy trained(train->session(), &td::jobs::TrainSession::finished);
        QVERIFY2(train->startTraining(), qPrintable(train->outputText()));
        // The run holds the worker: Submit and Load wait, and say why.
        QCOMPARE(chat->workerUse(), ChatPage::WorkerUse::Training);
        QVERIFY(!submit->isEnabled());
        QVERIFY(!w.findChild<QPushButton*>(QStringLiteral("infer.load_btn"))->isEnabled());
        QVERIFY2(submit->toolTip().contains(QStringLiteral("busy training")), qPrintable(submit->toolTip()));
        QVERIFY(note->isVisibleTo(chat));
        QCOMPARE(note->text(), QStringLiteral("The worker is busy training; chat resumes when the run ends."));
        w.findChild<QPlainTextEdit*>(QStringLiteral("infer.query"))->setPlainText(QStringLiteral("hi"));
        chat->submit(); // refused, not queued behind the run
        QVERIFY(chat->history().isEmpty());
        QVERIFY(trained.wait(120000));
        QVERIFY2(trained.at(0).at(0).value<td::jobs::TrainOutcome>().ok,
                 qPrintable(trained.at(0).at(0).value<td::jobs::TrainOutcome>().message));
        {
            QFile cfg(saves + QStringLiteral("/model/lora/train_cmp/adapter_config.json"));
            QVERIFY(cfg.open(QIODevice::ReadOnly));
            const QJsonArray saved = QJsonDocument::fromJson(cfg.readAll())[QStringLiteral("modules_to_save")].toArray();
            QCOMPARE(saved, QJsonArray{QStringLiteral("norm")});
        }
        QCOMPARE(chat->workerUse(), ChatPage::WorkerUse::Free);
        QVERIFY(submit->isEnabled());
        QVERIFY(!note->isVisibleTo(chat));
        QVERIFY(submit->toolTip().isEmpty());

        // Greedy (top-p keeps only the most likely token): the base model's answer, then the tuned one's. (The
        // demo model is random, so its text says little; test_lora_switch checks that switching the adapter off
        // gives the base model's logits bit for bit.)
        w.findChild<QSpinBox*>(QStringLiteral("infer.max_new_tokens"))->setValue(24);
        w.findChild<QDoubleSpinBox*>(QStringLiteral("infer.top_p"))->setValue(0.01);
        w.findChild<QSpinBox*>(QStringLiteral("infer.seed"))->setValue(3);
        const QString question = QStringLiteral("Name three colours.");
        const QString base = ask(w, question).first;
        chat->clearHistory();
        w.topBar()->setCheckpoint(QStringLiteral("train_cmp")); // a run name: the folder under saves/
        QVERIFY(loadChatModel(w));
        QVERIFY(chat->session()->hasAdapter());
        QVERIFY(chat->session()->summary().adapter.endsWith(QStringLiteral("/train_cmp")));
        const QString tuned = ask(w, question).first;
        chat->clearHistory();
        qInfo("base: %s | tuned: %s", qPrintable(base), qPrintable(tuned));
        QVERIFY(!base.isEmpty() && !tuned.isEmpty());
        QVERIFY(base != tuned);

        // Side by side: two panes, each streamed, each equal to its model alone.
        QVERIFY(compare->isEnabled());
        chat->setCompareWithBase(true);
        QVERIFY(chat->isComparing());
        QVERIFY(w.findChild<QSplitter*>(QStringLiteral("infer.compare_view"))->isVisibleTo(chat));
        QVERIFY(!w.findChild<QTextBrowser*>(QStringLiteral("infer.chatbot"))->isVisibleTo(chat));
        QCOMPARE(w.findChild<QLabel*>(QStringLiteral("infer.base_header"))->text(), QStringLiteral("Base model"));
        QCOMPARE(w.findChild<QLabel*>(QStringLiteral("infer.tuned_header"))->text(), QStringLiteral("Tuned (train_cmp)"));
        QMap<td::JobId, QString> streams;
        auto c = connect(chat->session(), &ModelSession::replyDelta,
                         [&](td::JobId id, const QString& d) { streams[id] += d; });
        QSignalSpy replies(chat->session(), &ModelSession::replyFinished);
        w.findChild<QPlainTextEdit*>(QStringLiteral("infer.query"))->setPlainText(question);
        chat->submit();
        QVERIFY(chat->isReplying());
        QVERIFY(!compare->isEnabled()); // the mode changes between replies only
        QTRY_VERIFY_WITH_TIMEOUT(replies.size() == 2, 60000);
        disconnect(c);
        QCOMPARE(streams.size(), 2);
        const td::JobId baseJob = replies.at(0).at(0).value<td::JobId>(); // the base side goes first
        const td::JobId tunedJob = replies.at(1).at(0).value<td::JobId>();
        QCOMPARE(replies.at(0).at(1).toString(), base);
        QCOMPARE(replies.at(1).at(1).toString(), tuned);
        QCOMPARE(streams.value(baseJob).trimmed(), base);
        QCOMPARE(streams.value(tunedJob).trimmed(), tuned);
        QCOMPARE(chat->baseHistory().size(), 2);
        QCOMPARE(chat->baseHistory().at(1).content, base);
        QCOMPARE(chat->history().at(1).content, tuned);
        QVERIFY(chat->baseTranscriptText().contains(base));
        QVERIFY(chat->transcriptText().contains(tuned));
        QVERIFY(submit->isEnabled());

        // A second turn: each side continues its own conversation.
        QSignalSpy second(chat->session(), &ModelSession::replyFinished);
        w.findChild<QPlainTextEdit*>(QStringLiteral("infer.query"))->setPlainText(QStringLiteral("And two more?"));
        chat->submit();
        QTRY_VERIFY_WITH_TIMEOUT(second.size() == 2, 60000);
        QCOMPARE(chat->baseHistory().size(), 4);
        QCOMPARE(chat->history().size(), 4);
        QCOMPARE(chat->baseHistory().at(1).content, base);
        QCOMPARE(chat->history().at(1).content, tuned);

        // For people to look at: the two panes.
        w.tabs()->setCurrentWidget(chat);
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QDir().mkpath(QStringLiteral(TD_TEST_BINARY_DIR "/screenshots"));
        QVERIFY(w.grab().save(QStringLiteral(TD_TEST_BINARY_DIR "/screenshots/chat_compare.png")));

        // Stop stops both sides.
        w.findChild<QSpinBox*>(QStringLiteral("infer.max_new_tokens"))->setValue(8192);
        QTRY_VERIFY(!engine.isBusy());
        QSignalSpy ended(&engine, &td::jobs::EngineService::jobFinished);
        w.findChild<QPlainTextEdit*>(QStringLiteral("infer.query"))->setPlainText(QStringLiteral("count"));
        chat->submit();
        chat->stop();
        QTRY_VERIFY_WITH_TIMEOUT(ended.size() == 2, 60000);
        QTRY_VERIFY(!chat->isReplying());
        QVERIFY(submit->isEnabled());

        // Off again: one transcript, and the adapter is on again for the tuned model's answers.
        chat->clearHistory();
        chat->setCompareWithBase(false);
        QVERIFY(!chat->isComparing());
        QVERIFY(w.findChild<QTextBrowser*>(QStringLiteral("infer.chatbot"))->isVisibleTo(chat));
        w.findChild<QSpinBox*>(QStringLiteral("infer.max_new_tokens"))->setValue(24);
        QCOMPARE(ask(w, question).first, tuned);

        // An evaluation run holds the worker too.
        auto* eval = w.findChild<EvalPage*>(QStringLiteral("eval"));
        eval->datasetPicker()->setDatasetDir(qEnvironmentVariable("TD_SOURCE_DIR") + QStringLiteral("/resources/demo/data"));
        eval->datasetPicker()->setSelected({QStringLiteral("demo_alpaca")});
        eval->setValues({{QStringLiteral("max_samples"), 2}, {QStringLiteral("max_new_tokens"), 8}});
        eval->setOutputDirName(QStringLiteral("eval_chat"));
        QSignalSpy evaluated(eval->session(), &td::jobs::TrainSession::finished);
        QVERIFY2(eval->startEval(), qPrintable(eval->outputText()));
        QTRY_COMPARE(chat->workerUse(), ChatPage::WorkerUse::Evaluation);
        QVERIFY(!submit->isEnabled());
        QCOMPARE(note->text(), QStringLiteral("The worker is busy evaluating; chat resumes when the run ends."));
        QVERIFY(evaluated.wait(120000));
        QTRY_COMPARE(chat->workerUse(), ChatPage::WorkerUse::Free);
        QVERIFY(submit->isEnabled());
    }

    void quantizedAndRopeScaledFromTheTopBar()
    {
        // The top bar's quantization bit and RoPE scaling reach the chat's model: NF4 base weights, context
        // doubled (LLaMA-Factory's inference factor 2), and the reply still streams.
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setModelPath(fixtureModel());
        w.topBar()->setQuantizationBit(QStringLiteral("4"));
        w.topBar()->setRopeScaling(QStringLiteral("linear"));
        QSignalSpy loaded(w.chatPage()->session(), &ModelSession::loaded);
        w.chatPage()->loadModel();
        QVERIFY(loaded.wait(60000));
        const auto s = loaded.at(0).at(0).value<td::jobs::ModelSummary>();
        QCOMPARE(s.quantization, QStringLiteral("nf4"));
        QCOMPARE(s.contextLength, 512);
        QVERIFY2(w.chatPage()->infoText().contains(QStringLiteral("quantized: nf4")), qPrintable(w.chatPage()->infoText()));
        w.findChild<QSpinBox*>(QStringLiteral("infer.max_new_tokens"))->setValue(6);
        const auto [reply, streamed] = ask(w, QStringLiteral("hello"));
        QCOMPARE(streamed.trimmed(), reply);
        QCOMPARE(w.chatPage()->history().size(), 2);

        // 8 bits: int8 rows.
        w.topBar()->setQuantizationBit(QStringLiteral("8"));
        w.topBar()->setRopeScaling(QStringLiteral("none"));
        QVERIFY(loadChatModel(w));
        QCOMPARE(w.chatPage()->session()->summary().quantization, QStringLiteral("int8"));
        QCOMPARE(w.chatPage()->session()->summary().contextLength, 256);
    }

    void fullCheckpointComparesWithItsBaseModel()
    {
        // A full/freeze checkpoint is a whole model folder: comparison loads the top bar's model a second time
        // and each side answers with its own model. Here the "tuned" model is the demo and the base the llama
        // fixture; the base side must answer exactly as the fixture does alone (same seed, greedy or not).
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        ChatPage* page = w.chatPage();
        w.topBar()->setModelPath(fixtureModel());
        w.topBar()->setFinetuningType(QStringLiteral("full"));
        w.topBar()->setCheckpoint(demoModel());
        QVERIFY(loadChatModel(w));
        QCOMPARE(page->session()->summary().path, demoModel());
        QVERIFY(!page->session()->hasAdapter());
        QVERIFY(w.findChild<QCheckBox*>(QStringLiteral("infer.compare_base"))->isEnabled());
        QSignalSpy baseLoaded(page->baseSession(), &ModelSession::loaded);
        page->setCompareWithBase(true);
        QVERIFY(baseLoaded.wait(60000));
        QTRY_VERIFY(page->isComparing());
        QCOMPARE(page->baseSession()->summary().path, fixtureModel());
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("infer.tuned_header"))->text().contains(QStringLiteral("model")));
        w.findChild<QSpinBox*>(QStringLiteral("infer.max_new_tokens"))->setValue(10);
        w.findChild<QSpinBox*>(QStringLiteral("infer.seed"))->setValue(11);
        QSignalSpy both(page->session(), &ModelSession::replyFinished);
        QSignalSpy base(page->baseSession(), &ModelSession::replyFinished);
        w.findChild<QPlainTextEdit*>(QStringLiteral("infer.query"))->setPlainText(QStringLiteral("hello"));
        page->submit();
        QVERIFY(both.wait(60000));
        QTRY_VERIFY(!page->isReplying());
        QCOMPARE(base.size(), 1);
        QCOMPARE(page->baseHistory().size(), 2);
        QCOMPARE(page->history().size(), 2);
        const QString baseReply = page->baseHistory().at(1).content;

        // The fixture alone, same settings: the same answer as the base side.
        page->unloadModel();
        QVERIFY(!page->baseSession()->isLoaded());
        page->setCompareWithBase(false);
        w.topBar()->setFinetuningType(QStringLiteral("lora"));
        w.topBar()->setCheckpoint(QString());
        QVERIFY(loadChatModel(w));
        QCOMPARE(page->session()->summary().path, fixtureModel());
        const auto alone = ask(w, QStringLiteral("hello"));
        QCOMPARE(alone.first, baseReply);
    }

    void severalAdaptersMergeAllButTheLast()
    {
        // Two LoRA checkpoints in the top bar: the first is merged, the second attached (and switchable).
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setModelPath(fixtureModel());
        w.topBar()->setFinetuningType(QStringLiteral("lora"));
        w.topBar()->setCheckpoint(fixtureModel() + QStringLiteral("/lora_adapter, ") + fixtureModel() +
                                  QStringLiteral("/lora_adapter_rslora"));
        QVERIFY(loadChatModel(w));
        QVERIFY(w.chatPage()->session()->hasAdapter());
        QVERIFY(w.chatPage()->session()->summary().adapter.endsWith(QStringLiteral("lora_adapter_rslora")));
        w.chatPage()->setCompareWithBase(true);
        QTRY_VERIFY(w.chatPage()->isComparing());
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("infer.tuned_header"))->text().contains(QStringLiteral("lora_adapter_rslora")));
        // A folder that is not an adapter fails the load with its name.
        w.topBar()->setCheckpoint(fixtureModel() + QStringLiteral("/lora_adapter,") + fixtureModel() +
                                  QStringLiteral("/missing_adapter"));
        QSignalSpy failed(w.chatPage()->session(), &ModelSession::loadFailed);
        w.chatPage()->loadModel();
        QVERIFY(failed.wait(60000));
        QVERIFY2(w.chatPage()->infoText().contains(QStringLiteral("missing_adapter")), qPrintable(w.chatPage()->infoText()));
    }

    void badFolderIsAnErrorInTheUi()
    {
        QTemporaryDir empty;
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setModelPath(empty.path());
        QSignalSpy failed(w.chatPage()->session(), &ModelSession::loadFailed);
        w.chatPage()->loadModel();
        QVERIFY(failed.wait(60000));
        QVERIFY(!w.chatPage()->session()->isLoaded());
        QVERIFY(w.chatPage()->infoText().contains(QStringLiteral("config.json")));
        QTRY_VERIFY(w.findChild<QMessageBox*>(QStringLiteral("errorBox")));
    }
};

QTEST_MAIN(TestChatPage)
#include "test_chat_page.moc"
