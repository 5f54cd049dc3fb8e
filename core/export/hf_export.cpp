// SPDX-License-Identifier: Apache-2.0
// Merged model → Hugging Face folder (see hf_export.h). Shards go through st::save (header sorted and padded
// the way Python's safetensors writes it); every byte passes the WriteBudget so a full disk is an error value.
#include "core/export/hf_export.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/common/file_util.h"
#include "core/models/loader.h"
#include "core/models/transformer.h"
#include "core/tensor/safetensors.h"

namespace td::exporter
{

namespace
{

bool isLoraName(const std::string& name)
{
    return name.find("lora_A.") != std::string::npos || name.find("lora_B.") != std::string::npos ||
           name.find("lora_magnitude_vector") != std::string::npos;
}

std::string shardName(std::size_t k, std::size_t n)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "model-%05zu-of-%05zu.safetensors", k + 1, n);
    return buf;
}

Status copyFile(const std::filesystem::path& from, const std::filesystem::path& to, WriteBudget* budget)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(from, ec);
    if (ec) {
        return makeError(ErrorCode::Io, "cannot read " + from.string() + ": " + ec.message());
    }
    if (budget) {
        if (auto s = budget->reserve(size, to); !s) {
            return s;
        }
    }
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) {
        return makeError(ErrorCode::Io, "cannot copy " + from.string() + " to " + to.string() + ": " + ec.message(),
                         "check free disk space and permissions of the export folder");
    }
    return {};
}

} // namespace

Status WriteBudget::reserve(std::uint64_t bytes, const std::filesystem::path& file)
{
    if (limit != 0 && written + bytes > limit) {
        return makeError(ErrorCode::Io,
                         "no space left on device while writing " + file.string() + " (" +
                             std::to_string(written + bytes) + " bytes needed, " + std::to_string(limit) + " available)",
                         "free disk space or choose an export_dir on another disk");
    }
    written += bytes;
    return {};
}

Status writeText(const std::filesystem::path& path, const std::string& text, WriteBudget* budget)
{
    if (budget) {
        if (auto s = budget->reserve(text.size(), path); !s) {
            return s;
        }
    }
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.flush();
    if (!out) {
        return makeError(ErrorCode::Io, "cannot write " + path.string() + ": " + std::strerror(errno),
                         "check free disk space and permissions of the export folder");
    }
    return {};
}

std::vector<std::vector<std::size_t>> planShards(const std::vector<std::uint64_t>& sizes, std::uint64_t limit)
{
    // Greedy in write order, like transformers' shard_checkpoint: start a new shard when the next tensor
    // would overflow the current one; a tensor larger than the limit ends up alone in its shard.
    std::vector<std::vector<std::size_t>> shards;
    std::uint64_t current = 0;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (shards.empty() || (current + sizes[i] > limit && !shards.back().empty())) {
            shards.emplace_back();
            current = 0;
        }
        shards.back().push_back(i);
        current += sizes[i];
    }
    return shards;
}

Status writeHfWeights(models::CausalLM& model, const std::filesystem::path& dir, const HfWriteOptions& o)
{
    st::NamedTensors tensors;
    std::vector<std::uint64_t> sizes;
    for (const auto& item : model.named_parameters()) {
        if (isLoraName(item.key()) || !item.value().defined()) {
            continue;
        }
        tensors.emplace_back(item.key(), item.value().detach());
        sizes.push_back(static_cast<std::uint64_t>(item.value().numel()) * c10::elementSize(o.dtype));
    }
    const auto plan = planShards(sizes, o.shardBytes);
    nlohmann::json weightMap = nlohmann::json::object();
    std::uint64_t totalSize = 0;
    for (std::size_t k = 0; k < plan.size(); ++k) {
        if (o.cancel && o.cancel->isCancelled()) {
            return makeError(ErrorCode::Cancelled, "export cancelled");
        }
        const std::string file = plan.size() == 1 ? "model.safetensors" : shardName(k, plan.size());
        st::NamedTensors shard;
        std::uint64_t bytes = 0;
        for (std::size_t i : plan[k]) {
            // Cast one shard at a time: peak memory is one shard in the export dtype.
            shard.emplace_back(tensors[i].first, tensors[i].second.to(o.dtype).contiguous());
            weightMap[tensors[i].first] = file;
            bytes += sizes[i];
        }
        totalSize += bytes;
        if (o.budget) {
            if (auto s = o.budget->reserve(bytes, dir / file); !s) {
                return s;
            }
        }
        if (auto s = st::save(dir / file, shard, {{"format", "pt"}}); !s) {
            return tl::unexpected(s.error().withContext("writing " + file));
        }
        if (o.progress) {
            o.progress(static_cast<std::int64_t>(k + 1), static_cast<std::int64_t>(plan.size()));
        }
    }
    if (plan.size() > 1) {
        const nlohmann::json index = {{"metadata", {{"total_size", totalSize}}}, {"weight_map", weightMap}};
        return writeText(dir / "model.safetensors.index.json", index.dump(2) + "\n", o.budget);
    }
    return {};
}

