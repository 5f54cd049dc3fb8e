// SPDX-License-Identifier: Apache-2.0
// The Evaluate & Predict tab's run side (llamaboard.md §1.3, §1.11, §5.1): Start writes the run folder's argument
// files and hands the arguments to TrainSession (the engine's runTraining runs the prediction when do_train is
// off); progress and messages come back as signals; at the end the output box shows all_results.json and the
// results view reads the folder. The form side is in eval_page.cpp.
#include "ui/pages/eval_page.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QPushButton>

#include "core/jobs/args_file.h"
#include "core/jobs/engine_service.h"
#include "core/jobs/train_session.h"
#include "ui/eval/eval_results.h"
#include "ui/eval/results_view.h"
#include "ui/train/train_args.h"
#include "ui/widgets/run_progress.h"

namespace td::ui
{

bool EvalPage::isRunning() const
{
    return m_session->isActive();
}

QString EvalPage::progressText() const
{
    return m_progress->label();
}

bool EvalPage::startEval()
{
    if (isRunning()) {
        return false;
    }
    const TrainArgs a = currentArgs();
    if (!a.ok()) {
        showOutput(a.errors.join(QLatin1Char('\n')));
        return false;
    }
    const QString dir = outputPath();
    const QDir runDir(dir);
    QStringList lines = a.warnings;
    if (EvalResults::looksLikeEvalRun(dir)) {
        lines << tr("Output dir already holds results; this run replaces them.");
    }
    if (!QDir().mkpath(dir)) {
        showOutput(tr("Cannot create the output dir %1.").arg(dir));
        return false;
    }
    // As LlamaBoard does at Start: the arguments the engine reads, and the UI state that restores this tab
    // when the folder is chosen again.
    auto st = td::jobs::writeArgsFile(runDir.filePath(QStringLiteral("training_args.yaml")), a.args, a.order);
    if (st) {
        st = td::jobs::writeArgsFile(runDir.filePath(QStringLiteral("llamaboard_config.yaml")), uiState());
    }
    if (!st) {
        showOutput(QString::fromStdString(st.error().toString()));
        return false;
    }

    m_runDir = dir;
    m_runLog.clear();
    m_results->clear();
    const bool waiting = m_engine->isBusy(); // one device job at a time: the run queues behind it
    if (m_session->start(a.args) == 0) {
        return false;
    }
    setRunning(true);
    m_progress->begin(waiting);
    if (waiting) {
        lines << RunProgressBar::waitingText();
    }
    showOutput(lines.join(QLatin1Char('\n')));
    return true;
}

void EvalPage::abortEval()
{
    if (!isRunning()) {
        return;
    }
    m_session->abort();
    m_stopBtn->setEnabled(false);
    m_progress->end();
    m_output->appendPlainText(tr("Aborted, wait for terminating..."));
}

void EvalPage::setRunning(bool running)
{
    m_startBtn->setEnabled(!running);
    m_stopBtn->setEnabled(running);
    m_outputDir->setEnabled(!running);
}

void EvalPage::onFinished(const td::jobs::TrainOutcome& o)
{
    setRunning(false);
    m_progress->end();
    QString text;
    if (o.ok) {
        text = tr("Finished.");
    } else if (o.cancelled) {
        text = tr("Aborted.");
    } else {
        text = tr("Failed.") + QLatin1Char('\n') + o.message;
        if (!o.hint.isEmpty()) {
            text += QLatin1Char('\n') + tr("Hint: %1").arg(o.hint);
        }
    }
    // LlamaBoard shows all_results.json at the end (§1.11).
    QFile all(QDir(m_runDir).filePath(QStringLiteral("all_results.json")));
    if (!o.failed() && all.open(QIODevice::ReadOnly)) {
        const QJsonDocument doc = QJsonDocument::fromJson(all.readAll());
        if (doc.isObject()) {
            text += QStringLiteral("\n\n") + QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
        }
    }
    if (!m_runLog.isEmpty()) {
        text += QStringLiteral("\n\n") + m_runLog.join(QLatin1Char('\n'));
    }
    showOutput(text);
    // Every sample with its scores (what was generated before an Abort too).
    m_results->load(m_runDir);
    listRuns(); // the run joins the output-dir list; the next run gets a new name
}

} // namespace td::ui
