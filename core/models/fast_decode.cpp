// SPDX-License-Identifier: Apache-2.0
// The one-token decode step on raw bf16 buffers (see fast_decode.h). Legend: C hidden, H/Hkv heads, D head_dim,
// I intermediate, V vocab, R rotary dims. Every "bf16(...)" below is a rounding point of the eager graph.
#include "core/models/fast_decode.h"

#include <cmath>
#include <cstring>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include "core/infer/kv_cache.h"
#include "core/models/layers.h"
#include "core/models/transformer.h"
#include "kernels/cpu/attend_bf16.h"
#include "kernels/cpu/gemv_bf16.h"

namespace td::models
{

namespace
{

using u16 = std::uint16_t;
using kernels::floatToBf16;

float f32(u16 v)
{
    const std::uint32_t bits = static_cast<std::uint32_t>(v) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

const u16* data(const at::Tensor& t)
{
    return static_cast<const u16*>(t.data_ptr());
}

// Rows [b, e) of y = W x (+ bias) with a bf16 result, as linearForward's one-row path computes it.
void gemvRows(const LinearImpl& lin, const u16* x, u16* y, std::int64_t b, std::int64_t e)
{
    kernels::GemvOut out;
    out.yBf16 = y;
    out.bias = lin.bias.defined() ? data(lin.bias) : nullptr;
    kernels::gemvBf16Rows(data(lin.weight), x, out, b, e, lin.weight.size(1));
}

// At least two chunks for the small projections (the grain is in rows of ~1 KB).
constexpr std::int64_t kGrain = 32;

void gemv(const LinearImpl& lin, const u16* x, u16* y)
{
    at::parallel_for(0, lin.weight.size(0), kGrain, [&](std::int64_t b, std::int64_t e) { gemvRows(lin, x, y, b, e); });
}

// NormImpl (RMSNorm) on n values: out = bf16(w * bf16(x * rsqrt(mean(x^2) + eps))), gemma: bf16(xn * (1 + w)),
// olmo2-style float weight: bf16(w * xn).
void rmsNorm(const u16* x, const NormImpl& norm, const Features& f, double eps, std::int64_t n, u16* out)
{
    float ss = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        const float v = f32(x[i]);
        ss += v * v;
    }
    const float r = 1.0f / std::sqrt(ss / static_cast<float>(n) + static_cast<float>(eps));
    const u16* w = data(norm.weight);
    for (std::int64_t i = 0; i < n; ++i) {
        const float xn = f32(x[i]) * r;
        float y;
        if (f.normPlusOne) {
            y = xn * (1.0f + f32(w[i]));
        } else if (f.normWeightInFloat) {
            y = f32(w[i]) * xn;
        } else {
            y = f32(w[i]) * f32(floatToBf16(xn));
        }
        out[i] = floatToBf16(y);
    }
}

// x (R of D rotated per head): bf16(bf16(x * cos) + bf16(roll(x, R/2) * sin)), sin already sign-folded.
void rope(u16* x, std::int64_t heads, std::int64_t d, const u16* cos, const u16* sin, std::int64_t r)
{
    u16 tmp[512];
    const std::int64_t half = r / 2;
    for (std::int64_t h = 0; h < heads; ++h) {
        u16* v = x + h * d;
        std::memcpy(tmp, v, static_cast<std::size_t>(r) * sizeof(u16));
        for (std::int64_t i = 0; i < r; ++i) {
            const u16 rolled = tmp[(i + r - half) % r];
            const float a = f32(floatToBf16(f32(tmp[i]) * f32(cos[i])));
            const float b = f32(floatToBf16(f32(rolled) * f32(sin[i])));
            v[i] = floatToBf16(a + b);
        }
    }
}

float activate(float x, Activation act)
{
    switch (act) {
    case Activation::Silu:
        return x / (1.0f + std::exp(-x));
    case Activation::GeluTanh: {
        constexpr float kC = 0.7978845608028654f; // sqrt(2 / pi)
        return 0.5f * x * (1.0f + std::tanh(kC * (x + 0.044715f * x * x * x)));
    }
    case Activation::Gelu:
        return 0.5f * x * (1.0f + std::erf(x * 0.7071067811865476f));
    }
    return x;
}

// x += bf16(y * m) (m = 1: x = bf16(x + y)).
void addResidual(u16* x, const u16* y, std::int64_t n, double m)
{
    for (std::int64_t i = 0; i < n; ++i) {
        const float yv = m == 1.0 ? f32(y[i]) : f32(floatToBf16(f32(y[i]) * static_cast<float>(m)));
        x[i] = floatToBf16(f32(x[i]) + yv);
    }
}

template <typename T>
std::shared_ptr<T> find(const std::map<std::string, std::shared_ptr<torch::nn::Module>>& mods, const std::string& name)
{
    auto it = mods.find(name);
    return it == mods.end() ? nullptr : std::dynamic_pointer_cast<T>(it->second);
}

} // namespace

std::unique_ptr<FastDecoder> FastDecoder::build(CausalLM& model, std::string* whyNot)
{
    const ModelConfig& c = model.config();
    const Features& f = c.features;
    auto refuse = [&](const char* why) -> std::unique_ptr<FastDecoder> {
        if (whyNot) {
            *whyNot = why;
        }
        return nullptr;
    };
    if (f.block != BlockKind::PreNorm) {
        return refuse("post-norm or sandwich blocks");
    }
    if (f.norm != NormKind::RmsNorm || f.mlp == MlpKind::Plain || f.qkNorm == QkNorm::Full) {
        return refuse("LayerNorm, plain MLP or full-width q/k norm");
    }
    if (f.attnSoftcap > 0) {
        return refuse("attention soft-capping");
    }
    if (c.head_dim > 512 || c.rotaryDim() % 2 != 0) {
        return refuse("head_dim over 512 or odd rotary dims");
    }
    std::map<std::string, std::shared_ptr<torch::nn::Module>> mods;
    for (const auto& item : model.named_modules("", /*include_self=*/false)) {
        mods.emplace(item.key(), item.value());
    }
    std::unique_ptr<FastDecoder> fd(new FastDecoder());
    fd->m_config = c;
    fd->m_embed = find<EmbeddingImpl>(mods, "model.embed_tokens");
    fd->m_finalNorm = find<NormImpl>(mods, "model.norm");
    fd->m_lmHead = find<LinearImpl>(mods, "lm_head");
    if (!fd->m_embed || !fd->m_finalNorm || (!c.tie_word_embeddings && !fd->m_lmHead)) {
        return refuse("unexpected module layout");
    }
    for (std::int64_t i = 0; i < c.num_hidden_layers; ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        Layer l;
        l.q = find<LinearImpl>(mods, p + "self_attn.q_proj");
        l.k = find<LinearImpl>(mods, p + "self_attn.k_proj");
        l.v = find<LinearImpl>(mods, p + "self_attn.v_proj");
        l.qkv = find<LinearImpl>(mods, p + "self_attn.qkv_proj");
        l.o = find<LinearImpl>(mods, p + "self_attn.o_proj");
        l.gate = find<LinearImpl>(mods, p + "mlp.gate_proj");
        l.up = find<LinearImpl>(mods, p + "mlp.up_proj");
        l.gateUp = find<LinearImpl>(mods, p + "mlp.gate_up_proj");
        l.down = find<LinearImpl>(mods, p + "mlp.down_proj");
        l.inputNorm = find<NormImpl>(mods, p + "input_layernorm");
        l.postAttnNorm = find<NormImpl>(mods, p + "post_attention_layernorm");
        l.qNorm = find<NormImpl>(mods, p + "self_attn.q_norm");
        l.kNorm = find<NormImpl>(mods, p + "self_attn.k_norm");
        const bool attnOk = l.qkv || (l.q && l.k && l.v);
        const bool mlpOk = l.gateUp || (l.gate && l.up);
        if (!attnOk || !mlpOk || !l.o || !l.down || !l.inputNorm || !l.postAttnNorm ||
            (f.qkNorm == QkNorm::PerHead && (!l.qNorm || !l.kNorm))) {
            return refuse("unexpected module layout");
        }
        for (const auto& lin : {l.q, l.k, l.v, l.qkv, l.o, l.gate, l.up, l.gateUp, l.down}) {
            if (lin) {
                fd->m_linears.push_back(lin.get());
            }
        }
        for (const auto& n : {l.inputNorm, l.postAttnNorm, l.qNorm, l.kNorm}) {
            if (n) {
                fd->m_norms.push_back(n.get());
            }
        }
        fd->m_layers.push_back(std::move(l));
    }
    fd->m_norms.push_back(fd->m_finalNorm.get());
    if (fd->m_lmHead) {
        fd->m_linears.push_back(fd->m_lmHead.get());
    }
    return fd;
}

bool FastDecoder::accepts(const at::Tensor& ids, const ForwardOptions& o, bool training) const
{
    if (training || at::GradMode::is_enabled() || o.cache == nullptr || o.attentionMask.defined() ||
        o.hiddenStates != nullptr || ids.dim() != 2 || ids.size(0) != 1 || ids.size(1) != 1 ||
        o.cache->length() == 0 || !kernels::hasAvx512Bf16()) {
        return false;
    }
    const at::Tensor& e = m_embed->weight;
    if (!e.device().is_cpu() || e.scalar_type() != at::kBFloat16 || m_embed->outputDtype) {
        return false;
    }
    for (const NormImpl* n : m_norms) {
        if (n->weight.scalar_type() != at::kBFloat16) {
            return false;
        }
    }
    for (const LinearImpl* lin : m_linears) {
        if (lin->hasLora() || lin->isQuantized() || lin->weight.scalar_type() != at::kBFloat16 || !lin->weight.is_contiguous() ||
            (lin->bias.defined() && lin->bias.scalar_type() != at::kBFloat16)) {
            return false;
        }
    }
    return true;
}

at::Tensor FastDecoder::step(const at::Tensor& ids, infer::KvCache& cache, const at::Tensor& cosT, const at::Tensor& sinT)
{
    const ModelConfig& c = m_config;
    const Features& f = c.features;
    const std::int64_t C = c.hidden_size, H = c.num_attention_heads, Hkv = c.num_key_value_heads, D = c.head_dim;
    const std::int64_t I = c.intermediate_size, R = c.rotaryDim();
    const double eps = c.rms_norm_eps;
    const float scale = static_cast<float>(f.attentionScale ? *f.attentionScale : 1.0 / std::sqrt(static_cast<double>(D)));
    const u16* cos = data(cosT);
    const u16* sin = data(sinT);

    // Buffers of one step: h (C), xn (C), qkv (H D + 2 Hkv D), attn (H D), act (I), tmp (C).
    std::vector<u16> h(C), xn(C), qkv((H + 2 * Hkv) * D), attn(H * D), act(2 * I), tmp(C);
    const std::int64_t token = ids.data_ptr<std::int64_t>()[0];
    TORCH_CHECK(token >= 0 && token < m_embed->weight.size(0), "token id ", token, " outside the vocabulary");
    std::memcpy(h.data(), data(m_embed->weight) + token * C, static_cast<std::size_t>(C) * sizeof(u16));
    if (f.embeddingScaleInDtype) {
        const float s = f32(floatToBf16(static_cast<float>(f.embeddingScale)));
        for (auto& v : h) {
            v = floatToBf16(f32(v) * s);
        }
    } else if (f.embeddingScale != 1.0) {
        for (auto& v : h) {
            v = floatToBf16(f32(v) * static_cast<float>(f.embeddingScale));
        }
    }

    const int threads = at::get_num_threads();
    std::vector<float> scratch;
    for (std::size_t li = 0; li < m_layers.size(); ++li) {
        const Layer& L = m_layers[li];
        // Attention: xn = norm(h); q, k, v = projections in one parallel pass over their rows.
        rmsNorm(h.data(), *L.inputNorm, f, eps, C, xn.data());
        u16* q = qkv.data();
        u16* k = q + H * D;
        u16* v = k + Hkv * D;
        if (L.qkv) {
            gemv(*L.qkv, xn.data(), q);
        } else {
            const std::int64_t nq = H * D, nk = Hkv * D;
            at::parallel_for(0, nq + 2 * nk, kGrain, [&](std::int64_t b, std::int64_t e) {
                if (b < nq) {
                    gemvRows(*L.q, xn.data(), q, b, std::min(e, nq));
                }
                if (e > nq && b < nq + nk) {
                    gemvRows(*L.k, xn.data(), k, std::max(b, nq) - nq, std::min(e, nq + nk) - nq);
                }
                if (e > nq + nk) {
                    gemvRows(*L.v, xn.data(), v, std::max(b, nq + nk) - nq - nk, e - nq - nk);
                }
            });
        }
        if (f.qkNorm == QkNorm::PerHead) {
            for (std::int64_t hh = 0; hh < H; ++hh) {
                rmsNorm(q + hh * D, *L.qNorm, f, eps, D, q + hh * D);
            }
            for (std::int64_t hh = 0; hh < Hkv; ++hh) {
                rmsNorm(k + hh * D, *L.kNorm, f, eps, D, k + hh * D);
            }
        }
        rope(q, H, D, cos, sin, R);
        rope(k, Hkv, D, cos, sin, R);
        const auto kv = cache.appendOne(li, k, v, Hkv, D, at::kBFloat16);
        scratch.resize(static_cast<std::size_t>(kv.count) * static_cast<std::size_t>(threads + 1));
        kernels::AttendArgs a;
        a.q = q;
        a.k = static_cast<const u16*>(kv.k);
        a.v = static_cast<const u16*>(kv.v);
        a.out = attn.data();
        a.heads = H;
        a.kvHeads = Hkv;
        a.headDim = D;
        a.capacity = kv.capacity;
        a.count = kv.count;
        a.scale = scale;
        at::parallel_for(0, H, 1, [&](std::int64_t b, std::int64_t e) {
            kernels::AttendArgs mine = a;
            mine.scratch = scratch.data() + static_cast<std::size_t>(at::get_thread_num()) * static_cast<std::size_t>(kv.count);
            kernels::attendOneBf16(mine, b, e);
        });
        gemv(*L.o, attn.data(), tmp.data());
        addResidual(h.data(), tmp.data(), C, f.residualMultiplier);

        // MLP: act = bf16(bf16(act(gate)) * up) computed per row chunk right after its gate and up rows.
        rmsNorm(h.data(), *L.postAttnNorm, f, eps, C, xn.data());
        u16* g = act.data();
        u16* u = g + I;
        at::parallel_for(0, I, kGrain, [&](std::int64_t b, std::int64_t e) {
            if (L.gateUp) {
                gemvRows(*L.gateUp, xn.data(), g, b, e);
                gemvRows(*L.gateUp, xn.data(), g, I + b, I + e); // rows I.. are `up`, written to u = g + I
            } else {
                gemvRows(*L.gate, xn.data(), g, b, e);
                gemvRows(*L.up, xn.data(), u, b, e);
            }
            for (std::int64_t i = b; i < e; ++i) {
                const float gv = f32(floatToBf16(activate(f32(g[i]), f.act)));
                g[i] = floatToBf16(gv * f32(u[i]));
            }
        });
        gemv(*L.down, g, tmp.data());
        addResidual(h.data(), tmp.data(), C, f.residualMultiplier);
    }
    cache.advance(1);

    rmsNorm(h.data(), *m_finalNorm, f, eps, C, xn.data());
    const std::int64_t V = c.vocab_size;
    at::Tensor logits = at::empty({1, 1, V}, at::TensorOptions().dtype(at::kBFloat16));
    u16* out = static_cast<u16*>(logits.data_ptr());
    if (m_lmHead) {
        gemv(*m_lmHead, xn.data(), out);
    } else {
        const u16* w = data(m_embed->weight);
        at::parallel_for(0, V, 256, [&](std::int64_t b, std::int64_t e) {
            kernels::GemvOut o;
            o.yBf16 = out;
            kernels::gemvBf16Rows(w, xn.data(), o, b, e, C);
        });
    }
    return logits;
}

} // namespace td::models
