// SPDX-License-Identifier: Apache-2.0
// Trainer conformance with Hugging Face/PEFT on the tiny fixtures (tests/data/models, README "Exact
// definitions" and "Tolerances"): PiSSA init with exact SVD, 3 AdamW LoRA SFT steps with our loss and
// optimizer, the trained adapter saved in PEFT's layout and reloaded, rsLoRA/DoRA adapters continued through
// setupFinetuning. Prints the max abs diff per check.
#include <cstdio>
#include <fstream>
#include <set>

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../models/test_util.h"
#include "core/models/layers.h"
#include "core/models/loader.h"
#include "core/models/lora.h"
#include "core/models/transformer.h"
#include "core/tensor/safetensors.h"
#include "core/train/finetune_setup.h"
#include "core/train/loss.h"
#include "core/train/optimizer.h"

namespace
{

using td::test::allClose;
using td::test::modelFixture;

constexpr double kLogitsAtol = 2e-5, kLogitsRtol = 1e-5;

std::vector<std::string> fixturesWith(const std::string& key)
{
    std::vector<std::string> out;
    const auto root = modelFixture("");
    if (!std::filesystem::exists(root)) {
        return out;
    }
    for (const auto& e : std::filesystem::directory_iterator(root)) {
        auto r = td::st::CheckpointReader::openFile(e.path() / "reference.safetensors");
        if (e.is_directory() && r && r->contains(key)) {
            out.push_back(e.path().filename().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

struct Fixture
{
    std::string name;
    td::models::LoadedModel loaded;
    td::st::CheckpointReader ref;

    at::Tensor operator[](const std::string& key) const
    {
        auto t = ref.tensor(key);
        EXPECT_TRUE(t) << key;
        return t ? *t : at::Tensor();
    }
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
    return Fixture{name, std::move(*m), std::move(*r)};
}

void report(const std::string& fixture, const std::string& key, double diff)
{
    std::printf("[train-conformance] %-18s %-28s max_abs_diff %.3g\n", fixture.c_str(), key.c_str(), diff);
}

/// Layer 0's first attention projection (reference.json lora.layer0_q_module): q_proj, or phi3's qkv_proj.
std::shared_ptr<td::models::LinearImpl> layer0Q(td::models::CausalLM& m)
{
    for (auto& [path, lin] : m.linears()) {
        if (path == "model.layers.0.self_attn.q_proj" || path == "model.layers.0.self_attn.qkv_proj") {
            return lin;
        }
    }
    ADD_FAILURE() << "no layer-0 q projection";
    return nullptr;
}

td::train::FinetuneArgs fixtureLora()
{
    td::train::FinetuneArgs a;
    a.loraRank = 4;
    a.loraAlpha = 8.0;
    a.loraTarget = "all";
    return a;
}

class PissaFixture : public ::testing::TestWithParam<std::string>
{
};

TEST_P(PissaFixture, ExactSvdInit)
{
    auto f = open(GetParam());
    auto args = fixtureLora();
    args.pissaInit = true;
    args.pissaIter = -1;
    auto s = td::train::setupFinetuning(*f.loaded.model, args);
    ASSERT_TRUE(s) << s.error().toString();
    EXPECT_EQ(s->lora->init_lora_weights, "pissa");
    auto q = layer0Q(*f.loaded.model);
    ASSERT_TRUE(q && q->hasLora());
    at::Tensor a = q->lora()->aWeight.detach().clone(); // (4, in)
    at::Tensor b = q->lora()->bWeight.detach().clone(); // (out, 4)
    at::Tensor refA = f["pissa_A"];
    // Sign freedom of singular vectors: flip row k of A and column k of B together to match the reference.
    at::Tensor sign = at::sign((a * refA).sum(1));     // (4)
    sign = at::where(sign == 0, at::ones_like(sign), sign);
    a = a * sign.unsqueeze(1);
    b = b * sign.unsqueeze(0);
    double d = 0;
    EXPECT_TRUE(allClose(a, refA, 2e-5, 1e-4, &d));
    report(GetParam(), "pissa_A", d);
    EXPECT_TRUE(allClose(b, f["pissa_B"], 2e-5, 1e-4, &d));
    report(GetParam(), "pissa_B", d);
    EXPECT_TRUE(allClose(q->weight.detach(), f["pissa_residual_weight"], 1e-5, 1e-5, &d));
    report(GetParam(), "pissa_residual_weight", d);
    at::NoGradGuard ng;
    EXPECT_TRUE(allClose(f.loaded.model->forward(f["input_ids"]), f["pissa_logits"], kLogitsAtol, kLogitsRtol, &d));
    report(GetParam(), "pissa_logits", d);
}

INSTANTIATE_TEST_SUITE_P(HuggingFace, PissaFixture, ::testing::ValuesIn(fixturesWith("pissa_A")),
                         [](const auto& info) { return info.param; });

class TrainFixture : public ::testing::TestWithParam<std::string>
{
};

TEST_P(TrainFixture, ThreeAdamWSteps)
{
    const std::string name = GetParam();
    auto f = open(name);
    auto& model = *f.loaded.model;
    auto args = fixtureLora();
    args.adapters = {modelFixture(name) / "lora_adapter"};
    auto s = td::train::setupFinetuning(model, args);
    ASSERT_TRUE(s) << s.error().toString();
    nlohmann::json refJson = nlohmann::json::parse(std::ifstream(modelFixture(name) / "reference.json"));
    EXPECT_EQ(s->trainableCount, refJson["training"]["trainable_params"].get<std::int64_t>());
    for (const auto& g : s->groups) {
        for (const auto& [pname, p] : g.params) {
            EXPECT_TRUE(pname.find(".lora_A.") != std::string::npos || pname.find(".lora_B.") != std::string::npos) << pname;
        }
    }
    td::train::OptimizerOptions oo; // AdamW, betas (0.9, 0.999), eps 1e-8
    auto opt = td::train::makeOptimizer(s->groups, oo);
    ASSERT_TRUE(opt);

    at::Tensor ids = f["input_ids"];
    at::Tensor labels = ids.clone();
    labels.narrow(1, 0, 5).fill_(-100);
    auto q = layer0Q(model);
    ASSERT_TRUE(q && q->hasLora());
    model.train();
    std::vector<float> losses;
    for (int step = 0; step < 3; ++step) {
        auto loss = td::train::causalLmLossSum(model.forward(ids), labels);
        EXPECT_EQ(loss.tokens, 2 * (ids.size(1) - 5));
        at::Tensor mean = loss.sum / static_cast<double>(loss.tokens);
        losses.push_back(mean.item<float>());
        mean.backward();
        if (step == 0) {
            double d = 0;
            EXPECT_TRUE(allClose(q->lora()->aWeight.grad(), f["train_grad_lora_A_layer0_q"], 2e-7, 1e-3, &d));
            report(name, "train_grad_lora_A_layer0_q", d);
            EXPECT_TRUE(allClose(q->lora()->bWeight.grad(), f["train_grad_lora_B_layer0_q"], 2e-7, 1e-3, &d));
            report(name, "train_grad_lora_B_layer0_q", d);
        }
        (*opt)->step(1e-2);
        (*opt)->zeroGrad();
    }
    double d = 0;
    EXPECT_TRUE(allClose(at::tensor(losses), f["train_losses"], 1e-5, 1e-6, &d));
    report(name, "train_losses", d);
    EXPECT_TRUE(allClose(q->lora()->aWeight.detach(), f["train_final_lora_A_layer0_q"], 2e-5, 1e-4, &d));
    report(name, "train_final_lora_A_layer0_q", d);
    EXPECT_TRUE(allClose(q->lora()->bWeight.detach(), f["train_final_lora_B_layer0_q"], 2e-5, 1e-4, &d));
    report(name, "train_final_lora_B_layer0_q", d);

    // Save in PEFT's layout: same tensor names and (at least) the same config keys as the fixture adapter.
    const auto dir = td::test::scratchDir("train", "fixture_adapter_" + name);
    auto cfg = *s->lora;
    cfg.base_model_name_or_path = "..";
    ASSERT_TRUE(td::models::saveLoraAdapter(model, cfg, dir));
    auto ours = td::st::CheckpointReader::openFile(dir / "adapter_model.safetensors");
    auto theirs = td::st::CheckpointReader::openFile(modelFixture(name) / "lora_adapter" / "adapter_model.safetensors");
    ASSERT_TRUE(ours && theirs);
    auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    EXPECT_EQ(sorted(ours->names()), sorted(theirs->names()));
    for (const auto& n : ours->names()) {
        EXPECT_EQ(ours->info(n)->dtype, theirs->info(n)->dtype) << n;
    }
    nlohmann::json ourCfg = nlohmann::json::parse(std::ifstream(dir / "adapter_config.json"));
    nlohmann::json theirCfg = nlohmann::json::parse(std::ifstream(modelFixture(name) / "lora_adapter" / "adapter_config.json"));
    for (auto it = theirCfg.begin(); it != theirCfg.end(); ++it) {
        EXPECT_TRUE(ourCfg.contains(it.key())) << "adapter_config.json lacks " << it.key();
    }
    for (const char* key : {"peft_type", "task_type", "r", "lora_alpha", "target_modules", "bias", "use_rslora",
                            "use_dora", "init_lora_weights", "fan_in_fan_out", "inference_mode", "lora_dropout",
                            "modules_to_save", "revision"}) {
        EXPECT_EQ(ourCfg[key], theirCfg[key]) << key;
    }
    EXPECT_TRUE(ourCfg.contains("peft_version"));

    // Reloaded into a fresh base: identical logits to the in-memory trained model.
    at::NoGradGuard ng;
    model.eval();
    at::Tensor trained = model.forward(ids);
    auto fresh = open(name);
    auto n = td::models::loadLoraAdapter(*fresh.loaded.model, dir);
    ASSERT_TRUE(n) << n.error().toString();
    EXPECT_TRUE(allClose(fresh.loaded.model->forward(ids), trained, 0, 0, &d));
    report(name, "reloaded_trained_logits", d);
}

INSTANTIATE_TEST_SUITE_P(HuggingFace, TrainFixture, ::testing::ValuesIn(fixturesWith("train_losses")),
                         [](const auto& info) { return info.param; });

class ContinueFixture : public ::testing::TestWithParam<std::string>
{
};

TEST_P(ContinueFixture, RsloraAndDoraAdaptersThroughSetup)
{
    const std::string name = GetParam();
    for (auto [folder, key] : {std::pair{"lora_adapter", "lora_logits"}, {"lora_adapter_rslora", "rslora_logits"},
                               {"lora_adapter_dora", "dora_logits"}}) {
        if (!std::filesystem::exists(modelFixture(name) / folder)) {
            continue; // skipped by the fixture generator (reference.json "skipped")
        }
        auto f = open(name);
        auto args = fixtureLora();
        args.adapters = {modelFixture(name) / folder};
        auto s = td::train::setupFinetuning(*f.loaded.model, args);
        ASSERT_TRUE(s) << s.error().toString();
        EXPECT_EQ(s->lora->use_rslora, std::string(folder) == "lora_adapter_rslora");
        EXPECT_EQ(s->lora->use_dora, std::string(folder) == "lora_adapter_dora");
        EXPECT_GT(s->trainableCount, 0);
        f.loaded.model->train(); // dropout is 0: train mode must give the same logits
        double d = 0;
        at::Tensor logits = f.loaded.model->forward(f["input_ids"]);
        EXPECT_TRUE(allClose(logits, f[key], kLogitsAtol, kLogitsRtol, &d)) << key;
        report(name, std::string("continue:") + key, d);
        logits.sum().backward(); // the continued adapter (and DoRA magnitude) is trainable
        auto q = layer0Q(*f.loaded.model);
        EXPECT_TRUE(q->lora()->aWeight.grad().defined());
        if (q->lora()->dora) {
            EXPECT_TRUE(q->magnitude.grad().defined());
        }
    }
}

INSTANTIATE_TEST_SUITE_P(HuggingFace, ContinueFixture, ::testing::ValuesIn(fixturesWith("lora_logits")),
                         [](const auto& info) { return info.param; });

} // namespace
