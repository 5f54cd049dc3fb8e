// SPDX-License-Identifier: Apache-2.0
// Python semantics that the generation metrics depend on, for bit-identical scores with LLaMA-Factory:
// Python strings are sequences of code points (not UTF-8 bytes), str.split()/str.rstrip() use Python's own
// whitespace set, round(x, n) is correctly rounded, math.fsum is exact, and numpy's mean sums pairwise.
// Internal to core/eval (metrics.h is the public contract).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace td::eval::detail
{

/// A UTF-8 string as Python would see it: code points plus the byte offset where each one starts
/// (offsets.size() == cps.size() + 1, the last one is the string's size). A malformed byte counts as one
/// character of its own (value 0x110000 + byte, so it equals no real code point and no other bad byte).
struct CodePoints
{
    std::vector<char32_t> cps;
    std::vector<std::uint32_t> offsets;

    std::size_t size() const { return cps.size(); }
    /// The bytes of characters [begin, end).
    std::string_view slice(std::string_view utf8, std::size_t begin, std::size_t end) const
    {
        return utf8.substr(offsets[begin], offsets[end] - offsets[begin]);
    }
};
CodePoints decodeUtf8(std::string_view utf8);
void appendUtf8(std::string& out, char32_t cp);

/// str.isspace() for one character (also what `\s` matches in Python's re for str patterns).
bool pyIsSpace(char32_t cp);
/// str.split() with no argument: runs of whitespace separate, none are kept, no empty pieces.
std::vector<std::string_view> pySplitWhitespace(std::string_view utf8);
/// str.rstrip() with no argument.
std::string_view pyRstrip(std::string_view utf8);

/// Python's round(x, ndigits) for a float: the decimal correctly rounded (half to even on the exact binary
/// value), read back as the nearest double.
double pyRound(double x, int ndigits);
/// math.fsum: the correctly rounded sum of finite doubles (Shewchuk's partials, as CPython does it).
double pyFsum(std::span<const double> values);
/// float(np.mean(values)) for a list of Python floats: numpy adds float64 in blocks of 8192 elements, each
/// block pairwise (8 accumulators up to 128 elements), then divides by the count. 0 for an empty list.
double numpyMean(std::span<const double> values);

} // namespace td::eval::detail
