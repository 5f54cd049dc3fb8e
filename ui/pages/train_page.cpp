// SPDX-License-Identifier: Apache-2.0
#include "ui/pages/train_page.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QSplitter>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include "core/jobs/args_file.h"
#include "core/jobs/dataset_preview.h"
#include "core/jobs/engine_service.h"
#include "core/jobs/train_session.h"
#include "core/jobs/trainer_log.h"
#include "ui/dialogs/dataset_preview_dialog.h"
#include "ui/top_bar.h"
#include "ui/train/train_args.h"
#include "ui/train/train_fields.h"
#include "ui/train/memory_label.h"
#include "ui/train/train_form.h"
#include "ui/widgets/dataset_picker.h"
#include "ui/widgets/loss_chart.h"
#include "ui/widgets/run_progress.h"

namespace td::ui
{

namespace
{
/// LLaMA-Factory argument -> Train field, where the names differ (the rest share their name).
const QMap<QString, QString> kArgToField = {{QStringLiteral("stage"), QStringLiteral("training_stage")},
                                            {QStringLiteral("per_device_train_batch_size"), QStringLiteral("batch_size")},
                                            {QStringLiteral("neftune_noise_alpha"), QStringLiteral("neftune_alpha")},
                                            {QStringLiteral("seed"), QStringLiteral("train_seed")},
                                            {QStringLiteral("pissa_init"), QStringLiteral("use_pissa")}};

QPushButton* button(const char* name, const char* icon, QWidget* parent)
{
    auto* b = new QPushButton(QIcon(QStringLiteral(":/icons/actions/%1.svg").arg(QLatin1String(icon))), QString(), parent);
    b->setObjectName(QStringLiteral("train.%1").arg(QLatin1String(name)));
    return b;
}
} // namespace

TrainPage::TrainPage(td::jobs::EngineService* engine, TopBar* topBar, QWidget* parent)
    : QWidget(parent), m_topBar(topBar), m_engine(engine)
{
    setObjectName(QStringLiteral("train"));
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd-HH-mm-ss"));

    m_data = new DatasetPicker(QStringLiteral("train"), DatasetPicker::Filter::All, this);

    m_form = new TrainForm(this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_form);
    scroll->setFrameShape(QFrame::NoFrame);

    m_outputDirLabel = new QLabel(this);
    m_outputDir = new QComboBox(this);
    m_outputDir->setObjectName(QStringLiteral("train.output_dir"));
    m_outputDir->setEditable(true);
    m_outputDir->addItem(QStringLiteral("train_%1").arg(stamp));
    m_configPathLabel = new QLabel(this);
    m_configPath = new QComboBox(this);
    m_configPath->setObjectName(QStringLiteral("train.config_path"));
    m_configPath->setEditable(true);
    m_configPath->addItem(QStringLiteral("%1.yaml").arg(stamp));

    m_previewBtn = button("cmd_preview_btn", "preview", this);
    m_saveBtn = button("arg_save_btn", "save", this);
    m_loadBtn = button("arg_load_btn", "load", this);
    m_startBtn = button("start_btn", "start", this);
    m_stopBtn = button("stop_btn", "abort", this);
    m_compareBtn = button("compare_btn", "chart", this);
    m_chart = new LossChart(this);
    m_memory = new MemoryLabel([this] { return currentArgs().args; }, this);
    m_stopBtn->setEnabled(false); // enabled while a run is queued or running
    m_progress = new RunProgressBar(this);
    m_progress->setObjectName(QStringLiteral("train.progress_bar"));
    m_session = new td::jobs::TrainSession(m_engine, this);

    m_output = new QPlainTextEdit(this);
    m_output->setObjectName(QStringLiteral("train.output_box"));
    m_output->setReadOnly(true);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto* run = new QHBoxLayout;
    run->addWidget(m_outputDirLabel);
    run->addWidget(m_outputDir, 1);
    run->addWidget(m_configPathLabel);
    run->addWidget(m_configPath, 1);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {m_previewBtn, m_saveBtn, m_loadBtn, m_startBtn, m_stopBtn, m_compareBtn}) {
        buttons->addWidget(b);
    }
    buttons->addWidget(m_memory, 1);
    // Status on the left, the loss chart on the right, as in LlamaBoard.
    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_output);
    bottom->addWidget(m_chart);
    bottom->setStretchFactor(0, 1);
    bottom->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_data);
    layout->addWidget(scroll, 3);
    layout->addLayout(run);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(bottom, 2);

    connect(m_data, &DatasetPicker::previewRequested, this, &TrainPage::previewDataset);
    connect(m_data, &DatasetPicker::problem, this, &TrainPage::showOutput);
    connect(m_previewBtn, &QPushButton::clicked, this, &TrainPage::previewCommand);
    connect(m_saveBtn, &QPushButton::clicked, this, &TrainPage::saveArguments);
    connect(m_loadBtn, &QPushButton::clicked, this, &TrainPage::loadArguments);
    connect(m_startBtn, &QPushButton::clicked, this, &TrainPage::startTraining);
    connect(m_stopBtn, &QPushButton::clicked, this, &TrainPage::abortTraining);
    connect(m_session, &td::jobs::TrainSession::started, m_progress, &RunProgressBar::started);
    connect(m_session, &td::jobs::TrainSession::progress, this, &TrainPage::onTrainProgress);
    connect(m_session, &td::jobs::TrainSession::logLine, this, &TrainPage::onTrainLog);
    connect(m_session, &td::jobs::TrainSession::message, this, &TrainPage::onTrainMessage);
    connect(m_session, &td::jobs::TrainSession::finished, this, &TrainPage::onTrainFinished);
    connect(m_topBar, &TopBar::finetuningTypeChanged, m_form, &TrainForm::setFinetuningType);
    connect(m_topBar, &TopBar::finetuningTypeChanged, this, &TrainPage::refreshRuns);
    connect(m_topBar, &TopBar::modelPathChanged, this, &TrainPage::refreshRuns);
    connect(m_topBar, &TopBar::modelNameChanged, this, &TrainPage::refreshRuns); // saves/<model name>/
    connect(m_outputDir, &QComboBox::currentTextChanged, this, &TrainPage::reattachRun);
    connect(m_compareBtn, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Compare with run"), m_topBar->savesRoot());
        if (!dir.isEmpty()) {
            compareRun(dir);
        }
    });
    m_form->setFinetuningType(m_topBar->finetuningType());
    // The memory estimate follows every input that changes it (debounced).
    connect(m_form, &TrainForm::valuesChanged, m_memory, &MemoryLabel::schedule);
    connect(m_topBar, &TopBar::modelPathChanged, m_memory, &MemoryLabel::schedule);
    connect(m_topBar, &TopBar::finetuningTypeChanged, m_memory, &MemoryLabel::schedule);
    m_memory->schedule();

    retranslateUi();
}

