// SPDX-License-Identifier: Apache-2.0
// QLoRA and the other model-loading keys in training: a 4-bit LoRA run on the demo model learns, its adapter
// is a normal PEFT adapter (same tensor names as a LoRA run's, loads on the unquantized base), LLaMA-Factory's
// quantization rules are errors with hints, the memory estimate counts quantized weights, boosters warn,
// rope_scaling is parsed, and export refuses to merge into a quantized model.
#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/export/export_args.h"
#include "core/models/loader.h"
#include "core/models/lora.h"
#include "core/models/quant_spec.h"
#include "core/models/transformer.h"
#include "core/tensor/safetensors.h"
#include "core/train/memory_estimate.h"
#include "core/train/train_args.h"
#include "core/train/trainer.h"
#include "tests/models/test_util.h"

namespace fs = std::filesystem;
using td::test::demoModel;
using td::test::scratchDir;
using td::test::sourceDir;

namespace
{

nlohmann::json qloraArgs(const fs::path& out)
{
    return {{"stage", "sft"},
            {"do_train", true},
            {"model_name_or_path", demoModel().string()},
            {"template", "qwen"},
            {"dataset_dir", (sourceDir() / "resources" / "demo" / "data").string()},
            {"dataset", "demo_alpaca"},
            {"cutoff_len", 96},
            {"max_samples", 16},
            {"finetuning_type", "lora"},
            {"lora_rank", 8},
            {"quantization_bit", 4},
            {"per_device_train_batch_size", 2},
            {"gradient_accumulation_steps", 2},
            {"learning_rate", 3e-2},
            {"lr_scheduler_type", "cosine"},
            {"warmup_steps", 2},
            {"max_steps", 40},
            {"logging_steps", 1},
            {"save_steps", 1000},
            {"bf16", true},
            {"seed", 42},
            {"output_dir", out.string()}};
}

std::vector<double> train(const nlohmann::json& args, std::vector<std::string>* messages = nullptr)
{
    std::vector<double> losses;
    td::train::TrainHooks hooks;
    hooks.onStep = [&](std::int64_t, double loss) { losses.push_back(loss); };
    hooks.message = [&](const std::string& m) {
        if (messages != nullptr) {
            messages->push_back(m);
        }
    };
    auto r = td::train::runTraining(args, hooks, nullptr);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message + " / " + r.error().hint);
    return losses;
}

double mean(const std::vector<double>& v, std::size_t from, std::size_t n)
{
    double s = 0;
    for (std::size_t i = from; i < from + n; ++i) {
        s += v[i];
    }
    return s / static_cast<double>(n);
}

std::vector<std::string> tensorNames(const fs::path& adapterDir)
{
    auto reader = td::st::CheckpointReader::openFile(adapterDir / "adapter_model.safetensors");
    EXPECT_TRUE(reader.has_value());
    auto names = reader ? reader->names() : std::vector<std::string>{};
    std::sort(names.begin(), names.end());
    return names;
}

td::Error trainArgsError(nlohmann::json args)
{
    auto parsed = td::train::parseTrainArgs(args);
    if (!parsed) {
        return parsed.error();
    }
    auto st = td::train::validateTrainArgs(*parsed);
    return st ? td::Error{td::ErrorCode::Internal, "no error", ""} : st.error();
}

} // namespace

