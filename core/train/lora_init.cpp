// SPDX-License-Identifier: Apache-2.0
// The lora branch of setupFinetuning (LLaMA-Factory model/adapter.py _setup_lora_tuning + PEFT's LoraLayer
// init): merge earlier adapters, continue the last one or create a new adapter on lora_target with PEFT's
// initialisation (kaiming-uniform A, zero B; PiSSA; DoRA magnitudes), seeded by FinetuneArgs::seed.
#include <algorithm>
#include <cmath>
#include <set>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "core/models/layers.h"
#include "core/models/transformer.h"
#include "core/train/finetune_internal.h"

namespace td::train::detail
{

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

std::string leafOf(const std::string& path)
{
    const auto dot = path.rfind('.');
    return dot == std::string::npos ? path : path.substr(dot + 1);
}

Status cancelled(const CancelToken* cancel)
{
    if (cancel && cancel->isCancelled()) {
        return makeError(ErrorCode::Cancelled, "fine-tuning setup cancelled");
    }
    return {};
}

/// The Linear module paths a new adapter goes on. "all" = every Linear but lm_head (LLaMA-Factory's
/// find_all_linear_modules); otherwise each name must match at least one module (PEFT suffix match).
Expected<std::vector<std::string>> resolveTargets(models::CausalLM& model, const std::string& loraTarget)
{
    std::set<std::string> leaves;
    std::vector<std::string> paths;
    for (const auto& [path, lin] : model.linears()) {
        paths.push_back(path);
        if (path != "lm_head") {
            leaves.insert(leafOf(path));
        }
    }
    std::vector<std::string> names = splitCommaList(loraTarget);
    const bool all = names.empty() || (names.size() == 1 && names[0] == "all");
    std::vector<std::string> out;
    for (const auto& name : names) {
        if (!all && std::none_of(paths.begin(), paths.end(), [&](const auto& p) { return matchesModule(p, name); })) {
            return makeError(ErrorCode::InvalidConfig, "lora_target: module '" + name + "' is not found in the model",
                             "choose from: all, " + joined(leaves));
        }
    }
    for (const auto& path : paths) {
        const bool pick = all ? path != "lm_head"
                              : std::any_of(names.begin(), names.end(), [&](const auto& n) { return matchesModule(path, n); });
        if (pick) {
            out.push_back(path);
        }
    }
    return out;
}

Status checkModulesToSave(models::CausalLM& model, const std::vector<std::string>& modules)
{
    std::set<std::string> owners;
    for (const auto& item : model.named_parameters()) {
        const std::string& name = item.key();
        if (name.find("lora_") == std::string::npos && name.rfind("model.layers.", 0) != 0) {
            owners.insert(name.substr(0, name.rfind('.')));
        }
    }
    for (const auto& m : modules) {
        bool found = false;
        for (const auto& item : model.named_parameters()) {
            const std::string& name = item.key();
            found = found || (name.find("lora_") == std::string::npos && matchesModule(name.substr(0, name.rfind('.')), m));
        }
        if (!found) {
            return makeError(ErrorCode::InvalidConfig, "additional_target: module '" + m + "' is not found in the model",
                             "modules outside the decoder layers: " + joined(owners));
        }
    }
    return {};
}

} // namespace

