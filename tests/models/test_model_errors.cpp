// SPDX-License-Identifier: Apache-2.0
// Bad model folders → a clear error value naming the problem (never a crash): missing config keys, unknown
// model_type, unsupported rope type, missing tensors, wrong shapes, missing adapter modules, bad token ids.
#include <fstream>

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/infer/generator.h"
#include "core/models/loader.h"
#include "core/models/lora.h"
#include "core/models/tiny_model.h"
#include "core/models/transformer.h"
#include "core/tensor/safetensors.h"
#include "test_util.h"

namespace
{

namespace fs = std::filesystem;
using td::ErrorCode;

fs::path folder(const std::string& name)
{
    return td::test::scratchDir("model-errors", name);
}

fs::path tinyFolder(const std::string& name, const nlohmann::json& cfg)
{
    auto dir = folder(name);
    EXPECT_TRUE(td::models::writeTinyModel(dir, cfg, 1, "fp32"));
    return dir;
}

void writeConfig(const fs::path& dir, const nlohmann::json& j)
{
    std::ofstream(dir / "config.json") << j.dump();
}

td::Error loadError(const fs::path& dir)
{
    td::models::LoadOptions o;
    o.device = "cpu";
    auto m = td::models::loadModel(dir, o);
    EXPECT_FALSE(m);
    return m ? td::Error{} : m.error();
}

nlohmann::json llamaConfig()
{
    return *td::models::tinyConfigJson("llama", {});
}

TEST(ModelErrors, MissingConfigKeys)
{
    for (const char* key : {"hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size",
                            "intermediate_size", "model_type"}) {
        auto cfg = llamaConfig();
        cfg.erase(key);
        auto r = td::models::parseModelConfig(cfg);
        ASSERT_FALSE(r) << key;
        EXPECT_EQ(r.error().code, ErrorCode::InvalidConfig) << key;
        EXPECT_NE(r.error().message.find(key), std::string::npos) << r.error().message;
    }
    auto cfg = llamaConfig();
    cfg["num_key_value_heads"] = 3;
    auto r = td::models::parseModelConfig(cfg);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("num_key_value_heads"), std::string::npos);
    auto dir = folder("noconfig");
    EXPECT_EQ(loadError(dir).code, ErrorCode::FileNotFound);
    std::ofstream(dir / "config.json") << "{broken";
    EXPECT_EQ(loadError(dir).code, ErrorCode::BadJson);
}

TEST(ModelErrors, UnknownModelTypeAndRope)
{
    auto cfg = llamaConfig();
    cfg["model_type"] = "mamba";
    auto r = td::models::parseModelConfig(cfg);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::UnsupportedArchitecture);
    EXPECT_NE(r.error().message.find("mamba"), std::string::npos);
    EXPECT_NE(r.error().hint.find("llama"), std::string::npos);
    cfg = llamaConfig();
    cfg["rope_scaling"] = {{"rope_type", "longrope"}, {"factor", 2.0}};
    r = td::models::parseModelConfig(cfg);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("longrope"), std::string::npos);
    cfg = llamaConfig();
    cfg["hidden_act"] = "relu2";
    EXPECT_FALSE(td::models::parseModelConfig(cfg));
}

TEST(ModelErrors, MissingTensorAndWrongShape)
{
    auto dir = tinyFolder("missing", llamaConfig());
    // Re-save the checkpoint without one tensor.
    auto reader = td::st::CheckpointReader::openFolder(dir);
    ASSERT_TRUE(reader);
    td::st::NamedTensors keep;
    for (const auto& n : reader->names()) {
        if (n != "model.layers.1.mlp.up_proj.weight") {
            keep.emplace_back(n, *reader->tensor(n));
        }
    }
    ASSERT_TRUE(td::st::save(dir / "model.safetensors", keep));
    auto e = loadError(dir);
    EXPECT_EQ(e.code, ErrorCode::BadCheckpoint);
    EXPECT_NE(e.message.find("model.layers.1.mlp.up_proj.weight"), std::string::npos) << e.message;

    // config.json says a bigger hidden size than the weights have.
    auto dir2 = tinyFolder("shape", llamaConfig());
    auto cfg = llamaConfig();
    cfg["intermediate_size"] = 96;
    writeConfig(dir2, cfg);
    e = loadError(dir2);
    EXPECT_EQ(e.code, ErrorCode::BadCheckpoint);
    EXPECT_NE(e.message.find("shape"), std::string::npos) << e.message;

    // Untied config but no lm_head in the file.
    auto dir3 = tinyFolder("tied", [] { auto c = llamaConfig(); c["tie_word_embeddings"] = true; return c; }());
    cfg = llamaConfig();
    cfg["tie_word_embeddings"] = false;
    writeConfig(dir3, cfg);
    e = loadError(dir3);
    EXPECT_NE(e.message.find("lm_head.weight"), std::string::npos) << e.message;
}

