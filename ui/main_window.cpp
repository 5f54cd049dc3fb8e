// SPDX-License-Identifier: Apache-2.0
#include "ui/main_window.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "core/jobs/args_file.h"
#include "core/jobs/log_feed.h"
#include "ui/error_text.h"
#include "ui/log_dock.h"
#include "ui/pages/chat_page.h"
#include "ui/pages/eval_page.h"
#include "ui/pages/export_page.h"
#include "ui/pages/train_page.h"
#include "ui/top_bar.h"

namespace td::ui
{

std::optional<QMessageBox::StandardButton> MainWindow::s_nextAnswer;

namespace
{
constexpr int kMaxRecentModels = 10;
constexpr int kLogTailLines = 40;

QIcon actionIcon(const char* name)
{
    return QIcon(QStringLiteral(":/icons/actions/%1.svg").arg(QLatin1String(name)));
}
} // namespace

MainWindow::MainWindow(td::jobs::EngineService* engine, QWidget* parent) : QMainWindow(parent), m_engine(engine)
{
    setObjectName(QStringLiteral("mainWindow"));

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    m_topBar = new TopBar(central);
    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    layout->addWidget(m_topBar);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    // Tab captions are set in retranslateUi (LlamaBoard keeps them English; a desktop app translates them).
    m_trainPage = new TrainPage(m_engine, m_topBar, m_tabs);
    m_tabs->addTab(m_trainPage, QString());
    auto* evalPage = new EvalPage(m_engine, m_topBar, m_tabs);
    evalPage->followDatasetDir(m_trainPage->datasetPicker()); // same data dir until set otherwise
    m_tabs->addTab(evalPage, QString());
    m_chatPage = new ChatPage(m_engine, m_topBar, m_tabs);
    m_tabs->addTab(m_chatPage, QString());
    m_tabs->addTab(new ExportPage(m_engine, m_topBar, m_tabs), QString());

    m_logDock = new LogDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    resizeDocks({m_logDock}, {140}, Qt::Vertical);
    m_logFeed = new td::jobs::LogFeed(this);
    connect(m_logFeed, &td::jobs::LogFeed::linesAppended, m_logDock, &LogDock::appendLines);

    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("statusLabel"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("jobProgress"));
    m_progress->setMaximumWidth(240);
    m_progress->setVisible(false);
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_progress);

    connect(m_engine, &td::jobs::EngineService::jobStarted, this,
            [this](td::JobId, const QString& name) {
                m_statusLabel->setText(tr("Running: %1").arg(name));
                m_progress->setRange(0, 0);
                m_progress->setVisible(true);
            });
    connect(m_engine, &td::jobs::EngineService::jobProgress, this,
            [this](td::JobId, const td::jobs::JobProgressInfo& p) {
                if (p.total > 0) {
                    m_progress->setRange(0, 1000);
                    m_progress->setValue(int(1000 * p.current / p.total));
                }
                if (!p.message.isEmpty()) {
                    m_statusLabel->setText(p.message);
                }
            });
    connect(m_engine, &td::jobs::EngineService::jobFinished, this,
            [this](td::JobId, const td::jobs::JobOutcome& o) {
                m_progress->setVisible(false);
                if (o.ok) {
                    m_statusLabel->setText(tr("Done."));
                } else if (o.cancelled()) {
                    m_statusLabel->setText(tr("Aborted."));
                } else {
                    m_statusLabel->setText(tr("Failed: %1").arg(ErrorText::title(o.code)));
                    showError(o.code, o.message, o.hint);
                }
            });

    // One device job at a time: while a training or evaluation run holds the worker, chat waits for it (a reply
    // would queue behind the whole run). Re-checked after the pages have handled the engine's signals.
    const auto updateChat = [this] {
        const auto* eval = m_tabs->findChild<EvalPage*>();
        m_chatPage->setWorkerUse(m_trainPage->isTraining()        ? ChatPage::WorkerUse::Training
                                 : eval && eval->isRunning()      ? ChatPage::WorkerUse::Evaluation
                                                                  : ChatPage::WorkerUse::Free);
    };
    connect(m_trainPage, &TrainPage::trainingActiveChanged, m_chatPage, updateChat);
    connect(m_engine, &td::jobs::EngineService::jobQueued, this,
            [this, updateChat] { QTimer::singleShot(0, this, updateChat); });
    connect(m_engine, &td::jobs::EngineService::jobFinished, this,
            [this, updateChat] { QTimer::singleShot(0, this, updateChat); });
    connect(m_topBar, &TopBar::browseRequested, this, &MainWindow::openModelFolder);
    connect(m_topBar, &TopBar::languageChanged, this, &MainWindow::languageRequested);

