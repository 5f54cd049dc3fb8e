// SPDX-License-Identifier: Apache-2.0
// The only list of supported architectures. Adding one = core/models/<model_type>.cpp + one declaration
// and one table line below (see docs/howto-add-architecture.md). Test: tests/models/test_all_architectures.cpp.
#include "core/models/model_registry.h"

#include "core/models/model_config.h"

namespace td::models
{

// One parse function per architecture file.
namespace llama { Status parseConfig(const nlohmann::json&, ModelConfig&); }
namespace mistral { Status parseConfig(const nlohmann::json&, ModelConfig&); }
namespace qwen2 { Status parseConfig(const nlohmann::json&, ModelConfig&); }
namespace qwen3 { Status parseConfig(const nlohmann::json&, ModelConfig&); }
namespace gemma { Status parseConfig(const nlohmann::json&, ModelConfig&); }
namespace gemma2 { Status parseConfig(const nlohmann::json&, ModelConfig&); }
namespace phi3 { Status parseConfig(const nlohmann::json&, ModelConfig&); }
namespace olmo2 { Status parseConfig(const nlohmann::json&, ModelConfig&); }
namespace starcoder2 { Status parseConfig(const nlohmann::json&, ModelConfig&); }
namespace granite { Status parseConfig(const nlohmann::json&, ModelConfig&); }

namespace
{
const std::vector<std::string> kGatedTargets = {"q_proj", "k_proj", "v_proj", "o_proj",
                                                "gate_proj", "up_proj", "down_proj"};
} // namespace

const std::vector<ArchEntry>& architectures()
{
    static const std::vector<ArchEntry> kAll = {
        // model_type    description                                               parse                 LoRA targets
        {"llama",      "Llama 2/3, SmolLM, TinyLlama, ...",                       &llama::parseConfig,      kGatedTargets},
        {"mistral",    "Mistral (llama + sliding window)",                        &mistral::parseConfig,    kGatedTargets},
        {"qwen2",      "Qwen2 / Qwen2.5 (llama + qkv bias)",                      &qwen2::parseConfig,      kGatedTargets},
        {"qwen3",      "Qwen3 (llama + q/k RMSNorm)",                             &qwen3::parseConfig,      kGatedTargets},
        {"gemma",      "Gemma (norm +1, GeGLU, embedding scale)",                 &gemma::parseConfig,      kGatedTargets},
        {"gemma2",     "Gemma 2 (soft-capping, sandwich norms, local/global)",    &gemma2::parseConfig,     kGatedTargets},
        {"phi3",       "Phi-3 / Phi-4-mini (fused qkv and gate_up)",              &phi3::parseConfig,
         {"qkv_proj", "o_proj", "gate_up_proj", "down_proj"}},
        {"olmo2",      "OLMo 2 (post-norms, q/k norm)",                           &olmo2::parseConfig,      kGatedTargets},
        {"starcoder2", "StarCoder2 (LayerNorm with bias, GELU MLP)",              &starcoder2::parseConfig,
         {"q_proj", "k_proj", "v_proj", "o_proj", "c_fc", "c_proj"}},
        {"granite",    "Granite (embedding/attention/residual/logit multipliers)", &granite::parseConfig,   kGatedTargets},
    };
    return kAll;
}

const ArchEntry* findArchitecture(std::string_view modelType)
{
    for (const auto& a : architectures()) {
        if (modelType == a.modelType) {
            return &a;
        }
    }
    return nullptr;
}

std::string supportedArchitectureList()
{
    std::string out;
    for (const auto& a : architectures()) {
        out += (out.empty() ? "" : ", ") + std::string(a.modelType);
    }
    return out;
}

} // namespace td::models
