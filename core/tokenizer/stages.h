// SPDX-License-Identifier: Apache-2.0
// Constructors of the pipeline stages that live in their own files, used by the factory tables in
// normalizers.cpp / pre_tokenizers.cpp / decoders.cpp. Internal to core/tokenizer.
#pragma once

#include <memory>

#include <nlohmann/json_fwd.hpp>

#include "core/tokenizer/pipeline.h"

namespace td::tok
{

Expected<std::unique_ptr<PreTokenizer>> makeByteLevelPreTokenizer(const nlohmann::json& j);
Expected<std::unique_ptr<PreTokenizer>> makeMetaspacePreTokenizer(const nlohmann::json& j);
Expected<std::unique_ptr<PreTokenizer>> makeSplitPreTokenizer(const nlohmann::json& j);
Expected<std::unique_ptr<Decoder>> makeByteLevelDecoder(const nlohmann::json& j);
Expected<std::unique_ptr<Decoder>> makeMetaspaceDecoder(const nlohmann::json& j);
/// [bos] A [eos]: the post-processor transformers builds from add_bos_token/add_eos_token.
std::unique_ptr<PostProcessor> makeBosEosPostProcessor(std::optional<int32_t> bos, std::optional<int32_t> eos);

/// [start,end) of every code point of s for which pred holds (each code point is its own match).
template <class Pred> std::vector<std::pair<std::size_t, std::size_t>> charMatches(std::string_view s, Pred&& pred);

} // namespace td::tok

#include "core/tokenizer/unicode.h"

namespace td::tok
{

template <class Pred> std::vector<std::pair<std::size_t, std::size_t>> charMatches(std::string_view s, Pred&& pred)
{
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t start = i;
        if (pred(nextCodePoint(s, i))) {
            out.emplace_back(start, i);
        }
    }
    return out;
}

} // namespace td::tok
