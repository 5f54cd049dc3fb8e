// SPDX-License-Identifier: Apache-2.0
// Random-weight model folders of any registered architecture (see tiny_model.h).
#include "core/models/tiny_model.h"

#include <fstream>

#include <ATen/ATen.h>

#include "core/common/guard.h"
#include "core/models/loader.h"
#include "core/models/model_registry.h"
#include "core/models/transformer.h"

namespace td::models
{

TinyShape TinyShape::smolLm2()
{
    TinyShape s;
    s.hidden = 576;
    s.layers = 30;
    s.heads = 9;
    s.kvHeads = 3;
    s.intermediate = 1536;
    s.vocab = 49152;
    s.maxPositions = 8192;
    s.tied = true;
    return s;
}

TinyShape TinyShape::demo()
{
    TinyShape s;
    s.hidden = 128;
    s.layers = 4;
    s.heads = 4;
    s.kvHeads = 2;
    s.intermediate = 256;
    s.vocab = 320;
    s.maxPositions = 2048;
    s.tied = true;
    return s;
}

Expected<nlohmann::json> tinyConfigJson(const std::string& type, const TinyShape& s)
{
    static const std::map<std::string, std::string> kClass = {
        {"llama", "LlamaForCausalLM"},     {"mistral", "MistralForCausalLM"},
        {"qwen2", "Qwen2ForCausalLM"},     {"qwen3", "Qwen3ForCausalLM"},
        {"gemma", "GemmaForCausalLM"},     {"gemma2", "Gemma2ForCausalLM"},
        {"phi3", "Phi3ForCausalLM"},       {"olmo2", "Olmo2ForCausalLM"},
        {"starcoder2", "Starcoder2ForCausalLM"}, {"granite", "GraniteForCausalLM"}};
    if (findArchitecture(type) == nullptr) {
        return makeError(ErrorCode::UnsupportedArchitecture, "model_type '" + type + "' is not supported",
                         "supported: " + supportedArchitectureList());
    }
    const bool gemmaLike = type == "gemma" || type == "gemma2";
    nlohmann::json j = {{"model_type", type},
                        {"architectures", {kClass.count(type) ? kClass.at(type) : ""}},
                        {"vocab_size", s.vocab},
                        {"hidden_size", s.hidden},
                        {"intermediate_size", s.intermediate},
                        {"num_hidden_layers", s.layers},
                        {"num_attention_heads", s.heads},
                        {"num_key_value_heads", s.kvHeads},
                        {"head_dim", s.hidden / s.heads},
                        {"max_position_embeddings", s.maxPositions},
                        {"rope_theta", 10000.0},
                        {"rms_norm_eps", 1e-6},
                        {"tie_word_embeddings", s.tied.value_or(gemmaLike || type == "starcoder2")},
                        {"bos_token_id", 1},
                        {"eos_token_id", 2},
                        {"pad_token_id", 0},
                        {"torch_dtype", "float32"}};
    if (type == "mistral") {
        j["sliding_window"] = s.slidingWindow;
    } else if (type == "gemma2") {
        j["sliding_window"] = s.slidingWindow;
        j["query_pre_attn_scalar"] = 32;
        j["attn_logit_softcapping"] = 5.0;
        j["final_logit_softcapping"] = 3.0;
    } else if (type == "starcoder2") {
        j["norm_epsilon"] = 1e-5;
        j["use_bias"] = true;
        j["hidden_act"] = "gelu_pytorch_tanh";
    } else if (type == "granite") {
        j["embedding_multiplier"] = 12.0;
        j["attention_multiplier"] = 0.2;
        j["residual_multiplier"] = 0.5;
        j["logits_scaling"] = 4.0;
    }
    if (gemmaLike) {
        j["hidden_activation"] = "gelu_pytorch_tanh";
    } else if (type != "starcoder2") {
        j["hidden_act"] = "silu";
    }
    return j;
}

Expected<std::shared_ptr<CausalLM>> makeRandomModel(const nlohmann::json& config, std::uint64_t seed)
{
    auto cfg = parseModelConfig(config);
    if (!cfg) {
        return tl::unexpected(cfg.error());
    }
    std::shared_ptr<CausalLM> model;
    auto status = guarded("creating a random model", [&]() -> Status {
        model = std::make_shared<CausalLM>(*cfg, at::TensorOptions().dtype(at::kFloat));
        model->initRandom(seed);
        return {};
    });
    if (!status) {
        return tl::unexpected(status.error());
    }
    return model;
}

Status writeTinyModel(const std::filesystem::path& dir, const nlohmann::json& config, std::uint64_t seed,
                      const std::string& dtype, const std::filesystem::path& tokenizerDir)
{
    auto model = makeRandomModel(config, seed);
    if (!model) {
        return tl::unexpected(model.error());
    }
    auto type = resolveDtype(dtype, c10::Device(c10::kCPU), "");
    if (!type) {
        return tl::unexpected(type.error());
    }
    nlohmann::json cfg = config;
    cfg["torch_dtype"] = dtypeName(*type);
    if (auto s = saveModel(**model, cfg, dir, *type); !s) {
        return s;
    }
    nlohmann::json gen = nlohmann::json::object();
    for (const char* key : {"bos_token_id", "eos_token_id", "pad_token_id"}) {
        if (config.contains(key)) {
            gen[key] = config[key];
        }
    }
    std::ofstream(dir / "generation_config.json") << gen.dump(2) << "\n";
    if (!tokenizerDir.empty()) {
        for (const char* f : {"tokenizer.json", "tokenizer_config.json"}) {
            std::error_code ec;
            std::filesystem::copy_file(tokenizerDir / f, dir / f, std::filesystem::copy_options::overwrite_existing, ec);
            if (ec) {
                return makeError(ErrorCode::Io, "cannot copy " + (tokenizerDir / f).string() + ": " + ec.message());
            }
        }
    }
    return {};
}

} // namespace td::models
