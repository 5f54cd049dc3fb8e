// SPDX-License-Identifier: Apache-2.0
// Writing a merged model as a Hugging Face folder that transformers (and our loader) read:
//   model.safetensors                      when everything fits in one shard, else
//   model-00001-of-0000N.safetensors ...   shards of at most export_size bytes (a tensor larger than the
//   model.safetensors.index.json           limit gets a shard of its own) + {"metadata": {"total_size"},
//                                          "weight_map": {tensor: shard}}
//   config.json                            the source config with torch_dtype = the export dtype and
//                                          tie_word_embeddings written out (tied models have no lm_head.weight)
//   generation_config.json, tokenizer files, tokenizer_config.json (chat_template = the Jinja template)
// Also the helpers the PEFT-adapter export shares (tokenizer files, value head).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

#include "core/common/cancel.h"
#include "core/common/error.h"

namespace td::models
{
class CausalLM;
}

namespace td::exporter
{

/// Byte accounting shared by every file an export writes; simulates a full disk past `limit` (tests).
struct WriteBudget
{
    std::uint64_t limit = 0; ///< 0 = none
    std::uint64_t written = 0;
    /// Io error ("no space left on device") when `bytes` more would pass the limit; else counts them.
    Status reserve(std::uint64_t bytes, const std::filesystem::path& file);
};

/// Shard plan: consecutive groups of tensor indices, each of at most `limit` bytes (single oversize tensors
/// alone). `sizes` are the tensors' byte sizes in write order.
std::vector<std::vector<std::size_t>> planShards(const std::vector<std::uint64_t>& sizes, std::uint64_t limit);

struct HfWriteOptions
{
    c10::ScalarType dtype = c10::ScalarType::Float;
    std::uint64_t shardBytes = 5'000'000'000ull;
    WriteBudget* budget = nullptr;
    const CancelToken* cancel = nullptr;
    std::function<void(std::int64_t done, std::int64_t total)> progress; ///< per shard
};

/// Writes the weights (every parameter, LoRA excluded) as shards + index into `dir`.
Status writeHfWeights(models::CausalLM& model, const std::filesystem::path& dir, const HfWriteOptions& options);

/// config.json from the source config JSON: torch_dtype updated, tie_word_embeddings explicit.
Status writeHfConfig(const nlohmann::json& sourceConfig, bool tied, c10::ScalarType dtype,
                     const std::filesystem::path& dir, WriteBudget* budget);

/// generation_config.json copied from the source folder, or made from config.json's token ids.
Status writeGenerationConfig(const std::filesystem::path& sourceDir, const nlohmann::json& sourceConfig,
                             const std::filesystem::path& dir, WriteBudget* budget);

/// Copies tokenizer.json / tokenizer.model / special_tokens_map.json / vocab.json / merges.txt /
/// added_tokens.json and writes tokenizer_config.json with `chatTemplate` (when not empty; an existing
/// chat_template.jinja is then not copied, since it would take precedence).
Status writeTokenizerFiles(const std::filesystem::path& sourceDir, const std::string& chatTemplate,
                           const std::filesystem::path& dir, WriteBudget* budget);

/// Copies value_head.safetensors / value_head.bin of a reward-model adapter (kept apart from the weights, as
/// LLaMA-Factory does). Returns whether one was copied.
Expected<bool> copyValueHead(const std::filesystem::path& adapterDir, const std::filesystem::path& dir,
                             WriteBudget* budget);

/// Writes `text` to `path` (through the budget).
Status writeText(const std::filesystem::path& path, const std::string& text, WriteBudget* budget);

} // namespace td::exporter
