// SPDX-License-Identifier: Apache-2.0
#include "ui/pages/export_page.h"

#include <algorithm>
#include <cmath>

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "core/jobs/engine_service.h"
#include "core/jobs/export_session.h"
#include "ui/error_text.h"
#include "ui/top_bar.h"

namespace td::ui
{

namespace
{
template <class T>
T* named(T* w, const char* name)
{
    w->setObjectName(QStringLiteral("export.%1").arg(QLatin1String(name)));
    return w;
}

QIcon icon(const char* name)
{
    return QIcon(QStringLiteral(":/icons/actions/%1.svg").arg(QLatin1String(name)));
}

QString esc(const QString& s)
{
    return s.toHtmlEscaped();
}

/// A logit difference as the CLI prints it: 0 stays 0, others in short scientific form.
QString diffText(double d)
{
    if (d == 0.0) {
        return QStringLiteral("0");
    }
    return QString::number(d, 'g', 3);
}

/// LLaMA-Factory YAML values may be strings; accepts true/false/1/0.
bool truthy(const QVariant& v)
{
    if (v.typeId() == QMetaType::Bool) {
        return v.toBool();
    }
    const QString s = v.toString().trimmed().toLower();
    return s == QLatin1String("true") || s == QLatin1String("1") || s == QLatin1String("yes");
}
} // namespace

ExportPage::ExportPage(td::jobs::EngineService* engine, TopBar* topBar, QWidget* parent)
    : QWidget(parent), m_engine(engine), m_topBar(topBar)
{
    setObjectName(QStringLiteral("export"));
    m_session = new td::jobs::ExportSession(engine, this);

    m_formatLabel = new QLabel(this);
    m_format = named(new QComboBox(this), "export_format");
    for (const char* id : {"hf", "gguf", "adapter"}) {
        m_format->addItem(QString(), QLatin1String(id)); // texts in retranslateUi()
    }
    m_sizeLabel = new QLabel(this);
    m_size = named(new QSpinBox(this), "export_size");
    m_size->setRange(1, 100); // LlamaBoard's slider: 1…100 GB, default 5
    m_size->setValue(5);
    m_dtypeLabel = new QLabel(this);
    m_dtype = named(new QComboBox(this), "export_dtype");
    // Values are infer_dtype's; "auto" keeps a 16-bit checkpoint dtype and saves float32 ones as bfloat16.
    for (const char* d : {"auto", "float16", "bfloat16", "float32"}) {
        m_dtype->addItem(QLatin1String(d), QLatin1String(d));
    }
    m_ggufLabel = new QLabel(this);
    m_gguf = named(new QComboBox(this), "export_gguf_type");
    for (const char* t : {"f16", "bf16", "f32", "q8_0", "q4_0"}) {
        m_gguf->addItem(QLatin1String(t), QLatin1String(t));
    }
    m_deviceLabel = new QLabel(this);
    auto* deviceBox = named(new QWidget(this), "export_device");
    m_deviceCpu = named(new QRadioButton(QStringLiteral("cpu"), deviceBox), "export_device_cpu");
    m_deviceAuto = named(new QRadioButton(QStringLiteral("auto"), deviceBox), "export_device_auto");
    m_device = new QButtonGroup(this);
    m_device->addButton(m_deviceCpu);
    m_device->addButton(m_deviceAuto);
    m_deviceCpu->setChecked(true);
    auto* deviceLayout = new QHBoxLayout(deviceBox);
    deviceLayout->setContentsMargins(0, 0, 0, 0);
    deviceLayout->addWidget(m_deviceCpu);
    deviceLayout->addWidget(m_deviceAuto);
    deviceLayout->addStretch(1);
    m_legacy = named(new QCheckBox(this), "export_legacy_format");
    m_legacy->setEnabled(false); // pytorch_model.bin is never written: safetensors only
    m_verify = named(new QCheckBox(this), "export_verify");
    m_verify->setChecked(true);

    m_dirLabel = new QLabel(this);
    m_dir = named(new QLineEdit(this), "export_dir");
    m_browse = named(new QPushButton(icon("open-folder"), QString(), this), "export_dir_browse");
    m_exportBtn = named(new QPushButton(icon("export"), QString(), this), "export_btn");
    m_cancelBtn = named(new QPushButton(icon("abort"), QString(), this), "cancel_btn");
    m_phase = named(new QLabel(this), "progress_label");
    m_progress = named(new QProgressBar(this), "progress_bar");
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_info = named(new QTextBrowser(this), "info_box");
    m_info->setOpenLinks(false);

    auto* grid = new QGridLayout;
    grid->addWidget(m_formatLabel, 0, 0);
    grid->addWidget(m_format, 0, 1);
    grid->addWidget(m_sizeLabel, 0, 2);
    grid->addWidget(m_size, 0, 3);
    grid->addWidget(m_dtypeLabel, 1, 0);
    grid->addWidget(m_dtype, 1, 1);
    grid->addWidget(m_ggufLabel, 1, 2);
    grid->addWidget(m_gguf, 1, 3);
    grid->addWidget(m_deviceLabel, 2, 0);
    grid->addWidget(deviceBox, 2, 1);
    grid->addWidget(m_legacy, 2, 2);
    grid->addWidget(m_verify, 2, 3);
    grid->addWidget(m_dirLabel, 3, 0);
    auto* dirRow = new QHBoxLayout;
    dirRow->addWidget(m_dir, 1);
    dirRow->addWidget(m_browse);
    grid->addLayout(dirRow, 3, 1, 1, 3);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_exportBtn, 1);
    buttons->addWidget(m_cancelBtn);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(m_phase);
    progressRow->addWidget(m_progress, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addLayout(buttons);
    layout->addLayout(progressRow);
    layout->addWidget(m_info, 1);

    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportPage::updateVisibility);
    connect(m_browse, &QPushButton::clicked, this, &ExportPage::browseExportDir);
    connect(m_exportBtn, &QPushButton::clicked, this, &ExportPage::startExport);
    connect(m_cancelBtn, &QPushButton::clicked, this, &ExportPage::cancelExport);
    connect(m_session, &td::jobs::ExportSession::started, this, [this] {
        m_currentPhase = QStringLiteral("loading");
        m_phase->setText(phaseText(m_currentPhase));
    });
    connect(m_session, &td::jobs::ExportSession::progress, this,
            [this](const QString& phase, qint64 done, qint64 total) {
                m_currentPhase = phase;
                m_phase->setText(phaseText(phase));
                if (total > 0) {
                    m_progress->setRange(0, 1000);
                    m_progress->setValue(int(1000 * std::min(done, total) / total));
                } else {
                    m_progress->setRange(0, 0); // busy indicator
                }
            });
    connect(m_session, &td::jobs::ExportSession::outcome, this, [this](const td::jobs::ExportOutcome& o) {
        m_currentPhase.clear();
        m_phase->clear();
        m_progress->setRange(0, 1000);
        m_progress->setValue(o.ok ? 1000 : 0);
        setInfo([this, o] { return outcomeHtml(o); });
        setBusy(false);
        Q_EMIT exportFinished(o.ok, o.cancelled, o.toMap());
    });

