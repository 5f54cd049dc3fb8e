// SPDX-License-Identifier: Apache-2.0
// Shifted causal-LM cross-entropy in fp32, in row chunks (see loss.h).
#include "core/train/loss.h"

#include <algorithm>

#include <ATen/ATen.h>

namespace td::train
{

namespace
{

constexpr std::int64_t kIgnore = -100;
/// fp32 elements per chunk: 64 Mi floats = 256 MB for the upcast logits (plus as much for log-softmax).
constexpr std::int64_t kChunkElements = std::int64_t{64} << 20;

/// logits (B, T, V) → (B*(T-1), V) predicting labels (B, T) → (B*(T-1)): position t predicts token t+1.
std::pair<at::Tensor, at::Tensor> shifted(const at::Tensor& logits, const at::Tensor& labels)
{
    TORCH_CHECK(logits.dim() == 3 && labels.dim() == 2 && logits.size(0) == labels.size(0) &&
                    logits.size(1) == labels.size(1),
                "causal LM loss: logits (B, T, V) and labels (B, T) expected, got ", logits.sizes(), " and ",
                labels.sizes());
    const auto t = logits.size(1);
    const auto v = logits.size(2);
    at::Tensor l = logits.narrow(1, 0, std::max<std::int64_t>(t - 1, 0)).reshape({-1, v});
    at::Tensor y = labels.narrow(1, 1, std::max<std::int64_t>(t - 1, 0)).reshape({-1}).to(l.device(), at::kLong);
    return {l, y};
}

std::int64_t chunkRows(std::int64_t vocab)
{
    return std::max<std::int64_t>(1, kChunkElements / std::max<std::int64_t>(vocab, 1));
}

} // namespace

LossSum causalLmLossSum(const at::Tensor& logits, const at::Tensor& labels)
{
    auto [rows, targets] = shifted(logits, labels); // (N, V), (N)
    const std::int64_t n = rows.size(0);
    const at::Tensor valid = targets != kIgnore;
    LossSum out;
    out.tokens = n > 0 ? valid.sum().item<std::int64_t>() : 0;
    if (out.tokens == 0) {
        // Keep the graph connected so backward() on an all-ignored batch is a no-op, not an error.
        out.sum = logits.requires_grad() ? logits.sum().to(at::kFloat) * 0.0
                                         : at::zeros({}, logits.options().dtype(at::kFloat));
        return out;
    }
    const std::int64_t step = chunkRows(rows.size(1));
    at::Tensor sum;
    for (std::int64_t begin = 0; begin < n; begin += step) {
        const std::int64_t len = std::min(step, n - begin);
        at::Tensor y = targets.narrow(0, begin, len);
        if (n > step && !(y != kIgnore).any().item<bool>()) {
            continue; // prompt-only chunk: nothing to learn, skip the fp32 copy
        }
        // HF upcasts the logits to fp32 before cross_entropy; so do we, one chunk at a time.
        at::Tensor part = at::cross_entropy_loss(rows.narrow(0, begin, len).to(at::kFloat), y, {},
                                                 at::Reduction::Sum, kIgnore);
        sum = sum.defined() ? sum + part : part;
    }
    out.sum = sum;
    return out;
}

at::Tensor sequenceLogProbs(const at::Tensor& logits, const at::Tensor& labels)
{
    auto [rows, targets] = shifted(logits, labels); // (N, V), (N) with N = B*(T-1)
    const std::int64_t b = logits.size(0);
    const std::int64_t n = rows.size(0);
    if (n == 0) {
        return at::zeros({b}, logits.options().dtype(at::kFloat));
    }
    const std::int64_t step = chunkRows(rows.size(1));
    std::vector<at::Tensor> parts;
    for (std::int64_t begin = 0; begin < n; begin += step) {
        const std::int64_t len = std::min(step, n - begin);
        // -cross_entropy per row = log p(label); ignored rows give 0.
        parts.push_back(-at::cross_entropy_loss(rows.narrow(0, begin, len).to(at::kFloat),
                                                targets.narrow(0, begin, len), {}, at::Reduction::None, kIgnore));
    }
    at::Tensor tokenLogp = parts.size() == 1 ? parts[0] : at::cat(parts); // (N)
    return tokenLogp.view({b, -1}).sum(1);                                  // (B)
}

} // namespace td::train
