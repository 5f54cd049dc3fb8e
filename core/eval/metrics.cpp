// SPDX-License-Identifier: Apache-2.0
// LLaMA-Factory's ComputeSimilarity for one example (src/llamafactory/train/sft/metric.py), and the means:
//   hypothesis = list(jieba.cut(pred)); reference = list(jieba.cut(label))
//   if len(" ".join(hypothesis).split()) == 0 or len(" ".join(reference).split()) == 0: rouge-* f = 0
//   else: Rouge().get_scores(" ".join(hypothesis), " ".join(reference))[0][m]["f"]
//   bleu = sentence_bleu([list(label)], list(pred), smoothing_function=SmoothingFunction().method3)
//   each value: round(v * 100, 4); the reported metric is float(np.mean(values)).
#include "core/eval/metrics.h"

#include "core/eval/pystr.h"

namespace td::eval
{

namespace
{

std::string joinTokens(const std::vector<std::string>& tokens)
{
    std::string joined;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (i != 0) {
            joined += ' ';
        }
        joined += tokens[i];
    }
    return joined;
}

double scaled(double v)
{
    return detail::pyRound(v * 100.0, 4);
}

} // namespace

SampleScores scoreSample(const Segmenter& seg, std::string_view prediction, std::string_view reference)
{
    SampleScores s;
    s.bleu4 = scaled(sentenceBleu4Chars(prediction, reference));
    const std::string hyp = joinTokens(seg.cut(prediction));
    const std::string ref = joinTokens(seg.cut(reference));
    if (detail::pySplitWhitespace(hyp).empty() || detail::pySplitWhitespace(ref).empty()) {
        return s; // only whitespace (or nothing) on one side: ROUGE is 0
    }
    const RougeF f = rougeScores(hyp, ref);
    s.rouge1 = scaled(f.r1);
    s.rouge2 = scaled(f.r2);
    s.rougeL = scaled(f.rl);
    return s;
}

SampleScores meanScores(const std::vector<SampleScores>& scores)
{
    std::vector<double> column(scores.size());
    const auto mean = [&](double SampleScores::*field) {
        for (std::size_t i = 0; i < scores.size(); ++i) {
            column[i] = scores[i].*field;
        }
        return detail::numpyMean(column); // numpy's summation order, so the means match to the last bit
    };
    SampleScores m;
    m.bleu4 = mean(&SampleScores::bleu4);
    m.rouge1 = mean(&SampleScores::rouge1);
    m.rouge2 = mean(&SampleScores::rouge2);
    m.rougeL = mean(&SampleScores::rougeL);
    return m;
}

} // namespace td::eval
