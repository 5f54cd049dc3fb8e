// SPDX-License-Identifier: Apache-2.0
// The generic decoder (see transformer.h). Attention mirrors HF's eager path: scores = (q k^T) * scale,
// optional soft-cap, mask (finfo.min where blocked), softmax in float32, cast back, @ v. GQA is computed
// without repeating K/V: the n_rep query heads that share a KV head are stacked along the query axis.
#include "core/models/transformer.h"

#include <limits>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "core/infer/kv_cache.h"
#include "core/models/activation_checkpoint.h"
#include "core/models/fast_decode.h"
#include "core/models/layers.h"
#include "core/models/rope.h"

namespace td::models
{

namespace
{

/// What every layer of one forward pass shares.
struct Context
{
    at::Tensor cos, sin;                 ///< (B, T, R)
    std::int64_t start = 0;              ///< sequence index of the first new token
    std::int64_t t = 0;
    at::Tensor padMask;                  ///< (B, start + T) bool, undefined = no padding
    infer::KvCache* cache = nullptr;
    std::vector<std::int64_t> selfSeq;   ///< keys = the new tokens (no cache)
    std::map<std::int64_t, at::Tensor> masks; ///< window → blocked (B|1, 1, 1, T, S) bool
};

// Blocked positions for queries start..start+T-1 against keys with sequence indices `seq`; undefined when
// nothing is blocked (one new token, no padding: the cache holds only visible keys).
const at::Tensor& blockedMask(Context& ctx, const std::vector<std::int64_t>& seq, std::int64_t window,
                              const c10::Device& device)
{
    static const at::Tensor kNone;
    if (ctx.t == 1 && !ctx.padMask.defined()) {
        return kNone;
    }
    auto found = ctx.masks.find(window);
    if (found != ctx.masks.end()) {
        return found->second;
    }
    const auto s = static_cast<std::int64_t>(seq.size());
    at::Tensor keys = at::tensor(at::ArrayRef<std::int64_t>(seq), at::kLong).unsqueeze(0); // (1, S)
    at::Tensor q = at::arange(ctx.start, ctx.start + ctx.t, at::kLong).unsqueeze(1);      // (T, 1)
    at::Tensor allowed = keys <= q;
    if (window > 0) {
        allowed = allowed.logical_and(keys > q - window);
    }
    allowed = allowed.view({1, 1, 1, ctx.t, s}).to(device);
    if (ctx.padMask.defined()) {
        at::Tensor pad = ctx.padMask.index_select(1, keys.squeeze(0).to(device)); // (B, S)
        allowed = allowed.logical_and(pad.view({pad.size(0), 1, 1, 1, s}));
    }
    return ctx.masks.emplace(window, allowed.logical_not()).first->second;
}

at::Tensor activate(const at::Tensor& x, Activation act)
{
    switch (act) {
    case Activation::Silu:
        return at::silu(x);
    case Activation::GeluTanh:
        return at::gelu(x, "tanh");
    case Activation::Gelu:
        return at::gelu(x);
    }
    return x;
}

} // namespace

class AttentionImpl : public torch::nn::Module
{
public:
    AttentionImpl(const ModelConfig& c, std::size_t layer, const at::TensorOptions& o)
        : m_layer(layer), m_heads(c.num_attention_heads), m_kvHeads(c.num_key_value_heads), m_headDim(c.head_dim),
          m_window(c.features.layerWindow[layer]), m_softcap(c.features.attnSoftcap)
    {
        const auto& f = c.features;
        const auto qDim = m_heads * m_headDim;
        const auto kvDim = m_kvHeads * m_headDim;
        m_scale = f.attentionScale ? *f.attentionScale : 1.0 / std::sqrt(static_cast<double>(m_headDim));
        if (f.fusedQkv) {
            m_qkv = register_module("qkv_proj", std::make_shared<LinearImpl>(c.hidden_size, qDim + 2 * kvDim, f.qkvBias, o));
        } else {
            m_q = register_module("q_proj", std::make_shared<LinearImpl>(c.hidden_size, qDim, f.qkvBias, o));
            m_k = register_module("k_proj", std::make_shared<LinearImpl>(c.hidden_size, kvDim, f.qkvBias, o));
            m_v = register_module("v_proj", std::make_shared<LinearImpl>(c.hidden_size, kvDim, f.qkvBias, o));
        }
        m_o = register_module("o_proj", std::make_shared<LinearImpl>(qDim, c.hidden_size, f.oBias, o));
        m_qkNorm = f.qkNorm;
        if (f.qkNorm != QkNorm::None) {
            const bool perHead = f.qkNorm == QkNorm::PerHead;
            m_qNorm = register_module("q_norm", std::make_shared<NormImpl>(perHead ? m_headDim : qDim, c.rms_norm_eps, f, o));
            m_kNorm = register_module("k_norm", std::make_shared<NormImpl>(perHead ? m_headDim : kvDim, c.rms_norm_eps, f, o));
        }
    }

