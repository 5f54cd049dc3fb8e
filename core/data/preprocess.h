// SPDX-License-Identifier: Apache-2.0
// Tokenization of normalized Records per training stage, reproducing LLaMA-Factory's dataset processors
// (llamaboard.md §2.9): supervised (sft; optional packing/neat_packing), unsupervised (predict/ppo prompts),
// pairwise (rm/dpo/orpo/simpo), kto (with KL pairs) and pretrain (concatenate + cut into cutoff_len blocks).
// Torch-free: examples are id vectors; the collator turns them into tensors.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/cancel.h"
#include "core/common/error.h"
#include "core/data/record.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"

namespace td::data
{

using tok::TokenId;
inline constexpr TokenId kIgnoreIndex = -100;

enum class Stage
{
    Pt,           ///< pre-training text
    Sft,          ///< supervised fine-tuning
    Pairwise,     ///< rm, dpo (chosen/rejected)
    Kto,          ///< kto (answer + KL pair)
    Unsupervised, ///< predict, ppo prompts
};
/// "pt", "sft", "rm"/"dpo"/"pairwise", "kto", "ppo"/"predict"/"unsupervised".
Expected<Stage> parseStage(std::string_view s);
const char* stageName(Stage s);

struct PreprocessOptions
{
    int64_t cutoffLen = 2048;
    bool trainOnPrompt = false;
    bool maskHistory = false;
    /// sft: pack examples into rows of cutoffLen + 1; pt: concatenate into blocks. LLaMA-Factory's default is
    /// true for pt and false otherwise: callers set it from the stage when the user did not.
    bool packing = false;
    bool neatPacking = false;     ///< sft packing with per-example attention blocks (implies packing)
    std::string templateName;     ///< only used for pt's "<|end_of_text|>" rule of the llama3 template
    std::size_t batchSize = 1000; ///< preprocessing_batch_size: pt packing and KTO KL pairs work per batch
    int workers = 1;              ///< threads for sft/pairwise/kto/unsupervised tokenization
    const CancelToken* cancel = nullptr;
};

/// One model input. inputIds/labels always; the rest per stage.
struct TokenizedExample
{
    std::vector<TokenId> inputIds;      ///< pairwise: the chosen sequence
    std::vector<TokenId> labels;        ///< kIgnoreIndex where no loss is taken
    std::vector<int32_t> attentionMask; ///< packing only: 1s (packing) or sub-sequence index (neat), 0 padding
    std::vector<int32_t> positionIds;   ///< packing only: restart at 0 per packed example
    std::vector<TokenId> rejectedIds;   ///< pairwise
    std::vector<TokenId> rejectedLabels;
    std::vector<TokenId> klIds; ///< kto: the prompt paired with another example's answer
    std::vector<TokenId> klLabels;
    bool ktoTag = false;      ///< kto: true = desirable
    bool truncated = false;   ///< cutoff_len cut tokens off
    int64_t fullLength = 0;   ///< tokens before truncation (statistics)
    int64_t sourceIndex = -1; ///< index of the record it came from (-1 for packed rows)
};

struct PreprocessResult
{
    std::vector<TokenizedExample> examples;
    std::vector<DroppedRow> dropped;
    int64_t truncatedCount = 0;
};

/// Tokenizes records for a stage.
Expected<PreprocessResult> preprocess(const std::vector<Record>& records, Stage stage, const chat::ChatTemplate& tmpl,
                                      const tok::Tokenizer& tokenizer, const PreprocessOptions& options);

/// LLaMA-Factory's infer_seqlen: how many source and target tokens fit into cutoffLen.
std::pair<int64_t, int64_t> inferSeqlen(int64_t sourceLen, int64_t targetLen, int64_t cutoffLen);

/// Greedy knapsack (LLaMA-Factory greedy_knapsack): lengths grouped into bins of at most `capacity`.
std::vector<std::vector<int64_t>> greedyKnapsack(std::vector<int64_t> lengths, int64_t capacity);

/// Packs tokenized sft examples (each ≤ cutoffLen) into rows of exactly cutoffLen + 1 tokens.
std::vector<TokenizedExample> packExamples(std::vector<TokenizedExample> examples, int64_t cutoffLen, TokenId padId,
                                           bool neat);

/// Checks that a record suits a stage (prompt/response counts); returns the reason when it does not.
std::string recordProblem(const Record& r, Stage stage);

} // namespace td::data
