// SPDX-License-Identifier: Apache-2.0
// The Train tab re-attaching to a run folder from disk (design.md: all run state lives in the run directory).
// Training runs in-process, so no run outlives the app; what a later session finds is the folder: selecting it
// (or the app restoring the last output dir at start) restores the form from llamaboard_config.yaml (LlamaBoard
// §1.7), rebuilds the chart and the progress bar from trainer_log.jsonl, shows the tail of running_log.txt and
// says whether the run finished or from which checkpoint-N Start resumes.
#include "ui/pages/train_page.h"

#include <algorithm>

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>

#include "core/jobs/args_file.h"
#include "core/jobs/train_session.h"
#include "core/jobs/trainer_log.h"
#include "ui/widgets/dataset_picker.h"
#include "ui/widgets/loss_chart.h"
#include "ui/widgets/run_progress.h"

namespace td::ui
{

namespace
{
constexpr int kRunningLogTail = 30;

/// The highest N of the folder's checkpoint-N sub-folders (0 when none).
qint64 lastCheckpoint(const QDir& run)
{
    qint64 best = 0;
    for (const QString& name : run.entryList({QStringLiteral("checkpoint-*")}, QDir::Dirs)) {
        bool ok = false;
        const qint64 n = name.mid(11).toLongLong(&ok);
        if (ok) {
            best = std::max(best, n);
        }
    }
    return best;
}

/// Final weights (LlamaBoard §1.7's list): the trainer saves them at the end of a run and on Abort.
bool hasFinalWeights(const QDir& run)
{
    static const QStringList kWeights = {
        QStringLiteral("adapter_model.safetensors"), QStringLiteral("adapter_model.bin"),
        QStringLiteral("model.safetensors"),         QStringLiteral("model.safetensors.index.json"),
        QStringLiteral("pytorch_model.bin"),         QStringLiteral("pytorch_model.bin.index.json")};
    return std::any_of(kWeights.begin(), kWeights.end(), [&run](const QString& f) { return run.exists(f); });
}

/// The last `count` lines of a text file (empty when it cannot be read).
QStringList tailLines(const QString& path, int count)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        return {};
    }
    QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    while (!lines.isEmpty() && lines.last().trimmed().isEmpty()) {
        lines.removeLast();
    }
    return lines.mid(std::max<qsizetype>(0, lines.size() - count));
}
} // namespace

QString TrainPage::outputDirName() const
{
    return m_outputDir->currentText().trimmed();
}

void TrainPage::setOutputDirName(const QString& name)
{
    m_outputDir->setCurrentText(name);
}

QString TrainPage::datasetDir() const
{
    return m_data->datasetDir();
}

void TrainPage::reattachRun()
{
    if (isTraining()) {
        return; // the chart and the output box follow the run in progress
    }
    const QString dir = outputPath();
    if (dir.isEmpty() || !QFileInfo(dir).isDir()) {
        m_chart->clear();
        m_progress->end();
        return;
    }
    const QDir run(dir);
    QStringList lines;

    // LlamaBoard restores every widget from the folder's UI state; a folder without one (LLaMA-Factory's CLI
    // runs) keeps the form as it is.
    const QString config = run.filePath(QStringLiteral("llamaboard_config.yaml"));
    if (QFileInfo::exists(config)) {
        const auto state = td::jobs::readArgsFile(config);
        if (state) {
            const QSignalBlocker block(m_outputDir); // restoring the top bar must not re-enter this
            restoreUiState(*state, /*withModel=*/false); // the folder is this model's: the top bar names it
        } else {
            lines << tr("The form was not restored: %1").arg(QString::fromStdString(state.error().toString()));
        }
    }

    qint64 step = 0;
    qint64 total = 0;
    QString stepLine;
    const auto log = td::jobs::readTrainerLog(run.filePath(QStringLiteral("trainer_log.jsonl")));
    if (log && !log->entries.isEmpty()) {
        m_chart->setRun(log->entries);
        const auto& last = log->entries.back();
        step = last.currentSteps;
        total = last.totalSteps;
        stepLine = tr("Step %1/%2 (%3%), elapsed %4.")
                       .arg(QLocale().toString(last.currentSteps), QLocale().toString(last.totalSteps),
                            QLocale().toString(last.percentage, 'f', 2), last.elapsedTime);
    } else {
        m_chart->clear();
    }
    // The bar stays where the run left it (no run in progress: it takes no reports until the next Start).
    m_progress->end();
    if (total > 0) {
        m_progress->setRange(0, int(total));
        m_progress->setValue(int(std::min(step, total)));
        m_progress->setFormat(tr("%1/%2 steps").arg(QLocale().toString(step), QLocale().toString(total)));
        m_progress->setVisible(true);
    }

    const qint64 checkpoint = lastCheckpoint(run);
    const bool weights = hasFinalWeights(run);
    if (weights && (total == 0 || step >= total)) {
        lines.prepend(tr("Finished."));
    } else if (checkpoint > 0) {
        lines.prepend(tr("Stopped at step %1 of %2 — Start resumes from checkpoint-%3.")
                          .arg(QLocale().toString(step), QLocale().toString(total), QString::number(checkpoint)));
    } else if (step > 0) {
        lines.prepend(tr("Stopped at step %1 of %2 with no checkpoint saved — Start trains from the beginning.")
                          .arg(QLocale().toString(step), QLocale().toString(total)));
    } else {
        lines.prepend(tr("This run has not logged a training step yet — Start trains from the beginning."));
    }
    if (!stepLine.isEmpty()) {
        lines.insert(1, stepLine);
    }
    const QStringList tail = tailLines(run.filePath(QStringLiteral("running_log.txt")), kRunningLogTail);
    if (!tail.isEmpty()) {
        lines << QString() << tail;
    }
    showOutput(lines.join(QLatin1Char('\n')));
}

} // namespace td::ui
