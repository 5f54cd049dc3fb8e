// SPDX-License-Identifier: Apache-2.0
// Next-token selection with Hugging Face's logits-processor order: repetition penalty, then (when sampling)
// temperature, top-k, top-p, softmax and a multinomial draw from a seeded generator; greedy = argmax.
#pragma once

#include <cstdint>
#include <optional>

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

namespace td::infer
{

struct SamplingParams
{
    bool doSample = false;          ///< false: greedy (argmax after the repetition penalty)
    double temperature = 1.0;
    std::int64_t topK = 0;          ///< 0 = off
    double topP = 1.0;              ///< 1 = off
    double repetitionPenalty = 1.0; ///< 1 = off; HF: logit < 0 ? logit * p : logit / p for seen tokens
};

/// logits: (B, V) float32 (modified copy); history: (B, L) int64 tokens seen so far (prompt + generated),
/// may be undefined. Returns (B) int64 on the logits' device.
at::Tensor selectNextTokens(at::Tensor logits, const at::Tensor& history, const SamplingParams& params,
                            std::optional<at::Generator> generator);

} // namespace td::infer
