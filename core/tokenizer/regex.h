// SPDX-License-Identifier: Apache-2.0
// A small PCRE2 wrapper for tokenizer patterns (Split pre-tokenizer, Replace normalizer/decoder): compiled
// once with UTF + UCP (so \p{L}, \s and \w are Unicode-aware) and JIT, matched many times from any thread.
// Patterns are written for Oniguruma (Hugging Face's engine); the few differences that matter are rewritten
// (Oniguruma's \s also matches U+0085). Not a general regex API.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/error.h"

namespace td::tok
{

class Regex
{
public:
    /// Compiles `pattern`; a literal pattern is escaped first (HF's {"String": ...} patterns).
    static Expected<Regex> compile(std::string_view pattern, bool literal);

    /// All non-overlapping, non-empty matches in `text` (valid UTF-8) as [start, end) byte ranges.
    void findAll(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>>& out) const;

    /// The pattern as written in tokenizer.json.
    const std::string& pattern() const { return m_pattern; }

private:
    struct Code;
    std::shared_ptr<Code> m_code;
    std::string m_pattern;
};

/// Escapes every regex metacharacter of `s`.
std::string regexEscape(std::string_view s);

} // namespace td::tok
