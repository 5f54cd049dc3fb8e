// SPDX-License-Identifier: Apache-2.0
// The Train tab: datasets from dataset_info.json, the hyperparameter forms, output dir and config path, and
// the buttons Preview command / Save arguments / Load arguments / Start / Abort (llamaboard.md §1.2-1.3).
// Start and Abort stay disabled until the trainer is part of the engine; Preview command already shows the
// exact training_args.yaml a run would use.
#pragma once

#include <QWidget>

namespace td::jobs
{
class EngineService;
}

class QComboBox;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QLabel;

namespace td::ui
{

class DatasetPreviewDialog;
class LossChart;
class TopBar;
class TrainForm;
struct TrainArgs;

class TrainPage : public QWidget
{
    Q_OBJECT
public:
    TrainPage(td::jobs::EngineService* engine, TopBar* topBar, QWidget* parent = nullptr);

    TrainForm* form() const { return m_form; }
    /// The arguments the current values produce (validated).
    TrainArgs currentArgs() const;
    /// Full path of the run folder: <saves>/<model folder name>/<finetuning type>/<output dir>.
    QString outputPath() const;
    QString outputText() const;

    /// Applies LLaMA-Factory argument names (from a training YAML) to the fields they correspond to.
    void applyArguments(const QVariantMap& args);
    /// UI state (LlamaBoard ids: train.<field>, top.<field>) for Save/Load arguments.
    QVariantMap uiState() const;
    void restoreUiState(const QVariantMap& state);

    void previewCommand();
    /// Opens the dataset preview for the first selected dataset (runs on the worker thread).
    DatasetPreviewDialog* previewDataset();
    bool saveArguments();
    bool loadArguments();
    void refreshDatasets();
    void setDatasetDir(const QString& dir);
    void setSelectedDatasets(const QStringList& names);
    QStringList selectedDatasets() const;
    LossChart* chart() const { return m_chart; }
    /// Re-reads the run folder the output dir names: chart and status from its trainer_log.jsonl.
    void reattachRun();
    /// Draws another run's loss from its folder (trainer_log.jsonl) over the current one.
    bool compareRun(const QString& runDir);
    /// Lists the runs of the current model and method in the output-dir box (LlamaBoard §1.7).
    void refreshRuns();
    /// Folder of the UI-state files (default: llamaboard_config in the working directory).
    void setConfigRoot(const QString& dir) { m_configRoot = dir; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void showOutput(const QString& text);

    TopBar* m_topBar;
    td::jobs::EngineService* m_engine;
    QPushButton* m_previewDataBtn;
    TrainForm* m_form;
    QLabel* m_datasetDirLabel;
    QLineEdit* m_datasetDir;
    QLabel* m_datasetLabel;
    QListWidget* m_datasets;
    QLabel* m_outputDirLabel;
    QComboBox* m_outputDir;
    QLabel* m_configPathLabel;
    QComboBox* m_configPath;
    QPushButton* m_previewBtn;
    QPushButton* m_saveBtn;
    QPushButton* m_loadBtn;
    QPushButton* m_startBtn;
    QPushButton* m_stopBtn;
    QPushButton* m_compareBtn;
    LossChart* m_chart;
    QPlainTextEdit* m_output;
    QString m_configRoot = QStringLiteral("llamaboard_config");
};

} // namespace td::ui
