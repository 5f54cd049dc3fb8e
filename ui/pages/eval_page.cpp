// SPDX-License-Identifier: Apache-2.0
// The Evaluate & Predict tab's form side; the run side (Start, Abort, progress, results) is in
// eval_page_run.cpp.
#include "ui/pages/eval_page.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/jobs/args_file.h"
#include "core/jobs/dataset_preview.h"
#include "core/jobs/train_session.h"
#include "ui/dialogs/dataset_preview_dialog.h"
#include "ui/eval/eval_args.h"
#include "ui/eval/eval_results.h"
#include "ui/eval/results_view.h"
#include "ui/top_bar.h"
#include "ui/train/field_editor.h"
#include "ui/widgets/dataset_picker.h"
#include "ui/widgets/run_progress.h"

namespace td::ui
{

namespace
{
constexpr int kPairsPerRow = 4;

QString freshRunName()
{
    return QStringLiteral("eval_%1")
        .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd-HH-mm-ss")));
}

QPushButton* button(const char* name, const char* icon, QWidget* parent)
{
    auto* b = new QPushButton(QIcon(QStringLiteral(":/icons/actions/%1.svg").arg(QLatin1String(icon))), QString(),
                              parent);
    b->setObjectName(QStringLiteral("eval.%1").arg(QLatin1String(name)));
    return b;
}
} // namespace

EvalPage::EvalPage(td::jobs::EngineService* engine, TopBar* topBar, QWidget* parent)
    : QWidget(parent), m_engine(engine), m_topBar(topBar)
{
    setObjectName(QStringLiteral("eval"));
    m_data = new DatasetPicker(QStringLiteral("eval"), DatasetPicker::Filter::NonRanking, this);

    auto* form = new QGridLayout;
    int n = 0;
    for (const TrainField& f : EvalArgs::fields()) {
        QWidget* w = createFieldEditor(f, this, [] {});
        w->setObjectName(QStringLiteral("eval.%1").arg(QLatin1String(f.id)));
        auto* label = new QLabel(this);
        label->setBuddy(w);
        m_widgets.insert(QLatin1String(f.id), w);
        m_labels.insert(QLatin1String(f.id), label);
        form->addWidget(label, n / kPairsPerRow, 2 * (n % kPairsPerRow));
        form->addWidget(w, n / kPairsPerRow, 2 * (n % kPairsPerRow) + 1);
        ++n;
    }
    for (int c = 1; c < 2 * kPairsPerRow; c += 2) {
        form->setColumnStretch(c, 1);
    }

    m_outputDirLabel = new QLabel(this);
    m_outputDir = new QComboBox(this);
    m_outputDir->setObjectName(QStringLiteral("eval.output_dir"));
    m_outputDir->setEditable(true);
    m_outputDir->addItem(freshRunName());
    auto* openRun = new QToolButton(this);
    openRun->setObjectName(QStringLiteral("eval.open_results_btn"));
    openRun->setIcon(QIcon(QStringLiteral(":/icons/actions/open-folder.svg")));
    openRun->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_previewBtn = button("cmd_preview_btn", "preview", this);
    m_startBtn = button("start_btn", "start", this);
    m_stopBtn = button("stop_btn", "abort", this);
    m_stopBtn->setEnabled(false); // enabled while a run is queued or running
    m_progress = new RunProgressBar(this);
    m_progress->setObjectName(QStringLiteral("eval.progress_bar"));
    m_output = new QPlainTextEdit(this);
    m_output->setObjectName(QStringLiteral("eval.output_box"));
    m_output->setReadOnly(true);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_results = new EvalResultsView(this);
    m_session = new td::jobs::TrainSession(m_engine, this);

    auto* run = new QHBoxLayout;
    run->addWidget(m_outputDirLabel);
    run->addWidget(m_outputDir, 1);
    run->addWidget(openRun);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {m_previewBtn, m_startBtn, m_stopBtn}) {
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    // The output box is LlamaBoard's; the results view is ours and gets most of the room.
    auto* bottom = new QSplitter(Qt::Vertical, this);
    bottom->addWidget(m_output);
    bottom->addWidget(m_results);
    bottom->setStretchFactor(0, 1);
    bottom->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_data);
    layout->addLayout(form);
    layout->addLayout(run);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(bottom, 1);

