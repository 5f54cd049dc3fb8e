// SPDX-License-Identifier: Apache-2.0
// The Evaluate & Predict tab's fields (llamaboard.md §1.11: ids, defaults, ranges, tooltips) and their mapping to
// LLaMA-Factory arguments: an `sft` run with predict_with_generate that generates an answer for every example of
// eval_dataset and scores it (BLEU-4, ROUGE), written as training_args.yaml and started like a training run.
// Validation and the top bar's mapping are the Train tab's (TrainArgs), so both tabs say and map the same.
#pragma once

#include <vector>

#include <QCoreApplication>

#include "ui/train/train_args.h"
#include "ui/train/train_fields.h"

namespace td::ui
{

class EvalArgs
{
    Q_DECLARE_TR_FUNCTIONS(EvalArgs)
public:
    /// cutoff_len, max_samples, batch_size, predict, max_new_tokens, top_p, temperature, eval_seed.
    static const std::vector<TrainField>& fields();
    static const TrainField* find(const QString& id);
    static QString label(const TrainField& f);
    static QString info(const TrainField& f);

    /// The arguments for `in` (in.fields holds the ids above); errors in LlamaBoard's order (§1.10).
    static TrainArgs build(const TrainInputs& in);
    /// What "Preview command" shows: the train command, why it evaluates, and the YAML it reads.
    static QString commandPreview(const TrainArgs& args);
};

} // namespace td::ui
