// SPDX-License-Identifier: Apache-2.0
// The Chat tab's reply side: Submit streams the reply (in comparison mode two replies, the base model's first,
// then the tuned model's, as two jobs on the worker with the same settings and seed), Stop cancels them,
// Clear history starts over, and the transcripts are rendered from the histories. The form side is in
// chat_page.cpp.
#include "ui/pages/chat_page.h"

#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRandomGenerator>
#include <QTextBrowser>

#include "core/jobs/engine_service.h"

namespace td::ui
{

void ChatPage::submit()
{
    const QString text = m_query->toPlainText().trimmed();
    if (text.isEmpty() || !m_session->isLoaded() || isReplying() || m_workerUse != WorkerUse::Free) {
        return;
    }
    const td::jobs::ChatMessage user{QStringLiteral("user"), text};
    td::jobs::ChatParams p = params();
    m_query->clear();
    m_history.push_back(user);
    m_pending.clear();
    if (m_compareActive) {
        // Both sides sample with the same seed, so the only difference between them is the adapter.
        if (p.seed < 0) {
            p.seed = QRandomGenerator::global()->bounded(2147483647);
        }
        m_baseHistory.push_back(user);
        m_basePending.clear();
        // One job after the other on the worker (FIFO): the base answer streams first, then the tuned one. The
        // base is the adapter switched off, or (full/freeze) the second model.
        m_baseJob = m_session->hasAdapter() ? m_session->chat(m_baseHistory, m_system->text(), p, /*useAdapter=*/false)
                                            : m_baseSession->chat(m_baseHistory, m_system->text(), p);
    }
    m_replyJob = m_session->chat(m_history, m_system->text(), p, /*useAdapter=*/true);
    render();
    setBusy(true);
}

void ChatPage::stop()
{
    // Both sides of a comparison: the running reply stops, the queued one never starts.
    for (const td::JobId id : {m_baseJob, m_replyJob}) {
        if (id != 0) {
            m_engine->cancel(id);
        }
    }
}

void ChatPage::clearHistory()
{
    m_history.clear();
    m_baseHistory.clear();
    m_pending.clear();
    m_basePending.clear();
    render();
}

void ChatPage::onReplyDelta(td::JobId id, const QString& delta)
{
    if (id == 0) {
        return;
    }
    if (id == m_replyJob) {
        m_pending += delta;
    } else if (id == m_baseJob) {
        m_basePending += delta;
    } else {
        return;
    }
    render();
}

void ChatPage::onReplyEnded(td::JobId id, const QString& reply, bool ok)
{
    if (id == 0 || (id != m_replyJob && id != m_baseJob)) {
        return;
    }
    const bool base = id == m_baseJob;
    auto& history = base ? m_baseHistory : m_history;
    QString& pending = base ? m_basePending : m_pending;
    // A reply that failed or was stopped keeps what was streamed.
    const QString text = ok ? reply : pending;
    if (!text.isEmpty()) {
        history.push_back({QStringLiteral("assistant"), text});
    }
    pending.clear();
    (base ? m_baseJob : m_replyJob) = 0;
    render();
    if (!isReplying()) {
        setBusy(false);
    }
}

QString ChatPage::transcriptHtml(const QVector<td::jobs::ChatMessage>& history, const QString& pending,
                                 bool streaming) const
{
    QString html;
    auto block = [&](const QString& who, const QString& text, const char* colour) {
        html += QStringLiteral("<p><b style=\"color:%1\">%2</b><br>%3</p>")
                    .arg(QLatin1String(colour), who.toHtmlEscaped(),
                         text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    };
    for (const auto& m : history) {
        if (m.role == QLatin1String("assistant")) {
            block(tr("Assistant"), m.content, "#0d9488");
        } else {
            block(tr("User"), m.content, "#4338ca");
        }
    }
    if (streaming) {
        block(tr("Assistant"), pending + QStringLiteral("▌"), "#0d9488");
    }
    return html;
}

void ChatPage::render()
{
    auto show = [](QTextBrowser* view, const QString& html) {
        view->setHtml(html);
        view->moveCursor(QTextCursor::End);
    };
    const QString tuned = transcriptHtml(m_history, m_pending, m_replyJob != 0);
    show(m_transcript, tuned);
    if (m_compareActive) {
        m_tunedHeader->setText(tr("Tuned (%1)").arg(tunedName()));
        show(m_tunedTranscript, tuned);
        show(m_baseTranscript, transcriptHtml(m_baseHistory, m_basePending, m_baseJob != 0));
    } else {
        m_tunedTranscript->clear();
        m_baseTranscript->clear();
    }
}

QString ChatPage::transcriptText() const
{
    return m_transcript->toPlainText();
}

QString ChatPage::baseTranscriptText() const
{
    return m_baseTranscript->toPlainText();
}

QString ChatPage::infoText() const
{
    return m_info->text();
}

} // namespace td::ui
