// SPDX-License-Identifier: Apache-2.0
// Linear with LoRA/DoRA slot, RMSNorm/LayerNorm and Embedding (see layers.h). Norms follow HF: the
// statistics are computed in float32 whatever the weight dtype.
#include "core/models/layers.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include "core/models/quant.h"
#include "core/models/rms_norm_grad.h"
#include "kernels/cpu/gemv_bf16.h"

namespace td::models
{

at::Tensor linearForward(const at::Tensor& xIn, const at::Tensor& weight, const at::Tensor& bias)
{
    // Partly trained models mix dtypes (an fp32 trainable embedding feeding a frozen bf16 layer, or the
    // reverse); at::linear needs equal dtypes outside autocast, so compute in the weight's dtype.
    const at::Tensor x = xIn.scalar_type() == weight.scalar_type() ? xIn : xIn.to(weight.scalar_type());
    const auto cols = weight.size(1);
    if (x.scalar_type() == at::kFloat && weight.scalar_type() == at::kFloat && x.device().is_cpu() &&
        x.numel() == cols && !at::GradMode::is_enabled()) {
        // One row in fp32: BLAS gemv is several times faster than the gemm that at::linear picks.
        auto shape = x.sizes().vec();
        shape.back() = weight.size(0);
        at::Tensor y = at::mv(weight, x.reshape({cols}));
        return (bias.defined() ? y.add_(bias) : y).view(shape);
    }
    if (x.scalar_type() != at::kBFloat16 || weight.scalar_type() != at::kBFloat16 || !x.device().is_cpu() ||
        x.numel() != cols || !weight.is_contiguous() || at::GradMode::is_enabled() ||
        !kernels::hasAvx512Bf16()) {
        return at::linear(x, weight, bias);
    }
    // x: (..., in) with one row → y: (..., out) in bf16, bias added in float32 before rounding.
    const auto rows = weight.size(0);
    at::Tensor xc = x.contiguous();
    auto shape = x.sizes().vec();
    shape.back() = rows;
    at::Tensor y = at::empty(shape, x.options());
    kernels::GemvOut out;
    out.yBf16 = static_cast<std::uint16_t*>(y.data_ptr());
    at::Tensor bc;
    if (bias.defined()) {
        bc = bias.to(at::kBFloat16).contiguous();
        out.bias = static_cast<const std::uint16_t*>(bc.data_ptr());
    }
    const auto* w = static_cast<const std::uint16_t*>(weight.data_ptr());
    const auto* xv = static_cast<const std::uint16_t*>(xc.data_ptr());
    at::parallel_for(0, rows, 256, [&](std::int64_t b, std::int64_t e) { kernels::gemvBf16Rows(w, xv, out, b, e, cols); });
    return y;
}

LinearImpl::LinearImpl(std::int64_t in, std::int64_t out, bool withBias, const at::TensorOptions& options)
    : m_in(in), m_out(out)
{
    weight = register_parameter("weight", at::empty({out, in}, options));
    if (withBias) {
        bias = register_parameter("bias", at::empty({out}, options));
    }
}

at::Tensor LinearImpl::doraScale() const
{
    // (out) = m / ||V||_row with V = W + s * B @ A, the norm treated as a constant in backward (PEFT detaches
    // it). Mixed dtypes (bf16 W, fp32 A/B/m) promote to fp32 like PEFT's get_weight_norm.
    const at::Tensor& a = m_lora->aWeight;
    const at::Tensor& b = m_lora->bWeight;
    at::Tensor v = baseWeight().detach() + m_lora->scaling * at::matmul(b.detach(), a.detach());
    at::Tensor norm = at::linalg_vector_norm(v, 2, {1}, false, c10::nullopt);
    return magnitude / norm;
}

void LinearImpl::setQuantized(QuantizedWeight q)
{
    TORCH_CHECK(!m_lora, "quantize a Linear before attaching an adapter");
    TORCH_CHECK(q.rows == m_out && q.cols == m_in, "quantized weight [", q.rows, ", ", q.cols, "] does not fit Linear [",
                m_out, ", ", m_in, "]");
    if (parameters_.contains("weight")) {
        parameters_.erase("weight"); // no unregister_parameter in 1.13 (see detachLora)
    }
    weight = at::Tensor();
    m_quant = std::make_shared<QuantizedWeight>(std::move(q));
    // Registered buffers share their TensorImpl with m_quant's handles, so module.to(device) moves both.
    m_quant->data = register_buffer("weight_quant", m_quant->data);
    m_quant->absmax = register_buffer("weight_absmax", m_quant->absmax);
    if (m_quant->absmaxScale.defined()) {
        m_quant->absmaxScale = register_buffer("weight_absmax_scale", m_quant->absmaxScale);
    }
}

at::Tensor LinearImpl::baseWeight() const
{
    return m_quant ? dequantizeWeight(*m_quant, m_quant->computeDtype) : weight;
}

at::TensorOptions LinearImpl::baseOptions() const
{
    return m_quant ? m_quant->data.options().dtype(m_quant->computeDtype) : weight.options();
}

at::Tensor LinearImpl::baseLinear(const at::Tensor& x, bool withBias) const
{
    const at::Tensor& b = withBias ? bias : at::Tensor();
    return m_quant ? quantLinear(x, *m_quant, b) : at::linear(x, weight, b);
}

at::Tensor LinearImpl::forward(const at::Tensor& xIn)
{
    if (!m_lora) {
        return m_quant ? quantLinear(xIn, *m_quant, bias) : linearForward(xIn, weight, bias);
    }
    const LoraSlot& lora = *m_lora;
    const auto baseDtype = m_quant ? m_quant->computeDtype : weight.scalar_type();
    const at::Tensor x = xIn.scalar_type() == baseDtype ? xIn : xIn.to(baseDtype);
    // fp32 adapters on a 16-bit layer: the cast is differentiable, so the fp32 parameters get the gradient.
    at::Tensor a = lora.aWeight.scalar_type() == x.scalar_type() ? lora.aWeight : lora.aWeight.to(x.scalar_type());
    at::Tensor b = lora.bWeight.scalar_type() == x.scalar_type() ? lora.bWeight : lora.bWeight.to(x.scalar_type());
    const bool drop = lora.dropout > 0.0 && is_training();
    const at::Tensor xd = drop ? at::dropout(x, lora.dropout, /*train=*/true) : x; // (..., in)
    at::Tensor update = at::linear(at::linear(xd, a), b) * lora.scaling;        // (..., out)
    if (!lora.dora) {
        return baseLinear(x, true) + update;
    }
    at::Tensor scale = doraScale(); // (out), fp32 when the adapter is
    at::Tensor y;
    if (drop) {
        // PEFT: the base result keeps the undropped x; the DoRA correction uses the dropped-out x.
        y = baseLinear(x, true) + (scale - 1) * baseLinear(xd, false) + scale * update;
    } else {
        y = scale * (baseLinear(x, false) + update);
        if (bias.defined()) {
            y = y + bias;
        }
    }
    return y.scalar_type() == x.scalar_type() ? y : y.to(x.scalar_type());
}

void LinearImpl::attachLora(const at::Tensor& a, const at::Tensor& b, double scaling, const at::Tensor& mag,
                            double dropout, std::optional<c10::ScalarType> dtype)
{
    if (m_lora) {
        detachLora();
    }
    const at::TensorOptions base = baseOptions();
    const at::TensorOptions options = base.dtype(dtype.value_or(c10::typeMetaToScalarType(base.dtype())));
    LoraSlot slot;
    slot.a = std::make_shared<torch::nn::Module>();
    slot.b = std::make_shared<torch::nn::Module>();
    slot.aWeight = slot.a->register_parameter("weight", a.detach().to(options).contiguous());
    slot.bWeight = slot.b->register_parameter("weight", b.detach().to(options).contiguous());
    slot.scaling = scaling;
    slot.dora = mag.defined();
    slot.dropout = dropout;
    slot.a->train(is_training());
    slot.b->train(is_training());
    register_module("lora_A", slot.a);
    register_module("lora_B", slot.b);
    if (slot.dora) {
        if (named_parameters(false).contains("lora_magnitude_vector")) {
            magnitude = named_parameters(false)["lora_magnitude_vector"];
            at::NoGradGuard noGrad;
            magnitude.set_data(mag.detach().to(options).contiguous());
        } else {
            magnitude = register_parameter("lora_magnitude_vector", mag.detach().to(options).contiguous());
        }
    }
    m_lora = std::move(slot);
}

void LinearImpl::mergeLora()
{
    if (!m_lora) {
        return;
    }
    // LLaMA-Factory refuses too: the merged weight would have to be re-quantized, losing the adapter's update.
    TORCH_CHECK(!m_quant, "Cannot merge adapters to a quantized model.");
    at::NoGradGuard noGrad;
    const at::Tensor& a = m_lora->aWeight;
    const at::Tensor& b = m_lora->bWeight;
    at::Tensor v = weight + m_lora->scaling * at::matmul(b, a);
    if (m_lora->dora) {
        v = doraScale().unsqueeze(1) * v;
    }
    weight.copy_(v);
    detachLora();
}

void LinearImpl::detachLora()
{
    if (!m_lora) {
        return;
    }
    unregister_module("lora_A");
    unregister_module("lora_B");
    if (magnitude.defined()) {
        // torch::nn::Module has no unregister_parameter in 1.13, but parameters_ is protected: erase the
        // entry so a merged DoRA layer does not keep a stale, counted (and optimised) magnitude.
        if (parameters_.contains("lora_magnitude_vector")) {
            parameters_.erase("lora_magnitude_vector");
        }
        magnitude = at::Tensor();
    }
    m_lora.reset();
}

NormImpl::NormImpl(std::int64_t dim, double eps, const Features& f, const at::TensorOptions& options)
    : m_eps(eps), m_kind(f.norm), m_plusOne(f.normPlusOne), m_weightInFloat(f.normWeightInFloat)
{
    weight = register_parameter("weight", at::empty({dim}, options));
    if (f.norm == NormKind::LayerNorm && f.normBias) {
        bias = register_parameter("bias", at::empty({dim}, options));
    }
}

at::Tensor NormImpl::forward(const at::Tensor& x)
{
    const auto dtype = x.scalar_type();
    // A trainable fp32 weight in a 16-bit model: cast it (differentiably) rather than promote the output.
    const at::Tensor w = weight.scalar_type() == dtype || m_plusOne || m_weightInFloat ? weight : weight.to(dtype);
    if (m_kind == NormKind::LayerNorm) {
        // HF's nn.LayerNorm runs in the input dtype.
        const at::Tensor b = !bias.defined() || bias.scalar_type() == dtype ? bias : bias.to(dtype);
        return at::layer_norm(x, {x.size(-1)}, w, b, m_eps);
    }
    if (!m_plusOne && !m_weightInFloat && at::GradMode::is_enabled() && (x.requires_grad() || w.requires_grad())) {
        return rmsNormTrain(x, w, m_eps); // same values, a fraction of the saved activations
    }
    at::Tensor xf = x.to(at::kFloat);
    at::Tensor normed = xf * at::rsqrt(xf.pow(2).mean({-1}, /*keepdim=*/true) + m_eps);
    if (m_plusOne) {
        return (normed * (1.0 + weight.to(at::kFloat))).to(dtype);
    }
    if (m_weightInFloat) {
        return (weight * normed).to(dtype);
    }
    return w * normed.to(dtype);
}

EmbeddingImpl::EmbeddingImpl(std::int64_t vocab, std::int64_t dim, const at::TensorOptions& options)
{
    weight = register_parameter("weight", at::empty({vocab, dim}, options));
}

at::Tensor EmbeddingImpl::forward(const at::Tensor& ids)
{
    at::Tensor h = at::embedding(weight, ids);
    return outputDtype && *outputDtype != h.scalar_type() ? h.to(*outputDtype) : h;
}

} // namespace td::models
