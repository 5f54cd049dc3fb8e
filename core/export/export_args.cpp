// SPDX-License-Identifier: Apache-2.0
// Export arguments: LLaMA-Factory keys → ExportArgs (see export_args.h).
#include "core/export/export_args.h"

#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "core/export/quantize.h"

namespace td::exporter
{

namespace
{

/// Keys LLaMA-Factory's export accepts that have no effect here (a warning says so, not an error).
const std::set<std::string> kIgnored = {"trust_remote_code", "export_hub_model_id", "cache_dir", "model_revision",
                                        "hf_hub_token", "use_fast_tokenizer", "stage", "do_train", "low_cpu_mem_usage",
                                        "flash_attn", "rope_scaling", "print_param_status", "resize_vocab",
                                        "split_special_tokens", "new_special_tokens", "infer_backend"};

std::string asString(const nlohmann::json& v)
{
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_null()) {
        return "";
    }
    return v.dump();
}

tl::unexpected<Error> badValue(const std::string& key, const nlohmann::json& v, const std::string& hint)
{
    return makeError(ErrorCode::InvalidConfig, "invalid value " + v.dump() + " for " + key, hint);
}

Expected<bool> asBool(const std::string& key, const nlohmann::json& v)
{
    if (v.is_boolean()) {
        return v.get<bool>();
    }
    const std::string s = asString(v);
    if (s == "true" || s == "True" || s == "1") {
        return true;
    }
    if (s == "false" || s == "False" || s == "0" || s.empty()) {
        return false;
    }
    return badValue(key, v, "use true or false");
}

std::string normaliseDtype(std::string s)
{
    if (s == "fp32" || s == "float" || s == "f32") {
        return "float32";
    }
    if (s == "bf16") {
        return "bfloat16";
    }
    if (s == "fp16" || s == "half" || s == "f16") {
        return "float16";
    }
    return s;
}

} // namespace

const char* formatName(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Hf:
        return "hf";
    case ExportFormat::Gguf:
        return "gguf";
    case ExportFormat::Adapter:
        return "adapter";
    }
    return "?";
}

