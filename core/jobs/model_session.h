// SPDX-License-Identifier: Apache-2.0
// ModelSession: the GUI's loaded model (with its tokenizer, chat template and optional LoRA adapter) for the
// model picker and the Chat tab. Loading and generation run as jobs on EngineService's worker thread (one
// device job at a time); results come back as queued signals. Torch-free header: the engine objects live in
// the .cpp behind a shared state that jobs keep alive while they run.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <QObject>
#include <QString>
#include <QVariantMap>
#include <QVector>

#include "core/common/job.h"
#include "core/jobs/job_types.h"

namespace td::jobs
{

class EngineService;

/// What the model picker shows (from the engine's ModelInfo plus the chosen template).
struct ModelSummary
{
    QString path;
    QString modelType;
    QString architecture;
    qint64 parameters = 0;
    QString dtype;
    QString checkpointDtype;
    QString device;
    qint64 contextLength = 0;
    qint64 layers = 0;
    qint64 hiddenSize = 0;
    qint64 vocabSize = 0;
    QString templateName;
    QString adapter;      ///< empty when none
    QString quantization; ///< base weights: "none", "int8", "nf4", "fp4"
};

struct ChatMessage
{
    QString role; ///< user, assistant, observation, function
    QString content;
};

/// LlamaBoard's chat defaults (llamaboard.md §7.1).
struct ChatParams
{
    int maxNewTokens = 1024;
    double topP = 0.7;
    double temperature = 0.95;
    double repetitionPenalty = 1.0;
    qint64 seed = -1;          ///< -1: random
    bool doSample = true;      ///< false: greedy
    bool skipSpecialTokens = true;
    bool enableThinking = true;
};

class ModelSession : public QObject
{
    Q_OBJECT
public:
    explicit ModelSession(EngineService* engine, QObject* parent = nullptr);
    ~ModelSession() override;

    /// Loads a model folder (+ adapter folder, may be empty) with a template ("auto" or a registry name) and
    /// dtype ("auto", "float32", "bfloat16", "float16"). Replaces a loaded model when it succeeds.
    /// `adapterDir` may list several folders, comma-separated: all but the last are merged into the base
    /// weights (as LLaMA-Factory does), the last is attached and can be switched off (chat's useAdapter).
    td::JobId load(const QString& modelDir, const QString& adapterDir, const QString& templateName,
                   const QString& dtype = QStringLiteral("auto"));
    /// Same, with LLaMA-Factory's model-loading keys (quantization_bit, quantization_type, double_quantization,
    /// quantization_method, rope_scaling, flash_attn, use_unsloth, enable_liger_kernel): with quantization_bit
    /// the base is loaded quantized (the adapter stays unmerged on top); rope_scaling doubles the context as
    /// LLaMA-Factory does at inference. Bad keys fail the load job (loadFailed) with the engine's message.
    td::JobId load(const QString& modelDir, const QString& adapterDir, const QString& templateName,
                   const QString& dtype, const QVariantMap& modelArgs);
    /// Drops the model (memory is released when no job uses it any more).
    void unload();
    bool isLoaded() const;
    ModelSummary summary() const;

    /// Generates the assistant's reply to `history` (which ends with a user/observation message), streaming.
    /// `useAdapter` false answers as the base model: the loaded LoRA adapter is switched off for this reply
    /// (detached, its tensors kept; modules_to_save weights swapped back) and on again by the next reply that
    /// uses it, so base and tuned answers come from one copy of the base weights (the Chat tab's comparison).
    td::JobId chat(const QVector<ChatMessage>& history, const QString& system, const ChatParams& params,
                   bool useAdapter = true);
    /// True when the loaded model has an adapter that chat(..., useAdapter=false) can switch off.
    bool hasAdapter() const;

    /// Names of the built-in chat templates, in registry order (for the template picker).
    static QStringList templateNames();

Q_SIGNALS:
    void loaded(const td::jobs::ModelSummary& summary);
    void loadFailed(const td::jobs::JobOutcome& outcome);
    void unloaded();
    /// New text of the reply being generated (UTF-8 complete characters only).
    void replyDelta(td::JobId id, const QString& delta);
    /// The whole reply and how generation ended ("stop", "length", "cancelled").
    void replyFinished(td::JobId id, const QString& reply, const QString& finishReason,
                       const td::jobs::JobOutcome& outcome);

private:
    struct State;
    /// The load job's body (worker thread): model, adapter, tokenizer, template; publishes the result.
    static td::Status loadInto(const std::shared_ptr<State>& state, td::JobContext& ctx,
                               const std::filesystem::path& dir, const std::filesystem::path& adapter,
                               const std::string& tmpl, const std::string& dt, const std::string& modelArgsJson);
    EngineService* m_engine;
    std::shared_ptr<State> m_state;
    ModelSummary m_summary;
};

} // namespace td::jobs

Q_DECLARE_METATYPE(td::jobs::ModelSummary)