    connect(m_data, &DatasetPicker::previewRequested, this, &EvalPage::previewDataset);
    connect(m_data, &DatasetPicker::problem, this, &EvalPage::showOutput);
    connect(m_previewBtn, &QPushButton::clicked, this, &EvalPage::previewCommand);
    connect(m_startBtn, &QPushButton::clicked, this, &EvalPage::startEval);
    connect(m_stopBtn, &QPushButton::clicked, this, &EvalPage::abortEval);
    connect(m_session, &td::jobs::TrainSession::started, m_progress, &RunProgressBar::started);
    connect(m_session, &td::jobs::TrainSession::progress, m_progress, &RunProgressBar::showPhase);
    connect(m_session, &td::jobs::TrainSession::logLine, m_progress, &RunProgressBar::showLog);
    connect(m_session, &td::jobs::TrainSession::message, this, [this](const QString& text) {
        m_runLog << text;
        m_output->appendPlainText(text);
    });
    connect(m_session, &td::jobs::TrainSession::finished, this, &EvalPage::onFinished);
    connect(m_topBar, &TopBar::modelPathChanged, this, &EvalPage::refreshRuns);
    connect(m_topBar, &TopBar::modelNameChanged, this, &EvalPage::refreshRuns); // saves/<model name>/
    connect(m_topBar, &TopBar::finetuningTypeChanged, this, &EvalPage::refreshRuns);
    connect(m_outputDir, &QComboBox::currentTextChanged, this, &EvalPage::reattachRun);
    connect(openRun, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open evaluation results"),
                                                              m_topBar->savesRoot());
        if (dir.isEmpty()) {
            return;
        }
        // A folder of this model and method becomes the output dir; any other one (a CLI or LLaMA-Factory run)
        // is only shown.
        if (QFileInfo(dir).absolutePath() == QFileInfo(runsDir()).absoluteFilePath()) {
            setOutputDirName(QFileInfo(dir).fileName());
        } else if (!isRunning()) {
            const int samples = m_results->load(dir);
            showOutput(tr("Showing %n sample(s) of %1.", nullptr, samples).arg(dir));
        }
    });
    retranslateUi();
    refreshRuns();
}

void EvalPage::retranslateUi()
{
    for (const TrainField& f : EvalArgs::fields()) {
        m_labels.value(QLatin1String(f.id))->setText(EvalArgs::label(f));
        m_labels.value(QLatin1String(f.id))->setToolTip(EvalArgs::info(f));
        m_widgets.value(QLatin1String(f.id))->setToolTip(EvalArgs::info(f));
    }
    m_outputDirLabel->setText(tr("Output dir"));
    m_outputDir->setToolTip(tr("Directory for the predictions and scores, under saves/<model>/<method>/. "
                               "Choose an earlier evaluation to see its results."));
    if (auto* open = findChild<QToolButton*>(QStringLiteral("eval.open_results_btn"))) {
        open->setText(tr("Open results…"));
        open->setToolTip(tr("Show the results of any evaluation folder (generated_predictions.jsonl), "
                            "including runs of the command line or of LLaMA-Factory."));
    }
    m_previewBtn->setText(tr("Preview command"));
    m_previewBtn->setToolTip(tr("Show the command and the arguments Start runs."));
    m_startBtn->setText(tr("Start"));
    m_startBtn->setToolTip(tr("Write training_args.yaml into the output dir, generate an answer for every "
                              "sample and score it against the reference (BLEU-4, ROUGE)."));
    m_stopBtn->setText(tr("Abort"));
    m_stopBtn->setToolTip(tr("Stop after the current batch; the samples generated so far are kept and shown."));
    if (m_output->toPlainText().isEmpty()) {
        m_output->setPlaceholderText(tr("Ready."));
    }
}

void EvalPage::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void EvalPage::showEvent(QShowEvent* event)
{
    listRuns();
    QWidget::showEvent(event);
}