    // x: (B, T, C) → (B, T, C)
    at::Tensor forward(const at::Tensor& x, Context& ctx)
    {
        const auto b = x.size(0);
        const auto t = x.size(1);
        const auto d = m_headDim;
        at::Tensor q, k, v;
        if (m_qkv) {
            at::Tensor qkv = m_qkv->forward(x); // (B, T, (H + 2 Hkv) D)
            q = qkv.narrow(-1, 0, m_heads * d);
            k = qkv.narrow(-1, m_heads * d, m_kvHeads * d);
            v = qkv.narrow(-1, (m_heads + m_kvHeads) * d, m_kvHeads * d);
        } else {
            q = m_q->forward(x);
            k = m_k->forward(x);
            v = m_v->forward(x);
        }
        if (m_qkNorm == QkNorm::Full) {
            q = m_qNorm->forward(q);
            k = m_kNorm->forward(k);
        }
        q = q.reshape({b, t, m_heads, d});
        k = k.reshape({b, t, m_kvHeads, d});
        v = v.reshape({b, t, m_kvHeads, d});
        if (m_qkNorm == QkNorm::PerHead) {
            q = m_qNorm->forward(q);
            k = m_kNorm->forward(k);
        }
        q = applyRotary(q.transpose(1, 2), ctx.cos, ctx.sin); // (B, H, T, D)
        k = applyRotary(k.transpose(1, 2), ctx.cos, ctx.sin); // (B, Hkv, T, D)
        v = v.transpose(1, 2);
        const std::vector<std::int64_t>* seq = &ctx.selfSeq;
        if (ctx.cache != nullptr) {
            auto view = ctx.cache->update(m_layer, k, v);
            k = view.k;
            v = view.v;
            seq = view.seq;
        }
        const auto s = k.size(2);
        const auto rep = m_heads / m_kvHeads;
        // Query heads h = kv * rep + r share KV head kv: (B, Hkv, rep*T, D) @ (B, Hkv, D, S).
        at::Tensor scores = at::matmul(q.contiguous().view({b, m_kvHeads, rep * t, d}), k.transpose(2, 3)) * m_scale;
        if (m_softcap > 0) {
            scores = at::tanh(scores / m_softcap) * m_softcap;
        }
        const at::Tensor& blocked = blockedMask(ctx, *seq, m_window, x.device());
        if (blocked.defined()) {
            const double lowest = scores.scalar_type() == at::kFloat ? std::numeric_limits<float>::lowest()
                                  : scores.scalar_type() == at::kDouble ? std::numeric_limits<double>::lowest()
                                  : scores.scalar_type() == at::kHalf   ? -65504.0
                                                                        : -3.3895313892515355e38; // bf16
            scores = scores.view({b, m_kvHeads, rep, t, s}).masked_fill(blocked, lowest).view({b, m_kvHeads, rep * t, s});
        }
        at::Tensor probs = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
        at::Tensor out = at::matmul(probs, v);                                   // (B, Hkv, rep*T, D)
        out = out.view({b, m_heads, t, d}).transpose(1, 2).reshape({b, t, m_heads * d});
        return m_o->forward(out);
    }

private:
    std::size_t m_layer;
    std::int64_t m_heads, m_kvHeads, m_headDim, m_window;
    double m_softcap, m_scale = 1.0;
    QkNorm m_qkNorm = QkNorm::None;
    std::shared_ptr<LinearImpl> m_q, m_k, m_v, m_qkv, m_o;
    std::shared_ptr<NormImpl> m_qNorm, m_kNorm;
};

class MlpImpl : public torch::nn::Module
{
public:
    MlpImpl(const ModelConfig& c, const at::TensorOptions& o) : m_kind(c.features.mlp), m_act(c.features.act)
    {
        const auto h = c.hidden_size;
        const auto i = c.intermediate_size;
        const bool bias = c.features.mlpBias;
        switch (m_kind) {
        case MlpKind::Gated:
            m_gate = register_module("gate_proj", std::make_shared<LinearImpl>(h, i, bias, o));
            m_up = register_module("up_proj", std::make_shared<LinearImpl>(h, i, bias, o));
            m_down = register_module("down_proj", std::make_shared<LinearImpl>(i, h, bias, o));
            break;
        case MlpKind::GatedFused:
            m_gate = register_module("gate_up_proj", std::make_shared<LinearImpl>(h, 2 * i, bias, o));
            m_down = register_module("down_proj", std::make_shared<LinearImpl>(i, h, bias, o));
            break;
        case MlpKind::Plain:
            m_up = register_module("c_fc", std::make_shared<LinearImpl>(h, i, bias, o));
            m_down = register_module("c_proj", std::make_shared<LinearImpl>(i, h, bias, o));
            break;
        }
    }

