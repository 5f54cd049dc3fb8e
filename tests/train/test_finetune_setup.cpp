// SPDX-License-Identifier: Apache-2.0
// setupFinetuning on tiny random models (core/models/tiny_model.h): LoRA targets, freeze selection, full
// counts, PEFT's LoRA init, LoRA+ and weight-decay groups, LoRA dropout, mixed precision, adapters for
// another base, PiSSA (randomized), modules_to_save round trip.
#include <cmath>
#include <set>

#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>
#include <gtest/gtest.h>

#include "../models/test_util.h"
#include "core/models/layers.h"
#include "core/models/lora.h"
#include "core/models/tiny_model.h"
#include "core/models/transformer.h"
#include "core/tensor/safetensors.h"
#include "core/train/finetune_setup.h"

namespace
{

using td::train::FinetuneArgs;

std::shared_ptr<td::models::CausalLM> tiny(const std::string& type, td::models::TinyShape shape = {},
                                           std::uint64_t seed = 7)
{
    auto cfg = td::models::tinyConfigJson(type, shape);
    EXPECT_TRUE(cfg);
    auto m = td::models::makeRandomModel(*cfg, seed);
    EXPECT_TRUE(m) << (m ? "" : m.error().toString());
    return *m;
}

at::Tensor ids()
{
    return at::tensor({5, 17, 42, 99, 3, 250, 8, 77, 61, 12}, at::TensorOptions().dtype(at::kLong)).view({2, 5});
}

std::set<std::string> loraLeaves(td::models::CausalLM& m)
{
    std::set<std::string> out;
    for (auto& [path, lin] : m.linears()) {
        if (lin->hasLora()) {
            out.insert(path.substr(path.rfind('.') + 1));
        }
    }
    return out;
}

std::set<std::string> trainableNames(td::models::CausalLM& m)
{
    std::set<std::string> out;
    for (const auto& item : m.named_parameters()) {
        if (item.value().requires_grad()) {
            out.insert(item.key());
        }
    }
    return out;
}

TEST(FinetuneSetup, LoraTargetAllLlama)
{
    auto m = tiny("llama");
    auto s = td::train::setupFinetuning(*m, FinetuneArgs{});
    ASSERT_TRUE(s) << s.error().toString();
    const std::set<std::string> want = {"down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"};
    EXPECT_EQ(loraLeaves(*m), want);
    ASSERT_TRUE(s->lora);
    EXPECT_EQ(std::set<std::string>(s->lora->target_modules.begin(), s->lora->target_modules.end()), want);
    EXPECT_EQ(s->lora->r, 8);
    EXPECT_DOUBLE_EQ(s->lora->lora_alpha, 16.0); // default 2 * rank
    for (auto& [path, lin] : m->linears()) {
        EXPECT_EQ(lin->hasLora(), path != "lm_head") << path;
    }
    // trainable = every lora_A/lora_B; counts over all parameters including the adapters.
    std::int64_t loraCount = 0;
    for (const auto& name : trainableNames(*m)) {
        EXPECT_TRUE(name.find(".lora_A.") != std::string::npos || name.find(".lora_B.") != std::string::npos) << name;
        loraCount += m->named_parameters()[name].numel();
    }
    EXPECT_EQ(s->trainableCount, loraCount);
    EXPECT_EQ(s->totalCount, m->parameterCount());
    // 2 layers x (q,k,v,o: in 64; gate, up: in 64; down: in 128) with r 8.
    EXPECT_GT(loraCount, 0);
}

TEST(FinetuneSetup, LoraTargetAllPhi3AndNamedTargets)
{
    auto phi = tiny("phi3");
    ASSERT_TRUE(td::train::setupFinetuning(*phi, FinetuneArgs{}));
    EXPECT_EQ(loraLeaves(*phi), (std::set<std::string>{"down_proj", "gate_up_proj", "o_proj", "qkv_proj"}));

    auto m = tiny("llama");
    FinetuneArgs a;
    a.loraTarget = " q_proj , v_proj";
    ASSERT_TRUE(td::train::setupFinetuning(*m, a));
    EXPECT_EQ(loraLeaves(*m), (std::set<std::string>{"q_proj", "v_proj"}));

    auto u = tiny("llama");
    a.loraTarget = "q_proj,c_attn";
    auto bad = td::train::setupFinetuning(*u, a);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("c_attn"), std::string::npos);
    EXPECT_NE(bad.error().hint.find("gate_proj"), std::string::npos) << bad.error().hint;
    EXPECT_TRUE(loraLeaves(*u).empty()) << "a failed setup attaches nothing";
}

