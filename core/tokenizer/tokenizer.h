// SPDX-License-Identifier: Apache-2.0
// Public tokenizer API of the engine: load a Hugging Face model folder's tokenizer (tokenizer.json, or
// tokenizer.model through SentencePiece when there is no tokenizer.json) with its tokenizer_config.json,
// then encode text to ids and decode ids to text, identically to Hugging Face `tokenizers`.
// Torch-free and JSON-free: the data worker, the model loader, the CLI and (through core/jobs) the UI use it.
// A loaded Tokenizer is immutable and safe to use from several threads at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.h"

namespace td::tok
{

using TokenId = int32_t;

/// An added token (tokenizer.json "added_tokens" / tokenizer_config.json "added_tokens_decoder").
struct AddedToken
{
    std::string content;
    TokenId id = -1;
    bool special = false;
    bool lstrip = false;
    bool rstrip = false;
    bool normalized = false;
    bool singleWord = false;
};

/// What tokenizer_config.json (plus chat_template.jinja and config.json's model_type) says.
struct TokenizerConfig
{
    std::optional<std::string> bosToken;
    std::optional<std::string> eosToken;
    std::optional<std::string> padToken;
    std::optional<std::string> unkToken;
    std::optional<bool> addBosToken;
    std::optional<bool> addEosToken;
    int64_t modelMaxLength = 0; ///< 0 when absent or "unlimited" (HF writes 1e30)
    std::string chatTemplate;   ///< the Jinja chat template text, empty when none
    std::string tokenizerClass; ///< e.g. "Qwen2Tokenizer", "LlamaTokenizerFast"
    std::string modelType;      ///< config.json "model_type" when the folder has one (template auto-select)
    std::vector<std::string> additionalSpecialTokens;
    std::vector<AddedToken> addedTokensDecoder; ///< used for SentencePiece folders
};

/// Parses the text of a tokenizer_config.json.
Expected<TokenizerConfig> parseTokenizerConfig(std::string_view jsonText);
/// Reads dir/tokenizer_config.json (optional), dir/chat_template.jinja (optional), dir/config.json (optional).
Expected<TokenizerConfig> loadTokenizerConfig(const std::filesystem::path& dir);

class Tokenizer
{
public:
    struct Impl;
    explicit Tokenizer(std::unique_ptr<Impl> impl);
    ~Tokenizer();
    Tokenizer(const Tokenizer&) = delete;
    Tokenizer& operator=(const Tokenizer&) = delete;

    /// Encodes UTF-8 text. addSpecial adds what the tokenizer adds by default (BOS for Llama/Gemma, nothing
    /// for Qwen), i.e. HF's add_special_tokens=True. Special-token strings in the text become their ids.
    /// Invalid UTF-8 is an InvalidArgument error.
    Expected<std::vector<TokenId>> encode(std::string_view text, bool addSpecial = false) const;

    /// Decodes ids to text (HF decode, clean_up_tokenization_spaces not applied). Unknown ids are skipped.
    Expected<std::string> decode(std::span<const TokenId> ids, bool skipSpecial = false) const;

    /// The vocabulary string of an id (byte-level form for GPT-2 style vocabularies), empty if unknown.
    std::string idToPiece(TokenId id) const;
    /// The id of a vocabulary string or added token.
    std::optional<TokenId> pieceToId(std::string_view piece) const;
    /// Number of ids (largest id + 1, added tokens included): the embedding rows a model needs at least.
    int32_t vocabSize() const;
    /// True for added tokens marked special (skipped by decode(skipSpecial=true)).
    bool isSpecial(TokenId id) const;

    std::optional<TokenId> bosId() const;
    std::optional<TokenId> eosId() const;
    std::optional<TokenId> padId() const;
    std::optional<TokenId> unkId() const;
    /// Token strings ("" when the tokenizer has none).
    std::string bosToken() const;
    std::string eosToken() const;

    const TokenizerConfig& config() const;
    const std::vector<AddedToken>& addedTokens() const;
    /// One line for logs: "tokenizer.json BPE, 151669 ids, 26 added".
    std::string describe() const;

private:
    std::unique_ptr<Impl> m_impl;
};

/// Loads the tokenizer of a model folder (or a folder holding only tokenizer files).
Expected<std::shared_ptr<Tokenizer>> loadTokenizer(const std::filesystem::path& dir);
/// Builds a tokenizer from tokenizer.json text (tests, fuzzing, in-memory models).
Expected<std::shared_ptr<Tokenizer>> loadTokenizerJson(std::string_view tokenizerJson,
                                                       const TokenizerConfig& config = {});
/// Builds a tokenizer from a SentencePiece model file.
Expected<std::shared_ptr<Tokenizer>> loadSentencePiece(const std::filesystem::path& modelFile,
                                                       const TokenizerConfig& config = {});

} // namespace td::tok