Expected<models::LoraConfig> setupLora(models::CausalLM& model, const FinetuneArgs& args, const CancelToken* cancel)
{
    const auto& adapters = args.adapters;
    // LLaMA-Factory: all adapters but the last are merged; the last is continued unless create_new_adapter.
    const bool resume = !adapters.empty() && !args.createNewAdapter;
    const std::size_t merged = resume ? adapters.size() - 1 : adapters.size();
    // A quantized model cannot merge: LLaMA-Factory's message says to continue a single adapter instead.
    if (auto m = models::mergeLoraAdapters(model, {adapters.begin(), adapters.begin() + merged}, cancel); !m) {
        auto e = m.error();
        if (e.code == ErrorCode::InvalidConfig) {
            e.hint = "Quantized model only accepts a single adapter to continue: merge the others first "
                     "(export without quantization_bit), and do not set create_new_adapter";
        }
        return tl::unexpected(e);
    }
    if (resume) {
        const auto& dir = adapters.back();
        auto config = models::readLoraConfig(dir);
        if (!config) {
            return tl::unexpected(config.error().withContext("adapter " + dir.string()));
        }
        models::LoraLoadOptions lo;
        lo.trainable = true;
        auto n = models::loadLoraAdapter(model, dir, lo);
        if (!n) {
            return tl::unexpected(n.error().withContext("adapter " + dir.string()));
        }
        if (*n == 0) {
            return makeError(ErrorCode::BadCheckpoint, "adapter " + dir.string() + " holds no LoRA tensors");
        }
        return *config;
    }

    auto targets = resolveTargets(model, args.loraTarget);
    if (!targets) {
        return tl::unexpected(targets.error());
    }
    models::LoraConfig config;
    config.r = args.loraRank;
    config.lora_alpha = args.loraAlpha.value_or(2.0 * static_cast<double>(args.loraRank));
    config.lora_dropout = args.loraDropout;
    config.use_rslora = args.useRslora;
    config.use_dora = args.useDora;
    config.modules_to_save = splitCommaList(args.additionalTarget);
    if (auto s = checkModulesToSave(model, config.modules_to_save); !s) {
        return tl::unexpected(s.error());
    }
    if (args.pissaInit) {
        config.init_lora_weights = args.pissaIter < 0 ? "pissa" : "pissa_niter_" + std::to_string(args.pissaIter);
    }
    std::set<std::string> leaves;
    std::map<std::string, std::shared_ptr<models::LinearImpl>> byPath;
    for (auto& [path, lin] : model.linears()) {
        byPath[path] = lin;
    }
    // One local generator for every A, in module order: the init depends on the seed only, never on what
    // else consumed the global RNG.
    auto gen = at::make_generator<at::CPUGeneratorImpl>(args.seed);
    at::NoGradGuard noGrad;
    std::int64_t index = 0;
    for (const auto& path : *targets) {
        if (auto c = cancelled(cancel); !c) {
            return tl::unexpected(c.error());
        }
        auto& lin = byPath[path];
        const std::int64_t in = lin->inFeatures();
        const std::int64_t out = lin->outFeatures();
        const std::int64_t r = config.r;
        if (r > std::min(in, out)) {
            return makeError(ErrorCode::InvalidConfig,
                             "lora_rank " + std::to_string(r) + " exceeds the size of '" + path + "' [" +
                                 std::to_string(out) + ", " + std::to_string(in) + "]",
                             "choose lora_rank <= " + std::to_string(std::min(in, out)));
        }
        const double s = config.scaling(path, r);
        const auto f32 = at::TensorOptions().dtype(at::kFloat).device(lin->baseOptions().device());
        at::Tensor a, b;
        if (args.pissaInit) {
            if (lin->isQuantized()) {
                return makeError(ErrorCode::InvalidConfig, "pissa_init cannot initialise an adapter on a quantized model",
                                 "remove quantization_bit, or drop pissa_init (LLaMA-Factory: use its pissa_init.py first)");
            }
            PissaInit p = pissaInit(lin->weight, r, s, args.pissaIter, args.seed + static_cast<std::uint64_t>(index));
            a = p.a;
            b = p.b;
            lin->weight.copy_(p.residual); // rounded to the base dtype, as PEFT does
        } else {
            // PEFT: kaiming_uniform_(a=sqrt(5)) on [r, in] is U(±1/sqrt(in)); B = 0 so the model is unchanged.
            const double bound = 1.0 / std::sqrt(static_cast<double>(in));
            a = at::empty({r, in}, at::TensorOptions().dtype(at::kFloat)).uniform_(-bound, bound, gen).to(f32.device());
            b = at::zeros({out, r}, f32);
        }
        at::Tensor magnitude;
        if (config.use_dora) {
            // PEFT dora_init: m = ||W + s B A||_row of the (residual) base weight, fp32.
            at::Tensor v = lin->baseWeight().to(at::kFloat) + s * at::matmul(b, a);
            magnitude = at::linalg_vector_norm(v, 2, {1}, false, c10::nullopt);
        }
        lin->attachLora(a, b, s, magnitude, config.lora_dropout, at::kFloat);
        leaves.insert(leafOf(path));
        ++index;
    }
    config.target_modules.assign(leaves.begin(), leaves.end());
    return config;
}

} // namespace td::train::detail
