// SPDX-License-Identifier: Apache-2.0
// The arguments of an export, with LLaMA-Factory's key names (llamafactory-cli export): model_name_or_path,
// adapter_name_or_path, template, finetuning_type, export_dir, export_size (GB), export_device,
// export_legacy_format, infer_dtype; plus ours: export_format (hf | gguf | adapter), export_gguf_type
// (f32 | f16 | bf16 | q8_0 | q4_0), export_dtype (alias of infer_dtype), export_verify. quantization_bit
// (with _method/_type, double_quantization) is checked: only an adapter export accepts it.
// The CLI (YAML file) and the GUI (form values as JSON) share parseExportArgs(), so keys behave the same.
// Torch-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/common/error.h"
#include "core/models/load_args.h"

namespace td::exporter
{

enum class ExportFormat
{
    Hf,      ///< merged Hugging Face folder (sharded safetensors + configs + tokenizer)
    Gguf,    ///< one llama.cpp GGUF file in export_dir
    Adapter, ///< the adapter alone, as a PEFT folder
};

struct ExportArgs
{
    std::filesystem::path modelPath;                 ///< model_name_or_path (a local HF folder)
    std::vector<std::filesystem::path> adapterPaths; ///< adapter_name_or_path, comma-separated; merged in order
    std::string templateName;                        ///< template: its Jinja form goes into tokenizer_config.json
    std::string finetuningType = "lora";             ///< lora | full | freeze (adapters only with lora)
    std::filesystem::path exportDir;
    double exportSizeGb = 5.0;                       ///< shard size limit in GB (10^9 bytes), like HF's "5GB"
    std::string exportDevice = "cpu";                ///< cpu (auto → cpu); merging is done on this device
    bool exportLegacyFormat = false;                 ///< pytorch_model.bin: not supported (error)
    ExportFormat format = ExportFormat::Hf;
    std::string ggufType = "f16";                    ///< f32 | f16 | bf16 | q8_0 | q4_0
    std::string dtype = "auto";                      ///< infer_dtype: auto | float32 | bfloat16 | float16
    bool verify = true;                              ///< reload the export and compare logits
    /// quantization_bit & co: accepted for an adapter export (no effect); merging into a quantized model is
    /// refused as LLaMA-Factory does ("Cannot merge adapters to a quantized model.").
    models::ModelLoadArgs model;
    /// Simulates a full disk after this many bytes (tests); 0 = no limit.
    std::uint64_t byteLimit = 0;
};

const char* formatName(ExportFormat format);

/// Reads LLaMA-Factory-style keys from a JSON object (values may be strings, as YAML gives them). Unknown
/// keys, and LLaMA-Factory keys we do not implement, add a line to `warnings` (when given). Errors: missing
/// model_name_or_path/export_dir, bad values (InvalidConfig naming the key, with a hint).
Expected<ExportArgs> parseExportArgs(const nlohmann::json& j, std::vector<std::string>* warnings = nullptr);

} // namespace td::exporter
