// SPDX-License-Identifier: Apache-2.0
// PEFT adapter folders ↔ LoRA slots of our Linear layers (see lora.h and layers.h for the maths).
#include "core/models/lora.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/models/layers.h"
#include "core/models/transformer.h"
#include "core/tensor/safetensors.h"

namespace td::models
{

namespace
{


bool endsWithModule(const std::string& path, const std::string& suffix)
{
    return path == suffix || (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0 &&
                              path[path.size() - suffix.size() - 1] == '.');
}

} // namespace

double LoraConfig::scaling(const std::string& modulePath, std::int64_t rank) const
{
    double alpha = lora_alpha;
    for (const auto& [suffix, a] : alpha_pattern) {
        if (endsWithModule(modulePath, suffix)) {
            alpha = a;
        }
    }
    const double r = static_cast<double>(rank);
    return use_rslora ? alpha / std::sqrt(r) : alpha / r;
}

bool LoraConfig::savesModule(const std::string& modulePath) const
{
    return std::any_of(modules_to_save.begin(), modules_to_save.end(),
                       [&](const std::string& m) { return endsWithModule(modulePath, m); });
}

Expected<LoraConfig> readLoraConfig(const std::filesystem::path& dir)
{
    const auto path = dir / "adapter_config.json";
    std::ifstream in(path);
    if (!in) {
        return makeError(ErrorCode::FileNotFound, "no adapter_config.json in " + dir.string(),
                         "choose a PEFT adapter folder (adapter_config.json + adapter_model.safetensors)");
    }
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return makeError(ErrorCode::BadJson, path.string() + " is not a JSON object");
    }
    if (j.contains("peft_type") && j["peft_type"] != "LORA") {
        return makeError(ErrorCode::Unsupported, "adapter type " + j["peft_type"].dump() + " is not supported",
                         "only LoRA adapters (including rsLoRA and DoRA) can be loaded");
    }
    LoraConfig c;
    c.r = jsonInt(j, "r", 8);
    c.lora_alpha = jsonDouble(j, "lora_alpha", 8.0);
    c.use_rslora = jsonBool(j, "use_rslora", false);
    c.use_dora = jsonBool(j, "use_dora", false);
    c.lora_dropout = jsonDouble(j, "lora_dropout", 0.0);
    for (auto [key, list] : {std::pair{"target_modules", &c.target_modules}, {"modules_to_save", &c.modules_to_save}}) {
        if (j.contains(key) && j[key].is_array()) {
            for (const auto& t : j[key]) {
                if (t.is_string()) {
                    list->push_back(t.get<std::string>());
                }
            }
        } else if (j.contains(key) && j[key].is_string()) {
            list->push_back(j[key].get<std::string>()); // PEFT also accepts a single name (a regex for targets)
        }
    }
    if (j.contains("init_lora_weights")) {
        const auto& w = j["init_lora_weights"];
        c.init_lora_weights = w.is_boolean() ? (w.get<bool>() ? "true" : "false") : w.is_string() ? w.get<std::string>() : "true";
    }
    for (const char* key : {"rank_pattern", "alpha_pattern"}) {
        if (j.contains(key) && j[key].is_object()) {
            for (auto it = j[key].begin(); it != j[key].end(); ++it) {
                if (!it.value().is_number()) {
                    continue;
                }
                if (std::string(key) == "rank_pattern") {
                    c.rank_pattern[it.key()] = it.value().get<std::int64_t>();
                } else {
                    c.alpha_pattern[it.key()] = it.value().get<double>();
                }
            }
        }
    }
    if (j.contains("base_model_name_or_path") && j["base_model_name_or_path"].is_string()) {
        c.base_model_name_or_path = j["base_model_name_or_path"].get<std::string>();
    }
    if (c.r <= 0) {
        return makeError(ErrorCode::InvalidConfig, path.string() + ": r must be positive");
    }
    return c;
}

