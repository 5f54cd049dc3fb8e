// SPDX-License-Identifier: Apache-2.0
// Generation metrics of LLaMA-Factory's predict_with_generate (llamaboard.md §5.1), per example and averaged:
//   bleu-4  : NLTK sentence_bleu, one reference, character tokens, weights 0.25 x 4, SmoothingFunction.method3;
//   rouge-1/2/l : both strings segmented with jieba (jieba.cut, HMM on), tokens joined by single spaces, scored
//             by rouge_chinese (F-measure; ROUGE-L summary level); all 0 when either side is empty.
// Each score is multiplied by 100 and rounded to 4 decimals, as LLaMA-Factory's ComputeSimilarity does.
// Torch-free and Qt-free: the GUI's results table uses it too.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.h"

namespace td::eval
{

struct SampleScores
{
    double bleu4 = 0;  ///< "bleu-4"
    double rouge1 = 0; ///< "rouge-1"
    double rouge2 = 0; ///< "rouge-2"
    double rougeL = 0; ///< "rouge-l"
};

/// Word segmentation as jieba.cut(text) (accurate mode, HMM on) with jieba's default dictionary.
class Segmenter
{
public:
    /// The dictionary of Debian's python3-jieba (dict.txt + finalseg HMM tables) found on this machine, or
    /// the folder `dir` when given. Error (with an install hint) when none is found.
    static Expected<std::shared_ptr<const Segmenter>> load(const std::filesystem::path& dir = {});
    /// Loaded once per process (thread-safe); null with the error logged when no dictionary exists.
    static std::shared_ptr<const Segmenter> shared();

    virtual ~Segmenter() = default;
    /// The tokens of jieba.cut(text), in order (whitespace runs included, as jieba yields them).
    virtual std::vector<std::string> cut(std::string_view utf8) const = 0;
};

/// BLEU-4 of one prediction against one reference (character tokens), in [0, 1] (not scaled).
double sentenceBleu4Chars(std::string_view prediction, std::string_view reference);

/// ROUGE-1/2/L F-measures of rouge_chinese for two space-joined token strings, in [0, 1] (not scaled).
struct RougeF
{
    double r1 = 0, r2 = 0, rl = 0;
};
RougeF rougeScores(std::string_view hypothesisTokens, std::string_view referenceTokens);

/// All four scores of one example, x100 and rounded to 4 decimals (LLaMA-Factory's per-example values).
SampleScores scoreSample(const Segmenter& seg, std::string_view prediction, std::string_view reference);

/// Arithmetic means of each score over examples (0 for an empty list).
SampleScores meanScores(const std::vector<SampleScores>& scores);

} // namespace td::eval