    buildMenus();
    retranslateUi();
    restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->setObjectName(QStringLiteral("menuFile"));
    m_openAction = m_fileMenu->addAction(actionIcon("open-folder"), QString(), this, &MainWindow::openModelFolder);
    m_openAction->setObjectName(QStringLiteral("actionOpenModel"));
    m_openAction->setShortcut(QKeySequence::Open);
    m_loadArgsAction = m_fileMenu->addAction(actionIcon("load"), QString(), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load arguments"), QString(),
                                                          tr("LLaMA-Factory arguments (*.yaml *.yml)"));
        if (!path.isEmpty()) {
            loadArguments(path);
        }
    });
    m_loadArgsAction->setObjectName(QStringLiteral("actionLoadArguments"));
    m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);

    m_modelMenu = menuBar()->addMenu(QString());
    m_modelMenu->setObjectName(QStringLiteral("menuModel"));
    m_modelMenu->addAction(m_openAction);
    m_clearRecentAction = m_modelMenu->addAction(QString(), this, [this] { m_topBar->setRecentModels({}); });

    m_exportMenu = menuBar()->addMenu(QString());
    m_exportMenu->setObjectName(QStringLiteral("menuExport"));
    m_exportAction = m_exportMenu->addAction(actionIcon("export"), QString());
    m_exportAction->setObjectName(QStringLiteral("actionExportMerged"));
    // Also in the File menu: shows the Export tab, pre-filled from the top bar, with the export dir focused.
    connect(m_exportAction, &QAction::triggered, this, [this] {
        if (auto* page = m_tabs->findChild<ExportPage*>()) {
            m_tabs->setCurrentWidget(page);
            page->focusForm();
        }
    });
    m_fileMenu->insertAction(m_quitAction, m_exportAction);
    m_fileMenu->insertSeparator(m_quitAction);

    m_langMenu = menuBar()->addMenu(QString());
    m_langMenu->setObjectName(QStringLiteral("menuLanguage"));
    m_langGroup = new QActionGroup(this);
    const std::pair<const char*, QString> langs[] = {
        {"en", QStringLiteral("English")}, {"ru", QStringLiteral("Русский")}, {"zh_CN", QStringLiteral("简体中文")}};
    for (const auto& [code, name] : langs) {
        QAction* a = m_langMenu->addAction(name);
        a->setCheckable(true);
        a->setData(QString::fromLatin1(code));
        m_langGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, a] { Q_EMIT languageRequested(a->data().toString()); });
    }

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->setObjectName(QStringLiteral("menuHelp"));
    m_toggleLogAction = m_logDock->toggleViewAction();
    m_toggleLogAction->setIcon(actionIcon("log"));
    m_helpMenu->addAction(m_toggleLogAction);
    m_helpMenu->addSeparator();
    m_aboutAction = m_helpMenu->addAction(QString(), this, [this] {
        QMessageBox::about(this, tr("About TuneDesk"),
                           tr("<b>TuneDesk %1</b><p>Fine-tune large language models on your workstation, "
                              "offline.</p>")
                               .arg(QApplication::applicationVersion()));
    });
    m_aboutAction->setMenuRole(QAction::AboutRole);
    m_aboutQtAction = m_helpMenu->addAction(QString(), qApp, &QApplication::aboutQt);
    m_aboutQtAction->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::retranslateUi()
{
    setWindowTitle(tr("TuneDesk"));
    m_fileMenu->setTitle(tr("&File"));
    m_openAction->setText(tr("&Open model folder…"));
    m_loadArgsAction->setText(tr("&Load arguments…"));
    m_quitAction->setText(tr("&Quit"));
    m_modelMenu->setTitle(tr("&Model"));
    m_clearRecentAction->setText(tr("Clear recent models"));
    m_exportMenu->setTitle(tr("&Export"));
    m_exportAction->setText(tr("Export merged model…"));
    m_langMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_toggleLogAction->setText(tr("Show log"));
    m_aboutAction->setText(tr("&About TuneDesk"));
    m_aboutQtAction->setText(tr("About &Qt"));
    m_tabs->setTabText(0, tr("Train"));
    m_tabs->setTabText(1, tr("Evaluate && Predict"));
    m_tabs->setTabText(2, tr("Chat"));
    m_tabs->setTabText(3, tr("Export"));
    if (!m_engine->isBusy()) {
        m_statusLabel->setText(tr("Ready."));
    }
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::showLanguage(const QString& code)
{
    for (QAction* a : m_langGroup->actions()) {
        a->setChecked(a->data().toString() == code);
    }
    const QSignalBlocker block(m_topBar);
    m_topBar->setLanguage(code);
}

void MainWindow::openModelFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open model folder"), m_topBar->modelPath());
    if (!dir.isEmpty()) {
        m_topBar->setModelPath(dir);
        rememberModel(dir);
    }
}

