// SPDX-License-Identifier: Apache-2.0
// The Train tab: LlamaBoard's defaults, the argument mapping of its runner (llamaboard.md §1.3 and §4),
// validation messages (§1.10), Save/Load arguments, and LLaMA-Factory YAML applied back to the form.
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QLabel>
#include <QListWidget>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QPushButton>
#include <QTest>
#include <QToolButton>

#include "core/jobs/args_file.h"
#include "core/jobs/engine_service.h"
#include "ui/dialogs/dataset_preview_dialog.h"
#include "ui/main_window.h"
#include "ui/pages/train_page.h"
#include "ui/top_bar.h"
#include "ui/train/train_args.h"
#include "ui/train/train_fields.h"
#include "ui/train/train_form.h"
#include "ui/widgets/loss_chart.h"

using namespace td::ui;

namespace
{
QVariantMap defaults()
{
    QVariantMap m;
    for (const TrainField& f : TrainFields::all()) {
        m.insert(QLatin1String(f.id), f.defaultValue);
    }
    return m;
}

TrainInputs baseInputs()
{
    TrainInputs in;
    in.fields = defaults();
    in.fields.insert(QStringLiteral("max_samples"), qlonglong(100000));
    in.modelPath = QStringLiteral("/models/Qwen3-0.6B");
    in.finetuningType = QStringLiteral("lora");
    in.templateName = QStringLiteral("qwen3");
    in.datasetDir = QStringLiteral("data");
    in.datasets = {QStringLiteral("identity"), QStringLiteral("alpaca_en_demo")};
    in.outputDir = QStringLiteral("saves/Qwen3-0.6B/lora/train_1");
    return in;
}
} // namespace

class TestTrainPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale::c());
    }

    void defaultsMapLikeLlamaBoard()
    {
        const TrainArgs a = TrainArgs::build(baseInputs());
        QVERIFY2(a.ok(), qPrintable(a.errors.join(QLatin1Char(';'))));
        const QVariantMap& m = a.args;
        QCOMPARE(m.value(QStringLiteral("stage")).toString(), QStringLiteral("sft"));
        QCOMPARE(m.value(QStringLiteral("learning_rate")).toDouble(), 5e-5);
        QCOMPARE(m.value(QStringLiteral("num_train_epochs")).toDouble(), 3.0);
        QCOMPARE(m.value(QStringLiteral("per_device_train_batch_size")).toLongLong(), 2);
        QCOMPARE(m.value(QStringLiteral("gradient_accumulation_steps")).toLongLong(), 8);
        QCOMPARE(m.value(QStringLiteral("cutoff_len")).toLongLong(), 2048);
        QCOMPARE(m.value(QStringLiteral("lr_scheduler_type")).toString(), QStringLiteral("cosine"));
        QCOMPARE(m.value(QStringLiteral("dataset")).toString(), QStringLiteral("identity,alpaca_en_demo"));
        QCOMPARE(m.value(QStringLiteral("lora_rank")).toLongLong(), 8);
        QCOMPARE(m.value(QStringLiteral("lora_alpha")).toLongLong(), 16);
        QCOMPARE(m.value(QStringLiteral("lora_target")).toString(), QStringLiteral("all")); // empty -> all
        QCOMPARE(m.value(QStringLiteral("bf16")).toBool(), true);
        QCOMPARE(m.value(QStringLiteral("seed")).toLongLong(), 42);
        QCOMPARE(m.value(QStringLiteral("optim")).toString(), QStringLiteral("adamw_torch")); // extra_args
        // Dropped when false/empty/None, except packing and enable_thinking (§1.3).
        QVERIFY(!m.contains(QStringLiteral("fp16")));
        QVERIFY(!m.contains(QStringLiteral("neftune_noise_alpha")));
        QVERIFY(!m.contains(QStringLiteral("loraplus_lr_ratio")));
        QVERIFY(!m.contains(QStringLiteral("val_size")));
        QVERIFY(!m.contains(QStringLiteral("freeze_trainable_layers")));
        QVERIFY(m.contains(QStringLiteral("packing")));
        QCOMPARE(m.value(QStringLiteral("packing")).toBool(), false);
        QCOMPARE(m.value(QStringLiteral("enable_thinking")).toBool(), true);
        QVERIFY(a.yaml().startsWith(QStringLiteral("stage: sft\ndo_train: true\nmodel_name_or_path: /models/Qwen3-0.6B\n")));
        QVERIFY(a.commandPreview().startsWith(
            QStringLiteral("tunedesk-cli train saves/Qwen3-0.6B/lora/train_1/training_args.yaml")));
    }

    void methodAndStageSpecificArguments()
    {
        TrainInputs in = baseInputs();
        in.finetuningType = QStringLiteral("freeze");
        in.fields.insert(QStringLiteral("training_stage"), QStringLiteral("dpo"));
        in.fields.insert(QStringLiteral("val_size"), 0.1);
        in.fields.insert(QStringLiteral("neat_packing"), false);
        in.fields.insert(QStringLiteral("compute_type"), QStringLiteral("fp32"));
        in.fields.insert(QStringLiteral("extra_args"), QStringLiteral("{\"optim\": \"sgd\", \"max_steps\": 10}"));
        in.checkpoint = QStringLiteral("saves/Qwen3-0.6B/freeze/old");
        const TrainArgs a = TrainArgs::build(in);
        QVERIFY(a.ok());
        const QVariantMap& m = a.args;
        QCOMPARE(m.value(QStringLiteral("freeze_trainable_layers")).toLongLong(), 2);
        QCOMPARE(m.value(QStringLiteral("freeze_trainable_modules")).toString(), QStringLiteral("all"));
        QVERIFY(!m.contains(QStringLiteral("lora_rank")));
        QCOMPARE(m.value(QStringLiteral("pref_beta")).toDouble(), 0.1);
        QCOMPARE(m.value(QStringLiteral("pref_loss")).toString(), QStringLiteral("sigmoid"));
        // full/freeze: the checkpoint replaces the model; val_size turns on step evaluation.
        QCOMPARE(m.value(QStringLiteral("model_name_or_path")).toString(), QStringLiteral("saves/Qwen3-0.6B/freeze/old"));
        QCOMPARE(m.value(QStringLiteral("eval_strategy")).toString(), QStringLiteral("steps"));
        QCOMPARE(m.value(QStringLiteral("eval_steps")).toLongLong(), 100);
        QVERIFY(!m.contains(QStringLiteral("bf16")));
        QCOMPARE(m.value(QStringLiteral("optim")).toString(), QStringLiteral("sgd"));
        QCOMPARE(m.value(QStringLiteral("max_steps")).toLongLong(), 10);
    }

    void validationMessagesInLlamaBoardOrder()
    {
        TrainInputs in = baseInputs();
        in.modelPath.clear();
        in.datasets.clear();
        in.outputDir.clear();
        in.fields.insert(QStringLiteral("extra_args"), QStringLiteral("{not json"));
        in.fields.insert(QStringLiteral("training_stage"), QStringLiteral("ppo"));
        in.fields.insert(QStringLiteral("learning_rate"), QStringLiteral("fast"));
        const TrainArgs a = TrainArgs::build(in);
        QVERIFY(!a.ok());
        QCOMPARE(a.errors.mid(0, 5), (QStringList{QStringLiteral("Model not found."),
                                                  QStringLiteral("Please choose a dataset."),
                                                  QStringLiteral("Please provide output dir."),
                                                  QStringLiteral("Invalid JSON schema."),
                                                  QStringLiteral("Please select a reward model.")}));
        QVERIFY(a.errors.contains(QStringLiteral("Learning rate must be a number.")));

        TrainInputs pt = baseInputs();
        pt.fields.insert(QStringLiteral("training_stage"), QStringLiteral("pt"));
        pt.fields.insert(QStringLiteral("train_on_prompt"), true);
        QVERIFY(TrainArgs::build(pt).errors.contains(
            QStringLiteral("train_on_prompt is only available for Supervised Fine-Tuning.")));
    }

    void formHasEveryFieldWithItsDefaultAndSectionsFollowTheMethod()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        TrainForm* form = w.trainPage()->form();
        for (const TrainField& f : TrainFields::all()) {
            QVERIFY2(w.findChild<QWidget*>(QStringLiteral("train.%1").arg(QLatin1String(f.id))), f.id);
        }
        QCOMPARE(form->values().value(QStringLiteral("cutoff_len")).toLongLong(), 2048);
        auto* stage = w.findChild<QComboBox*>(QStringLiteral("train.training_stage"));
        QCOMPARE(stage->currentText(), QStringLiteral("Supervised Fine-Tuning"));
        w.show();
        QVERIFY(w.findChild<QWidget*>(QStringLiteral("train.lora_rank"))->isVisibleTo(&w));
        w.topBar()->setFinetuningType(QStringLiteral("freeze"));
        QVERIFY(!w.findChild<QToolButton*>(QStringLiteral("train.lora_tab"))->isVisibleTo(&w));
        QVERIFY(w.findChild<QToolButton*>(QStringLiteral("train.freeze_tab"))->isVisibleTo(&w));
        // Start is ready; Abort only while a run is queued or running (test_train_run trains for real).
        QVERIFY(w.findChild<QPushButton*>(QStringLiteral("train.start_btn"))->isEnabled());
        QVERIFY(!w.findChild<QPushButton*>(QStringLiteral("train.stop_btn"))->isEnabled());
    }

    void datasetsComeFromDatasetInfoAndPreviewShowsYaml()
    {
        QTemporaryDir dir;
        QFile info(dir.filePath(QStringLiteral("dataset_info.json")));
        QVERIFY(info.open(QIODevice::WriteOnly));
        info.write(R"({"alpaca_demo": {"file_name": "a.json"}, "pref_demo": {"file_name": "p.json", "ranking": true}})");
        info.close();
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setModelPath(QStringLiteral("/models/Tiny"));
        auto* dirEdit = w.findChild<QLineEdit*>(QStringLiteral("train.dataset_dir"));
        dirEdit->setText(dir.path());
        w.trainPage()->refreshDatasets();
        auto* list = w.findChild<QListWidget*>(QStringLiteral("train.dataset"));
        QCOMPARE(list->count(), 2);
        list->item(0)->setCheckState(Qt::Checked);
        w.trainPage()->previewCommand();
        const QString out = w.trainPage()->outputText();
        QVERIFY2(out.contains(QStringLiteral("dataset: alpaca_demo")), qPrintable(out));
        QVERIFY(out.contains(QStringLiteral("model_name_or_path: /models/Tiny")));
        QVERIFY(out.contains(QStringLiteral("output_dir: saves/Tiny/lora/train_")));
    }

    void saveAndLoadArgumentsRestoreTheForm()
    {
        QTemporaryDir dir;
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        TrainPage* page = w.trainPage();
        page->setConfigRoot(dir.filePath(QStringLiteral("llamaboard_config")));
        w.topBar()->setModelPath(QStringLiteral("/models/Tiny"));
        page->setSelectedDatasets({QStringLiteral("alpaca_demo")});
        w.findChild<QSpinBox*>(QStringLiteral("train.lora_rank"))->setValue(32);
        w.findChild<QCheckBox*>(QStringLiteral("train.use_dora"))->setChecked(true);
        QVERIFY(page->saveArguments());
        QVERIFY(page->outputText().startsWith(QStringLiteral("Arguments have been saved at: ")));

        page->form()->resetToDefaults();
        page->setSelectedDatasets({});
        QCOMPARE(page->form()->values().value(QStringLiteral("lora_rank")).toLongLong(), 8);
        QVERIFY(page->loadArguments());
        QCOMPARE(page->outputText(), QStringLiteral("Arguments have been restored."));
        QCOMPARE(page->form()->values().value(QStringLiteral("lora_rank")).toLongLong(), 32);
        QCOMPARE(page->form()->values().value(QStringLiteral("use_dora")).toBool(), true);
        QCOMPARE(page->selectedDatasets(), QStringList{QStringLiteral("alpaca_demo")});

        w.findChild<QComboBox*>(QStringLiteral("train.config_path"))->setCurrentText(QStringLiteral("missing.yaml"));
        QVERIFY(!page->loadArguments());
        QCOMPARE(page->outputText(), QStringLiteral("Config file is not found."));
    }

    void reopeningARunRebuildsTheChartFromDisk()
    {
        QTemporaryDir root;
        const QString saves = root.filePath(QStringLiteral("saves"));
        const QString run = saves + QStringLiteral("/Tiny/lora/train_old");
        QVERIFY(QDir().mkpath(run));
        QFile f(run + QStringLiteral("/trainer_log.jsonl"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"current_steps": 5, "total_steps": 20, "loss": 2.0, "lr": 5e-05, "percentage": 25.0, "elapsed_time": "0:00:10"})" "\n"
                R"({"current_steps": 10, "total_steps": 20, "loss": 1.0, "lr": 4e-05, "percentage": 50.0, "elapsed_time": "0:00:20"})" "\n"
                R"({"current_steps": 10, "total_steps": 20, "eval_loss": 1.5, "percentage": 50.0, "elapsed_time": "0:00:21"})" "\n"
                R"({"current_steps": 15, "total_steps": 20, "loss": 0.5, "lr": 3e-05, "percentage": 75.0, "elapsed_time": "0:00:30"})" "\n");
        f.close();
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setSavesRoot(saves);
        w.topBar()->setModelPath(QStringLiteral("/models/Tiny"));
        auto* outputDir = w.findChild<QComboBox*>(QStringLiteral("train.output_dir"));
        QVERIFY(outputDir->findText(QStringLiteral("train_old")) > 0); // listed as an existing run
        outputDir->setCurrentText(QStringLiteral("train_old"));
        LossChart* chart = w.trainPage()->chart();
        QCOMPARE(chart->lossPoints(), 3);
        QCOMPARE(chart->evalPoints(), 1);
        QCOMPARE(chart->lrPoints(), 3);
        const QVector<double> s = chart->smoothedValues();
        QVERIFY(qAbs(s[2] - 0.5382260791741353) < 1e-12); // same smoothing as LlamaBoard
        // No checkpoint-N in this folder: nothing to resume from (test_reattach covers the other states).
        QVERIFY2(w.trainPage()->outputText().startsWith(
                     QStringLiteral("Stopped at step 15 of 20 with no checkpoint saved — Start trains from the "
                                    "beginning.\nStep 15/20 (75.00%)")),
                 qPrintable(w.trainPage()->outputText()));
        chart->setLogScale(true);
        QVERIFY(chart->logScale());
        QVERIFY(w.trainPage()->compareRun(run));
        QCOMPARE(chart->overlayCount(), 1);
        QVERIFY(!w.trainPage()->compareRun(root.filePath(QStringLiteral("no-run"))));
        chart->append({20, 20, 0.25, std::nullopt, 2e-05});
        QCOMPARE(chart->lossPoints(), 4);
        // For people to look at: the chart as the tab shows it.
        w.resize(1400, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QDir().mkpath(QStringLiteral(TD_TEST_BINARY_DIR "/screenshots"));
        QVERIFY(w.grab().save(QStringLiteral(TD_TEST_BINARY_DIR "/screenshots/train_tab_run.png")));
    }

    void previewDatasetShowsTrainedSpansAndStatistics()
    {
        const QString src = qEnvironmentVariable("TD_SOURCE_DIR");
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setModelPath(src + QStringLiteral("/tests/data/models/llama")); // chatml tokenizer
        TrainPage* page = w.trainPage();
        page->setDatasetDir(src + QStringLiteral("/tests/data/datasets"));
        auto* btn = w.findChild<QPushButton*>(QStringLiteral("train.data_preview_btn"));
        QVERIFY(!btn->isEnabled());
        page->setSelectedDatasets({QStringLiteral("alpaca_small")});
        QVERIFY(btn->isEnabled());
        DatasetPreviewDialog* dialog = page->previewDataset();
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->info().samples.isEmpty(), 60000);
        QCOMPARE(dialog->info().formatting, QStringLiteral("alpaca"));
        QCOMPARE(dialog->info().templateName, QStringLiteral("chatml"));
        const auto& first = dialog->info().samples.first();
        QVERIFY(first.tokens > first.trainedTokens && first.trainedTokens > 0);
        QVERIFY(dialog->renderedHtml().contains(QStringLiteral("#ccfbf1"))); // the trained span is highlighted
        QVERIFY(dialog->info().stats.valid);
        QVERIFY(dialog->statisticsText().contains(QStringLiteral("usable examples")));
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QDir().mkpath(QStringLiteral(TD_TEST_BINARY_DIR "/screenshots"));
        QVERIFY(dialog->grab().save(QStringLiteral(TD_TEST_BINARY_DIR "/screenshots/dataset_preview.png")));
        QVERIFY(dialog->rejectedHtml().isEmpty()); // sft: no rejected pane
        // Preference data (rm/dpo): a second pane shows the rejected sequence with its own counts.
        td::jobs::DatasetPreviewInfo pref = dialog->info();
        pref.samples.first().rejected = {{QStringLiteral("prompt "), false}, {QStringLiteral("worse answer"), true}};
        pref.samples.first().rejectedTokens = 9;
        pref.samples.first().rejectedTrainedTokens = 3;
        dialog->showPreview(pref);
        QVERIFY(dialog->rejectedHtml().contains(QStringLiteral("worse answer")));
        QVERIFY(dialog->rejectedHtml().contains(QStringLiteral("#ccfbf1")));

        page->setSelectedDatasets({QStringLiteral("bad_json")});
        QSignalSpy finished(&engine, &td::jobs::EngineService::jobFinished);
        DatasetPreviewDialog* bad = page->previewDataset();
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.at(0).at(1).value<td::jobs::JobOutcome>().ok);
        QVERIFY(bad->info().samples.isEmpty());
    }

    void memoryEstimateShowsGigabytesForTheDemoModel()
    {
        // The bundled demo model (<build>/demo/model, the td_demo_model target): only its config.json is read.
        const QString model = qEnvironmentVariable("TD_BINARY_DIR") + QStringLiteral("/demo/model");
        QVERIFY2(QFile::exists(model + QStringLiteral("/config.json")), "the demo model is missing: build td_demo_model");
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setModelPath(model);
        auto* label = w.findChild<QLabel*>(QStringLiteral("train.memory_estimate"));
        QVERIFY(label);
        QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(QStringLiteral(" GB of ")), 5000); // debounced
        QVERIFY2(label->text().contains(QRegularExpression(QStringLiteral(R"(^Estimated memory: \d+\.\d GB of \d+\.\d GB available · ≈ .+ TFLOP/step$)"))),
                 qPrintable(label->text()));
        QVERIFY(label->styleSheet().isEmpty());
        // A batch x cutoff no machine holds: red, and the tooltip says what to change.
        w.findChild<QSpinBox*>(QStringLiteral("train.batch_size"))->setValue(1024);
        w.findChild<QSpinBox*>(QStringLiteral("train.cutoff_len"))->setValue(131072);
        QTRY_VERIFY_WITH_TIMEOUT(!label->styleSheet().isEmpty(), 5000);
        QVERIFY2(label->toolTip().contains(QStringLiteral("Lower the batch size")), qPrintable(label->toolTip()));
    }

    void llamaFactoryYamlFillsTheForm()
    {
        QTemporaryDir dir;
        const QString yaml = dir.filePath(QStringLiteral("llama3_lora_sft.yaml"));
        QFile f(yaml);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("model_name_or_path: /models/Llama-3-8B\nstage: sft\nfinetuning_type: lora\nlora_rank: 16\n"
                "dataset: identity,alpaca_en_demo\ntemplate: llama3\ncutoff_len: 1024\nlearning_rate: 1.0e-4\n"
                "per_device_train_batch_size: 1\nfp16: true\nseed: 7\n");
        f.close();
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        QVERIFY(w.loadArguments(yaml));
        const QVariantMap v = w.trainPage()->form()->values();
        QCOMPARE(v.value(QStringLiteral("lora_rank")).toLongLong(), 16);
        QCOMPARE(v.value(QStringLiteral("cutoff_len")).toLongLong(), 1024);
        QCOMPARE(v.value(QStringLiteral("batch_size")).toLongLong(), 1);
        QCOMPARE(v.value(QStringLiteral("compute_type")).toString(), QStringLiteral("fp16"));
        QCOMPARE(v.value(QStringLiteral("train_seed")).toLongLong(), 7);
        QCOMPARE(v.value(QStringLiteral("learning_rate")).toString().toDouble(), 1e-4);
        QCOMPARE(w.trainPage()->selectedDatasets(),
                 (QStringList{QStringLiteral("identity"), QStringLiteral("alpaca_en_demo")}));
    }
};

QTEST_MAIN(TestTrainPage)
#include "test_train_page.moc"
