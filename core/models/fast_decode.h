// SPDX-License-Identifier: Apache-2.0
// The decoding fast path: one new token of one sequence on a CPU with AVX512-BF16, bf16 weights. The eager
// graph spends ~40 % of a SmolLM2-135M decode step in per-op overhead (≈ 20 ATen ops per layer, each with
// dispatch, allocation and, on 2 threads, an OpenMP fork), so a step here walks the layers on raw buffers:
// hand-written GEMV (kernels/cpu/gemv_bf16) for every projection, one-query attention straight on the KV
// cache (kernels/cpu/attend_bf16), RMSNorm/RoPE/activation/residual as plain loops — and rounds to bf16
// exactly where the eager bf16 graph does, so logits agree with it to bf16 rounding of float sums
// (tests/models/test_fast_decode.cpp). Used by CausalLM::forward when accepts() says so; anything else
// (batch > 1, padding masks, LoRA attached, training, fp32, gemma2's soft-capping, post-norm blocks) keeps
// the eager path.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/models/model_config.h"

namespace td::infer
{
class KvCache;
}

namespace td::models
{

class CausalLM;
class LinearImpl;
class NormImpl;
class EmbeddingImpl;
struct ForwardOptions;

class FastDecoder
{
public:
    /// The plan for `model`'s modules (looked up by their HF names), or null with the reason in `whyNot`
    /// when the architecture has a feature the fast path does not implement.
    static std::unique_ptr<FastDecoder> build(CausalLM& model, std::string* whyNot = nullptr);

    /// True when this forward call can take the fast path (see the header comment).
    bool accepts(const at::Tensor& ids, const ForwardOptions& options, bool training) const;

    /// ids: (1, 1) → logits (1, 1, V) bf16, before logit scaling/soft-capping (the caller applies those).
    /// cos, sin: (1, 1, R) bf16 for the token's position, sin with rotate_half's sign folded in (RotaryEmbedding).
    at::Tensor step(const at::Tensor& ids, infer::KvCache& cache, const at::Tensor& cos, const at::Tensor& sin);

    struct Layer
    {
        std::shared_ptr<LinearImpl> q, k, v, qkv, o, gate, up, gateUp, down;
        std::shared_ptr<NormImpl> inputNorm, postAttnNorm, qNorm, kNorm;
    };

private:
    FastDecoder() = default;

    ModelConfig m_config;
    std::shared_ptr<EmbeddingImpl> m_embed;
    std::shared_ptr<NormImpl> m_finalNorm;
    std::shared_ptr<LinearImpl> m_lmHead; ///< null when tied to the embedding
    std::vector<Layer> m_layers;
    std::vector<LinearImpl*> m_linears;   ///< every projection, to refuse a model with LoRA attached
    std::vector<NormImpl*> m_norms;       ///< every norm, to refuse fp32 (trainable) norm weights
};

} // namespace td::models
