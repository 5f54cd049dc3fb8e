// SPDX-License-Identifier: Apache-2.0
// HF ↔ GGUF names, transforms and hyperparameter keys (see gguf_arch.h).
#include "core/export/gguf_arch.h"

#include <cmath>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/models/rope.h"

namespace td::gguf
{

namespace
{

struct ArchRow
{
    const char* modelType;
    const char* ggufArch;
    bool permuteQk;
};

// One line per supported architecture. mistral has no architecture of its own in llama.cpp (it is a llama
// with a sliding window, which llama.cpp's llama graph does not apply).
constexpr ArchRow kArchs[] = {
    {"llama", "llama", true},  {"mistral", "llama", true},  {"qwen2", "qwen2", false}, {"qwen3", "qwen3", false},
    {"gemma", "gemma", false}, {"gemma2", "gemma2", false}, {"phi3", "phi3", false},
};

/// Layer-local HF module path → GGUF tensor stem. `post_attention_layernorm` depends on the block kind: the
/// norm before the MLP in pre-norm models (ffn_norm), a norm of the attention output in gemma2.
std::optional<std::string> layerStem(const std::string& module, const models::ModelConfig& c)
{
    static const std::pair<const char*, const char*> kTable[] = {
        {"input_layernorm", "attn_norm"},
        {"self_attn.q_proj", "attn_q"},
        {"self_attn.k_proj", "attn_k"},
        {"self_attn.v_proj", "attn_v"},
        {"self_attn.o_proj", "attn_output"},
        {"self_attn.qkv_proj", "attn_qkv"},
        {"self_attn.q_norm", "attn_q_norm"},
        {"self_attn.k_norm", "attn_k_norm"},
        {"pre_feedforward_layernorm", "ffn_norm"},
        {"post_feedforward_layernorm", "post_ffw_norm"},
        {"mlp.gate_proj", "ffn_gate"},
        {"mlp.up_proj", "ffn_up"},
        {"mlp.gate_up_proj", "ffn_up"}, // phi3: llama.cpp splits [gate; up] itself
        {"mlp.down_proj", "ffn_down"},
    };
    if (module == "post_attention_layernorm") {
        return c.features.block == models::BlockKind::PreNorm ? "ffn_norm" : "post_attention_norm";
    }
    for (const auto& [hf, gg] : kTable) {
        if (module == hf) {
            return std::string(gg);
        }
    }
    return std::nullopt;
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// [H*D, ...] rows: [H, 2, D/2, ...] → [H, D/2, 2, ...] (forward) or the inverse.
at::Tensor permuteRows(const at::Tensor& t, std::int64_t heads, bool forward)
{
    const auto rows = t.size(0);
    const auto d = rows / heads;
    std::vector<std::int64_t> shape = {heads, forward ? 2 : d / 2, forward ? d / 2 : 2};
    for (std::int64_t i = 1; i < t.dim(); ++i) {
        shape.push_back(t.size(i));
    }
    return t.reshape(shape).transpose(1, 2).reshape(t.sizes()).contiguous();
}

at::Tensor transform(const std::string& hfName, const at::Tensor& t, const models::ModelConfig& c, const ArchInfo& arch,
                     bool forward)
{
    if (arch.permuteQk && (endsWith(hfName, "self_attn.q_proj.weight") || endsWith(hfName, "self_attn.q_proj.bias"))) {
        return permuteRows(t, c.num_attention_heads, forward);
    }
    if (arch.permuteQk && (endsWith(hfName, "self_attn.k_proj.weight") || endsWith(hfName, "self_attn.k_proj.bias"))) {
        return permuteRows(t, c.num_key_value_heads, forward);
    }
    if (c.features.normPlusOne && endsWith(hfName, "norm.weight")) {
        return forward ? t + 1.0 : t - 1.0;
    }
    return t;
}

} // namespace

Expected<ArchInfo> archFor(const std::string& modelType)
{
    std::string list;
    for (const auto& row : kArchs) {
        if (modelType == row.modelType) {
            return ArchInfo{row.modelType, row.ggufArch, row.permuteQk};
        }
        list += (list.empty() ? "" : ", ") + std::string(row.modelType);
    }
    return makeError(ErrorCode::Unsupported, "GGUF export does not support model_type '" + modelType + "'",
                     "supported: " + list + "; export as export_format: hf instead");
}

std::optional<std::string> modelTypeFor(const std::string& ggufArch)
{
    for (const auto& row : kArchs) {
        if (ggufArch == row.ggufArch) {
            return std::string(row.modelType);
        }
    }
    return std::nullopt;
}

std::optional<std::string> toGgufName(const std::string& hfName, const models::ModelConfig& c)
{
    if (hfName == "model.embed_tokens.weight") {
        return "token_embd.weight";
    }
    if (hfName == "lm_head.weight") {
        return "output.weight";
    }
    if (hfName == "model.norm.weight" || hfName == "model.norm.bias") {
        return "output_norm." + hfName.substr(11);
    }
    const std::string prefix = "model.layers.";
    if (hfName.rfind(prefix, 0) != 0) {
        return std::nullopt;
    }
    const auto dot = hfName.find('.', prefix.size());
    const auto last = hfName.rfind('.');
    if (dot == std::string::npos || last <= dot) {
        return std::nullopt;
    }
    const std::string layer = hfName.substr(prefix.size(), dot - prefix.size());
    const std::string module = hfName.substr(dot + 1, last - dot - 1);
    const std::string param = hfName.substr(last + 1);
    auto stem = layerStem(module, c);
    if (!stem || (param != "weight" && param != "bias")) {
        return std::nullopt;
    }
    return "blk." + layer + "." + *stem + "." + param;
}

std::optional<std::string> toHfName(const std::string& ggufName, const models::ModelConfig& c)
{
    // The forward map is small and total over the model's parameters: invert it by enumerating candidates.
    static const char* kModules[] = {"input_layernorm",          "self_attn.q_proj",          "self_attn.k_proj",
                                     "self_attn.v_proj",         "self_attn.o_proj",          "self_attn.qkv_proj",
                                     "self_attn.q_norm",         "self_attn.k_norm",          "post_attention_layernorm",
                                     "pre_feedforward_layernorm", "post_feedforward_layernorm", "mlp.gate_proj",
                                     "mlp.up_proj",              "mlp.gate_up_proj",          "mlp.down_proj"};
    for (const char* n : {"model.embed_tokens.weight", "lm_head.weight", "model.norm.weight", "model.norm.bias"}) {
        if (toGgufName(n, c) == ggufName) {
            return std::string(n);
        }
    }
    if (ggufName.rfind("blk.", 0) != 0) {
        return std::nullopt;
    }
    const auto dot = ggufName.find('.', 4);
    if (dot == std::string::npos) {
        return std::nullopt;
    }
    const std::string layer = ggufName.substr(4, dot - 4);
    for (const char* module : kModules) {
        // gate_up_proj and up_proj both map to ffn_up: pick the one this model has.
        const bool fused = c.features.mlp == models::MlpKind::GatedFused;
        const std::string m = module;
        if ((m == "mlp.gate_up_proj" && !fused) || (m == "mlp.up_proj" && fused)) {
            continue;
        }
        for (const char* param : {"weight", "bias"}) {
            const std::string hf = "model.layers." + layer + "." + module + "." + param;
            if (toGgufName(hf, c) == ggufName) {
                return hf;
            }
        }
    }
    return std::nullopt;
}

at::Tensor toGgufValues(const std::string& hfName, const at::Tensor& t, const models::ModelConfig& c,
                        const ArchInfo& arch)
{
    return transform(hfName, t, c, arch, true);
}

at::Tensor fromGgufValues(const std::string& hfName, const at::Tensor& t, const models::ModelConfig& c,
                          const ArchInfo& arch)
{
    return transform(hfName, t, c, arch, false);
}

GgmlType tensorType(GgmlType requested, const std::vector<std::int64_t>& ne)
{
    if (ne.size() <= 1) {
        return GgmlType::F32;
    }
    if (isQuantized(requested) && ne[0] % kQkBlock != 0) {
        return GgmlType::F16;
    }
    return requested;
}

std::uint32_t fileType(GgmlType requested)
{
    switch (requested) {
    case GgmlType::F32:
        return 0; // LLAMA_FTYPE_ALL_F32
    case GgmlType::F16:
        return 1; // MOSTLY_F16
    case GgmlType::Q4_0:
        return 2; // MOSTLY_Q4_0
    case GgmlType::Q8_0:
        return 7; // MOSTLY_Q8_0
    case GgmlType::BF16:
        return 32; // MOSTLY_BF16
    }
    return 0;
}

at::Tensor ropeFreqFactors(const models::ModelConfig& c)
{
    if (c.rope_scaling.rope_type != "llama3") {
        return {};
    }
    models::ModelConfig plain = c;
    plain.rope_scaling = models::RopeScaling{};
    const at::Tensor base = models::RotaryEmbedding(plain).invFreq(1);
    const at::Tensor scaled = models::RotaryEmbedding(c).invFreq(1);
    return (base / scaled).to(at::kFloat).contiguous();
}

Metadata archMetadata(const models::ModelConfig& c, const nlohmann::json& configJson, const ArchInfo& arch,
                      const std::string& name, GgmlType requested)
{
    const std::string a = arch.ggufArch;
    Metadata kv;
    kv.emplace_back("general.architecture", Value::str(a));
    kv.emplace_back("general.name", Value::str(name));
    kv.emplace_back("general.file_type", Value::u32(fileType(requested)));
    if (isQuantized(requested)) {
        kv.emplace_back("general.quantization_version", Value::u32(2));
    }
    auto u32 = [](std::int64_t v) { return Value::u32(static_cast<std::uint32_t>(v)); };
    kv.emplace_back(a + ".vocab_size", u32(c.vocab_size));
    kv.emplace_back(a + ".context_length", u32(c.max_position_embeddings));
    kv.emplace_back(a + ".embedding_length", u32(c.hidden_size));
    kv.emplace_back(a + ".block_count", u32(c.num_hidden_layers));
    kv.emplace_back(a + ".feed_forward_length", u32(c.intermediate_size));
    kv.emplace_back(a + ".attention.head_count", u32(c.num_attention_heads));
    kv.emplace_back(a + ".attention.head_count_kv", u32(c.num_key_value_heads));
    kv.emplace_back(a + ".attention.key_length", u32(c.head_dim));
    kv.emplace_back(a + ".attention.value_length", u32(c.head_dim));
    kv.emplace_back(a + ".attention.layer_norm_rms_epsilon", Value::f32(static_cast<float>(c.rms_norm_eps)));
    kv.emplace_back(a + ".rope.freq_base", Value::f32(static_cast<float>(c.rope_theta)));
    kv.emplace_back(a + ".rope.dimension_count", u32(c.rotaryDim()));
    const auto& rs = c.rope_scaling;
    if (rs.rope_type == "linear" || rs.rope_type == "yarn") {
        kv.emplace_back(a + ".rope.scaling.type", Value::str(rs.rope_type));
        kv.emplace_back(a + ".rope.scaling.factor", Value::f32(static_cast<float>(rs.factor)));
        if (rs.original_max_position_embeddings > 0) {
            kv.emplace_back(a + ".rope.scaling.original_context_length", u32(rs.original_max_position_embeddings));
        }
    }
    if (c.sliding_window && a == "gemma2") {
        kv.emplace_back(a + ".attention.sliding_window", u32(*c.sliding_window));
    }
    if (c.features.attnSoftcap > 0) {
        kv.emplace_back(a + ".attn_logit_softcapping", Value::f32(static_cast<float>(c.features.attnSoftcap)));
    }
    if (c.features.finalSoftcap > 0) {
        kv.emplace_back(a + ".final_logit_softcapping", Value::f32(static_cast<float>(c.features.finalSoftcap)));
    }
    kv.emplace_back("tunedesk.hf_config", Value::str(configJson.dump()));
    return kv;
}

} // namespace td::gguf
