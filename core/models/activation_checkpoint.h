// SPDX-License-Identifier: Apache-2.0
// Activation (gradient) checkpointing of one block: forward runs without recording the graph and keeps only
// the block's input; backward re-runs the block with gradients on (same CPU RNG state, so dropout masks
// repeat; same autocast setting) and back-propagates through the recomputed graph. Memory per decoder layer
// drops from every intermediate (~tens of MB at 4 x 256 tokens) to one (B, T, C) tensor, for one extra
// forward pass. This is PyTorch's reentrant torch.utils.checkpoint, which LLaMA-Factory turns on by default.
#pragma once

#include <functional>

#include <ATen/core/Tensor.h>

namespace td::models
{

/// y = fn(x), checkpointed. `fn` must stay callable until backward (capture what it needs by value).
/// x must require grad (callers make the first layer's input a grad-requiring leaf), else nothing inside
/// would receive gradients.
at::Tensor checkpointed(const at::Tensor& x, std::function<at::Tensor(const at::Tensor&)> fn);

} // namespace td::models
