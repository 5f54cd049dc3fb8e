// SPDX-License-Identifier: Apache-2.0
// LoraSwitch (the Chat tab's base-vs-tuned comparison): an adapter loaded once and switched off gives the base
// model's logits bit for bit, switched on the tuned model's, any number of times; for LoRA, DoRA and adapters
// with modules_to_save (whose base weights come back, tied embeddings included).
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "core/models/layers.h"
#include "core/models/loader.h"
#include "core/models/lora.h"
#include "core/models/lora_switch.h"
#include "core/models/tiny_model.h"
#include "core/models/transformer.h"
#include "core/train/finetune_setup.h"
#include "test_util.h"

namespace
{

std::shared_ptr<td::models::CausalLM> tiny(bool tied)
{
    td::models::TinyShape shape;
    shape.tied = tied;
    auto cfg = td::models::tinyConfigJson("llama", shape);
    EXPECT_TRUE(cfg);
    auto m = td::models::makeRandomModel(*cfg, 7);
    EXPECT_TRUE(m);
    (*m)->eval();
    return *m;
}

at::Tensor logits(td::models::CausalLM& m)
{
    at::NoGradGuard ng;
    return m.forward(at::tensor({5, 17, 42, 99, 3, 250, 8, 77}, at::TensorOptions().dtype(at::kLong)).view({2, 4}));
}

struct Case
{
    const char* name;
    bool dora;
    const char* additionalTarget;
    bool tied;
};

} // namespace

class LoraSwitchTest : public ::testing::TestWithParam<Case>
{
};

TEST_P(LoraSwitchTest, OffIsTheBaseModelOnIsTheTunedOne)
{
    const Case c = GetParam();
    // A "trained" adapter: B (zero after init) and the modules_to_save weights moved away from the base.
    auto dir = td::test::scratchDir("models", std::string("lora_switch_") + c.name);
    auto trained = tiny(c.tied);
    td::train::FinetuneArgs args;
    args.useDora = c.dora;
    args.additionalTarget = c.additionalTarget;
    auto setup = td::train::setupFinetuning(*trained, args);
    ASSERT_TRUE(setup) << setup.error().toString();
    {
        at::NoGradGuard ng;
        at::manual_seed(3);
        for (const auto& item : trained->named_parameters()) {
            if (item.value().requires_grad()) {
                item.value().add_(at::randn_like(item.value()) * 0.05);
            }
        }
    }
    ASSERT_TRUE(td::models::saveLoraAdapter(*trained, *setup->lora, dir));
    trained->eval();
    const at::Tensor tuned = logits(*trained);

    auto model = tiny(c.tied);
    const at::Tensor base = logits(*model);
    ASSERT_FALSE(at::allclose(base, tuned, 1e-4, 1e-4)); // the adapter changes the answers
    auto sw = td::models::LoraSwitch::load(*model, dir);
    ASSERT_TRUE(sw) << sw.error().toString();
    EXPECT_GT(sw->layers(), 0);
    EXPECT_EQ(sw->savedModules() > 0, std::string(c.additionalTarget).size() > 0);
    EXPECT_TRUE(sw->enabled());
    double d = 0;
    const at::Tensor on = logits(*model);
    EXPECT_TRUE(td::test::allClose(on, tuned, 1e-5, 1e-5, &d)) << d; // loaded = saved (dtype round trip)
    for (int round = 0; round < 2; ++round) {
        sw->setEnabled(false);
        EXPECT_FALSE(sw->enabled());
        EXPECT_TRUE(at::equal(logits(*model), base)) << "round " << round;
        for (auto& [path, lin] : model->linears()) {
            EXPECT_FALSE(lin->hasLora()) << path;
        }
        sw->setEnabled(false); // idempotent
        EXPECT_TRUE(at::equal(logits(*model), base));
        sw->setEnabled(true);
        EXPECT_TRUE(at::equal(logits(*model), on)) << "round " << round;
    }
    // Switching never changes the parameter count the model reports with the adapter on.
    const auto count = model->parameterCount();
    sw->setEnabled(false);
    sw->setEnabled(true);
    EXPECT_EQ(model->parameterCount(), count);
}

INSTANTIATE_TEST_SUITE_P(Adapters, LoraSwitchTest,
                         ::testing::Values(Case{"lora", false, "", false}, Case{"dora", true, "", false},
                                           Case{"modules_to_save", false, "norm,lm_head", false},
                                           Case{"tied_embeddings", false, "embed_tokens", true}),
                         [](const auto& info) { return std::string(info.param.name); });

namespace
{
std::shared_ptr<td::models::CausalLM> fixtureLlama(int quantizationBit = 0)
{
    td::models::LoadOptions o;
    o.dtype = "fp32";
    o.modelArgs.quantizationBit = quantizationBit;
    auto m = td::models::loadModel(td::test::modelFixture("llama"), o);
    EXPECT_TRUE(m) << (m ? "" : m.error().toString());
    return m->model;
}
} // namespace

// adapter_name_or_path: a,b in chat and the CLI — the earlier adapters merged (PEFT's merge_and_unload, one after
// the other, as LLaMA-Factory does), the last attached. On the fixture llama with two of its PEFT adapters.
TEST(MergeLoraAdapters, EarlierAdaptersFoldIntoTheBaseInOrder)
{
    const auto a = td::test::modelFixture("llama") / "lora_adapter";
    const auto b = td::test::modelFixture("llama") / "lora_adapter_rslora";

    // By hand: attach, merge, attach, merge.
    auto byHand = fixtureLlama();
    for (const auto& dir : {a, b}) {
        ASSERT_TRUE(td::models::loadLoraAdapter(*byHand, dir));
        byHand->mergeLora();
    }
    auto merged = fixtureLlama();
    auto n = td::models::mergeLoraAdapters(*merged, {a, b});
    ASSERT_TRUE(n) << n.error().toString();
    EXPECT_EQ(*n, 2u);
    for (auto& [path, lin] : merged->linears()) {
        EXPECT_FALSE(lin->hasLora()) << path;
    }
    EXPECT_TRUE(at::equal(logits(*merged), logits(*byHand)));

    // Chat's way (a merged, b attached) answers as both merged; b alone does not.
    auto chat = fixtureLlama();
    ASSERT_TRUE(td::models::mergeLoraAdapters(*chat, {a}));
    ASSERT_TRUE(td::models::loadLoraAdapter(*chat, b));
    double d = 0;
    EXPECT_TRUE(td::test::allClose(logits(*chat), logits(*merged), 1e-5, 1e-5, &d)) << d;
    auto onlyB = fixtureLlama();
    ASSERT_TRUE(td::models::loadLoraAdapter(*onlyB, b));
    EXPECT_FALSE(at::allclose(logits(*onlyB), logits(*merged), 1e-5, 1e-5));

    // Nothing to merge is not an error; a quantized base refuses (LLaMA-Factory's message).
    EXPECT_EQ(*td::models::mergeLoraAdapters(*onlyB, {}), 0u);
    auto quantized = fixtureLlama(8);
    auto refused = td::models::mergeLoraAdapters(*quantized, {a});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, td::ErrorCode::InvalidConfig);
    EXPECT_NE(refused.error().message.find("Cannot merge adapters to a quantized model"), std::string::npos);
    // A missing folder names it.
    auto missing = td::models::mergeLoraAdapters(*fixtureLlama(), {a / "nope"});
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("nope"), std::string::npos);
}
