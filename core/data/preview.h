// SPDX-License-Identifier: Apache-2.0
// The dataset preview for the UI's preview dialog and `tunedesk-cli preview`: the first N raw rows, their
// aligned records, the text the model sees split into prompt (no loss) and trained spans (for preference data
// both the chosen and the rejected sequence), token counts, and
// whole-dataset statistics (rows, token-length histogram, truncated count, rows dropped and why).
// Torch-free and JSON-free: core/jobs wraps it for the GUI.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/data/preprocess.h"
#include "core/data/record.h"

namespace td::data
{

struct PreviewOptions
{
    std::filesystem::path datasetDir;
    std::string dataset;            ///< one dataset name of dataset_info.json
    std::string templateName;       ///< chat template; empty = choose from the tokenizer (autoSelectTemplate)
    std::filesystem::path modelDir; ///< tokenizer folder; empty = no rendering, no token counts
    std::size_t rows = 5;
    Stage stage = Stage::Sft;
    PreprocessOptions preprocess; ///< cutoff_len, train_on_prompt, mask_history, ...
    bool statistics = true;       ///< tokenize the whole dataset for DatasetStats
};

/// A piece of the rendered text: trained = it carries labels (the response, or everything for pt).
struct TextSpan
{
    std::string text;
    bool trained = false;
};

struct PreviewRow
{
    RowRef source;
    std::string rawJson;            ///< the row as in the file (JSON)
    Record record;                  ///< aligned
    std::vector<TextSpan> rendered; ///< empty without a tokenizer or when the row is dropped for the stage
    int64_t tokens = 0;
    int64_t trainedTokens = 0;
    bool truncated = false;
    std::string problem; ///< why the row is dropped for the stage, "" when usable
    /// Pairwise stages (rm/dpo): the rejected sequence, rendered like `rendered` (which is then the chosen one),
    /// with its own token counts. Empty / 0 for other stages.
    std::vector<TextSpan> rejected;
    int64_t rejectedTokens = 0;
    int64_t rejectedTrainedTokens = 0;
};

struct DatasetStats
{
    int64_t rows = 0;     ///< rows read
    int64_t examples = 0; ///< usable examples after preprocessing
    int64_t truncated = 0;
    int64_t totalTokens = 0;
    int64_t minTokens = 0;
    int64_t maxTokens = 0;
    double meanTokens = 0;
    std::vector<int64_t> histogramEdges;  ///< bin i covers [edges[i], edges[i+1])
    std::vector<int64_t> histogramCounts; ///< one per bin
    std::vector<DroppedRow> dropped;
};

struct Preview
{
    std::string dataset;
    std::string formatting;
    std::string templateName;
    std::vector<PreviewRow> rows;
    std::optional<DatasetStats> stats; ///< set when statistics were asked for and a tokenizer was given
};

/// Builds the preview (reads the first rows by streaming; statistics load the whole dataset).
Expected<Preview> previewDataset(const PreviewOptions& options);

/// Token-length histogram with `bins` equal-width bins from 0 to the maximum length.
void fillHistogram(const std::vector<int64_t>& lengths, std::size_t bins, DatasetStats& stats);

} // namespace td::data
