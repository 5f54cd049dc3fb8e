// SPDX-License-Identifier: Apache-2.0
#include "ui/widgets/run_progress.h"

#include "core/jobs/job_types.h"
#include "core/jobs/trainer_log.h"

namespace td::ui
{

RunProgressBar::RunProgressBar(QWidget* parent) : QProgressBar(parent)
{
    setTextVisible(true);
    setVisible(false); // LlamaBoard hides it while no run is in progress
}

QString RunProgressBar::waitingText()
{
    return tr("Waiting for the running job to finish…");
}

void RunProgressBar::begin(bool waiting)
{
    m_active = true;
    m_hasLogLine = false;
    m_shownStep = -1;
    m_elapsed.clear();
    m_remaining.clear();
    setRange(0, 0);
    setFormat(waiting ? waitingText() : tr("Starting…"));
    setVisible(true);
}

void RunProgressBar::started()
{
    if (m_active) {
        setRange(0, 0);
        setFormat(tr("Starting…"));
    }
}

void RunProgressBar::showPhase(const td::jobs::JobProgressInfo& p)
{
    if (!m_active) {
        return;
    }
    if (p.phase == QLatin1String("load")) {
        setRange(0, 0);
        setFormat(tr("Loading the model…"));
    } else if (p.phase == QLatin1String("prepare")) {
        setRange(0, 0);
        setFormat(tr("Preparing the dataset…"));
    } else if (p.total > 0) { // train, eval, predict, save
        showStep(p.current, p.total);
    }
}

void RunProgressBar::showLog(const td::jobs::TrainerLogEntry& e)
{
    if (!m_active) {
        return;
    }
    m_hasLogLine = true;
    m_elapsed = e.elapsedTime;
    m_remaining = e.remainingTime;
    showStep(e.currentSteps, e.totalSteps);
}

void RunProgressBar::showStep(qint64 current, qint64 total)
{
    if (total <= 0 || current < m_shownStep) {
        return;
    }
    m_shownStep = current;
    setRange(0, int(total));
    setValue(int(current));
    setFormat(m_hasLogLine ? tr("Running %1/%2: %3 < %4")
                                 .arg(QString::number(current), QString::number(total), m_elapsed, m_remaining)
                           : tr("Running %1/%2").arg(QString::number(current), QString::number(total)));
}

void RunProgressBar::end()
{
    m_active = false;
    setVisible(false);
}

QString RunProgressBar::label() const
{
    return isHidden() ? QString() : format();
}

} // namespace td::ui
