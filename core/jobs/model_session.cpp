// SPDX-License-Identifier: Apache-2.0
#include "core/jobs/model_session.h"

#include <mutex>

#include <nlohmann/json.hpp>

#include "core/common/strings.h"
#include "core/infer/generator.h"
#include "core/jobs/engine_service.h"
#include "core/jobs/post_guard.h"
#include "core/jobs/variant_json.h"
#include "core/models/loader.h"
#include "core/models/lora.h"
#include "core/models/lora_switch.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"

namespace td::jobs
{

namespace
{

/// One loaded model with everything chat needs; immutable once published (but for the adapter switch),
/// shared with running jobs.
struct Loaded
{
    models::LoadedModel model;
    /// The adapter, switchable off for base-model replies (null without one). Only chat jobs switch it, and
    /// they run one at a time on the worker thread.
    std::shared_ptr<models::LoraSwitch> adapterSwitch;
    std::shared_ptr<tok::Tokenizer> tokenizer;
    chat::ChatTemplate chatTemplate;
    ModelSummary summary;
};

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

struct ModelSession::State
{
    explicit State(ModelSession* owner) : guard(owner) {}

    PostGuard<ModelSession> guard; // results go back to the session only while it exists
    std::mutex mutex;              // guards `loaded`
    std::shared_ptr<const Loaded> loaded;

