// SPDX-License-Identifier: Apache-2.0
// Registry sweep (llama.cpp test-llama-archs / mlx-lm model_test_runner): every registered architecture with
// a tiny random config: output shape, fp32 and bf16, KV-cache decoding equal to full recomputation, a
// left-padded batch, save → reload bit-identical. Plus checks derived from the HF modeling files for the
// architectures without a fixture: qwen3's q/k norm (hand-computed), granite's multipliers, olmo2's norms.
#include <cmath>

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "core/infer/kv_cache.h"
#include "core/models/loader.h"
#include "core/models/model_registry.h"
#include "core/models/rope.h"
#include "core/models/tiny_model.h"
#include "core/models/transformer.h"
#include "test_util.h"

namespace
{

namespace fs = std::filesystem;
using td::models::CausalLM;
using td::models::ForwardOptions;

std::shared_ptr<CausalLM> tiny(const std::string& type, std::uint64_t seed = 7)
{
    auto cfg = td::models::tinyConfigJson(type, {});
    EXPECT_TRUE(cfg);
    auto m = td::models::makeRandomModel(*cfg, seed);
    EXPECT_TRUE(m) << (m ? "" : m.error().toString());
    return m ? *m : nullptr;
}

at::Tensor randomIds(std::int64_t b, std::int64_t t, std::int64_t vocab, std::uint64_t seed)
{
    at::manual_seed(seed);
    return at::randint(3, vocab, {b, t}, at::kLong);
}

class ArchTest : public ::testing::TestWithParam<std::string>
{
};

TEST_P(ArchTest, ShapeDtypeAndCache)
{
    auto model = tiny(GetParam());
    ASSERT_TRUE(model);
    at::NoGradGuard ng;
    const auto vocab = model->config().vocab_size;
    at::Tensor ids = randomIds(2, 20, vocab, 1); // longer than the sliding window (8)
    at::Tensor full = model->forward(ids);
    EXPECT_EQ(full.sizes(), (at::IntArrayRef{2, 20, vocab}));
    EXPECT_TRUE(full.isfinite().all().item<bool>());

    // Prefill 12 tokens, then decode one at a time: every step's logits equal the full forward's.
    auto cache = model->makeCache();
    ForwardOptions fo;
    fo.cache = &cache;
    at::Tensor pre = model->forward(ids.narrow(1, 0, 12), fo);
    EXPECT_TRUE(td::test::allClose(pre, full.narrow(1, 0, 12), 1e-5, 1e-5));
    for (std::int64_t t = 12; t < 20; ++t) {
        at::Tensor step = model->forward(ids.narrow(1, t, 1), fo);
        EXPECT_TRUE(td::test::allClose(step, full.narrow(1, t, 1), 1e-5, 1e-5)) << "position " << t;
    }
    // A chunk larger than the free ring (sliding layers): prefill 4, then 16 at once.
    auto cache2 = model->makeCache();
    fo.cache = &cache2;
    model->forward(ids.narrow(1, 0, 4), fo);
    EXPECT_TRUE(td::test::allClose(model->forward(ids.narrow(1, 4, 16), fo), full.narrow(1, 4, 16), 1e-5, 1e-5));

    // bf16 weights: same module tree, finite logits close to fp32.
    auto bf = std::make_shared<CausalLM>(model->config(), at::TensorOptions().dtype(at::kBFloat16));
    {
        auto src = model->named_parameters();
        for (auto& p : bf->named_parameters()) {
            p.value().copy_(src[p.key()]);
        }
    }
    at::Tensor lowp = bf->forward(ids);
    EXPECT_EQ(lowp.scalar_type(), at::kBFloat16);
    EXPECT_TRUE(lowp.isfinite().all().item<bool>());
    EXPECT_LT((lowp.to(at::kFloat) - full).abs().max().item<double>(), 0.25 * full.abs().max().item<double>() + 0.05);
}

TEST_P(ArchTest, SaveReloadIsBitIdentical)
{
    const std::string type = GetParam();
    auto cfg = td::models::tinyConfigJson(type, {});
    ASSERT_TRUE(cfg);
    const fs::path dir = fs::path(std::getenv("TD_BINARY_DIR") ? std::getenv("TD_BINARY_DIR") : "/tmp") / "test-home" /
                         "archs" / type;
    fs::remove_all(dir);
    ASSERT_TRUE(td::models::writeTinyModel(dir, *cfg, 11, "fp32"));
    td::models::LoadOptions o;
    o.dtype = "fp32";
    o.device = "cpu";
    auto loaded = td::models::loadModel(dir, o);
    ASSERT_TRUE(loaded) << loaded.error().toString();
    EXPECT_EQ(loaded->info.modelType, type);
    auto fresh = td::models::makeRandomModel(*cfg, 11);
    ASSERT_TRUE(fresh);
    at::NoGradGuard ng;
    at::Tensor ids = randomIds(1, 10, loaded->config.vocab_size, 3);
    EXPECT_TRUE(at::equal(loaded->model->forward(ids), (*fresh)->forward(ids)));
    EXPECT_EQ(loaded->info.parameters, (*fresh)->parameterCount());
}

TEST_P(ArchTest, LeftPaddingMatchesUnpadded)
{
    auto model = tiny(GetParam());
    ASSERT_TRUE(model);
    at::NoGradGuard ng;
    at::Tensor ids = randomIds(1, 6, model->config().vocab_size, 5);
    at::Tensor ref = model->forward(ids);
    at::Tensor padded = at::cat({at::zeros({1, 3}, at::kLong), ids}, 1);
    ForwardOptions fo;
    fo.attentionMask = at::cat({at::zeros({1, 3}, at::kLong), at::ones({1, 6}, at::kLong)}, 1);
    at::Tensor got = model->forward(padded, fo).narrow(1, 3, 6);
    EXPECT_TRUE(td::test::allClose(got, ref, 1e-5, 1e-5));
}

std::vector<std::string> allTypes()
{
    std::vector<std::string> out;
    for (const auto& a : td::models::architectures()) {
        out.emplace_back(a.modelType);
    }
    return out;
}

INSTANTIATE_TEST_SUITE_P(Registry, ArchTest, ::testing::ValuesIn(allTypes()),
                         [](const auto& info) { return info.param; });

// Plain-torch re-derivation of a 1-layer Qwen3 from modeling_qwen3.py: RMSNorm over head_dim on each q/k head
// after the head split and before RoPE.
TEST(Qwen3, QkNormMatchesHandComputation)
{
    td::models::TinyShape s;
    s.layers = 1;
    auto cfg = td::models::tinyConfigJson("qwen3", s);
    auto m = td::models::makeRandomModel(*cfg, 21);
    ASSERT_TRUE(m);
    auto& model = **m;
    at::NoGradGuard ng;
    auto P = model.named_parameters();
    // Give q_norm/k_norm non-trivial weights so the check sees them.
    P["model.layers.0.self_attn.q_norm.weight"].copy_(1 + 0.3 * at::randn({16}));
    P["model.layers.0.self_attn.k_norm.weight"].copy_(1 + 0.3 * at::randn({16}));
    const double eps = 1e-6;
    auto rms = [&](const at::Tensor& x, const at::Tensor& w) { return w * (x * at::rsqrt(x.pow(2).mean(-1, true) + eps)); };
    auto rotate = [](const at::Tensor& x) { return at::cat({-x.narrow(-1, 8, 8), x.narrow(-1, 0, 8)}, -1); };
    const std::int64_t T = 7;
    at::Tensor ids = randomIds(1, T, 320, 9);
    at::Tensor x = at::embedding(P["model.embed_tokens.weight"], ids); // (1, T, 64)
    at::Tensor h = rms(x, P["model.layers.0.input_layernorm.weight"]);
    auto lin = [&](const std::string& n, const at::Tensor& in) { return at::linear(in, P["model.layers.0." + n + ".weight"]); };
    at::Tensor q = rms(lin("self_attn.q_proj", h).view({1, T, 4, 16}), P["model.layers.0.self_attn.q_norm.weight"]).transpose(1, 2);
    at::Tensor k = rms(lin("self_attn.k_proj", h).view({1, T, 2, 16}), P["model.layers.0.self_attn.k_norm.weight"]).transpose(1, 2);
    at::Tensor v = lin("self_attn.v_proj", h).view({1, T, 2, 16}).transpose(1, 2);
    at::Tensor inv = 1.0 / at::pow(10000.0, at::arange(0, 16, 2).to(at::kFloat) / 16.0);
    at::Tensor fr = at::arange(T).to(at::kFloat).unsqueeze(1) * inv;
    at::Tensor emb = at::cat({fr, fr}, -1);
    q = q * emb.cos() + rotate(q) * emb.sin();
    k = k * emb.cos() + rotate(k) * emb.sin();
    k = k.repeat_interleave(2, 1);
    v = v.repeat_interleave(2, 1);
    at::Tensor sc = at::matmul(q, k.transpose(2, 3)) / 4.0;
    sc = sc.masked_fill(at::ones({T, T}, at::kBool).triu(1), -INFINITY);
    at::Tensor a = at::matmul(sc.softmax(-1), v).transpose(1, 2).reshape({1, T, 64});
    at::Tensor r = x + lin("self_attn.o_proj", a);
    at::Tensor g = rms(r, P["model.layers.0.post_attention_layernorm.weight"]);
    r = r + lin("mlp.down_proj", at::silu(lin("mlp.gate_proj", g)) * lin("mlp.up_proj", g));
    at::Tensor logits = at::linear(rms(r, P["model.norm.weight"]), P["lm_head.weight"]);
    EXPECT_TRUE(td::test::allClose(model.forward(ids), logits, 1e-5, 1e-5));
    // And the norms matter: dropping q_norm's weight changes the result.
    P["model.layers.0.self_attn.q_norm.weight"].fill_(1.0);
    EXPECT_FALSE(at::allclose(model.forward(ids), logits, 1e-5, 1e-5));
}

// Granite with neutral multipliers is Llama; logits_scaling divides the logits (modeling_granite.py).
TEST(Granite, MultipliersReduceToLlama)
{
    auto cfg = *td::models::tinyConfigJson("granite", {});
    cfg["embedding_multiplier"] = 1.0;
    cfg["residual_multiplier"] = 1.0;
    cfg["attention_multiplier"] = 0.25; // head_dim^-0.5 for head_dim 16
    cfg["logits_scaling"] = 1.0;
    auto granite = *td::models::makeRandomModel(cfg, 5);
    auto llamaCfg = cfg;
    llamaCfg["model_type"] = "llama";
    auto llama = *td::models::makeRandomModel(llamaCfg, 5);
    at::NoGradGuard ng;
    at::Tensor ids = randomIds(1, 9, 320, 2);
    at::Tensor ref = llama->forward(ids);
    EXPECT_TRUE(td::test::allClose(granite->forward(ids), ref, 1e-6, 1e-6));
    cfg["logits_scaling"] = 4.0;
    auto scaled = *td::models::makeRandomModel(cfg, 5);
    EXPECT_TRUE(td::test::allClose(scaled->forward(ids), ref / 4.0, 1e-6, 1e-6));
}

// OLMo 2 has no input_layernorm; q/k norms span all heads; post norms exist.
TEST(Olmo2, ParameterNamesFollowHf)
{
    auto model = tiny("olmo2");
    auto names = model->named_parameters();
    EXPECT_TRUE(names.contains("model.layers.0.self_attn.q_norm.weight"));
    EXPECT_EQ(names["model.layers.0.self_attn.q_norm.weight"].size(0), 64);
    EXPECT_EQ(names["model.layers.0.self_attn.k_norm.weight"].size(0), 32);
    EXPECT_TRUE(names.contains("model.layers.0.post_feedforward_layernorm.weight"));
    EXPECT_FALSE(names.contains("model.layers.0.input_layernorm.weight"));
    auto sc = tiny("starcoder2");
    auto scNames = sc->named_parameters();
    EXPECT_TRUE(scNames.contains("model.layers.0.mlp.c_fc.bias"));
    EXPECT_TRUE(scNames.contains("model.norm.bias"));
    EXPECT_TRUE(scNames.contains("model.layers.0.self_attn.o_proj.bias"));
}

// Inverse frequencies per rope type, values computed by hand from modeling_rope_utils.py's formulas.
TEST(Rope, ScalingTypes)
{
    td::models::TinyShape s;
    s.hidden = 32; // head_dim 8: 4 frequencies
    auto base = *td::models::tinyConfigJson("llama", s);
    auto inv = [&](nlohmann::json scaling, std::int64_t seqLen, double* attn = nullptr) {
        auto j = base;
        j["rope_scaling"] = scaling;
        auto c = td::models::parseModelConfig(j);
        EXPECT_TRUE(c) << (c ? "" : c.error().toString());
        td::models::RotaryEmbedding rope(*c);
        if (attn) {
            *attn = rope.attentionScaling();
        }
        return rope.invFreq(seqLen);
    };
    at::Tensor plain = at::tensor({1.0, 0.1, 0.01, 0.001}, at::kFloat);
    EXPECT_TRUE(at::allclose(inv(nullptr, 10), plain, 1e-6, 1e-6));
    EXPECT_TRUE(at::allclose(inv({{"rope_type", "linear"}, {"factor", 2.0}}, 10), plain / 2, 1e-6, 1e-6));
    // dynamic NTK (max_position_embeddings 256, factor 2): unchanged up to 256, rescaled base beyond.
    nlohmann::json dyn = {{"type", "dynamic"}, {"factor", 2.0}};
    EXPECT_TRUE(at::allclose(inv(dyn, 200), plain, 1e-6, 1e-6));
    EXPECT_TRUE(at::allclose(inv(dyn, 512), at::tensor({1.0, 0.06933612743506347, 0.004807498567691361, 0.0003333333333333334}, at::kFloat), 1e-5, 1e-5));
    // yarn (factor 4, original 64, beta 32/1): ramp over dims [0, 2]; attention factor 0.1 ln 4 + 1.
    double attn = 0;
    at::Tensor y = inv({{"rope_type", "yarn"}, {"factor", 4.0}, {"original_max_position_embeddings", 64}}, 10, &attn);
    EXPECT_TRUE(at::allclose(y, at::tensor({1.0, 0.0625, 0.0025, 0.00025}, at::kFloat), 1e-6, 1e-6)) << y;
    EXPECT_NEAR(attn, 1.138629436111989, 1e-9);
}

} // namespace
