// SPDX-License-Identifier: Apache-2.0
#include "ui/pages/chat_page.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "core/jobs/engine_service.h"
#include "ui/top_bar.h"
#include "ui/train/train_args.h"

namespace td::ui
{

namespace
{
template <class T>
T* named(T* w, const char* name)
{
    w->setObjectName(QStringLiteral("infer.%1").arg(QLatin1String(name)));
    return w;
}
QIcon icon(const char* name)
{
    return QIcon(QStringLiteral(":/icons/actions/%1.svg").arg(QLatin1String(name)));
}
} // namespace

ChatPage::ChatPage(td::jobs::EngineService* engine, TopBar* topBar, QWidget* parent)
    : QWidget(parent), m_engine(engine), m_topBar(topBar)
{
    setObjectName(QStringLiteral("infer"));
    m_session = new td::jobs::ModelSession(engine, this);
    m_baseSession = new td::jobs::ModelSession(engine, this);

    m_load = named(new QPushButton(icon("model"), QString(), this), "load_btn");
    m_unload = named(new QPushButton(this), "unload_btn");
    m_dtypeLabel = new QLabel(this);
    m_dtype = named(new QComboBox(this), "infer_dtype");
    for (const char* d : {"auto", "float16", "bfloat16", "float32"}) {
        m_dtype->addItem(QLatin1String(d), QLatin1String(d));
    }
    m_info = named(new QLabel(this), "info_box");
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_transcript = named(new QTextBrowser(this), "chatbot");
    // Comparison: the base model's answers on the left, the tuned model's on the right.
    m_compareView = named(new QSplitter(Qt::Horizontal, this), "compare_view");
    auto pane = [this](const char* header, const char* browser, QLabel*& label, QTextBrowser*& view) {
        auto* box = new QWidget(m_compareView);
        auto* v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        label = named(new QLabel(box), header);
        QFont bold = label->font();
        bold.setBold(true);
        label->setFont(bold);
        view = named(new QTextBrowser(box), browser);
        v->addWidget(label);
        v->addWidget(view, 1);
        m_compareView->addWidget(box);
    };
    pane("base_header", "chatbot_base", m_baseHeader, m_baseTranscript);
    pane("tuned_header", "chatbot_tuned", m_tunedHeader, m_tunedTranscript);
    m_compareView->setVisible(false);
    m_workerNote = named(new QLabel(this), "worker_note");
    m_workerNote->setWordWrap(true);
    m_workerNote->setVisible(false);
    m_system = named(new QLineEdit(this), "system");
    m_query = named(new QPlainTextEdit(this), "query");
    m_query->setMaximumHeight(110);
    m_submit = named(new QPushButton(icon("chat"), QString(), this), "submit_btn");
    m_stop = named(new QPushButton(icon("abort"), QString(), this), "stop_btn");
    m_clear = named(new QPushButton(this), "clear_btn");

    m_maxNewLabel = new QLabel(this);
    m_maxNew = named(new QSpinBox(this), "max_new_tokens");
    m_maxNew->setRange(8, 8192);
    m_topPLabel = new QLabel(this);
    m_topP = named(new QDoubleSpinBox(this), "top_p");
    m_topP->setRange(0.01, 1.0);
    m_topP->setSingleStep(0.01);
    m_temperatureLabel = new QLabel(this);
    m_temperature = named(new QDoubleSpinBox(this), "temperature");
    m_temperature->setRange(0.01, 1.5);
    m_temperature->setSingleStep(0.01);
    m_repetitionLabel = new QLabel(this);
    m_repetition = named(new QDoubleSpinBox(this), "repetition_penalty");
    m_repetition->setRange(1.0, 2.0);
    m_repetition->setSingleStep(0.01);
    m_seedLabel = new QLabel(this);
    m_seed = named(new QSpinBox(this), "seed");
    m_seed->setRange(-1, 2147483647);
    m_skipSpecial = named(new QCheckBox(this), "skip_special_tokens");
    m_thinking = named(new QCheckBox(this), "enable_thinking");
    m_compare = named(new QCheckBox(this), "compare_base");
    const td::jobs::ChatParams defaults;
    m_maxNew->setValue(defaults.maxNewTokens);
    m_topP->setValue(defaults.topP);
    m_temperature->setValue(defaults.temperature);
    m_repetition->setValue(defaults.repetitionPenalty);
    m_seed->setValue(int(defaults.seed));
    m_skipSpecial->setChecked(defaults.skipSpecialTokens);
    m_thinking->setChecked(defaults.enableThinking);

    auto* top = new QHBoxLayout;
    top->addWidget(m_load);
    top->addWidget(m_unload);
    top->addWidget(m_dtypeLabel);
    top->addWidget(m_dtype);
    top->addWidget(m_info, 1);
    auto* params = new QGridLayout;
    params->addWidget(m_maxNewLabel, 0, 0);
    params->addWidget(m_maxNew, 0, 1);
    params->addWidget(m_topPLabel, 1, 0);
    params->addWidget(m_topP, 1, 1);
    params->addWidget(m_temperatureLabel, 2, 0);
    params->addWidget(m_temperature, 2, 1);
    params->addWidget(m_repetitionLabel, 3, 0);
    params->addWidget(m_repetition, 3, 1);
    params->addWidget(m_seedLabel, 4, 0);
    params->addWidget(m_seed, 4, 1);
    params->addWidget(m_skipSpecial, 5, 0, 1, 2);
    params->addWidget(m_thinking, 6, 0, 1, 2);
    params->addWidget(m_compare, 7, 0, 1, 2);
    params->addWidget(m_clear, 8, 0, 1, 2);
    params->setRowStretch(9, 1);
    auto* left = new QVBoxLayout;
    left->addWidget(m_transcript, 1);
    left->addWidget(m_compareView, 1);
    left->addWidget(m_system);
    left->addWidget(m_query);
    auto* send = new QHBoxLayout;
    send->addWidget(m_submit, 1);
    send->addWidget(m_stop);
    left->addLayout(send);
    left->addWidget(m_workerNote);
    auto* body = new QHBoxLayout;
    body->addLayout(left, 3);
    body->addLayout(params, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(body, 1);

    connect(m_load, &QPushButton::clicked, this, &ChatPage::loadModel);
    connect(m_unload, &QPushButton::clicked, this, &ChatPage::unloadModel);
    connect(m_submit, &QPushButton::clicked, this, &ChatPage::submit);
    connect(m_stop, &QPushButton::clicked, this, &ChatPage::stop);
    connect(m_clear, &QPushButton::clicked, this, &ChatPage::clearHistory);
    connect(m_compare, &QCheckBox::toggled, this, &ChatPage::updateView);
    connect(m_session, &td::jobs::ModelSession::loaded, this, [this](const td::jobs::ModelSummary& s) {
        m_loadJob = 0;
        m_info->setText(summaryText(s));
        setBusy(false);
    });
    connect(m_session, &td::jobs::ModelSession::loadFailed, this, [this](const td::jobs::JobOutcome& o) {
        m_loadJob = 0;
        m_info->setText(o.message); // the main window shows the translated error with details
        setBusy(false);
    });
    for (td::jobs::ModelSession* session : {m_session, m_baseSession}) {
        connect(session, &td::jobs::ModelSession::replyDelta, this, &ChatPage::onReplyDelta);
        connect(session, &td::jobs::ModelSession::replyFinished, this,
                [this](td::JobId id, const QString& reply, const QString&, const td::jobs::JobOutcome&) {
                    onReplyEnded(id, reply, true);
                });
    }
    connect(m_baseSession, &td::jobs::ModelSession::loaded, this, [this] {
        m_baseLoadJob = 0;
        if (m_basePath.isEmpty()) { // the tuned model was unloaded or replaced meanwhile
            m_baseSession->unload();
        }
        setBusy(false); // updateView switches to the two panes
    });
    connect(m_baseSession, &td::jobs::ModelSession::loadFailed, this, [this](const td::jobs::JobOutcome& o) {
        m_baseLoadJob = 0;
        m_compare->setChecked(false);
        m_info->setText(summaryText(m_session->summary()) + QLatin1Char('\n') +
                        tr("The base model could not be loaded for comparison: %1").arg(o.message));
        setBusy(false);
    });
    // A reply job that failed or was cancelled ends without replyFinished: keep what was streamed.
    connect(m_engine, &td::jobs::EngineService::jobFinished, this,
            [this](td::JobId id, const td::jobs::JobOutcome& o) {
                if (!o.ok) {
                    onReplyEnded(id, QString(), false);
                }
                if (id == m_loadJob) {
                    m_loadJob = 0;
                    setBusy(false);
                }
                if (id == m_baseLoadJob) {
                    m_baseLoadJob = 0;
                    setBusy(false);
                }
            });
    retranslateUi();
    setBusy(false);
}

void ChatPage::retranslateUi()
{
    m_load->setText(tr("Load model"));
    m_unload->setText(tr("Unload model"));
    m_dtypeLabel->setText(tr("Inference dtype"));
    if (!m_session->isLoaded() && m_loadJob == 0) {
        m_info->setText(tr("Model unloaded, please load a model first."));
    } else if (m_session->isLoaded()) {
        m_info->setText(summaryText(m_session->summary()));
    }
    m_system->setPlaceholderText(tr("System prompt (optional)"));
    m_query->setPlaceholderText(tr("Input..."));
    m_submit->setText(tr("Submit"));
    m_stop->setText(tr("Stop"));
    m_clear->setText(tr("Clear history"));
    m_maxNewLabel->setText(tr("Maximum new tokens"));
    m_topPLabel->setText(tr("Top-p"));
    m_temperatureLabel->setText(tr("Temperature"));
    m_repetitionLabel->setText(tr("Repetition penalty"));
    m_seedLabel->setText(tr("Seed"));
    m_seed->setToolTip(tr("-1 draws a new seed for every reply."));
    m_skipSpecial->setText(tr("Skip special tokens"));
    m_thinking->setText(tr("Enable thinking"));
    m_compare->setText(tr("Compare with base model"));
    m_compare->setToolTip(tr("Answer each message twice, side by side: by the base model and by the tuned model, with "
                             "the same settings and seed. Needs a checkpoint selected in the top bar when the model is "
                             "loaded: a LoRA adapter is switched off for the base answers; a full or freeze checkpoint "
                             "loads the base model a second time (twice the memory)."));
    m_baseHeader->setText(tr("Base model"));
    m_tunedHeader->setText(tr("Tuned (%1)").arg(tunedName()));
    m_workerNote->setText(workerNote());
    m_submit->setToolTip(workerNote());
    m_load->setToolTip(workerNote());
}

void ChatPage::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        render();
    }
    QWidget::changeEvent(event);
}

