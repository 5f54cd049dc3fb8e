// SPDX-License-Identifier: Apache-2.0
// Causal-LM loss as Hugging Face computes it: logits at position t predict token t+1; labels equal to -100
// are ignored. Summed and counted separately so gradient accumulation can divide by the number of target
// tokens of the whole accumulated batch (transformers' num_items_in_batch), not per micro-batch.
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

namespace td::train
{

struct LossSum
{
    at::Tensor sum;          ///< scalar fp32, differentiable: sum over targets of -log p(label)
    std::int64_t tokens = 0; ///< number of non-ignored targets
};

/// logits (B, T, V) any float dtype (computed in fp32), labels (B, T) int64 with -100 = ignore.
/// Works in row chunks so the fp32 copy of the logits never exceeds ~256 MB.
LossSum causalLmLossSum(const at::Tensor& logits, const at::Tensor& labels);

/// Per-sequence summed log-probs of the labels (B) fp32 — for DPO-style stages and evaluation.
at::Tensor sequenceLogProbs(const at::Tensor& logits, const at::Tensor& labels);

} // namespace td::train
