// SPDX-License-Identifier: Apache-2.0
// config.json → ModelConfig: the keys every architecture shares, rope_scaling, and the dispatch to the
// architecture's own parse function through the registry (model_registry.cpp).
#include "core/models/model_config.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/models/model_registry.h"

namespace td::models
{

namespace
{

tl::unexpected<Error> badKey(const std::string& key, const std::string& what)
{
    return makeError(ErrorCode::InvalidConfig, "config.json: " + key + " " + what,
                     "compare config.json with the model's original Hugging Face config");
}

Status requireInt(const nlohmann::json& j, const char* key, std::int64_t& out)
{
    if (!j.contains(key) || j[key].is_null()) {
        return badKey(key, "is missing");
    }
    if (!j[key].is_number_integer() || j[key].get<std::int64_t>() <= 0) {
        return badKey(key, "must be a positive integer, got " + j[key].dump());
    }
    out = j[key].get<std::int64_t>();
    return {};
}

std::optional<std::int64_t> optInt(const nlohmann::json& j, const char* key)
{
    if (j.contains(key) && j[key].is_number_integer()) {
        return j[key].get<std::int64_t>();
    }
    return std::nullopt;
}

Status parseRopeScaling(const nlohmann::json& j, ModelConfig& c)
{
    if (!j.contains("rope_scaling") || j["rope_scaling"].is_null()) {
        return {};
    }
    const auto& r = j["rope_scaling"];
    if (!r.is_object()) {
        return badKey("rope_scaling", "must be an object or null");
    }
    auto& s = c.rope_scaling;
    if (r.contains("rope_type") && r["rope_type"].is_string()) {
        s.rope_type = r["rope_type"].get<std::string>();
    } else if (r.contains("type") && r["type"].is_string()) {
        s.rope_type = r["type"].get<std::string>();
    }
    static const char* kKnown[] = {"default", "linear", "dynamic", "llama3", "yarn"};
    if (std::find(std::begin(kKnown), std::end(kKnown), s.rope_type) == std::end(kKnown)) {
        return makeError(ErrorCode::Unsupported, "config.json: rope_scaling type '" + s.rope_type + "' is not supported",
                         "supported: default, linear, dynamic, llama3, yarn");
    }
    s.factor = jsonDouble(r, "factor", 1.0);
    if (s.rope_type != "default" && !(s.factor > 0)) {
        return badKey("rope_scaling.factor", "must be > 0");
    }
    s.low_freq_factor = jsonDouble(r, "low_freq_factor", 1.0);
    s.high_freq_factor = jsonDouble(r, "high_freq_factor", 4.0);
    s.original_max_position_embeddings = jsonInt(r, "original_max_position_embeddings", 0);
    if (r.contains("attention_factor") && r["attention_factor"].is_number()) {
        s.attention_factor = r["attention_factor"].get<double>();
    }
    s.beta_fast = jsonDouble(r, "beta_fast", 32.0);
    s.beta_slow = jsonDouble(r, "beta_slow", 1.0);
    s.mscale = jsonDouble(r, "mscale", 0.0);
    s.mscale_all_dim = jsonDouble(r, "mscale_all_dim", 0.0);
    if (s.rope_type == "llama3" && s.original_max_position_embeddings <= 0) {
        return badKey("rope_scaling.original_max_position_embeddings", "is required for llama3 scaling");
    }
    return {};
}

} // namespace

double jsonDouble(const nlohmann::json& j, const char* key, double fallback)
{
    return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

std::int64_t jsonInt(const nlohmann::json& j, const char* key, std::int64_t fallback)
{
    return j.contains(key) && j[key].is_number_integer() ? j[key].get<std::int64_t>() : fallback;
}

bool jsonBool(const nlohmann::json& j, const char* key, bool fallback)
{
    return j.contains(key) && j[key].is_boolean() ? j[key].get<bool>() : fallback;
}

Expected<Activation> parseActivation(const std::string& name)
{
    if (name == "silu" || name == "swish") {
        return Activation::Silu;
    }
    if (name == "gelu_pytorch_tanh" || name == "gelu_new" || name == "gelu_fast" || name == "gelu_tanh") {
        return Activation::GeluTanh;
    }
    if (name == "gelu") {
        return Activation::Gelu;
    }
    return makeError(ErrorCode::Unsupported, "config.json: activation '" + name + "' is not supported",
                     "supported: silu, gelu, gelu_pytorch_tanh");
}

Status parseCommonConfig(const nlohmann::json& j, const ConfigDefaults& d, ModelConfig& c)
{
    if (!j.contains("model_type") || !j["model_type"].is_string()) {
        return badKey("model_type", "is missing");
    }
    c.model_type = j["model_type"].get<std::string>();
    if (j.contains("architectures") && j["architectures"].is_array()) {
        for (const auto& a : j["architectures"]) {
            if (a.is_string()) {
                c.architectures.push_back(a.get<std::string>());
            }
        }
    }
    for (auto [key, field] : {std::pair{"vocab_size", &c.vocab_size}, {"hidden_size", &c.hidden_size},
                              {"intermediate_size", &c.intermediate_size},
                              {"num_hidden_layers", &c.num_hidden_layers},
                              {"num_attention_heads", &c.num_attention_heads}}) {
        if (auto s = requireInt(j, key, *field); !s) {
            return s;
        }
    }
    c.num_key_value_heads = jsonInt(j, "num_key_value_heads", c.num_attention_heads);
    if (c.num_key_value_heads <= 0 || c.num_attention_heads % c.num_key_value_heads != 0) {
        return badKey("num_key_value_heads", "must divide num_attention_heads (" +
                                                 std::to_string(c.num_attention_heads) + "), got " +
                                                 std::to_string(c.num_key_value_heads));
    }
    c.head_dim = jsonInt(j, "head_dim", 0);
    if (c.head_dim <= 0) {
        if (c.hidden_size % c.num_attention_heads != 0) {
            return badKey("hidden_size", "must be divisible by num_attention_heads when head_dim is absent");
        }
        c.head_dim = c.hidden_size / c.num_attention_heads;
    }
    c.max_position_embeddings = jsonInt(j, "max_position_embeddings", d.max_position_embeddings);
    c.rms_norm_eps = jsonDouble(j, d.epsKey, d.rms_norm_eps);
    c.rope_theta = jsonDouble(j, "rope_theta", 10000.0);
    c.partial_rotary_factor = jsonDouble(j, "partial_rotary_factor", 1.0);
    if (c.rotaryDim() % 2 != 0 || c.rotaryDim() <= 0) {
        return badKey("partial_rotary_factor", "gives an odd or empty rotary dimension");
    }
    if (auto s = parseRopeScaling(j, c); !s) {
        return s;
    }
    c.tie_word_embeddings = jsonBool(j, "tie_word_embeddings", d.tie_word_embeddings);
    c.sliding_window = optInt(j, "sliding_window");
    c.hidden_act = j.contains(d.actKey) && j[d.actKey].is_string() ? j[d.actKey].get<std::string>() : d.hidden_act;
    auto act = parseActivation(c.hidden_act);
    if (!act) {
        return tl::unexpected(act.error());
    }
    c.features.act = *act;
    c.torch_dtype = j.contains("torch_dtype") && j["torch_dtype"].is_string() ? j["torch_dtype"].get<std::string>() : "";
    c.bos_token_id = optInt(j, "bos_token_id");
    c.pad_token_id = optInt(j, "pad_token_id");
    if (j.contains("eos_token_id")) {
        const auto& e = j["eos_token_id"];
        if (e.is_number_integer()) {
            c.eos_token_ids.push_back(e.get<std::int64_t>());
        } else if (e.is_array()) {
            for (const auto& x : e) {
                if (x.is_number_integer()) {
                    c.eos_token_ids.push_back(x.get<std::int64_t>());
                }
            }
        }
    }
    c.features.layerWindow.assign(static_cast<std::size_t>(c.num_hidden_layers), 0);
    return {};
}

Expected<ModelConfig> parseModelConfig(const nlohmann::json& j)
{
    if (!j.is_object()) {
        return makeError(ErrorCode::BadJson, "config.json is not a JSON object");
    }
    if (!j.contains("model_type") || !j["model_type"].is_string()) {
        return badKey("model_type", "is missing");
    }
    const std::string type = j["model_type"].get<std::string>();
    const ArchEntry* arch = findArchitecture(type);
    if (arch == nullptr) {
        return makeError(ErrorCode::UnsupportedArchitecture, "model_type '" + type + "' is not supported",
                         "supported: " + supportedArchitectureList());
    }
    ModelConfig c;
    if (auto s = arch->parse(j, c); !s) {
        return tl::unexpected(s.error());
    }
    return c;
}

Expected<ModelConfig> loadModelConfig(const std::filesystem::path& dir)
{
    const auto path = dir / "config.json";
    std::ifstream in(path);
    if (!in) {
        return makeError(ErrorCode::FileNotFound, "no config.json in " + dir.string(),
                         "choose a Hugging Face model folder (it holds config.json and *.safetensors)");
    }
    nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        return makeError(ErrorCode::BadJson, path.string() + " is not valid JSON");
    }
    return parseModelConfig(j);
}

} // namespace td::models