Expected<std::int64_t> loadLoraAdapter(CausalLM& model, const std::filesystem::path& dir, const LoraLoadOptions& options)
{
    auto config = readLoraConfig(dir);
    if (!config) {
        return tl::unexpected(config.error());
    }
    auto reader = st::CheckpointReader::openFile(dir / "adapter_model.safetensors");
    if (!reader) {
        return tl::unexpected(reader.error().withContext("loading adapter"));
    }
    std::map<std::string, std::shared_ptr<LinearImpl>> byPath;
    for (auto& [path, lin] : model.linears()) {
        byPath[path] = lin;
    }
    auto params = model.named_parameters();
    struct Parts
    {
        at::Tensor a, b, m;
    };
    std::map<std::string, Parts> parts;
    std::vector<std::pair<at::Tensor, at::Tensor>> saved; // (model parameter, modules_to_save tensor)
    for (const auto& name : reader->names()) {
        if (name.rfind(kPeftPrefix, 0) != 0) {
            return makeError(ErrorCode::BadCheckpoint, "adapter tensor '" + name + "' does not start with base_model.model.");
        }
        std::string rest = name.substr(kPeftPrefix.size());
        std::string module;
        int kind = -1;
        for (auto [suffix, k] : {std::pair{".lora_A.weight", 0}, {".lora_B.weight", 1}, {".lora_magnitude_vector", 2},
                                 {".lora_magnitude_vector.weight", 2}}) {
            const std::string s = suffix;
            if (rest.size() > s.size() && rest.compare(rest.size() - s.size(), s.size(), s) == 0) {
                module = rest.substr(0, rest.size() - s.size());
                kind = k;
            }
        }
        auto t = reader->tensor(name);
        if (!t) {
            return tl::unexpected(t.error());
        }
        if (kind < 0 && params.contains(rest) && config->savesModule(rest.substr(0, rest.rfind('.')))) {
            // modules_to_save: a full weight under its normal path (PEFT strips "modules_to_save.default").
            const at::Tensor& p = params[rest];
            if (p.sizes() != t->sizes()) {
                return makeError(ErrorCode::BadCheckpoint, "adapter tensor '" + name + "' has shape " +
                                                               c10::str(t->sizes()) + ", the model's is " + c10::str(p.sizes()),
                                 "the adapter was trained for another base model (check base_model_name_or_path)");
            }
            saved.emplace_back(p, *t);
            continue;
        }
        if (kind < 0 || byPath.find(module) == byPath.end()) {
            return makeError(ErrorCode::BadCheckpoint, "adapter tensor '" + name + "' matches no linear layer of the model",
                             "the adapter was trained for another architecture (check base_model_name_or_path)");
        }
        (kind == 0 ? parts[module].a : kind == 1 ? parts[module].b : parts[module].m) = t->to(at::kFloat);
    }
    at::NoGradGuard noGrad;
    for (auto& [module, p] : parts) {
        auto& lin = byPath[module];
        if (!p.a.defined() || !p.b.defined()) {
            return makeError(ErrorCode::BadCheckpoint, "adapter for '" + module + "' lacks lora_A or lora_B");
        }
        const auto r = p.a.size(0);
        if (p.a.dim() != 2 || p.b.dim() != 2 || p.a.size(1) != lin->inFeatures() || p.b.size(0) != lin->outFeatures() ||
            p.b.size(1) != r) {
            return makeError(ErrorCode::BadCheckpoint,
                             "adapter shapes for '" + module + "' (lora_A " + c10::str(p.a.sizes()) + ", lora_B " +
                                 c10::str(p.b.sizes()) + ") do not fit the layer [" + std::to_string(lin->outFeatures()) +
                                 ", " + std::to_string(lin->inFeatures()) + "]",
                             "the adapter was trained for another base model (check base_model_name_or_path)");
        }
        if (config->use_dora && !p.m.defined()) {
            return makeError(ErrorCode::BadCheckpoint, "DoRA adapter lacks lora_magnitude_vector for '" + module + "'");
        }
        if (p.m.defined() && (p.m.dim() != 1 || p.m.size(0) != lin->outFeatures())) {
            return makeError(ErrorCode::BadCheckpoint, "lora_magnitude_vector of '" + module + "' has shape " +
                                                           c10::str(p.m.sizes()) + ", the layer has " +
                                                           std::to_string(lin->outFeatures()) + " outputs");
        }
    }
    for (auto& [module, p] : parts) {
        auto& lin = byPath[module];
        const auto dtype = options.trainable ? std::optional<c10::ScalarType>(at::kFloat) : std::nullopt;
        lin->attachLora(p.a, p.b, config->scaling(module, p.a.size(0)), config->use_dora ? p.m : at::Tensor(),
                        options.trainable ? config->lora_dropout : 0.0, dtype);
    }
    for (auto& [param, value] : saved) {
        if (options.trainable && param.scalar_type() != at::kFloat) {
            param.set_data(value.to(param.device(), at::kFloat).contiguous());
        } else {
            param.copy_(value);
        }
    }
    return static_cast<std::int64_t>(parts.size());
}

