// SPDX-License-Identifier: Apache-2.0
// transformers.optimization's LambdaLR multipliers, written from their formulas (see scheduler.h). Integer
// arithmetic and float conversions follow the Python so the values agree to the last bit where possible.
#include "core/train/scheduler.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <utility>

namespace td::train
{

namespace
{

constexpr std::array<std::pair<const char*, SchedulerKind>, 7> kNames = {{
    {"linear", SchedulerKind::Linear},
    {"cosine", SchedulerKind::Cosine},
    {"cosine_with_restarts", SchedulerKind::CosineWithRestarts},
    {"polynomial", SchedulerKind::Polynomial},
    {"constant", SchedulerKind::Constant},
    {"constant_with_warmup", SchedulerKind::ConstantWithWarmup},
    {"inverse_sqrt", SchedulerKind::InverseSqrt},
}};

/// Warmup ramp shared by every schedule but Constant: step / max(1, warmup).
double warmupFactor(std::int64_t step, std::int64_t warmup)
{
    return static_cast<double>(step) / static_cast<double>(std::max<std::int64_t>(1, warmup));
}

/// Fraction of the decay phase done: (step - warmup) / max(1, total - warmup).
double progress(std::int64_t step, std::int64_t warmup, std::int64_t total)
{
    return static_cast<double>(step - warmup) / static_cast<double>(std::max<std::int64_t>(1, total - warmup));
}

} // namespace

Expected<SchedulerKind> parseScheduler(std::string_view name)
{
    for (const auto& [n, kind] : kNames) {
        if (name == n) {
            return kind;
        }
    }
    std::string list;
    for (const auto& [n, kind] : kNames) {
        list += list.empty() ? n : std::string(", ") + n;
    }
    return makeError(ErrorCode::InvalidArgument, "unknown lr_scheduler_type '" + std::string(name) + "'",
                     "choose one of: " + list);
}

const char* schedulerName(SchedulerKind kind)
{
    for (const auto& [n, k] : kNames) {
        if (k == kind) {
            return n;
        }
    }
    return "linear";
}

double Schedule::lrAt(std::int64_t step) const
{
    const std::int64_t warmup = warmupSteps;
    const std::int64_t total = totalSteps;
    if (kind == SchedulerKind::Constant) {
        return baseLr;
    }
    if (step < warmup) {
        return baseLr * warmupFactor(step, warmup);
    }
    switch (kind) {
    case SchedulerKind::Linear:
        return baseLr * std::max(0.0, static_cast<double>(total - step) /
                                          static_cast<double>(std::max<std::int64_t>(1, total - warmup)));
    case SchedulerKind::Cosine: {
        // num_cycles = 0.5: half a cosine from 1 to 0.
        const double p = progress(step, warmup, total);
        return baseLr * std::max(0.0, 0.5 * (1.0 + std::cos(std::numbers::pi * 0.5 * 2.0 * p)));
    }
    case SchedulerKind::CosineWithRestarts: {
        const double p = progress(step, warmup, total);
        if (p >= 1.0) {
            return 0.0;
        }
        return baseLr * std::max(0.0, 0.5 * (1.0 + std::cos(std::numbers::pi * std::fmod(cycles * p, 1.0))));
    }
    case SchedulerKind::Polynomial: {
        // HF's lambda returns decay / lr_init and LambdaLR multiplies by lr_init again: the lr is `decay`.
        if (baseLr <= 0.0) {
            return 0.0; // HF refuses lr_init <= lr_end; a zero lr stays zero instead of 0/0
        }
        if (step > total) {
            return baseLr * (polyEndLr / baseLr);
        }
        const double range = baseLr - polyEndLr;
        // decay_steps = total - warmup; HF divides by zero when it is 0 (only reachable at step == total).
        const auto decaySteps = static_cast<double>(std::max<std::int64_t>(1, total - warmup));
        const double remaining = 1.0 - static_cast<double>(step - warmup) / decaySteps;
        const double decay = range * std::pow(remaining, polyPower) + polyEndLr;
        return baseLr * (decay / baseLr);
    }
    case SchedulerKind::ConstantWithWarmup:
        return baseLr;
    case SchedulerKind::InverseSqrt: {
        const double timescale = warmup > 0 ? static_cast<double>(warmup) : 10000.0;
        const double shift = timescale - static_cast<double>(warmup);
        return baseLr * (1.0 / std::sqrt((static_cast<double>(step) + shift) / timescale));
    }
    case SchedulerKind::Constant:
        break;
    }
    return baseLr;
}

std::int64_t warmupSteps(std::int64_t warmupStepsArg, double warmupRatio, std::int64_t totalSteps)
{
    if (warmupStepsArg > 0) {
        return warmupStepsArg;
    }
    return static_cast<std::int64_t>(std::ceil(warmupRatio * static_cast<double>(totalSteps)));
}

} // namespace td::train
