// SPDX-License-Identifier: Apache-2.0
// tokenizer.json decoders (ids -> text): the factory table plus ByteFallback, Fuse, Strip, Replace, BPEDecoder
// and Sequence. ByteLevel and Metaspace decoders live with their pre-tokenizers. Semantics follow Hugging Face
// `tokenizers` (decoders/*.rs): each decoder rewrites the list of token strings, the caller joins them.
#include <cctype>

#include <nlohmann/json.hpp>

#include "core/tokenizer/regex.h"
#include "core/tokenizer/stages.h"

namespace td::tok
{
namespace
{

using json = nlohmann::json;

class ByteFallbackDecoder : public Decoder
{
public:
    void decodeChain(std::vector<std::string>& tokens) const override
    {
        std::vector<std::string> out;
        out.reserve(tokens.size());
        std::string pending;
        std::size_t pendingCount = 0;
        auto flush = [&] {
            if (pendingCount == 0) {
                return;
            }
            if (isValidUtf8(pending)) {
                out.push_back(pending);
            } else {
                for (std::size_t k = 0; k < pendingCount; ++k) {
                    out.emplace_back("\xEF\xBF\xBD");
                }
            }
            pending.clear();
            pendingCount = 0;
        };
        for (auto& t : tokens) {
            if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>' &&
                std::isxdigit(static_cast<unsigned char>(t[3])) && std::isxdigit(static_cast<unsigned char>(t[4]))) {
                pending.push_back(static_cast<char>(std::stoi(t.substr(3, 2), nullptr, 16)));
                ++pendingCount;
            } else {
                flush();
                out.push_back(std::move(t));
            }
        }
        flush();
        tokens.swap(out);
    }
};

class FuseDecoder : public Decoder
{
public:
    void decodeChain(std::vector<std::string>& tokens) const override
    {
        std::string joined;
        for (const auto& t : tokens) {
            joined += t;
        }
        tokens.assign(1, std::move(joined));
    }
};

class StripDecoder : public Decoder
{
public:
    StripDecoder(char32_t content, std::size_t start, std::size_t stop)
        : m_content(content), m_start(start), m_stop(stop)
    {
    }

    void decodeChain(std::vector<std::string>& tokens) const override
    {
        for (auto& t : tokens) {
            std::vector<std::pair<std::size_t, char32_t>> cps; // (byte offset, code point)
            for (std::size_t i = 0; i < t.size();) {
                const std::size_t at = i;
                cps.emplace_back(at, nextCodePoint(t, i));
            }
            std::size_t first = 0;
            for (std::size_t k = 0; k < m_start && k < cps.size() && cps[k].second == m_content; ++k) {
                first = k + 1;
            }
            std::size_t last = cps.size();
            for (std::size_t k = 0; k < m_stop && last > first && cps[last - 1].second == m_content; ++k) {
                --last;
            }
            const std::size_t a = first < cps.size() ? cps[first].first : t.size();
            const std::size_t b = last < cps.size() ? cps[last].first : t.size();
            t = b > a ? t.substr(a, b - a) : std::string();
        }
    }

private:
    char32_t m_content;
    std::size_t m_start;
    std::size_t m_stop;
};

class ReplaceDecoder : public Decoder
{
public:
    ReplaceDecoder(std::string literal, std::optional<Regex> re, std::string content)
        : m_literal(std::move(literal)), m_re(std::move(re)), m_content(std::move(content))
    {
    }