Status saveLoraAdapter(CausalLM& model, const LoraConfig& config, const std::filesystem::path& dir)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    st::NamedTensors tensors;
    std::vector<std::string> targets;
    for (auto& [path, lin] : model.linears()) {
        if (!lin->hasLora()) {
            continue;
        }
        const std::string base = std::string(kPeftPrefix) + path;
        tensors.emplace_back(base + ".lora_A.weight", lin->lora()->aWeight.detach());
        tensors.emplace_back(base + ".lora_B.weight", lin->lora()->bWeight.detach());
        if (lin->lora()->dora) {
            tensors.emplace_back(base + ".lora_magnitude_vector", lin->magnitude.detach());
        }
        const std::string leaf = path.substr(path.rfind('.') + 1);
        if (std::find(targets.begin(), targets.end(), leaf) == targets.end()) {
            targets.push_back(leaf);
        }
    }
    if (!config.modules_to_save.empty()) {
        for (const auto& item : model.named_parameters()) {
            const std::string& name = item.key();
            if (name.find("lora_") == std::string::npos && config.savesModule(name.substr(0, name.rfind('.')))) {
                tensors.emplace_back(std::string(kPeftPrefix) + name, item.value().detach());
            }
        }
    }
    std::sort(targets.begin(), targets.end());
    if (auto s = st::save(dir / "adapter_model.safetensors", tensors, {{"format", "pt"}}); !s) {
        return s;
    }
    // Every key PEFT writes (0.14 and 0.18 layouts), with PEFT's defaults for what we do not use, so PEFT,
    // LLaMA-Factory and vLLM read the folder as their own. nlohmann::json sorts keys as PEFT dumps them.
    auto number = [](double v) {
        return v == std::floor(v) && std::abs(v) < 1e15 ? nlohmann::json(static_cast<std::int64_t>(v)) : nlohmann::json(v);
    };
    nlohmann::json alphaPattern = nlohmann::json::object();
    for (const auto& [k, v] : config.alpha_pattern) {
        alphaPattern[k] = number(v);
    }
    nlohmann::json init = config.init_lora_weights == "true"    ? nlohmann::json(true)
                          : config.init_lora_weights == "false" ? nlohmann::json(false)
                                                                : nlohmann::json(config.init_lora_weights);
    nlohmann::json j = {{"alora_invocation_tokens", nullptr},
                        {"alpha_pattern", alphaPattern},
                        {"arrow_config", nullptr},
                        {"auto_mapping", nullptr},
                        {"base_model_name_or_path", config.base_model_name_or_path},
                        {"bias", "none"},
                        {"corda_config", nullptr},
                        {"ensure_weight_tying", false},
                        {"eva_config", nullptr},
                        {"exclude_modules", nullptr},
                        {"fan_in_fan_out", false},
                        {"inference_mode", true},
                        {"init_lora_weights", init},
                        {"layer_replication", nullptr},
                        {"layers_pattern", nullptr},
                        {"layers_to_transform", nullptr},
                        {"loftq_config", nlohmann::json::object()},
                        {"lora_alpha", number(config.lora_alpha)},
                        {"lora_bias", false},
                        {"lora_dropout", config.lora_dropout},
                        {"megatron_config", nullptr},
                        {"megatron_core", "megatron.core"},
                        {"modules_to_save", config.modules_to_save.empty() ? nlohmann::json(nullptr)
                                                                           : nlohmann::json(config.modules_to_save)},
                        {"peft_type", "LORA"},
                        {"peft_version", kPeftVersion},
                        {"qalora_group_size", 16},
                        {"r", config.r},
                        {"rank_pattern", config.rank_pattern},
                        {"revision", nullptr},
                        {"target_modules", targets},
                        {"target_parameters", nullptr},
                        {"task_type", "CAUSAL_LM"},
                        {"trainable_token_indices", nullptr},
                        {"use_dora", config.use_dora},
                        {"use_qalora", false},
                        {"use_rslora", config.use_rslora}};
    std::ofstream out(dir / "adapter_config.json");
    out << j.dump(2) << "\n";
    if (!out) {
        return makeError(ErrorCode::Io, "cannot write " + (dir / "adapter_config.json").string());
    }
    return {};
}

Expected<std::size_t> mergeLoraAdapters(CausalLM& model, const std::vector<std::filesystem::path>& adapterDirs,
                                        const CancelToken* cancel)
{
    if (adapterDirs.empty()) {
        return std::size_t{0};
    }
    for (const auto& [name, lin] : model.linears()) {
        if (lin->isQuantized()) {
            return makeError(ErrorCode::InvalidConfig,
                             "Cannot merge adapters to a quantized model (" + std::to_string(adapterDirs.size()) +
                                 " adapter(s) would be merged).",
                             "a quantized model accepts a single adapter: merge the others first (export without "
                             "quantization_bit)");
        }
    }
    for (const auto& dir : adapterDirs) {
        if (cancel && cancel->isCancelled()) {
            return makeError(ErrorCode::Cancelled, "cancelled while merging adapters");
        }
        auto n = loadLoraAdapter(model, dir);
        if (!n) {
            return tl::unexpected(n.error().withContext("adapter " + dir.string()));
        }
        model.mergeLora();
    }
    return adapterDirs.size();
}

} // namespace td::models