    // x: (B, T, C) → (B, T, C)
    at::Tensor forward(const at::Tensor& x)
    {
        switch (m_kind) {
        case MlpKind::Gated:
            return m_down->forward(activate(m_gate->forward(x), m_act) * m_up->forward(x));
        case MlpKind::GatedFused: {
            at::Tensor gu = m_gate->forward(x); // (B, T, 2I) = [gate; up]
            const auto i = gu.size(-1) / 2;
            return m_down->forward(gu.narrow(-1, i, i) * activate(gu.narrow(-1, 0, i), m_act));
        }
        case MlpKind::Plain:
            return m_down->forward(activate(m_up->forward(x), m_act));
        }
        return x;
    }

private:
    MlpKind m_kind;
    Activation m_act;
    std::shared_ptr<LinearImpl> m_gate, m_up, m_down;
};

class DecoderLayerImpl : public torch::nn::Module
{
public:
    DecoderLayerImpl(const ModelConfig& c, std::size_t layer, const at::TensorOptions& o)
        : m_block(c.features.block), m_residual(c.features.residualMultiplier)
    {
        const auto& f = c.features;
        const auto h = c.hidden_size;
        const double eps = c.rms_norm_eps;
        m_attn = register_module("self_attn", std::make_shared<AttentionImpl>(c, layer, o));
        m_mlp = register_module("mlp", std::make_shared<MlpImpl>(c, o));
        if (m_block != BlockKind::PostNorm) {
            m_inputNorm = register_module("input_layernorm", std::make_shared<NormImpl>(h, eps, f, o));
        }
        m_postAttnNorm = register_module("post_attention_layernorm", std::make_shared<NormImpl>(h, eps, f, o));
        if (m_block == BlockKind::Sandwich) {
            m_preFfNorm = register_module("pre_feedforward_layernorm", std::make_shared<NormImpl>(h, eps, f, o));
        }
        if (m_block != BlockKind::PreNorm) {
            m_postFfNorm = register_module("post_feedforward_layernorm", std::make_shared<NormImpl>(h, eps, f, o));
        }
    }

    // x: (B, T, C) → (B, T, C)
    at::Tensor forward(const at::Tensor& x, Context& ctx)
    {
        switch (m_block) {
        case BlockKind::PreNorm: {
            at::Tensor h = x + scaled(m_attn->forward(m_inputNorm->forward(x), ctx));
            return h + scaled(m_mlp->forward(m_postAttnNorm->forward(h)));
        }
        case BlockKind::Sandwich: {
            at::Tensor h = x + m_postAttnNorm->forward(m_attn->forward(m_inputNorm->forward(x), ctx));
            return h + m_postFfNorm->forward(m_mlp->forward(m_preFfNorm->forward(h)));
        }
        case BlockKind::PostNorm: {
            at::Tensor h = x + m_postAttnNorm->forward(m_attn->forward(x, ctx));
            return h + m_postFfNorm->forward(m_mlp->forward(h));
        }
        }
        return x;
    }

private:
    at::Tensor scaled(const at::Tensor& y) const { return m_residual == 1.0 ? y : y * m_residual; }

