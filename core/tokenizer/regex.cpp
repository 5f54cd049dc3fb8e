// SPDX-License-Identifier: Apache-2.0
// PCRE2 wrapper for tokenizer patterns (see regex.h).
#include "core/tokenizer/regex.h"

#include <pcre2.h>

namespace td::tok
{

struct Regex::Code
{
    pcre2_code* code = nullptr;
    ~Code()
    {
        if (code) {
            pcre2_code_free(code);
        }
    }
};

std::string regexEscape(std::string_view s)
{
    std::string out;
    for (const char c : s) {
        if (std::string_view("\\^$.|?*+()[]{}-/#& ~").find(c) != std::string_view::npos) {
            out.push_back('\\');
        }
        out.push_back(c);
    }
    return out;
}

namespace
{

/// Rewrites Oniguruma-isms: \s gains U+0085 (NEL), which Oniguruma's Unicode \s matches and PCRE2's does not.
std::string onigToPcre(std::string_view p)
{
    std::string out;
    out.reserve(p.size() + 16);
    bool inClass = false;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        if (c == '\\' && i + 1 < p.size()) {
            const char n = p[i + 1];
            if (n == 's') {
                out += inClass ? "\\s\\x{85}" : "[\\s\\x{85}]";
            } else if (n == 'S' && !inClass) {
                out += "[^\\s\\x{85}]";
            } else {
                out.push_back(c);
                out.push_back(n);
            }
            ++i;
            continue;
        }
        if (c == '[' && !inClass) {
            inClass = true;
            out.push_back(c);
            // A ']' right after '[' or '[^' is a literal.
            if (i + 1 < p.size() && p[i + 1] == '^') {
                out.push_back('^');
                ++i;
            }
            if (i + 1 < p.size() && p[i + 1] == ']') {
                out.push_back(']');
                ++i;
            }
            continue;
        }
        if (c == '[' && inClass && i + 1 < p.size() && p[i + 1] == ':') {
            const auto end = p.find(":]", i + 2);
            if (end != std::string_view::npos) {
                out.append(p.substr(i, end + 2 - i));
                i = end + 1;
                continue;
            }
        }
        if (c == ']' && inClass) {
            inClass = false;
        }
        out.push_back(c);
    }
    return out;
}

} // namespace

Expected<Regex> Regex::compile(std::string_view pattern, bool literal)
{
    const std::string source = literal ? regexEscape(pattern) : onigToPcre(pattern);
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(),
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &errorCode, &errorOffset, nullptr);
    if (code == nullptr) {
        PCRE2_UCHAR buffer[256];
        pcre2_get_error_message(errorCode, buffer, sizeof(buffer));
        return makeError(ErrorCode::BadTokenizer,
                         "invalid regex '" + std::string(pattern) + "' at offset " + std::to_string(errorOffset) +
                             ": " + reinterpret_cast<const char*>(buffer),
                         "the tokenizer.json pattern uses a syntax PCRE2 does not accept");
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); // best effort: falls back to the interpreter
    Regex r;
    r.m_code = std::make_shared<Code>();
    r.m_code->code = code;
    r.m_pattern = std::string(pattern);
    return r;
}

void Regex::findAll(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>>& out) const
{
    out.clear();
    if (!m_code || text.empty()) {
        return;
    }
    // Match data per thread, grown on demand: the pattern is shared by every thread that encodes.
    thread_local std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> tlData(
        pcre2_match_data_create(32, nullptr), &pcre2_match_data_free);
    pcre2_match_data* md = tlData.get();
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const int rc = pcre2_match(m_code->code, subject, text.size(), pos, PCRE2_NO_UTF_CHECK, md, nullptr);
        if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
            // Resource limits (match/depth limit) on pathological input: stop matching, keep what was found.
            break;
        }
        if (rc == PCRE2_ERROR_NOMATCH) {
            break;
        }
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
        const std::size_t start = ov[0];
        const std::size_t end = ov[1];
        if (end > start) {
            out.emplace_back(start, end);
            pos = end;
        } else {
            // Empty match: skip one code point so the scan advances.
            pos = start + 1;
            while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) {
                ++pos;
            }
        }
    }
}

} // namespace td::tok