TEST(ModelErrors, CorruptWeightsFile)
{
    auto dir = tinyFolder("corrupt", llamaConfig());
    fs::resize_file(dir / "model.safetensors", fs::file_size(dir / "model.safetensors") / 2);
    auto e = loadError(dir);
    EXPECT_EQ(e.code, ErrorCode::BadCheckpoint);
    EXPECT_NE(e.message.find("model.safetensors"), std::string::npos) << e.message;
}

TEST(ModelErrors, AdapterForAnotherModel)
{
    auto cfg = llamaConfig();
    auto model = *td::models::makeRandomModel(cfg, 3);
    auto dir = folder("adapter");
    std::ofstream(dir / "adapter_config.json") << R"({"peft_type":"LORA","r":4,"lora_alpha":8})";
    ASSERT_TRUE(td::st::save(dir / "adapter_model.safetensors",
                             {{"base_model.model.model.layers.0.self_attn.qkv_proj.lora_A.weight", at::zeros({4, 64})},
                              {"base_model.model.model.layers.0.self_attn.qkv_proj.lora_B.weight", at::zeros({128, 4})}}));
    auto r = td::models::loadLoraAdapter(*model, dir);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("qkv_proj"), std::string::npos) << r.error().message;
    auto none = td::models::loadLoraAdapter(*model, folder("noadapter"));
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, ErrorCode::FileNotFound);
}

TEST(ModelErrors, BadTokenIdsAndCancellation)
{
    auto model = *td::models::makeRandomModel(llamaConfig(), 3);
    td::infer::GenerationConfig g;
    g.maxNewTokens = 4;
    auto r = td::infer::generate(*model, {{1, 2, 999}}, g);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
    EXPECT_FALSE(td::infer::generate(*model, {{}}, g));
    td::CancelToken cancel;
    cancel.cancel();
    auto c = td::infer::generate(*model, {{5, 6, 7}}, g, {}, &cancel);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->finishReasons[0], "cancelled");
    EXPECT_TRUE(c->tokens[0].empty());
}

TEST(ModelErrors, SamplingIsSeededAndStopsOnStopTokens)
{
    auto model = *td::models::makeRandomModel(llamaConfig(), 3);
    td::infer::GenerationConfig g;
    g.maxNewTokens = 12;
    g.sampling.doSample = true;
    g.sampling.temperature = 1.5;
    g.sampling.topK = 50;
    g.sampling.topP = 0.9;
    g.sampling.repetitionPenalty = 1.3;
    g.seed = 42;
    auto a = td::infer::generate(*model, {{5, 6, 7}}, g);
    auto b = td::infer::generate(*model, {{5, 6, 7}}, g);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->tokens, b->tokens);
    ASSERT_EQ(a->tokens[0].size(), 12u);
    g.stopTokenIds = {a->tokens[0][3]};
    auto s = td::infer::generate(*model, {{5, 6, 7}}, g);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->finishReasons[0], "stop");
    EXPECT_LE(s->tokens[0].size(), 4u);
    EXPECT_EQ(s->tokens[0].back(), a->tokens[0][3]);

    // Stop strings are matched on the detokenized new text.
    g.stopTokenIds.clear();
    g.detokenize = [](const std::vector<std::int64_t>& ids) {
        std::string text;
        for (auto id : ids) {
            text += "<" + std::to_string(id) + ">";
        }
        return text;
    };
    g.stopStrings = {"<" + std::to_string(a->tokens[0][5]) + ">"};
    auto str = td::infer::generate(*model, {{5, 6, 7}}, g);
    ASSERT_TRUE(str);
    EXPECT_EQ(str->finishReasons[0], "stop");
    EXPECT_LE(str->tokens[0].size(), 6u);
}

} // namespace