    BlockKind m_block;
    double m_residual;
    std::shared_ptr<AttentionImpl> m_attn;
    std::shared_ptr<MlpImpl> m_mlp;
    std::shared_ptr<NormImpl> m_inputNorm, m_postAttnNorm, m_preFfNorm, m_postFfNorm;
};

class DecoderModelImpl : public torch::nn::Module
{
public:
    DecoderModelImpl(const ModelConfig& c, const at::TensorOptions& o) : m_config(c), m_rope(c)
    {
        m_embed = register_module("embed_tokens", std::make_shared<EmbeddingImpl>(c.vocab_size, c.hidden_size, o));
        auto list = register_module("layers", std::make_shared<torch::nn::Module>());
        for (std::int64_t i = 0; i < c.num_hidden_layers; ++i) {
            m_layers.push_back(list->register_module(
                std::to_string(i), std::make_shared<DecoderLayerImpl>(c, static_cast<std::size_t>(i), o)));
        }
        m_norm = register_module("norm", std::make_shared<NormImpl>(c.hidden_size, c.rms_norm_eps, c.features, o));
    }

    // ids: (B, T) → final-norm hidden states (B, T, C)
    at::Tensor forward(const at::Tensor& ids, const ForwardOptions& opt)
    {
        const auto b = ids.size(0);
        const auto t = ids.size(1);
        Context ctx;
        ctx.t = t;
        ctx.cache = opt.cache;
        ctx.start = opt.cache ? opt.cache->length() : 0;
        at::Tensor positions;
        if (opt.attentionMask.defined()) {
            TORCH_CHECK(opt.attentionMask.size(1) == ctx.start + t, "attention mask covers ",
                        opt.attentionMask.size(1), " tokens, expected ", ctx.start + t);
            ctx.padMask = opt.attentionMask.to(ids.device()).to(at::kBool);
            at::Tensor m = ctx.padMask.to(at::kLong);
            positions = (m.cumsum(-1) - 1).masked_fill(m == 0, 1).narrow(1, ctx.start, t);
        } else {
            positions = at::arange(ctx.start, ctx.start + t, ids.options().dtype(at::kLong)).unsqueeze(0).expand({b, t});
        }
        if (!opt.cache) {
            for (std::int64_t i = 0; i < t; ++i) {
                ctx.selfSeq.push_back(i);
            }
        }
        at::Tensor h = m_embed->forward(ids);
        if (opt.neftuneAlpha > 0 && is_training()) {
            const double mag = opt.neftuneAlpha / std::sqrt(static_cast<double>(t * h.size(2)));
            h = h + at::empty_like(h).uniform_(-mag, mag);
        }
        std::tie(ctx.cos, ctx.sin) = m_rope.cosSin(positions, h.scalar_type());
        const auto& f = m_config.features;
        if (f.embeddingScaleInDtype) {
            h = h * at::scalar_tensor(f.embeddingScale, h.options());
        } else if (f.embeddingScale != 1.0) {
            h = h * f.embeddingScale;
        }
        // Checkpointed layers recompute in backward, after this function returned: they share one
        // heap copy of the context (RoPE tables, masks).
        const bool checkpoint = opt.checkpointLayers && is_training() && at::GradMode::is_enabled() && !opt.cache;
        std::shared_ptr<Context> shared;
        if (checkpoint) {
            shared = std::make_shared<Context>(std::move(ctx));
            if (!h.requires_grad()) {
                h = h.detach().requires_grad_(true); // else a checkpointed layer would not record (see checkpointed)
            }
        }
        for (std::size_t i = 0; i < m_layers.size(); ++i) {
            if (opt.hiddenStates) {
                opt.hiddenStates->push_back(h);
            }
            if (checkpoint) {
                auto layer = m_layers[i];
                h = checkpointed(h, [layer, shared](const at::Tensor& x) { return layer->forward(x, *shared); });
            } else {
                h = m_layers[i]->forward(h, ctx);
            }
        }
        if (opt.cache) {
            opt.cache->advance(t);
        }
        h = m_norm->forward(h);
        if (opt.hiddenStates) {
            opt.hiddenStates->push_back(h);
        }
        return h;
    }

    /// cos, sin (1, 1, R) in `dtype` for one position (the fast decode path).
    std::pair<at::Tensor, at::Tensor> ropeAt(std::int64_t position, c10::ScalarType dtype) const
    {
        return m_rope.cosSin(at::full({1, 1}, position, at::kLong), dtype);
    }

