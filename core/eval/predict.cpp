// SPDX-License-Identifier: Apache-2.0
// runPrediction (see predict.h), in LLaMA-Factory's order (workflow.run_sft with predict_with_generate):
// check arguments and the ROUGE segmenter → run folder → tokenizer, template, eval examples (prompt = every
// turn but the last answer, label = that answer, cutoff_len over both) → model (+ adapters merged) → batches of
// per_device_eval_batch_size generated with left padding → decode, score → results files.
#include "core/eval/predict.h"

#include <algorithm>
#include <chrono>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/common/file_util.h"
#include "core/common/guard.h"
#include "core/common/yaml_json.h"
#include "core/data/token_cache.h"
#include "core/eval/eval_args.h"
#include "core/eval/metrics.h"
#include "core/eval/predict_output.h"
#include "core/infer/generator.h"
#include "core/models/loader.h"
#include "core/models/lora.h"
#include "core/models/transformer.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/run_files.h"

namespace td::eval
{

namespace fs = std::filesystem;
using train::TrainArgs;
using train::TrainHooks;

namespace
{

using Clock = std::chrono::steady_clock;
constexpr std::int64_t kLogEveryBatches = 5; // LogCallback.on_prediction_step writes every 5 steps

/// Everything the generation loop needs.
struct Setup
{
    std::shared_ptr<tok::Tokenizer> tokenizer;
    chat::ChatTemplate tmpl;
    std::vector<data::TokenizedExample> examples;
    models::LoadedModel loaded;
    std::vector<std::int64_t> stopIds;
    std::int64_t padId = 0;
};

/// What has been generated so far; written out at the end, after a cancel and after an error alike.
struct Outputs
{
    std::vector<std::string> predictionLines;
    std::vector<std::string> scoreLines;
    std::vector<SampleScores> scores;
    std::int64_t batches = 0;
};

class Reporter
{
public:
    Reporter(const TrainHooks& hooks, const fs::path& dir) : m_hooks(hooks), m_files(dir) {}
    train::RunFiles& files() { return m_files; }
    void say(const std::string& message)
    {
        m_files.info(message);
        if (m_hooks.message) {
            m_hooks.message(message);
        }
    }
    void progress(const char* phase, std::int64_t current, std::int64_t total, std::string message) const
    {
        if (m_hooks.progress) {
            m_hooks.progress(JobProgress{phase, current, total, std::move(message)});
        }
    }
    /// The reduced trainer_log.jsonl line (LLaMA-Factory's five keys, no epoch), in the file, in
    /// running_log.txt and to the hook alike.
    void logProgress(std::int64_t current, std::int64_t total, double elapsed)
    {
        const auto j = detail::progressLine(current, total, elapsed);
        (void)appendLine(m_files.dir() / "trainer_log.jsonl", j.dump());
        m_files.info(j.dump());
        if (m_hooks.log) {
            m_hooks.log(detail::progressLogLine(current, total, elapsed));
        }
    }

private:
    const TrainHooks& m_hooks;
    train::RunFiles m_files;
};

/// The evaluation examples, encoded as LLaMA-Factory's UnsupervisedDatasetProcessor does for
/// predict_with_generate: eval_dataset as a whole, or the val_size split of `dataset`. (LLaMA-Factory splits
/// the supervised encoding of `dataset`, whose prompts still hold the answer; we split the same way but keep
/// the prompt without the answer, which is what generation needs.)
Expected<std::vector<data::TokenizedExample>> evalExamples(const TrainArgs& a, const chat::ChatTemplate& tmpl,
                                                           const tok::Tokenizer& tokenizer, const CancelToken* cancel)
{
    data::DataArgs d = a.data;
    d.preprocess.cancel = cancel;
    const bool split = d.evalDataset.empty();
    if (!split) {
        d.dataset = d.evalDataset; // loaded, merged and capped by max_samples like a training set
        d.evalDataset.clear();
        d.valSize = 0;
    }
    auto prepared = data::prepareDataCached(d, data::Stage::Unsupervised, tmpl, tokenizer, a.modelNameOrPath,
                                            a.outputDir.parent_path() / ".tunedesk-cache");
    if (!prepared) {
        return tl::unexpected(prepared.error());
    }
    if (split) {
        return prepared->eval ? std::move(prepared->eval->examples) : std::vector<data::TokenizedExample>{};
    }
    return std::move(prepared->train.examples);
}

Status prepare(Setup& s, const TrainArgs& a, Reporter& rep, const CancelToken* cancel)
{
    rep.progress("prepare", 0, 0, "tokenizer");
    auto tokenizer = tok::loadTokenizer(a.modelNameOrPath);
    if (!tokenizer) {
        return tl::unexpected(tokenizer.error());
    }
    s.tokenizer = *tokenizer;
    const std::string templateName =
        a.templateName == "auto" || a.templateName.empty() ? chat::autoSelectTemplate(s.tokenizer->config()) : a.templateName;
    auto tmpl = chat::findTemplate(templateName);
    if (!tmpl) {
        return tl::unexpected(tmpl.error());
    }
    s.tmpl = *tmpl;
    if (a.generation.defaultSystem) {
        s.tmpl.defaultSystem = *a.generation.defaultSystem; // DataArguments.default_system replaces the template's
    }
    s.tmpl.enableThinking = a.generation.enableThinking;
    // Workflow.run_sft: eos_token_id = [eos] + additional special tokens (the template's stop words);
    // pad_token_id = the tokenizer's pad, which LLaMA-Factory sets to EOS when the tokenizer has none.
    for (auto id : chat::stopTokenIds(s.tmpl, *s.tokenizer)) {
        s.stopIds.push_back(id);
    }
    s.padId = s.tokenizer->padId().value_or(s.tokenizer->eosId().value_or(0));

    rep.progress("prepare", 0, 0, "dataset");
    auto examples = evalExamples(a, s.tmpl, *s.tokenizer, cancel);
    if (!examples) {
        return tl::unexpected(examples.error());
    }
    s.examples = std::move(*examples);
    if (s.examples.empty()) {
        return makeError(ErrorCode::BadDataset, "no evaluation examples in " + (a.data.evalDataset.empty() ? a.data.dataset : a.data.evalDataset),
                         "check the dataset (preview it) and val_size");
    }

    // Model: the compute dtype of LLaMA-Factory (bf16/fp16 when set, else the checkpoint's own precision).
    models::LoadOptions lo;
    lo.device = a.device;
    lo.dtype = a.bf16 || a.pureBf16 ? "bf16" : a.fp16 ? "fp16" : "auto";
    lo.cancel = cancel;
    lo.progress = [&](std::int64_t done, std::int64_t total) {
        rep.progress("load", done, total, "loading weights");
        return cancel == nullptr || !cancel->isCancelled();
    };
    lo.modelArgs = a.model;                          // quantization_bit: the base is loaded quantized
    lo.modelMaxLength = a.data.preprocess.cutoffLen; // rope_scaling, as LLaMA-Factory's model_max_length
    auto loaded = models::loadModel(a.modelNameOrPath, lo);
    if (!loaded) {
        return tl::unexpected(loaded.error());
    }
    s.loaded = std::move(*loaded);
    if (a.model.quantized()) {
        // LLaMA-Factory: adapters are not merged into a quantized model; exactly one is applied on top.
        if (a.finetune.adapters.size() > 1) {
            return makeError(ErrorCode::InvalidConfig, "a quantized model accepts only a single adapter",
                             "merge the adapters first (export without quantization_bit)");
        }
        for (const auto& dir : a.finetune.adapters) {
            auto n = models::loadLoraAdapter(*s.loaded.model, dir);
            if (!n) {
                return tl::unexpected(n.error().withContext("loading the adapter " + dir.string()));
            }
            rep.say("applied adapter " + dir.string() + " (" + std::to_string(*n) + " LoRA layers) on the " +
                    std::to_string(a.model.quantizationBit) + "-bit base");
        }
    }
    // Inference merges every adapter into the base weights, in order (LLaMA-Factory's init_adapter when not
    // trainable: merge_and_unload for each); merging one before loading the next keeps stacked adapters exact.
    for (const auto& dir : a.model.quantized() ? std::vector<std::filesystem::path>{} : a.finetune.adapters) {
        auto n = models::loadLoraAdapter(*s.loaded.model, dir);
        if (!n) {
            return tl::unexpected(n.error().withContext("loading the adapter " + dir.string()));
        }
        s.loaded.model->mergeLora();
        rep.say("merged adapter " + dir.string() + " (" + std::to_string(*n) + " LoRA layers)");
    }
    s.loaded.model->eval();
    return {};
}

/// Drops a trailing stop token: EOS is special and vanishes in decoding anyway, but a template stop word
/// the tokenizer does not mark special would stay in the text (LLaMA-Factory registers stop words as
/// special tokens, so skip_special_tokens removes them).
std::vector<tok::TokenId> answerIds(const std::vector<std::int64_t>& generated, const std::vector<std::int64_t>& stopIds,
                                    bool skipSpecial)
{
    std::vector<tok::TokenId> ids(generated.begin(), generated.end());
    if (skipSpecial && !ids.empty() && std::find(stopIds.begin(), stopIds.end(), ids.back()) != stopIds.end()) {
        ids.pop_back();
    }
    return ids;
}

/// Generates one batch (left padding inside generate) and appends its lines and scores to `out`. A batch cut
/// short by a cancel is dropped whole: its half answers would only lower the scores.
Status runBatch(const Setup& s, const TrainArgs& a, const Segmenter& seg, std::size_t first, std::size_t last,
                Outputs& out, const CancelToken* cancel)
{
    const train::GenerationArgs& g = a.generation;
    std::vector<std::vector<std::int64_t>> prompts;
    std::size_t longest = 0;
    for (std::size_t i = first; i < last; ++i) {
        const auto& ids = s.examples[i].inputIds;
        prompts.emplace_back(ids.begin(), ids.end());
        longest = std::max(longest, ids.size());
    }
    infer::GenerationConfig cfg;
    // max_length counts the (padded) prompt too and is used only when max_new_tokens is not positive.
    cfg.maxNewTokens = g.maxNewTokens > 0 ? g.maxNewTokens : std::max<std::int64_t>(1, g.maxLength - static_cast<std::int64_t>(longest));
    cfg.sampling.doSample = g.doSample;
    cfg.sampling.temperature = g.temperature;
    cfg.sampling.topK = g.topK;
    cfg.sampling.topP = g.topP;
    cfg.sampling.repetitionPenalty = g.repetitionPenalty;
    cfg.stopTokenIds = s.stopIds;
    cfg.padTokenId = s.padId;
    cfg.seed = a.seed + static_cast<std::uint64_t>(out.batches); // reproducible, and not the same draws per batch
    auto result = infer::generate(*s.loaded.model, prompts, cfg, {}, cancel);
    if (!result) {
        return tl::unexpected(result.error());
    }
    if (std::find(result->finishReasons.begin(), result->finishReasons.end(), "cancelled") != result->finishReasons.end()) {
        return {};
    }
    const tok::Tokenizer& tk = *s.tokenizer;
    for (std::size_t i = first; i < last; ++i) {
        const auto& gen = result->tokens[i - first];
        const auto& ex = s.examples[i];
        // Metrics always decode with skip_special_tokens=True (ComputeSimilarity); the file follows the argument.
        const std::string predict = tk.decode(answerIds(gen, s.stopIds, true), true).value_or("");
        const std::string label = tk.decode(ex.labels, true).value_or("");
        const SampleScores sc = scoreSample(seg, predict, label);
        out.scores.push_back(sc);
        out.scoreLines.push_back(detail::scoresLine(sc));
        if (a.doPredict) {
            const bool skip = g.skipSpecialTokens;
            const std::string prompt = tk.decode(ex.inputIds, false).value_or("");
            out.predictionLines.push_back(detail::predictionLine(
                prompt, skip ? predict : tk.decode(answerIds(gen, s.stopIds, false), false).value_or(""),
                skip ? label : tk.decode(ex.labels, false).value_or("")));
        }
    }
    ++out.batches;
    return {};
}

std::string joinLines(const std::vector<std::string>& lines)
{
    std::string text;
    for (const auto& l : lines) {
        text += l;
        text += '\n';
    }
    return text;
}

/// The per-example files and the metrics of what was generated (also after a cancel or an error).
Expected<nlohmann::json> writeResults(const TrainArgs& a, const Outputs& out, double runtime, Reporter& rep)
{
    const fs::path& dir = a.outputDir;
    if (a.doPredict) {
        rep.say("Saving prediction results to " + (dir / "generated_predictions.jsonl").string());
        if (auto s = writeFileAtomic(dir / "generated_predictions.jsonl", joinLines(out.predictionLines)); !s) {
            return tl::unexpected(s.error());
        }
    }
    if (auto s = writeFileAtomic(dir / "generated_scores.jsonl", joinLines(out.scoreLines)); !s) {
        return tl::unexpected(s.error());
    }
    const SampleScores mean = meanScores(out.scores);
    const auto samples = static_cast<std::int64_t>(out.scores.size());
    nlohmann::json all;
    // do_eval and do_predict together: LLaMA-Factory generates twice (evaluate, then predict); one pass
    // gives the same scores under greedy decoding, so both result files come from it.
    for (const auto& [split, wanted] : {std::pair{"eval", a.doEval}, std::pair{"predict", a.doPredict}}) {
        if (!wanted) {
            continue;
        }
        const nlohmann::json metrics = detail::phaseMetrics(split, mean, runtime, samples, out.batches);
        auto merged = detail::saveMetrics(dir, split, metrics);
        if (!merged) {
            return tl::unexpected(merged.error());
        }
        all = std::move(*merged);
        rep.say(std::string("***** ") + split + " metrics *****"); // Trainer.log_metrics
        for (auto it = metrics.begin(); it != metrics.end(); ++it) {
            rep.say("  " + it.key() + " = " + it.value().dump());
        }
    }
    return all;
}

} // namespace

Expected<PredictResult> runPrediction(const TrainArgs& args, const TrainHooks& hooks, const CancelToken* cancel)
{
    if (auto s = train::validateTrainArgs(args); !s) {
        return tl::unexpected(s.error());
    }
    if (!args.evalOnly()) {
        return makeError(ErrorCode::InvalidConfig, "a prediction run needs do_predict or do_eval without do_train",
                         "set do_train: false and do_predict: true");
    }
    // ROUGE needs jieba's dictionary: refuse now rather than after an hour of generation.
    const auto seg = Segmenter::shared();
    if (!seg) {
        auto loaded = Segmenter::load();
        return makeError(ErrorCode::Unsupported,
                         "ROUGE scores need the jieba word segmenter" + (loaded ? std::string() : ": " + loaded.error().message),
                         "install python3-jieba (apt-get install python3-jieba), which provides its dictionary");
    }
    if (auto s = ensureWritableDir(args.outputDir); !s) {
        return tl::unexpected(s.error());
    }
    Reporter rep(hooks, args.outputDir);
    (void)rep.files().begin(args.overwriteOutputDir);
    if (!fs::exists(args.outputDir / "training_args.yaml") && !args.raw.empty()) {
        if (auto s = writeFileAtomic(args.outputDir / "training_args.yaml", toYaml(args.raw)); !s) {
            return tl::unexpected(s.error());
        }
    }
    at::manual_seed(args.seed);
    Setup setup;
    if (auto s = guarded("prediction setup", [&]() { return prepare(setup, args, rep, cancel); }); !s) {
        rep.files().error(s.error().message);
        return tl::unexpected(s.error());
    }
    const char* phase = args.doPredict ? "predict" : "eval";
    const auto n = setup.examples.size();
    const auto batchSize = static_cast<std::size_t>(args.evalBatchSize);
    PredictResult result;
    result.outputDir = args.outputDir;
    result.totalBatches = static_cast<std::int64_t>((n + batchSize - 1) / batchSize);
    rep.say("evaluation examples: " + std::to_string(n) + ", batches of " + std::to_string(batchSize) + ": " +
            std::to_string(result.totalBatches));

    Outputs out;
    const auto t0 = Clock::now();
    auto elapsed = [&]() { return std::chrono::duration<double>(Clock::now() - t0).count(); };
    rep.progress(phase, 0, result.totalBatches, "generating");
    std::int64_t loggedAt = 0;
    auto loop = guarded("generating predictions", [&]() -> Status {
        for (std::size_t first = 0; first < n; first += batchSize) {
            if (cancel != nullptr && cancel->isCancelled()) {
                break;
            }
            if (auto s = runBatch(setup, args, *seg, first, std::min(n, first + batchSize), out, cancel); !s) {
                return s;
            }
            if (out.batches % kLogEveryBatches == 0 && out.batches != loggedAt) {
                rep.logProgress(out.batches, result.totalBatches, elapsed());
                loggedAt = out.batches;
            }
            rep.progress(phase, out.batches, result.totalBatches,
                         "batch " + std::to_string(out.batches) + "/" + std::to_string(result.totalBatches));
        }
        return {};
    });
    if (out.batches != loggedAt) {
        // LLaMA-Factory logs only every 5 batches; a last line (at the end, or where a cancel stopped) lets the
        // progress bar end where the run did.
        rep.logProgress(out.batches, result.totalBatches, elapsed());
    }
    const double runtime = elapsed();
    result.batches = out.batches;
    result.samples = static_cast<std::int64_t>(out.scores.size());
    result.cancelled = out.batches < result.totalBatches && loop.has_value();
    // What was generated is kept even when the run stops on an error (an hour of generation is not lost to
    // one bad batch); the error is still the result.
    auto metrics = writeResults(args, out, runtime, rep);
    if (!loop) {
        rep.files().error(loop.error().message);
        return tl::unexpected(loop.error());
    }
    if (!metrics) {
        rep.files().error(metrics.error().message);
        return tl::unexpected(metrics.error());
    }
    result.metrics = std::move(*metrics);
    rep.say(result.cancelled ? "Stopped after " + std::to_string(out.batches) + " of " + std::to_string(result.totalBatches) +
                                   " batches; the results cover the examples generated so far."
                             : std::string("Finished."));
    return result;
}

} // namespace td::eval
