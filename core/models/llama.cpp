// SPDX-License-Identifier: Apache-2.0
// Llama (model_type "llama"): mirrors transformers' models/llama/modeling_llama.py.
// RMSNorm (x * w), SwiGLU MLP down(silu(gate x) * up x), RoPE on the two halves of each head (rotate_half),
// GQA, optional attention/MLP bias, untied lm_head by default. Everything is the generic decoder's default.
#include <nlohmann/json.hpp>

#include "core/models/model_config.h"

namespace td::models::llama
{

Status parseConfig(const nlohmann::json& j, ModelConfig& c)
{
    ConfigDefaults d; // LlamaConfig: tie_word_embeddings=False, rms_norm_eps=1e-6, max_position_embeddings=2048
    d.tie_word_embeddings = false;
    if (auto s = parseCommonConfig(j, d, c); !s) {
        return s;
    }
    c.features.qkvBias = c.features.oBias = jsonBool(j, "attention_bias", false);
    c.features.mlpBias = jsonBool(j, "mlp_bias", false);
    return {};
}

} // namespace td::models::llama
