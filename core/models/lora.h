// SPDX-License-Identifier: Apache-2.0
// PEFT LoRA adapters: read adapter_config.json + adapter_model.safetensors and attach them to a CausalLM's
// Linear layers (LoRA, rsLoRA, DoRA), merge them, and write them back in PEFT's layout. Tensor names are
// PEFT's: base_model.model.<module path>.lora_A.weight / .lora_B.weight / .lora_magnitude_vector.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/cancel.h"
#include "core/common/error.h"

namespace td::models
{

/// PEFT's prefix of every adapter tensor name: base_model.model.<module path>.lora_A.weight, ...
inline constexpr std::string_view kPeftPrefix = "base_model.model.";

class CausalLM;

/// The adapter_config.json fields we honour (PEFT names).
struct LoraConfig
{
    std::int64_t r = 8;
    double lora_alpha = 8;
    double lora_dropout = 0.0;
    bool use_rslora = false;
    bool use_dora = false;
    std::vector<std::string> target_modules;
    std::vector<std::string> modules_to_save;         ///< module-name suffixes trained fully (PEFT modules_to_save)
    std::string init_lora_weights = "true";           ///< "true", "false", "pissa", "pissa_niter_<k>", ...
    std::map<std::string, std::int64_t> rank_pattern;  ///< module-name suffix → rank
    std::map<std::string, double> alpha_pattern;      ///< module-name suffix → alpha
    std::string base_model_name_or_path;

    /// alpha/r, or alpha/sqrt(r) with rsLoRA, for a module path using its rank/alpha pattern if any.
    double scaling(const std::string& modulePath, std::int64_t rank) const;
    /// True when `modulePath` is one of modules_to_save (PEFT suffix match on whole path components).
    bool savesModule(const std::string& modulePath) const;
};

/// The PEFT release whose adapter_config.json key set saveLoraAdapter writes (its peft_version).
inline constexpr const char* kPeftVersion = "0.18.1";

Expected<LoraConfig> readLoraConfig(const std::filesystem::path& adapterDir);

struct LoraLoadOptions
{
    /// Keep lora_A/lora_B/magnitudes and modules_to_save weights in fp32 (training: trainable parameters are
    /// fp32 masters) instead of converting them to the model dtype (inference).
    bool trainable = false;
    // lora_dropout is attached only when trainable: an inference load never drops out, even in a module
    // left in training mode.
};

/// Attaches every adapter tensor of `adapterDir` to the matching Linear of `model` (with the config's
/// lora_dropout when trainable) and copies modules_to_save weights (base_model.model.<module path>.weight) into the model.
/// Adapter tensors with no matching module, or modules with A but no B, → BadCheckpoint naming them.
/// Returns the number of LoRA layers.
Expected<std::int64_t> loadLoraAdapter(CausalLM& model, const std::filesystem::path& adapterDir,
                                       const LoraLoadOptions& options = {});

/// Loads each adapter folder in order and folds it into the base weights (PEFT's merge_and_unload), as
/// LLaMA-Factory does with every adapter but the one it continues or serves switchable. A quantized model
/// cannot merge (InvalidConfig, LLaMA-Factory's message). Returns the number of adapters merged.
Expected<std::size_t> mergeLoraAdapters(CausalLM& model, const std::vector<std::filesystem::path>& adapterDirs,
                                        const CancelToken* cancel = nullptr);

/// Writes the attached adapters as a PEFT folder (adapter_config.json with PEFT's full key set +
/// adapter_model.safetensors with lora_A/lora_B[/lora_magnitude_vector] and the modules_to_save weights).
Status saveLoraAdapter(CausalLM& model, const LoraConfig& config, const std::filesystem::path& adapterDir);

} // namespace td::models