TEST(FinetuneSetup, FreezeLayersModulesAndExtras)
{
    td::models::TinyShape shape;
    shape.layers = 4;
    auto m = tiny("llama", shape);
    m->to(at::kBFloat16);
    FinetuneArgs a;
    a.finetuningType = "freeze";
    a.freezeTrainableLayers = 2;
    auto s = td::train::setupFinetuning(*m, a);
    ASSERT_TRUE(s) << s.error().toString();
    for (const auto& item : m->named_parameters()) {
        const std::string& n = item.key();
        const bool want = n.rfind("model.layers.2.", 0) == 0 || n.rfind("model.layers.3.", 0) == 0;
        EXPECT_EQ(item.value().requires_grad(), want) << n;
        EXPECT_EQ(item.value().scalar_type(), want ? at::kFloat : at::kBFloat16) << n;
    }
    EXPECT_FALSE(s->lora);

    auto f = tiny("llama", shape);
    a.freezeTrainableLayers = -1;
    a.freezeTrainableModules = "mlp";
    a.freezeExtraModules = "embed_tokens";
    ASSERT_TRUE(td::train::setupFinetuning(*f, a));
    for (const auto& n : trainableNames(*f)) {
        EXPECT_TRUE(n.rfind("model.layers.0.mlp.", 0) == 0 || n == "model.embed_tokens.weight") << n;
    }
    EXPECT_EQ(trainableNames(*f).size(), 4u); // gate, up, down, embed_tokens

    a.freezeExtraModules = "norm"; // model.norm only, not every *_layernorm
    auto g = tiny("llama", shape);
    ASSERT_TRUE(td::train::setupFinetuning(*g, a));
    EXPECT_TRUE(trainableNames(*g).count("model.norm.weight"));
    EXPECT_FALSE(trainableNames(*g).count("model.layers.1.input_layernorm.weight"));

    a.freezeExtraModules.clear();
    a.freezeTrainableModules = "feed_forward";
    auto e = td::train::setupFinetuning(*tiny("llama", shape), a);
    ASSERT_FALSE(e);
    EXPECT_NE(e.error().hint.find("self_attn"), std::string::npos) << e.error().hint;
    a.freezeTrainableModules = "all";
    a.freezeTrainableLayers = 5;
    EXPECT_FALSE(td::train::setupFinetuning(*tiny("llama", shape), a));
    a.freezeTrainableLayers = 2;
    a.freezeExtraModules = "wte";
    EXPECT_FALSE(td::train::setupFinetuning(*tiny("llama", shape), a));
}

TEST(FinetuneSetup, FullCountsAndDecayGroups)
{
    auto m = tiny("qwen2"); // tied embeddings, q/k/v biases
    FinetuneArgs a;
    a.finetuningType = "full";
    a.weightDecay = 0.1;
    auto s = td::train::setupFinetuning(*m, a);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->trainableCount, m->parameterCount());
    EXPECT_EQ(s->totalCount, m->parameterCount());
    ASSERT_EQ(s->groups.size(), 2u);
    EXPECT_DOUBLE_EQ(s->groups[0].weightDecay, 0.1);
    EXPECT_DOUBLE_EQ(s->groups[1].weightDecay, 0.0);
    for (const auto& [name, p] : s->groups[1].params) {
        EXPECT_TRUE(name.ends_with(".bias") || name.find("norm") != std::string::npos) << name;
    }
    for (const auto& [name, p] : s->groups[0].params) {
        EXPECT_EQ(p.dim(), 2) << name;
    }
    a.finetuningType = "qlora";
    EXPECT_FALSE(td::train::setupFinetuning(*m, a));
    a.finetuningType = "full";
    a.adapters = {"/nonexistent"};
    EXPECT_FALSE(td::train::setupFinetuning(*m, a));
}

