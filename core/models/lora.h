// SPDX-License-Identifier: Apache-2.0
// PEFT LoRA adapters: read adapter_config.json + adapter_model.safetensors and attach them to a CausalLM's
// Linear layers (LoRA, rsLoRA, DoRA), merge them, and write them back in PEFT's layout. Tensor names are
// PEFT's: base_model.model.<module path>.lora_A.weight / .lora_B.weight / .lora_magnitude_vector.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/common/error.h"

namespace td::models
{

class CausalLM;

/// The adapter_config.json fields we honour (PEFT names).
struct LoraConfig
{
    std::int64_t r = 8;
    double lora_alpha = 8;
    bool use_rslora = false;
    bool use_dora = false;
    std::vector<std::string> target_modules;
    std::map<std::string, std::int64_t> rank_pattern;  ///< module-name suffix → rank
    std::map<std::string, double> alpha_pattern;      ///< module-name suffix → alpha
    std::string base_model_name_or_path;

    /// alpha/r, or alpha/sqrt(r) with rsLoRA, for a module path using its rank/alpha pattern if any.
    double scaling(const std::string& modulePath, std::int64_t rank) const;
};

Expected<LoraConfig> readLoraConfig(const std::filesystem::path& adapterDir);

/// Attaches every adapter tensor of `adapterDir` to the matching Linear of `model`. Adapter tensors with no
/// matching module, or modules with A but no B, → BadCheckpoint naming them. Returns the number of layers.
Expected<std::int64_t> loadLoraAdapter(CausalLM& model, const std::filesystem::path& adapterDir);

/// Writes the attached adapters as a PEFT folder (adapter_config.json + adapter_model.safetensors).
Status saveLoraAdapter(CausalLM& model, const LoraConfig& config, const std::filesystem::path& adapterDir);

} // namespace td::models
