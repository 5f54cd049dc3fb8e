// SPDX-License-Identifier: Apache-2.0
// The files of a prediction run (internal to core/eval): JSON shapes written byte-compatible with what
// LLaMA-Factory / HF Trainer write, so scripts that read their run folders read ours.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/eval/metrics.h"
#include "core/train/run_files.h"

namespace td::eval::detail
{

/// One generated_predictions.jsonl line: {"prompt", "predict", "label"} in that order (save_predictions uses
/// json.dumps(..., ensure_ascii=False): non-ASCII kept; invalid UTF-8 from a cut-off token becomes U+FFFD).
std::string predictionLine(const std::string& prompt, const std::string& predict, const std::string& label);

/// One generated_scores.jsonl line (ours): {"bleu-4", "rouge-1", "rouge-2", "rouge-l"} in that order.
std::string scoresLine(const SampleScores& s);

/// The reduced progress line of an eval/predict run (LLaMA-Factory's LogCallback.on_prediction_step): a LogLine
/// with no epoch, loss, lr, throughput or tokens, so its JSON has current_steps, total_steps, percentage,
/// elapsed_time, remaining_time — nothing else. The hooks get this one.
train::LogLine progressLogLine(std::int64_t current, std::int64_t total, double elapsedSeconds);

/// The same line as trainer_log.jsonl gets it: those five keys in LLaMA-Factory's order.
nlohmann::ordered_json progressLine(std::int64_t current, std::int64_t total, double elapsedSeconds);

/// `<prefix>_bleu-4` ... `<prefix>_rouge-l` (the means, unrounded like np.mean) and HF's speed metrics:
/// `<prefix>_runtime` (rounded to 4 decimals), `_samples_per_second` and `_steps_per_second` (3 decimals).
nlohmann::json phaseMetrics(const std::string& prefix, const SampleScores& mean, double runtimeSeconds,
                            std::int64_t samples, std::int64_t steps);

/// HF Trainer.save_metrics(split, metrics, combined=True): writes `<split>_results.json` and merges `metrics`
/// into all_results.json (created when absent), both with indent 4 and sorted keys, atomically. Returns the
/// merged all_results object.
Expected<nlohmann::json> saveMetrics(const std::filesystem::path& dir, const std::string& split,
                                     const nlohmann::json& metrics);

} // namespace td::eval::detail