Expected<ExportArgs> parseExportArgs(const nlohmann::json& j, std::vector<std::string>* warnings)
{
    if (!j.is_object()) {
        return makeError(ErrorCode::InvalidConfig, "export arguments must be a mapping of keys to values",
                         "write one `key: value` per line, e.g. model_name_or_path: path/to/model");
    }
    ExportArgs a;
    auto warn = [&](std::string w) {
        if (warnings) {
            warnings->push_back(std::move(w));
        }
    };
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& key = it.key();
        const nlohmann::json& v = it.value();
        if (key == "quantization_bit" || key == "quantization_method" || key == "quantization_type" ||
            key == "double_quantization") {
            if (auto q = models::parseModelLoadKey(a.model, key, v); !q) {
                return tl::unexpected(q.error());
            }
        } else if (key == "model_name_or_path") {
            a.modelPath = asString(v);
        } else if (key == "adapter_name_or_path") {
            std::vector<std::string> parts;
            if (v.is_array()) {
                for (const auto& p : v) {
                    parts.push_back(asString(p));
                }
            } else {
                const std::string s = asString(v);
                std::size_t start = 0;
                while (start <= s.size() && !s.empty()) {
                    const auto comma = s.find(',', start);
                    parts.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
                    if (comma == std::string::npos) {
                        break;
                    }
                    start = comma + 1;
                }
            }
            for (auto& p : parts) {
                const auto b = p.find_first_not_of(" \t");
                const auto e = p.find_last_not_of(" \t");
                if (b != std::string::npos) {
                    a.adapterPaths.emplace_back(p.substr(b, e - b + 1));
                }
            }
        } else if (key == "template") {
            a.templateName = asString(v);
        } else if (key == "finetuning_type") {
            a.finetuningType = asString(v);
            if (a.finetuningType != "lora" && a.finetuningType != "full" && a.finetuningType != "freeze") {
                return badValue(key, v, "use lora, full or freeze");
            }
        } else if (key == "export_dir") {
            a.exportDir = asString(v);
        } else if (key == "export_size") {
            double gb = 0;
            if (v.is_number()) {
                gb = v.get<double>();
            } else {
                try {
                    gb = std::stod(asString(v));
                } catch (...) {
                    return badValue(key, v, "export_size is the shard size in GB, e.g. 5");
                }
            }
            if (!(gb > 0) || !std::isfinite(gb)) {
                return badValue(key, v, "export_size is the shard size in GB and must be positive, e.g. 5");
            }
            a.exportSizeGb = gb;
        } else if (key == "export_device") {
            a.exportDevice = asString(v);
            if (a.exportDevice == "auto") {
                a.exportDevice = "cpu";
            }
            if (a.exportDevice != "cpu") {
                return badValue(key, v, "exports are merged on the CPU: use export_device: cpu");
            }
        } else if (key == "export_legacy_format") {
            auto b = asBool(key, v);
            if (!b) {
                return tl::unexpected(b.error());
            }
            a.exportLegacyFormat = *b;
        } else if (key == "export_format") {
            const std::string s = asString(v);
            if (s == "hf" || s == "safetensors") {
                a.format = ExportFormat::Hf;
            } else if (s == "gguf") {
                a.format = ExportFormat::Gguf;
            } else if (s == "adapter" || s == "peft") {
                a.format = ExportFormat::Adapter;
            } else {
                return badValue(key, v, "use hf, gguf or adapter");
            }
        } else if (key == "export_gguf_type") {
            gguf::GgmlType t;
            a.ggufType = asString(v);
            for (auto& ch : a.ggufType) {
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            }
            if (!gguf::parseGgmlType(a.ggufType, t)) {
                return badValue(key, v, "use f32, f16, bf16, q8_0 or q4_0");
            }
        } else if (key == "infer_dtype" || key == "export_dtype") {
            a.dtype = normaliseDtype(asString(v));
            if (a.dtype != "auto" && a.dtype != "float32" && a.dtype != "bfloat16" && a.dtype != "float16") {
                return badValue(key, v, "use auto, float32, bfloat16 or float16");
            }
        } else if (key == "export_verify") {
            auto b = asBool(key, v);
            if (!b) {
                return tl::unexpected(b.error());
            }
            a.verify = *b;
        } else if (key == "export_quantization_bit" || key == "export_quantization_dataset") {
            if (!v.is_null()) {
                warn(key + " (GPTQ) is not supported and is ignored; use export_format: gguf with export_gguf_type: "
                           "q8_0 or q4_0 for a quantized model");
            }
        } else if (kIgnored.count(key)) {
            warn(key + " has no effect on an export here and is ignored");
        } else {
            warn("unknown key '" + key + "' is ignored");
        }
    }
    if (a.modelPath.empty()) {
        return makeError(ErrorCode::InvalidConfig, "model_name_or_path is missing",
                         "add model_name_or_path: the base model folder (a Hugging Face folder on disk)");
    }
    if (a.exportDir.empty()) {
        return makeError(ErrorCode::InvalidConfig, "export_dir is missing", "add export_dir: the folder to create");
    }
    if (!a.adapterPaths.empty() && a.finetuningType != "lora") {
        return makeError(ErrorCode::InvalidConfig, "adapter_name_or_path is only valid with finetuning_type: lora",
                         "set finetuning_type: lora, or remove adapter_name_or_path to export a full model");
    }
    if (a.format == ExportFormat::Adapter && a.adapterPaths.size() != 1) {
        return makeError(ErrorCode::InvalidConfig, "export_format: adapter needs exactly one adapter_name_or_path",
                         "name the adapter folder to export in adapter_name_or_path");
    }
    if (auto st = models::validateModelLoadArgs(a.model); !st) {
        return tl::unexpected(st.error());
    }
    if (a.model.quantized()) {
        // LLaMA-Factory refuses to merge into a bnb model; an adapter trained with QLoRA is a normal PEFT
        // adapter, so merging it into the full-precision base (no quantization_bit) is the way.
        if (a.format == ExportFormat::Adapter) {
            warn("quantization_bit has no effect on an adapter export (the adapter is copied as it is)");
        } else if (!a.adapterPaths.empty()) {
            return makeError(ErrorCode::InvalidConfig, "Cannot merge adapters to a quantized model.",
                             "remove quantization_bit: the adapter (QLoRA-trained or not) merges into the full-precision "
                             "base; for a small file use export_format: gguf with export_gguf_type q4_0 or q8_0");
        } else {
            return makeError(ErrorCode::Unsupported, "exporting a bnb-quantized model (quantization_bit) is not supported",
                             "remove quantization_bit; for a quantized file use export_format: gguf with export_gguf_type "
                             "q4_0 or q8_0");
        }
    }
    if (a.exportLegacyFormat && a.format == ExportFormat::Hf) {
        return makeError(ErrorCode::Unsupported, "export_legacy_format (pytorch_model.bin) is not supported",
                         "set export_legacy_format: false; transformers loads the safetensors shards we write");
    }
    return a;
}


} // namespace td::exporter