void EvalPage::followDatasetDir(DatasetPicker* source)
{
    m_followed = source->datasetDir();
    if (m_data->datasetDir() != m_followed) {
        m_data->setDatasetDir(m_followed);
    }
    connect(source, &DatasetPicker::datasetDirChanged, this, [this](const QString& dir) {
        if (m_data->datasetDir() == m_followed) { // not changed here since
            m_data->setDatasetDir(dir);
        }
        m_followed = dir;
    });
}

QVariantMap EvalPage::values() const
{
    QVariantMap out;
    for (const TrainField& f : EvalArgs::fields()) {
        out.insert(QLatin1String(f.id), fieldEditorValue(f, m_widgets.value(QLatin1String(f.id))));
    }
    return out;
}

void EvalPage::setValues(const QVariantMap& values)
{
    for (auto it = values.begin(); it != values.end(); ++it) {
        if (const TrainField* f = EvalArgs::find(it.key())) {
            setFieldEditorValue(*f, m_widgets.value(it.key()), it.value());
        }
    }
}

bool EvalPage::isEvaluation(const QVariantMap& args)
{
    const bool evaluates = args.value(QStringLiteral("do_predict")).toBool() || args.value(QStringLiteral("do_eval")).toBool();
    return evaluates && !args.value(QStringLiteral("do_train")).toBool();
}

void EvalPage::applyArguments(const QVariantMap& args)
{
    // The inverse of EvalArgs::build: argument names → field ids.
    static const QMap<QString, QString> kArgToField = {
        {QStringLiteral("cutoff_len"), QStringLiteral("cutoff_len")},
        {QStringLiteral("max_samples"), QStringLiteral("max_samples")},
        {QStringLiteral("per_device_eval_batch_size"), QStringLiteral("batch_size")},
        {QStringLiteral("max_new_tokens"), QStringLiteral("max_new_tokens")},
        {QStringLiteral("top_p"), QStringLiteral("top_p")},
        {QStringLiteral("temperature"), QStringLiteral("temperature")},
        {QStringLiteral("seed"), QStringLiteral("eval_seed")},
    };
    QVariantMap fields;
    for (auto it = kArgToField.begin(); it != kArgToField.end(); ++it) {
        if (args.contains(it.key())) {
            fields.insert(it.value(), args.value(it.key()));
        }
    }
    if (args.contains(QStringLiteral("do_predict")) || args.contains(QStringLiteral("do_eval"))) {
        fields.insert(QStringLiteral("predict"), args.value(QStringLiteral("do_predict")).toBool());
    }
    setValues(fields);
    if (args.contains(QStringLiteral("dataset_dir"))) {
        m_data->setDatasetDir(args.value(QStringLiteral("dataset_dir")).toString());
    }
    const QString key = args.contains(QStringLiteral("eval_dataset")) ? QStringLiteral("eval_dataset") : QStringLiteral("dataset");
    if (args.contains(key)) {
        m_data->setSelected(DatasetPicker::namesFromArgument(args.value(key)));
    }
    if (args.contains(QStringLiteral("output_dir"))) {
        setOutputDirName(QFileInfo(args.value(QStringLiteral("output_dir")).toString()).fileName());
    }
}

QString EvalPage::outputDirName() const
{
    return m_outputDir->currentText().trimmed();
}

void EvalPage::setOutputDirName(const QString& name)
{
    m_outputDir->setCurrentText(name);
}

QString EvalPage::runsDir() const
{
    return m_topBar->runsDir();
}

QString EvalPage::outputPath() const
{
    const QString name = outputDirName();
    const QString runs = runsDir(); // none without a model: Start refuses first, see TrainPage::outputPath
    return name.isEmpty() ? QString() : QDir(runs.isEmpty() ? m_topBar->savesRoot() : runs).filePath(name);
}

TrainArgs EvalPage::currentArgs() const
{
    TrainInputs in;
    in.fields = values();
    in.modelPath = m_topBar->modelPath();
    in.finetuningType = m_topBar->finetuningType();
    in.checkpoint = m_topBar->checkpointPaths().join(QLatin1Char(',')); // run names → their folders (§1.1)
    in.templateName = m_topBar->templateName();
    in.model = m_topBar->modelOptions();
    in.datasetDir = m_data->datasetDir();
    in.datasets = m_data->selected();
    in.outputDir = outputPath();
    return EvalArgs::build(in);
}

