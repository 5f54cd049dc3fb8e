// SPDX-License-Identifier: Apache-2.0
// Building a Tokenizer: from tokenizer.json (our own pipeline), from tokenizer.model (SentencePiece), or from
// a model folder (tokenizer.json preferred). Resolves special tokens from tokenizer_config.json and applies
// transformers' add_bos_token/add_eos_token rule for Llama/Gemma tokenizer classes.
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/log.h"
#include "core/common/file_util.h"
#include "core/tokenizer/bpe_model.h"
#include "core/tokenizer/stages.h"
#include "core/tokenizer/tokenizer_impl.h"

namespace td::tok
{
namespace
{

using json = nlohmann::json;

/// Sets bos/eos/pad/unk ids from the config's token strings (those that resolve).
void resolveSpecials(Tokenizer::Impl& d, const Tokenizer& t)
{
    auto resolve = [&](const std::optional<std::string>& s) -> std::optional<TokenId> {
        return s ? t.pieceToId(*s) : std::nullopt;
    };
    if (auto id = resolve(d.config.bosToken)) {
        d.bos = id;
        d.bosToken = *d.config.bosToken;
    }
    if (auto id = resolve(d.config.eosToken)) {
        d.eos = id;
        d.eosToken = *d.config.eosToken;
    }
    if (auto id = resolve(d.config.padToken)) {
        d.pad = id;
    }
    if (auto id = resolve(d.config.unkToken)) {
        d.unk = id;
    }
}

/// transformers' LlamaTokenizerFast/GemmaTokenizerFast rebuild their post-processor from add_bos_token and
/// add_eos_token (update_post_processor); other classes keep tokenizer.json's.
bool rebuildsPostProcessor(const TokenizerConfig& c)
{
    static const char* kClasses[] = {"LlamaTokenizer",     "LlamaTokenizerFast", "GemmaTokenizer",
                                     "GemmaTokenizerFast", "CodeLlamaTokenizer", "CodeLlamaTokenizerFast"};
    if (!c.addBosToken && !c.addEosToken) {
        return false;
    }
    for (const char* k : kClasses) {
        if (c.tokenizerClass == k) {
            return true;
        }
    }
    return false;
}

Expected<std::unique_ptr<Tokenizer::Impl>> buildFromJson(const json& j, const TokenizerConfig& config)
{
    auto d = std::make_unique<Tokenizer::Impl>();
    d->config = config;
    d->source = "tokenizer.json";
    if (!j.contains("model") || !j.at("model").is_object()) {
        return makeError(ErrorCode::BadTokenizer, "tokenizer.json has no \"model\" object",
                         "the file is not a Hugging Face tokenizers file");
    }
    const json& model = j.at("model");
    const std::string type = model.value("type", model.contains("merges") ? "BPE" : "");
    if (type != "BPE") {
        return makeError(ErrorCode::BadTokenizer, "unsupported tokenizer model type '" + type + "' in tokenizer.json",
                         "only BPE models are supported (WordPiece, WordLevel and Unigram are not); a folder with "
                         "tokenizer.model can be loaded through SentencePiece instead");
    }
    auto bpe = BpeModel::fromJson(model);
    if (!bpe) {
        return tl::unexpected(bpe.error());
    }
    d->model = std::move(*bpe);

    auto stage = [&](const char* key, auto factory, auto& slot) -> Status {
        if (!j.contains(key) || j.at(key).is_null()) {
            return {};
        }
        auto made = factory(j.at(key));
        if (!made) {
            return tl::unexpected(made.error());
        }
        slot = std::move(*made);
        return {};
    };
    if (auto s = stage("normalizer", &makeNormalizer, d->normalizer); !s) {
        return tl::unexpected(s.error());
    }
    if (auto s = stage("pre_tokenizer", &makePreTokenizer, d->preTokenizer); !s) {
        return tl::unexpected(s.error());
    }
    if (auto s = stage("decoder", &makeDecoder, d->decoder); !s) {
        return tl::unexpected(s.error());
    }
    if (auto s = stage("post_processor", &makePostProcessor, d->postProcessor); !s) {
        return tl::unexpected(s.error());
    }

    std::vector<AddedToken> added;
    if (j.contains("added_tokens") && j.at("added_tokens").is_array()) {
        for (const auto& t : j.at("added_tokens")) {
            AddedToken a;
            a.id = t.at("id").get<TokenId>();
            a.content = t.at("content").get<std::string>();
            a.special = t.value("special", false);
            a.lstrip = t.value("lstrip", false);
            a.rstrip = t.value("rstrip", false);
            a.normalized = t.value("normalized", !a.special);
            a.singleWord = t.value("single_word", false);
            if (a.id < 0) {
                return makeError(ErrorCode::BadTokenizer, "added token '" + a.content + "' has a negative id");
            }
            added.push_back(std::move(a));
        }
    }
    d->added.build(std::move(added), d->normalizer.get());
    return d;
}

std::shared_ptr<Tokenizer> finish(std::unique_ptr<Tokenizer::Impl> d)
{
    Tokenizer::Impl* raw = d.get();
    auto t = std::make_shared<Tokenizer>(std::move(d));
    resolveSpecials(*raw, *t);
    if (raw->source == "tokenizer.json" && rebuildsPostProcessor(raw->config)) {
        raw->postProcessor = makeBosEosPostProcessor(raw->config.addBosToken.value_or(true) ? raw->bos : std::nullopt,
                                                     raw->config.addEosToken.value_or(false) ? raw->eos : std::nullopt);
    }
    return t;
}


} // namespace

Expected<std::shared_ptr<Tokenizer>> loadTokenizerJson(std::string_view text, const TokenizerConfig& config)
{
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) {
        return makeError(ErrorCode::BadJson, "tokenizer.json is not valid JSON",
                         "the file is truncated or not a tokenizer.json; download it again");
    }
    if (!j.is_object()) {
        return makeError(ErrorCode::BadTokenizer, "tokenizer.json is not a JSON object");
    }
    try {
        auto d = buildFromJson(j, config);
        if (!d) {
            return tl::unexpected(d.error());
        }
        return finish(std::move(*d));
    } catch (const json::exception& e) {
        return makeError(ErrorCode::BadTokenizer, std::string("malformed tokenizer.json: ") + e.what(),
                         "a required field is missing or has the wrong type");
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::OutOfMemory, "out of memory while loading tokenizer.json");
    } catch (const std::exception& e) {
        return makeError(ErrorCode::BadTokenizer, std::string("cannot load tokenizer.json: ") + e.what());
    }
}

