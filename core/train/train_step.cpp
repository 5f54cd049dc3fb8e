// SPDX-License-Identifier: Apache-2.0
#include "core/train/train_step.h"

#include <algorithm>
#include <chrono>

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

AutocastScope::AutocastScope(bool on, c10::ScalarType dtype) : m_on(on)
{
    if (m_on) {
        compat::setCpuAutocast(true, dtype);
    }
}

AutocastScope::~AutocastScope()
{
    if (m_on) {
        compat::setCpuAutocast(false, c10::kBFloat16);
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
            AutocastScope ac(options.autocast, options.autocastDtype);
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
        loss.backward();
        r.backwardMs += msSince(t0);
        r.loss += loss.item<double>();
        r.tokens += batch.tokens;
    }
    const auto t0 = Clock::now();
    r.gradNorm = clipGradNorm(optimizer.groups(), options.maxGradNorm);
    optimizer.step(lr);
    r.optimizerMs = msSince(t0);
    return r;
}

} // namespace td::train
