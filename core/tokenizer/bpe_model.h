// SPDX-License-Identifier: Apache-2.0
// The BPE model of tokenizer.json: vocabulary, ranked merges, byte_fallback, unk (fused or not),
// continuing_subword_prefix / end_of_word_suffix, ignore_merges, and a bounded cache of encoded words.
// Merges are applied lowest rank first with a priority queue (Hugging Face's Word::merge_all), so a word of
// n symbols costs O(n log n). Dropout is ignored (training-time augmentation).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/tokenizer/pipeline.h"

namespace td::tok
{

class BpeModel : public Model
{
public:
    /// Builds the model from the "model" object of tokenizer.json.
    static Expected<std::unique_ptr<BpeModel>> fromJson(const nlohmann::json& model);

    void tokenize(std::string_view word, std::vector<int32_t>& out) const override;
    std::optional<int32_t> tokenToId(std::string_view token) const override;
    const std::string* idToToken(int32_t id) const override;
    int32_t vocabSize() const override { return static_cast<int32_t>(m_idToToken.size()); }
    std::string typeName() const override { return "BPE"; }

private:
    struct StringHash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct Merge
    {
        int32_t rank;
        int32_t newId;
    };

    void mergeWord(std::string_view word, std::vector<int32_t>& out) const;
    static uint64_t pairKey(int32_t a, int32_t b)
    {
        return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
    }

    std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> m_vocab;
    std::vector<std::string> m_idToToken;
    std::unordered_map<uint64_t, Merge> m_merges;
    std::optional<int32_t> m_unk;
    std::string m_prefix;
    std::string m_suffix;
    bool m_fuseUnk = false;
    bool m_byteFallback = false;
    bool m_ignoreMerges = false;
    std::array<int32_t, 256> m_byteTokens{}; ///< id of "<0xXX>", or -1

    // Cache of whole words -> ids; words longer than kMaxCachedWord are not cached.
    static constexpr std::size_t kMaxCachedWord = 256;
    static constexpr std::size_t kCacheCapacity = 1 << 16;
    mutable std::shared_mutex m_cacheMutex;
    mutable std::unordered_map<std::string, std::vector<int32_t>, StringHash, std::equal_to<>> m_cache;
};

} // namespace td::tok