void TrainPage::retranslateUi()
{
    m_outputDirLabel->setText(tr("Output dir"));
    m_outputDir->setToolTip(tr("Directory for saving results, under saves/<model>/<method>/."));
    m_configPathLabel->setText(tr("Config path"));
    m_configPath->setToolTip(tr("Path to the file of the arguments, under llamaboard_config/."));
    m_previewBtn->setText(tr("Preview command"));
    m_saveBtn->setText(tr("Save arguments"));
    m_loadBtn->setText(tr("Load arguments"));
    m_startBtn->setText(tr("Start"));
    m_startBtn->setToolTip(tr("Write training_args.yaml and llamaboard_config.yaml into the output dir and train. "
                              "An output dir with checkpoints is resumed."));
    m_stopBtn->setText(tr("Abort"));
    m_stopBtn->setToolTip(tr("Stop after the current step; a checkpoint and the weights are saved."));
    m_compareBtn->setText(tr("Compare run…"));
    m_compareBtn->setToolTip(tr("Draw the loss of another run (a folder with trainer_log.jsonl) over this one."));
    if (m_output->toPlainText().isEmpty()) {
        m_output->setPlaceholderText(tr("Ready."));
    }
}

void TrainPage::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void TrainPage::refreshDatasets()
{
    m_data->refresh();
}

