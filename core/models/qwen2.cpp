// SPDX-License-Identifier: Apache-2.0
// Qwen2 (model_type "qwen2"): mirrors transformers' models/qwen2/modeling_qwen2.py.
// The Llama layout plus biases on q_proj/k_proj/v_proj (not o_proj). Sliding window only when
// use_sliding_window is true, on layers >= max_window_layers.
#include <nlohmann/json.hpp>

#include "core/models/model_config.h"

namespace td::models::qwen2
{

/// Shared with qwen3: use_sliding_window / sliding_window / max_window_layers.
void applyQwenSlidingWindow(const nlohmann::json& j, ModelConfig& c)
{
    if (!jsonBool(j, "use_sliding_window", false)) {
        c.sliding_window.reset();
        return;
    }
    const std::int64_t window = jsonInt(j, "sliding_window", 4096);
    const std::int64_t first = jsonInt(j, "max_window_layers", 28);
    c.sliding_window = window;
    for (std::size_t i = static_cast<std::size_t>(std::max<std::int64_t>(first, 0)); i < c.features.layerWindow.size();
         ++i) {
        c.features.layerWindow[i] = window;
    }
}

Status parseConfig(const nlohmann::json& j, ModelConfig& c)
{
    ConfigDefaults d; // Qwen2Config: tie False, max_position_embeddings 32768
    d.tie_word_embeddings = false;
    d.max_position_embeddings = 32768;
    if (auto s = parseCommonConfig(j, d, c); !s) {
        return s;
    }
    c.features.qkvBias = true;
    applyQwenSlidingWindow(j, c);
    return {};
}

} // namespace td::models::qwen2
