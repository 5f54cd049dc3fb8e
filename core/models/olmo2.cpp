// SPDX-License-Identifier: Apache-2.0
// OLMo 2 (model_type "olmo2"): mirrors transformers' models/olmo2/modeling_olmo2.py.
// Post-norm blocks inside the residual: h = x + post_attention_layernorm(attn(x)),
// out = h + post_feedforward_layernorm(mlp(h)); q_norm/k_norm are RMSNorms over the full projected q
// ([H*D]) and k ([Hkv*D]) before the head split; RMSNorm returns (w * x_normed).to(dtype).
#include <nlohmann/json.hpp>

#include "core/models/model_config.h"

namespace td::models::olmo2
{

Status parseConfig(const nlohmann::json& j, ModelConfig& c)
{
    ConfigDefaults d; // Olmo2Config: tie False, rms_norm_eps 1e-5, max_position_embeddings 2048
    d.tie_word_embeddings = false;
    d.rms_norm_eps = 1e-5;
    if (auto s = parseCommonConfig(j, d, c); !s) {
        return s;
    }
    auto& f = c.features;
    f.qkvBias = f.oBias = jsonBool(j, "attention_bias", false);
    f.block = BlockKind::PostNorm;
    f.qkNorm = QkNorm::Full;
    f.normWeightInFloat = true;
    return {};
}

} // namespace td::models::olmo2