TEST(QLora, FourBitRunLearnsAndSavesAPlainPeftAdapter)
{
    ASSERT_TRUE(fs::exists(demoModel() / "config.json")) << "the build writes the demo model to " << demoModel();
    const fs::path out = scratchDir("train", "qlora4");
    std::vector<std::string> messages;
    const auto losses = train(qloraArgs(out), &messages);
    ASSERT_EQ(losses.size(), 40u);
    const double head = mean(losses, 0, 5);
    const double tail = mean(losses, losses.size() - 5, 5);
    std::printf("QLoRA nf4 on the demo model: first five steps %.4f, last five %.4f\n", head, tail);
    EXPECT_LT(tail, head - 0.1) << "first five steps " << head << ", last five " << tail;
    EXPECT_TRUE(std::any_of(messages.begin(), messages.end(),
                            [](const std::string& m) { return m.find("4 bits (nf4, double quantization)") != std::string::npos; }));

    // A LoRA run with the same targets writes the same tensor names.
    const fs::path plainOut = scratchDir("train", "qlora_plain");
    nlohmann::json plain = qloraArgs(plainOut);
    plain.erase("quantization_bit");
    plain["max_steps"] = 2;
    train(plain);
    EXPECT_EQ(tensorNames(out), tensorNames(plainOut));

    // The adapter loads on the unquantized base, and on the 4-bit base unmerged.
    auto base = td::models::loadModel(demoModel());
    ASSERT_TRUE(base.has_value());
    auto n = td::models::loadLoraAdapter(*base->model, out);
    ASSERT_TRUE(n.has_value()) << n.error().message;
    EXPECT_GT(*n, 0);
    td::models::LoadOptions q;
    q.modelArgs.quantizationBit = 4;
    auto quantized = td::models::loadModel(demoModel(), q);
    ASSERT_TRUE(quantized.has_value());
    EXPECT_EQ(*td::models::loadLoraAdapter(*quantized->model, out), *n);
}

TEST(QLora, EightBitRunTrains)
{
    nlohmann::json args = qloraArgs(scratchDir("train", "qlora8"));
    args["quantization_bit"] = 8;
    args["max_steps"] = 3;
    EXPECT_EQ(train(args).size(), 3u);
}

TEST(QLora, LlamaFactoryRulesAreClearErrors)
{
    const nlohmann::json ok = qloraArgs(scratchDir("train", "qlora_rules"));
    nlohmann::json a = ok;
    a["finetuning_type"] = "full";
    td::Error e = trainArgsError(a);
    EXPECT_EQ(e.code, td::ErrorCode::InvalidConfig);
    EXPECT_NE(e.message.find("finetuning_type lora"), std::string::npos) << e.message;
    EXPECT_FALSE(e.hint.empty());
    a = ok;
    a["quantization_method"] = "hqq";
    e = trainArgsError(a);
    EXPECT_EQ(e.code, td::ErrorCode::Unsupported);
    EXPECT_NE(e.hint.find("bnb"), std::string::npos);
    a = ok;
    a["quantization_bit"] = 2;
    EXPECT_EQ(trainArgsError(a).code, td::ErrorCode::InvalidConfig);
    a = ok;
    a["pissa_init"] = true;
    EXPECT_EQ(trainArgsError(a).code, td::ErrorCode::InvalidConfig);
    a = ok;
    a["adapter_name_or_path"] = "a,b";
    EXPECT_EQ(trainArgsError(a).code, td::ErrorCode::InvalidConfig);
    a = ok;
    a["adapter_name_or_path"] = "a";
    a["create_new_adapter"] = true;
    EXPECT_EQ(trainArgsError(a).code, td::ErrorCode::InvalidConfig);
    a = ok;
    a["quantization_bit"] = "four";
    EXPECT_EQ(trainArgsError(a).code, td::ErrorCode::InvalidConfig);
    EXPECT_EQ(trainArgsError(ok).code, td::ErrorCode::Internal); // the valid one: "no error"
}

