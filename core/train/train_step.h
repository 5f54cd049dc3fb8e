// SPDX-License-Identifier: Apache-2.0
// One optimizer step over a group of micro-batches (gradient accumulation), shared by the trainer and
// `tunedesk-cli bench train` so the benchmark measures exactly the code that trains.
#pragma once

#include <cstdint>
#include <vector>

#include <c10/core/DeviceType.h>
#include <c10/core/ScalarType.h>

namespace td::models
{
class CausalLM;
}

namespace td::train
{

struct Batch;
class Optimizer;

/// fp16 dynamic loss scaling (torch.cuda.amp.GradScaler's defaults): the loss is multiplied by `scale`
/// before backward and the gradients divided after; a step with inf/nan gradients is skipped and the scale
/// halved; after `growthInterval` good steps it doubles. Not needed for bf16 (same exponent range as fp32).
struct LossScaler
{
    bool enabled = false;
    double scale = 65536.0;
    std::int64_t growthInterval = 2000;
    std::int64_t goodSteps = 0;
};

struct StepOptions
{
    bool autocast = false;                      ///< autocast for the forward pass on the model's device
    c10::DeviceType autocastDevice = c10::DeviceType::CPU;
    c10::ScalarType autocastDtype = c10::kBFloat16;
    LossScaler* scaler = nullptr;               ///< fp16 only
    double neftuneAlpha = 0;                    ///< neftune_noise_alpha (0 = off)
    double maxGradNorm = 1.0;                   ///< <= 0: no clipping (the norm is still measured)
    bool checkpointLayers = false;              ///< gradient_checkpointing: recompute layers in backward
};

struct StepResult
{
    double loss = 0;       ///< summed target -log p / targets of all micro-batches
    double gradNorm = 0;   ///< before clipping
    std::int64_t tokens = 0;
    double forwardMs = 0;  ///< forward + loss, all micro-batches
    double backwardMs = 0;
    double optimizerMs = 0; ///< clipping + update
    bool skipped = false;   ///< fp16: gradients overflowed, no update (the scale was lowered)
};

/// zero_grad → per micro-batch: forward (autocast), loss sum / targets of the whole step, backward →
/// clip → optimizer.step(lr). The model must be in training mode.
StepResult trainStep(models::CausalLM& model, const std::vector<Batch>& micro, Optimizer& optimizer, double lr,
                     const StepOptions& options);

/// RAII: autocast on for a scope (forward passes only; backward runs in the recorded dtypes).
class AutocastScope
{
public:
    AutocastScope(bool on, c10::ScalarType dtype, c10::DeviceType device = c10::DeviceType::CPU);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool m_on;
    c10::DeviceType m_device;
};

} // namespace td::train
