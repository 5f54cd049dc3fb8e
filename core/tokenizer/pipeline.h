// SPDX-License-Identifier: Apache-2.0
// The stages of a tokenizer.json pipeline, as Hugging Face's `tokenizers` defines them:
//   added tokens split -> normalizer -> pre-tokenizer -> model (BPE) -> post-processor;  decoder for ids->text.
// Each stage family lives in its own file with one explicit factory table (makeNormalizer, makePreTokenizer,
// makeDecoder, makePostProcessor). Internal to core/tokenizer: public code uses tokenizer.h.
// Offsets are not tracked: the engine needs ids, masks and text, not character alignments.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/common/error.h"

namespace td::tok
{

/// A piece of the input on its way through the pipeline. Pieces holding an added token (addedId >= 0) are
/// never normalized, pre-tokenized or split again.
struct Piece
{
    std::string text;
    int32_t addedId = -1;
    bool atStart = false; ///< begins at offset 0 of the original input (Metaspace prepend_scheme "first")
};

class Normalizer
{
public:
    virtual ~Normalizer() = default;
    virtual void normalize(std::string& s) const = 0;
};

class PreTokenizer
{
public:
    virtual ~PreTokenizer() = default;
    /// Splits/rewrites every piece that is not an added token; drops pieces that become empty.
    virtual void preTokenize(std::vector<Piece>& pieces) const = 0;
};

class Model
{
public:
    virtual ~Model() = default;
    virtual void tokenize(std::string_view piece, std::vector<int32_t>& out) const = 0;
    virtual std::optional<int32_t> tokenToId(std::string_view token) const = 0;
    /// The token string of id, or nullptr.
    virtual const std::string* idToToken(int32_t id) const = 0;
    virtual int32_t vocabSize() const = 0;
    virtual std::string typeName() const = 0;
    /// Models that turn ids into text themselves (SentencePiece) return true and implement decodeIds.
    virtual bool decodesIds() const { return false; }
    virtual void decodeIds(std::span<const int32_t> /*ids*/, std::string& /*out*/) const {}
};

class Decoder
{
public:
    virtual ~Decoder() = default;
    /// Rewrites the token strings (HF decode_chain); the caller joins the result.
    virtual void decodeChain(std::vector<std::string>& tokens) const = 0;
};

class PostProcessor
{
public:
    virtual ~PostProcessor() = default;
    /// Adds the special tokens of a single sequence (BOS/EOS/CLS/SEP ...).
    virtual void process(std::vector<int32_t>& ids) const = 0;
};

// Factories: one explicit table of "type" names each. `j` is the JSON object of the stage; null is allowed
// by the caller, not here. Unknown types are a BadTokenizer error naming the type.
Expected<std::unique_ptr<Normalizer>> makeNormalizer(const nlohmann::json& j);
Expected<std::unique_ptr<PreTokenizer>> makePreTokenizer(const nlohmann::json& j);
Expected<std::unique_ptr<Decoder>> makeDecoder(const nlohmann::json& j);
Expected<std::unique_ptr<PostProcessor>> makePostProcessor(const nlohmann::json& j);

/// Splits `s` at the given delimiter matches with one of HF's SplitDelimiterBehavior rules, appending the
/// non-empty parts to `out`. `matches` are sorted, non-overlapping [start,end) ranges.
enum class SplitBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
};
Expected<SplitBehavior> parseSplitBehavior(std::string_view name);
void splitByMatches(const Piece& piece, const std::vector<std::pair<std::size_t, std::size_t>>& matches,
                    SplitBehavior behavior, bool invert, std::vector<Piece>& out);

/// Applies fn(piece, out) to every non-added piece, keeping added pieces as they are.
template <class Fn> void splitEach(std::vector<Piece>& pieces, Fn&& fn)
{
    std::vector<Piece> out;
    out.reserve(pieces.size() * 2);
    for (auto& p : pieces) {
        if (p.addedId >= 0) {
            out.push_back(std::move(p));
        } else {
            fn(p, out);
        }
    }
    pieces.swap(out);
}

} // namespace td::tok
