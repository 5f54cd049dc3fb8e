// SPDX-License-Identifier: Apache-2.0
// The generic decoder-only causal LM every architecture maps onto: token embedding (× scale), N decoder
// layers (attention with RoPE, GQA, causal + sliding-window mask, optional q/k norm and soft-capping; a
// gated, fused or plain MLP; pre-, sandwich- or post-norm blocks), final norm, lm_head (or the tied
// embedding), optional logit soft-capping / scaling. Modules are registered under HF names
// ("model.layers.0.self_attn.q_proj.weight"), so loading a checkpoint is a name lookup.
// Legend: B batch, T new tokens, S attended keys, C hidden_size, H/Hkv heads, D head_dim, V vocab.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <torch/nn/module.h>

#include "core/models/model_config.h"

namespace td::infer
{
class KvCache;
}

namespace td::models
{

class LinearImpl;
class DecoderModelImpl;
class FastDecoder;

struct ForwardOptions
{
    infer::KvCache* cache = nullptr;      ///< when set: positions continue after cache->length(); cache updated
    at::Tensor attentionMask;             ///< (B, past + T) 1 = token, 0 = padding; undefined = no padding
    std::vector<at::Tensor>* hiddenStates = nullptr; ///< HF output_hidden_states: input of each layer, then the final norm
    bool lastTokenOnly = false;           ///< logits for the last position only: (B, 1, V)
    /// NEFTune (training mode only): uniform noise of magnitude alpha / sqrt(T * C) added to the token
    /// embeddings before the architecture's embedding scale, as HF's neftune hook does.
    double neftuneAlpha = 0;
    /// Activation checkpointing per decoder layer (training mode with gradients only): keep each layer's input
    /// and recompute the layer in backward.
    bool checkpointLayers = false;
};

class CausalLM : public torch::nn::Module
{
public:
    /// Parameters are allocated (uninitialised) with `options` (dtype, device); load or init them next.
    CausalLM(ModelConfig config, const at::TensorOptions& options);

    /// inputIds: (B, T) int64 → logits (B, T, V) in the model dtype (B, 1, V with lastTokenOnly).
    at::Tensor forward(const at::Tensor& inputIds, const ForwardOptions& options = {});

    const ModelConfig& config() const { return m_config; }
    c10::ScalarType dtype() const;
    c10::Device device() const;
    /// A cache laid out for this model (sliding layers get rings).
    infer::KvCache makeCache() const;

    /// Every Linear with its module path ("model.layers.0.self_attn.q_proj", ..., "lm_head").
    std::vector<std::pair<std::string, std::shared_ptr<LinearImpl>>> linears();
    /// Number of scalar parameters (tied embeddings counted once; LoRA parameters included).
    std::int64_t parameterCount() const;
    /// Folds every attached LoRA adapter into the base weights.
    void mergeLora();

    /// The one-token decoding fast path (fast_decode.h) is taken when it applies; off = always the eager
    /// graph (tests compare the two; the bench reports both).
    void setFastDecode(bool enabled) { m_fastEnabled = enabled; }
    bool fastDecodeEnabled() const { return m_fastEnabled; }
    /// Forward calls that took the fast path so far (benchmarks report it).
    std::int64_t fastDecodeSteps() const { return m_fastSteps; }
    /// Whether this architecture has the fast path (reason in whyNot when not).
    bool hasFastDecode(std::string* whyNot = nullptr);

    /// Fills every parameter with deterministic random values: N(0, std) per tensor, seeded by
    /// hash(name) + seed so values do not depend on creation order; norm weights 1 (gemma: 0), biases 0.
    void initRandom(std::uint64_t seed, double std = 0.02);

private:
    ModelConfig m_config;
    std::shared_ptr<DecoderModelImpl> m_model;
    std::shared_ptr<LinearImpl> m_lmHead; ///< null when tied
    bool m_fastEnabled = true;
    bool m_fastBuilt = false;
    std::int64_t m_fastSteps = 0;
    std::shared_ptr<FastDecoder> m_fast; ///< built on first use; null when the architecture has no fast path
    std::string m_fastWhyNot;
};

} // namespace td::models
