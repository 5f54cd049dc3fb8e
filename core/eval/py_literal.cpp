// SPDX-License-Identifier: Apache-2.0
// Reading finalseg's HMM tables (prob_start.py, prob_trans.py, prob_emit.py): Python source files holding one
// dict literal each. Parsing them at load time keeps Debian's files the only copy of the data.
#include <algorithm>
#include <charconv>

#include "core/eval/jieba_impl.h"

namespace td::eval::detail
{

namespace
{

/// Just enough of Python's literal syntax for finalseg's tables: nested dicts with string keys and float
/// values, '...'/"..." strings with escapes (\uXXXX is what the files use), comments and whitespace.
/// Calls `leaf(keys, value)` for every number, with the keys leading to it.
class PyDictParser
{
public:
    using Leaf = PyLeaf;
    explicit PyDictParser(std::string_view text) : s_(text) {}

    /// Parses the value assigned to `name` at the start of a line; false with error() set on failure.
    bool parseAssignment(std::string_view name, const Leaf& leaf)
    {
        for (std::size_t at = 0; at < s_.size();) {
            if (s_.compare(at, name.size(), name) == 0) {
                pos_ = at + name.size();
                skipSpace();
                if (pos_ < s_.size() && s_[pos_] == '=') {
                    ++pos_;
                    std::vector<std::string> keys;
                    return value(keys, leaf);
                }
            }
            const std::size_t nl = s_.find('\n', at);
            at = nl == std::string_view::npos ? s_.size() : nl + 1;
        }
        return fail("no assignment to " + std::string(name));
    }
    const std::string& error() const { return error_; }

private:
    bool fail(std::string why)
    {
        error_ = std::move(why) + " at byte " + std::to_string(pos_);
        return false;
    }
    void skipSpace()
    {
        while (pos_ < s_.size()) {
            if (s_[pos_] == '#') {
                while (pos_ < s_.size() && s_[pos_] != '\n') {
                    ++pos_;
                }
            } else if (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r') {
                ++pos_;
            } else {
                return;
            }
        }
    }
    bool value(std::vector<std::string>& keys, const Leaf& leaf)
    {
        skipSpace();
        if (pos_ >= s_.size()) {
            return fail("unexpected end");
        }
        if (s_[pos_] == '{') {
            ++pos_;
            while (true) {
                skipSpace();
                if (pos_ < s_.size() && s_[pos_] == '}') {
                    ++pos_;
                    return true;
                }
                std::string key;
                if (!string(key)) {
                    return false;
                }
                skipSpace();
                if (pos_ >= s_.size() || s_[pos_] != ':') {
                    return fail("expected ':'");
                }
                ++pos_;
                keys.push_back(std::move(key));
                if (!value(keys, leaf)) {
                    return false;
                }
                keys.pop_back();
                skipSpace();
                if (pos_ < s_.size() && s_[pos_] == ',') {
                    ++pos_;
                } else if (pos_ >= s_.size() || s_[pos_] != '}') {
                    return fail("expected ',' or '}'");
                }
            }
        }
        std::size_t end = pos_;
        while (end < s_.size() && std::string_view("+-.0123456789eE").find(s_[end]) != std::string_view::npos) {
            ++end;
        }
        const std::size_t start = pos_ < end && s_[pos_] == '+' ? pos_ + 1 : pos_;
        double v = 0;
        const auto [ptr, ec] = std::from_chars(s_.data() + start, s_.data() + end, v);
        if (ec != std::errc{} || ptr != s_.data() + end || start == end) {
            return fail("expected a number or a dict");
        }
        pos_ = end;
        return leaf(keys, v) || fail("unexpected entry");
    }
    bool hex(std::size_t digits, char32_t& cp)
    {
        unsigned v = 0;
        const auto [ptr, ec] = std::from_chars(s_.data() + pos_, s_.data() + std::min(s_.size(), pos_ + digits), v, 16);
        if (ec != std::errc{} || ptr != s_.data() + pos_ + digits) {
            return fail("bad escape");
        }
        pos_ += digits;
        cp = v;
        return true;
    }
    bool string(std::string& out)
    {
        if (pos_ < s_.size() && (s_[pos_] == 'u' || s_[pos_] == 'U')) {
            ++pos_; // u'...' is the same string in Python 3
        }
        if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) {
            return fail("expected a string key");
        }
        const char quote = s_[pos_++];
        while (pos_ < s_.size() && s_[pos_] != quote) {
            if (s_[pos_] != '\\') {
                out += s_[pos_++];
                continue;
            }
            ++pos_;
            if (pos_ >= s_.size()) {
                break;
            }
            const char e = s_[pos_++];
            if (e == 'u' || e == 'U' || e == 'x') { // \uXXXX, \UXXXXXXXX, \xXX: a code point
                char32_t cp = 0;
                if (!hex(e == 'u' ? 4 : e == 'U' ? 8 : 2, cp)) {
                    return false;
                }
                appendUtf8(out, cp);
                continue;
            }
            using namespace std::string_view_literals; // ""sv keeps the embedded NUL
            static constexpr std::string_view kFrom = "nrt0\\'\""sv, kTo = "\n\r\t\0\\'\""sv;
            const std::size_t simple = kFrom.find(e);
            if (simple != std::string_view::npos) {
                out += kTo[simple];
            } else { // Python keeps an unknown escape as written
                out += '\\';
                out += e;
            }
        }
        if (pos_ >= s_.size()) {
            return fail("unterminated string");
        }
        ++pos_;
        return true;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    std::string error_;
};

} // namespace

bool parsePyDictAssignment(std::string_view source, std::string_view name, const PyLeaf& leaf, std::string* error)
{
    PyDictParser parser(source);
    if (parser.parseAssignment(name, leaf)) {
        return true;
    }
    if (error != nullptr) {
        *error = parser.error();
    }
    return false;
}

} // namespace td::eval::detail
