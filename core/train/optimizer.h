// SPDX-License-Identifier: Apache-2.0
// Optimizers of the trainer: AdamW (decoupled weight decay, torch.optim.AdamW's exact update) and SGD
// (optional momentum), over named parameter groups. A parameter stored in 16 bits (bf16/fp16 training on
// CUDA, pure bf16) gets an fp32 master copy here: the update runs on the master, then is rounded into the
// parameter, so small updates are not lost to bf16's 8-bit mantissa. fp32 (and fp64) parameters are updated
// in place in their own precision.
//
// AdamW step t (per element, g = grad in fp32):
//   p *= 1 - lr * wd;  m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
//   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/common/error.h"

namespace td::train
{

using NamedParams = std::vector<std::pair<std::string, at::Tensor>>;

/// Parameters that share an lr multiplier and weight decay (LoRA+ puts lora_B in a group with lrScale =
/// loraplus_lr_ratio; HF puts biases and norm weights in a group without weight decay).
struct ParamGroup
{
    NamedParams params;
    double lrScale = 1.0;
    double weightDecay = 0.0;
};

struct OptimizerOptions
{
    std::string kind = "adamw"; ///< adamw (also adamw_torch, adamw_torch_fused, adamw_hf) | sgd
    double beta1 = 0.9;         ///< adam_beta1
    double beta2 = 0.999;       ///< adam_beta2
    double eps = 1e-8;          ///< adam_epsilon
    double momentum = 0.0;      ///< sgd only
};

class Optimizer
{
public:
    virtual ~Optimizer() = default;
    /// One update with base learning rate `lr` (each group uses lr * lrScale). Parameters without a
    /// gradient are skipped. Runs under NoGradGuard.
    virtual void step(double lr) = 0;
    /// Sets every gradient to undefined (like zero_grad(set_to_none=True)).
    void zeroGrad();
    /// Number of step() calls so far.
    std::int64_t stepCount() const { return m_steps; }

    /// Optimizer state as named tensors for checkpoint files: "step" (int64 scalar) and per parameter
    /// "<kind>.<param name>" (e.g. "exp_avg.model.layers.0.self_attn.q_proj.lora_A.weight"; kinds step (int64
    /// scalar: torch keeps one step per parameter), exp_avg, exp_avg_sq, momentum_buffer), fp32 masters
    /// as "master.<name>". Parameters that never had a gradient have no entries. The tensors are the live
    /// state, not copies: write them before the next step().
    virtual std::map<std::string, at::Tensor> stateDict() const = 0;
    /// Restores stateDict() (copying it; masters are copied back into their 16-bit parameters); missing,
    /// wrongly shaped or unknown entries → BadCheckpoint naming them.
    virtual Status loadStateDict(const std::map<std::string, at::Tensor>& state) = 0;

    const std::vector<ParamGroup>& groups() const { return m_groups; }

protected:
    explicit Optimizer(std::vector<ParamGroup> groups) : m_groups(std::move(groups)) {}
    std::vector<ParamGroup> m_groups;
    std::int64_t m_steps = 0;
};

/// Unknown kind → InvalidArgument listing the supported ones.
Expected<std::unique_ptr<Optimizer>> makeOptimizer(std::vector<ParamGroup> groups, const OptimizerOptions& options);

/// torch.nn.utils.clip_grad_norm_: total L2 norm over every gradient (fp32), scaled down in place when it
/// exceeds maxNorm (> 0). Returns the norm before clipping (logged as grad_norm).
double clipGradNorm(const std::vector<ParamGroup>& groups, double maxNorm);

} // namespace td::train
