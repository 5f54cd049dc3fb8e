// SPDX-License-Identifier: Apache-2.0
// The progress bar of a run on the Train and Evaluate tabs (llamaboard.md §1.2, §1.4): hidden while no run is in
// progress; a busy bar with "Waiting for the running job to finish…" while the run is queued behind another job,
// "Starting…", "Preparing the dataset…", "Loading the model…"; then the step with LlamaBoard's label
// "Running <cur>/<total>: <elapsed> < <remaining>", the times taken from the last trainer_log.jsonl line.
#pragma once

#include <QProgressBar>

namespace td::jobs
{
struct JobProgressInfo;
struct TrainerLogEntry;
} // namespace td::jobs

namespace td::ui
{

class RunProgressBar : public QProgressBar
{
    Q_OBJECT
public:
    explicit RunProgressBar(QWidget* parent = nullptr);

    /// Start was pressed: shown, busy; `waiting` when another job holds the worker (the run is queued).
    void begin(bool waiting);
    /// The run left the queue.
    void started();
    /// Coalesced engine progress: "prepare" and "load" say what happens, other phases with a total move the bar.
    void showPhase(const td::jobs::JobProgressInfo& p);
    /// A trainer_log.jsonl line: its step and times.
    void showLog(const td::jobs::TrainerLogEntry& e);
    /// Hidden (finished, or aborting); reports are ignored until the next begin().
    void end();
    /// The label shown ("Running 3/6: 0:00:01 < 0:00:02"); empty while hidden.
    QString label() const;

    /// The queue message, for the output box too.
    static QString waitingText();

private:
    void showStep(qint64 current, qint64 total);

    bool m_active = false;
    bool m_hasLogLine = false;
    qint64 m_shownStep = -1; ///< coalesced progress may trail the log line of a later step
    QString m_elapsed;
    QString m_remaining;
};

} // namespace td::ui
