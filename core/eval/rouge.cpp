// SPDX-License-Identifier: Apache-2.0
// ROUGE-1/2/L as rouge_chinese 1.0.3 computes them for Rouge().get_scores(hyp, ref) with default arguments
// (metrics rouge-1/2/l, exclusive=True), re-derived from its source (github.com/Isaac-JL-Chen/rouge_chinese,
// rouge.py and rouge_score.py; the package itself is not on Debian):
//  1. cut_sent: four regex substitutions insert "\n" after sentence-final punctuation (。！？? then a
//     character that is no closing quote; six dots; two "…"; punctuation + closing quote), then rstrip()
//     and split("\n");
//  2. every non-empty piece becomes " ".join(piece.split()), and the words are the pieces' split(" ")
//     flattened: n-grams and the LCS run across sentence boundaries. A piece of only whitespace still
//     contributes one empty word (rouge_chinese keeps it; it happens for jieba's "\n" tokens);
//  3. ROUGE-N with exclusive=True counts DISTINCT n-grams: P = |H ∩ R| / |H|, R = |H ∩ R| / |R| over sets;
//  4. ROUGE-L is not pltrdy's union-LCS approximation: rouge_chinese takes the plain LCS of the two flattened
//     word lists, P = LCS / #hyp words, R = LCS / #ref words (word counts with repetitions);
//  5. F = 2 * (P * R / (P + R + 1e-8)), which is why identical texts give 0.99999999..., not 1.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/eval/metrics.h"
#include "core/eval/pystr.h"