    std::shared_ptr<const Loaded> current()
    {
        std::lock_guard lock(mutex);
        return loaded;
    }
};

ModelSession::ModelSession(EngineService* engine, QObject* parent)
    : QObject(parent), m_engine(engine), m_state(std::make_shared<State>(this))
{
    qRegisterMetaType<td::jobs::ModelSummary>();
}

ModelSession::~ModelSession()
{
    m_state->guard.release();
}

QStringList ModelSession::templateNames()
{
    QStringList out;
    for (const auto& t : chat::templates()) {
        out << qs(t.name);
    }
    return out;
}

td::JobId ModelSession::load(const QString& modelDir, const QString& adapterDir, const QString& templateName,
                             const QString& dtype)
{
    return load(modelDir, adapterDir, templateName, dtype, QVariantMap());
}

td::JobId ModelSession::load(const QString& modelDir, const QString& adapterDir, const QString& templateName,
                             const QString& dtype, const QVariantMap& modelArgs)
{
    const std::string argsJson = argsToJson(modelArgs).dump();
    const std::filesystem::path dir = modelDir.toStdString();
    const std::filesystem::path adapter = adapterDir.toStdString();
    const std::string tmpl = templateName.toStdString();
    const std::string dt = dtype.toStdString();
    auto state = m_state;
    return m_engine->submit(tr("Load model"), [=](td::JobContext& ctx) -> td::Status {
        const td::Status st = loadInto(state, ctx, dir, adapter, tmpl, dt, argsJson);
        if (!st) {
            state->guard.post([o = JobOutcome::fromStatus(st)](ModelSession* self) { Q_EMIT self->loadFailed(o); });
        }
        return st;
    });
}

td::Status ModelSession::loadInto(const std::shared_ptr<State>& state, td::JobContext& ctx,
                                  const std::filesystem::path& dir, const std::filesystem::path& adapter,
                                  const std::string& tmpl, const std::string& dt, const std::string& modelArgsJson)
{
    auto out = std::make_shared<Loaded>();
    models::LoadOptions opts;
    opts.dtype = dt;
    const nlohmann::json modelArgs = nlohmann::json::parse(modelArgsJson, nullptr, false);
    if (modelArgs.is_object()) {
        for (auto it = modelArgs.begin(); it != modelArgs.end(); ++it) {
            if (auto used = models::parseModelLoadKey(opts.modelArgs, it.key(), it.value()); !used) {
                return tl::unexpected(used.error());
            }
        }
    }
    opts.cancel = &ctx.cancelToken();
    opts.progress = [&ctx](std::int64_t done, std::int64_t total) {
        ctx.progress({"load", done, total, "loading weights"});
        return !ctx.isCancelled();
    };
    auto model = models::loadModel(dir, opts);
    if (!model) {
        return tl::unexpected(model.error());
    }
    out->model = std::move(*model);
    // adapter_name_or_path may list several folders (a,b,c): as LLaMA-Factory, the earlier ones are merged
    // into the base; the last stays switchable (the Chat tab's base side has only that one off).
    std::vector<std::filesystem::path> adapters;
    for (const std::string& part : splitCommaList(adapter.string())) {
        adapters.emplace_back(part);
    }
    if (adapters.size() > 1) {
        const std::vector<std::filesystem::path> merged(adapters.begin(), adapters.end() - 1);
        if (auto m = models::mergeLoraAdapters(*out->model.model, merged, &ctx.cancelToken()); !m) {
            return tl::unexpected(m.error().withContext("merging the adapters"));
        }
    }
    if (!adapters.empty()) {
        auto adapterSwitch = models::LoraSwitch::load(*out->model.model, adapters.back());
        if (!adapterSwitch) {
            return tl::unexpected(adapterSwitch.error().withContext("loading the adapter"));
        }
        out->adapterSwitch = std::make_shared<models::LoraSwitch>(std::move(*adapterSwitch));
    }
    auto tokenizer = tok::loadTokenizer(dir);
    if (!tokenizer) {
        return tl::unexpected(tokenizer.error());
    }
    out->tokenizer = *tokenizer;
    const std::string name = tmpl == "auto" || tmpl.empty() ? chat::autoSelectTemplate(out->tokenizer->config()) : tmpl;
    auto chosen = chat::findTemplate(name);
    if (!chosen) {
        return tl::unexpected(chosen.error());
    }
    out->chatTemplate = *chosen;

    const models::ModelInfo& info = out->model.info;
    ModelSummary& s = out->summary;
    s.path = qs(info.path);
    s.modelType = qs(info.modelType);
    s.architecture = qs(info.architecture);
    s.parameters = info.parameters;
    s.dtype = qs(info.dtype);
    s.checkpointDtype = qs(info.checkpointDtype);
    s.device = qs(info.device);
    s.contextLength = info.contextLength;
    s.layers = info.layers;
    s.hiddenSize = info.hiddenSize;
    s.vocabSize = info.vocabSize;
    s.quantization = qs(info.quantization);
    s.templateName = qs(name);
    s.adapter = qs(adapter.string());
    {
        std::lock_guard lock(state->mutex);
        state->loaded = out;
    }
    state->guard.post([summary = s](ModelSession* self) {
        self->m_summary = summary;
        Q_EMIT self->loaded(summary);
    });
    return {};
}

void ModelSession::unload()
{
    {
        std::lock_guard lock(m_state->mutex);
        m_state->loaded.reset(); // a running chat job keeps its own reference until it ends
    }
    m_summary = {};
    Q_EMIT unloaded();
}

bool ModelSession::isLoaded() const
{
    return m_state->current() != nullptr;
}

ModelSummary ModelSession::summary() const
{
    return m_summary;
}

bool ModelSession::hasAdapter() const
{
    const auto loaded = m_state->current();
    return loaded && loaded->adapterSwitch != nullptr;
}

td::JobId ModelSession::chat(const QVector<ChatMessage>& history, const QString& system, const ChatParams& params,
                             bool useAdapter)
{
    std::vector<chat::Message> messages;
    for (const ChatMessage& m : history) {
        messages.push_back(
            {chat::roleFromString(m.role.toStdString()).value_or(chat::Role::User), m.content.toStdString()});
    }
    const std::string sys = system.toStdString();
    auto state = m_state;
    return m_engine->submit(useAdapter ? tr("Chat") : tr("Chat (base model)"), [=](td::JobContext& ctx) -> td::Status {
        const auto loaded = state->current();
        if (!loaded) {
            return td::makeError(td::ErrorCode::InvalidArgument, "no model is loaded",
                                 "load a model in the Chat tab first");
        }
        if (loaded->adapterSwitch) {
            loaded->adapterSwitch->setEnabled(useAdapter);
        }
        chat::ChatTemplate t = loaded->chatTemplate;
        t.enableThinking = params.enableThinking;
        const tok::Tokenizer& tokenizer = *loaded->tokenizer;
        auto promptIds = chat::renderIds(t, tokenizer, messages, sys, /*addGenerationPrompt=*/true);
        if (!promptIds) {
            return tl::unexpected(promptIds.error());
        }
        infer::GenerationConfig cfg;
        cfg.maxNewTokens = params.maxNewTokens;
        cfg.sampling.doSample = params.doSample;
        cfg.sampling.temperature = params.temperature;
        cfg.sampling.topP = params.topP;
        cfg.sampling.repetitionPenalty = params.repetitionPenalty;
        if (params.seed >= 0) {
            cfg.seed = std::uint64_t(params.seed);
        }
        for (auto id : chat::stopTokenIds(t, tokenizer)) {
            cfg.stopTokenIds.push_back(id);
        }
        if (auto pad = tokenizer.padId()) {
            cfg.padTokenId = *pad;
        }

        // Stream: decode everything generated so far and send what is new, holding back an incomplete
        // UTF-8 sequence (decoded as U+FFFD) until its next byte arrives.
        const td::JobId id = ctx.id();
        std::vector<tok::TokenId> generated;
        std::string sent;
        auto flush = [&](bool final) {
            auto text = tokenizer.decode(generated, params.skipSpecialTokens);
            if (!text) {
                return;
            }
            std::string s = *text;
            if (!final && s.size() >= 3 && s.compare(s.size() - 3, 3, "\xEF\xBF\xBD") == 0) {
                return;
            }
            if (s.size() > sent.size() && s.compare(0, sent.size(), sent) == 0) {
                const QString delta = QString::fromStdString(s.substr(sent.size()));
                sent = s;
                state->guard.post([id, delta](ModelSession* self) { Q_EMIT self->replyDelta(id, delta); });
            }
        };
        const std::vector<std::vector<std::int64_t>> prompts{
            std::vector<std::int64_t>(promptIds->begin(), promptIds->end())};
        auto result = infer::generate(
            *loaded->model.model, prompts, cfg,
            [&](std::size_t, std::int64_t token) {
                generated.push_back(tok::TokenId(token));
                flush(false);
                ctx.progress({"generate", std::int64_t(generated.size()), cfg.maxNewTokens, {}});
                return true;
            },
            &ctx.cancelToken());
        if (!result) {
            return tl::unexpected(result.error());
        }
        flush(true);
        auto reply = tokenizer.decode(generated, /*skipSpecial=*/true);
        const QString text = reply ? QString::fromStdString(*reply).trimmed() : QString();
        const QString reason = qs(result->finishReasons.empty() ? std::string("stop") : result->finishReasons.front());
        state->guard.post(
        [id, text, reason](ModelSession* self) { Q_EMIT self->replyFinished(id, text, reason, JobOutcome{}); });
        return {};
    });
}

} // namespace td::jobs
