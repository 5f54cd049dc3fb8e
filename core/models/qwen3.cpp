// SPDX-License-Identifier: Apache-2.0
// Qwen3 (model_type "qwen3"): mirrors transformers' models/qwen3/modeling_qwen3.py.
// The Llama layout plus q_norm/k_norm: RMSNorm over head_dim applied to each query/key head after the head
// split and before RoPE. head_dim defaults to 128 (not hidden/heads); attention_bias defaults to false.
#include <nlohmann/json.hpp>

#include "core/models/model_config.h"

namespace td::models::qwen2
{
void applyQwenSlidingWindow(const nlohmann::json& j, ModelConfig& c);
}

namespace td::models::qwen3
{

Status parseConfig(const nlohmann::json& j, ModelConfig& c)
{
    ConfigDefaults d; // Qwen3Config: tie False, max_position_embeddings 32768, head_dim 128
    d.tie_word_embeddings = false;
    d.max_position_embeddings = 32768;
    if (auto s = parseCommonConfig(j, d, c); !s) {
        return s;
    }
    c.head_dim = jsonInt(j, "head_dim", 128);
    c.features.qkvBias = c.features.oBias = jsonBool(j, "attention_bias", false);
    c.features.qkNorm = QkNorm::PerHead;
    qwen2::applyQwenSlidingWindow(j, c);
    return {};
}

} // namespace td::models::qwen3
