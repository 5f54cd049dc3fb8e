// SPDX-License-Identifier: Apache-2.0
// The argument rules of evaluation and prediction runs (LLaMA-Factory's get_train_args checks for do_eval /
// do_predict / predict_with_generate, llamaboard.md §4.9, and the generation arguments of §4.8). Kept next to
// the prediction code; validateTrainArgs calls it for every run, training included.
#pragma once

#include "core/common/error.h"

namespace td::train
{
struct TrainArgs;
}

namespace td::eval
{

/// InvalidConfig (or Unsupported for what we cannot run yet) naming the key:
///   predict_with_generate only for sft, and never with do_train;
///   sft do_predict needs predict_with_generate;
///   an eval-only run needs predict_with_generate (no loss-only evaluation yet), eval_dataset or val_size > 0
///   (val_size with a dataset to split), no streaming, num_beams 1, positive max_new_tokens or max_length,
///   temperature > 0 when sampling, top_p in (0, 1], top_k >= 0, repetition_penalty > 0.
/// val_size together with eval_dataset is refused by validateTrainArgs for every run.
Status validateEvalArgs(const train::TrainArgs& args);

} // namespace td::eval
