// SPDX-License-Identifier: Apache-2.0
// The inside of td::tok::Tokenizer: the pipeline stages it owns and its resolved special tokens. Shared by
// tokenizer.cpp (encode/decode) and tokenizer_loader.cpp (construction). Internal to core/tokenizer.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/tokenizer/added_vocabulary.h"
#include "core/tokenizer/pipeline.h"
#include "core/tokenizer/tokenizer.h"

namespace td::tok
{

struct Tokenizer::Impl
{
    TokenizerConfig config;
    std::string source; ///< "tokenizer.json" or "tokenizer.model"
    AddedVocabulary added;
    std::unique_ptr<Normalizer> normalizer;
    std::unique_ptr<PreTokenizer> preTokenizer;
    std::unique_ptr<Model> model;
    std::unique_ptr<Decoder> decoder;
    std::unique_ptr<PostProcessor> postProcessor;
    std::optional<TokenId> bos;
    std::optional<TokenId> eos;
    std::optional<TokenId> pad;
    std::optional<TokenId> unk;
    std::string bosToken;
    std::string eosToken;
};

/// Model backed by a SentencePiece processor (sentencepiece_model.cpp).
Expected<std::unique_ptr<Model>> makeSentencePieceModel(const std::filesystem::path& modelFile);
/// The SentencePiece model's own bos/eos/unk/pad ids (-1 when absent).
struct SpmSpecialIds
{
    int bos = -1;
    int eos = -1;
    int unk = -1;
    int pad = -1;
};
SpmSpecialIds sentencePieceSpecialIds(const Model& model);

} // namespace td::tok
