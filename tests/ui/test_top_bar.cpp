// SPDX-License-Identifier: Apache-2.0
// The top bar's LlamaBoard fields (llamaboard.md §1.1): model name → path (remembered paths, a fake Hugging Face
// cache) and template with the non-instruct warning; quantization, RoPE scaling and booster and how the Train
// and Evaluate tabs map them; the checkpoint list with checkpoint-N steps and losses; Save/Load arguments,
// LLaMA-Factory YAML files and the next session restoring every field. Offscreen; its own QSettings scope.
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include "core/jobs/args_file.h"
#include "core/jobs/engine_service.h"
#include "ui/main_window.h"
#include "ui/pages/eval_page.h"
#include "ui/pages/train_page.h"
#include "ui/top_bar.h"
#include "ui/train/train_args.h"

using td::ui::MainWindow;
using td::ui::TopBar;

namespace
{
void writeFile(const QString& path, const QByteArray& data)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).path()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

QComboBox* combo(QWidget& w, const char* name)
{
    return w.findChild<QComboBox*>(QString::fromLatin1(name));
}

const QString kNonInstruct = QStringLiteral("You are using a non-instruct model, please fine-tune it first.");
} // namespace

class TestTopBar : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TuneDeskTest"));
        // Its own settings: selections and remembered paths made here never reach the other GUI tests.
        QCoreApplication::setApplicationName(QStringLiteral("TuneDeskTopBarTest"));
        QLocale::setDefault(QLocale::c());
    }

    void init()
    {
        QSettings().clear();
        m_cache = std::make_unique<QTemporaryDir>();
        QVERIFY(m_cache->isValid());
        qputenv("HF_HUB_CACHE", m_cache->path().toUtf8()); // an empty cache unless the test fills it
        qunsetenv("HF_HOME");
    }

    void modelNameFillsPathAndTemplateAndWarnsForBaseModels()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        TopBar* top = w.topBar();
        auto* name = combo(w, "top.model_name");
        QVERIFY(name);
        QCOMPARE(top->modelName(), QStringLiteral("Custom"));
        QVERIFY(name->count() > 40);

        name->setCurrentIndex(name->findData(QStringLiteral("Qwen2.5-0.5B-Instruct"))); // as a user picks it
        QCOMPARE(top->modelPath(), QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct")); // not downloaded: the repo id
        QCOMPARE(top->templateName(), QStringLiteral("qwen"));
        QVERIFY(!top->notice().contains(kNonInstruct));
        QVERIFY2(top->notice().contains(QStringLiteral("is not in the Hugging Face cache")), qPrintable(top->notice()));
        QCOMPARE(top->savesModelName(), QStringLiteral("Qwen2.5-0.5B-Instruct"));

        name->setCurrentIndex(name->findData(QStringLiteral("Qwen2.5-0.5B"))); // a base model
        QCOMPARE(top->modelPath(), QStringLiteral("Qwen/Qwen2.5-0.5B"));
        QCOMPARE(top->templateName(), QStringLiteral("default"));
        QVERIFY2(top->notice().contains(kNonInstruct), qPrintable(top->notice()));
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("top.notice"))->isVisibleTo(&w));
        // For people to look at: the top bar with the warnings under it.
        w.resize(1280, 800);
        w.show();
        QVERIFY(QDir().mkpath(QStringLiteral(TD_TEST_BINARY_DIR "/screenshots")));
        QVERIFY(top->grab().save(QStringLiteral(TD_TEST_BINARY_DIR "/screenshots/top_bar_base_model.png")));

        // LLaMA-Factory's template the engine lacks: the model's own template instead, and why.
        top->setModelName(QStringLiteral("SmolLM2-135M-Instruct"));
        QCOMPARE(top->templateName(), QStringLiteral("auto"));
        QVERIFY(top->notice().contains(QStringLiteral("smollm2")));

        top->setModelName(QStringLiteral("Llama-3.2-1B-Instruct"));
        QCOMPARE(top->templateName(), QStringLiteral("llama3"));
        QCOMPARE(top->modelPath(), QStringLiteral("meta-llama/Llama-3.2-1B-Instruct"));
    }

    void modelPathComesFromTheHuggingFaceCache()
    {
        // HF_HUB_CACHE: refs/main names the snapshot to use (an older one is left behind).
        const QString repo = m_cache->filePath(QStringLiteral("models--Qwen--Qwen2.5-0.5B-Instruct"));
        writeFile(repo + QStringLiteral("/refs/main"), "abc123\n");
        writeFile(repo + QStringLiteral("/snapshots/abc123/config.json"), "{}");
        writeFile(repo + QStringLiteral("/snapshots/old000/config.json"), "{}");
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        TopBar* top = w.topBar();
        top->setModelName(QStringLiteral("Qwen2.5-0.5B-Instruct"));
        QCOMPARE(top->modelPath(), repo + QStringLiteral("/snapshots/abc123"));
        QVERIFY(!top->notice().contains(QStringLiteral("Hugging Face cache")));
        // Runs go under the model's name, not under the snapshot's revision folder.
        QCOMPARE(top->runsDir(), QStringLiteral("saves/Qwen2.5-0.5B-Instruct/lora"));

        // HF_HOME/hub when HF_HUB_CACHE is unset; without refs/main the snapshot with a config.json.
        QTemporaryDir home;
        qunsetenv("HF_HUB_CACHE");
        qputenv("HF_HOME", home.path().toUtf8());
        const QString llama = home.filePath(QStringLiteral("hub/models--meta-llama--Llama-3.2-1B"));
        writeFile(llama + QStringLiteral("/snapshots/def456/config.json"), "{}");
        top->setModelName(QStringLiteral("Llama-3.2-1B"));
        QCOMPARE(top->modelPath(), llama + QStringLiteral("/snapshots/def456"));

        // A path set from outside selects the model it belongs to, or Custom (the demo model, --model DIR).
        top->setModelPath(repo + QStringLiteral("/snapshots/abc123"));
        QCOMPARE(top->modelName(), QStringLiteral("Qwen2.5-0.5B-Instruct"));
        top->setModelPath(QStringLiteral("Qwen/Qwen3-0.6B-Base")); // a repo id
        QCOMPARE(top->modelName(), QStringLiteral("Qwen3-0.6B-Base"));
        top->setModelPath(QStringLiteral("/models/Tiny"));
        QCOMPARE(top->modelName(), QStringLiteral("Custom"));
        QCOMPARE(top->runsDir(), QStringLiteral("saves/Tiny/lora"));
    }

    void typedPathIsRememberedPerModelName()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        TopBar* top = w.topBar();
        top->setModelName(QStringLiteral("Gemma-2-2B-Instruct"));
        auto* edit = combo(w, "top.model_path")->lineEdit();
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("/data/gemma2"));
        QCOMPARE(top->modelName(), QStringLiteral("Gemma-2-2B-Instruct")); // typing keeps the name
        top->setModelName(QStringLiteral("Mistral-7B-Instruct-v0.3"));
        QCOMPARE(top->modelPath(), QStringLiteral("mistralai/Mistral-7B-Instruct-v0.3"));
        top->setModelName(QStringLiteral("Gemma-2-2B-Instruct"));
        QCOMPARE(top->modelPath(), QStringLiteral("/data/gemma2"));
        QCOMPARE(top->templateName(), QStringLiteral("gemma2"));
        // ... and a window of the next session finds it too (QSettings).
        MainWindow next(&engine);
        next.topBar()->setModelName(QStringLiteral("Gemma-2-2B-Instruct"));
        QCOMPARE(next.topBar()->modelPath(), QStringLiteral("/data/gemma2"));
        next.topBar()->setModelPath(QStringLiteral("/data/gemma2"));
        QCOMPARE(next.topBar()->modelName(), QStringLiteral("Gemma-2-2B-Instruct"));
    }

    void quantizationIsLoraOnlyAndMappedIntoTheTrainYaml()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        TopBar* top = w.topBar();
        top->setModelPath(QStringLiteral("/models/Tiny"));
        auto* bit = combo(w, "top.quantization_bit");
        auto* method = combo(w, "top.quantization_method");
        QVERIFY(bit && method);
        QCOMPARE(top->quantizationBit(), QStringLiteral("none"));
        QCOMPARE(top->quantizationMethod(), QStringLiteral("bnb"));
        QCOMPARE(bit->count(), 3); // none, 8, 4
        QVERIFY(!w.trainPage()->currentArgs().args.contains(QStringLiteral("quantization_bit")));

        top->setQuantizationBit(QStringLiteral("4"));
        auto args = w.trainPage()->currentArgs().args;
        QCOMPARE(args.value(QStringLiteral("quantization_bit")).toInt(), 4);
        QCOMPARE(args.value(QStringLiteral("quantization_method")).toString(), QStringLiteral("bnb"));
        QCOMPARE(args.value(QStringLiteral("double_quantization")).toBool(), true);
        const QString yaml = w.trainPage()->currentArgs().yaml();
        QVERIFY2(yaml.contains(QStringLiteral("quantization_bit: 4\nquantization_method: bnb\ndouble_quantization: true")),
                 qPrintable(yaml));

        // full/freeze: forced to none and disabled (LlamaBoard).
        top->setFinetuningType(QStringLiteral("full"));
        QVERIFY(!bit->isEnabled());
        QCOMPARE(top->quantizationBit(), QStringLiteral("none"));
        QVERIFY(!w.trainPage()->currentArgs().args.contains(QStringLiteral("quantization_bit")));
        top->setFinetuningType(QStringLiteral("freeze"));
        QVERIFY(!bit->isEnabled());
        top->setFinetuningType(QStringLiteral("lora"));
        QVERIFY(bit->isEnabled());

        // The method decides the widths offered; a width it lacks falls back to none.
        top->setQuantizationBit(QStringLiteral("4"));
        top->setQuantizationMethod(QStringLiteral("hqq"));
        QCOMPARE(bit->count(), 8);
        QCOMPARE(top->quantizationBit(), QStringLiteral("4"));
        top->setQuantizationBit(QStringLiteral("3"));
        QCOMPARE(w.trainPage()->currentArgs().args.value(QStringLiteral("quantization_method")).toString(),
                 QStringLiteral("hqq"));
        top->setQuantizationMethod(QStringLiteral("eetq"));
        QCOMPARE(bit->count(), 2);
        QCOMPARE(top->quantizationBit(), QStringLiteral("none"));

        // Free text is allowed, and what is not a width is refused with a message.
        bit->setEditText(QStringLiteral("four"));
        const auto bad = w.trainPage()->currentArgs();
        QVERIFY(bad.errors.join(QLatin1Char('\n')).contains(QStringLiteral("Quantization bit")));
    }

    void ropeScalingAndBoosterMapIntoTrainAndEval()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        TopBar* top = w.topBar();
        top->setModelPath(QStringLiteral("/models/Tiny"));
        auto* eval = w.findChild<td::ui::EvalPage*>();
        QVERIFY(eval);
        // Defaults: no rope_scaling, flash_attn auto, nothing else.
        auto args = w.trainPage()->currentArgs().args;
        QVERIFY(!args.contains(QStringLiteral("rope_scaling")));
        QCOMPARE(args.value(QStringLiteral("flash_attn")).toString(), QStringLiteral("auto"));
        QVERIFY(!args.contains(QStringLiteral("use_unsloth")));
        QVERIFY(!args.contains(QStringLiteral("enable_liger_kernel")));
        // The eval runner always names the quantization method (§1.11).
        QCOMPARE(eval->currentArgs().args.value(QStringLiteral("quantization_method")).toString(), QStringLiteral("bnb"));

        combo(w, "top.rope_scaling")->setCurrentIndex(combo(w, "top.rope_scaling")->findData(QStringLiteral("linear")));
        top->setBooster(QStringLiteral("liger_kernel"));
        args = w.trainPage()->currentArgs().args;
        QCOMPARE(args.value(QStringLiteral("rope_scaling")).toString(), QStringLiteral("linear"));
        QCOMPARE(args.value(QStringLiteral("flash_attn")).toString(), QStringLiteral("auto"));
        QCOMPARE(args.value(QStringLiteral("enable_liger_kernel")).toBool(), true);
        const auto evalArgs = eval->currentArgs().args;
        QCOMPARE(evalArgs.value(QStringLiteral("rope_scaling")).toString(), QStringLiteral("linear"));
        QVERIFY(!evalArgs.contains(QStringLiteral("enable_liger_kernel"))); // train and chat only

        top->setBooster(QStringLiteral("flashattn2"));
        QCOMPARE(w.trainPage()->currentArgs().args.value(QStringLiteral("flash_attn")).toString(), QStringLiteral("fa2"));
        QCOMPARE(eval->currentArgs().args.value(QStringLiteral("flash_attn")).toString(), QStringLiteral("fa2"));
        top->setBooster(QStringLiteral("unsloth"));
        QCOMPARE(w.trainPage()->currentArgs().args.value(QStringLiteral("use_unsloth")).toBool(), true);
        QCOMPARE(eval->currentArgs().args.value(QStringLiteral("use_unsloth")).toBool(), true);

        // Preview command shows them.
        w.trainPage()->setSelectedDatasets({QStringLiteral("alpaca_demo")});
        w.trainPage()->previewCommand();
        const QString out = w.trainPage()->outputText();
        QVERIFY2(out.contains(QStringLiteral("rope_scaling: linear")), qPrintable(out));
        QVERIFY(out.contains(QStringLiteral("use_unsloth: true")));
    }

    void checkpointListShowsCheckpointStepsAndLosses()
    {
        QTemporaryDir root;
        const QString run = root.filePath(QStringLiteral("saves/Tiny/lora/train_a"));
        writeFile(run + QStringLiteral("/adapter_model.safetensors"), "x");
        writeFile(run + QStringLiteral("/checkpoint-10/adapter_model.safetensors"), "x");
        writeFile(run + QStringLiteral("/checkpoint-10/trainer_state.json"),
                  R"({"global_step": 10, "log_history": [{"step": 5, "loss": 2.5}, {"step": 10, "loss": 1.234},)"
                  R"( {"step": 10, "eval_loss": 1.5}]})");
        // No trainer_state.json: the loss comes from the run's trainer_log.jsonl.
        writeFile(run + QStringLiteral("/checkpoint-20/adapter_model.safetensors"), "x");
        writeFile(run + QStringLiteral("/trainer_log.jsonl"),
                  R"({"current_steps": 10, "total_steps": 20, "loss": 1.3})" "\n"
                  R"({"current_steps": 20, "total_steps": 20, "loss": 0.987})" "\n");
        QVERIFY(QDir().mkpath(run + QStringLiteral("/checkpoint-5"))); // no weights: not listed
        // A run stopped before its final save still offers its checkpoint.
        writeFile(root.filePath(QStringLiteral("saves/Tiny/lora/train_b/checkpoint-100/adapter_model.safetensors")), "x");

        td::jobs::EngineService engine;
        MainWindow w(&engine);
        TopBar* top = w.topBar();
        top->setSavesRoot(root.filePath(QStringLiteral("saves")));
        top->setModelPath(QStringLiteral("/models/Tiny"));
        auto* ckpt = combo(w, "top.checkpoint_path");
        QStringList texts;
        for (int i = 0; i < ckpt->count(); ++i) {
            texts << ckpt->itemText(i);
        }
        QCOMPARE(texts, (QStringList{QStringLiteral("train_a"),
                                     QStringLiteral("train_a / checkpoint-10 · step 10 · loss 1.234"),
                                     QStringLiteral("train_a / checkpoint-20 · step 20 · loss 0.987"),
                                     QStringLiteral("train_b / checkpoint-100 · step 100")}));

        // The value is the folder: a run name (as LlamaBoard stores it) or the checkpoint's path.
        ckpt->setCurrentIndex(0);
        QCOMPARE(top->checkpoint(), QStringLiteral("train_a"));
        QCOMPARE(top->checkpointPaths(), QStringList{run});
        ckpt->setCurrentIndex(1);
        QCOMPARE(top->checkpoint(), run + QStringLiteral("/checkpoint-10"));
        QCOMPARE(top->checkpointPaths(), QStringList{run + QStringLiteral("/checkpoint-10")});
        QCOMPARE(w.trainPage()->currentArgs().args.value(QStringLiteral("adapter_name_or_path")).toString(),
                 run + QStringLiteral("/checkpoint-10"));
        // Setting the value selects its item; a refresh keeps the choice.
        top->setCheckpoint(run + QStringLiteral("/checkpoint-20"));
        QCOMPARE(ckpt->currentIndex(), 2);
        top->refreshCheckpoints();
        QCOMPARE(top->checkpoint(), run + QStringLiteral("/checkpoint-20"));
    }

    void saveAndLoadArgumentsRoundTripEveryTopField()
    {
        QTemporaryDir dir;
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        TopBar* top = w.topBar();
        auto* page = w.trainPage();
        page->setConfigRoot(dir.filePath(QStringLiteral("llamaboard_config")));
        page->setSelectedDatasets({QStringLiteral("alpaca_demo")});
        top->setModelName(QStringLiteral("Qwen3-4B-Instruct-2507"));
        top->setCheckpoint(QStringLiteral("train_x"));
        top->setQuantizationMethod(QStringLiteral("hqq"));
        top->setQuantizationBit(QStringLiteral("6"));
        top->setTemplateName(QStringLiteral("qwen3"));
        top->setRopeScaling(QStringLiteral("yarn"));
        top->setBooster(QStringLiteral("unsloth"));
        const QVariantMap saved = top->uiState();
        QVERIFY(page->saveArguments());

        const QString file = dir.filePath(QStringLiteral("llamaboard_config/")) +
                             combo(w, "train.config_path")->currentText();
        const auto yaml = td::jobs::readArgsFile(file);
        QVERIFY(yaml);
        for (const char* key : {"top.model_name", "top.finetuning_type", "top.checkpoint_path", "top.quantization_bit",
                                "top.quantization_method", "top.template", "top.rope_scaling", "top.booster"}) {
            QVERIFY2(yaml->contains(QLatin1String(key)), key);
        }
        QVERIFY(!yaml->contains(QStringLiteral("top.lang")));       // LlamaBoard §1.3
        QVERIFY(!yaml->contains(QStringLiteral("top.model_path")));

        top->setModelName(QStringLiteral("Gemma-2-9B"));
        top->setCheckpoint(QString());
        top->setQuantizationMethod(QStringLiteral("bnb"));
        top->setRopeScaling(QStringLiteral("none"));
        top->setBooster(QStringLiteral("auto"));
        QVERIFY(top->uiState() != saved);
        QVERIFY(page->loadArguments());
        QCOMPARE(top->uiState(), saved);
        QCOMPARE(top->modelPath(), QStringLiteral("Qwen/Qwen3-4B-Instruct-2507")); // the name brings its path
    }

    void llamaFactoryYamlSetsTheBoxes()
    {
        QTemporaryDir dir;
        const QString a = dir.filePath(QStringLiteral("qlora.yaml"));
        writeFile(a, "model_name_or_path: meta-llama/Meta-Llama-3-8B-Instruct\nfinetuning_type: lora\n"
                     "template: llama3\nquantization_bit: 4\nquantization_method: bnb\nrope_scaling: dynamic\n"
                     "flash_attn: fa2\n");
        const QString b = dir.filePath(QStringLiteral("unsloth.yaml"));
        writeFile(b, "model_name_or_path: /models/Tiny\nquantization_bit: 8\nuse_unsloth: true\nflash_attn: auto\n");
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        TopBar* top = w.topBar();
        QVERIFY(w.loadArguments(a));
        QCOMPARE(top->modelName(), QStringLiteral("Llama-3-8B-Instruct"));
        QCOMPARE(top->quantizationBit(), QStringLiteral("4"));
        QCOMPARE(top->quantizationMethod(), QStringLiteral("bnb"));
        QCOMPARE(top->ropeScaling(), QStringLiteral("dynamic"));
        QCOMPARE(top->booster(), QStringLiteral("flashattn2"));
        QVERIFY(w.loadArguments(b));
        QCOMPARE(top->modelName(), QStringLiteral("Custom"));
        QCOMPARE(top->quantizationBit(), QStringLiteral("8"));
        QCOMPARE(top->booster(), QStringLiteral("unsloth"));
    }

    void nextSessionRestoresTheTopBar()
    {
        td::jobs::EngineService engine;
        {
            MainWindow w(&engine);
            TopBar* top = w.topBar();
            top->setModelName(QStringLiteral("Phi-3-4B-4k-Instruct"));
            top->setQuantizationBit(QStringLiteral("8"));
            top->setRopeScaling(QStringLiteral("llama3"));
            top->setBooster(QStringLiteral("flashattn2"));
            top->setTemplateName(QStringLiteral("chatml")); // the user's choice wins over the name's
            w.show();
            QVERIFY(w.close()); // saves the session
        }
        {
            MainWindow w(&engine);
            TopBar* top = w.topBar();
            QCOMPARE(top->modelName(), QStringLiteral("Phi-3-4B-4k-Instruct"));
            QCOMPARE(top->modelPath(), QStringLiteral("microsoft/Phi-3-mini-4k-instruct"));
            QCOMPARE(top->quantizationBit(), QStringLiteral("8"));
            QCOMPARE(top->ropeScaling(), QStringLiteral("llama3"));
            QCOMPARE(top->booster(), QStringLiteral("flashattn2"));
            QCOMPARE(top->templateName(), QStringLiteral("chatml"));
            // What app/main.cpp does with --model (tools/dev.sh run: the demo model): a folder of its own.
            top->setModelPath(QStringLiteral("/tmp/build/demo/model"));
            QCOMPARE(top->modelName(), QStringLiteral("Custom"));
            QCOMPARE(top->runsDir(), QStringLiteral("saves/model/lora"));
        }
    }

private:
    std::unique_ptr<QTemporaryDir> m_cache;
};

QTEST_MAIN(TestTopBar)
#include "test_top_bar.moc"
