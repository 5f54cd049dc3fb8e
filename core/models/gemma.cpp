// SPDX-License-Identifier: Apache-2.0
// Gemma (model_type "gemma"): mirrors transformers' models/gemma/modeling_gemma.py.
// RMSNorm computes x_normed * (1 + w) in float32; embeddings are multiplied by sqrt(hidden_size) as a tensor
// of the hidden dtype; GeGLU MLP with the tanh GELU; head_dim defaults to 256; tied embeddings.
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/models/model_config.h"

namespace td::models::gemma
{

Status parseConfig(const nlohmann::json& j, ModelConfig& c)
{
    ConfigDefaults d; // GemmaConfig: tie True, max_position_embeddings 8192, head_dim 256
    d.max_position_embeddings = 8192;
    d.hidden_act = "gelu_pytorch_tanh";
    d.actKey = "hidden_activation"; // GemmaMLP uses hidden_activation (gelu_pytorch_tanh when unset)
    if (auto s = parseCommonConfig(j, d, c); !s) {
        return s;
    }
    c.head_dim = jsonInt(j, "head_dim", 256);
    c.features.normPlusOne = true;
    c.features.embeddingScale = std::sqrt(static_cast<double>(c.hidden_size));
    c.features.embeddingScaleInDtype = true;
    c.features.qkvBias = c.features.oBias = jsonBool(j, "attention_bias", false);
    return {};
}

} // namespace td::models::gemma