QString ChatPage::summaryText(const td::jobs::ModelSummary& s) const
{
    const QLocale loc;
    QString text = tr("%1 (%2): %3 parameters, %4 layers, context %5, %6 on %7, template %8")
                       .arg(s.modelType, s.architecture.isEmpty() ? s.modelType : s.architecture,
                            loc.toString(s.parameters), loc.toString(s.layers), loc.toString(s.contextLength),
                            s.dtype, s.device, s.templateName);
    if (!s.quantization.isEmpty() && s.quantization != QLatin1String("none")) {
        text += QLatin1Char('\n') + tr("Base weights quantized: %1").arg(s.quantization);
    }
    if (!s.adapter.isEmpty()) {
        text += QLatin1Char('\n') + tr("Adapter: %1").arg(s.adapter);
    }
    return text;
}

td::jobs::ChatParams ChatPage::params() const
{
    td::jobs::ChatParams p;
    p.maxNewTokens = m_maxNew->value();
    p.topP = m_topP->value();
    p.temperature = m_temperature->value();
    p.repetitionPenalty = m_repetition->value();
    p.seed = m_seed->value();
    p.skipSpecialTokens = m_skipSpecial->isChecked();
    p.enableThinking = m_thinking->isChecked();
    return p;
}

void ChatPage::loadModel()
{
    if (m_topBar->modelPath().isEmpty()) {
        m_info->setText(tr("Please select a model."));
        return;
    }
    // The top bar's checkpoint is an adapter for LoRA; for full/freeze it is itself the model folder.
    const bool lora = m_topBar->finetuningType() == QLatin1String("lora");
    const QStringList checkpoints = m_topBar->checkpointPaths();
    const QString checkpoint = checkpoints.value(0);
    const QString model = (!lora && !checkpoint.isEmpty()) ? checkpoint : m_topBar->modelPath();
    // Several LoRA checkpoints: the earlier ones are merged into the base, the last one stays switchable.
    const QString adapter = lora ? checkpoints.join(QLatin1Char(',')) : QString();
    // The top bar's loading keys, mapped as for training (LlamaBoard's chat passes the Liger kernel too).
    TrainArgs keys;
    keys.setQuantization(m_topBar->modelOptions(), TrainArgs::Runner::Chat);
    keys.setBooster(m_topBar->modelOptions(), TrainArgs::Runner::Chat);
    if (!keys.ok()) {
        m_info->setText(keys.errors.join(QLatin1Char('\n')));
        return;
    }
    keys.dropEmpty();
    m_info->setText(tr("Loading model..."));
    setBusy(true);
    // A full/freeze checkpoint is a whole model: its base (for comparison) is the top bar's model folder.
    m_baseSession->unload();
    m_basePath = (!lora && model != m_topBar->modelPath()) ? m_topBar->modelPath() : QString();
    m_loadArgs = keys.args;
    m_loadTemplate = m_topBar->templateName();
    m_loadDtype = m_dtype->currentData().toString();
    m_loadJob = m_session->load(model, adapter, m_loadTemplate, m_loadDtype, m_loadArgs);
}

