// SPDX-License-Identifier: Apache-2.0
// tunedesk: the desktop application. Sets up logging, the language, the engine service (one worker thread)
// and the main window. Usage: tunedesk [--model DIR] [--dataset-dir DIR] [--dataset NAMES] [--screenshot FILE.png]
// [paths...]
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QScreen>
#include <QStandardPaths>
#include <QTimer>

#include "core/jobs/engine_service.h"
#include "core/jobs/log_feed.h"
#include "ui/language.h"
#include "ui/main_window.h"
#include "ui/pages/train_page.h"
#include "ui/top_bar.h"

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("TuneDesk"));
    QApplication::setApplicationName(QStringLiteral("TuneDesk"));
    QApplication::setApplicationVersion(QStringLiteral(TD_APP_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.tunedesk.TuneDesk"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/tunedesk.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fine-tune large language models on your workstation."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption modelOpt(QStringLiteral("model"), QStringLiteral("Model folder to preselect."),
                                      QStringLiteral("DIR"));
    parser.addOption(modelOpt);
    const QCommandLineOption shotOpt(QStringLiteral("screenshot"),
                                     QStringLiteral("Save a screenshot of the window once it is shown, then quit."),
                                     QStringLiteral("FILE"));
    parser.addOption(shotOpt);
    const QCommandLineOption dataOpt(QStringLiteral("dataset-dir"),
                                     QStringLiteral("Data directory (with dataset_info.json) for the Train tab."),
                                     QStringLiteral("DIR"));
    parser.addOption(dataOpt);
    const QCommandLineOption datasetOpt(QStringLiteral("dataset"),
                                        QStringLiteral("Datasets of the data directory to select (comma-separated)."),
                                        QStringLiteral("NAMES"));
    parser.addOption(datasetOpt);
    parser.addPositionalArgument(QStringLiteral("paths"),
                                 QStringLiteral("Model folders or LLaMA-Factory arguments files (.yaml) to open."),
                                 QStringLiteral("[paths...]"));
    parser.process(app);

    const QString logDir =
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath(QStringLiteral("logs"));
    const QString logError = td::jobs::initLogging(logDir, /*toStderr=*/false);

    td::ui::Language language;
    td::jobs::EngineService engine;
    td::ui::MainWindow window(&engine);
    QObject::connect(&window, &td::ui::MainWindow::languageRequested, &language, &td::ui::Language::apply);
    QObject::connect(&language, &td::ui::Language::changed, &window, &td::ui::MainWindow::showLanguage);
    language.apply(td::ui::Language::initialCode());

    window.openPaths(parser.positionalArguments());
    if (parser.isSet(dataOpt)) {
        window.trainPage()->setDatasetDir(QDir(parser.value(dataOpt)).absolutePath());
    }
    if (parser.isSet(datasetOpt)) {
        window.trainPage()->setSelectedDatasets(parser.value(datasetOpt).split(QLatin1Char(','), Qt::SkipEmptyParts));
    }
    if (parser.isSet(modelOpt)) {
        window.topBar()->setModelPath(QDir(parser.value(modelOpt)).absolutePath());
    }
    if (!logError.isEmpty()) {
        qWarning("log file unavailable: %s", qPrintable(logError));
    }
    window.resize(1360, 900);
    window.show();
    if (parser.isSet(shotOpt)) {
        // Give the first paint a moment, grab what the screen shows of the window, and leave.
        QTimer::singleShot(1500, &window, [&] {
            const QPixmap shot = window.screen()->grabWindow(window.winId());
            const bool saved = shot.save(parser.value(shotOpt));
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
