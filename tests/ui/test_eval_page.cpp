// SPDX-License-Identifier: Apache-2.0
// The Evaluate & Predict tab (llamaboard.md §1.11): LlamaBoard's defaults and ranges, validation messages in its
// order (§1.10), the Preview command's arguments (do_predict, predict_with_generate, the mapped keys), the
// results view over a hand-written run folder (rows, scores, sorting, filtering, the detail pane, the summary,
// a large file's load time), and a real run through Start on the bundled demo model (<build>/demo/model, the
// td_demo_model target) with the demo dataset: queued behind another job, progress, then the table and summary.
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "core/jobs/args_file.h"
#include "core/jobs/engine_service.h"
#include "core/jobs/train_session.h"
#include "ui/eval/eval_args.h"
#include "ui/eval/eval_results.h"
#include "ui/eval/results_view.h"
#include "ui/main_window.h"
#include "ui/pages/eval_page.h"
#include "ui/pages/train_page.h"
#include "ui/train/train_form.h"
#include "ui/top_bar.h"
#include "ui/widgets/dataset_picker.h"

using namespace td::ui;
using td::jobs::TrainOutcome;
using td::jobs::TrainSession;

namespace
{
constexpr int kRunTimeoutMs = 180000;

QString demoModel()
{
    return qEnvironmentVariable("TD_BINARY_DIR") + QStringLiteral("/demo/model");
}

QString demoData()
{
    return qEnvironmentVariable("TD_SOURCE_DIR") + QStringLiteral("/resources/demo/data");
}

EvalPage* evalPage(MainWindow& w)
{
    return w.findChild<EvalPage*>(QStringLiteral("eval"));
}

void writeFile(const QString& path, const QByteArray& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

/// A model, method and dataset that pass validation, runs under `saves`.
void setUp(MainWindow& w, const QString& saves)
{
    w.topBar()->setSavesRoot(saves);
    w.topBar()->setModelPath(demoModel());
    w.topBar()->setFinetuningType(QStringLiteral("lora"));
    w.topBar()->setTemplateName(QStringLiteral("qwen"));
    evalPage(w)->datasetPicker()->setDatasetDir(demoData());
    evalPage(w)->datasetPicker()->setSelected({QStringLiteral("demo_alpaca")});
}
} // namespace

class TestEvalPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale::c());
    }

    void everyFieldHasLlamaBoardsDefaultRangeAndTooltip()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        EvalPage* page = evalPage(w);
        QVERIFY(page);
        const QVariantMap v = page->values();
        QCOMPARE(v.value(QStringLiteral("cutoff_len")).toLongLong(), 1024);
        QCOMPARE(v.value(QStringLiteral("max_samples")).toLongLong(), 100000);
        QCOMPARE(v.value(QStringLiteral("batch_size")).toLongLong(), 2);
        QCOMPARE(v.value(QStringLiteral("predict")).toBool(), true);
        QCOMPARE(v.value(QStringLiteral("max_new_tokens")).toLongLong(), 512);
        QCOMPARE(v.value(QStringLiteral("top_p")).toDouble(), 0.7);
        QCOMPARE(v.value(QStringLiteral("temperature")).toDouble(), 0.95);
        QCOMPARE(v.value(QStringLiteral("eval_seed")).toLongLong(), 42);
        const auto spin = [&](const char* id) { return w.findChild<QSpinBox*>(QStringLiteral("eval.%1").arg(QLatin1String(id))); };
        const auto dspin = [&](const char* id) {
            return w.findChild<QDoubleSpinBox*>(QStringLiteral("eval.%1").arg(QLatin1String(id)));
        };
        QCOMPARE(spin("cutoff_len")->minimum(), 4);
        QCOMPARE(spin("cutoff_len")->maximum(), 131072);
        QCOMPARE(spin("batch_size")->minimum(), 1);
        QCOMPARE(spin("batch_size")->maximum(), 1024);
        QCOMPARE(spin("max_new_tokens")->minimum(), 8);
        QCOMPARE(spin("max_new_tokens")->maximum(), 4096);
        QCOMPARE(dspin("top_p")->minimum(), 0.01);
        QCOMPARE(dspin("top_p")->maximum(), 1.0);
        QCOMPARE(dspin("temperature")->minimum(), 0.01);
        QCOMPARE(dspin("temperature")->maximum(), 1.5);
        for (const TrainField& f : EvalArgs::fields()) {
            QWidget* editor = page->fieldWidget(QLatin1String(f.id));
            QVERIFY2(editor && !editor->toolTip().isEmpty(), f.id);
        }
        for (const char* name : {"eval.dataset_dir", "eval.output_dir", "eval.cmd_preview_btn", "eval.start_btn",
                                 "eval.stop_btn", "eval.data_preview_btn", "eval.dataset"}) {
            auto* widget = w.findChild<QWidget*>(QLatin1String(name));
            QVERIFY2(widget && !widget->toolTip().isEmpty(), name);
        }
        QVERIFY(w.findChild<QPushButton*>(QStringLiteral("eval.start_btn"))->isEnabled());
        QVERIFY(!w.findChild<QPushButton*>(QStringLiteral("eval.stop_btn"))->isEnabled());
        QVERIFY(page->progressText().isEmpty());

        // Output dir: eval_<timestamp> under saves/<model>/<method>/, like the Train tab's train_<timestamp>.
        QVERIFY2(QRegularExpression(QStringLiteral("^eval_\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d$"))
                     .match(page->outputDirName())
                     .hasMatch(),
                 qPrintable(page->outputDirName()));
        w.topBar()->setModelPath(QStringLiteral("/models/Qwen3-0.6B"));
        w.topBar()->setFinetuningType(QStringLiteral("freeze"));
        QCOMPARE(page->outputPath(), QStringLiteral("saves/Qwen3-0.6B/freeze/") + page->outputDirName());

        // Data dir: the Train tab's until set here; only datasets that generation can score (no ranking).
        QCOMPARE(page->datasetPicker()->datasetDir(), QStringLiteral("data"));
        w.trainPage()->setDatasetDir(demoData());
        QCOMPARE(page->datasetPicker()->datasetDir(), demoData());
        auto* evalList = w.findChild<QListWidget*>(QStringLiteral("eval.dataset"));
        auto* trainList = w.findChild<QListWidget*>(QStringLiteral("train.dataset"));
        QCOMPARE(trainList->count(), 2); // demo_alpaca and demo_pref (ranking)
        QCOMPARE(evalList->count(), 1);
        QCOMPARE(evalList->item(0)->text(), QStringLiteral("demo_alpaca"));
        QVERIFY(!w.findChild<QPushButton*>(QStringLiteral("eval.data_preview_btn"))->isEnabled());
        evalList->item(0)->setCheckState(Qt::Checked);
        QVERIFY(w.findChild<QPushButton*>(QStringLiteral("eval.data_preview_btn"))->isEnabled());
        page->datasetPicker()->setDatasetDir(QStringLiteral("elsewhere"));
        w.trainPage()->setDatasetDir(QStringLiteral("data"));
        QCOMPARE(page->datasetPicker()->datasetDir(), QStringLiteral("elsewhere")); // set here: kept
    }

    void loadArgumentsOfAPredictRunFillsThisTab()
    {
        // File › Load arguments with an evaluation file (do_predict, no do_train): this tab takes its keys and
        // comes to the front; the Train tab keeps its own values.
        QTemporaryDir dir;
        const QString yaml = dir.filePath(QStringLiteral("predict.yaml"));
        writeFile(yaml, QByteArray("model_name_or_path: ") + demoModel().toUtf8() +
                            "\nstage: sft\ndo_predict: true\npredict_with_generate: true\nfinetuning_type: lora\n"
                            "dataset_dir: " + demoData().toUtf8() + "\neval_dataset: demo_alpaca\ncutoff_len: 512\n"
                            "max_samples: 40\nper_device_eval_batch_size: 4\nmax_new_tokens: 64\ntop_p: 0.5\n"
                            "temperature: 0.3\nseed: 7\noutput_dir: saves/demo/lora/eval_mine\n");
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        const qint64 trainCutoff = w.trainPage()->form()->values().value(QStringLiteral("cutoff_len")).toLongLong();
        QVERIFY(w.loadArguments(yaml));
        EvalPage* page = evalPage(w);
        QCOMPARE(w.tabs()->currentWidget(), page);
        const QVariantMap v = page->values();
        QCOMPARE(v.value(QStringLiteral("cutoff_len")).toLongLong(), 512);
        QCOMPARE(v.value(QStringLiteral("max_samples")).toLongLong(), 40);
        QCOMPARE(v.value(QStringLiteral("batch_size")).toLongLong(), 4);
        QCOMPARE(v.value(QStringLiteral("max_new_tokens")).toLongLong(), 64);
        QCOMPARE(v.value(QStringLiteral("top_p")).toDouble(), 0.5);
        QCOMPARE(v.value(QStringLiteral("temperature")).toDouble(), 0.3);
        QCOMPARE(v.value(QStringLiteral("eval_seed")).toLongLong(), 7);
        QCOMPARE(v.value(QStringLiteral("predict")).toBool(), true);
        QCOMPARE(page->datasetPicker()->datasetDir(), demoData());
        QCOMPARE(page->datasetPicker()->selected(), QStringList{QStringLiteral("demo_alpaca")});
        QCOMPARE(page->outputDirName(), QStringLiteral("eval_mine"));
        QCOMPARE(w.trainPage()->form()->values().value(QStringLiteral("cutoff_len")).toLongLong(), trainCutoff);

        // do_eval alone: scores only ("Save predictions" off). A training file goes to the Train tab.
        writeFile(yaml, "do_eval: true\npredict_with_generate: true\n");
        QVERIFY(w.loadArguments(yaml));
        QCOMPARE(page->values().value(QStringLiteral("predict")).toBool(), false);
        writeFile(yaml, "do_train: true\ndo_predict: true\ncutoff_len: 256\n");
        w.tabs()->setCurrentIndex(0);
        QVERIFY(w.loadArguments(yaml));
        QCOMPARE(w.tabs()->currentIndex(), 0);
        QCOMPARE(w.trainPage()->form()->values().value(QStringLiteral("cutoff_len")).toLongLong(), 256);
        QCOMPARE(page->values().value(QStringLiteral("cutoff_len")).toLongLong(), 512);
    }

    void validationMessagesInLlamaBoardOrder()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        EvalPage* page = evalPage(w);
        w.topBar()->setModelPath(QString());
        page->setOutputDirName(QString());
        QVERIFY(!page->startEval());
        QCOMPARE(page->outputText(), QStringLiteral("Model not found.\nPlease choose a dataset.\nPlease provide output dir."));
        w.topBar()->setModelPath(demoModel());
        page->previewCommand();
        QCOMPARE(page->outputText(), QStringLiteral("Please choose a dataset.\nPlease provide output dir."));
        page->datasetPicker()->setDatasetDir(demoData());
        page->datasetPicker()->setSelected({QStringLiteral("demo_alpaca")});
        QVERIFY(!page->startEval());
        QCOMPARE(page->outputText(), QStringLiteral("Please provide output dir."));
        QVERIFY(!page->isRunning());
        page->datasetPicker()->setSelected({});
        QVERIFY(!page->previewDataset());
        QCOMPARE(page->outputText(), QStringLiteral("Please choose a dataset."));
    }

    void previewCommandShowsThePredictArguments()
    {
        QTemporaryDir root;
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        setUp(w, root.filePath(QStringLiteral("saves")));
        EvalPage* page = evalPage(w);
        page->setOutputDirName(QStringLiteral("eval_preview"));
        page->previewCommand();
        const QString out = page->outputText();
        const QString dir = root.filePath(QStringLiteral("saves/model/lora/eval_preview"));
        QVERIFY2(out.startsWith(QStringLiteral("tunedesk-cli train %1/training_args.yaml\n# Evaluation runs through "
                                               "the train command")
                                    .arg(dir)),
                 qPrintable(out));
        for (const QString& line :
             {QStringLiteral("stage: sft"), QStringLiteral("do_predict: true"), QStringLiteral("predict_with_generate: true"),
              QStringLiteral("model_name_or_path: ") + demoModel(), QStringLiteral("finetuning_type: lora"),
              QStringLiteral("template: qwen"), QStringLiteral("dataset_dir: ") + demoData(),
              QStringLiteral("eval_dataset: demo_alpaca"), QStringLiteral("cutoff_len: 1024"),
              QStringLiteral("max_samples: 100000"), QStringLiteral("per_device_eval_batch_size: 2"),
              QStringLiteral("max_new_tokens: 512"), QStringLiteral("top_p: 0.7"), QStringLiteral("temperature: 0.95"),
              QStringLiteral("seed: 42"), QStringLiteral("output_dir: ") + dir}) {
            QVERIFY2(out.contains(QLatin1Char('\n') + line + QLatin1Char('\n')), qPrintable(line + QStringLiteral(" in\n") + out));
        }
        for (const char* absent : {"do_train", "do_eval", "dataset:", "adapter_name_or_path", "learning_rate"}) {
            QVERIFY2(!out.contains(QLatin1Char('\n') + QLatin1String(absent)), absent);
        }
        QVERIFY(!QFileInfo::exists(dir)); // a preview writes nothing

        // "Save predictions" off: metrics only (do_eval); a LoRA checkpoint becomes the adapter.
        page->setValues({{QStringLiteral("predict"), false}, {QStringLiteral("max_new_tokens"), 64}});
        TrainArgs a = page->currentArgs();
        QVERIFY(a.ok());
        QCOMPARE(a.args.value(QStringLiteral("do_eval")).toBool(), true);
        QVERIFY(!a.args.contains(QStringLiteral("do_predict")));
        QCOMPARE(a.args.value(QStringLiteral("max_new_tokens")).toLongLong(), 64);
        TrainInputs in;
        in.fields = page->values();
        in.modelPath = QStringLiteral("/models/Qwen3-0.6B");
        in.finetuningType = QStringLiteral("lora");
        in.checkpoint = QStringLiteral("saves/Qwen3-0.6B/lora/train_1");
        in.templateName = QStringLiteral("default");
        in.datasets = {QStringLiteral("a"), QStringLiteral("b")};
        in.outputDir = QStringLiteral("saves/Qwen3-0.6B/lora/eval_1");
        a = EvalArgs::build(in);
        QCOMPARE(a.args.value(QStringLiteral("adapter_name_or_path")).toString(), in.checkpoint);
        QCOMPARE(a.args.value(QStringLiteral("model_name_or_path")).toString(), in.modelPath);
        QCOMPARE(a.args.value(QStringLiteral("eval_dataset")).toString(), QStringLiteral("a,b"));
        QCOMPARE(a.warnings, QStringList{QStringLiteral("You are using a non-instruct model, please fine-tune it first.")});
        in.finetuningType = QStringLiteral("full"); // a saved full model replaces the base
        QCOMPARE(EvalArgs::build(in).args.value(QStringLiteral("model_name_or_path")).toString(), in.checkpoint);
    }

    void resultsTableReadsARunFolder()
    {
        QTemporaryDir root;
        const QString saves = root.filePath(QStringLiteral("saves"));
        const QString dir = saves + QStringLiteral("/model/lora/eval_fixture");
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(QDir().mkpath(saves + QStringLiteral("/model/lora/train_1"))); // not an evaluation: not listed
        writeFile(dir + QStringLiteral("/generated_predictions.jsonl"),
                  "{\"prompt\": \"<|im_start|>user\\nWhat is 2+2?<|im_end|>\\n\", \"predict\": \"4\", \"label\": \"4\"}\n"
                  "{\"prompt\": \"user: 法国的首都是哪里？\", \"predict\": \"巴黎。\", \"label\": \"法国的首都是巴黎。\"}\n"
                  "{\"prompt\": \"user: say nothing\", \"predict\": \"\", \"label\": \"silence\"}\n"
                  "{\"prompt\": \"half-written");
        writeFile(dir + QStringLiteral("/generated_scores.jsonl"),
                  "{\"bleu-4\": 100.0, \"rouge-1\": 100.0, \"rouge-2\": 0.0, \"rouge-l\": 100.0}\n"
                  "{\"bleu-4\": 23.4567, \"rouge-1\": 66.6667, \"rouge-2\": 40.0, \"rouge-l\": 66.6667}\n"
                  "{\"bleu-4\": 0.0, \"rouge-1\": 0.0, \"rouge-2\": 0.0, \"rouge-l\": 0.0}\n");
        writeFile(dir + QStringLiteral("/all_results.json"),
                  "{\"predict_bleu-4\": 41.1522, \"predict_rouge-1\": 55.5556, \"predict_rouge-2\": 13.3333, "
                  "\"predict_rouge-l\": 55.5556, \"predict_runtime\": 2.5, \"predict_samples_per_second\": 1.2}\n");

        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setSavesRoot(saves);
        w.topBar()->setModelPath(demoModel());
        w.topBar()->setFinetuningType(QStringLiteral("lora"));
        EvalPage* page = evalPage(w);
        page->refreshRuns(); // the saves root changed (the model may have been the last one already)
        auto* outputDir = w.findChild<QComboBox*>(QStringLiteral("eval.output_dir"));
        QVERIFY(outputDir->findText(QStringLiteral("eval_fixture")) > 0);
        QCOMPARE(outputDir->findText(QStringLiteral("train_1")), -1);
        outputDir->setCurrentText(QStringLiteral("eval_fixture")); // choosing the folder shows it
        EvalResultsView* view = page->results();
        QVERIFY(page->outputText().contains(QStringLiteral("Showing 3 sample"))); // sample(s): no English catalogue loaded
        QTableView* table = w.findChild<QTableView*>(QStringLiteral("eval.results_table"));
        QAbstractItemModel* m = table->model();
        QCOMPARE(m->rowCount(), 3);
        QCOMPARE(m->columnCount(), 8);
        QStringList headers;
        for (int c = 0; c < m->columnCount(); ++c) {
            headers << m->headerData(c, Qt::Horizontal).toString();
        }
        QCOMPARE(headers, (QStringList{QStringLiteral("#"), QStringLiteral("Prompt"), QStringLiteral("Prediction"),
                                       QStringLiteral("Reference"), QStringLiteral("BLEU-4"), QStringLiteral("ROUGE-1"),
                                       QStringLiteral("ROUGE-2"), QStringLiteral("ROUGE-L")}));
        QVERIFY(m->headerData(4, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QStringLiteral("character")));
        QCOMPARE(m->index(1, 4).data().toString(), QStringLiteral("23.46"));
        QCOMPARE(m->index(1, 2).data().toString(), QStringLiteral("巴黎。"));
        QCOMPARE(m->index(2, 2).data().toString(), QStringLiteral("(empty)"));
        // The prompt cell is one line; the tooltip has the full text.
        QCOMPARE(m->index(0, 1).data().toString(), QStringLiteral("<|im_start|>user ⏎ What is 2+2?<|im_end|> ⏎ "));
        QVERIFY(m->index(0, 1).data(Qt::ToolTipRole).toString().contains(QStringLiteral("What is 2+2?&lt;|im_end|&gt;<br>")));

        // Summary: the means of all_results.json, the count, speed and the empty prediction explained.
        QCOMPARE(view->summaryText(0), QStringLiteral("BLEU-4 41.15"));
        QCOMPARE(view->summaryText(3), QStringLiteral("ROUGE-L 55.56"));
        const QString info = view->summaryInfo();
        QVERIFY2(info.contains(QStringLiteral("3 sample")) && info.contains(QStringLiteral("1.20 samples/s"))
                     && info.contains(QStringLiteral("1 empty prediction")) && info.contains(QStringLiteral("scored 0"))
                     && info.contains(QStringLiteral("1 unreadable line")),
                 qPrintable(info));

        // Sorting by a score; the detail pane shows the selected sample in full.
        table->sortByColumn(EvalResultsModel::Rouge2, Qt::DescendingOrder);
        QCOMPARE(m->index(0, 0).data().toInt(), 2);
        table->sortByColumn(EvalResultsModel::Bleu4, Qt::AscendingOrder);
        QCOMPARE(m->index(0, 0).data().toInt(), 3);
        QCOMPARE(m->index(2, 0).data().toInt(), 1);
        view->selectRow(2);
        QCOMPARE(view->detailPrompt(), QStringLiteral("<|im_start|>user\nWhat is 2+2?<|im_end|>\n"));
        QCOMPARE(view->detailPrediction(), QStringLiteral("4"));
        QCOMPARE(view->detailReference(), QStringLiteral("4"));
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("eval.detail_scores"))->text().contains(QStringLiteral("BLEU-4 100.0000")));
        table->sortByColumn(EvalResultsModel::Index, Qt::AscendingOrder);
        view->selectRow(1);
        QCOMPARE(view->detailReference(), QStringLiteral("法国的首都是巴黎。"));

        // The filter looks through the full texts.
        w.findChild<QLineEdit*>(QStringLiteral("eval.results_filter"))->setText(QStringLiteral("SILENCE"));
        QCOMPARE(m->rowCount(), 1);
        QCOMPARE(m->index(0, 3).data().toString(), QStringLiteral("silence"));
        w.findChild<QLineEdit*>(QStringLiteral("eval.results_filter"))->clear();
        QCOMPARE(m->rowCount(), 3);

        // Without all_results.json (a stopped run) the means come from the samples.
        QVERIFY(QFile::remove(dir + QStringLiteral("/all_results.json")));
        QCOMPARE(view->load(dir), 3);
        QCOMPARE(view->summaryText(0), QStringLiteral("BLEU-4 41.15")); // (100 + 23.4567 + 0) / 3
        QCOMPARE(view->summaryText(2), QStringLiteral("ROUGE-2 13.33"));
        QVERIFY(view->summaryInfo().contains(QStringLiteral("no all_results.json")));

        // Another name: a folder that is not an evaluation clears the view.
        outputDir->setCurrentText(QStringLiteral("eval_new"));
        QCOMPARE(m->rowCount(), 0);

        outputDir->setCurrentText(QStringLiteral("eval_fixture"));
        w.resize(1400, 1000);
        w.show();
        w.findChild<QTabWidget*>(QStringLiteral("tabs"))->setCurrentWidget(page);
        view->selectRow(1);
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QDir().mkpath(QStringLiteral(TD_TEST_BINARY_DIR "/screenshots"));
        QVERIFY(w.grab().save(QStringLiteral(TD_TEST_BINARY_DIR "/screenshots/eval_tab_results.png")));
    }

    void largeRunFolderLoadsQuickly()
    {
        QTemporaryDir root;
        constexpr int kRows = 10000;
        QByteArray predictions;
        QByteArray scores;
        const QByteArray prompt = QByteArray("<|im_start|>user\\n") + QByteArray(600, 'x') + "<|im_end|>\\n";
        for (int i = 0; i < kRows; ++i) {
            predictions += "{\"prompt\": \"" + prompt + QByteArray::number(i) + "\", \"predict\": \"" + QByteArray(120, 'p')
                           + "\", \"label\": \"" + QByteArray(120, 'l') + "\"}\n";
            scores += "{\"bleu-4\": " + QByteArray::number(i % 100) + ", \"rouge-1\": 1, \"rouge-2\": 2, \"rouge-l\": 3}\n";
        }
        writeFile(root.filePath(QStringLiteral("generated_predictions.jsonl")), predictions);
        writeFile(root.filePath(QStringLiteral("generated_scores.jsonl")), scores);
        EvalResultsView view;
        view.resize(1200, 700);
        view.show();
        QElapsedTimer t;
        t.start();
        QCOMPARE(view.load(root.path()), kRows);
        const qint64 loadMs = t.elapsed();
        t.restart();
        view.table()->sortByColumn(EvalResultsModel::Bleu4, Qt::DescendingOrder);
        QCoreApplication::processEvents();
        const qint64 sortMs = t.elapsed();
        qInfo("%d samples (%.1f MB): read and shown in %lld ms, sorted by BLEU-4 in %lld ms", kRows,
              double(predictions.size() + scores.size()) / 1e6, qlonglong(loadMs), qlonglong(sortMs));
        QVERIFY2(loadMs < 5000 && sortMs < 5000, "a large evaluation freezes the window");
        QCOMPARE(view.table()->model()->index(0, 4).data().toString(), QStringLiteral("99.00"));
    }

    void startRunsTheDemoModelAndFillsTheResults()
    {
        QVERIFY2(QFileInfo::exists(demoModel() + QStringLiteral("/model.safetensors")),
                 "the demo model is missing: build the td_demo_model target");
        QTemporaryDir root;
        const QString saves = root.filePath(QStringLiteral("saves"));
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        setUp(w, saves);
        EvalPage* page = evalPage(w);
        page->setValues({{QStringLiteral("max_samples"), 4},
                         {QStringLiteral("max_new_tokens"), 8},
                         {QStringLiteral("cutoff_len"), 128}});
        page->setOutputDirName(QStringLiteral("eval_gui"));
        auto* start = w.findChild<QPushButton*>(QStringLiteral("eval.start_btn"));
        auto* abort = w.findChild<QPushButton*>(QStringLiteral("eval.stop_btn"));

        // Another job holds the worker: Start queues behind it and says so.
        std::atomic<bool> release{false};
        QSignalSpy otherStarted(&engine, &td::jobs::EngineService::jobStarted);
        engine.submit(QStringLiteral("other"), [&release](td::JobContext& ctx) -> td::Status {
            while (!release && !ctx.isCancelled()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
            return {};
        });
        QVERIFY(otherStarted.wait(20000));
        QStringList labels;
        connect(page->session(), &TrainSession::progress, this, [&] { labels << page->progressText(); });
        connect(page->session(), &TrainSession::logLine, this, [&] { labels << page->progressText(); });
        QSignalSpy finished(page->session(), &TrainSession::finished);
        start->click();
        QVERIFY2(page->isRunning(), qPrintable(page->outputText()));
        QVERIFY(page->session()->isQueued());
        QVERIFY(!start->isEnabled());
        QVERIFY(abort->isEnabled());
        QVERIFY(page->outputText().contains(QStringLiteral("Waiting for the running job to finish")));
        QCOMPARE(page->progressText(), QStringLiteral("Waiting for the running job to finish…"));
        const QString dir = saves + QStringLiteral("/model/lora/eval_gui");
        const auto args = td::jobs::readArgsFile(dir + QStringLiteral("/training_args.yaml"));
        QVERIFY(args);
        QCOMPARE(args->value(QStringLiteral("do_predict")).toBool(), true);
        QCOMPARE(args->value(QStringLiteral("max_samples")).toLongLong(), 4);
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/llamaboard_config.yaml")));
        release = true;

        QVERIFY(finished.wait(kRunTimeoutMs));
        const auto out = finished.at(0).at(0).value<TrainOutcome>();
        QVERIFY2(out.ok, qPrintable(out.message + QLatin1Char('\n') + out.hint + QLatin1Char('\n') + page->outputText()));
        qInfo("progress labels: %s", qPrintable(labels.join(QStringLiteral(" | "))));
        QVERIFY2(std::any_of(labels.begin(), labels.end(),
                             [](const QString& l) { return l.startsWith(QStringLiteral("Running ")); }),
                 qPrintable(labels.join(QLatin1Char('|'))));
        QVERIFY2(page->outputText().startsWith(QStringLiteral("Finished.")), qPrintable(page->outputText()));
        QVERIFY2(page->outputText().contains(QStringLiteral("\"predict_bleu-4\"")), qPrintable(page->outputText()));
        QVERIFY(page->progressText().isEmpty());
        QVERIFY(start->isEnabled());
        QVERIFY(!abort->isEnabled());
        for (const char* f : {"generated_predictions.jsonl", "generated_scores.jsonl", "all_results.json",
                              "trainer_log.jsonl", "running_log.txt"}) {
            QVERIFY2(QFileInfo::exists(dir + QLatin1Char('/') + QLatin1String(f)), f);
        }
        EvalResultsView* view = page->results();
        QCOMPARE(view->table()->model()->rowCount(), 4);
        for (int i = 0; i < 4; ++i) {
            QVERIFY2(!view->summaryText(i).isEmpty(), qPrintable(QString::number(i)));
        }
        QVERIFY(!view->table()->model()->index(0, EvalResultsModel::Reference).data().toString().isEmpty());
        QVERIFY(!view->table()->model()->index(0, EvalResultsModel::Bleu4).data().toString().isEmpty());
        QVERIFY(view->summaryInfo().startsWith(QStringLiteral("4 sample")));
        // The run is listed; the next Start gets a new name.
        auto* outputDir = w.findChild<QComboBox*>(QStringLiteral("eval.output_dir"));
        QVERIFY(outputDir->findText(QStringLiteral("eval_gui")) > 0);
        QCOMPARE(page->outputDirName(), QStringLiteral("eval_gui"));
        QVERIFY(!w.findChild<QMessageBox*>(QStringLiteral("errorBox")));

        // "Save predictions" off (do_eval): the scores of every sample, no texts.
        page->setValues({{QStringLiteral("predict"), false}});
        page->setOutputDirName(QStringLiteral("eval_scores"));
        QSignalSpy scored(page->session(), &TrainSession::finished);
        QVERIFY(page->startEval());
        QVERIFY(scored.wait(kRunTimeoutMs));
        QVERIFY(scored.at(0).at(0).value<TrainOutcome>().ok);
        QVERIFY(!QFileInfo::exists(saves + QStringLiteral("/model/lora/eval_scores/generated_predictions.jsonl")));
        QCOMPARE(view->table()->model()->rowCount(), 4);
        QVERIFY(!view->table()->model()->index(0, EvalResultsModel::Bleu4).data().toString().isEmpty());
        QVERIFY2(view->summaryInfo().contains(QStringLiteral("predictions not saved")), qPrintable(view->summaryInfo()));
        QVERIFY(page->outputText().contains(QStringLiteral("\"eval_bleu-4\"")));
    }

    void abortKeepsWhatWasGeneratedAndClosingStopsARun()
    {
        QTemporaryDir root;
        const QString saves = root.filePath(QStringLiteral("saves"));
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        setUp(w, saves);
        EvalPage* page = evalPage(w);
        page->setValues({{QStringLiteral("max_new_tokens"), 64},
                         {QStringLiteral("batch_size"), 1},
                         {QStringLiteral("cutoff_len"), 128}}); // all 280 samples: far longer than the test
        page->setOutputDirName(QStringLiteral("eval_abort"));
        auto* abort = w.findChild<QPushButton*>(QStringLiteral("eval.stop_btn"));
        QSignalSpy lines(page->session(), &TrainSession::logLine);
        QSignalSpy finished(page->session(), &TrainSession::finished);
        QVERIFY(page->startEval());
        QVERIFY(lines.wait(kRunTimeoutMs));
        abort->click();
        QVERIFY(!abort->isEnabled());
        QVERIFY(page->outputText().contains(QStringLiteral("Aborted, wait for terminating...")));
        QVERIFY(page->progressText().isEmpty());
        QVERIFY(finished.size() == 1 || finished.wait(kRunTimeoutMs));
        const auto out = finished.at(0).at(0).value<TrainOutcome>();
        QVERIFY(out.cancelled);
        QVERIFY2(page->outputText().startsWith(QStringLiteral("Aborted.")), qPrintable(page->outputText()));
        const int rows = page->results()->table()->model()->rowCount();
        qInfo("stopped after %d of 280 samples", rows);
        QVERIFY2(rows >= 5 && rows < 280, qPrintable(QString::number(rows)));
        QVERIFY(!w.findChild<QMessageBox*>(QStringLiteral("errorBox"))); // a stop is not an error

        // Closing the window while an evaluation runs asks first, then stops it.
        w.show();
        QSignalSpy again(page->session(), &TrainSession::finished);
        QSignalSpy moreLines(page->session(), &TrainSession::logLine);
        page->setOutputDirName(QStringLiteral("eval_close"));
        QVERIFY(page->startEval());
        QVERIFY(moreLines.wait(kRunTimeoutMs));
        MainWindow::setNextAnswer(QMessageBox::No);
        QVERIFY(!w.close());
        QVERIFY(page->isRunning());
        MainWindow::setNextAnswer(QMessageBox::Yes);
        QVERIFY(w.close());
        QVERIFY(again.size() == 1 || again.wait(kRunTimeoutMs));
        QVERIFY(again.at(0).at(0).value<TrainOutcome>().cancelled);
    }
};

QTEST_MAIN(TestEvalPage)
#include "test_eval_page.moc"
