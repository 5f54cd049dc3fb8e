// SPDX-License-Identifier: Apache-2.0
// jieba 0.42.1's jieba.cut(sentence) (accurate mode, HMM=True) on Python code points, step by step:
//  1. re_han_default "([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)" splits the text into "han" blocks (CJK ideographs
//     and ASCII word characters) and the rest. The rest goes through re_skip_default "(\r\n|\s)": whitespace
//     characters and every other character all come out one by one, except "\r\n", which stays together.
//  2. A han block builds the DAG: from each position, every end whose substring is a dictionary word (walking
//     on while the substring is at least a prefix of one); a position with none maps to itself.
//  3. calc(): the best route from the right, maximising sum(log(freq or 1) - log(total)); ties go to the
//     longer word (Python compares (prob, end) tuples).
//  4. Single characters of the route are buffered; a buffered run that is no dictionary word goes to
//     finalseg (the HMM), one that is a word comes out char by char, a lone char comes out as is.
//  5. finalseg.cut: CJK runs ("[\u4E00-\u9FD5]+") get BMES Viterbi tags, the rest is split by
//     "([a-zA-Z0-9]+(?:\.\d+)?%?)" into numbers/latin words and whatever lies between them.
// Floating-point steps keep Python's order of operations, so the same routes win the same ties.
#include <cmath>

#include "core/eval/jieba_impl.h"

namespace td::eval::detail
{

namespace
{

bool isCjk(char32_t c) // [\u4E00-\u9FD5]
{
    return c >= 0x4E00 && c <= 0x9FD5;
}

bool isAsciiAlnum(char32_t c)
{
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
}

bool isHanDefault(char32_t c) // re_han_default's class
{
    return isCjk(c) || isAsciiAlnum(c) || c == U'+' || c == U'#' || c == U'&' || c == U'.' || c == U'_' || c == U'%' ||
           c == U'-';
}

bool isDigit(char32_t c) // \d; finalseg only ever sees ASCII outside CJK runs (the han-block class)
{
    return c >= U'0' && c <= U'9';
}

} // namespace

std::vector<std::string> JiebaSegmenter::cut(std::string_view text) const
{
    const CodePoints cp = decodeUtf8(text);
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < cp.size()) {
        if (isHanDefault(cp.cps[i])) {
            std::size_t j = i;
            while (j < cp.size() && isHanDefault(cp.cps[j])) {
                ++j;
            }
            cutDag(text, cp, i, j, out);
            i = j;
        } else {
            const std::size_t len = cp.cps[i] == U'\r' && i + 1 < cp.size() && cp.cps[i + 1] == U'\n' ? 2 : 1;
            out.emplace_back(cp.slice(text, i, i + len));
            i += len;
        }
    }
    return out;
}

void JiebaSegmenter::cutDag(std::string_view text, const CodePoints& cp, std::size_t begin, std::size_t end,
                            std::vector<std::string>& out) const
{
    const std::size_t n = end - begin;
    // get_DAG, flattened: the ends of position k are dagEnds[dagStart[k] .. dagStart[k + 1]).
    std::vector<std::size_t> dagStart(n + 1), dagEnds;
    for (std::size_t k = 0; k < n; ++k) {
        dagStart[k] = dagEnds.size();
        std::int64_t f = 0;
        for (std::size_t i = k; i < n && (f = freq(cp.slice(text, begin + k, begin + i + 1))) >= 0; ++i) {
            if (f > 0) {
                dagEnds.push_back(i);
            }
        }
        if (dagEnds.size() == dagStart[k]) {
            dagEnds.push_back(k);
        }
    }
    dagStart[n] = dagEnds.size();

    // calc: route[idx] = max((log(FREQ.get(w) or 1) - logtotal + route[x + 1][0], x) for x in DAG[idx]).
    std::vector<double> routeProb(n + 1, 0.0);
    std::vector<std::size_t> routeEnd(n + 1, 0);
    for (std::size_t idx = n; idx-- > 0;) {
        bool first = true;
        for (std::size_t d = dagStart[idx]; d < dagStart[idx + 1]; ++d) {
            const std::size_t x = dagEnds[d];
            const std::int64_t f = freq(cp.slice(text, begin + idx, begin + x + 1));
            const double p = (std::log(static_cast<double>(f > 0 ? f : 1)) - logTotal_) + routeProb[x + 1];
            if (first || p > routeProb[idx] || (p == routeProb[idx] && x > routeEnd[idx])) {
                routeProb[idx] = p;
                routeEnd[idx] = x;
                first = false;
            }
        }
    }

    // __cut_DAG: emit the route, buffering runs of single characters.
    std::size_t bufBegin = 0, bufLen = 0;
    const auto flush = [&] {
        if (bufLen == 1) {
            out.emplace_back(cp.slice(text, begin + bufBegin, begin + bufBegin + 1));
        } else if (bufLen > 1) {
            if (freq(cp.slice(text, begin + bufBegin, begin + bufBegin + bufLen)) <= 0) {
                cutHmm(text, cp, begin + bufBegin, begin + bufBegin + bufLen, out);
            } else {
                for (std::size_t k = 0; k < bufLen; ++k) {
                    out.emplace_back(cp.slice(text, begin + bufBegin + k, begin + bufBegin + k + 1));
                }
            }
        }
        bufLen = 0;
    };
    for (std::size_t x = 0; x < n;) {
        const std::size_t y = routeEnd[x] + 1;
        if (y - x == 1) {
            if (bufLen == 0) {
                bufBegin = x;
            }
            ++bufLen;
        } else {
            flush();
            out.emplace_back(cp.slice(text, begin + x, begin + y));
        }
        x = y;
    }
    flush();
}

