// SPDX-License-Identifier: Apache-2.0
// Int8 / NF4 / FP4 weight quantization and the dequantizing linear (see quant.h for the formats).
#include "core/models/quant.h"

#include <array>
#include <numeric>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/custom_function.h>

#include "core/common/torch_compat.h"
#include "core/models/layers.h"

namespace td::models
{

namespace
{

// NF4: the 16 normal-distribution quantiles of the QLoRA paper (Dettmers et al. 2023, appendix E) as
// bitsandbytes stores them, code 7 = 0.
constexpr std::array<float, 16> kNf4 = {
    -1.0F, -0.6961928009986877F, -0.5250730514526367F, -0.39491748809814453F, -0.28444138169288635F,
    -0.18477343022823334F, -0.09105003625154495F, 0.0F, 0.07958029955625534F, 0.16093020141124725F,
    0.24611230194568634F, 0.33791524171829224F, 0.44070982933044434F, 0.5626170039176941F, 0.7229568362236023F,
    1.0F};
// FP4 as bitsandbytes lays it out: code = sign(1) | exponent(2) | mantissa(1); the magnitudes are
// {0, 0.0625, 8, 12, 4, 6, 2, 3} divided by the largest, 12, so the code book spans [-1, 1].
constexpr std::array<float, 16> kFp4 = {
    0.0F, 0.0625F / 12, 8.0F / 12, 1.0F, 4.0F / 12, 0.5F, 2.0F / 12, 0.25F,
    -0.0F, -0.0625F / 12, -8.0F / 12, -1.0F, -4.0F / 12, -0.5F, -2.0F / 12, -0.25F};

at::Tensor table16(QuantType type, const c10::Device& device)
{
    return at::tensor(at::ArrayRef<float>(codeBook(type), 16), at::kFloat).to(device);
}

/// (256, 2) fp32: the two code values a packed byte holds, high nibble first. One index_select per byte
/// dequantizes two weights.
at::Tensor byteTable(QuantType type, const c10::Device& device)
{
    at::Tensor t16 = table16(type, device);
    at::Tensor byte = at::arange(256, at::TensorOptions().dtype(at::kLong).device(device));
    return at::stack({t16.index_select(0, byte.div(16, "floor")), t16.index_select(0, byte.remainder(16))}, 1);
}

c10::ScalarType matmulDtype(const QuantizedWeight& q, const at::Tensor& x)
{
    const bool autocast = x.is_cuda() ? compat::cudaAutocastEnabled() : compat::cpuAutocastEnabled();
    return autocast ? compat::autocastDtype(x.device().type()) : q.computeDtype;
}

/// The forward saves only the quantized tensors; backward dequantizes W again for dL/dx = dL/dy W.
struct QuantLinearFn : public torch::autograd::Function<QuantLinearFn>
{
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, const at::Tensor& biasIn,
                              const at::Tensor& data, const at::Tensor& absmax, const at::Tensor& absmaxScaleIn,
                              std::int64_t type, std::int64_t rows, std::int64_t cols, double offset, std::int64_t dtype)
    {
        // libtorch 1.13's apply() cannot take undefined tensors: empty ones stand for "none" (see quantLinear).
        const at::Tensor bias = biasIn.numel() > 0 ? biasIn : at::Tensor();
        const at::Tensor absmaxScale = absmaxScaleIn.numel() > 0 ? absmaxScaleIn : at::Tensor();
        QuantizedWeight q{static_cast<QuantType>(type), rows, cols, data, absmax, absmaxScale, offset,
                          static_cast<c10::ScalarType>(dtype)};
        ctx->save_for_backward({data, absmax, absmaxScaleIn});
        ctx->saved_data["type"] = type;
        ctx->saved_data["rows"] = rows;
        ctx->saved_data["cols"] = cols;
        ctx->saved_data["offset"] = offset;
        ctx->saved_data["xdtype"] = static_cast<std::int64_t>(x.scalar_type());
        ctx->saved_data["bias_grad"] = bias.defined() && bias.requires_grad();
        ctx->saved_data["bias_dtype"] = static_cast<std::int64_t>(bias.defined() ? bias.scalar_type() : at::kFloat);
        const c10::ScalarType dt = q.computeDtype;
        const at::Tensor w = dequantizeWeight(q, dt); // (rows, cols), freed when forward returns
        const at::Tensor b = !bias.defined() || bias.scalar_type() == dt ? bias : bias.to(dt);
        return at::linear(x.scalar_type() == dt ? x : x.to(dt), w, b);
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        QuantizedWeight q;
        q.type = static_cast<QuantType>(ctx->saved_data["type"].toInt());
        q.rows = ctx->saved_data["rows"].toInt();
        q.cols = ctx->saved_data["cols"].toInt();
        q.data = saved[0];
        q.absmax = saved[1];
        q.absmaxScale = saved[2].numel() > 0 ? saved[2] : at::Tensor();
        q.absmaxOffset = ctx->saved_data["offset"].toDouble();
        const at::Tensor& g = grads[0]; // (..., rows)
        const at::Tensor w = dequantizeWeight(q, g.scalar_type());
        const auto xdtype = static_cast<c10::ScalarType>(ctx->saved_data["xdtype"].toInt());
        at::Tensor gx = at::matmul(g, w).to(xdtype); // (..., cols)
        at::Tensor gb;
        if (ctx->saved_data["bias_grad"].toBool()) {
            gb = g.reshape({-1, q.rows}).sum(0).to(static_cast<c10::ScalarType>(ctx->saved_data["bias_dtype"].toInt()));
        }
        return {gx, gb, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(),
                at::Tensor(), at::Tensor()};
    }
};

} // namespace

