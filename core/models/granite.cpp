// SPDX-License-Identifier: Apache-2.0
// Granite (model_type "granite"): mirrors transformers' models/granite/modeling_granite.py.
// The Llama layout plus four multipliers: embeddings * embedding_multiplier, attention scale =
// attention_multiplier (instead of head_dim^-0.5), each sublayer output * residual_multiplier before the
// residual add, and logits / logits_scaling.
#include <nlohmann/json.hpp>

#include "core/models/model_config.h"

namespace td::models::granite
{

Status parseConfig(const nlohmann::json& j, ModelConfig& c)
{
    ConfigDefaults d; // GraniteConfig: tie False, rms_norm_eps 1e-6, max_position_embeddings 2048
    d.tie_word_embeddings = false;
    if (auto s = parseCommonConfig(j, d, c); !s) {
        return s;
    }
    auto& f = c.features;
    f.qkvBias = f.oBias = jsonBool(j, "attention_bias", false);
    f.mlpBias = jsonBool(j, "mlp_bias", false);
    f.embeddingScale = jsonDouble(j, "embedding_multiplier", 1.0);
    f.attentionScale = jsonDouble(j, "attention_multiplier", 1.0);
    f.residualMultiplier = jsonDouble(j, "residual_multiplier", 1.0);
    f.logitsDivisor = jsonDouble(j, "logits_scaling", 1.0);
    return {};
}

} // namespace td::models::granite
