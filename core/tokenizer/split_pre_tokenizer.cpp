// SPDX-License-Identifier: Apache-2.0
// The Split pre-tokenizer (a literal or regex pattern, a delimiter behavior, invert) and the shared helper
// that applies Hugging Face's SplitDelimiterBehavior rules to a list of matches.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/tokenizer/regex.h"
#include "core/tokenizer/stages.h"

namespace td::tok
{

Expected<SplitBehavior> parseSplitBehavior(std::string_view name)
{
    if (name == "Removed") {
        return SplitBehavior::Removed;
    }
    if (name == "Isolated") {
        return SplitBehavior::Isolated;
    }
    if (name == "MergedWithPrevious") {
        return SplitBehavior::MergedWithPrevious;
    }
    if (name == "MergedWithNext") {
        return SplitBehavior::MergedWithNext;
    }
    if (name == "Contiguous") {
        return SplitBehavior::Contiguous;
    }
    return makeError(ErrorCode::BadTokenizer, "unknown split behavior '" + std::string(name) + "'",
                     "expected Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous");
}

void splitByMatches(const Piece& piece, const std::vector<std::pair<std::size_t, std::size_t>>& matches,
                    SplitBehavior behavior, bool invert, std::vector<Piece>& out)
{
    struct Seg
    {
        std::size_t a, b;
        bool match;
    };
    const std::string& s = piece.text;
    std::vector<Seg> segs;
    segs.reserve(matches.size() * 2 + 1);
    std::size_t last = 0;
    for (const auto& [a, b] : matches) {
        if (a > last) {
            segs.push_back({last, a, invert});
        }
        segs.push_back({a, b, !invert});
        last = b;
    }
    if (last < s.size()) {
        segs.push_back({last, s.size(), invert});
    }

    std::vector<Seg> kept;
    kept.reserve(segs.size());
    bool prevMatch = false;
    switch (behavior) {
    case SplitBehavior::Removed:
        for (const auto& g : segs) {
            if (!g.match) {
                kept.push_back(g);
            }
        }
        break;
    case SplitBehavior::Isolated:
        kept = segs;
        break;
    case SplitBehavior::MergedWithPrevious:
        for (const auto& g : segs) {
            if (g.match && !prevMatch && !kept.empty()) {
                kept.back().b = g.b;
            } else {
                kept.push_back(g);
            }
            prevMatch = g.match;
        }
        break;
    case SplitBehavior::MergedWithNext:
        for (auto it = segs.rbegin(); it != segs.rend(); ++it) {
            if (it->match && !prevMatch && !kept.empty()) {
                kept.back().a = it->a;
            } else {
                kept.push_back(*it);
            }
            prevMatch = it->match;
        }
        std::reverse(kept.begin(), kept.end());
        break;
    case SplitBehavior::Contiguous:
        for (std::size_t k = 0; k < segs.size(); ++k) {
            const auto& g = segs[k];
            if (k > 0 && g.match == prevMatch) {
                kept.back().b = g.b;
            } else {
                kept.push_back(g);
            }
            prevMatch = g.match;
        }
        break;
    }
    for (const auto& g : kept) {
        if (g.b > g.a) {
            out.push_back(Piece{s.substr(g.a, g.b - g.a), -1, piece.atStart && g.a == 0});
        }
    }
}

namespace
{

class SplitPreTokenizer : public PreTokenizer
{
public:
    SplitPreTokenizer(Regex re, SplitBehavior behavior, bool invert)
        : m_re(std::move(re)), m_behavior(behavior), m_invert(invert)
    {
    }

    void preTokenize(std::vector<Piece>& pieces) const override
    {
        std::vector<std::pair<std::size_t, std::size_t>> matches;
        splitEach(pieces, [&](const Piece& p, std::vector<Piece>& out) {
            m_re.findAll(p.text, matches);
            splitByMatches(p, matches, m_behavior, m_invert, out);
        });
    }

private:
    Regex m_re;
    SplitBehavior m_behavior;
    bool m_invert;
};

} // namespace

Expected<std::unique_ptr<PreTokenizer>> makeSplitPreTokenizer(const nlohmann::json& j)
{
    const auto& pat = j.at("pattern");
    const bool literal = pat.contains("String");
    auto re =
        Regex::compile(literal ? pat.at("String").get<std::string>() : pat.at("Regex").get<std::string>(), literal);
    if (!re) {
        return tl::unexpected(re.error());
    }
    auto behavior = parseSplitBehavior(j.at("behavior").get<std::string>());
    if (!behavior) {
        return tl::unexpected(behavior.error());
    }
    return std::make_unique<SplitPreTokenizer>(std::move(*re), *behavior, j.value("invert", false));
}

} // namespace td::tok