TEST(FinetuneSetup, LoraInitIsPeftsAndSeeded)
{
    auto m = tiny("llama");
    at::Tensor base;
    {
        at::NoGradGuard ng;
        base = m->forward(ids());
    }
    FinetuneArgs a;
    a.seed = 123;
    ASSERT_TRUE(td::train::setupFinetuning(*m, a));
    for (auto& [path, lin] : m->linears()) {
        if (!lin->hasLora()) {
            continue;
        }
        const at::Tensor& A = lin->lora()->aWeight;
        const double bound = 1.0 / std::sqrt(static_cast<double>(lin->inFeatures()));
        EXPECT_LE(A.abs().max().item<double>(), bound) << path;
        EXPECT_GT(A.abs().max().item<double>(), 0.5 * bound) << path; // uniform, not degenerate
        EXPECT_NEAR(A.mean().item<double>(), 0.0, 0.1 * bound) << path;
        EXPECT_EQ(lin->lora()->bWeight.abs().max().item<double>(), 0.0) << path;
        EXPECT_DOUBLE_EQ(lin->lora()->scaling, 2.0);
    }
    at::NoGradGuard ng;
    double d = 0;
    EXPECT_TRUE(td::test::allClose(m->forward(ids()), base, 1e-6, 0, &d)) << "B = 0 leaves the model unchanged";

    auto same = tiny("llama");
    auto other = tiny("llama");
    ASSERT_TRUE(td::train::setupFinetuning(*same, a));
    a.seed = 124;
    ASSERT_TRUE(td::train::setupFinetuning(*other, a));
    const auto q = "model.layers.1.self_attn.q_proj.lora_A.weight";
    EXPECT_TRUE(at::equal(same->named_parameters()[q], m->named_parameters()[q]));
    EXPECT_FALSE(at::equal(other->named_parameters()[q], m->named_parameters()[q]));
}

TEST(FinetuneSetup, LoraPlusGroups)
{
    auto m = tiny("llama");
    FinetuneArgs a;
    a.loraplusLrRatio = 16.0;
    a.useDora = true;
    a.weightDecay = 0.01;
    auto s = td::train::setupFinetuning(*m, a);
    ASSERT_TRUE(s);
    std::map<std::pair<double, double>, std::vector<std::string>> byGroup;
    for (const auto& g : s->groups) {
        for (const auto& [name, p] : g.params) {
            byGroup[{g.lrScale, g.weightDecay}].push_back(name);
        }
    }
    ASSERT_EQ(byGroup.size(), 3u);
    for (const auto& n : byGroup[{1.0, 0.01}]) {
        EXPECT_NE(n.find(".lora_A."), std::string::npos) << n;
    }
    for (const auto& n : byGroup[{16.0, 0.01}]) {
        EXPECT_NE(n.find(".lora_B."), std::string::npos) << n;
    }
    for (const auto& n : byGroup[{16.0, 0.0}]) {
        EXPECT_NE(n.find("lora_magnitude_vector"), std::string::npos) << n;
    }
    EXPECT_EQ((byGroup[{1.0, 0.01}].size()), 14u);
    EXPECT_EQ((byGroup[{16.0, 0.01}].size()), 14u);
    EXPECT_EQ((byGroup[{16.0, 0.0}].size()), 14u);
}

TEST(FinetuneSetup, DropoutOnlyInTrainMode)
{
    auto m = tiny("llama");
    FinetuneArgs a;
    a.loraDropout = 0.5;
    a.useDora = true;
    auto s = td::train::setupFinetuning(*m, a);
    ASSERT_TRUE(s);
    {
        at::NoGradGuard ng;
        for (auto& [path, lin] : m->linears()) {
            if (lin->hasLora()) {
                lin->lora()->bWeight.normal_(0.0, 0.05); // a non-zero B so dropout shows
                EXPECT_DOUBLE_EQ(lin->lora()->dropout, 0.5);
            }
        }
    }
    at::NoGradGuard ng;
    m->eval();
    at::Tensor e1 = m->forward(ids());
    at::Tensor e2 = m->forward(ids());
    EXPECT_TRUE(at::equal(e1, e2));
    m->train();
    at::Tensor t1 = m->forward(ids());
    at::Tensor t2 = m->forward(ids());
    EXPECT_FALSE(at::allclose(t1, t2)) << "dropout draws differ between forwards in train mode";
    EXPECT_FALSE(at::allclose(t1, e1));
    m->eval();
    EXPECT_TRUE(at::equal(m->forward(ids()), e1));
}

