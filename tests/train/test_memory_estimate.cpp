// SPDX-License-Identifier: Apache-2.0
// The training memory estimate (core/train/memory_estimate.h): parameter counts from config.json equal the
// built model's for every registered architecture and each finetuning type; the estimate for the SmolLM2-135M
// shape is close to the peak RSS `tunedesk-cli bench train` measures; runTraining refuses a run that cannot
// fit with the numbers in the message, unless skip_memory_check is set.
#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/models/model_config.h"
#include "core/models/model_registry.h"
#include "core/models/tiny_model.h"
#include "core/models/transformer.h"
#include "core/train/finetune_setup.h"
#include "core/train/memory_estimate.h"
#include "core/train/train_args.h"
#include "core/train/trainer.h"
#include "tests/models/test_util.h"

namespace fs = std::filesystem;
using td::train::FinetuneArgs;

namespace
{

td::models::ModelConfig configOf(const nlohmann::json& j)
{
    auto c = td::models::parseModelConfig(j);
    EXPECT_TRUE(c) << (c ? "" : c.error().message);
    return *c;
}

/// Counts from the config and from the built model after setupFinetuning must agree.
void expectSameCounts(const std::string& type, const td::models::TinyShape& shape, const FinetuneArgs& ft)
{
    SCOPED_TRACE(type + " / " + ft.finetuningType);
    auto json = td::models::tinyConfigJson(type, shape);
    ASSERT_TRUE(json);
    auto counts = td::train::countParameters(configOf(*json), ft);
    ASSERT_TRUE(counts) << counts.error().message;
    auto model = td::models::makeRandomModel(*json, 7);
    ASSERT_TRUE(model);
    EXPECT_EQ(counts->base, (*model)->parameterCount());
    auto setup = td::train::setupFinetuning(**model, ft);
    ASSERT_TRUE(setup) << setup.error().message;
    EXPECT_EQ(counts->total, (*model)->parameterCount());
    EXPECT_EQ(counts->total, setup->totalCount);
    EXPECT_EQ(counts->trainable, setup->trainableCount);
}

} // namespace

TEST(MemoryEstimate, ParameterCountsMatchTheBuiltModelForEveryArchitecture)
{
    for (const auto& arch : td::models::architectures()) {
        for (bool tied : {false, true}) {
            td::models::TinyShape shape;
            shape.tied = tied;
            FinetuneArgs full;
            full.finetuningType = "full";
            expectSameCounts(arch.modelType, shape, full);
            FinetuneArgs lora; // lora_target all, rank 8
            expectSameCounts(arch.modelType, shape, lora);
            FinetuneArgs freeze;
            freeze.finetuningType = "freeze";
            freeze.freezeTrainableLayers = 1;
            expectSameCounts(arch.modelType, shape, freeze);
        }
    }
}

TEST(MemoryEstimate, LoraAndFreezeVariantsMatchSetupFinetuning)
{
    FinetuneArgs a;
    a.loraRank = 4;
    a.loraTarget = "q_proj,v_proj";
    expectSameCounts("llama", {}, a);
    a.useDora = true;
    a.loraTarget = "all";
    expectSameCounts("qwen2", {}, a);
    FinetuneArgs extra;
    extra.additionalTarget = "embed_tokens";
    td::models::TinyShape untied;
    untied.tied = false;
    expectSameCounts("llama", untied, extra);
    FinetuneArgs f;
    f.finetuningType = "freeze";
    f.freezeTrainableLayers = -1;
    f.freezeTrainableModules = "mlp";
    f.freezeExtraModules = "norm";
    expectSameCounts("gemma2", {}, f);
    f.freezeTrainableLayers = 5; // the tiny models have 2 layers
    auto counts = td::train::countParameters(configOf(*td::models::tinyConfigJson("llama", {})), f);
    ASSERT_FALSE(counts);
    EXPECT_EQ(counts.error().code, td::ErrorCode::InvalidConfig);
}

