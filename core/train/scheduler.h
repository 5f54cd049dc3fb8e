// SPDX-License-Identifier: Apache-2.0
// Learning-rate schedules with Hugging Face's names and formulas (transformers.optimization get_scheduler):
// a multiplier of the base lr as a pure function of the step, so resuming needs only the step number.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/common/error.h"

namespace td::train
{

enum class SchedulerKind
{
    Linear,             ///< warmup, then linear decay to 0 at totalSteps
    Cosine,             ///< warmup, then half a cosine (num_cycles 0.5) to 0
    CosineWithRestarts, ///< warmup, then `cycles` hard restarts of a cosine (HF default 1 cycle)
    Polynomial,         ///< warmup, then (lr - end)·(1 - progress)^power + end, end 1e-7, power 1
    Constant,           ///< 1 throughout (warmup ignored, as HF does)
    ConstantWithWarmup, ///< warmup, then 1
    InverseSqrt,        ///< warmup, then 1/sqrt((step + shift) / timescale), timescale = warmup or 10000
};

/// "linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup",
/// "inverse_sqrt"; anything else → InvalidArgument listing these.
Expected<SchedulerKind> parseScheduler(std::string_view name);
const char* schedulerName(SchedulerKind kind);

struct Schedule
{
    SchedulerKind kind = SchedulerKind::Linear;
    double baseLr = 5e-5;
    std::int64_t warmupSteps = 0; ///< warmup_steps, or ceil(warmup_ratio * totalSteps) when only the ratio is set
    std::int64_t totalSteps = 1;
    double cycles = 1.0;          ///< cosine_with_restarts num_cycles
    double polyEndLr = 1e-7;      ///< polynomial lr_end
    double polyPower = 1.0;       ///< polynomial power

    /// The learning rate used by optimizer step `step` (0-based: the first update uses lrAt(0), as HF's
    /// LambdaLR does before its first scheduler.step()).
    double lrAt(std::int64_t step) const;
};

/// HF TrainingArguments.get_warmup_steps: warmup_steps if > 0 else ceil(warmup_ratio * total).
std::int64_t warmupSteps(std::int64_t warmupStepsArg, double warmupRatio, std::int64_t totalSteps);

} // namespace td::train