void ChatPage::unloadModel()
{
    stop();
    m_session->unload();
    m_baseSession->unload();
    m_basePath.clear();
    clearHistory();
    m_info->setText(tr("Model unloaded."));
    setBusy(false);
}

void ChatPage::setBusy(bool busy)
{
    const bool loaded = m_session->isLoaded();
    const bool free = m_workerUse == WorkerUse::Free;
    m_load->setEnabled(!busy && free);
    m_unload->setEnabled(!busy && loaded);
    m_submit->setEnabled(!busy && loaded && free);
    m_stop->setEnabled(isReplying());
    // Comparison needs a base (adapter off, or a second model); the mode changes between replies only.
    m_compare->setEnabled(!isReplying() && (!loaded || canCompare()));
    updateView();
}

bool ChatPage::canCompare() const
{
    return m_session->isLoaded() && (m_session->hasAdapter() || !m_basePath.isEmpty());
}

QString ChatPage::tunedName() const
{
    const auto s = m_session->summary();
    return QFileInfo(s.adapter.isEmpty() ? s.path : s.adapter).fileName();
}

void ChatPage::setCompareWithBase(bool on)
{
    m_compare->setChecked(on);
}

void ChatPage::updateView()
{
    const bool asked = m_compare->isChecked() && canCompare();
    if (asked && !m_session->hasAdapter() && !m_baseSession->isLoaded()) {
        // Full/freeze: the base model is loaded once, the first time comparison is asked for.
        if (m_baseLoadJob == 0) {
            m_info->setText(summaryText(m_session->summary()) + QLatin1Char('\n') +
                            tr("Loading the base model %1 for comparison...").arg(m_basePath));
            m_baseLoadJob = m_baseSession->load(m_basePath, QString(), m_loadTemplate, m_loadDtype, m_loadArgs);
        }
        return;
    }
    const bool want = asked;
    if (isReplying() || want == m_compareActive) { // the mode changes between replies only
        return;
    }
    // Turning it on: both sides start from the conversation so far; off: the tuned side goes on alone.
    m_compareActive = want;
    m_baseHistory = want ? m_history : QVector<td::jobs::ChatMessage>();
    m_basePending.clear();
    m_tunedHeader->setText(tr("Tuned (%1)").arg(tunedName()));
    m_transcript->setVisible(!want);
    m_compareView->setVisible(want);
    render();
}

QString ChatPage::workerNote() const
{
    switch (m_workerUse) {
    case WorkerUse::Training:
        return tr("The worker is busy training; chat resumes when the run ends.");
    case WorkerUse::Evaluation:
        return tr("The worker is busy evaluating; chat resumes when the run ends.");
    case WorkerUse::Free:
        break;
    }
    return {};
}

void ChatPage::setWorkerUse(WorkerUse use)
{
    m_workerUse = use;
    m_workerNote->setText(workerNote());
    m_workerNote->setVisible(use != WorkerUse::Free);
    m_submit->setToolTip(workerNote());
    m_load->setToolTip(workerNote());
    setBusy(isReplying() || m_loadJob != 0);
}

} // namespace td::ui
