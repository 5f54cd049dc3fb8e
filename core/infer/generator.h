// SPDX-License-Identifier: Apache-2.0
// Text generation with a KV cache: a batch of prompts (left-padded to one length), prefill, then one token
// per step for every unfinished sequence; greedy or sampled (sampler.h); stop tokens, stop strings, max new
// tokens; a streaming callback per token; cancellation between steps. Returns tokens and timings.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/common/cancel.h"
#include "core/common/error.h"
#include "core/infer/sampler.h"

namespace td::models
{
class CausalLM;
}

namespace td::infer
{

struct GenerationConfig
{
    std::int64_t maxNewTokens = 128;
    SamplingParams sampling;                   ///< greedy unless sampling.doSample
    std::vector<std::int64_t> stopTokenIds;    ///< e.g. the model's eos ids; the stop token is kept in the output
    std::vector<std::string> stopStrings;      ///< need `detokenize`
    std::function<std::string(const std::vector<std::int64_t>&)> detokenize; ///< new tokens → text
    std::optional<std::uint64_t> seed;         ///< sampling seed (random when unset)
    std::int64_t padTokenId = 0;               ///< fills left padding and finished rows
    bool useCache = true;                      ///< false: recompute the whole sequence every step (tests)
};

/// Called for each new token of sequence `index`; return false to stop generation (all sequences).
/// Cancellation (CancelToken) is checked before each step; the tokens so far are returned with reason "cancelled".
using TokenCallback = std::function<bool(std::size_t index, std::int64_t token)>;

struct GenerationResult
{
    std::vector<std::vector<std::int64_t>> tokens; ///< new tokens per prompt (without the prompt)
    std::vector<std::string> finishReasons;        ///< "length", "stop", "cancelled" (or "callback")
    std::int64_t promptTokens = 0;                 ///< B * padded prompt length
    std::int64_t generatedTokens = 0;              ///< new tokens over all sequences
    double prefillSeconds = 0;                     ///< prompt forward + first token (= time to first token)
    double decodeSeconds = 0;                      ///< the remaining steps
    std::int64_t decodeSteps = 0;
};

Expected<GenerationResult> generate(models::CausalLM& model, const std::vector<std::vector<std::int64_t>>& prompts,
                                    const GenerationConfig& config, const TokenCallback& onToken = {},
                                    const CancelToken* cancel = nullptr);

} // namespace td::infer
