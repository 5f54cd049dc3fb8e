// SPDX-License-Identifier: Apache-2.0
// The data side of a training run in one call, in LLaMA-Factory's order (data/loader.py get_dataset): load each
// dataset of `dataset` (num_samples, max_samples), merge them with mix_strategy, tokenize for the stage, then
// split off val_size (or tokenize eval_dataset separately). The trainer calls prepareData; the collator turns
// TokenizedExamples into tensors.
//
// Streaming (`streaming: true`): the datasets are read row by row and tokenized lazily one preprocessing batch
// at a time (ExampleStream, datasets' IterableDataset.map(batched=True)), shuffled with a buffer of
// buffer_size examples, and val_size must be an integer: the first val_size examples of the shuffled stream
// are the evaluation set, the rest is train (LLaMA-Factory's split_dataset). num_samples is ignored,
// max_samples is refused, and several datasets can only be concatenated.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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
    double valSize = 0;                        ///< val_size: fraction in (0,1) or a row count (streaming: a count)
    bool streaming = false;                    ///< streaming
    std::size_t bufferSize = 16384;            ///< buffer_size: streaming shuffle buffer (examples)
    uint64_t seed = 42;                        ///< seed (num_samples, interleaving, split)
    PreprocessOptions preprocess;              ///< cutoff_len, train_on_prompt, mask_history, packing, ...
};

struct TrainData
{
    PreprocessResult train;
    std::optional<PreprocessResult> eval;
    int64_t rowsLoaded = 0;
};

/// Lazily tokenized examples of one or more datasets (comma-separated `names`, concatenated), in streaming
/// mode's order: records are read one preprocessing batch (args.preprocess.batchSize rows) at a time and
/// tokenized for `stage`; for the same rows the examples are exactly those preprocess() gives on the loaded
/// records (except sft packing, which packs each batch on its own, as LLaMA-Factory's streaming map does).
/// With shuffleBuffer > 0 they come out shuffled with a buffer of that many examples (seed args.seed);
/// shuffleBuffer 1 keeps the order. `tmpl` and `tokenizer` must outlive the stream.
class ExampleStream
{
public:
    static Expected<std::unique_ptr<ExampleStream>> open(const DataArgs& args, std::string_view names, Stage stage,
                                                         const chat::ChatTemplate& tmpl,
                                                         const tok::Tokenizer& tokenizer,
                                                         std::size_t shuffleBuffer = 0);
    ~ExampleStream();
    /// The next example; false at the end.
    Expected<bool> next(TokenizedExample& out);
    int64_t rowsRead() const;                       ///< records read so far
    const std::vector<DroppedRow>& dropped() const; ///< rows dropped so far, and why
    int64_t truncatedCount() const;

private:
    struct Impl;
    explicit ExampleStream(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Checks the streaming-only rules of args (integer val_size, no max_samples, concat); ok when not streaming.
Status checkStreamingArgs(const DataArgs& args);

Expected<TrainData> prepareData(const DataArgs& args, Stage stage, const chat::ChatTemplate& tmpl,
                                const tok::Tokenizer& tokenizer);

} // namespace td::data
