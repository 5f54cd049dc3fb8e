// SPDX-License-Identifier: Apache-2.0
#include "core/jobs/model_catalogue.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace td::jobs
{

namespace
{

struct Row
{
    const char* name;
    const char* repo;
    const char* tmpl;
};

// Names, repo ids and templates as LLaMA-Factory registers them (llamaboard.md §3.4): instruct/chat/thinking
// variants carry their family's template, base models get `default` (the UI then warns that the model is not
// instruction-tuned). Only families whose config.json model_type the engine loads (core/models registry:
// llama, mistral, qwen2, qwen3, gemma, gemma2, phi3, olmo2, starcoder2, granite), and only checkpoints whose
// rope_scaling it supports: Phi-3-mini-128k and Phi-3.5-mini use LongRoPE and are left out until it does.
// OLMo 2 is not in LLaMA-Factory's table; its instruct models take LLaMA-Factory's `olmo` template.
// `granite3` and `smollm2` are LLaMA-Factory templates the engine has not built in yet: the top bar falls back
// to `auto` (the model's own chat template) for them (tests/jobs/test_model_catalogue.cpp lists them).
const Row kRows[] = {
    // Gemma (model_type gemma)
    {"Gemma-2B", "google/gemma-2b", "default"},
    {"Gemma-7B", "google/gemma-7b", "default"},
    {"Gemma-2B-Instruct", "google/gemma-2b-it", "gemma"},
    {"Gemma-7B-Instruct", "google/gemma-7b-it", "gemma"},
    // Gemma 2 (gemma2)
    {"Gemma-2-2B", "google/gemma-2-2b", "default"},
    {"Gemma-2-9B", "google/gemma-2-9b", "default"},
    {"Gemma-2-27B", "google/gemma-2-27b", "default"},
    {"Gemma-2-2B-Instruct", "google/gemma-2-2b-it", "gemma2"},
    {"Gemma-2-9B-Instruct", "google/gemma-2-9b-it", "gemma2"},
    {"Gemma-2-27B-Instruct", "google/gemma-2-27b-it", "gemma2"},
    // Granite 3 (granite; the MoE variants are granitemoe and not listed)
    {"Granite-3.0-2B-Base", "ibm-granite/granite-3.0-2b-base", "default"},
    {"Granite-3.0-8B-Base", "ibm-granite/granite-3.0-8b-base", "default"},
    {"Granite-3.0-2B-Instruct", "ibm-granite/granite-3.0-2b-instruct", "granite3"},
    {"Granite-3.0-8B-Instruct", "ibm-granite/granite-3.0-8b-instruct", "granite3"},
    {"Granite-3.1-2B-Base", "ibm-granite/granite-3.1-2b-base", "default"},
    {"Granite-3.1-8B-Base", "ibm-granite/granite-3.1-8b-base", "default"},
    {"Granite-3.1-2B-Instruct", "ibm-granite/granite-3.1-2b-instruct", "granite3"},
    {"Granite-3.1-8B-Instruct", "ibm-granite/granite-3.1-8b-instruct", "granite3"},
    // Llama 3.x (llama)
    {"Llama-3-8B", "meta-llama/Meta-Llama-3-8B", "default"},
    {"Llama-3-8B-Instruct", "meta-llama/Meta-Llama-3-8B-Instruct", "llama3"},
    {"Llama-3.1-8B", "meta-llama/Meta-Llama-3.1-8B", "default"},
    {"Llama-3.1-8B-Instruct", "meta-llama/Meta-Llama-3.1-8B-Instruct", "llama3"},
    {"Llama-3.2-1B", "meta-llama/Llama-3.2-1B", "default"},
    {"Llama-3.2-3B", "meta-llama/Llama-3.2-3B", "default"},
    {"Llama-3.2-1B-Instruct", "meta-llama/Llama-3.2-1B-Instruct", "llama3"},
    {"Llama-3.2-3B-Instruct", "meta-llama/Llama-3.2-3B-Instruct", "llama3"},
    {"Llama-3.3-70B-Instruct", "meta-llama/Llama-3.3-70B-Instruct", "llama3"},
    // Mistral (mistral)
    {"Mistral-7B-v0.3", "mistralai/Mistral-7B-v0.3", "default"},
    {"Mistral-7B-Instruct-v0.3", "mistralai/Mistral-7B-Instruct-v0.3", "mistral"},
    // OLMo 2 (olmo2)
    {"OLMo-2-0425-1B", "allenai/OLMo-2-0425-1B", "default"},
    {"OLMo-2-1124-7B", "allenai/OLMo-2-1124-7B", "default"},
    {"OLMo-2-1124-13B", "allenai/OLMo-2-1124-13B", "default"},
    {"OLMo-2-0425-1B-Instruct", "allenai/OLMo-2-0425-1B-Instruct", "olmo"},
    {"OLMo-2-1124-7B-Instruct", "allenai/OLMo-2-1124-7B-Instruct", "olmo"},
    {"OLMo-2-1124-13B-Instruct", "allenai/OLMo-2-1124-13B-Instruct", "olmo"},
    // Phi-3 (phi3; 4k-context variants)
    {"Phi-3-4B-4k-Instruct", "microsoft/Phi-3-mini-4k-instruct", "phi"},
    {"Phi-3-14B-8k-Instruct", "microsoft/Phi-3-medium-4k-instruct", "phi"},
    // Qwen2.5 (qwen2)
    {"Qwen2.5-0.5B", "Qwen/Qwen2.5-0.5B", "default"},
    {"Qwen2.5-1.5B", "Qwen/Qwen2.5-1.5B", "default"},
    {"Qwen2.5-3B", "Qwen/Qwen2.5-3B", "default"},
    {"Qwen2.5-7B", "Qwen/Qwen2.5-7B", "default"},
    {"Qwen2.5-14B", "Qwen/Qwen2.5-14B", "default"},
    {"Qwen2.5-0.5B-Instruct", "Qwen/Qwen2.5-0.5B-Instruct", "qwen"},
    {"Qwen2.5-1.5B-Instruct", "Qwen/Qwen2.5-1.5B-Instruct", "qwen"},
    {"Qwen2.5-3B-Instruct", "Qwen/Qwen2.5-3B-Instruct", "qwen"},
    {"Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "qwen"},
    {"Qwen2.5-14B-Instruct", "Qwen/Qwen2.5-14B-Instruct", "qwen"},
    // Qwen3 (qwen3): the hybrid-thinking checkpoints are LLaMA-Factory's "-Thinking" names
    {"Qwen3-0.6B-Base", "Qwen/Qwen3-0.6B-Base", "default"},
    {"Qwen3-1.7B-Base", "Qwen/Qwen3-1.7B-Base", "default"},
    {"Qwen3-4B-Base", "Qwen/Qwen3-4B-Base", "default"},
    {"Qwen3-8B-Base", "Qwen/Qwen3-8B-Base", "default"},
    {"Qwen3-0.6B-Thinking", "Qwen/Qwen3-0.6B", "qwen3"},
    {"Qwen3-1.7B-Thinking", "Qwen/Qwen3-1.7B", "qwen3"},
    {"Qwen3-4B-Thinking", "Qwen/Qwen3-4B", "qwen3"},
    {"Qwen3-8B-Thinking", "Qwen/Qwen3-8B", "qwen3"},
    {"Qwen3-4B-Instruct-2507", "Qwen/Qwen3-4B-Instruct-2507", "qwen3_nothink"},
    {"Qwen3-4B-Thinking-2507", "Qwen/Qwen3-4B-Thinking-2507", "qwen3"},
    // SmolLM2 (llama)
    {"SmolLM2-135M", "HuggingFaceTB/SmolLM2-135M", "default"},
    {"SmolLM2-360M", "HuggingFaceTB/SmolLM2-360M", "default"},
    {"SmolLM2-1.7B", "HuggingFaceTB/SmolLM2-1.7B", "default"},
    {"SmolLM2-135M-Instruct", "HuggingFaceTB/SmolLM2-135M-Instruct", "smollm2"},
    {"SmolLM2-360M-Instruct", "HuggingFaceTB/SmolLM2-360M-Instruct", "smollm2"},
    {"SmolLM2-1.7B-Instruct", "HuggingFaceTB/SmolLM2-1.7B-Instruct", "smollm2"},
    // StarCoder2 (starcoder2; base models only)
    {"StarCoder2-3B", "bigcode/starcoder2-3b", "default"},
    {"StarCoder2-7B", "bigcode/starcoder2-7b", "default"},
    {"StarCoder2-15B", "bigcode/starcoder2-15b", "default"},
};

QString homeCache()
{
    const QString xdg = qEnvironmentVariable("XDG_CACHE_HOME");
    return xdg.isEmpty() ? QDir::home().filePath(QStringLiteral(".cache")) : xdg;
}

bool isSnapshot(const QDir& dir)
{
    return dir.exists(QStringLiteral("config.json"));
}

} // namespace

const QVector<CatalogueModel>& ModelCatalogue::models()
{
    static const QVector<CatalogueModel> kModels = [] {
        QVector<CatalogueModel> out;
        for (const Row& r : kRows) {
            out.push_back({QString::fromLatin1(r.name), QString::fromLatin1(r.repo), QString::fromLatin1(r.tmpl)});
        }
        return out;
    }();
    return kModels;
}

std::optional<CatalogueModel> ModelCatalogue::find(const QString& name)
{
    for (const CatalogueModel& m : models()) {
        if (m.name == name) {
            return m;
        }
    }
    return std::nullopt;
}

std::optional<CatalogueModel> ModelCatalogue::findByRepo(const QString& repoId)
{
    // Hub ids are case-insensitive on the hub, and users type them either way.
    for (const CatalogueModel& m : models()) {
        if (m.repoId.compare(repoId, Qt::CaseInsensitive) == 0) {
            return m;
        }
    }
    return std::nullopt;
}

QString ModelCatalogue::hubCacheDir()
{
    for (const char* var : {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) { // the second is the legacy name
        const QString dir = qEnvironmentVariable(var);
        if (!dir.isEmpty()) {
            return QDir::cleanPath(dir);
        }
    }
    QString home = qEnvironmentVariable("HF_HOME");
    if (home.isEmpty()) {
        home = QDir(homeCache()).filePath(QStringLiteral("huggingface"));
    }
    return QDir::cleanPath(QDir(home).filePath(QStringLiteral("hub")));
}

QString ModelCatalogue::cachedSnapshot(const QString& repoId)
{
    if (repoId.isEmpty()) {
        return {};
    }
    const QDir repo(QDir(hubCacheDir()).filePath(QStringLiteral("models--")
                                                 + QString(repoId).replace(QLatin1Char('/'), QStringLiteral("--"))));
    const QDir snapshots(repo.filePath(QStringLiteral("snapshots")));
    if (!snapshots.exists()) {
        return {};
    }
    // refs/main holds the commit the last plain download resolved to; other snapshots may be older revisions.
    QFile ref(repo.filePath(QStringLiteral("refs/main")));
    if (ref.open(QIODevice::ReadOnly)) {
        const QString rev = QString::fromLatin1(ref.readAll()).trimmed();
        if (!rev.isEmpty() && isSnapshot(QDir(snapshots.filePath(rev)))) {
            return QDir::cleanPath(snapshots.filePath(rev));
        }
    }
    QString best;
    QDateTime bestTime;
    for (const QFileInfo& info : snapshots.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (isSnapshot(QDir(info.filePath())) && (best.isEmpty() || info.lastModified() > bestTime)) {
            best = info.filePath();
            bestTime = info.lastModified();
        }
    }
    return best.isEmpty() ? QString() : QDir::cleanPath(best);
}

QString ModelCatalogue::repoOfCachePath(const QString& path)
{
    // .../models--ORG--NAME/snapshots/<rev>: huggingface_hub writes "/" as "--"; the first "--" ends ORG
    // (hub user and organisation names cannot contain "--").
    const QStringList parts = QDir::cleanPath(path).split(QLatin1Char('/'));
    if (parts.size() < 3 || parts.at(parts.size() - 2) != QLatin1String("snapshots")) {
        return {};
    }
    const QString folder = parts.at(parts.size() - 3);
    if (!folder.startsWith(QLatin1String("models--"))) {
        return {};
    }
    const QString id = folder.mid(8);
    const int sep = int(id.indexOf(QStringLiteral("--")));
    return sep <= 0 ? QString() : id.left(sep) + QLatin1Char('/') + id.mid(sep + 2);
}

QString ModelCatalogue::resolvePath(const CatalogueModel& model, const QString& remembered)
{
    if (!remembered.isEmpty()) {
        return remembered;
    }
    const QString cached = cachedSnapshot(model.repoId);
    return cached.isEmpty() ? model.repoId : cached;
}

} // namespace td::jobs
