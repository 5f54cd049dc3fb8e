// SPDX-License-Identifier: Apache-2.0
// Conformance with Hugging Face on the tiny fixtures (tests/data/models, copied from shared/fixtures/models;
// see its README for definitions and tolerances): logits and hidden states, greedy generation with the KV
// cache (token-identical), LoRA / merged / rsLoRA / DoRA logits. Prints the max abs diff per check.
#include <cstdio>

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "core/infer/generator.h"
#include "core/models/loader.h"
#include "core/models/lora.h"
#include "core/models/transformer.h"
#include "core/tensor/safetensors.h"
#include "test_util.h"

namespace
{

using td::test::allClose;
using td::test::modelFixture;

constexpr double kAtol = 2e-5;
constexpr double kRtol = 1e-5;

struct Fixture
{
    td::models::LoadedModel loaded;
    td::st::CheckpointReader ref;
};

Fixture open(const std::string& name)
{
    td::models::LoadOptions o;
    o.dtype = "fp32";
    o.device = "cpu";
    auto m = td::models::loadModel(modelFixture(name), o);
    EXPECT_TRUE(m) << (m ? "" : m.error().toString());
    auto r = td::st::CheckpointReader::openFile(modelFixture(name) / "reference.safetensors");
    EXPECT_TRUE(r) << (r ? "" : r.error().toString());
    return Fixture{std::move(*m), std::move(*r)};
}

at::Tensor refTensor(const Fixture& f, const std::string& key)
{
    auto t = f.ref.tensor(key);
    EXPECT_TRUE(t) << key;
    return t ? *t : at::Tensor();
}

void report(const std::string& fixture, const std::string& key, double diff)
{
    std::printf("[conformance] %-18s %-16s max_abs_diff %.3g\n", fixture.c_str(), key.c_str(), diff);
}

class FixtureTest : public ::testing::TestWithParam<std::string>
{
};

TEST_P(FixtureTest, LogitsAndHiddenStates)
{
    auto f = open(GetParam());
    at::NoGradGuard ng;
    at::Tensor ids = refTensor(f, "input_ids");
    std::vector<at::Tensor> hidden;
    td::models::ForwardOptions fo;
    fo.hiddenStates = &hidden;
    at::Tensor logits = f.loaded.model->forward(ids, fo);
    double d = 0;
    EXPECT_TRUE(allClose(logits, refTensor(f, "logits"), kAtol, kRtol, &d));
    report(GetParam(), "logits", d);
    ASSERT_EQ(hidden.size(), 3u);
    for (int i = 0; i < 3; ++i) {
        const std::string key = "hidden_states_" + std::to_string(i);
        EXPECT_TRUE(allClose(hidden[i], refTensor(f, key), kAtol, kRtol, &d)) << key;
        report(GetParam(), key, d);
    }
}

TEST_P(FixtureTest, GreedyGenerationWithAndWithoutCache)
{
    auto f = open(GetParam());
    at::Tensor prompt = refTensor(f, "gen_prompt");
    at::Tensor expected = refTensor(f, "gen_output");
    std::vector<std::int64_t> p(prompt.data_ptr<std::int64_t>(), prompt.data_ptr<std::int64_t>() + prompt.numel());
    std::vector<std::int64_t> want(expected.data_ptr<std::int64_t>() + prompt.numel(),
                                   expected.data_ptr<std::int64_t>() + expected.numel());
    for (bool cache : {true, false}) {
        td::infer::GenerationConfig g;
        g.maxNewTokens = static_cast<std::int64_t>(want.size());
        g.useCache = cache;
        std::vector<std::int64_t> streamed;
        auto r = td::infer::generate(*f.loaded.model, {p}, g, [&](std::size_t, std::int64_t t) {
            streamed.push_back(t);
            return true;
        });
        ASSERT_TRUE(r) << r.error().toString();
        EXPECT_EQ(r->tokens[0], want) << (cache ? "with" : "without") << " KV cache";
        EXPECT_EQ(streamed, want);
    }
}

TEST_P(FixtureTest, LeftPaddedBatchMatchesSingleGeneration)
{
    auto f = open(GetParam());
    at::Tensor prompt = refTensor(f, "gen_prompt");
    at::Tensor expected = refTensor(f, "gen_output");
    std::vector<std::int64_t> p(prompt.data_ptr<std::int64_t>(), prompt.data_ptr<std::int64_t>() + prompt.numel());
    std::vector<std::int64_t> want(expected.data_ptr<std::int64_t>() + prompt.numel(),
                                   expected.data_ptr<std::int64_t>() + expected.numel());
    std::vector<std::int64_t> longer = {7, 9, 11};
    longer.insert(longer.end(), p.begin(), p.end());
    td::infer::GenerationConfig g;
    g.maxNewTokens = 8;
    auto single = td::infer::generate(*f.loaded.model, {longer}, g);
    auto batch = td::infer::generate(*f.loaded.model, {p, longer}, g);
    ASSERT_TRUE(single && batch);
    EXPECT_EQ(batch->tokens[0], std::vector<std::int64_t>(want.begin(), want.begin() + 8)); // padded row
    EXPECT_EQ(batch->tokens[1], single->tokens[0]);
}

TEST_P(FixtureTest, LoraAdapters)
{
    const std::string name = GetParam();
    struct Case
    {
        const char* folder;
        const char* key;
    };
    for (const Case c : {Case{"lora_adapter", "lora_logits"}, Case{"lora_adapter_rslora", "rslora_logits"},
                         Case{"lora_adapter_dora", "dora_logits"}}) {
        if (!std::filesystem::exists(modelFixture(name) / c.folder)) {
            continue; // skipped by the fixture generator to stay under 1 MB (see reference.json "skipped")
        }
        auto f = open(name);
        at::NoGradGuard ng;
        auto n = td::models::loadLoraAdapter(*f.loaded.model, modelFixture(name) / c.folder);
        ASSERT_TRUE(n) << n.error().toString();
        EXPECT_GT(*n, 0);
        at::Tensor ids = refTensor(f, "input_ids");
        double d = 0;
        EXPECT_TRUE(allClose(f.loaded.model->forward(ids), refTensor(f, c.key), kAtol, kRtol, &d)) << c.key;
        report(name, c.key, d);
        f.loaded.model->mergeLora();
        const std::string mergedKey = std::string(c.folder) == "lora_adapter" ? "merged_logits" : c.key;
        EXPECT_TRUE(allClose(f.loaded.model->forward(ids), refTensor(f, mergedKey), kAtol, kRtol, &d))
            << "merged " << c.folder;
        report(name, std::string("merged:") + c.folder, d);
    }
}

INSTANTIATE_TEST_SUITE_P(HuggingFace, FixtureTest,
                         ::testing::Values("llama", "mistral", "qwen2", "gemma", "gemma2", "phi3", "llama_rope_llama3"),
                         [](const auto& info) { return info.param; });

} // namespace
