// SPDX-License-Identifier: Apache-2.0
// The training entry point the CLI (`tunedesk-cli train CONFIG.yaml`) and the GUI's Start button call. One
// function that reads top to bottom: check arguments → prepare the run folder → tokenizer, template, data →
// model + finetuning setup → optimizer + schedule → (resume) → the loop → final save. Progress and log lines
// go to the hooks; a cancel stops after the current step with a checkpoint and the final weights saved.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/common/cancel.h"
#include "core/common/error.h"
#include "core/common/job.h"
#include "core/train/train_args.h" // complete, so a json argument never converts to TrainArgs

namespace td::train
{

struct LogLine;

struct TrainHooks
{
    /// Phases "prepare" (data), "load" (model), "train" (current = step, total = max steps), "save".
    std::function<void(const JobProgress&)> progress;
    /// Every trainer_log.jsonl line, as written.
    std::function<void(const LogLine&)> log;
    /// Every running_log.txt message (also printed by the CLI).
    std::function<void(const std::string&)> message;
    /// Called after each optimizer step with its loss (before logging); tests use it to collect losses.
    std::function<void(std::int64_t step, double loss)> onStep;
};

struct TrainResult
{
    std::filesystem::path outputDir;
    std::int64_t globalStep = 0;
    std::int64_t maxSteps = 0;
    bool cancelled = false;          ///< stopped early on request (checkpoint + weights saved)
    std::int64_t resumedFromStep = 0; ///< 0 when not resumed
    std::optional<double> lastLoss;
    std::optional<double> lastEvalLoss;
    std::int64_t trainTokens = 0;    ///< input tokens processed in this process
    double trainSeconds = 0;         ///< wall time of the loop in this process
    std::int64_t trainableParams = 0;
    std::int64_t totalParams = 0;
};

/// Runs a whole training job. Errors are values (bad arguments, unreadable data, model/adapter mismatch,
/// output folder not writable, disk full while saving); a cancel is not an error (result.cancelled).
Expected<TrainResult> runTraining(const TrainArgs& args, const TrainHooks& hooks = {},
                                  const CancelToken* cancel = nullptr);

/// Same, from a flat LLaMA-Factory mapping (YAML converted to JSON); unknown keys become warnings sent to
/// hooks.message.
Expected<TrainResult> runTraining(const nlohmann::json& mapping, const TrainHooks& hooks = {},
                                  const CancelToken* cancel = nullptr);

} // namespace td::train
