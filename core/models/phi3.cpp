// SPDX-License-Identifier: Apache-2.0
// Phi-3 (model_type "phi3"): mirrors transformers' models/phi3/modeling_phi3.py.
// Fused projections: self_attn.qkv_proj = [q (H*D rows); k (Hkv*D); v (Hkv*D)] and
// mlp.gate_up_proj = [gate (I rows); up (I)]; SwiGLU; RMSNorm; untied; optional sliding window on every layer;
// partial_rotary_factor (Phi-4-mini). LongRoPE ("longrope"/"su" scaling) is not supported yet.
#include <nlohmann/json.hpp>

#include "core/models/model_config.h"

namespace td::models::phi3
{

Status parseConfig(const nlohmann::json& j, ModelConfig& c)
{
    ConfigDefaults d; // Phi3Config: tie False, rms_norm_eps 1e-5, max_position_embeddings 4096
    d.tie_word_embeddings = false;
    d.rms_norm_eps = 1e-5;
    d.max_position_embeddings = 4096;
    if (auto s = parseCommonConfig(j, d, c); !s) {
        return s;
    }
    c.features.fusedQkv = true;
    c.features.mlp = MlpKind::GatedFused;
    if (c.sliding_window && *c.sliding_window > 0) {
        c.features.layerWindow.assign(c.features.layerWindow.size(), *c.sliding_window);
    }
    return {};
}

} // namespace td::models::phi3