    void decodeChain(std::vector<std::string>& tokens) const override
    {
        std::vector<std::pair<std::size_t, std::size_t>> matches;
        for (auto& t : tokens) {
            matches.clear();
            if (m_re) {
                m_re->findAll(t, matches);
            } else if (!m_literal.empty()) {
                for (auto pos = t.find(m_literal); pos != std::string::npos;
                     pos = t.find(m_literal, pos + m_literal.size())) {
                    matches.emplace_back(pos, pos + m_literal.size());
                }
            }
            if (matches.empty()) {
                continue;
            }
            std::string out;
            std::size_t last = 0;
            for (const auto& [a, b] : matches) {
                out.append(t, last, a - last);
                out += m_content;
                last = b;
            }
            out.append(t, last, std::string::npos);
            t.swap(out);
        }
    }

private:
    std::string m_literal;
    std::optional<Regex> m_re;
    std::string m_content;
};

class BpeSuffixDecoder : public Decoder
{
public:
    explicit BpeSuffixDecoder(std::string suffix) : m_suffix(std::move(suffix)) {}
    void decodeChain(std::vector<std::string>& tokens) const override
    {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const std::string rep = i + 1 == tokens.size() ? "" : " ";
            std::string& t = tokens[i];
            for (auto pos = t.find(m_suffix); !m_suffix.empty() && pos != std::string::npos;
                 pos = t.find(m_suffix, pos + rep.size())) {
                t.replace(pos, m_suffix.size(), rep);
            }
        }
    }

private:
    std::string m_suffix;
};

class SequenceDecoder : public Decoder
{
public:
    explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> parts) : m_parts(std::move(parts)) {}
    void decodeChain(std::vector<std::string>& tokens) const override
    {
        for (const auto& d : m_parts) {
            d->decodeChain(tokens);
        }
    }

private:
    std::vector<std::unique_ptr<Decoder>> m_parts;
};

using Result = Expected<std::unique_ptr<Decoder>>;

Result makeReplace(const json& j)
{
    const json& pat = j.at("pattern");
    const std::string content = j.at("content").get<std::string>();
    if (pat.contains("String")) {
        return std::make_unique<ReplaceDecoder>(pat.at("String").get<std::string>(), std::nullopt, content);
    }
    auto re = Regex::compile(pat.at("Regex").get<std::string>(), false);
    if (!re) {
        return tl::unexpected(re.error());
    }
    return std::make_unique<ReplaceDecoder>(std::string(), std::move(*re), content);
}

Result makeStrip(const json& j)
{
    const std::string c = j.value("content", " ");
    std::size_t i = 0;
    const char32_t cp = c.empty() ? U' ' : nextCodePoint(c, i);
    return std::make_unique<StripDecoder>(cp, j.value("start", std::size_t{0}), j.value("stop", std::size_t{0}));
}

Result makeSequence(const json& j)
{
    std::vector<std::unique_ptr<Decoder>> parts;
    for (const auto& sub : j.at("decoders")) {
        auto d = makeDecoder(sub);
        if (!d) {
            return tl::unexpected(d.error());
        }
        parts.push_back(std::move(*d));
    }
    return std::make_unique<SequenceDecoder>(std::move(parts));
}

struct Entry
{
    const char* type;
    Result (*make)(const json&);
};

// The one table of supported decoder types.
const Entry kDecoders[] = {
    {"ByteLevel", &makeByteLevelDecoder},
    {"Metaspace", &makeMetaspaceDecoder},
    {"ByteFallback", [](const json&) -> Result { return std::make_unique<ByteFallbackDecoder>(); }},
    {"Fuse", [](const json&) -> Result { return std::make_unique<FuseDecoder>(); }},
    {"Strip", &makeStrip},
    {"Replace", &makeReplace},
    {"BPEDecoder",
     [](const json& j) -> Result { return std::make_unique<BpeSuffixDecoder>(j.value("suffix", "</w>")); }},
    {"Sequence", &makeSequence},
};

} // namespace

Expected<std::unique_ptr<Decoder>> makeDecoder(const json& j)
{
    const std::string type = j.value("type", "");
    for (const auto& e : kDecoders) {
        if (type == e.type) {
            return e.make(j);
        }
    }
    return makeError(ErrorCode::BadTokenizer, "unsupported decoder type '" + type + "' in tokenizer.json",
                     "supported: ByteLevel, Metaspace, ByteFallback, Fuse, Strip, Replace, BPEDecoder, Sequence");
}

} // namespace td::tok
