// SPDX-License-Identifier: Apache-2.0
// Random-weight models of any registered architecture and shape: the config.json a tiny (or bench-sized)
// model of that architecture needs, with the architecture's special features switched on so tests exercise
// them (sliding windows, soft-caps, multipliers, biases). Used by tools/make_tiny_model (the bundled demo
// model and the SmolLM2-135M-like bench shape), the registry sweep test and `bench generate`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace td::models
{

class CausalLM;

struct TinyShape
{
    std::int64_t hidden = 64;
    std::int64_t layers = 2;
    std::int64_t heads = 4;
    std::int64_t kvHeads = 2;
    std::int64_t intermediate = 128;
    std::int64_t vocab = 320;
    std::int64_t maxPositions = 256;
    std::optional<bool> tied;          ///< default: the architecture's usual choice
    std::int64_t slidingWindow = 8;    ///< for architectures that have one (mistral, gemma2)

    /// SmolLM2-135M's shape (llama): hidden 576, 30 layers, 9 heads, 3 KV heads, MLP 1536, vocab 49152, tied.
    static TinyShape smolLm2();
    /// The bundled demo model: small enough to build in seconds, big enough to chat with the demo tokenizer.
    static TinyShape demo();
};

/// config.json for `modelType` (must be in the registry) with this shape.
Expected<nlohmann::json> tinyConfigJson(const std::string& modelType, const TinyShape& shape);

/// Builds the model for `config` in float32 with initRandom(seed).
Expected<std::shared_ptr<CausalLM>> makeRandomModel(const nlohmann::json& config, std::uint64_t seed);

/// Writes a complete HF folder: config.json, generation_config.json, model.safetensors (dtype "float32" or
/// "bfloat16"), plus tokenizer files copied from `tokenizerDir` when given.
Status writeTinyModel(const std::filesystem::path& dir, const nlohmann::json& config, std::uint64_t seed,
                      const std::string& dtype, const std::filesystem::path& tokenizerDir = {});

} // namespace td::models