void EvalPage::showOutput(const QString& text)
{
    m_output->setPlainText(text);
}

QString EvalPage::outputText() const
{
    return m_output->toPlainText();
}

void EvalPage::previewCommand()
{
    const TrainArgs a = currentArgs();
    if (!a.ok()) {
        showOutput(a.errors.join(QLatin1Char('\n')));
        return;
    }
    QString text = EvalArgs::commandPreview(a);
    if (!a.warnings.isEmpty()) {
        text = a.warnings.join(QLatin1Char('\n')) + QStringLiteral("\n\n") + text;
    }
    showOutput(text);
}

DatasetPreviewDialog* EvalPage::previewDataset()
{
    const QStringList names = m_data->selected();
    if (names.isEmpty()) {
        showOutput(TrainArgs::tr("Please choose a dataset."));
        return nullptr;
    }
    td::jobs::DatasetPreviewRequest req;
    req.datasetDir = m_data->datasetDir();
    req.dataset = names.first();
    req.templateName = m_topBar->templateName();
    req.modelDir = m_topBar->modelPath();
    req.stage = QStringLiteral("sft");
    req.cutoffLen = values().value(QStringLiteral("cutoff_len")).toLongLong();
    return DatasetPreviewDialog::open(m_engine, req, this);
}

void EvalPage::refreshRuns()
{
    listRuns();
    reattachRun();
}

void EvalPage::listRuns()
{
    const QString keep = m_outputDir->currentText();
    const QSignalBlocker block(m_outputDir);
    while (m_outputDir->count() > 1) { // item 0 is the fresh eval_<timestamp> name
        m_outputDir->removeItem(1);
    }
    const QDir runs(runsDir());
    if (!runsDir().isEmpty() && runs.exists(m_outputDir->itemText(0))) {
        m_outputDir->setItemText(0, freshRunName()); // taken by a run: the next one gets a new name
    }
    if (!runsDir().isEmpty()) {
        for (const QString& run : runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            if (EvalResults::looksLikeEvalRun(runs.filePath(run))) {
                m_outputDir->addItem(run);
            }
        }
    }
    m_outputDir->setCurrentText(keep);
}

void EvalPage::reattachRun()
{
    if (isRunning()) {
        return; // the view follows the run in progress
    }
    const QString dir = outputPath();
    if (dir.isEmpty() || !EvalResults::looksLikeEvalRun(dir)) {
        if (m_results->results() && m_results->results()->dir != dir) {
            m_results->clear();
        }
        return;
    }
    // As LlamaBoard restores the widgets from the folder's llamaboard_config.yaml; the top bar stays as it is
    // (it names the folder).
    const auto state = td::jobs::readArgsFile(QDir(dir).filePath(QStringLiteral("llamaboard_config.yaml")));
    if (state) {
        restoreUiState(*state);
    }
    const int samples = m_results->load(dir);
    showOutput(tr("Showing %n sample(s) of %1.", nullptr, samples).arg(dir));
}

QVariantMap EvalPage::uiState() const
{
    QVariantMap state;
    const QVariantMap v = values();
    for (auto it = v.begin(); it != v.end(); ++it) {
        state.insert(QStringLiteral("eval.") + it.key(), it.value());
    }
    state.insert(QStringLiteral("eval.dataset_dir"), m_data->datasetDir());
    state.insert(QStringLiteral("eval.dataset"), m_data->selected());
    state.insert(m_topBar->uiState());
    return state;
}

void EvalPage::restoreUiState(const QVariantMap& state)
{
    QVariantMap fields;
    for (auto it = state.begin(); it != state.end(); ++it) {
        if (it.key().startsWith(QLatin1String("eval."))) {
            fields.insert(it.key().mid(5), it.value());
        }
    }
    if (fields.contains(QStringLiteral("dataset_dir"))) {
        m_data->setDatasetDir(fields.value(QStringLiteral("dataset_dir")).toString());
    }
    if (fields.contains(QStringLiteral("dataset"))) {
        m_data->setSelected(fields.value(QStringLiteral("dataset")).toStringList());
    }
    setValues(fields);
}

} // namespace td::ui