// Peak RSS of `tunedesk-cli bench train --model <smollm2-135m preset, bf16> --dtype bf16 --batch 4 --seq 256`
// (LoRA r=8 on every Linear, AdamW), the `peak_rss_mb` field (MiB), measured by the lead on the dev machine:
// 2230 without --checkpointing, 1070 with it (this session measured 2147 without). The estimate counts what the
// trainer holds, the measurement the whole process, so the tolerance is wide: ±35%.
TEST(MemoryEstimate, SmolLm2ShapeIsCloseToTheMeasuredPeak)
{
    constexpr double kMeasuredMiB = 2230;
    constexpr double kMeasuredCheckpointedMiB = 1070;
    const auto config = configOf(*td::models::tinyConfigJson("llama", td::models::TinyShape::smolLm2()));
    td::train::TrainArgs a;
    a.bf16 = true;
    a.trainBatchSize = 4;
    a.data.preprocess.cutoffLen = 256;
    a.finetune.loraRank = 8;
    a.device = "cpu";
    auto counts = td::train::countParameters(config, a.finetune);
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->trainable, 2442240); // bench train's trainable_params
    EXPECT_EQ(counts->total, 136957248);   // and total_params
    a.gradientCheckpointing = false;
    const auto plain = td::train::estimateTrainingMemory(a, config, *counts);
    a.gradientCheckpointing = true;
    const auto checkpointed = td::train::estimateTrainingMemory(a, config, *counts);
    const double plainMiB = static_cast<double>(plain.totalBytes) / (1 << 20);
    const double ckptMiB = static_cast<double>(checkpointed.totalBytes) / (1 << 20);
    EXPECT_NEAR(plainMiB, kMeasuredMiB, 0.35 * kMeasuredMiB);
    EXPECT_NEAR(ckptMiB, kMeasuredCheckpointedMiB, 0.35 * kMeasuredCheckpointedMiB);
    EXPECT_LT(checkpointed.activationBytes, plain.activationBytes);
    // Work: 6 N P-ish for LoRA with recompute: (2 + 2 + 2) x matmul params x 1024 tokens, ~0.8 TFLOP.
    EXPECT_GT(checkpointed.flopsPerStep, 0.5e12);
    EXPECT_LT(checkpointed.flopsPerStep, 1.5e12);
    std::printf("smollm2 shape: estimate %.0f MiB (measured %.0f), checkpointed %.0f MiB (measured %.0f)\n", plainMiB,
                kMeasuredMiB, ckptMiB, kMeasuredCheckpointedMiB);
}

TEST(MemoryEstimate, PrecisionAndMethodChangeTheParts)
{
    const auto config = configOf(*td::models::tinyConfigJson("llama", td::models::TinyShape::smolLm2()));
    td::train::TrainArgs lora;
    lora.bf16 = true;
    lora.device = "cpu";
    auto loraCounts = td::train::countParameters(config, lora.finetune);
    td::train::TrainArgs full = lora;
    full.finetune.finetuningType = "full";
    auto fullCounts = td::train::countParameters(config, full.finetune);
    ASSERT_TRUE(loraCounts && fullCounts);
    const auto l = td::train::estimateTrainingMemory(lora, config, *loraCounts);
    const auto f = td::train::estimateTrainingMemory(full, config, *fullCounts);
    // LoRA: frozen bf16 weights; full: fp32 weights + autocast's bf16 copies, fp32 grads, two Adam moments.
    EXPECT_LT(l.weightBytes, fullCounts->total * 2 + loraCounts->trainable * 4 + 1);
    EXPECT_EQ(f.weightBytes, fullCounts->total * 6);
    EXPECT_EQ(f.gradientBytes, fullCounts->total * 4);
    EXPECT_EQ(f.optimizerBytes, fullCounts->total * 8);
    EXPECT_GT(f.totalBytes, l.totalBytes);
}

TEST(MemoryEstimate, RunTrainingRefusesARunThatCannotFit)
{
    const fs::path dir = td::test::scratchDir("train", "memory_estimate_model");
    auto config = td::models::tinyConfigJson("llama", {});
    ASSERT_TRUE(config);
    ASSERT_TRUE(td::models::writeTinyModel(dir, *config, 7, "float32"));
    const fs::path out = td::test::scratchDir("train", "memory_estimate_run");
    nlohmann::json args = {{"stage", "sft"},
                           {"model_name_or_path", dir.string()},
                           {"dataset_dir", (out / "no-data").string()},
                           {"dataset", "missing"},
                           {"finetuning_type", "lora"},
                           {"cutoff_len", 200000},
                           {"per_device_train_batch_size", 4096},
                           {"device", "cpu"},
                           {"output_dir", (out / "run").string()}};
    auto r = td::train::runTraining(args);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, td::ErrorCode::OutOfMemory) << r.error().message;
    EXPECT_NE(r.error().message.find("training needs about "), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(" GB are available"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().hint.find("per_device_train_batch_size"), std::string::npos) << r.error().hint;
    EXPECT_FALSE(fs::exists(out / "run")); // refused before anything was written

    args["skip_memory_check"] = true; // goes on, and fails later for another reason (no tokenizer, no data)
    auto skipped = td::train::runTraining(args);
    ASSERT_FALSE(skipped);
    EXPECT_NE(skipped.error().code, td::ErrorCode::OutOfMemory) << skipped.error().message;
}

TEST(MemoryEstimate, MissingConfigIsAnError)
{
    td::train::TrainArgs a;
    a.modelNameOrPath = td::test::scratchDir("train", "memory_estimate_empty");
    auto e = td::train::estimateTrainingMemory(a);
    EXPECT_FALSE(e);
    EXPECT_EQ(td::train::formatGigabytes(1'500'000'000), "1.5 GB");
}