    setInfo([] { return QString(); });
    retranslateUi();
    updateVisibility();
    setBusy(false);
}

void ExportPage::retranslateUi()
{
    m_formatLabel->setText(tr("Export format"));
    m_format->setItemText(0, tr("Hugging Face folder (merged)"));
    m_format->setItemText(1, tr("GGUF file (llama.cpp)"));
    m_format->setItemText(2, tr("Adapter only (PEFT)"));
    m_format->setToolTip(tr("A merged model folder, one llama.cpp GGUF file, or the LoRA adapter alone."));
    m_sizeLabel->setText(tr("Max shard size (GB)"));
    m_size->setToolTip(tr("The maximum size for a model file."));
    m_size->setSuffix(tr(" GB"));
    m_dtypeLabel->setText(tr("Export dtype"));
    m_dtype->setToolTip(tr("auto keeps the checkpoint's 16-bit dtype and saves float32 checkpoints as bfloat16."));
    m_ggufLabel->setText(tr("GGUF type"));
    m_gguf->setToolTip(tr("q8_0 and q4_0 quantize the weights; f16, bf16 and f32 keep them unquantized."));
    m_deviceLabel->setText(tr("Export device"));
    m_deviceAuto->parentWidget()->setToolTip(
        tr("Which device should be used to export model. Adapters are merged on the CPU in both cases."));
    m_legacy->setText(tr("Export legacy format"));
    m_legacy->setToolTip(tr("TuneDesk writes safetensors only; pytorch_model.bin is not supported."));
    m_verify->setText(tr("Verify the export"));
    m_verify->setToolTip(tr("Reload what was written and compare its logits with the merged model."));
    m_dirLabel->setText(tr("Export dir"));
    m_dir->setPlaceholderText(tr("Directory to save exported model (new or empty)."));
    m_browse->setText(tr("Browse…"));
    m_exportBtn->setText(tr("Export"));
    m_cancelBtn->setText(tr("Cancel"));
    if (!m_currentPhase.isEmpty()) {
        m_phase->setText(phaseText(m_currentPhase));
    }
    m_info->setHtml(m_infoText());
}

