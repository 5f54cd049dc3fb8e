// SPDX-License-Identifier: Apache-2.0
// A merged CausalLM → one GGUF file: tensors renamed and transformed for llama.cpp (gguf_arch.h), encoded in
// the requested type (quantize.h), hyperparameters and tokenizer in the metadata (gguf_vocab.h).
// roundTripGguf() applies to a model exactly what writing and reading back does to its weights, so the
// export can be verified bit for bit against the in-memory model.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/common/cancel.h"
#include "core/common/error.h"
#include "core/export/hf_export.h"
#include "core/export/quantize.h"

namespace td::models
{
class CausalLM;
}

namespace td::exporter
{

struct GgufExportOptions
{
    gguf::GgmlType type = gguf::GgmlType::F16;
    std::string name;                       ///< general.name
    std::filesystem::path tokenizerDir;     ///< where tokenizer.json / tokenizer.model live
    std::string chatTemplate;               ///< tokenizer.chat_template (empty = none)
    WriteBudget* budget = nullptr;
    const CancelToken* cancel = nullptr;
    std::function<void(std::int64_t done, std::int64_t total)> progress; ///< per tensor
};

/// Writes `file`. Unsupported architectures and tokenizers → Unsupported with a hint.
Status writeGguf(models::CausalLM& model, const nlohmann::json& configJson, const std::filesystem::path& file,
                 const GgufExportOptions& options);

/// Replaces each parameter by decode(encode(transform(w))) untransformed: the weights our GGUF reader will
/// produce from the file.
Status roundTripGguf(models::CausalLM& model, gguf::GgmlType type);

} // namespace td::exporter