TEST(QLora, MemoryEstimateCountsQuantizedWeights)
{
    auto bf16 = td::train::parseTrainArgs(qloraArgs("/tmp/unused"));
    ASSERT_TRUE(bf16.has_value());
    bf16->model.quantizationBit = 0;
    auto config = td::models::loadModelConfig(demoModel());
    ASSERT_TRUE(config.has_value());
    auto counts = td::train::countParameters(*config, bf16->finetune);
    ASSERT_TRUE(counts.has_value());
    const auto plain = td::train::estimateTrainingMemory(*bf16, *config, *counts);
    EXPECT_EQ(plain.quantizedWeightBytes, 0);

    // Decoder-layer Linear weights of the demo model (the ones quantized).
    std::int64_t linearParams = 0;
    const auto& c = *config;
    const std::int64_t q = c.num_attention_heads * c.head_dim, kv = c.num_key_value_heads * c.head_dim;
    linearParams = c.num_hidden_layers * (c.hidden_size * (q + 2 * kv) + q * c.hidden_size + 3 * c.hidden_size * c.intermediate_size);
    for (int bits : {8, 4}) {
        auto a = *bf16;
        a.model.quantizationBit = bits;
        const auto e = td::train::estimateTrainingMemory(a, *config, *counts);
        // int8: 1 byte per parameter (+ 4 bytes per row); nf4: 0.5 byte (+ double-quantized scales).
        const double perParam = static_cast<double>(e.quantizedWeightBytes) / static_cast<double>(linearParams);
        std::printf("quantization_bit %d: %.4f bytes per quantized parameter, weights %lld bytes (bf16 LoRA %lld)\n", bits,
                    perParam, static_cast<long long>(e.weightBytes), static_cast<long long>(plain.weightBytes));
        EXPECT_GE(perParam, bits / 8.0);
        EXPECT_LT(perParam, bits / 8.0 * 1.1);
        EXPECT_LT(e.weightBytes, plain.weightBytes);
        EXPECT_LT(e.totalBytes, plain.totalBytes);
    }
}

TEST(QLora, BoostersWarnAndFlashAttnIsChecked)
{
    nlohmann::json a = qloraArgs("/tmp/unused");
    a["use_unsloth"] = true;
    a["enable_liger_kernel"] = true;
    a["flash_attn"] = "fa2";
    a["rope_scaling"] = "linear";
    std::vector<std::string> warnings;
    auto parsed = td::train::parseTrainArgs(a, &warnings);
    ASSERT_TRUE(parsed.has_value());
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_NE(warnings[0].find("use_unsloth is a Python-only booster"), std::string::npos) << warnings[0];
    EXPECT_NE(warnings[1].find("enable_liger_kernel"), std::string::npos);
    EXPECT_NE(warnings[1].find("fused cross-entropy, fused RMSNorm"), std::string::npos);
    EXPECT_EQ(parsed->model.ropeScaling, "linear");
    EXPECT_EQ(parsed->model.flashAttn, "fa2");
    EXPECT_TRUE(td::train::validateTrainArgs(*parsed).has_value());
    a["flash_attn"] = "fa3";
    EXPECT_EQ(trainArgsError(a).code, td::ErrorCode::InvalidConfig);
    a["flash_attn"] = "auto";
    a["rope_scaling"] = "ntk";
    EXPECT_EQ(trainArgsError(a).code, td::ErrorCode::InvalidConfig);
}

TEST(QLora, ExportRefusesToMergeIntoAQuantizedModel)
{
    nlohmann::json j = {{"model_name_or_path", "m"}, {"adapter_name_or_path", "a"}, {"export_dir", "out"},
                        {"quantization_bit", 4}};
    auto merged = td::exporter::parseExportArgs(j);
    ASSERT_FALSE(merged.has_value());
    EXPECT_EQ(merged.error().message, "Cannot merge adapters to a quantized model.");
    EXPECT_FALSE(merged.error().hint.empty());
    j["export_format"] = "adapter";
    std::vector<std::string> warnings;
    EXPECT_TRUE(td::exporter::parseExportArgs(j, &warnings).has_value());
    EXPECT_EQ(warnings.size(), 1u);
    j.erase("quantization_bit"); // a QLoRA adapter merges into the full-precision base like any other
    j["export_format"] = "hf";
    EXPECT_TRUE(td::exporter::parseExportArgs(j).has_value());
}
