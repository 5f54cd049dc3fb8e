// SPDX-License-Identifier: Apache-2.0
// The decoder's leaf modules with Hugging Face parameter names, so named_parameters() keys equal the
// safetensors keys: Linear (weight [out, in], bias [out]) with an optional LoRA/DoRA slot, Norm (RMSNorm or
// LayerNorm), Embedding. Deliberately not torch::nn::Linear: we need the LoRA slot and HF names.
//
// LoRA (PEFT semantics), for a Linear with base weight W [out, in]:
//
//        x ──► W ─────────────────────────────┐
//        │                                    (+) ──► y = x W^T + b + s * (x A^T) B^T
//        └──► lora_A [r, in] ──► lora_B [out, r] ──► * s ┘
//
// s = alpha / r (rsLoRA: alpha / sqrt(r)). DoRA: V = W + s B A, y = (m / ||V||_row) * (x V^T) + b with the
// magnitude m = lora_magnitude_vector [out] and ||V||_row detached. lora_A/lora_B are registered as child
// modules named "lora_A"/"lora_B" holding "weight", so parameter names are PEFT's minus "base_model.model.".
// LoRA dropout (PEFT): x is dropped out before lora_A, only in training mode; with DoRA the base term then uses
// the undropped x: y = x W^T + b + (m/||V|| - 1) * (x_d W^T) + (m/||V||) * s * (x_d A^T) B^T.
// Mixed precision: A/B (and m) may be fp32 while W is bf16 (trainable adapters on a frozen 16-bit base); they
// are cast to x's dtype inside forward, so autograd flows back to the fp32 parameters, with or without autocast.
// Quantized base (QLoRA, quant.h): setQuantized() replaces the `weight` parameter by int8/4-bit buffers
// ("weight_quant", "weight_absmax"[, "weight_absmax_scale"]); forward dequantizes per call. The LoRA slot on
// top works as above; merging into a quantized weight is refused.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include <torch/nn/module.h>

#include "core/models/model_config.h"

namespace td::models
{

/// y = x W^T + b (x is cast to W's dtype when they differ, as autocast would). Without gradients (decoding), one-row inputs take a faster CPU path: fp32 → BLAS gemv,
/// bf16 on AVX512-BF16 CPUs → kernels/cpu/gemv_bf16; everything else goes through at::linear.
at::Tensor linearForward(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias = {});

struct QuantizedWeight;

struct LoraSlot
{
    std::shared_ptr<torch::nn::Module> a; ///< holds "weight" (r, in)
    std::shared_ptr<torch::nn::Module> b; ///< holds "weight" (out, r)
    at::Tensor aWeight;                   ///< the registered lora_A.weight (r, in)
    at::Tensor bWeight;                   ///< the registered lora_B.weight (out, r)
    double scaling = 1.0;
    bool dora = false;
    double dropout = 0.0; ///< PEFT lora_dropout: probability applied to x before lora_A in training mode
};

class LinearImpl : public torch::nn::Module
{
public:
    LinearImpl(std::int64_t in, std::int64_t out, bool bias, const at::TensorOptions& options);

    /// x: (..., in) → (..., out)
    at::Tensor forward(const at::Tensor& x);

    /// Attaches a LoRA adapter (A: (r, in), B: (out, r); magnitude (out) for DoRA, else undefined).
    /// Tensors are converted to `dtype` (default: this layer's dtype) on this layer's device and registered as
    /// parameters; fp32 adapters on a 16-bit layer are what training uses.
    void attachLora(const at::Tensor& a, const at::Tensor& b, double scaling, const at::Tensor& magnitude = {},
                    double dropout = 0.0, std::optional<c10::ScalarType> dtype = std::nullopt);
    /// Folds the adapter into the weight (W' = W + s B A; DoRA: (m / ||V||_row) V) and removes it.
    void mergeLora();
    void detachLora();
    bool hasLora() const { return m_lora.has_value(); }
    const std::optional<LoraSlot>& lora() const { return m_lora; }

    std::int64_t inFeatures() const { return m_in; }
    std::int64_t outFeatures() const { return m_out; }

    /// Replaces the full-precision weight by `q` (rows = out, cols = in): the "weight" parameter is removed,
    /// q's tensors become buffers (they move with the module). No adapter may be attached yet.
    void setQuantized(QuantizedWeight q);
    bool isQuantized() const { return m_quant != nullptr; }
    const QuantizedWeight* quantized() const { return m_quant.get(); }
    /// The base weight (out, in): `weight`, or the quantized one dequantized to the compute dtype (a new tensor).
    at::Tensor baseWeight() const;
    /// Device and compute dtype of the base weight (quantized or not).
    at::TensorOptions baseOptions() const;

    at::Tensor weight; ///< (out, in); undefined when quantized
    at::Tensor bias;   ///< (out) or undefined
    at::Tensor magnitude; ///< DoRA lora_magnitude_vector (out) or undefined

private:
    at::Tensor doraScale() const; ///< (out) = m / ||W + s B A||_row, detached norm
    at::Tensor baseLinear(const at::Tensor& x, bool withBias) const; ///< x W^T (+ b), quantized or not
    std::optional<LoraSlot> m_lora;
    std::shared_ptr<QuantizedWeight> m_quant;
    std::int64_t m_in = 0, m_out = 0;
};

class NormImpl : public torch::nn::Module
{
public:
    /// RMSNorm: x / sqrt(mean(x^2) + eps) * w (gemma: * (1 + w)); LayerNorm: with optional bias.
    /// The output has x's dtype even when w is fp32 (a trainable norm in a 16-bit model).
    NormImpl(std::int64_t dim, double eps, const Features& features, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x);

    at::Tensor weight;
    at::Tensor bias;

private:
    double m_eps;
    NormKind m_kind;
    bool m_plusOne;
    bool m_weightInFloat;
};

class EmbeddingImpl : public torch::nn::Module
{
public:
    EmbeddingImpl(std::int64_t vocab, std::int64_t dim, const at::TensorOptions& options);
    /// ids: (B, T) int64 → (B, T, C)
    at::Tensor forward(const at::Tensor& ids);
    at::Tensor weight; ///< (V, C)
    /// Set when a trainable fp32 embedding sits in a 16-bit model: the output is cast back (differentiably)
    /// so the rest of the model keeps computing in its own dtype.
    std::optional<c10::ScalarType> outputDtype;
};

} // namespace td::models
