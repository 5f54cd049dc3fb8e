// SPDX-License-Identifier: Apache-2.0
// LLaMA-Factory's model-loading keys (ModelArguments / QuantizationArguments) that training, evaluation,
// chat and export share: quantization_bit, quantization_method, quantization_type, double_quantization,
// rope_scaling, flash_attn, use_unsloth, enable_liger_kernel. Parsed here once so every entry point treats
// them alike; the loader (loader.h LoadOptions::modelArgs) acts on them. Torch-free.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/common/error.h"
#include "core/models/model_config.h"
#include "core/models/quant_spec.h"

namespace td::models
{

struct ModelLoadArgs
{
    int quantizationBit = 0;                ///< quantization_bit: 0 (none), 4 or 8
    std::string quantizationMethod = "bnb"; ///< quantization_method: bnb (hqq, eetq: Unsupported)
    std::string quantizationType = "nf4";   ///< quantization_type: nf4 | fp4 (4-bit only)
    bool doubleQuantization = true;         ///< double_quantization (LLaMA-Factory's default: true)
    std::string ropeScaling;                ///< rope_scaling: "" (none) | linear | dynamic | yarn | llama3
    std::string flashAttn = "auto";         ///< flash_attn: auto | disabled | sdpa | fa2
    bool useUnsloth = false;                ///< use_unsloth (Python-only booster: accepted with a warning)
    bool enableLigerKernel = false;         ///< enable_liger_kernel (Python-only booster: accepted with a warning)

    bool quantized() const { return quantizationBit != 0; }
    /// The loader's spec (valid after validateModelLoadArgs).
    QuantSpec quantSpec() const;
};

/// Reads `key` into `args` when it is one of the keys above: true when consumed, false for other keys.
/// Wrong value types → InvalidConfig naming the key. A null value means "default".
Expected<bool> parseModelLoadKey(ModelLoadArgs& args, const std::string& key, const nlohmann::json& value);

/// LLaMA-Factory's rules: quantization_method other than bnb → Unsupported (hint: bnb); quantization_bit
/// other than 4/8 → InvalidConfig; quantization_type nf4/fp4; rope_scaling linear/dynamic/yarn/llama3;
/// flash_attn auto/disabled/sdpa/fa2.
Status validateModelLoadArgs(const ModelLoadArgs& args);

/// One line per Python-only booster that is set (use_unsloth, enable_liger_kernel): accepted, no effect.
std::vector<std::string> boosterWarnings(const ModelLoadArgs& args);

/// LLaMA-Factory's configure_rope: with rope_scaling set, the config gets {rope_type, factor} where factor =
/// ceil(model_max_length / old) in training (old = rope_scaling.original_max_position_embeddings or
/// max_position_embeddings) and 2 at inference (modelMaxLength unset); max_position_embeddings becomes
/// old * factor; dynamic/yarn/llama3 keep old as original_max_position_embeddings (llama3: low/high freq
/// factors 1/4). Training with model_max_length <= old: no scaling (a line in `notes`, as LLaMA-Factory warns).
/// Lines for the log go to `notes`.
void applyRopeScaling(ModelConfig& config, const std::string& ropeScaling, std::optional<std::int64_t> modelMaxLength,
                      std::vector<std::string>* notes);

} // namespace td::models