void TrainPage::refreshRuns()
{
    const QString keep = m_outputDir->currentText();
    const QSignalBlocker block(m_outputDir);
    while (m_outputDir->count() > 1) { // item 0 is the fresh train_<timestamp> name
        m_outputDir->removeItem(1);
    }
    if (!m_topBar->runsDir().isEmpty()) {
        const QDir runs(m_topBar->runsDir());
        for (const QString& run : runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QDir d(runs.filePath(run));
            if (d.exists(QStringLiteral("trainer_log.jsonl"))
                || !d.entryList({QStringLiteral("checkpoint-*")}, QDir::Dirs).isEmpty()) {
                m_outputDir->addItem(run);
            }
        }
    }
    m_outputDir->setCurrentText(keep);
}

bool TrainPage::compareRun(const QString& runDir)
{
    const auto log = td::jobs::readTrainerLog(QDir(runDir).filePath(QStringLiteral("trainer_log.jsonl")));
    if (!log) {
        showOutput(QString::fromStdString(log.error().toString()));
        return false;
    }
    m_chart->addOverlay(QFileInfo(runDir).fileName(), log->entries);
    return true;
}

void TrainPage::setDatasetDir(const QString& dir)
{
    m_data->setDatasetDir(dir);
}

void TrainPage::setSelectedDatasets(const QStringList& names)
{
    m_data->setSelected(names);
}

QStringList TrainPage::selectedDatasets() const
{
    return m_data->selected();
}

QString TrainPage::outputPath() const
{
    const QString name = m_outputDir->currentText().trimmed();
    if (name.isEmpty()) {
        return {};
    }
    // Without a model there is no runs folder; Start refuses first ("Model not found."), so any path will do
    // as long as it is not relative to the working directory.
    const QString runs = m_topBar->runsDir();
    return QDir(runs.isEmpty() ? m_topBar->savesRoot() : runs).filePath(name);
}

TrainArgs TrainPage::currentArgs() const
{
    TrainInputs in;
    in.fields = m_form->values();
    in.modelPath = m_topBar->modelPath();
    in.finetuningType = m_topBar->finetuningType();
    in.checkpoint = m_topBar->checkpointPaths().join(QLatin1Char(',')); // run names → their folders (§1.1)
    in.templateName = m_topBar->templateName();
    in.model = m_topBar->modelOptions();
    in.datasetDir = m_data->datasetDir();
    in.datasets = selectedDatasets();
    in.outputDir = outputPath();
    return TrainArgs::build(in);
}

DatasetPreviewDialog* TrainPage::previewDataset()
{
    const QStringList names = selectedDatasets();
    if (names.isEmpty()) {
        showOutput(tr("Please choose a dataset."));
        return nullptr;
    }
    const QVariantMap f = m_form->values();
    td::jobs::DatasetPreviewRequest req;
    req.datasetDir = m_data->datasetDir();
    req.dataset = names.first();
    req.templateName = m_topBar->templateName();
    req.modelDir = m_topBar->modelPath();
    req.stage = f.value(QStringLiteral("training_stage")).toString();
    req.cutoffLen = f.value(QStringLiteral("cutoff_len")).toLongLong();
    req.trainOnPrompt = f.value(QStringLiteral("train_on_prompt")).toBool();
    req.maskHistory = f.value(QStringLiteral("mask_history")).toBool();
    return DatasetPreviewDialog::open(m_engine, req, this);
}

void TrainPage::showOutput(const QString& text)
{
    m_output->setPlainText(text);
}

QString TrainPage::outputText() const
{
    return m_output->toPlainText();
}

void TrainPage::previewCommand()
{
    const TrainArgs a = currentArgs();
    if (!a.ok()) {
        showOutput(a.errors.join(QLatin1Char('\n')));
        return;
    }
    QString text = a.commandPreview();
    if (!a.warnings.isEmpty()) {
        text = a.warnings.join(QLatin1Char('\n')) + QStringLiteral("\n\n") + text;
    }
    showOutput(text);
}

