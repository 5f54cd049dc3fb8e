// SPDX-License-Identifier: Apache-2.0
// Gemma 2 (model_type "gemma2"): mirrors transformers' models/gemma2/modeling_gemma2.py.
// Gemma's norms and embedding scale plus: four norms per layer (input, post_attention, pre_feedforward,
// post_feedforward; the post norms apply to the sublayer output before the residual add), attention scale
// query_pre_attn_scalar^-0.5, attention scores soft-capped c*tanh(s/c) before the mask, final logits
// soft-capped, and sliding-window attention on even layers (0, 2, ...), global attention on odd ones.
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/models/model_config.h"

namespace td::models::gemma2
{

Status parseConfig(const nlohmann::json& j, ModelConfig& c)
{
    ConfigDefaults d; // Gemma2Config defaults (HF omits keys equal to them)
    d.max_position_embeddings = 8192;
    d.hidden_act = "gelu_pytorch_tanh";
    d.actKey = "hidden_activation";
    if (auto s = parseCommonConfig(j, d, c); !s) {
        return s;
    }
    auto& f = c.features;
    c.head_dim = jsonInt(j, "head_dim", 256);
    f.normPlusOne = true;
    f.embeddingScale = std::sqrt(static_cast<double>(c.hidden_size));
    f.embeddingScaleInDtype = true;
    f.qkvBias = f.oBias = jsonBool(j, "attention_bias", false);
    f.block = BlockKind::Sandwich;
    f.attentionScale = 1.0 / std::sqrt(jsonDouble(j, "query_pre_attn_scalar", 256.0));
    f.attnSoftcap = j.contains("attn_logit_softcapping") ? jsonDouble(j, "attn_logit_softcapping", 0.0) : 50.0;
    f.finalSoftcap = j.contains("final_logit_softcapping") ? jsonDouble(j, "final_logit_softcapping", 0.0) : 30.0;
    const std::int64_t window = j.contains("sliding_window") ? jsonInt(j, "sliding_window", 0) : 4096;
    c.sliding_window = window > 0 ? std::optional<std::int64_t>(window) : std::nullopt;
    for (std::size_t i = 0; i < f.layerWindow.size(); i += 2) {
        f.layerWindow[i] = window;
    }
    return {};
}

} // namespace td::models::gemma2