void ExportPage::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void ExportPage::updateVisibility()
{
    const bool gguf = format() == QLatin1String("gguf");
    const bool hf = format() == QLatin1String("hf");
    m_ggufLabel->setVisible(gguf);
    m_gguf->setVisible(gguf);
    m_dtypeLabel->setVisible(!gguf);
    m_dtype->setVisible(!gguf);
    m_sizeLabel->setEnabled(hf); // shards: merged folders only
    m_size->setEnabled(hf && !m_session->isActive());
}

void ExportPage::setBusy(bool busy)
{
    for (QWidget* w : std::initializer_list<QWidget*>{m_format, m_dtype, m_gguf, m_deviceCpu, m_deviceAuto, m_verify,
                                                      m_dir, m_browse, m_exportBtn}) {
        w->setEnabled(!busy);
    }
    m_size->setEnabled(!busy && format() == QLatin1String("hf"));
    m_cancelBtn->setEnabled(busy);
}

void ExportPage::setInfo(std::function<QString()> text)
{
    m_infoText = std::move(text);
    m_info->setHtml(m_infoText());
}

QString ExportPage::infoText() const
{
    return m_info->toPlainText();
}

QString ExportPage::phaseText(const QString& phase) const
{
    if (phase == QLatin1String("loading")) {
        return tr("Loading the model…");
    }
    if (phase == QLatin1String("merging")) {
        return tr("Merging adapters…");
    }
    if (phase == QLatin1String("writing")) {
        return tr("Writing files…");
    }
    if (phase == QLatin1String("verifying")) {
        return tr("Verifying the export…");
    }
    if (phase == QLatin1String("finishing")) {
        return tr("Finishing…");
    }
    return phase;
}

QString ExportPage::exportDir() const
{
    return m_dir->text().trimmed();
}

void ExportPage::setExportDir(const QString& dir)
{
    m_dir->setText(dir);
}

QString ExportPage::format() const
{
    return m_format->currentData().toString();
}

void ExportPage::setFormat(const QString& id)
{
    const int i = m_format->findData(id);
    if (i >= 0) {
        m_format->setCurrentIndex(i);
    }
}

void ExportPage::focusForm()
{
    m_dir->setFocus(Qt::OtherFocusReason);
}

void ExportPage::browseExportDir()
{
    const QString start = exportDir().isEmpty() ? m_topBar->savesRoot() : exportDir();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export dir"), start);
    if (!dir.isEmpty()) {
        m_dir->setText(dir);
    }
}

QStringList ExportPage::checkpointPaths() const
{
    return m_topBar->checkpointPaths(); // LlamaBoard §1.1: run names live under saves/, other items are paths
}

