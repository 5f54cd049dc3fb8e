// SPDX-License-Identifier: Apache-2.0
// Model-loading keys (see load_args.h): parsing, LLaMA-Factory's checks, the rope_scaling override.
#include "core/models/load_args.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "core/common/arg_values.h"

namespace td::models
{

namespace
{

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// Method names compare lower-case; a list is not a method name.
Expected<std::string> asText(const std::string& key, const nlohmann::json& v)
{
    if (v.is_array()) {
        return tl::unexpected(argTypeError(key, v, "a string"));
    }
    auto s = argString(key, v);
    if (!s) {
        return s;
    }
    return lower(*s);
}

constexpr auto asBool = argBool;

/// Bit widths and factors: small integers.
Expected<int> asInt(const std::string& key, const nlohmann::json& v)
{
    auto n = argInt(key, v);
    if (!n || std::abs(*n) > 1000000) {
        return tl::unexpected(argTypeError(key, v, "an integer"));
    }
    return static_cast<int>(*n);
}

} // namespace

QuantSpec ModelLoadArgs::quantSpec() const
{
    QuantSpec s;
    s.bits = quantizationBit;
    s.type4 = quantizationType == "fp4" ? QuantType::Fp4 : QuantType::Nf4;
    s.doubleQuant = doubleQuantization;
    return s;
}

Expected<bool> parseModelLoadKey(ModelLoadArgs& a, const std::string& key, const nlohmann::json& v)
{
    static const std::set<std::string> kKeys = {"quantization_bit", "quantization_method", "quantization_type",
                                                "double_quantization", "rope_scaling", "flash_attn",
                                                "use_unsloth", "enable_liger_kernel"};
    if (!kKeys.contains(key)) {
        return false;
    }
    if (v.is_null()) {
        return true; // LLaMA-Factory's own files write explicit nulls for "default"
    }
    Status st;
    auto text = [&](std::string& out) -> Status {
        auto s = asText(key, v);
        if (!s) {
            return tl::unexpected(s.error());
        }
        out = *s;
        return {};
    };
    auto flag = [&](bool& out) -> Status {
        auto b = asBool(key, v);
        if (!b) {
            return tl::unexpected(b.error());
        }
        out = *b;
        return {};
    };
    if (key == "quantization_bit") {
        auto n = asInt(key, v);
        if (!n) {
            return tl::unexpected(n.error());
        }
        a.quantizationBit = *n;
    } else if (key == "quantization_method") {
        st = text(a.quantizationMethod);
    } else if (key == "quantization_type") {
        st = text(a.quantizationType);
    } else if (key == "double_quantization") {
        st = flag(a.doubleQuantization);
    } else if (key == "rope_scaling") {
        st = text(a.ropeScaling);
        if (st && (a.ropeScaling == "none" || a.ropeScaling == "null")) {
            a.ropeScaling.clear(); // LlamaBoard's "none" choice
        }
    } else if (key == "flash_attn") {
        st = text(a.flashAttn);
    } else if (key == "use_unsloth") {
        st = flag(a.useUnsloth);
    } else {
        st = flag(a.enableLigerKernel);
    }
    if (!st) {
        return tl::unexpected(st.error());
    }
    return true;
}

Status validateModelLoadArgs(const ModelLoadArgs& a)
{
    if (a.quantized()) {
        if (a.quantizationMethod != "bnb" && a.quantizationMethod != "bitsandbytes") {
            return makeError(ErrorCode::Unsupported,
                             "quantization_method `" + a.quantizationMethod + "` is not supported",
                             "use quantization_method: bnb (bitsandbytes-style 4/8-bit weights, LLaMA-Factory's default)");
        }
        if (a.quantizationBit != 4 && a.quantizationBit != 8) {
            return makeError(ErrorCode::InvalidConfig,
                             "quantization_bit = " + std::to_string(a.quantizationBit) + " is not 4 or 8",
                             "bnb quantization stores weights in 8 bits (int8) or 4 bits (nf4/fp4)");
        }
        if (a.quantizationType != "nf4" && a.quantizationType != "fp4") {
            return makeError(ErrorCode::InvalidConfig, "quantization_type `" + a.quantizationType + "` is not nf4 or fp4",
                             "use quantization_type: nf4 (QLoRA's default) or fp4");
        }
    }
    static const std::set<std::string> kRope = {"", "linear", "dynamic", "yarn", "llama3"};
    if (!kRope.contains(a.ropeScaling)) {
        return makeError(ErrorCode::InvalidConfig, "rope_scaling `" + a.ropeScaling + "` is not one of linear, dynamic, yarn, llama3",
                         "use rope_scaling: linear (or dynamic, yarn, llama3), or leave it unset");
    }
    static const std::set<std::string> kFlash = {"auto", "disabled", "sdpa", "fa2"};
    if (!kFlash.contains(a.flashAttn)) {
        return makeError(ErrorCode::InvalidConfig, "flash_attn `" + a.flashAttn + "` is not one of auto, disabled, sdpa, fa2",
                         "use flash_attn: auto");
    }
    return {};
}

std::vector<std::string> boosterWarnings(const ModelLoadArgs& a)
{
    std::vector<std::string> out;
    for (auto [on, key] : {std::pair{a.useUnsloth, "use_unsloth"}, std::pair{a.enableLigerKernel, "enable_liger_kernel"}}) {
        if (on) {
            out.push_back(std::string(key) + " is a Python-only booster and has no effect here: TuneDesk uses its own "
                                             "fused kernels (fused cross-entropy, fused RMSNorm) instead");
        }
    }
    return out;
}

void applyRopeScaling(ModelConfig& c, const std::string& type, std::optional<std::int64_t> modelMaxLength,
                      std::vector<std::string>* notes)
{
    if (type.empty()) {
        return;
    }
    auto note = [&](const std::string& line) {
        if (notes != nullptr) {
            notes->push_back(line);
        }
    };
    const std::int64_t old = c.rope_scaling.original_max_position_embeddings > 0
                                 ? c.rope_scaling.original_max_position_embeddings
                                 : c.max_position_embeddings;
    double factor = 2.0; // inference: LLaMA-Factory doubles the context
    if (modelMaxLength) {
        if (old <= 0 || *modelMaxLength <= old) {
            note("rope_scaling: input length " + std::to_string(*modelMaxLength) + " is not larger than max_position_embeddings " +
                 std::to_string(old) + ", rope scaling disabled");
            return;
        }
        if (type == "dynamic") {
            note("rope_scaling: dynamic NTK scaling may not work well with fine-tuning");
        }
        factor = std::ceil(static_cast<double>(*modelMaxLength) / static_cast<double>(old));
    }
    RopeScaling s;
    s.rope_type = type;
    s.factor = factor;
    if (type == "dynamic" || type == "yarn" || type == "llama3") {
        s.original_max_position_embeddings = old;
    }
    if (type == "llama3") {
        s.low_freq_factor = 1.0;
        s.high_freq_factor = 4.0;
    }
    c.rope_scaling = s;
    c.max_position_embeddings = static_cast<std::int64_t>(static_cast<double>(old) * factor);
    note("rope_scaling: using " + type + " scaling with factor " + std::to_string(static_cast<int>(factor)) +
         ", max_position_embeddings " + std::to_string(old) + " -> " + std::to_string(c.max_position_embeddings));
}

} // namespace td::models