Status writeHfConfig(const nlohmann::json& source, bool tied, c10::ScalarType dtype, const std::filesystem::path& dir,
                     WriteBudget* budget)
{
    nlohmann::json j = source;
    j["torch_dtype"] = models::dtypeName(dtype);
    // Written out even when it equals the architecture default, so the folder says what its tensors are: a
    // tied model has no lm_head.weight, and a loader that assumed "untied" would give it a random head (the
    // failure mode LLaMA-Factory exports of Gemma 3 ran into).
    j["tie_word_embeddings"] = tied;
    j.erase("quantization_config");
    return writeText(dir / "config.json", j.dump(2) + "\n", budget);
}

Status writeGenerationConfig(const std::filesystem::path& sourceDir, const nlohmann::json& source,
                             const std::filesystem::path& dir, WriteBudget* budget)
{
    if (std::filesystem::exists(sourceDir / "generation_config.json")) {
        return copyFile(sourceDir / "generation_config.json", dir / "generation_config.json", budget);
    }
    nlohmann::json g = nlohmann::json::object();
    for (const char* key : {"bos_token_id", "eos_token_id", "pad_token_id"}) {
        if (source.contains(key) && !source[key].is_null()) {
            g[key] = source[key];
        }
    }
    return writeText(dir / "generation_config.json", g.dump(2) + "\n", budget);
}

Status writeTokenizerFiles(const std::filesystem::path& src, const std::string& chatTemplate,
                           const std::filesystem::path& dir, WriteBudget* budget)
{
    for (const char* name : {"tokenizer.json", "tokenizer.model", "special_tokens_map.json", "vocab.json", "merges.txt",
                             "added_tokens.json"}) {
        if (std::filesystem::exists(src / name)) {
            if (auto s = copyFile(src / name, dir / name, budget); !s) {
                return s;
            }
        }
    }
    if (chatTemplate.empty() && std::filesystem::exists(src / "chat_template.jinja")) {
        if (auto s = copyFile(src / "chat_template.jinja", dir / "chat_template.jinja", budget); !s) {
            return s;
        }
    }
    nlohmann::json tc = nlohmann::json::object();
    if (std::filesystem::exists(src / "tokenizer_config.json")) {
        auto text = readFile(src / "tokenizer_config.json");
        if (!text) {
            return tl::unexpected(text.error());
        }
        tc = nlohmann::json::parse(*text, nullptr, false);
        if (tc.is_discarded() || !tc.is_object()) {
            return makeError(ErrorCode::BadTokenizer, (src / "tokenizer_config.json").string() + " is not a JSON object");
        }
    } else if (chatTemplate.empty()) {
        return {};
    }
    if (!chatTemplate.empty()) {
        tc["chat_template"] = chatTemplate;
    }
    return writeText(dir / "tokenizer_config.json", tc.dump(2) + "\n", budget);
}

Expected<bool> copyValueHead(const std::filesystem::path& adapterDir, const std::filesystem::path& dir, WriteBudget* budget)
{
    for (const char* name : {"value_head.safetensors", "value_head.bin"}) {
        if (std::filesystem::exists(adapterDir / name)) {
            if (auto s = copyFile(adapterDir / name, dir / name, budget); !s) {
                return tl::unexpected(s.error());
            }
            return true;
        }
    }
    return false;
}

} // namespace td::exporter