QVariantMap ExportPage::exportArguments() const
{
    QVariantMap a;
    const QString type = m_topBar->finetuningType();
    const QStringList ckpt = checkpointPaths();
    const bool lora = type == QLatin1String("lora");
    // The top bar's checkpoint: LoRA adapters are merged in order; a full/freeze run is itself the model.
    a.insert(QStringLiteral("model_name_or_path"), (!lora && !ckpt.isEmpty()) ? ckpt.first() : m_topBar->modelPath());
    if (lora && !ckpt.isEmpty()) {
        a.insert(QStringLiteral("adapter_name_or_path"), ckpt.join(QLatin1Char(',')));
    }
    const QString tmpl = m_topBar->templateName();
    if (!tmpl.isEmpty() && tmpl != QLatin1String("auto")) {
        a.insert(QStringLiteral("template"), tmpl);
    }
    a.insert(QStringLiteral("finetuning_type"), type);
    // Not the top bar's quantization bit, RoPE scaling or booster: LlamaBoard's export passes none of them
    // (adapters merge into full-precision weights; export_quantization_bit is the export's own).
    a.insert(QStringLiteral("export_dir"), exportDir());
    a.insert(QStringLiteral("export_size"), m_size->value());
    a.insert(QStringLiteral("export_device"),
             m_deviceAuto->isChecked() ? QStringLiteral("auto") : QStringLiteral("cpu"));
    a.insert(QStringLiteral("export_legacy_format"), m_legacy->isChecked());
    a.insert(QStringLiteral("export_format"), format());
    if (format() == QLatin1String("gguf")) {
        a.insert(QStringLiteral("export_gguf_type"), m_gguf->currentData().toString());
    } else {
        a.insert(QStringLiteral("infer_dtype"), m_dtype->currentData().toString());
    }
    a.insert(QStringLiteral("export_verify"), m_verify->isChecked());
    return a;
}

void ExportPage::applyArguments(const QVariantMap& args)
{
    auto has = [&args](const char* key) { return args.contains(QLatin1String(key)); };
    auto value = [&args](const char* key) { return args.value(QLatin1String(key)); };
    if (has("export_dir")) {
        m_dir->setText(value("export_dir").toString());
    }
    if (has("export_size")) {
        bool ok = false;
        const double gb = value("export_size").toString().toDouble(&ok);
        if (ok) {
            m_size->setValue(int(std::lround(gb)));
        }
    }
    if (has("export_device")) {
        (value("export_device").toString() == QLatin1String("auto") ? m_deviceAuto : m_deviceCpu)->setChecked(true);
    }
    if (has("export_legacy_format")) {
        m_legacy->setChecked(truthy(value("export_legacy_format")));
    }
    for (const char* key : {"infer_dtype", "export_dtype"}) {
        if (has(key)) {
            const int i = m_dtype->findData(value(key).toString());
            if (i >= 0) {
                m_dtype->setCurrentIndex(i);
            }
        }
    }
    if (has("export_format")) {
        QString f = value("export_format").toString();
        if (f == QLatin1String("safetensors")) {
            f = QStringLiteral("hf");
        } else if (f == QLatin1String("peft")) {
            f = QStringLiteral("adapter");
        }
        setFormat(f);
    }
    if (has("export_gguf_type")) {
        const int i = m_gguf->findData(value("export_gguf_type").toString().toLower());
        if (i >= 0) {
            m_gguf->setCurrentIndex(i);
        }
    }
    if (has("export_verify")) {
        m_verify->setChecked(truthy(value("export_verify")));
    }
}

bool ExportPage::isExporting() const
{
    return m_session->isActive();
}

bool ExportPage::startExport()
{
    // LlamaBoard's order (§1.10, §6): conflict → model → model path → export dir; then ours.
    if (m_session->isActive() || m_engine->isBusy()) {
        setInfo([] { return esc(tr("A process is in running, please abort it first.")); });
        return false;
    }
    const QString model = m_topBar->modelPath();
    if (model.isEmpty()) {
        setInfo([] { return esc(tr("Please select a model.")); });
        return false;
    }
    if (!QFileInfo(model).isDir()) {
        setInfo([model] { return esc(tr("Model not found.")) + QStringLiteral("<br>") + esc(model); });
        return false;
    }
    const QString dir = exportDir();
    if (dir.isEmpty()) {
        setInfo([] { return esc(tr("Please provide export dir.")); });
        return false;
    }
    const QStringList ckpt = checkpointPaths();
    if (format() == QLatin1String("adapter")) {
        if (ckpt.isEmpty() || m_topBar->finetuningType() != QLatin1String("lora")) {
            setInfo([] { return esc(tr("Please select an adapter.")); });
            return false;
        }
        if (ckpt.size() > 1) {
            setInfo([] { return esc(tr("Adapter only exports one adapter: select a single checkpoint.")); });
            return false;
        }
    }
    for (const QString& c : ckpt) {
        if (!QFileInfo(c).isDir()) {
            setInfo([c] { return esc(tr("Checkpoint not found: %1").arg(c)); });
            return false;
        }
    }
    // An export never overwrites anything: export_dir must be new or an empty folder.
    const QFileInfo target(dir);
    const auto anything = QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System;
    if (target.exists() && (!target.isDir() || !QDir(dir).isEmpty(anything))) {
        setInfo([dir] {
            return esc(tr("The export dir is not empty: %1").arg(dir)) + QStringLiteral("<br>")
                   + esc(tr("Choose a new or an empty folder; an export never overwrites files."));
        });
        return false;
    }

    const td::JobId id = m_session->start(exportArguments());
    if (id == 0) {
        setInfo([] { return esc(tr("A process is in running, please abort it first.")); });
        return false;
    }
    m_currentPhase.clear();
    m_phase->setText(tr("Waiting for the engine…"));
    m_progress->setRange(0, 0);
    setInfo([] { return esc(tr("Exporting model...")); });
    setBusy(true);
    return true;
}