TEST(FinetuneSetup, Bf16BaseWithFp32AdapterWithAndWithoutAutocast)
{
    for (bool autocast : {false, true}) {
        auto m = tiny("llama");
        m->to(at::kBFloat16);
        FinetuneArgs a;
        a.useDora = autocast; // DoRA's magnitude path too
        a.additionalTarget = "embed_tokens";
        auto s = td::train::setupFinetuning(*m, a);
        ASSERT_TRUE(s) << s.error().toString();
        auto* lin = m->linears()[0].second.get();
        EXPECT_EQ(lin->weight.scalar_type(), at::kBFloat16);
        EXPECT_EQ(lin->lora()->aWeight.scalar_type(), at::kFloat);
        EXPECT_EQ(m->named_parameters()["model.embed_tokens.weight"].scalar_type(), at::kFloat);
        {
            at::NoGradGuard ng;
            for (auto& [path, l] : m->linears()) {
                if (l->hasLora()) {
                    l->lora()->bWeight.normal_(0.0, 0.05);
                }
            }
        }
        m->train();
        at::autocast::set_cpu_enabled(autocast);
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        at::Tensor logits = m->forward(ids());
        at::autocast::set_cpu_enabled(false);
        at::autocast::clear_cache();
        logits.to(at::kFloat).pow(2).mean().backward();
        for (const auto& [name, p] : s->groups[0].params) {
            ASSERT_TRUE(p.grad().defined()) << name << (autocast ? " (autocast)" : "");
            EXPECT_EQ(p.grad().scalar_type(), at::kFloat) << name;
        }
        EXPECT_GT(lin->lora()->aWeight.grad().abs().sum().item<double>(), 0.0);
        EXPECT_TRUE(at::isfinite(logits).all().item<bool>());
    }
}

TEST(FinetuneSetup, AdapterForAnotherBaseIsAClearError)
{
    auto dir = td::test::scratchDir("train", "other_base");
    auto m = tiny("llama");
    auto s = td::train::setupFinetuning(*m, FinetuneArgs{});
    ASSERT_TRUE(s);
    ASSERT_TRUE(td::models::saveLoraAdapter(*m, *s->lora, dir));
    td::models::TinyShape small;
    small.hidden = 32;
    small.intermediate = 64;
    for (bool createNew : {false, true}) {
        auto other = tiny("llama", small);
        FinetuneArgs a;
        a.adapters = {dir};
        a.createNewAdapter = createNew;
        auto r = td::train::setupFinetuning(*other, a);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, td::ErrorCode::BadCheckpoint);
        EXPECT_NE(r.error().message.find("do not fit"), std::string::npos) << r.error().message;
        EXPECT_NE(r.error().message.find(dir.string()), std::string::npos) << r.error().message;
        EXPECT_NE(r.error().hint.find("base model"), std::string::npos);
    }
}

