// SPDX-License-Identifier: Apache-2.0
// Internal to core/train's fine-tuning setup (finetune_setup.cpp, lora_init.cpp, pissa.cpp): not an API.
#pragma once

#include <string>
#include <vector>

#include "core/common/cancel.h"
#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/models/lora.h"
#include "core/train/finetune_setup.h"

namespace td::train::detail
{

/// True when `path` equals `suffix` or ends with "." + suffix (PEFT's target/module name matching).
bool matchesModule(const std::string& path, const std::string& suffix);

/// freeze_trainable_layers → the trainable decoder layers [first, last): the last N (N > 0) or the first |N|
/// (N < 0). 0 or |N| > layers → InvalidConfig (LLaMA-Factory clamps silently; we say so).
Expected<std::pair<std::int64_t, std::int64_t>> freezeLayerRange(std::int64_t layers, std::int64_t n);

/// The lora branch of setupFinetuning: merges all adapters but the last, then continues the last one (or
/// creates a new adapter on args.loraTarget). The LoRA parameters it attaches are fp32; the returned config
/// is what saveLoraAdapter writes. Parameters of modules_to_save are not made trainable here.
Expected<models::LoraConfig> setupLora(models::CausalLM& model, const FinetuneArgs& args, const CancelToken* cancel);

} // namespace td::train::detail
