// SPDX-License-Identifier: Apache-2.0
// Prepares a loaded model for training by finetuning_type (LLaMA-Factory model/adapter.py):
//  - full:   every parameter trainable (tied embeddings counted once);
//  - freeze: the last N decoder layers (first |N| when N < 0) trainable, restricted to freeze_trainable_modules
//            ("all", or names like "mlp,self_attn"), plus freeze_extra_modules ("embed_tokens", "norm", ...).
//            Names match whole path components ("norm" is model.norm, not every *_layernorm as LLaMA-Factory's
//            substring test would); N = 0 or |N| > num_hidden_layers is an error (LLaMA-Factory clamps);
//  - lora:   adapters from adapter_name_or_path (all but the last merged into the base; the last continued
//            unless create_new_adapter), else a new adapter on lora_target ("all" = every Linear of the decoder
//            layers, never lm_head) with PEFT's init: lora_A ~ kaiming_uniform(a=sqrt(5)) = U(±1/sqrt(in)),
//            lora_B = 0; DoRA magnitude = row norms of W; PiSSA from the top-r SVD of W (exact when
//            pissa_iter = -1, else randomized svd_lowrank with pissa_iter subspace iterations).
//            additional_target modules (PEFT modules_to_save) are trained fully.
//            A continued adapter keeps its own adapter_config.json (r, alpha, dropout, rsLoRA/DoRA, modules_to_save);
//            the lora_* arguments only shape a new adapter.
// Everything else gets requires_grad = false. Trainable parameters end up in fp32 (master precision) while
// frozen ones keep the model dtype; LoRA layers cast fp32 A/B to the activations' dtype, and an fp32 trainable
// embedding in a 16-bit model returns its output in the model dtype (EmbeddingImpl::outputDtype), so the
// forward runs with or without autocast.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/common/cancel.h"
#include "core/common/error.h"
#include "core/models/lora.h"
#include "core/train/optimizer.h"

namespace td::models
{
class CausalLM;
}

namespace td::train
{

/// LLaMA-Factory's finetuning arguments (YAML names in comments).
struct FinetuneArgs
{
    std::string finetuningType = "lora";                        ///< finetuning_type: full | freeze | lora
    std::vector<std::filesystem::path> adapters;                ///< adapter_name_or_path (comma list)
    bool createNewAdapter = false;                              ///< create_new_adapter
    std::int64_t loraRank = 8;                                  ///< lora_rank
    std::optional<double> loraAlpha;                            ///< lora_alpha (default 2 * rank)
    double loraDropout = 0.0;                                   ///< lora_dropout
    std::string loraTarget = "all";                             ///< lora_target
    std::string additionalTarget;                               ///< additional_target
    bool useRslora = false;                                     ///< use_rslora
    bool useDora = false;                                       ///< use_dora
    bool pissaInit = false;                                     ///< pissa_init
    std::int64_t pissaIter = 16;                                ///< pissa_iter (-1 = exact SVD)
    std::optional<double> loraplusLrRatio;                      ///< loraplus_lr_ratio
    std::int64_t freezeTrainableLayers = 2;                     ///< freeze_trainable_layers
    std::string freezeTrainableModules = "all";                 ///< freeze_trainable_modules
    std::string freezeExtraModules;                             ///< freeze_extra_modules
    double weightDecay = 0.0;                                   ///< weight_decay (for the groups)
    std::uint64_t seed = 42;                                    ///< seed (adapter init is seeded)
};

struct FinetuneSetup
{
    /// Optimizer groups: LoRA+ splits lora_B (lrScale = ratio) from the rest; weight decay off for biases,
    /// norm weights and DoRA magnitudes (HF's get_decay_parameter_names).
    std::vector<ParamGroup> groups;
    std::int64_t trainableCount = 0; ///< scalar parameters being trained
    std::int64_t totalCount = 0;     ///< every scalar parameter
    /// lora: what saveLoraAdapter writes (r, alpha, target_modules as leaf names, use_rslora, use_dora,
    /// modules_to_save, init_lora_weights). Unset for full/freeze.
    std::optional<models::LoraConfig> lora;
};

/// Applies FinetuneArgs to `model` (loaded, eval mode). Errors: unknown finetuning_type, lora_target naming no
/// module (hint lists the Linear names), freeze layers out of range, adapter for another base (shape/rank
/// mismatch names the tensor), adapters with full/freeze.
Expected<FinetuneSetup> setupFinetuning(models::CausalLM& model, const FinetuneArgs& args,
                                        const CancelToken* cancel = nullptr);

/// PiSSA init of one weight W [out, in]: returns {A [r, in], B [out, r], W_res [out, in]} with
/// A = diag(sqrt(S_r / s)) Vh_r, B = U_r diag(sqrt(S_r / s)), W_res = W - s B A, computed in fp32.
/// iters < 0: exact SVD; else randomized (Halko et al.) with `iters` power iterations, seeded.
struct PissaInit
{
    at::Tensor a, b, residual;
};
PissaInit pissaInit(const at::Tensor& weight, std::int64_t rank, double scaling, std::int64_t iters,
                    std::uint64_t seed = 0);

} // namespace td::train
