// SPDX-License-Identifier: Apache-2.0
// SentencePiece-style whitespace handling in tokenizer.json: the Metaspace pre-tokenizer (spaces become the
// replacement character, usually U+2581, prepended per prepend_scheme, optionally split before each
// replacement) and the Metaspace decoder (back to spaces, leading one dropped).
#include <nlohmann/json.hpp>

#include "core/tokenizer/stages.h"

namespace td::tok
{
namespace
{

enum class PrependScheme
{
    Always,
    First,
    Never,
};

Expected<PrependScheme> parseScheme(const nlohmann::json& j)
{
    if (j.contains("prepend_scheme") && j.at("prepend_scheme").is_string()) {
        const std::string s = j.at("prepend_scheme").get<std::string>();
        if (s == "always") {
            return PrependScheme::Always;
        }
        if (s == "first") {
            return PrependScheme::First;
        }
        if (s == "never") {
            return PrependScheme::Never;
        }
        return makeError(ErrorCode::BadTokenizer, "unknown Metaspace prepend_scheme '" + s + "'",
                         "expected always, first or never");
    }
    // Older files: add_prefix_space true/false.
    return j.value("add_prefix_space", true) ? PrependScheme::Always : PrependScheme::Never;
}

std::string replacementOf(const nlohmann::json& j)
{
    if (j.contains("replacement") && j.at("replacement").is_string()) {
        return j.at("replacement").get<std::string>();
    }
    return "\xE2\x96\x81"; // U+2581
}

class MetaspacePreTokenizer : public PreTokenizer
{
public:
    MetaspacePreTokenizer(std::string replacement, PrependScheme scheme, bool split)
        : m_rep(std::move(replacement)), m_scheme(scheme), m_split(split)
    {
    }

    void preTokenize(std::vector<Piece>& pieces) const override
    {
        std::vector<std::pair<std::size_t, std::size_t>> matches;
        splitEach(pieces, [&](Piece& p, std::vector<Piece>& out) {
            std::string s;
            s.reserve(p.text.size() + m_rep.size());
            for (const char c : p.text) {
                if (c == ' ') {
                    s += m_rep;
                } else {
                    s.push_back(c);
                }
            }
            const bool startsWithRep = s.compare(0, m_rep.size(), m_rep) == 0;
            if (!startsWithRep &&
                (m_scheme == PrependScheme::Always || (m_scheme == PrependScheme::First && p.atStart))) {
                s.insert(0, m_rep);
            }
            p.text.swap(s);
            if (!m_split) {
                if (!p.text.empty()) {
                    out.push_back(std::move(p));
                }
                return;
            }
            matches.clear();
            for (std::size_t pos = p.text.find(m_rep); pos != std::string::npos;
                 pos = p.text.find(m_rep, pos + m_rep.size())) {
                matches.emplace_back(pos, pos + m_rep.size());
            }
            splitByMatches(p, matches, SplitBehavior::MergedWithNext, false, out);
        });
    }

private:
    std::string m_rep;
    PrependScheme m_scheme;
    bool m_split;
};

class MetaspaceDecoder : public Decoder
{
public:
    MetaspaceDecoder(std::string replacement, PrependScheme scheme) : m_rep(std::move(replacement)), m_scheme(scheme) {}

    void decodeChain(std::vector<std::string>& tokens) const override
    {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            std::string out;
            const std::string& t = tokens[i];
            for (std::size_t pos = 0; pos < t.size();) {
                if (!m_rep.empty() && t.compare(pos, m_rep.size(), m_rep) == 0) {
                    out.push_back(' ');
                    pos += m_rep.size();
                } else {
                    out.push_back(t[pos++]);
                }
            }
            if (i == 0 && m_scheme != PrependScheme::Never && !out.empty() && out[0] == ' ') {
                out.erase(0, 1);
            }
            tokens[i].swap(out);
        }
    }

private:
    std::string m_rep;
    PrependScheme m_scheme;
};

} // namespace

Expected<std::unique_ptr<PreTokenizer>> makeMetaspacePreTokenizer(const nlohmann::json& j)
{
    auto scheme = parseScheme(j);
    if (!scheme) {
        return tl::unexpected(scheme.error());
    }
    return std::make_unique<MetaspacePreTokenizer>(replacementOf(j), *scheme, j.value("split", true));
}

Expected<std::unique_ptr<Decoder>> makeMetaspaceDecoder(const nlohmann::json& j)
{
    auto scheme = parseScheme(j);
    if (!scheme) {
        return tl::unexpected(scheme.error());
    }
    return std::make_unique<MetaspaceDecoder>(replacementOf(j), *scheme);
}

} // namespace td::tok