namespace td::eval
{

namespace
{

bool isStop(char32_t c) // [。！？\?]
{
    return c == U'。' || c == U'！' || c == U'？' || c == U'?';
}

bool isCloseQuote(char32_t c) // [”’]
{
    return c == U'”' || c == U'’';
}

/// One re.sub(r"(<head>)(<next>)", r"\1\n\2", text) for a fixed-length head: Python scans left to right
/// and resumes after each replacement, so a character consumed as `next` cannot start the next match.
template <class HeadLen, class NextOk>
std::vector<char32_t> breakAfter(const std::vector<char32_t>& text, HeadLen headLen, NextOk nextOk)
{
    std::vector<char32_t> out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t h = headLen(text, i); // 0: no head here
        if (h != 0 && i + h < text.size() && nextOk(text[i + h])) {
            out.insert(out.end(), text.begin() + static_cast<std::ptrdiff_t>(i),
                       text.begin() + static_cast<std::ptrdiff_t>(i + h));
            out.push_back(U'\n');
            out.push_back(text[i + h]);
            i += h + 1;
        } else {
            out.push_back(text[i++]);
        }
    }
    return out;
}

std::size_t runOf(const std::vector<char32_t>& t, std::size_t i, char32_t c, std::size_t count)
{
    for (std::size_t k = 0; k < count; ++k) {
        if (i + k >= t.size() || t[i + k] != c) {
            return 0;
        }
    }
    return count;
}

/// rouge_chinese's Rouge.cut_sent.
std::vector<std::string> cutSentences(std::string_view utf8)
{
    std::vector<char32_t> t = detail::decodeUtf8(utf8).cps;
    const auto notQuote = [](char32_t c) { return !isCloseQuote(c); };
    t = breakAfter(
        t, [](const auto& s, std::size_t i) -> std::size_t { return isStop(s[i]) ? 1 : 0; }, notQuote);
    t = breakAfter(
        t, [](const auto& s, std::size_t i) { return runOf(s, i, U'.', 6); }, notQuote);
    t = breakAfter(
        t, [](const auto& s, std::size_t i) { return runOf(s, i, U'…', 2); }, notQuote);
    t = breakAfter(
        t,
        [](const auto& s, std::size_t i) -> std::size_t {
            return isStop(s[i]) && i + 1 < s.size() && isCloseQuote(s[i + 1]) ? 2 : 0;
        },
        [](char32_t c) { return c != U'，' && !isStop(c); });

    std::string joined;
    joined.reserve(utf8.size() + t.size());
    for (char32_t c : t) {
        detail::appendUtf8(joined, c);
    }
    const std::string_view stripped = detail::pyRstrip(joined);
    std::vector<std::string> pieces;
    std::size_t start = 0;
    while (true) { // str.split("\n"): always at least one piece
        const std::size_t nl = stripped.find('\n', start);
        pieces.emplace_back(stripped.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
        if (nl == std::string_view::npos) {
            break;
        }
        start = nl + 1;
    }
    return pieces;
}

/// Steps 1-2 of the header comment: the flattened words of all sentences, as ids shared by both sides.
/// Returns false when there is no sentence at all (rouge_chinese raises ValueError there).
bool wordIds(std::string_view text, std::unordered_map<std::string, std::uint32_t>& vocab,
             std::vector<std::uint32_t>& ids)
{
    bool anySentence = false;
    for (const std::string& sentence : cutSentences(text)) {
        if (sentence.empty()) {
            continue;
        }
        anySentence = true;
        std::string normalized;
        for (std::string_view w : detail::pySplitWhitespace(sentence)) {
            if (!normalized.empty()) {
                normalized += ' ';
            }
            normalized += w;
        }
        std::size_t start = 0;
        while (true) { // normalized.split(" "): "" gives one empty word
            const std::size_t sp = normalized.find(' ', start);
            const std::string word = normalized.substr(start, sp == std::string::npos ? std::string::npos : sp - start);
            const auto [it, inserted] = vocab.try_emplace(word, static_cast<std::uint32_t>(vocab.size()));
            ids.push_back(it->second);
            if (sp == std::string::npos) {
                break;
            }
            start = sp + 1;
        }
    }
    return anySentence;
}

std::unordered_set<std::uint64_t> gramSet(const std::vector<std::uint32_t>& w, std::size_t n)
{
    std::unordered_set<std::uint64_t> grams;
    for (std::size_t i = 0; i + n <= w.size(); ++i) {
        grams.insert(n == 1 ? w[i] : (std::uint64_t{w[i]} << 32) | w[i + 1]);
    }
    return grams;
}

/// rouge_score.f_r_p_rouge_n / rouge_l_summary_level: Python's int / int, then F with the 1e-8 term.
double fMeasure(std::size_t overlap, std::size_t hypCount, std::size_t refCount)
{
    const double p = hypCount == 0 ? 0.0 : static_cast<double>(overlap) / static_cast<double>(hypCount);
    const double r = refCount == 0 ? 0.0 : static_cast<double>(overlap) / static_cast<double>(refCount);
    return 2.0 * ((p * r) / (p + r + 1e-8));
}

double rougeN(const std::vector<std::uint32_t>& hyp, const std::vector<std::uint32_t>& ref, std::size_t n)
{
    const auto h = gramSet(hyp, n);
    const auto r = gramSet(ref, n);
    std::size_t overlap = 0;
    for (std::uint64_t g : h) {
        overlap += r.count(g);
    }
    return fMeasure(overlap, h.size(), r.size());
}

std::size_t lcsLength(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b)
{
    std::vector<std::size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

} // namespace

RougeF rougeScores(std::string_view hypothesisTokens, std::string_view referenceTokens)
{
    std::unordered_map<std::string, std::uint32_t> vocab;
    std::vector<std::uint32_t> hyp, ref;
    if (!wordIds(hypothesisTokens, vocab, hyp) || !wordIds(referenceTokens, vocab, ref)) {
        return {}; // rouge_chinese raises "Hypothesis is empty." here; LLaMA-Factory never gets this far
    }
    RougeF f;
    f.r1 = rougeN(hyp, ref, 1);
    f.r2 = rougeN(hyp, ref, 2);
    f.rl = fMeasure(lcsLength(ref, hyp), hyp.size(), ref.size());
    return f;
}

} // namespace td::eval
