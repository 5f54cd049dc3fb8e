// SPDX-License-Identifier: Apache-2.0
// Added-token matching (see added_vocabulary.h). Mirrors Hugging Face `tokenizers` tokenizer/added_vocabulary.rs.
#include "core/tokenizer/added_vocabulary.h"

#include <algorithm>

#include "core/tokenizer/unicode.h"

namespace td::tok
{

void AddedVocabulary::Trie::insert(std::string_view key, int32_t token)
{
    if (key.empty()) {
        return;
    }
    firstByte[static_cast<unsigned char>(key[0])] = true;
    int32_t node = 0;
    for (const char ch : key) {
        const auto c = static_cast<unsigned char>(ch);
        auto& kids = nodes[static_cast<std::size_t>(node)].children;
        auto it = std::find_if(kids.begin(), kids.end(), [c](const auto& p) { return p.first == c; });
        if (it != kids.end()) {
            node = it->second;
            continue;
        }
        const auto next = static_cast<int32_t>(nodes.size());
        nodes[static_cast<std::size_t>(node)].children.emplace_back(c, next);
        nodes.emplace_back();
        node = next;
    }
    // First registration wins for duplicate contents.
    if (nodes[static_cast<std::size_t>(node)].token < 0) {
        nodes[static_cast<std::size_t>(node)].token = token;
    }
}

std::pair<int32_t, std::size_t> AddedVocabulary::Trie::longestAt(std::string_view text, std::size_t pos) const
{
    std::pair<int32_t, std::size_t> best{-1, 0};
    int32_t node = 0;
    for (std::size_t i = pos; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const auto& kids = nodes[static_cast<std::size_t>(node)].children;
        auto it = std::find_if(kids.begin(), kids.end(), [c](const auto& p) { return p.first == c; });
        if (it == kids.end()) {
            break;
        }
        node = it->second;
        if (nodes[static_cast<std::size_t>(node)].token >= 0) {
            best = {nodes[static_cast<std::size_t>(node)].token, i + 1 - pos};
        }
    }
    return best;
}

void AddedVocabulary::build(std::vector<AddedToken> tokens, const Normalizer* normalizer)
{
    m_tokens = std::move(tokens);
    for (std::size_t k = 0; k < m_tokens.size(); ++k) {
        const AddedToken& t = m_tokens[k];
        m_byId.emplace(t.id, k);
        m_byContent.emplace(t.content, k);
        if (t.normalized && normalizer) {
            std::string norm = t.content;
            normalizer->normalize(norm);
            m_normalized.insert(norm, static_cast<int32_t>(k));
        } else if (t.normalized) {
            m_normalized.insert(t.content, static_cast<int32_t>(k));
        } else {
            m_raw.insert(t.content, static_cast<int32_t>(k));
        }
    }
}

const AddedToken* AddedVocabulary::byId(int32_t id) const
{
    auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : &m_tokens[it->second];
}

const AddedToken* AddedVocabulary::byContent(std::string_view content) const
{
    auto it = m_byContent.find(std::string(content));
    return it == m_byContent.end() ? nullptr : &m_tokens[it->second];
}

namespace
{

/// Code point that ends s (s non-empty, valid UTF-8).
char32_t lastCodePoint(std::string_view s)
{
    std::size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
        --start;
    }
    return nextCodePoint(s, start);
}

} // namespace

void AddedVocabulary::splitWith(const Trie& trie, const Piece& piece, std::vector<Piece>& out) const
{
    const std::string& s = piece.text;
    if (trie.empty()) {
        out.push_back(piece);
        return;
    }
    std::size_t startOffset = 0;
    std::size_t pos = 0;
    auto emitText = [&](std::size_t a, std::size_t b) {
        if (b > a) {
            out.push_back(Piece{s.substr(a, b - a), -1, piece.atStart && a == 0});
        }
    };
    while (pos < s.size()) {
        if (!trie.firstByte[static_cast<unsigned char>(s[pos])]) {
            ++pos;
            continue;
        }
        const auto [tokenIndex, len] = trie.longestAt(s, pos);
        if (tokenIndex < 0) {
            ++pos;
            continue;
        }
        const AddedToken& tok = m_tokens[static_cast<std::size_t>(tokenIndex)];
        std::size_t start = pos;
        std::size_t stop = pos + len;
        if (tok.singleWord) {
            const bool startSpace = start == 0 || !isAlphanumeric(lastCodePoint(std::string_view(s).substr(0, start)));
            std::size_t k = stop;
            const bool stopSpace = stop == s.size() || !isAlphanumeric(nextCodePoint(s, k));
            if (!startSpace || !stopSpace) {
                ++pos;
                continue;
            }
        }
        if (tok.lstrip) {
            std::size_t newStart = start;
            while (newStart > startOffset) {
                std::size_t back = newStart - 1;
                while (back > 0 && (static_cast<unsigned char>(s[back]) & 0xC0) == 0x80) {
                    --back;
                }
                std::size_t k = back;
                if (!isWhitespace(nextCodePoint(s, k))) {
                    break;
                }
                newStart = back;
            }
            start = newStart;
        }
        if (tok.rstrip) {
            while (stop < s.size()) {
                std::size_t k = stop;
                if (!isWhitespace(nextCodePoint(s, k))) {
                    break;
                }
                stop = k;
            }
        }
        emitText(startOffset, start);
        out.push_back(Piece{tok.content, tok.id, piece.atStart && start == 0});
        startOffset = stop;
        pos = stop;
    }
    emitText(startOffset, s.size());
}

void AddedVocabulary::split(std::string_view text, const Normalizer* normalizer, std::vector<Piece>& out) const
{
    out.clear();
    std::vector<Piece> raw;
    splitWith(m_raw, Piece{std::string(text), -1, true}, raw);
    for (auto& p : raw) {
        if (p.addedId >= 0) {
            out.push_back(std::move(p));
            continue;
        }
        if (normalizer) {
            normalizer->normalize(p.text);
        }
        if (p.text.empty()) {
            continue;
        }
        splitWith(m_normalized, p, out);
    }
}

} // namespace td::tok
