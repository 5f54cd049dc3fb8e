// SPDX-License-Identifier: Apache-2.0
// The Chat tab (llamaboard.md §7.1): load the top bar's model (+ its checkpoint as adapter) on the worker
// thread, see what was loaded (architecture, parameters, dtype, context length, template), and chat with
// streamed replies; Stop aborts generation, Clear history starts over, Unload frees the model.
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
class QTextBrowser;

namespace td::ui
{

class TopBar;

class ChatPage : public QWidget
{
    Q_OBJECT
public:
    ChatPage(td::jobs::EngineService* engine, TopBar* topBar, QWidget* parent = nullptr);

    td::jobs::ModelSession* session() const { return m_session; }
    void loadModel();
    void unloadModel();
    /// Sends the query box's text as a user message and streams the reply.
    void submit();
    void stop();
    void clearHistory();
    QVector<td::jobs::ChatMessage> history() const { return m_history; }
    QString transcriptText() const;
    QString infoText() const;
    td::jobs::ChatParams params() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void render();
    void setBusy(bool busy);
    QString summaryText(const td::jobs::ModelSummary& s) const;

    td::jobs::EngineService* m_engine;
    TopBar* m_topBar;
    td::jobs::ModelSession* m_session;
    QVector<td::jobs::ChatMessage> m_history;
    QString m_pending;        // the reply being streamed
    td::JobId m_replyJob = 0;
    td::JobId m_loadJob = 0;

    QPushButton* m_load;
    QPushButton* m_unload;
    QLabel* m_dtypeLabel;
    QComboBox* m_dtype;
    QLabel* m_info;
    QTextBrowser* m_transcript;
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
};

} // namespace td::ui
