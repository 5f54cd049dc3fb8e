// SPDX-License-Identifier: Apache-2.0
// Rotary position embeddings as in transformers' modeling_rope_utils.py: inverse frequencies for the rope
// types default, linear, dynamic (NTK), llama3 and yarn, and the cos/sin tables for given positions.
// Computed in float32 like HF, then cast to the compute dtype. Layout: rotate_half on the two halves.
#pragma once

#include <cstdint>
#include <utility>

#include <ATen/core/Tensor.h>

#include "core/models/model_config.h"

namespace td::models
{

class RotaryEmbedding
{
public:
    explicit RotaryEmbedding(const ModelConfig& config);

    /// inv_freq (rotaryDim/2,) float32 for a sequence of `seqLen` tokens (only "dynamic" depends on it).
    at::Tensor invFreq(std::int64_t seqLen) const;
    /// positions: (B, T) int64 → cos, sin: (B, T, rotaryDim) in `dtype` on positions' device. The first half
    /// of `sin` is negated (rotate_half's sign), as applyRotary() expects.
    std::pair<at::Tensor, at::Tensor> cosSin(const at::Tensor& positions, c10::ScalarType dtype) const;
    /// yarn's attention factor (1 elsewhere); multiplies cos and sin.
    double attentionScaling() const { return m_attentionScaling; }

private:
    ModelConfig m_config;
    at::Tensor m_invFreq; ///< for every rope type except dynamic beyond max_position_embeddings
    double m_attentionScaling = 1.0;
};

/// q, k: (B, H, T, D); cos, sin: (B, T, R) from cosSin(), R <= D. Rotates the first R features of every head:
/// x * cos + rotate_half(x) * sin with rotate_half(x) = cat(-x2, x1).
at::Tensor applyRotary(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin);

} // namespace td::models
