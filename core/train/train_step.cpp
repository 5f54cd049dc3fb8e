// SPDX-License-Identifier: Apache-2.0
#include "core/train/train_step.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <ATen/ATen.h>

#include "core/common/torch_compat.h"
#include "core/models/transformer.h"
#include "core/train/batches.h"
#include "core/train/loss.h"
#include "core/train/optimizer.h"

namespace td::train
{

namespace
{

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

} // namespace

AutocastScope::AutocastScope(bool on, c10::ScalarType dtype, c10::DeviceType device) : m_on(on), m_device(device)
{
    if (m_on) {
        compat::setAutocast(m_device, true, dtype);
    }
}

AutocastScope::~AutocastScope()
{
    if (m_on) {
        compat::setAutocast(m_device, false, compat::autocastDtype(m_device));
        at::autocast::clear_cache();
    }
}

StepResult trainStep(models::CausalLM& model, const std::vector<Batch>& micro, Optimizer& optimizer, double lr,
                     const StepOptions& options)
{
    StepResult r;
    std::int64_t targets = 0;
    for (const auto& b : micro) {
        targets += b.targets;
    }
    optimizer.zeroGrad();
    for (const auto& batch : micro) {
        auto t0 = Clock::now();
        at::Tensor loss;
        {
            AutocastScope ac(options.autocast, options.autocastDtype, options.autocastDevice);
            models::ForwardOptions fo;
            fo.attentionMask = batch.attentionMask;
            fo.neftuneAlpha = options.neftuneAlpha;
            fo.checkpointLayers = options.checkpointLayers;
            // (B, T, V) logits → summed -log p over the targets; divided by the step's total so that
            // accumulated gradients equal one big batch's.
            LossSum ls = causalLmLossSum(model.forward(batch.inputIds, fo), batch.labels);
            loss = ls.sum / static_cast<double>(std::max<std::int64_t>(targets, 1));
        }
        r.forwardMs += msSince(t0);
        t0 = Clock::now();
        const bool scaled = options.scaler != nullptr && options.scaler->enabled;
        (scaled ? loss * options.scaler->scale : loss).backward();
        r.backwardMs += msSince(t0);
        r.loss += loss.item<double>();
        r.tokens += batch.tokens;
    }
    const auto t0 = Clock::now();
    LossScaler* scaler = options.scaler != nullptr && options.scaler->enabled ? options.scaler : nullptr;
    if (scaler != nullptr) {
        at::NoGradGuard noGrad;
        for (const auto& group : optimizer.groups()) {
            for (const auto& [name, p] : group.params) {
                if (p.grad().defined()) {
                    p.mutable_grad().div_(scaler->scale);
                }
            }
        }
    }
    r.gradNorm = clipGradNorm(optimizer.groups(), options.maxGradNorm);
    if (scaler != nullptr && !std::isfinite(r.gradNorm)) {
        // Overflow in fp16: drop this update, try a smaller scale next time (GradScaler's backoff 0.5).
        scaler->scale *= 0.5;
        scaler->goodSteps = 0;
        optimizer.zeroGrad();
        r.skipped = true;
        r.optimizerMs = msSince(t0);
        return r;
    }
    if (scaler != nullptr && ++scaler->goodSteps % scaler->growthInterval == 0) {
        scaler->scale *= 2.0;
    }
    optimizer.step(lr);
    r.optimizerMs = msSince(t0);
    return r;
}

} // namespace td::train
