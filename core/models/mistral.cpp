// SPDX-License-Identifier: Apache-2.0
// Mistral (model_type "mistral"): mirrors transformers' models/mistral/modeling_mistral.py.
// The Llama layout plus sliding-window attention on every layer: query i attends keys j with i-W < j <= i.
#include <nlohmann/json.hpp>

#include "core/models/model_config.h"

namespace td::models::mistral
{

Status parseConfig(const nlohmann::json& j, ModelConfig& c)
{
    ConfigDefaults d; // MistralConfig: tie False, max_position_embeddings 4096*32, sliding_window 4096
    d.tie_word_embeddings = false;
    d.max_position_embeddings = 4096 * 32;
    if (auto s = parseCommonConfig(j, d, c); !s) {
        return s;
    }
    if (!j.contains("sliding_window")) {
        c.sliding_window = 4096; // HF omits the key when it equals the default
    }
    if (c.sliding_window && *c.sliding_window > 0) {
        c.features.layerWindow.assign(c.features.layerWindow.size(), *c.sliding_window);
    }
    return {};
}

} // namespace td::models::mistral
