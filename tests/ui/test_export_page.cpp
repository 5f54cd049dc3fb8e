// SPDX-License-Identifier: Apache-2.0
// The Export tab with the real exporter: the bundled demo model (<build>/demo/model, written by the
// td_demo_model target) exported as a Hugging Face folder and as a q8_0 GGUF file through the page's fields and
// Export button, on the worker thread; the info box shows the files and a passing verification. A non-empty
// export dir and missing fields are refused with LlamaBoard's messages before any job runs; Cancel leaves
// nothing behind; File → Export merged model… shows the tab.
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include "core/jobs/engine_service.h"
#include "core/jobs/export_session.h"
#include "ui/main_window.h"
#include "ui/pages/export_page.h"
#include "ui/top_bar.h"

using namespace td::ui;

namespace
{
constexpr int kExportTimeoutMs = 300000; // generous: shared CI machines, debug builds

QString demoModel()
{
    return qEnvironmentVariable("TD_BINARY_DIR") + QStringLiteral("/demo/model");
}

ExportPage* exportPage(MainWindow& w)
{
    return w.findChild<ExportPage*>(QStringLiteral("export"));
}

template <class T>
T* field(MainWindow& w, const char* name)
{
    return w.findChild<T*>(QStringLiteral("export.%1").arg(QLatin1String(name)));
}

void selectData(QComboBox* combo, const QString& data)
{
    const int i = combo->findData(data);
    QVERIFY2(i >= 0, qPrintable(data));
    combo->setCurrentIndex(i);
}

/// Clicks Export and waits for the end of the export; returns the summary map.
QVariantMap clickExportAndWait(MainWindow& w, td::jobs::EngineService& engine)
{
    ExportPage* page = exportPage(w);
    QSignalSpy done(page, &ExportPage::exportFinished);
    field<QPushButton>(w, "export_btn")->click();
    [&] {
        QVERIFY2(page->isExporting(), qPrintable(page->infoText()));
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kExportTimeoutMs);
        QTRY_VERIFY(!engine.isBusy()); // the job has left the worker
    }();
    return done.isEmpty() ? QVariantMap() : done.at(0).at(2).toMap();
}
} // namespace

class TestExportPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TuneDeskTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TuneDeskExportTest"));
        QLocale::setDefault(QLocale::c());
        QVERIFY2(QFileInfo::exists(demoModel() + QStringLiteral("/model.safetensors")),
                 "the demo model is missing: build the td_demo_model target");
    }

    void replacesThePendingTabWithLlamaBoardFields()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        ExportPage* page = exportPage(w);
        QVERIFY(page);
        QCOMPARE(w.tabs()->indexOf(page), 3);
        QCOMPARE(w.tabs()->tabText(3), QStringLiteral("Export"));
        // LlamaBoard's defaults (§1.13): 5 GB shards (1…100), export_device cpu, legacy format off.
        auto* size = field<QSpinBox>(w, "export_size");
        QCOMPARE(size->value(), 5);
        QCOMPARE(size->minimum(), 1);
        QCOMPARE(size->maximum(), 100);
        QCOMPARE(field<QComboBox>(w, "export_dtype")->currentData().toString(), QStringLiteral("auto"));
        QVERIFY(!field<QCheckBox>(w, "export_legacy_format")->isChecked());
        QVERIFY(field<QCheckBox>(w, "export_verify")->isChecked());
        // The GGUF type is shown only for GGUF exports.
        auto* gguf = field<QComboBox>(w, "export_gguf_type");
        QVERIFY(gguf->isHidden());
        page->setFormat(QStringLiteral("gguf"));
        QVERIFY(!gguf->isHidden());
        QVERIFY(field<QComboBox>(w, "export_dtype")->isHidden());
        for (const char* t : {"f32", "f16", "bf16", "q8_0", "q4_0"}) {
            QVERIFY2(gguf->findData(QLatin1String(t)) >= 0, t);
        }
        QVERIFY(!field<QPushButton>(w, "cancel_btn")->isEnabled());
    }

    void argumentsFollowTheTopBar()
    {
        QTemporaryDir root;
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setSavesRoot(root.filePath(QStringLiteral("saves")));
        w.topBar()->setModelPath(QStringLiteral("/models/Tiny-Model"));
        w.topBar()->setFinetuningType(QStringLiteral("lora"));
        w.topBar()->setCheckpoint(QStringLiteral("run_a, /abs/run_b"));
        w.topBar()->setTemplateName(QStringLiteral("chatml"));
        ExportPage* page = exportPage(w);
        page->setExportDir(QStringLiteral("/tmp/out"));
        QVariantMap a = page->exportArguments();
        QCOMPARE(a.value(QStringLiteral("model_name_or_path")).toString(), QStringLiteral("/models/Tiny-Model"));
        QCOMPARE(a.value(QStringLiteral("adapter_name_or_path")).toString(),
                 root.filePath(QStringLiteral("saves/Tiny-Model/lora/run_a")) + QStringLiteral(",/abs/run_b"));
        QCOMPARE(a.value(QStringLiteral("template")).toString(), QStringLiteral("chatml"));
        QCOMPARE(a.value(QStringLiteral("finetuning_type")).toString(), QStringLiteral("lora"));
        QCOMPARE(a.value(QStringLiteral("export_dir")).toString(), QStringLiteral("/tmp/out"));
        QCOMPARE(a.value(QStringLiteral("export_size")).toInt(), 5);
        QCOMPARE(a.value(QStringLiteral("export_device")).toString(), QStringLiteral("cpu"));
        QCOMPARE(a.value(QStringLiteral("export_format")).toString(), QStringLiteral("hf"));
        QCOMPARE(a.value(QStringLiteral("infer_dtype")).toString(), QStringLiteral("auto"));
        // full/freeze: the checkpoint is the model itself.
        w.topBar()->setFinetuningType(QStringLiteral("full"));
        w.topBar()->setCheckpoint(QStringLiteral("/abs/full_run"));
        a = page->exportArguments();
        QCOMPARE(a.value(QStringLiteral("model_name_or_path")).toString(), QStringLiteral("/abs/full_run"));
        QVERIFY(!a.contains(QStringLiteral("adapter_name_or_path")));
        // Keys of a llamafactory-cli export file fill the tab.
        page->applyArguments({{QStringLiteral("export_dir"), QStringLiteral("merged")},
                              {QStringLiteral("export_size"), QStringLiteral("2")},
                              {QStringLiteral("export_device"), QStringLiteral("auto")},
                              {QStringLiteral("export_format"), QStringLiteral("gguf")},
                              {QStringLiteral("export_gguf_type"), QStringLiteral("Q4_0")}});
        a = page->exportArguments();
        QCOMPARE(a.value(QStringLiteral("export_dir")).toString(), QStringLiteral("merged"));
        QCOMPARE(a.value(QStringLiteral("export_size")).toInt(), 2);
        QCOMPARE(a.value(QStringLiteral("export_device")).toString(), QStringLiteral("auto"));
        QCOMPARE(a.value(QStringLiteral("export_gguf_type")).toString(), QStringLiteral("q4_0"));
        // The session hands these keys to parseExportArgs as typed JSON.
        const QByteArray json = td::jobs::ExportSession::argumentsJson(a);
        QVERIFY2(json.contains("\"export_size\":2"), json.constData());
        QVERIFY2(json.contains("\"export_verify\":true"), json.constData());
    }

    void validationLikeLlamaBoard()
    {
        QTemporaryDir tmp;
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        ExportPage* page = exportPage(w);
        w.topBar()->setModelPath(QString());
        QVERIFY(!page->startExport());
        QCOMPARE(page->infoText(), QStringLiteral("Please select a model."));
        w.topBar()->setModelPath(tmp.filePath(QStringLiteral("missing")));
        QVERIFY(!page->startExport());
        QVERIFY2(page->infoText().startsWith(QStringLiteral("Model not found.")), qPrintable(page->infoText()));
        w.topBar()->setModelPath(demoModel());
        page->setExportDir(QString());
        QVERIFY(!page->startExport());
        QCOMPARE(page->infoText(), QStringLiteral("Please provide export dir."));
        page->setExportDir(tmp.filePath(QStringLiteral("adapter_out")));
        page->setFormat(QStringLiteral("adapter"));
        w.topBar()->setCheckpoint(QString());
        QVERIFY(!page->startExport());
        QCOMPARE(page->infoText(), QStringLiteral("Please select an adapter."));
        QVERIFY(!page->isExporting());
        QVERIFY(!engine.isBusy());
    }

    void nonEmptyExportDirIsRefusedAndUntouched()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("taken"));
        QVERIFY(QDir().mkpath(dir));
        QFile keep(dir + QStringLiteral("/keep.txt"));
        QVERIFY(keep.open(QIODevice::WriteOnly));
        keep.write("mine");
        keep.close();

        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setModelPath(demoModel());
        field<QLineEdit>(w, "export_dir")->setText(dir);
        ExportPage* page = exportPage(w);
        field<QPushButton>(w, "export_btn")->click();
        QVERIFY(!page->isExporting());
        QVERIFY(!engine.isBusy());
        QVERIFY2(page->infoText().contains(QStringLiteral("not empty")), qPrintable(page->infoText()));
        QVERIFY2(page->infoText().contains(dir), qPrintable(page->infoText()));
        QCOMPARE(QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList{QStringLiteral("keep.txt")});
        QVERIFY(keep.open(QIODevice::ReadOnly));
        QCOMPARE(keep.readAll(), QByteArray("mine"));
        // Nothing was staged next to it either.
        QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList{QStringLiteral("taken")});
    }

    void exportsAMergedHuggingFaceFolder()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("demo-merged"));
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setModelPath(demoModel());
        selectData(field<QComboBox>(w, "export_format"), QStringLiteral("hf"));
        selectData(field<QComboBox>(w, "export_dtype"), QStringLiteral("float16"));
        field<QLineEdit>(w, "export_dir")->setText(dir);
        const QVariantMap s = clickExportAndWait(w, engine);
        ExportPage* page = exportPage(w);
        QVERIFY2(s.value(QStringLiteral("ok")).toBool(), qPrintable(page->infoText()));
        QCOMPARE(s.value(QStringLiteral("format")).toString(), QStringLiteral("hf"));
        QCOMPARE(s.value(QStringLiteral("dtype")).toString(), QStringLiteral("float16"));
        QVERIFY(s.value(QStringLiteral("verification_passed")).toBool());
        QVERIFY(s.value(QStringLiteral("bytes")).toLongLong() > 0);

        const QDir out(dir);
        QVERIFY(out.exists(QStringLiteral("config.json")));
        QVERIFY(out.exists(QStringLiteral("model.safetensors"))
                || out.exists(QStringLiteral("model.safetensors.index.json")));
        QVERIFY(out.exists(QStringLiteral("tokenizer.json")));
        QVERIFY(out.exists(QStringLiteral("tokenizer_config.json")));
        QStringList reported = s.value(QStringLiteral("files")).toStringList();
        QStringList written = out.entryList(QDir::Files | QDir::Hidden);
        reported.sort();
        written.sort();
        QCOMPARE(reported, written);
        // Only the export dir is left in its parent: the staging folder was renamed into place.
        QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList{QStringLiteral("demo-merged")});

        const QString info = page->infoText();
        QVERIFY2(info.contains(QStringLiteral("Model exported.")), qPrintable(info));
        QVERIFY2(info.contains(QStringLiteral("PASS")), qPrintable(info));
        QVERIFY2(!info.contains(QStringLiteral("FAIL")), qPrintable(info));
        QVERIFY2(info.contains(QStringLiteral("Max logit difference")), qPrintable(info));
        QVERIFY2(info.contains(QStringLiteral("config.json")), qPrintable(info));
        QVERIFY(field<QPushButton>(w, "export_btn")->isEnabled());
        QVERIFY(!field<QPushButton>(w, "cancel_btn")->isEnabled());
    }

    void exportsAQuantizedGgufFile()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("demo-gguf"));
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setModelPath(demoModel());
        selectData(field<QComboBox>(w, "export_format"), QStringLiteral("gguf"));
        selectData(field<QComboBox>(w, "export_gguf_type"), QStringLiteral("q8_0"));
        field<QLineEdit>(w, "export_dir")->setText(dir);
        const QVariantMap s = clickExportAndWait(w, engine);
        ExportPage* page = exportPage(w);
        QVERIFY2(s.value(QStringLiteral("ok")).toBool(), qPrintable(page->infoText()));
        QCOMPARE(s.value(QStringLiteral("format")).toString(), QStringLiteral("gguf"));
        const QFileInfo gguf(dir + QStringLiteral("/model-q8_0.gguf"));
        QVERIFY2(gguf.isFile(), qPrintable(QDir(dir).entryList().join(QLatin1Char(' '))));
        QVERIFY(gguf.size() > 0);
        QVERIFY2(page->infoText().contains(QStringLiteral("PASS")), qPrintable(page->infoText()));
        QVERIFY2(page->infoText().contains(QStringLiteral("model-q8_0.gguf")), qPrintable(page->infoText()));
    }

    void cancelLeavesNothingBehind()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("cancelled"));
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        w.topBar()->setModelPath(demoModel());
        field<QLineEdit>(w, "export_dir")->setText(dir);
        ExportPage* page = exportPage(w);
        QSignalSpy done(page, &ExportPage::exportFinished);
        QVERIFY(page->startExport());
        QVERIFY(field<QPushButton>(w, "cancel_btn")->isEnabled());
        QVERIFY(!field<QPushButton>(w, "export_btn")->isEnabled());
        field<QPushButton>(w, "cancel_btn")->click();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kExportTimeoutMs);
        QTRY_VERIFY(!engine.isBusy());
        const bool ok = done.at(0).at(0).toBool();
        const bool cancelled = done.at(0).at(1).toBool();
        QVERIFY(ok || cancelled); // a tiny model may finish before the token is checked
        if (cancelled) {
            QVERIFY(!QFileInfo::exists(dir));
            QVERIFY(QDir(tmp.path()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden));
            QVERIFY2(page->infoText().contains(QStringLiteral("cancelled")), qPrintable(page->infoText()));
        }
        QVERIFY(field<QPushButton>(w, "export_btn")->isEnabled());
    }

    void menuActionShowsTheExportTab()
    {
        td::jobs::EngineService engine;
        MainWindow w(&engine);
        auto* action = w.findChild<QAction*>(QStringLiteral("actionExportMerged"));
        QVERIFY(action);
        QVERIFY(action->isEnabled());
        auto* fileMenu = w.findChild<QMenu*>(QStringLiteral("menuFile"));
        QVERIFY(fileMenu);
        QVERIFY(fileMenu->actions().contains(action));
        QCOMPARE(action->text(), QStringLiteral("Export merged model…"));
        w.tabs()->setCurrentIndex(0);
        action->trigger();
        QCOMPARE(w.tabs()->currentWidget(), exportPage(w));
    }
};

QTEST_MAIN(TestExportPage)
#include "test_export_page.moc"
