// SPDX-License-Identifier: Apache-2.0
// The Evaluate & Predict tab (llamaboard.md §1.11): data dir and non-ranking datasets (with Preview dataset),
// cutoff length, max samples, batch size, "Save predictions", generation settings and seed, the output dir
// (eval_<timestamp> under saves/<model>/<method>/), and Preview command / Start / Abort. Start validates like
// the Train tab (§1.10), writes training_args.yaml and llamaboard_config.yaml into the run folder and runs it
// through td::jobs::TrainSession (stage sft, do_predict, predict_with_generate); the progress bar and the output
// box follow the run; at the end the output box shows all_results.json and the results view every sample with
// its scores. Choosing an existing evaluation folder as the output dir shows its results.
#pragma once

#include <QMap>
#include <QVariantMap>
#include <QWidget>

namespace td::jobs
{
class EngineService;
class TrainSession;
struct TrainOutcome;
} // namespace td::jobs

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace td::ui
{

class DatasetPicker;
class DatasetPreviewDialog;
class EvalResultsView;
class RunProgressBar;
class TopBar;
struct TrainArgs;

class EvalPage : public QWidget
{
    Q_OBJECT
public:
    EvalPage(td::jobs::EngineService* engine, TopBar* topBar, QWidget* parent = nullptr);

    DatasetPicker* datasetPicker() const { return m_data; }
    /// Keeps the data dir equal to `source`'s (the Train tab's) until the user sets another one here.
    void followDatasetDir(DatasetPicker* source);
    /// Field id (EvalArgs::fields) -> value.
    QVariantMap values() const;
    void setValues(const QVariantMap& values);
    /// Fills the tab from a LLaMA-Factory arguments file (File › Load arguments): cutoff_len, max_samples,
    /// per_device_eval_batch_size, max_new_tokens, top_p, temperature, seed, do_predict / do_eval,
    /// dataset_dir, eval_dataset (else dataset) and the output dir's folder name. Other keys are ignored.
    void applyArguments(const QVariantMap& args);
    /// True for an arguments file that evaluates rather than trains (do_predict or do_eval, no do_train).
    static bool isEvaluation(const QVariantMap& args);
    QWidget* fieldWidget(const QString& id) const { return m_widgets.value(id); }
    /// The output dir's name as typed, and the full path of the run folder:
    /// <saves>/<model folder name>/<finetuning type>/<output dir>.
    QString outputDirName() const;
    void setOutputDirName(const QString& name);
    QString outputPath() const;
    /// <saves>/<model folder name>/<finetuning type>: where the output dirs are.
    QString runsDir() const;
    /// The arguments the current values produce (validated).
    TrainArgs currentArgs() const;
    QString outputText() const;
    /// The progress bar's label; empty while hidden.
    QString progressText() const;
    EvalResultsView* results() const { return m_results; }
    td::jobs::TrainSession* session() const { return m_session; }

    void previewCommand();
    DatasetPreviewDialog* previewDataset();
    /// Start: validates, creates the output dir, writes the argument files and queues the run. False when refused
    /// (the output box says why).
    bool startEval();
    /// Abort: generation stops after the current batch; the files keep what was generated so far.
    void abortEval();
    bool isRunning() const;
    /// Lists the evaluation folders of the current model and method in the output-dir box.
    void refreshRuns();
    /// Shows the results of the run folder the output dir names (when it has any).
    void reattachRun();

protected:
    void changeEvent(QEvent* event) override;
    /// Re-lists the evaluation folders (the command line may have added some meanwhile).
    void showEvent(QShowEvent* event) override;

private:
    void retranslateUi();
    void showOutput(const QString& text);
    void setRunning(bool running);
    void listRuns();
    QVariantMap uiState() const;
    void restoreUiState(const QVariantMap& state);
    void onFinished(const td::jobs::TrainOutcome& o);

    td::jobs::EngineService* m_engine;
    TopBar* m_topBar;
    DatasetPicker* m_data;
    QMap<QString, QWidget*> m_widgets; ///< field id -> editor
    QMap<QString, QLabel*> m_labels;
    QLabel* m_outputDirLabel;
    QComboBox* m_outputDir;
    QPushButton* m_previewBtn;
    QPushButton* m_startBtn;
    QPushButton* m_stopBtn;
    RunProgressBar* m_progress;
    QPlainTextEdit* m_output;
    EvalResultsView* m_results;
    td::jobs::TrainSession* m_session;
    QString m_runDir;     ///< the folder of the run in progress
    QStringList m_runLog; ///< its running-log messages
    QString m_followed;   ///< the source's data dir this page copied last
};

} // namespace td::ui
