// SPDX-License-Identifier: Apache-2.0
// LLaMA-Factory argument files: types as LLaMA-Factory's YAML has them, errors with line numbers,
// atomic writes that never damage the old file, and a write -> read round trip.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "core/jobs/args_file.h"

using namespace td::jobs;

namespace
{
QString writeText(const QTemporaryDir& dir, const QString& name, const QByteArray& text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return path;
}
} // namespace

class TestArgsFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheCanonicalLoraExample()
    {
        QTemporaryDir dir;
        // Keys and value shapes of LLaMA-Factory's examples/train_lora/llama3_lora_sft.yaml.
        const QString path = writeText(dir, QStringLiteral("a.yaml"),
                                       "### model\n"
                                       "model_name_or_path: meta-llama/Meta-Llama-3-8B-Instruct\n"
                                       "trust_remote_code: true\n"
                                       "stage: sft\n"
                                       "do_train: true\n"
                                       "finetuning_type: lora\n"
                                       "lora_rank: 8\n"
                                       "lora_target: all\n"
                                       "dataset: identity,alpaca_en_demo\n"
                                       "template: llama3\n"
                                       "cutoff_len: 2048\n"
                                       "learning_rate: 1.0e-4\n"
                                       "num_train_epochs: 3.0\n"
                                       "lr_scheduler_type: cosine\n"
                                       "bf16: true\n"
                                       "ddp_timeout: 180000000\n"
                                       "resume_from_checkpoint: null\n"
                                       "report_to: none  # choices: [none, wandb]\n"
                                       "quoted: \"1e-4\"\n"
                                       "list: [a, b]\n");
        const auto args = readArgsFile(path);
        QVERIFY2(args.has_value(), args ? "" : args.error().message.c_str());
        QCOMPARE(args->value(QStringLiteral("model_name_or_path")).toString(),
                 QStringLiteral("meta-llama/Meta-Llama-3-8B-Instruct"));
        QCOMPARE(args->value(QStringLiteral("trust_remote_code")).typeId(), int(QMetaType::Bool));
        QCOMPARE(args->value(QStringLiteral("lora_rank")).typeId(), int(QMetaType::LongLong));
        QCOMPARE(args->value(QStringLiteral("lora_rank")).toLongLong(), 8);
        QCOMPARE(args->value(QStringLiteral("learning_rate")).typeId(), int(QMetaType::Double));
        QCOMPARE(args->value(QStringLiteral("learning_rate")).toDouble(), 1.0e-4);
        QCOMPARE(args->value(QStringLiteral("num_train_epochs")).toDouble(), 3.0);
        QCOMPARE(args->value(QStringLiteral("ddp_timeout")).toLongLong(), 180000000LL);
        QVERIFY(args->value(QStringLiteral("resume_from_checkpoint")).isNull());
        QCOMPARE(args->value(QStringLiteral("report_to")).toString(), QStringLiteral("none"));
        QCOMPARE(args->value(QStringLiteral("quoted")).typeId(), int(QMetaType::QString));
        QCOMPARE(args->value(QStringLiteral("list")).toList().size(), 2);
    }

    void malformedYamlNamesTheLine()
    {
        QTemporaryDir dir;
        const QString path = writeText(dir, QStringLiteral("bad.yaml"), "stage: sft\nlora_rank: [8\ncutoff_len: 1\n");
        const auto args = readArgsFile(path);
        QVERIFY(!args.has_value());
        QCOMPARE(args.error().code, td::ErrorCode::BadJson);
        QVERIFY2(QString::fromStdString(args.error().message).contains(QStringLiteral("bad.yaml:")),
                 args.error().message.c_str());
    }

    void notAMappingAndMissingFileAreErrors()
    {
        QTemporaryDir dir;
        const auto list = readArgsFile(writeText(dir, QStringLiteral("l.yaml"), "- a\n- b\n"));
        QVERIFY(!list.has_value());
        QCOMPARE(list.error().code, td::ErrorCode::BadJson);
        const auto missing = readArgsFile(dir.filePath(QStringLiteral("nope.yaml")));
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().code, td::ErrorCode::FileNotFound);
    }

    void roundTripKeepsOrderAndTypes()
    {
        QTemporaryDir dir;
        QVariantMap args{{QStringLiteral("stage"), QStringLiteral("sft")},
                         {QStringLiteral("learning_rate"), 5e-5},
                         {QStringLiteral("lora_rank"), qlonglong(16)},
                         {QStringLiteral("bf16"), true},
                         {QStringLiteral("dataset"), QVariantList{QStringLiteral("alpaca_en_demo")}}};
        const QStringList order{QStringLiteral("stage"), QStringLiteral("lora_rank")};
        const QString yaml = argsToYaml(args, order);
        QVERIFY(yaml.startsWith(QStringLiteral("stage: sft\nlora_rank: 16\n")));
        // Floats: the shortest text that reads back the same, and a float for PyYAML too (a dot in the mantissa).
        QVERIFY2(yaml.contains(QStringLiteral("\nlearning_rate: 5.0e-05\n")), qPrintable(yaml));
        QCOMPARE(argsToYaml({{QStringLiteral("top_p"), 0.7}, {QStringLiteral("epochs"), 3.0}}, {}),
                 QStringLiteral("epochs: 3.0\ntop_p: 0.7\n"));
        const QString path = dir.filePath(QStringLiteral("out.yaml"));
        QVERIFY(writeArgsFile(path, args, order).has_value());
        const auto back = readArgsFile(path);
        QVERIFY(back.has_value());
        QCOMPARE(back->value(QStringLiteral("learning_rate")).toDouble(), 5e-5);
        QCOMPARE(back->value(QStringLiteral("lora_rank")).toLongLong(), 16);
        QCOMPARE(back->value(QStringLiteral("bf16")).toBool(), true);
        QCOMPARE(back->value(QStringLiteral("dataset")).toList().first().toString(), QStringLiteral("alpaca_en_demo"));
    }

    void unwritablePathIsAnIoErrorAndLeavesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("missing-folder/args.yaml"));
        const auto st = writeArgsFile(path, {{QStringLiteral("stage"), QStringLiteral("sft")}});
        QVERIFY(!st.has_value());
        QCOMPARE(st.error().code, td::ErrorCode::Io);
        QVERIFY(!QFile::exists(path));
        QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestArgsFile)
#include "test_args_file.moc"