void MainWindow::openPaths(const QStringList& paths)
{
    for (const QString& p : paths) {
        const QFileInfo info(p);
        if (info.isDir()) {
            m_topBar->setModelPath(info.absoluteFilePath());
            rememberModel(info.absoluteFilePath());
        } else if (info.suffix().compare(QLatin1String("yaml"), Qt::CaseInsensitive) == 0
                   || info.suffix().compare(QLatin1String("yml"), Qt::CaseInsensitive) == 0) {
            loadArguments(info.absoluteFilePath());
        } else {
            showError(td::ErrorCode::InvalidArgument,
                      tr("%1 is neither a model folder nor an arguments file (.yaml)").arg(p), QString());
        }
    }
}

bool MainWindow::loadArguments(const QString& path)
{
    auto args = td::jobs::readArgsFile(path);
    if (!args) {
        showError(args.error().code, QString::fromStdString(args.error().message),
                  QString::fromStdString(args.error().hint));
        return false;
    }
    m_loadedArgs = *args;
    // The top bar's fields (LlamaBoard §1.1: model, method, template, adapter, quantization, RoPE scaling,
    // booster); the tabs take the remaining keys.
    m_topBar->applyArguments(m_loadedArgs);
    // An evaluation file (do_predict / do_eval without do_train) fills the Evaluate & Predict tab and shows it;
    // any other the Train tab.
    auto* evalPage = m_tabs->findChild<EvalPage*>();
    if (evalPage && EvalPage::isEvaluation(m_loadedArgs)) {
        evalPage->applyArguments(m_loadedArgs);
        m_tabs->setCurrentWidget(evalPage);
    } else {
        m_trainPage->applyArguments(m_loadedArgs);
    }
    if (auto* exportPage = m_tabs->findChild<ExportPage*>()) {
        exportPage->applyArguments(m_loadedArgs); // export_dir, export_size, ... (llamafactory-cli export files)
    }
    m_statusLabel->setText(tr("Loaded %n argument(s) from %1", nullptr, int(m_loadedArgs.size()))
                               .arg(QFileInfo(path).fileName()));
    return true;
}

void MainWindow::showError(td::ErrorCode code, const QString& detail, const QString& hint)
{
    auto* box = new QMessageBox(QMessageBox::Warning, tr("TuneDesk"), ErrorText::title(code), QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    if (!hint.isEmpty()) {
        box->setInformativeText(hint);
    }
    QString details = detail;
    const auto tail = td::jobs::LogFeed::tail(kLogTailLines);
    if (!tail.isEmpty()) {
        details += QStringLiteral("\n\n") + tr("Last log lines:") + QLatin1Char('\n');
        for (const auto& line : tail) {
            details += line.area + QStringLiteral(": ") + line.text + QLatin1Char('\n');
        }
    }
    box->setDetailedText(details);
    box->open(); // non-blocking: a failed job never stalls the event loop
}

void MainWindow::rememberModel(const QString& path)
{
    QStringList recent = m_topBar->recentModels();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecentModels) {
        recent.removeLast();
    }
    m_topBar->setRecentModels(recent);
}

