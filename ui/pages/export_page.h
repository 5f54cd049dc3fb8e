// SPDX-License-Identifier: Apache-2.0
// The Export tab (llamaboard.md §1.13 and §6): merge the top bar's checkpoint into its base model and write a
// Hugging Face folder, a GGUF file, or the adapter alone. Model path, checkpoint (LoRA: adapter_name_or_path,
// comma-separated; full/freeze: the model folder), template and finetuning method come from the top bar;
// the tab adds LlamaBoard's export_size, export_device, export_legacy_format and export_dir, plus ours:
// export_format, export dtype (infer_dtype), export_gguf_type and verification. Unlike LlamaBoard the export
// runs on the engine's worker thread with a progress bar and Cancel (td::jobs::ExportSession); the info box
// shows the written files, their size and the verification (max logit difference, PASS/FAIL).
#pragma once

#include <functional>

#include <QVariantMap>
#include <QWidget>

namespace td::jobs
{
class EngineService;
class ExportSession;
struct ExportOutcome;
} // namespace td::jobs

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTextBrowser;

namespace td::ui
{

class TopBar;

class ExportPage : public QWidget
{
    Q_OBJECT
public:
    ExportPage(td::jobs::EngineService* engine, TopBar* topBar, QWidget* parent = nullptr);

    td::jobs::ExportSession* session() const { return m_session; }

    /// The arguments the current values produce (LLaMA-Factory export keys plus ours), unvalidated.
    QVariantMap exportArguments() const;
    /// Applies export keys from a LLaMA-Factory arguments file (export_dir, export_size, export_device,
    /// export_legacy_format, infer_dtype/export_dtype, export_format, export_gguf_type, export_verify).
    void applyArguments(const QVariantMap& args);

    /// Export (LlamaBoard's export_btn): validates like LlamaBoard and queues the export. False when refused
    /// (the info box says why).
    bool startExport();
    /// Cancel: the export stops at the next tensor or shard; export_dir is left as it was.
    void cancelExport();
    bool isExporting() const;

    QString exportDir() const;
    void setExportDir(const QString& dir);
    /// hf | gguf | adapter
    QString format() const;
    void setFormat(const QString& id);
    QString infoText() const;

    /// Puts the keyboard focus on the export dir (File → Export merged model…).
    void focusForm();

Q_SIGNALS:
    /// An export ended (outcome.toMap() of td::jobs::ExportOutcome).
    void exportFinished(bool ok, bool cancelled, const QVariantMap& summary);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void updateVisibility();
    void setBusy(bool busy);
    void browseExportDir();
    /// The top bar's checkpoint as folders: names without a path separator live under saves/<model>/<type>/.
    QStringList checkpointPaths() const;
    QString phaseText(const QString& phase) const;
    QString outcomeHtml(const td::jobs::ExportOutcome& o) const;
    /// Shows a message in the info box; `text` is called again on every language change.
    void setInfo(std::function<QString()> text);

    td::jobs::EngineService* m_engine;
    TopBar* m_topBar;
    td::jobs::ExportSession* m_session;

    QLabel* m_formatLabel;
    QComboBox* m_format;
    QLabel* m_sizeLabel;
    QSpinBox* m_size;
    QLabel* m_dtypeLabel;
    QComboBox* m_dtype;
    QLabel* m_ggufLabel;
    QComboBox* m_gguf;
    QLabel* m_deviceLabel;
    QRadioButton* m_deviceCpu;
    QRadioButton* m_deviceAuto;
    QButtonGroup* m_device;
    QCheckBox* m_legacy;
    QCheckBox* m_verify;
    QLabel* m_dirLabel;
    QLineEdit* m_dir;
    QPushButton* m_browse;
    QPushButton* m_exportBtn;
    QPushButton* m_cancelBtn;
    QLabel* m_phase;
    QProgressBar* m_progress;
    QTextBrowser* m_info;
    QString m_currentPhase;
    std::function<QString()> m_infoText;
};

} // namespace td::ui
