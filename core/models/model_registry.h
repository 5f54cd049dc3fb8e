// SPDX-License-Identifier: Apache-2.0
// The explicit table of supported architectures, keyed by config.json's model_type. One file per
// architecture (core/models/<model_type>.cpp) defines its parse function; model_registry.cpp lists them.
// No static self-registration. The UI, the CLI and the registry sweep test iterate architectures().
// Torch-free.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/common/error.h"

namespace td::models
{

struct ModelConfig;

using ParseConfigFn = Status (*)(const nlohmann::json& config, ModelConfig& out);

struct ArchEntry
{
    const char* modelType;   ///< config.json model_type, also the file name core/models/<model_type>.cpp
    const char* description; ///< one line for --help and the UI
    ParseConfigFn parse;     ///< config.json → ModelConfig (sizes + Features)
    /// HF module names LoRA targets by default ("all-linear" of LLaMA-Factory, minus lm_head).
    std::vector<std::string> loraTargets;
};

const std::vector<ArchEntry>& architectures();
const ArchEntry* findArchitecture(std::string_view modelType);
/// "llama, mistral, ..." for error hints.
std::string supportedArchitectureList();

} // namespace td::models
