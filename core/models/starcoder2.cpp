// SPDX-License-Identifier: Apache-2.0
// StarCoder2 (model_type "starcoder2"): mirrors transformers' models/starcoder2/modeling_starcoder2.py.
// LayerNorm with bias (norm_epsilon), plain MLP c_proj(gelu_tanh(c_fc x)) with bias, q/k/v/o with bias
// (use_bias), optional sliding window on every layer, tied embeddings by default.
#include <nlohmann/json.hpp>

#include "core/models/model_config.h"

namespace td::models::starcoder2
{

Status parseConfig(const nlohmann::json& j, ModelConfig& c)
{
    ConfigDefaults d; // Starcoder2Config: tie True, norm_epsilon 1e-5, gelu_pytorch_tanh, max_pos 4096
    d.rms_norm_eps = 1e-5;
    d.epsKey = "norm_epsilon";
    d.hidden_act = "gelu_pytorch_tanh";
    d.max_position_embeddings = 4096;
    if (auto s = parseCommonConfig(j, d, c); !s) {
        return s;
    }
    auto& f = c.features;
    const bool bias = jsonBool(j, "use_bias", true);
    f.norm = NormKind::LayerNorm;
    f.normBias = true;
    f.mlp = MlpKind::Plain;
    f.qkvBias = f.oBias = f.mlpBias = bias;
    if (c.sliding_window && *c.sliding_window > 0) {
        f.layerWindow.assign(f.layerWindow.size(), *c.sliding_window);
    }
    return {};
}

} // namespace td::models::starcoder2
