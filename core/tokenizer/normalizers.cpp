// SPDX-License-Identifier: Apache-2.0
// tokenizer.json normalizers: NFC, NFD, NFKC, NFKD, Lowercase, Prepend, Replace, Strip, StripAccents, Sequence.
// Semantics follow Hugging Face `tokenizers` (normalizers/*.rs). Not supported: Precompiled (SentencePiece
// charsmap), BertNormalizer, Nmt — they are reported as unknown types.
#include <nlohmann/json.hpp>

#include "core/tokenizer/pipeline.h"
#include "core/tokenizer/regex.h"
#include "core/tokenizer/unicode.h"

namespace td::tok
{
namespace
{

using json = nlohmann::json;

class UnicodeNormalizer : public Normalizer
{
public:
    explicit UnicodeNormalizer(NormalForm form) : m_form(form) {}
    void normalize(std::string& s) const override { normalizeUnicode(s, m_form); }

private:
    NormalForm m_form;
};

class LowercaseNormalizer : public Normalizer
{
public:
    void normalize(std::string& s) const override { lowercaseUtf8(s); }
};

class PrependNormalizer : public Normalizer
{
public:
    explicit PrependNormalizer(std::string prefix) : m_prefix(std::move(prefix)) {}
    void normalize(std::string& s) const override
    {
        if (!s.empty()) {
            s.insert(0, m_prefix);
        }
    }

private:
    std::string m_prefix;
};

class ReplaceNormalizer : public Normalizer
{
public:
    ReplaceNormalizer(std::string literal, std::optional<Regex> regex, std::string content)
        : m_literal(std::move(literal)), m_regex(std::move(regex)), m_content(std::move(content))
    {
    }

    void normalize(std::string& s) const override
    {
        if (m_regex) {
            std::vector<std::pair<std::size_t, std::size_t>> matches;
            m_regex->findAll(s, matches);
            if (matches.empty()) {
                return;
            }
            std::string out;
            std::size_t last = 0;
            for (const auto& [a, b] : matches) {
                out.append(s, last, a - last);
                out += m_content;
                last = b;
            }
            out.append(s, last, std::string::npos);
            s.swap(out);
            return;
        }
        if (m_literal.empty() || s.find(m_literal) == std::string::npos) {
            return;
        }
        std::string out;
        out.reserve(s.size() + s.size() / 8);
        std::size_t last = 0;
        for (std::size_t pos = s.find(m_literal); pos != std::string::npos; pos = s.find(m_literal, last)) {
            out.append(s, last, pos - last);
            out += m_content;
            last = pos + m_literal.size();
        }
        out.append(s, last, std::string::npos);
        s.swap(out);
    }

private:
    std::string m_literal;
    std::optional<Regex> m_regex;
    std::string m_content;
};

class StripNormalizer : public Normalizer
{
public:
    StripNormalizer(bool left, bool right) : m_left(left), m_right(right) {}
    void normalize(std::string& s) const override
    {
        std::size_t begin = 0;
        std::size_t end = s.size();
        if (m_left) {
            while (begin < end) {
                std::size_t i = begin;
                if (!isWhitespace(nextCodePoint(s, i))) {
                    break;
                }
                begin = i;
            }
        }
        if (m_right) {
            while (end > begin) {
                std::size_t start = end - 1;
                while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
                    --start;
                }
                std::size_t i = start;
                if (!isWhitespace(nextCodePoint(s, i))) {
                    break;
                }
                end = start;
            }
        }
        s = s.substr(begin, end - begin);
    }

private:
    bool m_left;
    bool m_right;
};

class StripAccentsNormalizer : public Normalizer
{
public:
    void normalize(std::string& s) const override
    {
        std::string out;
        out.reserve(s.size());
        std::size_t i = 0;
        while (i < s.size()) {
            const std::size_t start = i;
            const char32_t cp = nextCodePoint(s, i);
            if (!isNonspacingMark(cp)) {
                out.append(s, start, i - start);
            }
        }
        s.swap(out);
    }
};

class SequenceNormalizer : public Normalizer
{
public:
    explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> parts) : m_parts(std::move(parts)) {}
    void normalize(std::string& s) const override
    {
        for (const auto& n : m_parts) {
            n->normalize(s);
        }
    }

private:
    std::vector<std::unique_ptr<Normalizer>> m_parts;
};

using Factory = Expected<std::unique_ptr<Normalizer>> (*)(const json& j);

template <NormalForm F>
Expected<std::unique_ptr<Normalizer>> makeUnicode(const json&)
{
    return std::make_unique<UnicodeNormalizer>(F);
}

Expected<std::unique_ptr<Normalizer>> makeLowercase(const json&)
{
    return std::make_unique<LowercaseNormalizer>();
}

Expected<std::unique_ptr<Normalizer>> makePrepend(const json& j)
{
    return std::make_unique<PrependNormalizer>(j.at("prepend").get<std::string>());
}

Expected<std::unique_ptr<Normalizer>> makeStrip(const json& j)
{
    return std::make_unique<StripNormalizer>(j.value("strip_left", true), j.value("strip_right", true));
}

Expected<std::unique_ptr<Normalizer>> makeStripAccents(const json&)
{
    return std::make_unique<StripAccentsNormalizer>();
}

Expected<std::unique_ptr<Normalizer>> makeReplace(const json& j)
{
    const json& pat = j.at("pattern");
    const std::string content = j.at("content").get<std::string>();
    if (pat.contains("String")) {
        return std::make_unique<ReplaceNormalizer>(pat.at("String").get<std::string>(), std::nullopt, content);
    }
    auto re = Regex::compile(pat.at("Regex").get<std::string>(), false);
    if (!re) {
        return tl::unexpected(re.error());
    }
    return std::make_unique<ReplaceNormalizer>(std::string(), std::move(*re), content);
}

Expected<std::unique_ptr<Normalizer>> makeSequence(const json& j)
{
    std::vector<std::unique_ptr<Normalizer>> parts;
    for (const auto& sub : j.at("normalizers")) {
        auto n = makeNormalizer(sub);
        if (!n) {
            return tl::unexpected(n.error());
        }
        parts.push_back(std::move(*n));
    }
    return std::make_unique<SequenceNormalizer>(std::move(parts));
}

struct Entry
{
    const char* type;
    Factory make;
};

// The one table of supported normalizer types.
const Entry kNormalizers[] = {
    {"NFC", &makeUnicode<NormalForm::NFC>},
    {"NFD", &makeUnicode<NormalForm::NFD>},
    {"NFKC", &makeUnicode<NormalForm::NFKC>},
    {"NFKD", &makeUnicode<NormalForm::NFKD>},
    {"Lowercase", &makeLowercase},
    {"Prepend", &makePrepend},
    {"Replace", &makeReplace},
    {"Strip", &makeStrip},
    {"StripAccents", &makeStripAccents},
    {"Sequence", &makeSequence},
};

} // namespace

Expected<std::unique_ptr<Normalizer>> makeNormalizer(const json& j)
{
    const std::string type = j.value("type", "");
    for (const auto& e : kNormalizers) {
        if (type == e.type) {
            return e.make(j);
        }
    }
    return makeError(ErrorCode::BadTokenizer, "unsupported normalizer type '" + type + "' in tokenizer.json",
                     "supported: NFC, NFD, NFKC, NFKD, Lowercase, Prepend, Replace, Strip, StripAccents, Sequence");
}

} // namespace td::tok
