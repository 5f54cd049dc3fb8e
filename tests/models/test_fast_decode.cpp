// SPDX-License-Identifier: Apache-2.0
// The one-token decode fast path (core/models/fast_decode) against the eager graph it replaces: for every
// architecture that has it, bf16 weights, a prompt, then decoding past the sliding-window ring: logits agree
// within bf16 rounding of float sums and greedy generation gives the same tokens; architectures and calls it
// does not cover (gemma2, olmo2, starcoder2; LoRA attached; batch of two) take the eager path.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "core/infer/generator.h"
#include "core/infer/kv_cache.h"
#include "core/models/layers.h"
#include "core/models/model_registry.h"
#include "core/models/tiny_model.h"
#include "core/models/transformer.h"
#include "kernels/cpu/gemv_bf16.h"
#include "test_util.h"

namespace
{

using td::models::CausalLM;
using td::models::ForwardOptions;

// head_dim 32 so the AVX512 attention kernel runs (16 would take its scalar reference).
std::shared_ptr<CausalLM> tinyBf16(const std::string& type)
{
    td::models::TinyShape s;
    s.hidden = 128;
    s.heads = 4;
    s.kvHeads = 2;
    s.intermediate = 192;
    auto cfg = td::models::tinyConfigJson(type, s);
    EXPECT_TRUE(cfg);
    auto m = td::models::makeRandomModel(*cfg, 21);
    EXPECT_TRUE(m);
    auto bf = std::make_shared<CausalLM>((*m)->config(), at::TensorOptions().dtype(at::kBFloat16));
    auto src = (*m)->named_parameters();
    at::NoGradGuard ng;
    for (auto& p : bf->named_parameters()) {
        p.value().copy_(src[p.key()]);
    }
    bf->eval();
    return bf;
}

bool expectFast(const std::string& type)
{
    return type != "gemma2" && type != "olmo2" && type != "starcoder2";
}

class FastDecodeTest : public ::testing::TestWithParam<std::string>
{
};

TEST_P(FastDecodeTest, AgreesWithEagerGraph)
{
    if (!td::kernels::hasAvx512Bf16()) {
        GTEST_SKIP() << "this CPU has no AVX512-BF16: the fast path is never taken";
    }
    const std::string type = GetParam();
    auto model = tinyBf16(type);
    std::string why;
    ASSERT_EQ(model->hasFastDecode(&why), expectFast(type)) << why;
    at::InferenceMode inference;
    at::manual_seed(4);
    at::Tensor ids = at::randint(3, model->config().vocab_size, {1, 24}, at::kLong);
    auto fastCache = model->makeCache();
    auto eagerCache = model->makeCache();
    ForwardOptions fast, eager;
    fast.cache = &fastCache;
    eager.cache = &eagerCache;
    model->forward(ids.narrow(1, 0, 5), fast);
    model->forward(ids.narrow(1, 0, 5), eager);
    double worst = 0;
    for (std::int64_t t = 5; t < 24; ++t) { // 19 steps: the sliding-window ring (8) wraps
        model->setFastDecode(true);
        at::Tensor a = model->forward(ids.narrow(1, t, 1), fast).to(at::kFloat);
        model->setFastDecode(false);
        at::Tensor b = model->forward(ids.narrow(1, t, 1), eager).to(at::kFloat);
        const double scale = b.abs().max().item<double>();
        double diff = 0;
        EXPECT_TRUE(td::test::allClose(a, b, 0.03 * scale + 1e-3, 0.0, &diff)) << type << " position " << t;
        worst = std::max(worst, diff / scale);
        if (!expectFast(type)) {
            EXPECT_TRUE(at::equal(a, b)) << "no fast path: both calls are the eager graph";
        }
    }
    model->setFastDecode(true);
    RecordProperty("max_rel_diff", std::to_string(worst));
    EXPECT_EQ(fastCache.length(), eagerCache.length());
}

TEST_P(FastDecodeTest, GreedyGenerationMatches)
{
    auto model = tinyBf16(GetParam());
    td::infer::GenerationConfig g;
    g.maxNewTokens = 12;
    g.sampling.doSample = false;
    const std::vector<std::vector<std::int64_t>> prompt = {{5, 9, 17, 33, 65, 129}};
    model->setFastDecode(true);
    auto a = td::infer::generate(*model, prompt, g);
    model->setFastDecode(false);
    auto b = td::infer::generate(*model, prompt, g);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->tokens, b->tokens);
}

std::vector<std::string> allTypes()
{
    std::vector<std::string> out;
    for (const auto& a : td::models::architectures()) {
        out.emplace_back(a.modelType);
    }
    return out;
}

INSTANTIATE_TEST_SUITE_P(Registry, FastDecodeTest, ::testing::ValuesIn(allTypes()),
                         [](const auto& info) { return info.param; });

TEST(FastDecode, LoraAndBatchesTakeTheEagerPath)
{
    auto model = tinyBf16("llama");
    at::InferenceMode inference;
    at::Tensor ids = at::randint(3, 300, {2, 6}, at::kLong);
    // Batch of two: identical results with the fast path on or off (it is not taken).
    for (bool lora : {false, true}) {
        if (lora) {
            for (auto& [name, lin] : model->linears()) {
                at::Tensor a = at::randn({4, lin->inFeatures()}) * 0.1;
                at::Tensor b = at::randn({lin->outFeatures(), 4}) * 0.1;
                lin->attachLora(a, b, 2.0);
            }
        }
        at::Tensor out[2];
        for (int fast = 0; fast < 2; ++fast) {
            model->setFastDecode(fast == 1);
            auto cache = model->makeCache();
            ForwardOptions o;
            o.cache = &cache;
            const std::int64_t rows = lora ? 1 : 2; // LoRA: batch 1, which would qualify without the adapter
            model->forward(ids.narrow(0, 0, rows).narrow(1, 0, 5), o);
            out[fast] = model->forward(ids.narrow(0, 0, rows).narrow(1, 5, 1), o);
        }
        EXPECT_TRUE(at::equal(out[0], out[1])) << (lora ? "LoRA attached" : "batch 2");
    }
}

} // namespace
