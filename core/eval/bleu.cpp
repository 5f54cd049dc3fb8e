// SPDX-License-Identifier: Apache-2.0
// BLEU-4 as LLaMA-Factory computes it: nltk.translate.bleu_score.sentence_bleu([list(label)], list(pred),
// smoothing_function=SmoothingFunction().method3) from NLTK 3.8, with Python characters (code points) as
// tokens. Every step follows NLTK's arithmetic so that the float result is the same bit for bit:
//   p_n      = clipped n-gram matches / max(1, hypothesis n-grams), kept as integers (NLTK's unnormalised
//              Fraction), so the float is one correctly rounded division;
//   no match in 1-grams -> 0 (NLTK returns 0 before smoothing; also the empty prediction);
//   method3  = NIST geometric smoothing: the k-th zero precision becomes 1 / (2^k * denominator);
//   score    = BP * exp(fsum(0.25 * log(p_n))), BP = 1 if |hyp| > |ref| else exp(1 - |ref| / |hyp|).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/eval/metrics.h"
#include "core/eval/pystr.h"

namespace td::eval
{

namespace
{

using Gram = std::array<char32_t, 4>; // an n-gram, zero-padded past n (only grams of one n are compared)

std::vector<Gram> sortedGrams(const std::vector<char32_t>& text, std::size_t n)
{
    std::vector<Gram> grams;
    if (text.size() < n) {
        return grams;
    }
    grams.reserve(text.size() - n + 1);
    for (std::size_t i = 0; i + n <= text.size(); ++i) {
        Gram g{};
        std::copy(text.begin() + static_cast<std::ptrdiff_t>(i), text.begin() + static_cast<std::ptrdiff_t>(i + n),
                  g.begin());
        grams.push_back(g);
    }
    std::sort(grams.begin(), grams.end());
    return grams;
}

/// NLTK's modified_precision numerator: each hypothesis n-gram counts at most as often as it occurs in the
/// reference. Both lists are sorted, so one merge walk over runs of equal grams does it.
std::int64_t clippedMatches(const std::vector<Gram>& hyp, const std::vector<Gram>& ref)
{
    std::int64_t matches = 0;
    std::size_t i = 0, j = 0;
    while (i < hyp.size() && j < ref.size()) {
        if (hyp[i] < ref[j]) {
            ++i;
        } else if (ref[j] < hyp[i]) {
            ++j;
        } else {
            std::size_t ci = 0, cj = 0;
            const Gram g = hyp[i];
            while (i < hyp.size() && hyp[i] == g) {
                ++i, ++ci;
            }
            while (j < ref.size() && ref[j] == g) {
                ++j, ++cj;
            }
            matches += static_cast<std::int64_t>(std::min(ci, cj));
        }
    }
    return matches;
}

} // namespace

double sentenceBleu4Chars(std::string_view prediction, std::string_view reference)
{
    const std::vector<char32_t> hyp = detail::decodeUtf8(prediction).cps;
    const std::vector<char32_t> ref = detail::decodeUtf8(reference).cps;

    std::array<std::int64_t, 4> numerators{};
    std::array<std::int64_t, 4> denominators{};
    for (std::size_t n = 1; n <= 4; ++n) {
        const std::vector<Gram> h = sortedGrams(hyp, n);
        numerators[n - 1] = clippedMatches(h, sortedGrams(ref, n));
        denominators[n - 1] = std::max<std::int64_t>(1, static_cast<std::int64_t>(h.size()));
    }
    if (numerators[0] == 0) {
        return 0.0;
    }

    // method3 on the precisions, then the weighted logs; `p_i > 0` always holds after smoothing.
    std::array<double, 4> weightedLogs{};
    std::int64_t incvnt = 1;
    for (std::size_t i = 0; i < 4; ++i) {
        double p = 0;
        if (numerators[i] == 0) {
            p = 1.0 / static_cast<double>((std::int64_t{1} << incvnt) * denominators[i]);
            ++incvnt;
        } else {
            p = static_cast<double>(numerators[i]) / static_cast<double>(denominators[i]);
        }
        weightedLogs[i] = 0.25 * std::log(p);
    }

    const auto hypLen = static_cast<std::int64_t>(hyp.size());
    const auto refLen = static_cast<std::int64_t>(ref.size()); // closest_ref_length with one reference
    double bp = 1.0;
    if (hypLen <= refLen) { // hypLen > 0 here: the 1-gram numerator is not zero
        bp = std::exp(1.0 - static_cast<double>(refLen) / static_cast<double>(hypLen));
    }
    return bp * std::exp(detail::pyFsum(weightedLogs));
}

} // namespace td::eval
