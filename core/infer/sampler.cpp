// SPDX-License-Identifier: Apache-2.0
// Logits processors and sampling, in the order and with the semantics of transformers' generation/logits_process.py
// (RepetitionPenaltyLogitsProcessor, TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper).
#include "core/infer/sampler.h"

#include <limits>

#include <ATen/ATen.h>

namespace td::infer
{

at::Tensor selectNextTokens(at::Tensor logits, const at::Tensor& history, const SamplingParams& p,
                            std::optional<at::Generator> generator)
{
    // logits: (B, V)
    logits = logits.to(at::kFloat);
    if (p.repetitionPenalty != 1.0 && history.defined() && history.numel() > 0) {
        at::Tensor idx = history.to(logits.device());
        at::Tensor seen = logits.gather(1, idx);
        seen = at::where(seen < 0, seen * p.repetitionPenalty, seen / p.repetitionPenalty);
        logits = logits.scatter(1, idx, seen);
    }
    if (!p.doSample || p.temperature <= 0) {
        return logits.argmax(-1);
    }
    constexpr float kNegInf = -std::numeric_limits<float>::infinity();
    if (p.temperature != 1.0) {
        logits = logits / p.temperature;
    }
    if (p.topK > 0 && p.topK < logits.size(-1)) {
        at::Tensor kth = std::get<0>(logits.topk(p.topK, -1)).narrow(-1, p.topK - 1, 1); // (B, 1)
        logits = logits.masked_fill(logits < kth, kNegInf);
    }
    if (p.topP < 1.0) {
        auto [sorted, order] = logits.sort(-1, /*descending=*/false);
        at::Tensor cum = sorted.softmax(-1).cumsum(-1);
        at::Tensor remove = cum <= (1.0 - p.topP);
        remove.narrow(-1, remove.size(-1) - 1, 1).fill_(false); // keep at least the most likely token
        logits = logits.masked_fill(remove.scatter(-1, order, remove), kNegInf);
    }
    at::Tensor probs = logits.softmax(-1).to(at::kCPU);
    c10::optional<at::Generator> gen;
    if (generator) {
        gen = *generator;
    }
    return at::multinomial(probs, 1, /*replacement=*/false, gen).squeeze(-1).to(logits.device());
}

} // namespace td::infer
