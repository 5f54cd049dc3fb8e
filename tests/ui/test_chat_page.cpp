// SPDX-License-Identifier: Apache-2.0
// The Chat tab with a real (tiny) model: loading on the worker thread shows what was loaded, replies stream
// and add up to the final text, a fixed seed reproduces a reply, Stop and Unload work, a bad folder is an
// error in the UI, not a crash. The model is the llama fixture (tests/data/models/llama).
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
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
#include "ui/main_window.h"
#include "ui/pages/chat_page.h"
#include "ui/top_bar.h"

using namespace td::ui;
using td::jobs::ModelSession;

namespace
{
QString fixtureModel()
{
    return qEnvironmentVariable("TD_SOURCE_DIR") + QStringLiteral("/tests/data/models/llama");
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
