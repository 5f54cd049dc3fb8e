// SPDX-License-Identifier: Apache-2.0
// The jieba 0.42.1 segmenter behind td::eval::Segmenter (internal to core/eval):
//   jieba_load.cpp  finds Debian's python3-jieba data and reads dict.txt and the finalseg HMM tables;
//   py_literal.cpp  parses those tables (Python dict literals);
//   jieba.cpp       jieba.cut(text, cut_all=False, HMM=True): blocks, prefix DAG, best route, HMM for
//                   the unknown runs.
// The data is read at run time, never copied into this repository (it is Debian's package).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/eval/metrics.h"
#include "core/eval/pystr.h"

namespace td::eval::detail
{

/// finalseg's tables, states indexed in character order (B < E < M < S) so that comparing indices is
/// comparing the state letters, which is how jieba's max((prob, state)) breaks ties.
struct HmmModel
{
    enum State : int
    {
        B = 0,
        E = 1,
        M = 2,
        S = 3
    };
    static constexpr double kMinFloat = -3.14e100; ///< finalseg.MIN_FLOAT: a missing entry
    std::array<double, 4> start{kMinFloat, kMinFloat, kMinFloat, kMinFloat};
    std::array<std::array<double, 4>, 4> trans{}; ///< trans[from][to]
    std::array<std::unordered_map<char32_t, double>, 4> emit;
};

/// jieba's FREQ: words and all their prefixes -> frequency (0 for a prefix that is no word). Open addressing
/// over views into the dictionary text: std::unordered_map spent most of the load chasing nodes.
class WordFreqTable
{
public:
    /// `text` must outlive the table and stay where it is; keys are (offset, length) into it.
    void reset(std::string_view text, std::size_t expected);
    /// FREQ.get(word): -1 when absent.
    std::int64_t find(std::string_view word) const;
    /// lfreq[word] = freq (overwrite) or, with keepOld, `if word not in lfreq: lfreq[word] = freq`.
    /// `word` must be a view into the text given to reset(). Puts are queued a few deep and applied in order
    /// (the queue prefetches their slots: the load is bound by cache misses); flush() before find().
    void put(std::string_view word, std::uint32_t freq, bool keepOld);
    void flush();
    std::size_t size() const { return size_; }

private:
    struct Pending
    {
        std::string_view word;
        std::uint32_t hash = 0;
        std::uint32_t freq = 0;
        bool keepOld = false;
    };
    void apply(const Pending& p);
    struct Slot
    {
        std::uint32_t hash = 0;
        std::uint32_t offset = 0;
        std::uint32_t length = 0; ///< 0: empty slot (no key is empty)
        std::uint32_t freq = 0;
    };
    static std::uint32_t hashOf(std::string_view s);
    void grow();

    std::string_view text_;
    std::vector<Slot> slots_;
    std::size_t size_ = 0;
    std::array<Pending, 16> queue_{};
    std::size_t queueHead_ = 0, queueSize_ = 0;
};

class JiebaSegmenter final : public Segmenter
{
public:
    /// Reads `dir`/dict.txt and `dir`/finalseg/prob_{start,trans,emit}.py into this object (in place: the
    /// word map holds views into the dictionary text, so the object is never copied or moved).
    Status loadFrom(const std::filesystem::path& dir);

    std::vector<std::string> cut(std::string_view utf8) const override;

    std::size_t entries() const { return freq_.size(); }

private:
    void cutDag(std::string_view text, const CodePoints& cp, std::size_t begin, std::size_t end,
                std::vector<std::string>& out) const;
    void cutHmm(std::string_view text, const CodePoints& cp, std::size_t begin, std::size_t end,
                std::vector<std::string>& out) const;
    void viterbi(std::string_view text, const CodePoints& cp, std::size_t begin, std::size_t end,
                 std::vector<std::string>& out) const;
    /// FREQ.get(word): -1 when absent, 0 for a prefix that is no word.
    std::int64_t freq(std::string_view word) const { return freq_.find(word); }

    std::string dictText_; ///< dict.txt as read; freq_'s keys point into it
    WordFreqTable freq_;   ///< words and all their prefixes (freq 0)
    double logTotal_ = 0;  ///< log(sum of all frequencies)
    HmmModel hmm_;
};

/// Called for every number of a parsed dict literal with the keys leading to it; false rejects the entry.
using PyLeaf = std::function<bool(const std::vector<std::string>& keys, double value)>;
/// Parses the dict literal assigned to `name` at the start of a line of Python source (nested dicts, string
/// keys with Python's escapes and u'' prefix, float values, comments). False with `error` set on failure.
bool parsePyDictAssignment(std::string_view source, std::string_view name, const PyLeaf& leaf, std::string* error);

/// The folder with dict.txt and finalseg/: `dir` when given, else $TD_JIEBA_DIR, else where Debian (and pip)
/// install jieba. Empty when none has the files; `tried` then lists the places looked at.
std::filesystem::path findJiebaData(const std::filesystem::path& dir, std::string* tried);

} // namespace td::eval::detail