Expected<std::shared_ptr<Tokenizer>> loadSentencePiece(const std::filesystem::path& modelFile,
                                                       const TokenizerConfig& config)
{
    auto model = makeSentencePieceModel(modelFile);
    if (!model) {
        return tl::unexpected(model.error());
    }
    auto d = std::make_unique<Tokenizer::Impl>();
    d->config = config;
    d->source = "tokenizer.model";
    d->model = std::move(*model);
    const SpmSpecialIds ids = sentencePieceSpecialIds(*d->model);

    // Special tokens in the text are matched as added tokens, as transformers' slow tokenizers do.
    std::vector<AddedToken> added = config.addedTokensDecoder;
    auto addSpecial = [&](int id) {
        if (id < 0) {
            return;
        }
        for (const auto& a : added) {
            if (a.id == id) {
                return;
            }
        }
        const std::string* piece = d->model->idToToken(id);
        if (piece && !piece->empty()) {
            added.push_back(AddedToken{*piece, id, true, false, false, false, false});
        }
    };
    addSpecial(ids.bos);
    addSpecial(ids.eos);
    addSpecial(ids.unk);
    addSpecial(ids.pad);
    d->added.build(std::move(added), nullptr);

    Tokenizer::Impl* raw = d.get();
    auto t = std::make_shared<Tokenizer>(std::move(d));
    resolveSpecials(*raw, *t);
    auto fallback = [&](std::optional<TokenId>& slot, int id, std::string* name) {
        if (!slot && id >= 0) {
            slot = id;
            if (name) {
                *name = raw->model->idToToken(id) ? *raw->model->idToToken(id) : std::string();
            }
        }
    };
    fallback(raw->bos, ids.bos, &raw->bosToken);
    fallback(raw->eos, ids.eos, &raw->eosToken);
    fallback(raw->unk, ids.unk, nullptr);
    fallback(raw->pad, ids.pad, nullptr);
    const bool addBos = config.addBosToken.value_or(raw->bos.has_value());
    const bool addEos = config.addEosToken.value_or(false);
    raw->postProcessor = makeBosEosPostProcessor(addBos ? raw->bos : std::nullopt, addEos ? raw->eos : std::nullopt);
    return t;
}

Expected<std::shared_ptr<Tokenizer>> loadTokenizer(const std::filesystem::path& dir)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        return makeError(ErrorCode::FileNotFound, "model folder not found: " + dir.string(),
                         "pass a folder that holds tokenizer.json or tokenizer.model");
    }
    auto config = loadTokenizerConfig(dir);
    if (!config) {
        return tl::unexpected(config.error());
    }
    const auto jsonPath = dir / "tokenizer.json";
    const auto spmPath = dir / "tokenizer.model";
    Expected<std::shared_ptr<Tokenizer>> t = makeError(ErrorCode::Internal, "unreachable");
    if (std::filesystem::exists(jsonPath, ec)) {
        auto text = readFile(jsonPath);
        if (!text) {
            return tl::unexpected(text.error());
        }
        t = loadTokenizerJson(*text, *config);
        if (!t) {
            Error e = t.error();
            e.message = jsonPath.string() + ": " + e.message;
            return tl::unexpected(e);
        }
    } else if (std::filesystem::exists(spmPath, ec)) {
        t = loadSentencePiece(spmPath, *config);
        if (!t) {
            return t;
        }
    } else {
        return makeError(ErrorCode::BadTokenizer, "no tokenizer.json or tokenizer.model in " + dir.string(),
                         "copy the tokenizer files of the model into the folder");
    }
    log::get("engine.tokenizer")->info("loaded tokenizer from {}: {}", dir.string(), (*t)->describe());
    return t;
}

} // namespace td::tok