const float* codeBook(QuantType type)
{
    return type == QuantType::Fp4 ? kFp4.data() : kNf4.data();
}

std::int64_t quantizedBytes(const QuantSpec& spec, std::int64_t rows, std::int64_t cols)
{
    const std::int64_t n = rows * cols;
    if (spec.bits == 8) {
        return n + 4 * rows;
    }
    const std::int64_t blocks = (n + kQuantBlock - 1) / kQuantBlock;
    const std::int64_t scales = spec.doubleQuant ? blocks + 4 * ((blocks + kQuantBlock2 - 1) / kQuantBlock2) : 4 * blocks;
    return (n + 1) / 2 + scales;
}

std::int64_t QuantizedWeight::bytes() const
{
    return static_cast<std::int64_t>(data.nbytes() + absmax.nbytes() + (absmaxScale.defined() ? absmaxScale.nbytes() : 0));
}

at::Tensor pack4bit(const at::Tensor& codes)
{
    at::Tensor c = codes.reshape({-1}).to(at::kByte);
    if (c.numel() % 2 != 0) {
        c = at::cat({c, at::zeros({1}, c.options())});
    }
    at::Tensor pairs = c.view({-1, 2}); // (n/2, 2): [high, low]
    return pairs.select(1, 0).bitwise_left_shift(4).bitwise_or(pairs.select(1, 1)).contiguous();
}

at::Tensor unpack4bit(const at::Tensor& packed, std::int64_t n)
{
    at::Tensor high = packed.bitwise_right_shift(4);
    at::Tensor low = packed.bitwise_and(15);
    return at::stack({high, low}, 1).view({-1}).narrow(0, 0, n);
}

at::Tensor nearestCode(const at::Tensor& normalized, QuantType type)
{
    // Sort the code values, then bucketize against the midpoints between neighbours: bucket i is the range
    // whose nearest value is the i-th smallest code.
    const float* book = codeBook(type);
    std::array<std::int64_t, 16> order{};
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) { return book[a] < book[b]; });
    std::array<float, 15> mids{};
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
        mids[i] = 0.5F * (book[order[i]] + book[order[i + 1]]);
    }
    const c10::Device device = normalized.device();
    at::Tensor boundaries = at::tensor(at::ArrayRef<float>(mids.data(), mids.size()), at::kFloat).to(device);
    at::Tensor toCode = at::tensor(at::ArrayRef<std::int64_t>(order.data(), order.size()), at::kLong).to(device);
    at::Tensor bucket = at::bucketize(normalized.to(at::kFloat).contiguous(), boundaries); // (...) int64 in 0..15
    return toCode.index_select(0, bucket.reshape({-1})).view(normalized.sizes()).to(at::kByte);
}

Int8Absmax quantizeAbsmax(const at::Tensor& absmax)
{
    Int8Absmax out;
    const std::int64_t n = absmax.numel();
    out.offset = absmax.mean().item<double>();
    at::Tensor centred = absmax.to(at::kFloat) - out.offset; // (n)
    const std::int64_t blocks = (n + kQuantBlock2 - 1) / kQuantBlock2;
    at::Tensor padded = at::constant_pad_nd(centred, {0, blocks * kQuantBlock2 - n}, 0).view({blocks, kQuantBlock2});
    at::Tensor scales = padded.abs().amax({1}) / 127.0; // (blocks)
    at::Tensor safe = at::where(scales > 0, scales, at::ones_like(scales));
    out.codes = at::round(padded / safe.unsqueeze(1)).clamp(-127, 127).to(at::kChar).view({-1}).narrow(0, 0, n).contiguous();
    out.scales = scales.contiguous();
    return out;
}