TEST(FinetuneSetup, PissaRandomizedReconstructs)
{
    // A matrix with a clear top-4 spectrum: the randomized SVD must find the same subspace as the exact one.
    at::manual_seed(5);
    auto [q1, r1] = at::linalg_qr(at::randn({48, 48}));
    auto [q2, r2] = at::linalg_qr(at::randn({32, 32}));
    at::Tensor sv = at::cat({at::tensor({10.0f, 8.0f, 6.0f, 4.0f}), at::linspace(0.5, 0.01, 28)});
    at::Tensor w = at::matmul(q1.narrow(1, 0, 32) * sv, q2.t()); // (48, 32)
    auto exact = td::train::pissaInit(w, 4, 2.0, -1);
    auto fast = td::train::pissaInit(w, 4, 2.0, 16, 99);
    double d = 0;
    EXPECT_TRUE(td::test::allClose(fast.residual + 2.0 * at::matmul(fast.b, fast.a), w, 1e-5, 0, &d));
    EXPECT_TRUE(td::test::allClose(at::matmul(fast.b, fast.a), at::matmul(exact.b, exact.a), 1e-4, 0, &d)) << d;
    EXPECT_EQ(fast.a.sizes(), at::IntArrayRef({4, 32}));
    EXPECT_EQ(fast.b.sizes(), at::IntArrayRef({48, 4}));
    auto wide = td::train::pissaInit(w.t(), 4, 2.0, 16, 99); // the m < n branch
    EXPECT_TRUE(td::test::allClose(at::matmul(wide.b, wide.a), at::matmul(exact.b, exact.a).t(), 1e-4, 0, &d)) << d;

    // Through setupFinetuning: W_res + s B A = W, so the logits equal the base model's.
    auto m = tiny("llama");
    at::Tensor base;
    {
        at::NoGradGuard ng;
        base = m->forward(ids());
    }
    FinetuneArgs a;
    a.pissaInit = true;
    a.pissaIter = 16;
    auto s = td::train::setupFinetuning(*m, a);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->lora->init_lora_weights, "pissa_niter_16");
    at::NoGradGuard ng;
    EXPECT_TRUE(td::test::allClose(m->forward(ids()), base, 2e-5, 1e-5, &d)) << d;
}

TEST(FinetuneSetup, ModulesToSaveRoundTrip)
{
    auto dir = td::test::scratchDir("train", "modules_to_save");
    auto m = tiny("llama");
    FinetuneArgs a;
    a.additionalTarget = "embed_tokens,lm_head";
    a.loraTarget = "q_proj,v_proj";
    a.loraDropout = 0.1;
    auto s = td::train::setupFinetuning(*m, a);
    ASSERT_TRUE(s) << s.error().toString();
    auto names = trainableNames(*m);
    EXPECT_TRUE(names.count("model.embed_tokens.weight"));
    EXPECT_TRUE(names.count("lm_head.weight"));
    {
        at::NoGradGuard ng;
        for (const auto& n : names) {
            m->named_parameters()[n].add_(0.01); // "trained"
        }
    }
    s->lora->base_model_name_or_path = "tiny-llama";
    ASSERT_TRUE(td::models::saveLoraAdapter(*m, *s->lora, dir));
    auto reader = td::st::CheckpointReader::openFile(dir / "adapter_model.safetensors");
    ASSERT_TRUE(reader);
    EXPECT_TRUE(reader->contains("base_model.model.model.embed_tokens.weight"));
    EXPECT_TRUE(reader->contains("base_model.model.lm_head.weight"));
    EXPECT_TRUE(reader->contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));
    auto cfg = td::models::readLoraConfig(dir);
    ASSERT_TRUE(cfg);
    EXPECT_EQ(cfg->modules_to_save, (std::vector<std::string>{"embed_tokens", "lm_head"}));
    EXPECT_DOUBLE_EQ(cfg->lora_dropout, 0.1);
    EXPECT_EQ(cfg->target_modules, (std::vector<std::string>{"q_proj", "v_proj"}));

    m->eval();
    at::NoGradGuard ng;
    at::Tensor want = m->forward(ids());
    auto fresh = tiny("llama"); // left in training mode: an inference load must not drop out anyway
    auto n = td::models::loadLoraAdapter(*fresh, dir);
    ASSERT_TRUE(n) << n.error().toString();
    EXPECT_EQ(*n, 4);
    auto mine = m->named_parameters();
    for (const auto& item : fresh->named_parameters()) {
        ASSERT_TRUE(mine.contains(item.key())) << item.key();
        EXPECT_TRUE(at::equal(mine[item.key()], item.value())) << item.key();
    }
    double d = 0;
    EXPECT_TRUE(td::test::allClose(fresh->forward(ids()), want, 0, 0, &d)) << d;
}

} // namespace
