// SPDX-License-Identifier: Apache-2.0
// Reads GGUF v2/v3 files (layout in gguf_writer.h): metadata, tensor infos and dequantized float32 values
// for the types in quantize.h, with every offset and size checked against the file before use. On top of
// that, loadGgufModel() maps the tensors back to Hugging Face names (gguf_arch.h) and builds a CausalLM,
// which is how an export is verified and how the tests compare a GGUF file's logits with the source model.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/common/error.h"
#include "core/export/gguf_writer.h"
#include "core/models/loader.h"

namespace td::gguf
{

struct TensorInfo
{
    std::string name;
    std::vector<std::int64_t> ne; ///< ggml order: ne[0] fastest
    GgmlType type = GgmlType::F32;
    std::uint64_t offset = 0;     ///< relative to the data section
};

class GgufFile
{
public:
    static Expected<GgufFile> open(const std::filesystem::path& path);

    std::uint32_t version() const { return m_version; }
    const Metadata& metadata() const { return m_kv; }
    const Value* find(const std::string& key) const;
    const std::vector<TensorInfo>& tensors() const { return m_tensors; }
    const TensorInfo* tensorInfo(const std::string& name) const;
    /// float32 CPU tensor in torch order (shape = reversed ne), dequantized.
    Expected<at::Tensor> tensor(const std::string& name) const;

private:
    std::shared_ptr<const std::string> m_bytes;
    std::uint32_t m_version = 0;
    Metadata m_kv;
    std::vector<TensorInfo> m_tensors;
    std::uint64_t m_dataStart = 0;
    std::filesystem::path m_path;
};

/// HF config.json (as JSON) rebuilt from the GGUF keys (tunedesk.hf_config fills what llama.cpp's keys lack).
Expected<nlohmann::json> configFromGguf(const GgufFile& file);

/// Builds a float32 CPU CausalLM from a GGUF file written for a supported architecture.
Expected<models::LoadedModel> loadGgufModel(const std::filesystem::path& path);

} // namespace td::gguf
