// SPDX-License-Identifier: Apache-2.0
// GPT-2 byte-level encoding: the ByteLevel pre-tokenizer (optional prefix space, optional GPT-2 split regex,
// then every byte mapped to its printable stand-in code point) and the ByteLevel decoder (the inverse map,
// then lossy UTF-8). The ByteLevel post-processor only trims offsets, so it lives in post_processors.cpp.
#include <nlohmann/json.hpp>

#include "core/tokenizer/regex.h"
#include "core/tokenizer/stages.h"

namespace td::tok
{
namespace
{

constexpr const char* kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class ByteLevelPreTokenizer : public PreTokenizer
{
public:
    ByteLevelPreTokenizer(bool addPrefixSpace, std::optional<Regex> re)
        : m_addPrefixSpace(addPrefixSpace), m_re(std::move(re))
    {
    }

    void preTokenize(std::vector<Piece>& pieces) const override
    {
        if (m_addPrefixSpace || m_re) {
            std::vector<std::pair<std::size_t, std::size_t>> matches;
            splitEach(pieces, [&](Piece& p, std::vector<Piece>& out) {
                if (m_addPrefixSpace && (p.text.empty() || p.text[0] != ' ')) {
                    p.text.insert(0, 1, ' ');
                }
                if (m_re) {
                    m_re->findAll(p.text, matches);
                    splitByMatches(p, matches, SplitBehavior::Isolated, false, out);
                } else {
                    out.push_back(std::move(p));
                }
            });
        }
        const auto& table = byteLevelChars();
        for (auto& p : pieces) {
            if (p.addedId >= 0) {
                continue;
            }
            std::string mapped;
            mapped.reserve(p.text.size() * 2);
            for (const char c : p.text) {
                mapped += table[static_cast<unsigned char>(c)];
            }
            p.text.swap(mapped);
        }
    }

private:
    bool m_addPrefixSpace;
    std::optional<Regex> m_re;
};

class ByteLevelDecoder : public Decoder
{
public:
    void decodeChain(std::vector<std::string>& tokens) const override
    {
        std::string bytes;
        for (const auto& t : tokens) {
            // A token made only of byte-level code points becomes those bytes; any other token (an added
            // token written in plain text) is kept as it is.
            std::string tokBytes;
            bool allMapped = true;
            std::size_t i = 0;
            while (i < t.size()) {
                const int b = byteLevelByte(nextCodePoint(t, i));
                if (b < 0) {
                    allMapped = false;
                    break;
                }
                tokBytes.push_back(static_cast<char>(b));
            }
            bytes += allMapped ? tokBytes : t;
        }
        tokens.assign(1, utf8Lossy(bytes));
    }
};

} // namespace

Expected<std::unique_ptr<PreTokenizer>> makeByteLevelPreTokenizer(const nlohmann::json& j)
{
    std::optional<Regex> re;
    if (j.value("use_regex", true)) {
        auto compiled = Regex::compile(kGpt2Pattern, false);
        if (!compiled) {
            return tl::unexpected(compiled.error());
        }
        re = std::move(*compiled);
    }
    return std::make_unique<ByteLevelPreTokenizer>(j.value("add_prefix_space", true), std::move(re));
}

Expected<std::unique_ptr<Decoder>> makeByteLevelDecoder(const nlohmann::json& /*j*/)
{
    return std::make_unique<ByteLevelDecoder>();
}

} // namespace td::tok
