// SPDX-License-Identifier: Apache-2.0
// The model catalogue (the top bar's model names) swept as a registry: unique names, hub ids, LLaMA-Factory's
// template naming rule, templates the engine has built in (or the known few it has not); the Hugging Face
// cache lookup; and the saved-weights listing behind the checkpoint dropdown.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include "core/jobs/model_catalogue.h"
#include "core/jobs/model_session.h"
#include "core/jobs/saved_weights.h"

using namespace td::jobs;

namespace
{
void touch(const QString& path, const QByteArray& data = "x")
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}
} // namespace

class TestModelCatalogue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyEntryIsUsable()
    {
        const QStringList builtIn = ModelSession::templateNames();
        QSet<QString> names;
        QSet<QString> missing;
        for (const CatalogueModel& m : ModelCatalogue::models()) {
            QVERIFY2(!names.contains(m.name), qPrintable(m.name));
            names.insert(m.name);
            QVERIFY2(m.name != ModelCatalogue::customName(), "Custom is not a catalogue entry");
            QVERIFY2(m.repoId.count(QLatin1Char('/')) == 1, qPrintable(m.repoId));
            // LLaMA-Factory's rule (§3.4): only instruct/chat/thinking names carry the family's template.
            const bool tuned = m.name.contains(QLatin1String("-Instruct")) || m.name.contains(QLatin1String("-Thinking"))
                               || m.name.contains(QLatin1String("-Chat"));
            QVERIFY2(tuned == (m.templateName != QLatin1String("default")), qPrintable(m.name));
            if (!builtIn.contains(m.templateName)) {
                missing.insert(m.templateName);
            }
            QCOMPARE(ModelCatalogue::find(m.name)->repoId, m.repoId);
        }
        // The top bar falls back to "auto" for these; a new name here is a typo or a template to add.
        QCOMPARE(missing, (QSet<QString>{QStringLiteral("granite3"), QStringLiteral("smollm2")}));
        QVERIFY(ModelCatalogue::findByRepo(QStringLiteral("qwen/qwen2.5-0.5b-instruct"))); // hub ids ignore case
        QVERIFY(!ModelCatalogue::find(QStringLiteral("Custom")));
    }

    void findsSnapshotsInTheHubCache()
    {
        QTemporaryDir cache;
        qputenv("HF_HUB_CACHE", cache.path().toUtf8());
        QCOMPARE(ModelCatalogue::hubCacheDir(), QDir::cleanPath(cache.path()));
        const QString repo = cache.filePath(QStringLiteral("models--google--gemma-2-2b-it"));
        QCOMPARE(ModelCatalogue::cachedSnapshot(QStringLiteral("google/gemma-2-2b-it")), QString());
        touch(repo + QStringLiteral("/snapshots/aaa/config.json"));
        QCOMPARE(ModelCatalogue::cachedSnapshot(QStringLiteral("google/gemma-2-2b-it")), repo + QStringLiteral("/snapshots/aaa"));
        touch(repo + QStringLiteral("/snapshots/bbb/config.json"));
        touch(repo + QStringLiteral("/refs/main"), "bbb");
        QCOMPARE(ModelCatalogue::cachedSnapshot(QStringLiteral("google/gemma-2-2b-it")), repo + QStringLiteral("/snapshots/bbb"));
        QCOMPARE(ModelCatalogue::repoOfCachePath(repo + QStringLiteral("/snapshots/bbb")),
                 QStringLiteral("google/gemma-2-2b-it"));
        QCOMPARE(ModelCatalogue::repoOfCachePath(QStringLiteral("/models/gemma")), QString());
        const auto gemma = *ModelCatalogue::find(QStringLiteral("Gemma-2-2B-Instruct"));
        QCOMPARE(ModelCatalogue::resolvePath(gemma), repo + QStringLiteral("/snapshots/bbb"));
        QCOMPARE(ModelCatalogue::resolvePath(gemma, QStringLiteral("/data/g")), QStringLiteral("/data/g"));

        // Without HF_HUB_CACHE: HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub (huggingface_hub's order).
        qunsetenv("HF_HUB_CACHE");
        qputenv("HF_HOME", "/srv/hf");
        QCOMPARE(ModelCatalogue::hubCacheDir(), QStringLiteral("/srv/hf/hub"));
        qunsetenv("HF_HOME");
        qputenv("XDG_CACHE_HOME", "/var/cache/u");
        QCOMPARE(ModelCatalogue::hubCacheDir(), QStringLiteral("/var/cache/u/huggingface/hub"));
    }

    void listsRunsAndCheckpointsWithStepAndLoss()
    {
        QTemporaryDir runs;
        touch(runs.filePath(QStringLiteral("r1/model.safetensors")));
        touch(runs.filePath(QStringLiteral("r1/checkpoint-100/model.safetensors")));
        touch(runs.filePath(QStringLiteral("r1/checkpoint-20/model.safetensors")));
        touch(runs.filePath(QStringLiteral("r1/checkpoint-20/trainer_state.json")),
              R"({"log_history": [{"step": 20, "loss": 0.5}, {"step": 20, "eval_loss": 0.7}]})");
        touch(runs.filePath(QStringLiteral("r1/trainer_log.jsonl")),
              R"({"current_steps": 100, "total_steps": 100, "loss": 0.25})" "\n");
        touch(runs.filePath(QStringLiteral("r2/running_log.txt"))); // nothing saved yet
        const auto list = listSavedWeights(runs.path());
        QCOMPARE(list.size(), 3);
        QCOMPARE(list[0].checkpoint, QString());
        QCOMPARE(list[0].step, qint64(100));
        QCOMPARE(*list[0].loss, 0.25);
        QCOMPARE(list[1].checkpoint, QStringLiteral("checkpoint-20")); // numeric order
        QCOMPARE(*list[1].loss, 0.5);
        QCOMPARE(list[2].checkpoint, QStringLiteral("checkpoint-100"));
        QCOMPARE(list[2].path, runs.filePath(QStringLiteral("r1/checkpoint-100")));
        QCOMPARE(*list[2].loss, 0.25); // from trainer_log.jsonl
        QVERIFY(listSavedWeights(runs.filePath(QStringLiteral("missing"))).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestModelCatalogue)
#include "test_model_catalogue.moc"
