// SPDX-License-Identifier: Apache-2.0
// Training memory and FLOPs from config.json (see memory_estimate.h). The module list below mirrors the
// module tree transformer.cpp builds (names, shapes, biases), so counts match CausalLM::parameterCount.
#include "core/train/memory_estimate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "core/models/loader.h"
#include "core/models/quant_spec.h"
#include "core/train/finetune_internal.h"

namespace td::train
{

namespace
{

/// Activation elements autograd keeps per token and decoder layer, in units of hidden_size (C) and
/// intermediate_size (I): norm inputs and outputs, q/k/v after RoPE, the attention output, the MLP's gate,
/// activation, up and product. Calibrated against `tunedesk-cli bench train` peak RSS on the SmolLM2-135M
/// shape (B=4, T=256, bf16 LoRA): see tests/train/test_memory_estimate.cpp.
constexpr double kTokenC = 10.0;
constexpr double kTokenI = 4.0;
/// The runtime itself: libtorch, the allocator's slack, tokenizer and the tokenized data.
constexpr std::int64_t kOverheadBytes = 200'000'000;
/// loss.cpp's fp32 chunk: at most 64 Mi floats.
constexpr std::int64_t kLossChunkBytes = std::int64_t{64} << 22;

struct Module
{
    std::string path;        ///< HF module path ("model.layers.0.self_attn.q_proj")
    std::int64_t params = 0; ///< scalar parameters (weight + bias)
    bool linear = false;
    std::int64_t in = 0, out = 0; ///< Linear shape
    std::int64_t layer = -1;      ///< decoder layer, -1 outside
    std::string layerModule;      ///< the component after the layer index ("self_attn", "mlp", "input_layernorm")
};

std::vector<Module> moduleList(const models::ModelConfig& c)
{
    const auto& f = c.features;
    const std::int64_t h = c.hidden_size;
    const std::int64_t inter = c.intermediate_size;
    const std::int64_t qDim = c.num_attention_heads * c.head_dim;
    const std::int64_t kvDim = c.num_key_value_heads * c.head_dim;
    const std::int64_t normParams = (f.norm == models::NormKind::LayerNorm && f.normBias) ? 2 : 1;
    std::vector<Module> out;
    out.push_back({"model.embed_tokens", c.vocab_size * h, false, 0, 0, -1, {}});
    for (std::int64_t i = 0; i < c.num_hidden_layers; ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        auto linear = [&](const std::string& part, const std::string& name, std::int64_t in, std::int64_t o, bool bias) {
            out.push_back({p + part + "." + name, in * o + (bias ? o : 0), true, in, o, i, part});
        };
        auto norm = [&](const std::string& part, const std::string& name, std::int64_t dim) {
            out.push_back({p + (name.empty() ? part : part + "." + name), dim * normParams, false, 0, 0, i, part});
        };
        if (f.fusedQkv) {
            linear("self_attn", "qkv_proj", h, qDim + 2 * kvDim, f.qkvBias);
        } else {
            linear("self_attn", "q_proj", h, qDim, f.qkvBias);
            linear("self_attn", "k_proj", h, kvDim, f.qkvBias);
            linear("self_attn", "v_proj", h, kvDim, f.qkvBias);
        }
        linear("self_attn", "o_proj", qDim, h, f.oBias);
        if (f.qkNorm != models::QkNorm::None) {
            const bool perHead = f.qkNorm == models::QkNorm::PerHead;
            norm("self_attn", "q_norm", perHead ? c.head_dim : qDim);
            norm("self_attn", "k_norm", perHead ? c.head_dim : kvDim);
        }
        switch (f.mlp) {
        case models::MlpKind::Gated:
            linear("mlp", "gate_proj", h, inter, f.mlpBias);
            linear("mlp", "up_proj", h, inter, f.mlpBias);
            linear("mlp", "down_proj", inter, h, f.mlpBias);
            break;
        case models::MlpKind::GatedFused:
            linear("mlp", "gate_up_proj", h, 2 * inter, f.mlpBias);
            linear("mlp", "down_proj", inter, h, f.mlpBias);
            break;
        case models::MlpKind::Plain:
            linear("mlp", "c_fc", h, inter, f.mlpBias);
            linear("mlp", "c_proj", inter, h, f.mlpBias);
            break;
        }
        if (f.block != models::BlockKind::PostNorm) {
            norm("input_layernorm", "", h);
        }
        norm("post_attention_layernorm", "", h);
        if (f.block == models::BlockKind::Sandwich) {
            norm("pre_feedforward_layernorm", "", h);
        }
        if (f.block != models::BlockKind::PreNorm) {
            norm("post_feedforward_layernorm", "", h);
        }
    }
    out.push_back({"model.norm", h * normParams, false, 0, 0, -1, {}});
    if (!c.tie_word_embeddings) {
        out.push_back({"lm_head", h * c.vocab_size, true, h, c.vocab_size, -1, {}});
    }
    return out;
}

std::string leafOf(const std::string& path)
{
    const auto dot = path.rfind('.');
    return dot == std::string::npos ? path : path.substr(dot + 1);
}

std::string joined(const std::set<std::string>& names)
{
    std::string out;
    for (const auto& n : names) {
        out += (out.empty() ? "" : ", ") + n;
    }
    return out;
}

/// Freeze tuning's selection (finetune_setup.cpp freezeSelection) over the module list.
Expected<std::int64_t> freezeTrainable(const models::ModelConfig& c, const std::vector<Module>& mods, const FinetuneArgs& a)
{
    const std::int64_t layers = c.num_hidden_layers;
    const std::int64_t n = a.freezeTrainableLayers;
    const auto range = detail::freezeLayerRange(layers, n);
    if (!range) {
        return tl::unexpected(range.error());
    }
    const auto [first, last] = *range;
    std::set<std::string> hidden, nonHidden;
    for (const auto& m : mods) {
        (m.layer >= 0 ? hidden : nonHidden).insert(m.layer >= 0 ? m.layerModule : leafOf(m.path));
    }
    const auto modules = splitCommaList(a.freezeTrainableModules);
    const bool all = modules.empty() || std::find(modules.begin(), modules.end(), "all") != modules.end();
    for (const auto& m : modules) {
        if (m != "all" && !hidden.count(m)) {
            return makeError(ErrorCode::InvalidConfig, "freeze_trainable_modules: module '" + m + "' is not found",
                             "choose from: all, " + joined(hidden));
        }
    }
    const auto extras = splitCommaList(a.freezeExtraModules);
    for (const auto& m : extras) {
        if (!nonHidden.count(m)) {
            return makeError(ErrorCode::InvalidConfig, "freeze_extra_modules: module '" + m + "' is not found",
                             "choose from: " + joined(nonHidden));
        }
    }
    std::int64_t count = 0;
    for (const auto& m : mods) {
        const bool pick = m.layer >= 0 ? (m.layer >= first && m.layer < last &&
                                          (all || std::find(modules.begin(), modules.end(), m.layerModule) != modules.end()))
                                       : std::find(extras.begin(), extras.end(), leafOf(m.path)) != extras.end();
        count += pick ? m.params : 0;
    }
    return count;
}

std::int64_t dtypeBytes(const std::string& dtype)
{
    return dtype == "fp32" ? 4 : 2;
}

} // namespace

Expected<ParameterCounts> countParameters(const models::ModelConfig& config, const FinetuneArgs& finetune)
{
    const std::string& type = finetune.finetuningType;
    if (type != "full" && type != "freeze" && type != "lora") {
        return makeError(ErrorCode::InvalidConfig, "unknown finetuning_type '" + type + "'",
                         "choose one of: full, freeze, lora");
    }
    const auto mods = moduleList(config);
    ParameterCounts out;
    for (const auto& m : mods) {
        out.base += m.params;
        out.matmul += m.linear ? m.in * m.out : 0;
    }
    if (config.tie_word_embeddings) {
        out.matmul += config.hidden_size * config.vocab_size; // the tied lm_head is still a matmul
    }
    out.total = out.base;
    if (type == "full") {
        out.trainable = out.base;
    } else if (type == "freeze") {
        auto n = freezeTrainable(config, mods, finetune);
        if (!n) {
            return tl::unexpected(n.error());
        }
        out.trainable = *n;
    } else {
        // A new adapter on lora_target ("all" = every Linear but lm_head; else PEFT suffix matches). A continued
        // adapter keeps its own rank and targets; lora_rank/lora_target stand in for them here.
        const auto names = splitCommaList(finetune.loraTarget);
        const bool all = names.empty() || (names.size() == 1 && names[0] == "all");
        const auto saved = splitCommaList(finetune.additionalTarget);
        const std::int64_t r = std::max<std::int64_t>(finetune.loraRank, 1);
        for (const auto& m : mods) {
            if (m.linear) {
                const bool target = all ? m.path != "lm_head"
                                        : std::any_of(names.begin(), names.end(),
                                                      [&](const auto& n) { return detail::matchesModule(m.path, n); });
                if (target) {
                    const std::int64_t adapter = r * (m.in + m.out) + (finetune.useDora ? m.out : 0);
                    out.total += adapter;
                    out.trainable += adapter;
                }
            }
            if (std::any_of(saved.begin(), saved.end(),
                                           [&](const auto& n) { return detail::matchesModule(m.path, n); })) {
                out.trainable += m.params; // additional_target (modules_to_save) is trained fully
            }
        }
    }
    return out;
}

MemoryEstimate estimateTrainingMemory(const TrainArgs& a, const models::ModelConfig& c, const ParameterCounts& counts)
{
    MemoryEstimate e;
    e.params = counts;
    // The trainer's precision rule (trainer.cpp prepare()).
    const bool lowPrecision = a.bf16 || a.pureBf16 || a.fp16;
    const bool fullModel = a.finetune.finetuningType == "full";
    const std::string loadDtype = !lowPrecision ? "fp32" : (fullModel && !a.pureBf16) ? "fp32" : a.fp16 ? "fp16" : "bf16";
    const bool autocast = (a.bf16 || a.fp16) && !a.pureBf16;
    const std::int64_t frozen = std::max<std::int64_t>(counts.total - counts.trainable, 0);
    // Activations follow the frozen weights' dtype (or autocast's); a model trained entirely in fp32
    // (full + pure_bf16 upcasts every parameter) computes in fp32.
    const std::int64_t act = autocast || (loadDtype != "fp32" && frozen > 0) ? 2 : 4;

    e.weightBytes = frozen * dtypeBytes(loadDtype) + counts.trainable * 4;
    if (a.model.quantized()) {
        // QLoRA: decoder-layer Linear weights are stored quantized (quant_spec.h: 1 or 0.5 byte per parameter
        // plus scales) instead of in the load dtype; the layer being computed is dequantized for the matmul
        // (fp32 values, int64 byte indices and the compute-dtype copy: ~16 bytes per parameter of the largest).
        const models::QuantSpec spec = a.model.quantSpec();
        std::int64_t largest = 0;
        for (const auto& m : moduleList(c)) {
            if (m.linear && m.layer >= 0) {
                e.quantizedWeightBytes += models::quantizedBytes(spec, m.out, m.in);
                e.weightBytes -= m.in * m.out * dtypeBytes(loadDtype);
                largest = std::max(largest, m.in * m.out);
            }
        }
        e.weightBytes += e.quantizedWeightBytes + 16 * largest;
    }
    if (autocast && fullModel) {
        e.weightBytes += counts.trainable * 2; // autocast's cached 16-bit copies of the fp32 weights
    }
    e.gradientBytes = counts.trainable * 4;
    const bool sgd = a.optimizer.kind == "sgd";
    e.optimizerBytes = counts.trainable * 4 * (sgd ? (a.optimizer.momentum != 0.0 ? 1 : 0) : 2);

    const std::int64_t batch = std::max<std::int64_t>(a.trainBatchSize, 1);
    const std::int64_t seq = std::max<std::int64_t>(a.data.preprocess.cutoffLen, 1);
    const double tokens = static_cast<double>(batch) * static_cast<double>(seq);
    const double perLayer =
        tokens * (kTokenC * static_cast<double>(c.hidden_size) + kTokenI * static_cast<double>(c.intermediate_size)) *
            static_cast<double>(act) +
        static_cast<double>(batch) * static_cast<double>(c.num_attention_heads) * static_cast<double>(seq) *
            static_cast<double>(seq) * static_cast<double>(4 + (act == 2 ? 2 : 0));
    const double layers = static_cast<double>(c.num_hidden_layers);
    const double layerInput = tokens * static_cast<double>(c.hidden_size) * static_cast<double>(act);
    e.activationBytes = static_cast<std::int64_t>(a.gradientCheckpointing ? layers * layerInput + perLayer
                                                                          : layers * perLayer);
    const double logits = tokens * static_cast<double>(c.vocab_size);
    e.logitsBytes = static_cast<std::int64_t>(2.0 * logits * static_cast<double>(act)) +
                    2 * std::min<std::int64_t>(static_cast<std::int64_t>(logits * 4.0), kLossChunkBytes);
    e.overheadBytes = kOverheadBytes;
    e.totalBytes = e.weightBytes + e.gradientBytes + e.optimizerBytes + e.activationBytes + e.logitsBytes +
                   e.overheadBytes;

    e.tokensPerStep = batch * seq * std::max<std::int64_t>(a.gradientAccumulation, 1);
    const double p = static_cast<double>(counts.matmul);
    const double trainableMatmul = fullModel ? p : static_cast<double>(std::min(counts.trainable, counts.matmul));
    e.flopsPerStep = static_cast<double>(e.tokensPerStep) *
                     (2 * p + 2 * p + 2 * trainableMatmul + (a.gradientCheckpointing ? 2 * p : 0.0));

    const auto device = models::resolveDevice(a.device); // "auto" is cuda when a GPU is there
    e.gpu = device ? device->is_cuda() : a.device.rfind("cuda", 0) == 0;
    if (e.gpu) {
        e.note = "GPU memory is not queried in this build: the estimate is not compared with the device's memory";
    } else {
        e.availableBytes = availableHostMemory();
        if (!e.availableBytes) {
            e.note = "available memory is unknown on this system (no /proc/meminfo)";
        }
    }
    return e;
}

Expected<MemoryEstimate> estimateTrainingMemory(const TrainArgs& args)
{
    auto config = models::loadModelConfig(args.modelNameOrPath);
    if (!config) {
        return tl::unexpected(config.error());
    }
    auto counts = countParameters(*config, args.finetune);
    if (!counts) {
        return tl::unexpected(counts.error());
    }
    return estimateTrainingMemory(args, *config, *counts);
}

std::optional<std::int64_t> availableHostMemory()
{
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("MemAvailable:", 0) == 0) {
            std::istringstream fields(line.substr(13));
            std::int64_t kb = 0;
            if (fields >> kb) {
                return kb * 1024;
            }
        }
    }
    return std::nullopt;
}

std::string formatGigabytes(std::int64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f GB", static_cast<double>(bytes) / 1e9);
    return buf;
}

Error memoryError(const MemoryEstimate& e)
{
    return Error{ErrorCode::OutOfMemory,
                 "training needs about " + formatGigabytes(e.totalBytes) + ", " +
                     formatGigabytes(e.availableBytes.value_or(0)) + " are available (weights " +
                     formatGigabytes(e.weightBytes) + ", gradients and optimizer " +
                     formatGigabytes(e.gradientBytes + e.optimizerBytes) + ", activations and logits " +
                     formatGigabytes(e.activationBytes + e.logitsBytes) + ")",
                 "lower per_device_train_batch_size or cutoff_len, use LoRA, bf16, keep gradient checkpointing on; "
                 "skip_memory_check: true skips this check"};
}

} // namespace td::train
