// SPDX-License-Identifier: Apache-2.0
// The Chat tab (llamaboard.md §7.1): load the top bar's model (+ its checkpoint as adapter) on the worker
// thread, see what was loaded (architecture, parameters, dtype, context length, template), and chat with
// streamed replies; Stop aborts generation, Clear history starts over, Unload frees the model.
// "Compare with base model" answers each message twice, side by side: by the base model and by the tuned one,
// with the same settings and seed; each side keeps its own history. With a LoRA checkpoint the base is the same
// weights with the adapter switched off for that reply; with a full/freeze checkpoint (a whole model folder) the
// top bar's model is loaded a second time, when comparison is first turned on. While a training or evaluation run holds the worker, Submit and Load wait for it.
// The reply side (submit, stop, streaming, the transcripts) is in chat_page_reply.cpp.
#pragma once

#include <QVector>
#include <QWidget>

#include "core/jobs/model_session.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTextBrowser;

namespace td::ui
{

class TopBar;

class ChatPage : public QWidget
{
    Q_OBJECT
public:
    /// What else holds the engine's worker: chat waits for a training or evaluation run to end.
    enum class WorkerUse
    {
        Free,
        Training,
        Evaluation,
    };

    ChatPage(td::jobs::EngineService* engine, TopBar* topBar, QWidget* parent = nullptr);

    td::jobs::ModelSession* session() const { return m_session; }
    /// The second model of a full/freeze comparison (loaded only then).
    td::jobs::ModelSession* baseSession() const { return m_baseSession; }
    void loadModel();
    void unloadModel();
    /// Sends the query box's text as a user message and streams the reply.
    void submit();
    void stop();
    void clearHistory();
    /// The conversation (in comparison mode: the tuned side's).
    QVector<td::jobs::ChatMessage> history() const { return m_history; }
    /// The base side's conversation in comparison mode (empty otherwise).
    QVector<td::jobs::ChatMessage> baseHistory() const { return m_baseHistory; }
    QString transcriptText() const;
    QString baseTranscriptText() const;
    QString infoText() const;
    td::jobs::ChatParams params() const;

    /// Turns "Compare with base model" on or off (it takes effect while a tuned model is loaded: a LoRA adapter,
    /// or a full/freeze checkpoint once its base model is loaded too).
    void setCompareWithBase(bool on);
    /// True while replies are answered twice.
    bool isComparing() const { return m_compareActive; }
    /// A reply (or both replies of a comparison) is being generated.
    bool isReplying() const { return m_replyJob != 0 || m_baseJob != 0; }

    /// Called by the main window when a training or evaluation run takes or leaves the worker.
    void setWorkerUse(WorkerUse use);
    WorkerUse workerUse() const { return m_workerUse; }
    /// Why Submit is disabled while the worker is taken (empty when it is free).
    QString workerNote() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void render();
    void setBusy(bool busy);
    /// Shows one transcript or the two comparison panes, as isComparing() changes.
    void updateView();
    void onReplyDelta(td::JobId id, const QString& delta);
    void onReplyEnded(td::JobId id, const QString& reply, bool ok);
    QString transcriptHtml(const QVector<td::jobs::ChatMessage>& history, const QString& pending,
                           bool streaming) const;
    QString summaryText(const td::jobs::ModelSummary& s) const;
    /// The loaded model has a base to compare with: an adapter, or (full/freeze) the top bar's model folder.
    bool canCompare() const;
    /// The tuned side's name: the adapter's folder, else the loaded model's.
    QString tunedName() const;

    td::jobs::EngineService* m_engine;
    TopBar* m_topBar;
    td::jobs::ModelSession* m_session;
    td::jobs::ModelSession* m_baseSession; // full/freeze comparison: the base model, loaded on demand
    QString m_basePath;                    // full/freeze checkpoint loaded: the top bar's model folder
    QVariantMap m_loadArgs;                // the loading keys the tuned model was loaded with (for the base)
    QString m_loadTemplate;
    QString m_loadDtype;
    td::JobId m_baseLoadJob = 0;
    QVector<td::jobs::ChatMessage> m_history;
    QVector<td::jobs::ChatMessage> m_baseHistory; // comparison: the base model's side
    QString m_pending;        // the reply being streamed
    QString m_basePending;    // comparison: the base model's reply being streamed
    td::JobId m_replyJob = 0;
    td::JobId m_baseJob = 0;
    td::JobId m_loadJob = 0;
    bool m_compareActive = false;
    WorkerUse m_workerUse = WorkerUse::Free;

    QPushButton* m_load;
    QPushButton* m_unload;
    QLabel* m_dtypeLabel;
    QComboBox* m_dtype;
    QLabel* m_info;
    QTextBrowser* m_transcript;
    QSplitter* m_compareView;
    QLabel* m_baseHeader;
    QTextBrowser* m_baseTranscript;
    QLabel* m_tunedHeader;
    QTextBrowser* m_tunedTranscript;
    QLabel* m_workerNote;
    QLineEdit* m_system;
    QPlainTextEdit* m_query;
    QPushButton* m_submit;
    QPushButton* m_stop;
    QPushButton* m_clear;
    QLabel* m_maxNewLabel;
    QSpinBox* m_maxNew;
    QLabel* m_topPLabel;
    QDoubleSpinBox* m_topP;
    QLabel* m_temperatureLabel;
    QDoubleSpinBox* m_temperature;
    QLabel* m_repetitionLabel;
    QDoubleSpinBox* m_repetition;
    QLabel* m_seedLabel;
    QSpinBox* m_seed;
    QCheckBox* m_skipSpecial;
    QCheckBox* m_thinking;
    QCheckBox* m_compare;
};

} // namespace td::ui
