// SPDX-License-Identifier: Apache-2.0
// Evaluation and prediction runs (LLaMA-Factory's `llamafactory-cli train` with do_predict / do_eval and
// predict_with_generate, llamaboard.md §1.11 and §5.1): generate an answer for every example of eval_dataset
// (or the val_size split), score it against the reference (metrics.h) and write the run folder:
//   generated_predictions.jsonl  {"prompt", "predict", "label"} per example (do_predict only),
//   generated_scores.jsonl       ours: {"bleu-4", "rouge-1", "rouge-2", "rouge-l"} per example, same order,
//   predict_results.json / eval_results.json, all_results.json (means with predict_/eval_ prefix, runtime,
//   samples_per_second, steps_per_second), trainer_log.jsonl (a line every 5 batches: current_steps,
//   total_steps, percentage, elapsed_time, remaining_time), running_log.txt, training_args.yaml.
// runTraining() calls runPrediction() when do_train is false and do_predict or do_eval is true.
#pragma once

#include "core/train/trainer.h"

namespace td::eval
{

struct PredictResult
{
    std::filesystem::path outputDir;
    std::int64_t samples = 0;   ///< examples generated
    std::int64_t batches = 0;   ///< generation batches done (trainer_log's current_steps)
    std::int64_t totalBatches = 0; ///< batches of the whole evaluation set (total_steps)
    bool cancelled = false;     ///< stopped early (the files hold what was generated so far)
    nlohmann::json metrics;     ///< the all_results.json object
};

Expected<PredictResult> runPrediction(const train::TrainArgs& args, const train::TrainHooks& hooks = {},
                                      const CancelToken* cancel = nullptr);

} // namespace td::eval
