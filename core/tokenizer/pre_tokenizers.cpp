// SPDX-License-Identifier: Apache-2.0
// The pre-tokenizer factory table and the small character-class pre-tokenizers: Digits, Punctuation,
// Whitespace, WhitespaceSplit, BertPreTokenizer, CharDelimiterSplit and Sequence. ByteLevel, Metaspace and
// Split live in their own files. Semantics follow Hugging Face `tokenizers` (pre_tokenizers/*.rs).
#include <nlohmann/json.hpp>

#include "core/tokenizer/regex.h"
#include "core/tokenizer/stages.h"

namespace td::tok
{
namespace
{

using json = nlohmann::json;

/// Splits each piece at the code points selected by Pred, with a fixed behavior.
template <class Pred> class CharClassPreTokenizer : public PreTokenizer
{
public:
    CharClassPreTokenizer(Pred pred, SplitBehavior behavior) : m_pred(std::move(pred)), m_behavior(behavior) {}

    void preTokenize(std::vector<Piece>& pieces) const override
    {
        splitEach(pieces, [&](const Piece& p, std::vector<Piece>& out) {
            splitByMatches(p, charMatches(p.text, m_pred), m_behavior, false, out);
        });
    }

private:
    Pred m_pred;
    SplitBehavior m_behavior;
};

template <class Pred> std::unique_ptr<PreTokenizer> charClass(Pred pred, SplitBehavior behavior)
{
    return std::make_unique<CharClassPreTokenizer<Pred>>(std::move(pred), behavior);
}

class WhitespacePreTokenizer : public PreTokenizer
{
public:
    explicit WhitespacePreTokenizer(Regex re) : m_re(std::move(re)) {}

    void preTokenize(std::vector<Piece>& pieces) const override
    {
        std::vector<std::pair<std::size_t, std::size_t>> matches;
        splitEach(pieces, [&](const Piece& p, std::vector<Piece>& out) {
            m_re.findAll(p.text, matches);
            splitByMatches(p, matches, SplitBehavior::Removed, true, out);
        });
    }

private:
    Regex m_re;
};

class SequencePreTokenizer : public PreTokenizer
{
public:
    explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> parts) : m_parts(std::move(parts)) {}
    void preTokenize(std::vector<Piece>& pieces) const override
    {
        for (const auto& p : m_parts) {
            p->preTokenize(pieces);
        }
    }

private:
    std::vector<std::unique_ptr<PreTokenizer>> m_parts;
};

using Result = Expected<std::unique_ptr<PreTokenizer>>;

Result makeDigits(const json& j)
{
    const bool individual = j.value("individual_digits", false);
    return charClass([](char32_t c) { return isNumeric(c); },
                     individual ? SplitBehavior::Isolated : SplitBehavior::Contiguous);
}

Result makePunctuation(const json& j)
{
    auto behavior = parseSplitBehavior(j.value("behavior", "Isolated"));
    if (!behavior) {
        return tl::unexpected(behavior.error());
    }
    return charClass([](char32_t c) { return isPunctuation(c); }, *behavior);
}

Result makeWhitespace(const json&)
{
    auto re = Regex::compile(R"(\w+|[^\w\s]+)", false);
    if (!re) {
        return tl::unexpected(re.error());
    }
    return std::make_unique<WhitespacePreTokenizer>(std::move(*re));
}

Result makeWhitespaceSplit(const json&)
{
    return charClass([](char32_t c) { return isWhitespace(c); }, SplitBehavior::Removed);
}

Result makeBert(const json&)
{
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    parts.push_back(charClass([](char32_t c) { return isWhitespace(c); }, SplitBehavior::Removed));
    parts.push_back(charClass([](char32_t c) { return isPunctuation(c); }, SplitBehavior::Isolated));
    return std::make_unique<SequencePreTokenizer>(std::move(parts));
}

Result makeCharDelimiter(const json& j)
{
    const std::string d = j.at("delimiter").get<std::string>();
    std::size_t i = 0;
    const char32_t delim = d.empty() ? U' ' : nextCodePoint(d, i);
    return charClass([delim](char32_t c) { return c == delim; }, SplitBehavior::Removed);
}

Result makeSequence(const json& j)
{
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    for (const auto& sub : j.at("pretokenizers")) {
        auto p = makePreTokenizer(sub);
        if (!p) {
            return tl::unexpected(p.error());
        }
        parts.push_back(std::move(*p));
    }
    return std::make_unique<SequencePreTokenizer>(std::move(parts));
}

struct Entry
{
    const char* type;
    Result (*make)(const json&);
};

// The one table of supported pre-tokenizer types.
const Entry kPreTokenizers[] = {
    {"ByteLevel", &makeByteLevelPreTokenizer},  {"Metaspace", &makeMetaspacePreTokenizer},
    {"Split", &makeSplitPreTokenizer},          {"Digits", &makeDigits},
    {"Punctuation", &makePunctuation},          {"Whitespace", &makeWhitespace},
    {"WhitespaceSplit", &makeWhitespaceSplit},  {"BertPreTokenizer", &makeBert},
    {"CharDelimiterSplit", &makeCharDelimiter}, {"Sequence", &makeSequence},
};

} // namespace

Expected<std::unique_ptr<PreTokenizer>> makePreTokenizer(const json& j)
{
    const std::string type = j.value("type", "");
    for (const auto& e : kPreTokenizers) {
        if (type == e.type) {
            return e.make(j);
        }
    }
    return makeError(ErrorCode::BadTokenizer, "unsupported pre-tokenizer type '" + type + "' in tokenizer.json",
                     "supported: ByteLevel, Metaspace, Split, Digits, Punctuation, Whitespace, WhitespaceSplit, "
                     "BertPreTokenizer, CharDelimiterSplit, Sequence");
}

} // namespace td::tok
