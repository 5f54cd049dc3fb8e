// SPDX-License-Identifier: Apache-2.0
// Added tokens (tokenizer.json "added_tokens", tokenizer_config "added_tokens_decoder"): they are cut out of
// the input before the model sees it, leftmost-longest first, honouring special / lstrip / rstrip /
// normalized / single_word exactly as Hugging Face's AddedVocabulary does. Tokens with normalized=false are
// matched on the raw text; the remaining text is normalized and then matched against normalized=true tokens.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/tokenizer/pipeline.h"
#include "core/tokenizer/tokenizer.h"

namespace td::tok
{

class AddedVocabulary
{
public:
    /// `normalizer` (may be null) is applied to the content of normalized tokens before matching.
    void build(std::vector<AddedToken> tokens, const Normalizer* normalizer);

    /// Splits text into pieces: added tokens (addedId set) and the normalized text between them.
    void split(std::string_view text, const Normalizer* normalizer, std::vector<Piece>& out) const;

    const AddedToken* byId(int32_t id) const;
    const AddedToken* byContent(std::string_view content) const;
    const std::vector<AddedToken>& tokens() const { return m_tokens; }
    bool empty() const { return m_tokens.empty(); }

private:
    struct Trie
    {
        struct Node
        {
            std::vector<std::pair<unsigned char, int32_t>> children;
            int32_t token = -1; ///< index into m_tokens ending here
        };
        std::vector<Node> nodes{Node{}};
        std::array<bool, 256> firstByte{};
        void insert(std::string_view key, int32_t token);
        /// Longest token starting at text[pos]: (token index, length) or (-1, 0).
        std::pair<int32_t, std::size_t> longestAt(std::string_view text, std::size_t pos) const;
        bool empty() const { return nodes.size() == 1; }
    };

    /// HF find_matches + split_with_indices for one trie.
    void splitWith(const Trie& trie, const Piece& piece, std::vector<Piece>& out) const;

    std::vector<AddedToken> m_tokens;
    std::unordered_map<int32_t, std::size_t> m_byId;
    std::unordered_map<std::string, std::size_t> m_byContent;
    Trie m_raw;        ///< normalized=false tokens
    Trie m_normalized; ///< normalized=true tokens (their normalized content)
};

} // namespace td::tok
