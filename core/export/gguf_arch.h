// SPDX-License-Identifier: Apache-2.0
// Hugging Face ↔ llama.cpp naming for the architectures we export to GGUF: architecture names, tensor names
// (model.layers.3.self_attn.q_proj.weight ↔ blk.3.attn_q.weight), the value transforms llama.cpp expects,
// and the `<arch>.*` hyperparameter keys. One table shared by the writer and our reader, so the two cannot
// drift apart. Key and tensor names follow llama.cpp's gguf-py constants (public format description).
//
// Value transforms (applied to float32 HF tensors, undone by the reader):
// - llama/mistral ("llama" in llama.cpp): llama.cpp rotates interleaved pairs (x[2i], x[2i+1]) while HF rotates
//   the two halves of a head, so q_proj/k_proj rows are permuted per head: [H, 2, D/2, in] → [H, D/2, 2, in].
// - gemma/gemma2: llama.cpp's RMSNorm multiplies by w, HF Gemma by (1 + w): norm weights are stored as 1 + w.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

#include "core/common/error.h"
#include "core/export/gguf_writer.h"
#include "core/models/model_config.h"

namespace td::gguf
{

struct ArchInfo
{
    std::string modelType;  ///< HF model_type ("mistral")
    std::string ggufArch;   ///< general.architecture ("llama")
    bool permuteQk = false; ///< llama-style interleaved RoPE
};

/// Unsupported (with the list of supported types) for architectures llama.cpp cannot run from our tensors.
Expected<ArchInfo> archFor(const std::string& modelType);
/// HF model_type for a general.architecture value (llama → llama).
std::optional<std::string> modelTypeFor(const std::string& ggufArch);

/// GGUF name of an HF parameter name; nullopt when the tensor has no GGUF counterpart.
std::optional<std::string> toGgufName(const std::string& hfName, const models::ModelConfig& config);
/// HF parameter name of a GGUF tensor name (inverse of toGgufName); nullopt when unknown.
std::optional<std::string> toHfName(const std::string& ggufName, const models::ModelConfig& config);

/// float32 HF tensor → the values llama.cpp expects (permute, 1 + w). `t` keeps its shape.
at::Tensor toGgufValues(const std::string& hfName, const at::Tensor& t, const models::ModelConfig& config,
                        const ArchInfo& arch);
/// Inverse of toGgufValues.
at::Tensor fromGgufValues(const std::string& hfName, const at::Tensor& t, const models::ModelConfig& config,
                          const ArchInfo& arch);

/// The tensor type a tensor gets when the file type is `requested`: 1-D tensors stay F32 (as llama.cpp's
/// converter does), quantized types fall back to F16 when a row is not a multiple of 32.
GgmlType tensorType(GgmlType requested, const std::vector<std::int64_t>& ne);
/// general.file_type (llama.cpp's LLAMA_FTYPE_*) of an export type.
std::uint32_t fileType(GgmlType requested);

/// general.* and <arch>.* keys for a model. `configJson` (the HF config.json) is also stored whole under
/// tunedesk.hf_config so our reader restores fields llama.cpp does not carry (e.g. gemma2's
/// query_pre_attn_scalar); llama.cpp ignores unknown keys.
Metadata archMetadata(const models::ModelConfig& config, const nlohmann::json& configJson, const ArchInfo& arch,
                      const std::string& name, GgmlType requested);

/// rope_freqs.weight values for llama3 rope scaling ([rotaryDim / 2] float32: base inv_freq / scaled inv_freq),
/// undefined tensor for other rope types.
at::Tensor ropeFreqFactors(const models::ModelConfig& config);

} // namespace td::gguf
