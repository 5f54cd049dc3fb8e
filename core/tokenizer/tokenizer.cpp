// SPDX-License-Identifier: Apache-2.0
// td::tok::Tokenizer: encode (added tokens -> normalizer -> pre-tokenizer -> model -> post-processor) and
// decode (ids -> token strings -> decoder chain), plus the small lookups. Construction is in
// tokenizer_loader.cpp.
#include "core/tokenizer/tokenizer.h"

#include <algorithm>
#include <cstdio>
#include <new>

#include "core/tokenizer/tokenizer_impl.h"
#include "core/tokenizer/unicode.h"

namespace td::tok
{

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Tokenizer::~Tokenizer() = default;

Expected<std::vector<TokenId>> Tokenizer::encode(std::string_view text, bool addSpecial) const
{
    std::size_t bad = 0;
    if (!isValidUtf8(text, &bad)) {
        return makeError(
            ErrorCode::InvalidArgument,
            "input text is not valid UTF-8 (bad byte 0x" +
                [&] {
                    char buf[4];
                    std::snprintf(buf, sizeof(buf), "%02X", static_cast<unsigned char>(text[bad]));
                    return std::string(buf);
                }() +
                " at byte offset " + std::to_string(bad) + ")",
            "convert the text to UTF-8 before tokenizing");
    }
    try {
        const Impl& d = *m_impl;
        std::vector<Piece> pieces;
        d.added.split(text, d.normalizer.get(), pieces);
        if (d.preTokenizer) {
            d.preTokenizer->preTokenize(pieces);
        }
        std::vector<TokenId> ids;
        ids.reserve(text.size() / 3 + 4);
        for (const auto& p : pieces) {
            if (p.addedId >= 0) {
                ids.push_back(p.addedId);
            } else {
                d.model->tokenize(p.text, ids);
            }
        }
        if (addSpecial && d.postProcessor) {
            d.postProcessor->process(ids);
        }
        return ids;
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::OutOfMemory,
                         "out of memory while tokenizing " + std::to_string(text.size()) + " bytes");
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("tokenizer failed: ") + e.what());
    }
}

Expected<std::string> Tokenizer::decode(std::span<const TokenId> ids, bool skipSpecial) const
{
    try {
        const Impl& d = *m_impl;
        std::string out;
        std::vector<TokenId> run; // model ids waiting for a model that decodes ids itself
        std::vector<std::string> tokens;
        std::string modelText;
        auto flushRun = [&] {
            if (!run.empty()) {
                modelText.clear();
                d.model->decodeIds(run, modelText);
                tokens.push_back(modelText);
                run.clear();
            }
        };
        const bool modelDecodes = d.model->decodesIds();
        for (const TokenId id : ids) {
            if (const AddedToken* a = d.added.byId(id)) {
                if (skipSpecial && a->special) {
                    continue;
                }
                flushRun();
                tokens.push_back(a->content);
                continue;
            }
            if (modelDecodes) {
                if (d.model->idToToken(id)) {
                    run.push_back(id);
                }
                continue;
            }
            if (const std::string* t = d.model->idToToken(id)) {
                tokens.push_back(*t);
            }
        }
        flushRun();
        if (modelDecodes) {
            for (const auto& t : tokens) {
                out += t;
            }
            return out;
        }
        if (!d.decoder) {
            for (std::size_t i = 0; i < tokens.size(); ++i) {
                out += (i ? " " : "") + tokens[i];
            }
            return out;
        }
        d.decoder->decodeChain(tokens);
        for (const auto& t : tokens) {
            out += t;
        }
        return out;
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::OutOfMemory, "out of memory while decoding " + std::to_string(ids.size()) + " ids");
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("decode failed: ") + e.what());
    }
}

std::string Tokenizer::idToPiece(TokenId id) const
{
    if (const AddedToken* a = m_impl->added.byId(id)) {
        return a->content;
    }
    const std::string* t = m_impl->model->idToToken(id);
    return t ? *t : std::string();
}

std::optional<TokenId> Tokenizer::pieceToId(std::string_view piece) const
{
    if (const AddedToken* a = m_impl->added.byContent(piece)) {
        return a->id;
    }
    return m_impl->model->tokenToId(piece);
}

int32_t Tokenizer::vocabSize() const
{
    int32_t n = m_impl->model->vocabSize();
    for (const auto& a : m_impl->added.tokens()) {
        n = std::max(n, a.id + 1);
    }
    return n;
}

bool Tokenizer::isSpecial(TokenId id) const
{
    const AddedToken* a = m_impl->added.byId(id);
    return a && a->special;
}

std::optional<TokenId> Tokenizer::bosId() const
{
    return m_impl->bos;
}
std::optional<TokenId> Tokenizer::eosId() const
{
    return m_impl->eos;
}
std::optional<TokenId> Tokenizer::padId() const
{
    return m_impl->pad;
}
std::optional<TokenId> Tokenizer::unkId() const
{
    return m_impl->unk;
}
std::string Tokenizer::bosToken() const
{
    return m_impl->bosToken;
}
std::string Tokenizer::eosToken() const
{
    return m_impl->eosToken;
}
const TokenizerConfig& Tokenizer::config() const
{
    return m_impl->config;
}
const std::vector<AddedToken>& Tokenizer::addedTokens() const
{
    return m_impl->added.tokens();
}

std::string Tokenizer::describe() const
{
    return m_impl->source + " " + m_impl->model->typeName() + ", " + std::to_string(vocabSize()) + " ids, " +
           std::to_string(m_impl->added.tokens().size()) + " added";
}

} // namespace td::tok