void ExportPage::cancelExport()
{
    if (!m_session->isActive()) {
        return;
    }
    m_session->cancel();
    m_cancelBtn->setEnabled(false);
    setInfo([] { return esc(tr("Aborted, wait for terminating...")); });
}

QString ExportPage::outcomeHtml(const td::jobs::ExportOutcome& o) const
{
    const QLocale loc;
    QString html;
    if (o.cancelled) {
        html += QStringLiteral("<p>%1</p>").arg(esc(tr("Export cancelled; the export dir was left as it was.")));
        return html;
    }
    if (!o.ok) {
        html += QStringLiteral("<p><b>%1</b> %2</p>").arg(esc(tr("Failed.")), esc(ErrorText::title(o.code)));
        if (!o.message.isEmpty()) {
            html += QStringLiteral("<p>%1</p>").arg(esc(o.message));
        }
        if (!o.hint.isEmpty()) {
            html += QStringLiteral("<p>%1</p>").arg(esc(tr("Hint: %1").arg(o.hint)));
        }
        return html;
    }
    html += QStringLiteral("<p><b>%1</b></p>").arg(esc(tr("Model exported.")));
    html += QStringLiteral("<p>%1<br>%2<br>%3</p>")
                .arg(esc(tr("Output: %1").arg(o.outputDir)), esc(tr("Format: %1, %2").arg(o.format, o.dtype)),
                     esc(tr("Size: %1 (files: %2), written in %3 s")
                             .arg(loc.formattedDataSize(o.bytes), loc.toString(qlonglong(o.files.size())),
                                  loc.toString(o.seconds, 'f', 2))));
    if (o.adaptersMerged > 0) {
        html += QStringLiteral("<p>%1</p>").arg(esc(tr("Adapters merged: %1").arg(o.adaptersMerged)));
    }
    if (o.verificationRan) {
        const QString verdict = o.verificationPassed
                                    ? QStringLiteral("<b style=\"color:#15803d\">%1</b>").arg(esc(tr("PASS")))
                                    : QStringLiteral("<b style=\"color:#b91c1c\">%1</b>").arg(esc(tr("FAIL")));
        html += QStringLiteral("<p>%1 %2<br>%3<br>%4</p>")
                    .arg(esc(tr("Verification:")), verdict,
                         esc(tr("Max logit difference after reloading: %1 (tolerance %2)")
                                 .arg(diffText(o.maxAbsDiff), diffText(o.tolerance))),
                         esc(tr("Difference from the float32 merged model (precision cost): %1")
                                 .arg(diffText(o.maxAbsDiffVsFp32))));
    } else {
        html += QStringLiteral("<p>%1</p>").arg(esc(tr("Verification: skipped")));
    }
    html += QStringLiteral("<p>%1</p><ul>").arg(esc(tr("Files:")));
    for (const QString& f : o.files) {
        html += QStringLiteral("<li>%1</li>").arg(esc(f));
    }
    html += QStringLiteral("</ul>");
    if (!o.warnings.isEmpty()) {
        html += QStringLiteral("<p>%1</p><ul>").arg(esc(tr("Warnings:")));
        for (const QString& w : o.warnings) {
            html += QStringLiteral("<li>%1</li>").arg(esc(w));
        }
        html += QStringLiteral("</ul>");
    }
    return html;
}

} // namespace td::ui