void MainWindow::restoreSettings()
{
    QSettings s;
    m_topBar->setRecentModels(s.value(QStringLiteral("models/recent")).toStringList());
    // LlamaBoard's last_model, then the path: the name's own path keeps the name, any other path (e.g. the
    // folder --model gives) makes it Custom.
    m_topBar->setModelName(s.value(QStringLiteral("models/last_name")).toString());
    m_topBar->setModelPath(s.value(QStringLiteral("models/last")).toString());
    // The last session's selections. The output dir comes before the checkpoint: an existing run folder
    // restores the form (and the top bar) from its llamaboard_config.yaml, and the checkpoint the user had
    // picked (e.g. for chat) must win over the one the run started from.
    QVariantMap top; // top/<field> as saveSettings wrote them; the checkpoint comes last (below)
    s.beginGroup(QStringLiteral("top"));
    for (const QString& key : s.childKeys()) {
        if (key != QLatin1String("checkpoint_path")) {
            top.insert(QStringLiteral("top.") + key, s.value(key));
        }
    }
    s.endGroup();
    m_topBar->restoreUiState(top, /*withModel=*/false);
    if (s.contains(QStringLiteral("train/dataset_dir"))) {
        m_trainPage->setDatasetDir(s.value(QStringLiteral("train/dataset_dir")).toString());
    }
    if (s.contains(QStringLiteral("train/dataset"))) {
        m_trainPage->setSelectedDatasets(s.value(QStringLiteral("train/dataset")).toStringList());
    }
    // A fresh train_<timestamp> name is kept unless the last output dir exists (a run to show and resume).
    const QString outputDir = s.value(QStringLiteral("train/output_dir")).toString();
    if (!outputDir.isEmpty()) {
        const QString previous = m_trainPage->outputDirName();
        m_trainPage->setOutputDirName(outputDir);
        if (!QFileInfo(m_trainPage->outputPath()).isDir()) {
            m_trainPage->setOutputDirName(previous);
        }
    }
    if (s.contains(QStringLiteral("top/checkpoint_path"))) {
        m_topBar->setCheckpoint(s.value(QStringLiteral("top/checkpoint_path")).toString());
    }
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::saveSettings()
{
    QSettings s;
    s.setValue(QStringLiteral("models/recent"), m_topBar->recentModels());
    s.setValue(QStringLiteral("models/last"), m_topBar->modelPath());
    s.setValue(QStringLiteral("models/last_name"), m_topBar->modelName());
    // top/<field> for every other top.* field of the UI state (the name is LlamaBoard's last_model above).
    const QVariantMap top = m_topBar->uiState();
    for (auto it = top.begin(); it != top.end(); ++it) {
        if (it.key() != QLatin1String("top.model_name")) {
            s.setValue(QStringLiteral("top/") + it.key().mid(4), it.value());
        }
    }
    s.setValue(QStringLiteral("train/dataset_dir"), m_trainPage->datasetDir());
    s.setValue(QStringLiteral("train/dataset"), m_trainPage->selectedDatasets());
    s.setValue(QStringLiteral("train/output_dir"), m_trainPage->outputDirName());
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
}

void MainWindow::setNextAnswer(QMessageBox::StandardButton answer)
{
    s_nextAnswer = answer;
}

QMessageBox::StandardButton MainWindow::ask(const QString& title, const QString& text)
{
    if (s_nextAnswer) {
        return std::exchange(s_nextAnswer, std::nullopt).value();
    }
    return QMessageBox::question(this, title, text, QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_engine->isBusy()) {
        // Training stops like Abort: after the current step, with a checkpoint and the weights saved (the
        // engine's destructor waits for that before the process ends).
        const QString text = m_trainPage->isTraining()
                                 ? tr("Training is running. Quitting stops it after the current step and saves a "
                                      "checkpoint. Quit anyway?")
                                 : tr("A job is still running. Quitting aborts it. Quit anyway?");
        const auto answer = ask(tr("Quit TuneDesk?"), text);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        if (m_trainPage->isTraining()) {
            m_trainPage->abortTraining();
        }
        m_engine->cancelAll();
    }
    saveSettings();
    event->accept();
}

} // namespace td::ui