    std::shared_ptr<EmbeddingImpl> m_embed;

private:
    ModelConfig m_config;
    RotaryEmbedding m_rope;
    std::vector<std::shared_ptr<DecoderLayerImpl>> m_layers;
    std::shared_ptr<NormImpl> m_norm;
};

CausalLM::CausalLM(ModelConfig config, const at::TensorOptions& options) : m_config(std::move(config))
{
    m_model = register_module("model", std::make_shared<DecoderModelImpl>(m_config, options));
    if (!m_config.tie_word_embeddings) {
        m_lmHead = register_module(
            "lm_head", std::make_shared<LinearImpl>(m_config.hidden_size, m_config.vocab_size, false, options));
    }
}

bool CausalLM::hasFastDecode(std::string* whyNot)
{
    if (!m_fastBuilt) {
        m_fast = FastDecoder::build(*this, &m_fastWhyNot);
        m_fastBuilt = true;
    }
    if (whyNot) {
        *whyNot = m_fastWhyNot;
    }
    return m_fast != nullptr;
}

at::Tensor CausalLM::forward(const at::Tensor& inputIds, const ForwardOptions& options)
{
    at::Tensor logits;
    if (m_fastEnabled && options.cache && inputIds.size(1) == 1 && hasFastDecode() &&
        m_fast->accepts(inputIds, options, is_training())) {
        auto [cos, sin] = m_model->ropeAt(options.cache->length(), at::kBFloat16);
        logits = m_fast->step(inputIds.to(at::kLong).contiguous(), *options.cache, cos, sin); // (1, 1, V)
        ++m_fastSteps;
    } else {
        at::Tensor h = m_model->forward(inputIds, options); // (B, T, C)
        if (options.lastTokenOnly) {
            h = h.narrow(1, h.size(1) - 1, 1);
        }
        logits = m_lmHead ? m_lmHead->forward(h) : linearForward(h, m_model->m_embed->weight);
    }
    const auto& f = m_config.features;
    if (f.logitsDivisor != 1.0) {
        logits = logits / f.logitsDivisor;
    }
    if (f.finalSoftcap > 0) {
        logits = at::tanh(logits / f.finalSoftcap) * f.finalSoftcap;
    }
    return logits;
}

c10::ScalarType CausalLM::dtype() const
{
    return m_model->m_embed->weight.scalar_type();
}

c10::Device CausalLM::device() const
{
    return m_model->m_embed->weight.device();
}

infer::KvCache CausalLM::makeCache() const
{
    return infer::KvCache(m_config.features.layerWindow);
}

std::vector<std::pair<std::string, std::shared_ptr<LinearImpl>>> CausalLM::linears()
{
    std::vector<std::pair<std::string, std::shared_ptr<LinearImpl>>> out;
    for (const auto& item : named_modules("", /*include_self=*/false)) {
        if (auto lin = std::dynamic_pointer_cast<LinearImpl>(item.value())) {
            out.emplace_back(item.key(), lin);
        }
    }
    return out;
}

std::int64_t CausalLM::parameterCount() const
{
    std::int64_t n = 0;
    for (const auto& p : parameters()) {
        n += p.numel();
    }
    // Quantized weights are buffers, not parameters; they are still the model's parameters to the user.
    for (const auto& item : named_modules("", /*include_self=*/false)) {
        if (auto lin = std::dynamic_pointer_cast<LinearImpl>(item.value()); lin && lin->isQuantized()) {
            n += lin->inFeatures() * lin->outFeatures();
        }
    }
    return n;
}

void CausalLM::mergeLora()
{
    for (auto& [name, lin] : linears()) {
        lin->mergeLora();
    }
}

void CausalLM::initRandom(std::uint64_t seed, double std)
{
    at::NoGradGuard noGrad;
    for (auto& item : named_parameters()) {
        const std::string& name = item.key();
        at::Tensor& p = item.value();
        const bool isNorm = name.find("norm") != std::string::npos;
        if (name.size() >= 5 && name.compare(name.size() - 5, 5, ".bias") == 0) {
            p.zero_();
        } else if (isNorm) {
            p.fill_(m_config.features.normPlusOne ? 0.0 : 1.0);
        } else {
            auto gen = at::make_generator<at::CPUGeneratorImpl>(seed + std::hash<std::string>{}(name));
            p.copy_(at::normal(0.0, std, p.sizes(), gen, at::TensorOptions().dtype(at::kFloat)));
        }
    }
}

} // namespace td::models
