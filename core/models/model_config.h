// SPDX-License-Identifier: Apache-2.0
// A model's config.json as a typed struct. Fields parsed from HF files keep the HF key names
// (`num_key_value_heads`, `rope_theta`, ...); the `Features` part is what the architecture file derives
// from them (norm kind, MLP layout, soft-capping, multipliers) and is all the generic decoder looks at.
// Torch-free: the UI and model picker may read it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/common/error.h"

namespace td::models
{

/// `rope_scaling` of config.json. rope_type: default, linear, dynamic, llama3, yarn.
struct RopeScaling
{
    std::string rope_type = "default";
    double factor = 1.0;
    double low_freq_factor = 1.0;              ///< llama3
    double high_freq_factor = 4.0;             ///< llama3
    std::int64_t original_max_position_embeddings = 0; ///< llama3, yarn (0 = use max_position_embeddings)
    std::optional<double> attention_factor;    ///< yarn
    double beta_fast = 32.0;                   ///< yarn
    double beta_slow = 1.0;                    ///< yarn
    double mscale = 0.0;                       ///< yarn (DeepSeek style), 0 = unset
    double mscale_all_dim = 0.0;               ///< yarn, 0 = unset
};

enum class NormKind { RmsNorm, LayerNorm };
enum class MlpKind
{
    Gated,      ///< down(act(gate_proj x) * up_proj x)            llama, gemma, qwen2 ...
    GatedFused, ///< gate_up_proj = [gate; up]                       phi3
    Plain,      ///< c_proj(act(c_fc x))                             starcoder2
};
enum class Activation { Silu, GeluTanh, Gelu };
enum class QkNorm
{
    None,
    PerHead, ///< RMSNorm over head_dim after the head split (qwen3: q_norm/k_norm weight [head_dim])
    Full,    ///< RMSNorm over all heads before the split (olmo2: q_norm [H*D], k_norm [Hkv*D])
};
enum class BlockKind
{
    PreNorm,  ///< h = x + attn(ln1 x); out = h + mlp(ln2 h)                               llama family
    Sandwich, ///< h = x + post_attn_ln(attn(in_ln x)); out = h + post_ff_ln(mlp(pre_ff_ln h)) gemma2
    PostNorm, ///< h = x + post_attn_ln(attn x); out = h + post_ff_ln(mlp h)                   olmo2
};

/// What the generic decoder needs to know beyond the sizes; set by the architecture's parse function.
struct Features
{
    NormKind norm = NormKind::RmsNorm;
    bool normPlusOne = false;        ///< gemma: x_normed * (1 + w)
    bool normWeightInFloat = false;  ///< olmo2: (w * x_normed_f32).to(dtype) instead of w * x_normed.to(dtype)
    bool normBias = false;           ///< LayerNorm with bias (starcoder2)
    MlpKind mlp = MlpKind::Gated;
    Activation act = Activation::Silu;
    bool fusedQkv = false;           ///< phi3: qkv_proj = [q; k; v]
    bool qkvBias = false;
    bool oBias = false;
    bool mlpBias = false;
    QkNorm qkNorm = QkNorm::None;
    BlockKind block = BlockKind::PreNorm;
    double embeddingScale = 1.0;     ///< gemma: sqrt(hidden_size) (rounded to the compute dtype); granite multiplier
    bool embeddingScaleInDtype = false; ///< gemma: the scale is a tensor of the hidden dtype (HF's normalizer)
    std::optional<double> attentionScale; ///< default head_dim^-0.5
    double residualMultiplier = 1.0; ///< granite
    double logitsDivisor = 1.0;      ///< granite logits_scaling
    double attnSoftcap = 0.0;        ///< gemma2 attn_logit_softcapping (0 = off)
    double finalSoftcap = 0.0;       ///< gemma2 final_logit_softcapping (0 = off)
    std::vector<std::int64_t> layerWindow; ///< per layer: sliding window (0 = global attention)
};

struct ModelConfig
{
    std::string model_type;
    std::vector<std::string> architectures;
    std::int64_t vocab_size = 0;
    std::int64_t hidden_size = 0;
    std::int64_t intermediate_size = 0;
    std::int64_t num_hidden_layers = 0;
    std::int64_t num_attention_heads = 0;
    std::int64_t num_key_value_heads = 0;
    std::int64_t head_dim = 0;
    std::int64_t max_position_embeddings = 2048;
    double rms_norm_eps = 1e-6;      ///< also LayerNorm eps (starcoder2 norm_epsilon)
    double rope_theta = 10000.0;
    double partial_rotary_factor = 1.0;
    RopeScaling rope_scaling;
    bool tie_word_embeddings = false;
    std::optional<std::int64_t> sliding_window;
    std::string hidden_act = "silu";
    std::string torch_dtype;         ///< as written in config.json ("bfloat16", "float32", ...), may be empty
    std::optional<std::int64_t> bos_token_id;
    std::vector<std::int64_t> eos_token_ids;
    std::optional<std::int64_t> pad_token_id;
    Features features;

    std::int64_t rotaryDim() const { return static_cast<std::int64_t>(head_dim * partial_rotary_factor); }
};

/// Reads the keys every architecture shares. Required keys missing or of the wrong type → InvalidConfig
/// naming the key. `defaults` are the architecture's own HF defaults for keys HF omits when equal to them.
struct ConfigDefaults
{
    bool tie_word_embeddings = true; ///< PretrainedConfig default
    double rms_norm_eps = 1e-6;
    std::string hidden_act = "silu";
    std::int64_t max_position_embeddings = 2048;
    const char* epsKey = "rms_norm_eps";
    const char* actKey = "hidden_act";
};
Status parseCommonConfig(const nlohmann::json& j, const ConfigDefaults& defaults, ModelConfig& c);

/// Helpers for architecture files.
Expected<Activation> parseActivation(const std::string& name);
/// Value of an optional key, falling back when absent or null.
double jsonDouble(const nlohmann::json& j, const char* key, double fallback);
std::int64_t jsonInt(const nlohmann::json& j, const char* key, std::int64_t fallback);
bool jsonBool(const nlohmann::json& j, const char* key, bool fallback);

/// Reads `<dir>/config.json`, dispatches on model_type through the registry and returns the full config.
Expected<ModelConfig> loadModelConfig(const std::filesystem::path& dir);
/// Same from JSON already in memory (tests, make_tiny_model).
Expected<ModelConfig> parseModelConfig(const nlohmann::json& j);

} // namespace td::models
