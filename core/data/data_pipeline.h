// SPDX-License-Identifier: Apache-2.0
// The data side of a training run in one call, in LLaMA-Factory's order (data/loader.py get_dataset): load each
// dataset of `dataset` (num_samples, max_samples), merge them with mix_strategy, tokenize for the stage, then
// split off val_size (or tokenize eval_dataset separately). The trainer calls prepareData; the collator turns
// TokenizedExamples into tensors.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/data/preprocess.h"

namespace td::data
{

/// LLaMA-Factory's data arguments (YAML/CLI names in comments).
struct DataArgs
{
    std::filesystem::path datasetDir = "data"; ///< dataset_dir
    std::string dataset;                       ///< dataset: comma-separated names
    std::string evalDataset;                   ///< eval_dataset
    std::string mixStrategy = "concat";        ///< mix_strategy
    std::string interleaveProbs;               ///< interleave_probs: "0.5,0.5"
    std::optional<int64_t> maxSamples;         ///< max_samples
    double valSize = 0;                        ///< val_size: fraction in (0,1) or a row count
    uint64_t seed = 42;                        ///< seed (num_samples, interleaving, split)
    PreprocessOptions preprocess;              ///< cutoff_len, train_on_prompt, mask_history, packing, ...
};

struct TrainData
{
    PreprocessResult train;
    std::optional<PreprocessResult> eval;
    int64_t rowsLoaded = 0;
};

Expected<TrainData> prepareData(const DataArgs& args, Stage stage, const chat::ChatTemplate& tmpl,
                                const tok::Tokenizer& tokenizer);

} // namespace td::data
