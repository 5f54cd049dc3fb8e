// SPDX-License-Identifier: Apache-2.0
// The Train tab: datasets from dataset_info.json, the hyperparameter forms, output dir and config path, and
// the buttons Preview command / Save arguments / Load arguments / Start / Abort (llamaboard.md §1.2-1.3).
// Start validates, writes training_args.yaml and llamaboard_config.yaml into the run folder and trains through
// td::jobs::TrainSession; while it runs the progress bar, the loss chart and the output box follow the
// trainer's log lines and messages (§1.4). Abort stops after the current step with the weights saved.
#pragma once

#include <QWidget>

namespace td::jobs
{
class EngineService;
class TrainSession;
struct JobProgressInfo;
struct TrainOutcome;
struct TrainerLogEntry;
} // namespace td::jobs

class QComboBox;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QLabel;

namespace td::ui
{

class DatasetPicker;
class DatasetPreviewDialog;
class LossChart;
class RunProgressBar;
class MemoryLabel;
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
    /// `withModel` false keeps the top bar's model (restoring a run folder of this model).
    void restoreUiState(const QVariantMap& state, bool withModel = true);

    void previewCommand();
    /// Start (LlamaBoard §1.3): validates, creates the output dir, writes training_args.yaml and
    /// llamaboard_config.yaml into it and queues the run. False when refused (the output box says why).
    bool startTraining();
    /// Abort: the run stops after the current step and saves a checkpoint and the weights.
    void abortTraining();
    /// A run is queued or running.
    bool isTraining() const;
    td::jobs::TrainSession* session() const { return m_session; }
    /// The progress bar's label ("Running 3/6: 0:00:01 < 0:00:02"); empty while hidden.
    QString progressText() const;
    /// Opens the dataset preview for the first selected dataset (runs on the worker thread).
    DatasetPreviewDialog* previewDataset();
    bool saveArguments();
    bool loadArguments();
    void refreshDatasets();
    void setDatasetDir(const QString& dir);
    void setSelectedDatasets(const QStringList& names);
    QStringList selectedDatasets() const;
    /// The data dir, the dataset list and "Preview dataset" (shared with the Evaluate tab).
    DatasetPicker* datasetPicker() const { return m_data; }
    LossChart* chart() const { return m_chart; }
    /// "Estimated memory: X GB of Y GB available · ≈ Z TFLOP/step" next to Start.
    MemoryLabel* memoryLabel() const { return m_memory; }
    /// The output dir field (a run name under saves/<model>/<method>/, or a path).
    QString outputDirName() const;
    void setOutputDirName(const QString& name);
    QString datasetDir() const;
    /// Re-reads the run folder the output dir names (a run left by an earlier session, or one that just
    /// ended): the form from its llamaboard_config.yaml, the chart and the progress bar from trainer_log.jsonl,
    /// the output box from the tail of running_log.txt, and whether it finished or where Start resumes.
    void reattachRun();
    /// Draws another run's loss from its folder (trainer_log.jsonl) over the current one.
    bool compareRun(const QString& runDir);
    /// Lists the runs of the current model and method in the output-dir box (LlamaBoard §1.7).
    void refreshRuns();
    /// Folder of the UI-state files (default: llamaboard_config in the working directory).
    void setConfigRoot(const QString& dir) { m_configRoot = dir; }

Q_SIGNALS:
    /// A run was queued (true) or has ended (false): chat waits while it holds the worker.
    void trainingActiveChanged(bool active);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void showOutput(const QString& text);
    void setRunning(bool running);
    void onTrainProgress(const td::jobs::JobProgressInfo& p);
    void onTrainLog(const td::jobs::TrainerLogEntry& e);
    void onTrainMessage(const QString& text);
    void onTrainFinished(const td::jobs::TrainOutcome& o);

    TopBar* m_topBar;
    td::jobs::EngineService* m_engine;
    DatasetPicker* m_data;
    TrainForm* m_form;
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
    MemoryLabel* m_memory;
    QPlainTextEdit* m_output;
    RunProgressBar* m_progress;
    td::jobs::TrainSession* m_session;
    QString m_runDir;        ///< the folder of the run in progress
    QStringList m_runLog;    ///< its running-log messages
    QString m_configRoot = QStringLiteral("llamaboard_config");
};

} // namespace td::ui