void JiebaSegmenter::cutHmm(std::string_view text, const CodePoints& cp, std::size_t begin, std::size_t end,
                            std::vector<std::string>& out) const
{
    std::size_t i = begin;
    while (i < end) {
        std::size_t j = i;
        if (isCjk(cp.cps[i])) {
            while (j < end && isCjk(cp.cps[j])) {
                ++j;
            }
            viterbi(text, cp, i, j, out);
            i = j;
            continue;
        }
        while (j < end && !isCjk(cp.cps[j])) {
            ++j;
        }
        // re_skip.split on [i, j): matches and the non-empty stretches between them, in order.
        std::size_t pending = i;
        std::size_t k = i;
        while (k < j) {
            if (!isAsciiAlnum(cp.cps[k])) {
                ++k;
                continue;
            }
            std::size_t m = k;
            while (m < j && isAsciiAlnum(cp.cps[m])) {
                ++m;
            }
            if (m + 1 < j && cp.cps[m] == U'.' && isDigit(cp.cps[m + 1])) {
                m += 2;
                while (m < j && isDigit(cp.cps[m])) {
                    ++m;
                }
            }
            if (m < j && cp.cps[m] == U'%') {
                ++m;
            }
            if (pending < k) {
                out.emplace_back(cp.slice(text, pending, k));
            }
            out.emplace_back(cp.slice(text, k, m));
            pending = k = m;
        }
        if (pending < j) {
            out.emplace_back(cp.slice(text, pending, j));
        }
        i = j;
    }
}

void JiebaSegmenter::viterbi(std::string_view text, const CodePoints& cp, std::size_t begin, std::size_t end,
                             std::vector<std::string>& out) const
{
    using H = HmmModel;
    // PrevStatus: the states that may precede B, E, M, S (indexed in H's order).
    static constexpr int kPrev[4][2] = {{H::E, H::S}, {H::B, H::M}, {H::M, H::B}, {H::S, H::E}};
    const auto emit = [&](int state, char32_t c) {
        const auto it = hmm_.emit[state].find(c);
        return it == hmm_.emit[state].end() ? H::kMinFloat : it->second;
    };
    const std::size_t n = end - begin;
    std::vector<std::array<double, 4>> v(n);
    std::vector<std::array<std::uint8_t, 4>> back(n);
    for (int y = 0; y < 4; ++y) {
        v[0][y] = hmm_.start[y] + emit(y, cp.cps[begin]);
    }
    for (std::size_t t = 1; t < n; ++t) {
        for (int y = 0; y < 4; ++y) {
            const double em = emit(y, cp.cps[begin + t]);
            int best = -1;
            double bestP = 0;
            for (int y0 : kPrev[y]) {
                const double p = (v[t - 1][y0] + hmm_.trans[y0][y]) + em;
                if (best < 0 || p > bestP || (p == bestP && y0 > best)) { // max((prob, state)) in Python
                    best = y0;
                    bestP = p;
                }
            }
            v[t][y] = bestP;
            back[t][y] = static_cast<std::uint8_t>(best);
        }
    }
    int state = v[n - 1][H::S] >= v[n - 1][H::E] ? H::S : H::E; // max over 'ES'; a tie goes to 'S'
    std::vector<int> tags(n);
    for (std::size_t t = n; t-- > 0;) {
        tags[t] = state;
        state = back[t][state];
    }

    // finalseg.__cut: B opens a word, E closes it, S is a word, M continues; a trailing open word comes out.
    std::size_t wordBegin = 0, next = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (tags[i] == H::B) {
            wordBegin = i;
        } else if (tags[i] == H::E) {
            out.emplace_back(cp.slice(text, begin + wordBegin, begin + i + 1));
            next = i + 1;
        } else if (tags[i] == H::S) {
            out.emplace_back(cp.slice(text, begin + i, begin + i + 1));
            next = i + 1;
        }
    }
    if (next < n) {
        out.emplace_back(cp.slice(text, begin + next, end));
    }
}

} // namespace td::eval::detail
