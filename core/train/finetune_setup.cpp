// SPDX-License-Identifier: Apache-2.0
// setupFinetuning: which parameters train (full / freeze / lora, LLaMA-Factory's model/adapter.py), their
// fp32 upcast, and the optimizer groups (HF's decay / no-decay split, LoRA+). The LoRA branch lives in
// lora_init.cpp, PiSSA in pissa.cpp.
#include "core/train/finetune_setup.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include "core/models/layers.h"
#include "core/models/transformer.h"
#include "core/train/finetune_internal.h"

namespace td::train
{

namespace detail
{

bool matchesModule(const std::string& path, const std::string& suffix)
{
    return path == suffix || (path.size() > suffix.size() &&
                              path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0 &&
                              path[path.size() - suffix.size() - 1] == '.');
}

} // namespace detail

namespace
{


std::string joined(const std::set<std::string>& names)
{
    std::string out;
    for (const auto& n : names) {
        out += (out.empty() ? "" : ", ") + n;
    }
    return out;
}

/// "model.layers.<i>.<module>..." → {i, module}; {-1, ""} for parameters outside the decoder layers.
std::pair<std::int64_t, std::string> layerOf(const std::string& name)
{
    static const std::string kLayers = "model.layers.";
    if (name.rfind(kLayers, 0) != 0) {
        return {-1, {}};
    }
    const auto dot = name.find('.', kLayers.size());
    const auto next = name.find('.', dot + 1);
    if (dot == std::string::npos || next == std::string::npos) {
        return {-1, {}};
    }
    return {std::stoll(name.substr(kLayers.size(), dot - kLayers.size())), name.substr(dot + 1, next - dot - 1)};
}

/// The module name just above the parameter ("model.embed_tokens.weight" → "embed_tokens").
std::string ownerOf(const std::string& name)
{
    const auto last = name.rfind('.');
    const auto prev = last == std::string::npos ? std::string::npos : name.rfind('.', last - 1);
    return last == std::string::npos ? name : name.substr(prev == std::string::npos ? 0 : prev + 1, last - prev - 1);
}

} // namespace

namespace detail
{

Expected<std::pair<std::int64_t, std::int64_t>> freezeLayerRange(std::int64_t layers, std::int64_t n)
{
    if (n == 0 || n > layers || -n > layers) {
        return makeError(ErrorCode::InvalidConfig,
                         "freeze_trainable_layers " + std::to_string(n) + " is out of range for a model with " +
                             std::to_string(layers) + " layers",
                         "use 1.." + std::to_string(layers) + " for the last layers or -1..-" + std::to_string(layers) +
                             " for the first ones");
    }
    return std::pair<std::int64_t, std::int64_t>{n > 0 ? layers - n : 0, n > 0 ? layers : -n};
}

} // namespace detail

namespace
{

/// LLaMA-Factory _setup_freeze_tuning: the last N layers (first |N| when N < 0), restricted to the named
/// sub-modules, plus extra non-layer modules. Component matches instead of LLaMA-Factory's substring tests,
/// so "norm" means model.norm and not every *_layernorm.
Expected<std::set<std::string>> freezeSelection(models::CausalLM& model, const FinetuneArgs& args)
{
    const std::int64_t layers = model.config().num_hidden_layers;
    const std::int64_t n = args.freezeTrainableLayers;
    const auto range = detail::freezeLayerRange(layers, n);
    if (!range) {
        return tl::unexpected(range.error());
    }
    const auto [first, last] = *range; // last exclusive
    std::set<std::string> hidden, nonHidden;
    auto params = model.named_parameters();
    for (const auto& item : params) {
        auto [layer, module] = layerOf(item.key());
        if (layer >= 0) {
            hidden.insert(module);
        } else {
            nonHidden.insert(ownerOf(item.key()));
        }
    }
    std::vector<std::string> modules = splitCommaList(args.freezeTrainableModules);
    const bool all = modules.empty() || std::find(modules.begin(), modules.end(), "all") != modules.end();
    for (const auto& m : modules) {
        if (m != "all" && !hidden.count(m)) {
            return makeError(ErrorCode::InvalidConfig, "freeze_trainable_modules: module '" + m + "' is not found",
                             "choose from: all, " + joined(hidden));
        }
    }
    std::vector<std::string> extras = splitCommaList(args.freezeExtraModules);
    for (const auto& m : extras) {
        if (!nonHidden.count(m)) {
            return makeError(ErrorCode::InvalidConfig, "freeze_extra_modules: module '" + m + "' is not found",
                             "choose from: " + joined(nonHidden));
        }
    }
    std::set<std::string> out;
    for (const auto& item : params) {
        auto [layer, module] = layerOf(item.key());
        const bool pick = layer >= 0 ? (layer >= first && layer < last &&
                                        (all || std::find(modules.begin(), modules.end(), module) != modules.end()))
                                     : std::find(extras.begin(), extras.end(), ownerOf(item.key())) != extras.end();
        if (pick) {
            out.insert(item.key());
        }
    }
    return out;
}

bool isLoraParam(const std::string& name)
{
    return name.find(".lora_A.") != std::string::npos || name.find(".lora_B.") != std::string::npos ||
           name.find("lora_magnitude_vector") != std::string::npos;
}

/// HF's get_decay_parameter_names excludes biases and norm weights; the header adds DoRA magnitudes.
bool noDecay(const std::string& name, const std::set<std::string>& normModules)
{
    const std::string owner = name.substr(0, name.rfind('.'));
    return name.ends_with(".bias") || normModules.count(owner) || name.find("lora_magnitude_vector") != std::string::npos;
}

} // namespace

Expected<FinetuneSetup> setupFinetuning(models::CausalLM& model, const FinetuneArgs& args, const CancelToken* cancel)
{
    const std::string& type = args.finetuningType;
    if (type != "full" && type != "freeze" && type != "lora") {
        return makeError(ErrorCode::InvalidConfig, "unknown finetuning_type '" + type + "'",
                         "choose one of: full, freeze, lora");
    }
    if (type != "lora" && !args.adapters.empty()) {
        return makeError(ErrorCode::InvalidConfig, "adapter_name_or_path is only valid with finetuning_type lora",
                         "remove the adapters or switch finetuning_type to lora (merge them first for full/freeze)");
    }
    if (type == "lora" && (args.loraRank <= 0 || args.loraDropout < 0.0 || args.loraDropout >= 1.0)) {
        return makeError(ErrorCode::InvalidConfig, "lora_rank must be positive and lora_dropout in [0, 1)");
    }
    std::int64_t quantizedCount = 0; // quantized base weights are buffers: counted in totalCount, never trained
    for (const auto& [path, lin] : model.linears()) {
        quantizedCount += lin->isQuantized() ? lin->inFeatures() * lin->outFeatures() : 0;
    }
    if (quantizedCount > 0 && type != "lora") {
        return makeError(ErrorCode::InvalidConfig, "a quantized model can only be trained with finetuning_type lora",
                         "set finetuning_type: lora (QLoRA), or remove quantization_bit for " + type + " tuning");
    }
    FinetuneSetup out;
    out.totalCount = quantizedCount;
    std::set<std::string> trainable;
    if (type == "full") {
        for (const auto& item : model.named_parameters()) {
            trainable.insert(item.key());
        }
    } else if (type == "freeze") {
        auto sel = freezeSelection(model, args);
        if (!sel) {
            return tl::unexpected(sel.error());
        }
        trainable = std::move(*sel);
    } else {
        auto lora = detail::setupLora(model, args, cancel);
        if (!lora) {
            return tl::unexpected(lora.error());
        }
        for (const auto& item : model.named_parameters()) {
            const std::string& name = item.key();
            if (isLoraParam(name) || (!lora->modules_to_save.empty() && lora->savesModule(name.substr(0, name.rfind('.'))))) {
                trainable.insert(name);
            }
        }
        out.lora = std::move(*lora);
    }

    // Freeze everything else; trainable parameters become fp32 masters (LLaMA-Factory's
    // cast_trainable_params_to_fp32) while frozen ones keep the model dtype.
    std::set<std::string> normModules;
    for (const auto& item : model.named_modules("", false)) {
        if (std::dynamic_pointer_cast<models::NormImpl>(item.value())) {
            normModules.insert(item.key());
        }
    }
    const c10::ScalarType modelDtype = model.dtype(); // the embedding's, before any upcast
    const bool loraPlus = type == "lora" && args.loraplusLrRatio.has_value();
    ParamGroup decay{{}, 1.0, args.weightDecay}, plain{{}, 1.0, 0.0};
    ParamGroup plusDecay{{}, args.loraplusLrRatio.value_or(1.0), args.weightDecay};
    ParamGroup plusPlain{{}, args.loraplusLrRatio.value_or(1.0), 0.0};
    at::NoGradGuard noGrad;
    for (auto& item : model.named_parameters()) {
        const std::string& name = item.key();
        at::Tensor& p = item.value();
        out.totalCount += p.numel();
        if (!trainable.count(name)) {
            p.requires_grad_(false);
            continue;
        }
        if (p.is_floating_point() && p.scalar_type() != at::kFloat) {
            p.set_data(p.detach().to(at::kFloat));
        }
        p.requires_grad_(true);
        out.trainableCount += p.numel();
        const bool nd = noDecay(name, normModules);
        if (loraPlus) {
            // LLaMA-Factory _create_loraplus_optimizer: lora_B and every 1-D parameter get lr * ratio.
            if (name.find(".lora_B.") != std::string::npos || p.dim() == 1) {
                (nd ? plusPlain : plusDecay).params.emplace_back(name, p);
            } else {
                decay.params.emplace_back(name, p);
            }
        } else {
            (nd ? plain : decay).params.emplace_back(name, p);
        }
    }
    // An fp32 trainable embedding in a model whose frozen part stays 16-bit hands its output back in that
    // dtype, so attention and the residual stream keep one dtype (LoRA layers cast their fp32 A/B
    // themselves). Full fine-tuning makes the whole model fp32 and needs no cast.
    const bool frozen16 = out.trainableCount < out.totalCount && modelDtype != at::kFloat;
    for (const auto& item : model.named_modules("", false)) {
        if (auto emb = std::dynamic_pointer_cast<models::EmbeddingImpl>(item.value())) {
            const bool cast = frozen16 && emb->weight.scalar_type() != modelDtype;
            emb->outputDtype = cast ? std::optional(modelDtype) : std::nullopt;
        }
    }
    for (ParamGroup* g : {&decay, &plusDecay, &plusPlain, &plain}) {
        if (!g->params.empty()) {
            out.groups.push_back(std::move(*g));
        }
    }
    return out;
}

} // namespace td::train
