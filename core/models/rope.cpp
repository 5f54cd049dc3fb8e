// SPDX-License-Identifier: Apache-2.0
// RoPE inverse frequencies per rope type, following transformers' modeling_rope_utils.py
// (_compute_default/linear/dynamic_ntk/llama3/yarn_parameters), in float32 tensors as HF computes them.
#include "core/models/rope.h"

#include <cmath>

#include <ATen/ATen.h>

namespace td::models
{

namespace
{

// 1 / base^(arange(0, dim, 2) / dim), float32.
at::Tensor baseInvFreq(double base, std::int64_t dim)
{
    at::Tensor exponents = at::arange(0, dim, 2, at::kLong).to(at::kFloat) / static_cast<double>(dim);
    return 1.0 / at::pow(at::scalar_tensor(base, at::kFloat), exponents);
}

at::Tensor llama3InvFreq(const at::Tensor& invFreq, const RopeScaling& s)
{
    const double oldContext = static_cast<double>(s.original_max_position_embeddings);
    const double lowWavelen = oldContext / s.low_freq_factor;
    const double highWavelen = oldContext / s.high_freq_factor;
    at::Tensor wavelen = 2 * M_PI / invFreq;
    // wavelength > low_freq_wavelen: divide by factor; < high_freq_wavelen: keep; in between: interpolate.
    at::Tensor scaled = at::where(wavelen > lowWavelen, invFreq / s.factor, invFreq);
    at::Tensor smooth = (oldContext / wavelen - s.low_freq_factor) / (s.high_freq_factor - s.low_freq_factor);
    at::Tensor smoothed = (1 - smooth) * scaled / s.factor + smooth * scaled;
    at::Tensor medium = (wavelen >= highWavelen).logical_and(wavelen <= lowWavelen);
    return at::where(medium, smoothed, scaled);
}

double yarnMscale(double scale, double mscale)
{
    return scale <= 1 ? 1.0 : 0.1 * mscale * std::log(scale) + 1.0;
}

at::Tensor yarnInvFreq(const ModelConfig& c, std::int64_t dim, double& attentionScaling)
{
    const auto& s = c.rope_scaling;
    const double base = c.rope_theta;
    const double factor = s.factor;
    const double originalMax = static_cast<double>(
        s.original_max_position_embeddings > 0 ? s.original_max_position_embeddings : c.max_position_embeddings);
    if (s.attention_factor) {
        attentionScaling = *s.attention_factor;
    } else if (s.mscale != 0 && s.mscale_all_dim != 0) {
        attentionScaling = yarnMscale(factor, s.mscale) / yarnMscale(factor, s.mscale_all_dim);
    } else {
        attentionScaling = yarnMscale(factor, 1.0);
    }
    auto correctionDim = [&](double rotations) {
        return (static_cast<double>(dim) * std::log(originalMax / (rotations * 2 * M_PI))) / (2 * std::log(base));
    };
    double low = std::max(std::floor(correctionDim(s.beta_fast)), 0.0);
    double high = std::min(std::ceil(correctionDim(s.beta_slow)), static_cast<double>(dim - 1));
    if (low == high) {
        high += 0.001;
    }
    at::Tensor posFreqs =
        at::pow(at::scalar_tensor(base, at::kFloat), at::arange(0, dim, 2, at::kLong).to(at::kFloat) / double(dim));
    at::Tensor extrapolation = 1.0 / posFreqs;
    at::Tensor interpolation = 1.0 / (factor * posFreqs);
    at::Tensor ramp = at::clamp((at::arange(dim / 2, at::kFloat) - low) / (high - low), 0, 1);
    at::Tensor extrapolationFactor = 1 - ramp;
    return interpolation * (1 - extrapolationFactor) + extrapolation * extrapolationFactor;
}

} // namespace

RotaryEmbedding::RotaryEmbedding(const ModelConfig& config) : m_config(config)
{
    const auto dim = config.rotaryDim();
    const auto& s = config.rope_scaling;
    if (s.rope_type == "linear") {
        m_invFreq = baseInvFreq(config.rope_theta, dim) / s.factor;
    } else if (s.rope_type == "llama3") {
        m_invFreq = llama3InvFreq(baseInvFreq(config.rope_theta, dim), s);
    } else if (s.rope_type == "yarn") {
        m_invFreq = yarnInvFreq(config, dim, m_attentionScaling);
    } else {
        m_invFreq = baseInvFreq(config.rope_theta, dim); // default; dynamic below its threshold
    }
}

at::Tensor RotaryEmbedding::invFreq(std::int64_t seqLen) const
{
    const auto maxPos = m_config.max_position_embeddings;
    if (m_config.rope_scaling.rope_type != "dynamic" || seqLen <= maxPos) {
        return m_invFreq;
    }
    // Dynamic NTK: base * ((factor * seq_len / max_pos) - (factor - 1)) ^ (dim / (dim - 2)).
    const double dim = static_cast<double>(m_config.rotaryDim());
    const double f = m_config.rope_scaling.factor;
    const double base = m_config.rope_theta *
                        std::pow((f * static_cast<double>(seqLen) / static_cast<double>(maxPos)) - (f - 1), dim / (dim - 2));
    return baseInvFreq(base, m_config.rotaryDim());
}

std::pair<at::Tensor, at::Tensor> RotaryEmbedding::cosSin(const at::Tensor& positions, c10::ScalarType dtype) const
{
    std::int64_t seqLen = 0;
    if (m_config.rope_scaling.rope_type == "dynamic") {
        seqLen = positions.max().item<std::int64_t>() + 1;
    }
    // freqs: (B, T, R/2) = positions (B, T, 1) * inv_freq (R/2)
    at::Tensor inv = invFreq(seqLen).to(positions.device());
    at::Tensor freqs = positions.to(at::kFloat).unsqueeze(-1) * inv;
    at::Tensor emb = at::cat({freqs, freqs}, -1);
    at::Tensor cos = emb.cos();
    at::Tensor sin = emb.sin();
    const auto half = sin.size(-1) / 2;
    sin = at::cat({-sin.narrow(-1, 0, half), sin.narrow(-1, half, half)}, -1); // sign of rotate_half folded in
    if (m_attentionScaling != 1.0) {
        cos = cos * m_attentionScaling;
        sin = sin * m_attentionScaling;
    }
    return {cos.to(dtype), sin.to(dtype)};
}

at::Tensor applyRotary(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin)
{
    // x: (B, H, T, D); cos/sin: (B, T, R) → (B, 1, T, R)
    const auto r = cos.size(-1);
    const auto c = cos.unsqueeze(1);
    const auto s = sin.unsqueeze(1);
    at::Tensor rot = r == x.size(-1) ? x : x.narrow(-1, 0, r);
    // rotate_half(x) * sin = cat(-x2, x1) * sin = roll(x, r/2) * cat(-sin1, sin2): one op fewer per call and
    // bit-identical (negation is exact). `s` arrives with the sign already folded in (see cosSin()).
    at::Tensor out = rot * c + at::roll(rot, r / 2, -1) * s;
    return r == x.size(-1) ? out : at::cat({out, x.narrow(-1, r, x.size(-1) - r)}, -1);
}

} // namespace td::models
