// SPDX-License-Identifier: Apache-2.0
// The generation loop (see generator.h). Mirrors HF generate(): left padding with an attention mask and
// position ids = cumsum(mask) - 1, finished sequences keep receiving the pad token, and the repetition
// penalty sees the whole sequence (prompt included).
#include "core/infer/generator.h"

#include <chrono>
#include <random>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>

#include "core/common/guard.h"
#include "core/infer/kv_cache.h"
#include "core/models/transformer.h"

namespace td::infer
{

namespace
{

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

} // namespace

Expected<GenerationResult> generate(models::CausalLM& model, const std::vector<std::vector<std::int64_t>>& prompts,
                                    const GenerationConfig& config, const TokenCallback& onToken,
                                    const CancelToken* cancel)
{
    if (prompts.empty()) {
        return makeError(ErrorCode::InvalidArgument, "generate: no prompt");
    }
    std::size_t maxLen = 0;
    bool ragged = false;
    for (const auto& p : prompts) {
        if (p.empty()) {
            return makeError(ErrorCode::InvalidArgument, "generate: empty prompt", "give at least one token");
        }
        ragged = ragged || (maxLen != 0 && p.size() != maxLen);
        maxLen = std::max(maxLen, p.size());
    }
    const auto vocab = model.config().vocab_size;
    for (const auto& p : prompts) {
        for (auto id : p) {
            if (id < 0 || id >= vocab) {
                return makeError(ErrorCode::InvalidArgument, "token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                                                                 std::to_string(vocab - 1) + ")");
            }
        }
    }
    const auto b = static_cast<std::int64_t>(prompts.size());
    const auto l = static_cast<std::int64_t>(maxLen);
    GenerationResult result;
    result.tokens.resize(prompts.size());
    result.finishReasons.assign(prompts.size(), "length");
    result.promptTokens = b * l;

    const auto status = guarded("generating", [&]() -> Status {
        c10::InferenceMode inference;
        const auto device = model.device();
        std::vector<std::int64_t> flat(static_cast<std::size_t>(b * l), config.padTokenId);
        std::vector<std::int64_t> maskFlat(static_cast<std::size_t>(b * l), 0);
        for (std::size_t i = 0; i < prompts.size(); ++i) {
            const auto off = i * maxLen + (maxLen - prompts[i].size()); // left padding
            std::copy(prompts[i].begin(), prompts[i].end(), flat.begin() + static_cast<std::ptrdiff_t>(off));
            std::fill_n(maskFlat.begin() + static_cast<std::ptrdiff_t>(off), prompts[i].size(), 1);
        }
        at::Tensor ids = at::tensor(flat, at::kLong).view({b, l});
        at::Tensor mask = ragged ? at::tensor(maskFlat, at::kLong).view({b, l}) : at::Tensor();
        at::Tensor history = ids; // (B, L + generated) for the repetition penalty, on the CPU
        std::optional<at::Generator> gen;
        if (config.sampling.doSample) {
            gen = at::make_generator<at::CPUGeneratorImpl>(config.seed ? *config.seed : std::random_device{}());
        }
        KvCache cache = model.makeCache();
        cache.reserve(l + config.maxNewTokens);
        std::vector<bool> finished(prompts.size(), false);
        std::size_t running = prompts.size();

        auto t0 = Clock::now();
        models::ForwardOptions fo;
        fo.cache = config.useCache ? &cache : nullptr;
        fo.attentionMask = mask.defined() ? mask.to(device) : at::Tensor();
        fo.lastTokenOnly = true;
        at::Tensor logits = model.forward(ids.to(device), fo); // (B, 1, V)
        for (std::int64_t step = 0; step < config.maxNewTokens && running > 0; ++step) {
            if (cancel && cancel->isCancelled()) {
                for (std::size_t i = 0; i < finished.size(); ++i) {
                    if (!finished[i]) {
                        result.finishReasons[i] = "cancelled"; // partial output is still returned
                    }
                }
                break;
            }
            at::Tensor next = selectNextTokens(logits.select(1, 0), history, config.sampling, gen).to(at::kCPU);
            auto* nextPtr = next.data_ptr<std::int64_t>();
            bool stopAll = false;
            for (std::size_t i = 0; i < prompts.size(); ++i) {
                if (finished[i]) {
                    nextPtr[i] = config.padTokenId;
                    continue;
                }
                const std::int64_t tok = nextPtr[i];
                result.tokens[i].push_back(tok);
                ++result.generatedTokens;
                if (onToken && !onToken(i, tok)) {
                    stopAll = true;
                }
                bool stop = std::find(config.stopTokenIds.begin(), config.stopTokenIds.end(), tok) != config.stopTokenIds.end();
                if (!stop && !config.stopStrings.empty() && config.detokenize) {
                    const std::string text = config.detokenize(result.tokens[i]);
                    for (const auto& s : config.stopStrings) {
                        stop = stop || (!s.empty() && text.find(s) != std::string::npos);
                    }
                }
                if (stop) {
                    finished[i] = true;
                    result.finishReasons[i] = "stop";
                    --running;
                }
            }
            if (step == 0) {
                result.prefillSeconds = since(t0);
                t0 = Clock::now();
            } else {
                ++result.decodeSteps;
            }
            if (stopAll) {
                for (std::size_t i = 0; i < finished.size(); ++i) {
                    if (!finished[i]) {
                        result.finishReasons[i] = "callback";
                    }
                }
                break;
            }
            if (running == 0 || step + 1 == config.maxNewTokens) {
                break;
            }
            at::Tensor col = next.view({b, 1});
            history = at::cat({history, col}, 1);
            if (mask.defined()) {
                mask = at::cat({mask, at::ones({b, 1}, at::kLong)}, 1);
                fo.attentionMask = mask.to(device);
            }
            if (config.useCache) {
                logits = model.forward(col.to(device), fo);
            } else {
                logits = model.forward(history.to(device), fo);
            }
        }
        result.decodeSeconds = since(t0);
        return {};
    });
    if (!status) {
        return tl::unexpected(status.error());
    }
    return result;
}

} // namespace td::infer