at::Tensor dequantizeAbsmax(const at::Tensor& codes, const at::Tensor& scales, double offset)
{
    const std::int64_t n = codes.numel();
    const std::int64_t blocks = scales.numel();
    at::Tensor padded = at::constant_pad_nd(codes.to(at::kFloat), {0, blocks * kQuantBlock2 - n}, 0).view({blocks, kQuantBlock2});
    return (padded * scales.unsqueeze(1)).view({-1}).narrow(0, 0, n) + offset;
}

QuantizedWeight quantizeWeight(const at::Tensor& wIn, const QuantSpec& spec)
{
    TORCH_CHECK(wIn.dim() == 2, "quantizeWeight expects a 2-D weight, got ", wIn.sizes());
    TORCH_CHECK(spec.bits == 4 || spec.bits == 8, "quantization_bit must be 4 or 8, got ", spec.bits);
    at::NoGradGuard noGrad;
    const at::Tensor w = wIn.detach().to(at::kFloat).contiguous(); // (rows, cols)
    QuantizedWeight q;
    q.type = spec.type();
    q.rows = w.size(0);
    q.cols = w.size(1);
    q.computeDtype = wIn.scalar_type();
    if (q.type == QuantType::Int8) {
        q.absmax = w.abs().amax({1}).contiguous(); // (rows)
        at::Tensor safe = at::where(q.absmax > 0, q.absmax, at::ones_like(q.absmax));
        q.data = at::round(w * (127.0 / safe).unsqueeze(1)).clamp(-127, 127).to(at::kChar).contiguous();
        return q;
    }
    const std::int64_t n = w.numel();
    const std::int64_t blocks = (n + kQuantBlock - 1) / kQuantBlock;
    at::Tensor padded = at::constant_pad_nd(w.view({-1}), {0, blocks * kQuantBlock - n}, 0).view({blocks, kQuantBlock});
    at::Tensor absmax = padded.abs().amax({1}); // (blocks)
    at::Tensor safe = at::where(absmax > 0, absmax, at::ones_like(absmax));
    at::Tensor codes = nearestCode((padded / safe.unsqueeze(1)).clamp(-1, 1), q.type).view({-1}).narrow(0, 0, n);
    q.data = pack4bit(codes);
    if (spec.doubleQuant) {
        Int8Absmax dq = quantizeAbsmax(absmax);
        q.absmax = dq.codes;
        q.absmaxScale = dq.scales;
        q.absmaxOffset = dq.offset;
    } else {
        q.absmax = absmax.contiguous();
    }
    return q;
}

at::Tensor dequantizeWeight(const QuantizedWeight& q, c10::ScalarType dtype)
{
    at::NoGradGuard noGrad;
    if (q.type == QuantType::Int8) {
        // (rows, cols) = codes * absmax_row / 127
        return (q.data.to(at::kFloat) * (q.absmax / 127.0).unsqueeze(1)).to(dtype);
    }
    const std::int64_t n = q.rows * q.cols;
    const std::int64_t blocks = (n + kQuantBlock - 1) / kQuantBlock;
    at::Tensor absmax = q.doubleQuantized() ? dequantizeAbsmax(q.absmax, q.absmaxScale, q.absmaxOffset) : q.absmax;
    // (bytes, 2) code values → (n) → padded (blocks, 64) * absmax → (rows, cols)
    at::Tensor values = byteTable(q.type, q.data.device()).index_select(0, q.data.to(at::kLong)).view({-1}).narrow(0, 0, n);
    at::Tensor scaled = at::constant_pad_nd(values, {0, blocks * kQuantBlock - n}, 0).view({blocks, kQuantBlock}) *
                        absmax.unsqueeze(1);
    return scaled.view({-1}).narrow(0, 0, n).view({q.rows, q.cols}).to(dtype);
}

at::Tensor quantLinear(const at::Tensor& x, const QuantizedWeight& q, const at::Tensor& bias)
{
    const c10::ScalarType dt = matmulDtype(q, x);
    const bool grad = at::GradMode::is_enabled() && (x.requires_grad() || (bias.defined() && bias.requires_grad()));
    if (grad) {
        const at::Tensor none = at::empty({0}, q.data.options().dtype(at::kFloat));
        return QuantLinearFn::apply(x, bias.defined() ? bias : none, q.data, q.absmax,
                                    q.absmaxScale.defined() ? q.absmaxScale : none, static_cast<std::int64_t>(q.type), q.rows,
                                    q.cols, q.absmaxOffset, static_cast<std::int64_t>(dt));
    }
    const at::Tensor w = dequantizeWeight(q, dt).contiguous();
    const at::Tensor b = !bias.defined() || bias.scalar_type() == dt ? bias : bias.to(dt);
    return linearForward(x, w, b); // casts x to dt; one-row decoding takes the gemv path
}

} // namespace td::models
