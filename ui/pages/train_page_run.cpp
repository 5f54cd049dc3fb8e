// SPDX-License-Identifier: Apache-2.0
// The Train tab's run side (llamaboard.md §1.3-1.4): Start writes the run folder's argument files and hands
// the LLaMA-Factory arguments to TrainSession; progress, log lines and the finish come back as signals.
// The form side is in train_page.cpp.
#include "ui/pages/train_page.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>

#include "core/jobs/args_file.h"
#include "core/jobs/engine_service.h"
#include "core/jobs/train_session.h"
#include "core/jobs/trainer_log.h"
#include "ui/top_bar.h"
#include "ui/train/train_args.h"
#include "ui/train/train_form.h"
#include "ui/widgets/loss_chart.h"
#include "ui/widgets/run_progress.h"

namespace td::ui
{

bool TrainPage::isTraining() const
{
    return m_session->isActive();
}

QString TrainPage::progressText() const
{
    return m_progress->label();
}

bool TrainPage::startTraining()
{
    if (isTraining()) {
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
    // The trainer resumes from the last checkpoint-N by itself (unless told to overwrite).
    const bool resume = runDir.exists() && !runDir.entryList({QStringLiteral("checkpoint-*")}, QDir::Dirs).isEmpty()
                        && !a.args.value(QStringLiteral("overwrite_output_dir")).toBool();
    if (resume) {
        lines << tr("Output dir already exists, will resume training from here.");
    }
    if (!QDir().mkpath(dir)) {
        showOutput(tr("Cannot create the output dir %1.").arg(dir));
        return false;
    }
    // LlamaBoard writes both files at Start (§1.8): the arguments the trainer reads, and the UI state that
    // restores the form when this folder is selected again (the Save arguments format).
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
    // A resumed run continues its curve; a new one starts empty.
    const auto log = td::jobs::readTrainerLog(runDir.filePath(QStringLiteral("trainer_log.jsonl")));
    if (resume && log) {
        m_chart->setRun(log->entries);
    } else {
        m_chart->clear();
    }
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

void TrainPage::abortTraining()
{
    if (!isTraining()) {
        return;
    }
    m_session->abort();
    m_stopBtn->setEnabled(false);
    m_progress->end();
    m_output->appendPlainText(tr("Aborted, wait for terminating..."));
}

void TrainPage::setRunning(bool running)
{
    m_startBtn->setEnabled(!running);
    m_stopBtn->setEnabled(running);
    m_outputDir->setEnabled(!running);
    Q_EMIT trainingActiveChanged(running);
}

void TrainPage::onTrainProgress(const td::jobs::JobProgressInfo& p)
{
    m_progress->showPhase(p); // ignored after Abort: the bar is hidden until the run ends
}

void TrainPage::onTrainLog(const td::jobs::TrainerLogEntry& e)
{
    m_chart->append(e);
    m_progress->showLog(e);
}

void TrainPage::onTrainMessage(const QString& text)
{
    m_runLog << text;
    m_output->appendPlainText(text);
}

void TrainPage::onTrainFinished(const td::jobs::TrainOutcome& o)
{
    setRunning(false);
    m_progress->end();
    // The curve as the run folder has it (the same view a reopened run gets).
    const auto log = td::jobs::readTrainerLog(QDir(m_runDir).filePath(QStringLiteral("trainer_log.jsonl")));
    if (log && !log->entries.isEmpty()) {
        m_chart->setRun(log->entries);
    }
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
    if (!m_runLog.isEmpty()) {
        text += QStringLiteral("\n\n") + m_runLog.join(QLatin1Char('\n'));
    }
    showOutput(text);
    // The run folder now holds weights: it joins the top bar's checkpoints and the output-dir list.
    m_topBar->refreshCheckpoints();
    refreshRuns();
}

} // namespace td::ui
