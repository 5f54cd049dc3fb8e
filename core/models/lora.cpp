// SPDX-License-Identifier: Apache-2.0
// PEFT adapter folders ↔ LoRA slots of our Linear layers (see lora.h and layers.h for the maths).
#include "core/models/lora.h"

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

constexpr std::string_view kPrefix = "base_model.model.";

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
    if (j.contains("target_modules") && j["target_modules"].is_array()) {
        for (const auto& t : j["target_modules"]) {
            if (t.is_string()) {
                c.target_modules.push_back(t.get<std::string>());
            }
        }
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

Expected<std::int64_t> loadLoraAdapter(CausalLM& model, const std::filesystem::path& dir)
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
    struct Parts
    {
        at::Tensor a, b, m;
    };
    std::map<std::string, Parts> parts;
    for (const auto& name : reader->names()) {
        if (name.rfind(kPrefix, 0) != 0) {
            return makeError(ErrorCode::BadCheckpoint, "adapter tensor '" + name + "' does not start with base_model.model.");
        }
        std::string rest = name.substr(kPrefix.size());
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
        if (kind < 0 || byPath.find(module) == byPath.end()) {
            return makeError(ErrorCode::BadCheckpoint, "adapter tensor '" + name + "' matches no linear layer of the model",
                             "the adapter was trained for another architecture (check base_model_name_or_path)");
        }
        auto t = reader->tensor(name);
        if (!t) {
            return tl::unexpected(t.error());
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
            return makeError(ErrorCode::BadCheckpoint, "adapter shapes for '" + module + "' do not fit the layer [" +
                                                           std::to_string(lin->outFeatures()) + ", " +
                                                           std::to_string(lin->inFeatures()) + "]");
        }
        if (config->use_dora && !p.m.defined()) {
            return makeError(ErrorCode::BadCheckpoint, "DoRA adapter lacks lora_magnitude_vector for '" + module + "'");
        }
        lin->attachLora(p.a, p.b, config->scaling(module, r), config->use_dora ? p.m : at::Tensor());
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
        const std::string base = std::string(kPrefix) + path;
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
    std::sort(targets.begin(), targets.end());
    if (auto s = st::save(dir / "adapter_model.safetensors", tensors, {{"format", "pt"}}); !s) {
        return s;
    }
    nlohmann::json j = {{"peft_type", "LORA"},      {"task_type", "CAUSAL_LM"},    {"r", config.r},
                        {"lora_alpha", config.lora_alpha}, {"lora_dropout", 0.0}, {"bias", "none"},
                        {"use_rslora", config.use_rslora}, {"use_dora", config.use_dora},
                        {"target_modules", targets},  {"fan_in_fan_out", false},   {"inference_mode", true},
                        {"base_model_name_or_path", config.base_model_name_or_path},
                        {"rank_pattern", config.rank_pattern}, {"alpha_pattern", config.alpha_pattern}};
    std::ofstream out(dir / "adapter_config.json");
    out << j.dump(2) << "\n";
    if (!out) {
        return makeError(ErrorCode::Io, "cannot write " + (dir / "adapter_config.json").string());
    }
    return {};
}

} // namespace td::models
