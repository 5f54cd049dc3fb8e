// SPDX-License-Identifier: Apache-2.0
// The top bar's list of known models (LlamaBoard's `top.model_name`, llamaboard.md §1.1, §3.4): display name →
// Hugging Face repo id + LLaMA-Factory template name, limited to architectures the engine loads. The table
// itself is data in model_catalogue.cpp; this header also resolves where a model lives on disk: a path the
// user typed for it, else its snapshot in the local Hugging Face hub cache, else the repo id.
#pragma once

#include <optional>

#include <QString>
#include <QStringList>
#include <QVector>

namespace td::jobs
{

struct CatalogueModel
{
    QString name;         ///< LlamaBoard's display name, also the saves/<name>/ folder
    QString repoId;       ///< "ORG/NAME" on the Hugging Face hub
    QString templateName; ///< LLaMA-Factory's template; "default" for base (non-instruct) models
};

class ModelCatalogue
{
public:
    /// The entry that stands for "any other folder" (not in the table; LlamaBoard's `Custom`).
    static QString customName() { return QStringLiteral("Custom"); }

    /// Every known model, in the order the dropdown lists them.
    static const QVector<CatalogueModel>& models();
    static std::optional<CatalogueModel> find(const QString& name);
    static std::optional<CatalogueModel> findByRepo(const QString& repoId);

    /// The hub cache as huggingface_hub finds it: $HF_HUB_CACHE, else $HF_HOME/hub, else
    /// ${XDG_CACHE_HOME:-~/.cache}/huggingface/hub.
    static QString hubCacheDir();
    /// The downloaded snapshot folder of `repoId` (the one refs/main names, else the newest with a
    /// config.json); empty when the model is not in the cache.
    static QString cachedSnapshot(const QString& repoId);
    /// The repo id a path inside the hub cache belongs to (".../models--ORG--NAME/snapshots/<rev>" →
    /// "ORG/NAME"); empty for any other path.
    static QString repoOfCachePath(const QString& path);

    /// Where `model` is: `remembered` (a path the user typed for it) when set, else its cached snapshot,
    /// else its repo id (LlamaBoard's get_model_path order, with the local cache in place of a download).
    static QString resolvePath(const CatalogueModel& model, const QString& remembered = {});
};

} // namespace td::jobs