QVariantMap TrainPage::uiState() const
{
    // LlamaBoard's Save arguments: every train input and the top bar, except language, model path,
    // output dir and config path (§1.3).
    QVariantMap state;
    const QVariantMap values = m_form->values();
    for (auto it = values.begin(); it != values.end(); ++it) {
        state.insert(QStringLiteral("train.") + it.key(), it.value());
    }
    state.insert(QStringLiteral("train.dataset_dir"), m_data->datasetDir());
    state.insert(QStringLiteral("train.dataset"), selectedDatasets());
    state.insert(m_topBar->uiState());
    return state;
}

void TrainPage::restoreUiState(const QVariantMap& state, bool withModel)
{
    QVariantMap fields;
    for (auto it = state.begin(); it != state.end(); ++it) {
        if (it.key().startsWith(QLatin1String("train."))) {
            fields.insert(it.key().mid(6), it.value());
        }
    }
    m_topBar->restoreUiState(state, withModel);
    if (fields.contains(QStringLiteral("dataset_dir"))) {
        setDatasetDir(fields.value(QStringLiteral("dataset_dir")).toString());
    }
    if (fields.contains(QStringLiteral("dataset"))) {
        setSelectedDatasets(fields.value(QStringLiteral("dataset")).toStringList());
    }
    m_form->setValues(fields);
}

void TrainPage::applyArguments(const QVariantMap& args)
{
    QVariantMap fields;
    for (auto it = args.begin(); it != args.end(); ++it) {
        fields.insert(kArgToField.value(it.key(), it.key()), it.value());
    }
    // Float fields are text in the form; bf16/fp16/pure_bf16 collapse into compute_type.
    for (const char* id : {"learning_rate", "num_train_epochs", "max_grad_norm"}) {
        if (fields.contains(QLatin1String(id))) {
            fields.insert(QLatin1String(id), fields.value(QLatin1String(id)).toString());
        }
    }
    if (args.contains(QStringLiteral("bf16")) || args.contains(QStringLiteral("fp16"))
        || args.contains(QStringLiteral("pure_bf16"))) {
        QString compute = QStringLiteral("fp32");
        for (const char* t : {"bf16", "fp16", "pure_bf16"}) {
            if (args.value(QLatin1String(t)).toBool()) {
                compute = QLatin1String(t);
            }
        }
        fields.insert(QStringLiteral("compute_type"), compute);
    }
    m_form->setValues(fields);
    if (args.contains(QStringLiteral("dataset_dir"))) {
        setDatasetDir(args.value(QStringLiteral("dataset_dir")).toString());
    }
    if (args.contains(QStringLiteral("dataset"))) {
        setSelectedDatasets(DatasetPicker::namesFromArgument(args.value(QStringLiteral("dataset"))));
    }
}

bool TrainPage::saveArguments()
{
    const TrainArgs a = currentArgs();
    if (!a.ok()) { // LlamaBoard validates as for Preview before saving (§1.3)
        showOutput(a.errors.join(QLatin1Char('\n')));
        return false;
    }
    QDir().mkpath(m_configRoot);
    const QString path = QDir(m_configRoot).filePath(m_configPath->currentText().trimmed());
    const auto st = td::jobs::writeArgsFile(path, uiState());
    if (!st) {
        showOutput(QString::fromStdString(st.error().toString()));
        return false;
    }
    showOutput(tr("Arguments have been saved at: %1").arg(path));
    return true;
}

bool TrainPage::loadArguments()
{
    const QString path = QDir(m_configRoot).filePath(m_configPath->currentText().trimmed());
    if (!QFileInfo::exists(path)) {
        showOutput(tr("Config file is not found."));
        return false;
    }
    const auto state = td::jobs::readArgsFile(path);
    if (!state) {
        showOutput(QString::fromStdString(state.error().toString()));
        return false;
    }
    restoreUiState(*state);
    showOutput(tr("Arguments have been restored."));
    return true;
}

} // namespace td::ui
