// SPDX-License-Identifier: Apache-2.0
// Loads a Hugging Face model folder (config.json + model.safetensors or sharded index) into a CausalLM:
// config → registry → module tree with HF names → one name lookup per parameter (shape checked, dtype
// converted), progress + cancellation between tensors. Also picks the compute precision per device and
// saves a model back as an HF folder (config.json + model.safetensors).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

#include "core/common/cancel.h"
#include "core/common/error.h"
#include "core/models/load_args.h"
#include "core/models/model_config.h"
#include "core/models/model_info.h"

namespace td::st
{
class CheckpointReader;
}

namespace td::models
{

class CausalLM;

struct LoadOptions
{
    std::string dtype = "auto";  ///< auto | fp32 | bf16 | fp16 (also float32/bfloat16/float16)
    std::string device = "auto"; ///< auto | cpu | cuda | cuda:N
    /// Called after each tensor; return false to cancel.
    std::function<bool(std::int64_t done, std::int64_t total)> progress;
    const CancelToken* cancel = nullptr;
    /// quantization_bit & co (decoder-layer Linear weights quantized while loading: quant.h), rope_scaling
    /// (applyRopeScaling), flash_attn / boosters (log lines only).
    ModelLoadArgs modelArgs;
    /// LLaMA-Factory's model_max_length (= cutoff_len in training) for rope_scaling; unset at inference.
    std::optional<std::int64_t> modelMaxLength;
};

struct LoadedModel
{
    std::shared_ptr<CausalLM> model;
    ModelConfig config;
    ModelInfo info;
};

/// "auto": CUDA → bf16 when the GPU supports it (compute capability >= 8.0) else fp16; CPU → bf16 when the
/// checkpoint is stored in 16 bits, else fp32.
Expected<c10::ScalarType> resolveDtype(std::string_view requested, const c10::Device& device,
                                       std::string_view checkpointDtype);
Expected<c10::Device> resolveDevice(std::string_view requested);
std::string dtypeName(c10::ScalarType type); ///< "float32", "bfloat16", "float16"

Expected<LoadedModel> loadModel(const std::filesystem::path& dir, const LoadOptions& options = {});

/// Quantizes every decoder-layer Linear (q/k/v/o, gate/up/down, fused qkv/gate_up; not embeddings, norms or
/// lm_head, as bitsandbytes leaves them) straight from the checkpoint tensors, so the full-precision weight of
/// a quantized layer is never materialised in the model. Computes in `dtype` when dequantized.
Status loadQuantizedLinears(CausalLM& model, const st::CheckpointReader& reader, const QuantSpec& spec,
                            c10::ScalarType dtype, const LoadOptions& options = {});

/// Copies every parameter of `model` from the checkpoint (names must match; tied lm_head is skipped).
/// Missing tensors or wrong shapes → BadCheckpoint naming them.
Status loadWeights(CausalLM& model, const st::CheckpointReader& reader, const LoadOptions& options = {});

/// Writes `dir/config.json` (the given JSON) and `dir/model.safetensors` (every parameter, LoRA excluded,
/// converted to `dtype` when given). Creates dir.
Status saveModel(CausalLM& model, const nlohmann::json& configJson, const std::filesystem::path& dir,
                 std::optional<c10::ScalarType> dtype = std::nullopt);

ModelInfo describe(CausalLM& model, const std::filesystem::path& dir, const std::string& checkpointDtype);

} // namespace td::models
