// SPDX-License-Identifier: Apache-2.0
// tokenizer.* GGUF keys from tokenizer.json / tokenizer.model (see gguf_vocab.h).
#include "core/export/gguf_vocab.h"

#include <map>
#include <optional>

#include <nlohmann/json.hpp>
#include <sentencepiece_processor.h>

#include "core/common/file_util.h"
#include "core/tokenizer/tokenizer.h"

namespace td::gguf
{

namespace
{

struct Vocab
{
    std::string model; ///< "gpt2" or "llama"
    std::string pre;   ///< gpt2 only
    std::vector<std::string> tokens;
    std::vector<std::int64_t> types;
    std::vector<double> scores; ///< llama only
    std::vector<std::string> merges;
    std::optional<bool> addSpacePrefix;
};

/// llama.cpp recognises pre-tokenizers by name; we name the regexes we know and fall back to "default".
std::string preTokenizerName(const nlohmann::json& tj)
{
    const std::string text = tj.contains("pre_tokenizer") ? tj["pre_tokenizer"].dump() : "";
    struct Known
    {
        const char* marker;
        const char* name;
    };
    // Distinctive pieces of each regex (as they appear JSON-escaped in tokenizer.json).
    static const Known kKnown[] = {
        {R"('s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+)", "gpt-2"},
        {R"([^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}|)", "llama-bpe"},
        {R"([^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}|)", "qwen2"},
    };
    for (const auto& k : kKnown) {
        if (text.find(k.marker) != std::string::npos) {
            return k.name;
        }
    }
    // GPT-2 itself has no Split: ByteLevel with use_regex applies the GPT-2 regex, which is llama.cpp's
    // LLAMA_VOCAB_PRE_TYPE_GPT2 ("gpt-2" in src/llama-vocab.cpp). "default" would split digits differently.
    if (text.find("\"ByteLevel\"") != std::string::npos && text.find("\"Split\"") == std::string::npos &&
        text.find("\"use_regex\":false") == std::string::npos) {
        return "gpt-2";
    }
    return "default";
}

/// Merges as "a b" strings; [a, b] pairs (transformers >= 4.45) have spaces inside parts encoded as U+0120.
std::vector<std::string> mergeStrings(const nlohmann::json& merges)
{
    std::vector<std::string> out;
    if (!merges.is_array()) {
        return out;
    }
    out.reserve(merges.size());
    for (const auto& m : merges) {
        if (m.is_string()) {
            out.push_back(m.get<std::string>());
        } else if (m.is_array() && m.size() == 2) {
            auto enc = [](std::string s) {
                std::string r;
                for (char ch : s) {
                    r += ch == ' ' ? std::string("\xC4\xA0") : std::string(1, ch);
                }
                return r;
            };
            out.push_back(enc(m[0].get<std::string>()) + " " + enc(m[1].get<std::string>()));
        }
    }
    return out;
}

bool isByteToken(const std::string& t)
{
    return t.size() == 6 && t.rfind("<0x", 0) == 0 && t.back() == '>';
}

Expected<Vocab> fromTokenizerJson(const std::filesystem::path& path, std::int64_t modelVocab)
{
    auto text = readFile(path);
    if (!text) {
        return tl::unexpected(text.error());
    }
    const nlohmann::json tj = nlohmann::json::parse(*text, nullptr, false);
    if (tj.is_discarded() || !tj.contains("model") || !tj["model"].is_object()) {
        return makeError(ErrorCode::BadTokenizer, path.string() + " is not a tokenizer.json");
    }
    const auto& m = tj["model"];
    if (m.value("type", "BPE") != "BPE" || !m.contains("vocab") || !m["vocab"].is_object()) {
        return makeError(ErrorCode::Unsupported,
                         "GGUF export supports BPE tokenizers only; " + path.string() + " has model type " +
                             m.value("type", std::string("?")),
                         "export as export_format: hf instead");
    }
    Vocab v;
    const bool byteFallback = m.value("byte_fallback", false);
    v.model = byteFallback ? "llama" : "gpt2";
    std::map<std::int64_t, std::string> byId;
    for (auto it = m["vocab"].begin(); it != m["vocab"].end(); ++it) {
        byId[it.value().get<std::int64_t>()] = it.key();
    }
    std::map<std::int64_t, bool> added; // id → special
    if (tj.contains("added_tokens") && tj["added_tokens"].is_array()) {
        for (const auto& t : tj["added_tokens"]) {
            const auto id = t.value("id", std::int64_t{-1});
            if (id >= 0) {
                byId[id] = t.value("content", std::string());
                added[id] = t.value("special", false);
            }
        }
    }
    const std::int64_t n = std::max<std::int64_t>(modelVocab, byId.empty() ? 0 : byId.rbegin()->first + 1);
    const std::string unk = m.contains("unk_token") && m["unk_token"].is_string() ? m["unk_token"].get<std::string>() : "";
    v.merges = mergeStrings(m.contains("merges") ? m["merges"] : nlohmann::json());
    // SentencePiece-style scores for the "llama" tokenizer: llama.cpp merges the adjacent pair whose joined
    // token has the highest score first, so the token made by merge rank k scores -k (earlier = preferred).
    std::map<std::string, double> mergeScore;
    if (byteFallback) {
        for (std::size_t k = 0; k < v.merges.size(); ++k) {
            const auto sp = v.merges[k].find(' ');
            if (sp != std::string::npos) {
                mergeScore.emplace(v.merges[k].substr(0, sp) + v.merges[k].substr(sp + 1), -static_cast<double>(k));
            }
        }
    }
    for (std::int64_t id = 0; id < n; ++id) {
        auto it = byId.find(id);
        if (it == byId.end()) {
            v.tokens.push_back("[PAD" + std::to_string(id) + "]");
            v.types.push_back(static_cast<std::int64_t>(TokenType::Unused));
            v.scores.push_back(0.0);
            continue;
        }
        const std::string& t = it->second;
        TokenType type = TokenType::Normal;
        if (auto a = added.find(id); a != added.end()) {
            type = a->second ? TokenType::Control : TokenType::UserDefined;
        } else if (byteFallback && isByteToken(t)) {
            type = TokenType::Byte;
        } else if (!unk.empty() && t == unk) {
            type = TokenType::Unknown;
        }
        v.tokens.push_back(t);
        v.types.push_back(static_cast<std::int64_t>(type));
        auto s = mergeScore.find(t);
        v.scores.push_back(s != mergeScore.end() ? s->second : 0.0);
    }
    if (byteFallback) {
        const std::string norm = tj.contains("normalizer") ? tj["normalizer"].dump() : "";
        const std::string pre = tj.contains("pre_tokenizer") ? tj["pre_tokenizer"].dump() : "";
        v.addSpacePrefix = norm.find("\"Prepend\"") != std::string::npos ||
                           (pre.find("Metaspace") != std::string::npos && pre.find("\"never\"") == std::string::npos);
        v.merges.clear(); // the "llama" tokenizer works from scores
    } else {
        v.pre = preTokenizerName(tj);
    }
    return v;
}

Expected<Vocab> fromSentencePiece(const std::filesystem::path& path, std::int64_t modelVocab)
{
    sentencepiece::SentencePieceProcessor sp;
    if (!sp.Load(path.string()).ok()) {
        return makeError(ErrorCode::BadTokenizer, "cannot read SentencePiece model " + path.string());
    }
    Vocab v;
    v.model = "llama";
    // SentencePiece's add_dummy_prefix, observed: Llama/Mistral prepend "▁", Gemma's models do not (llama.cpp
    // defaults add_space_prefix to true for "llama" vocabularies; convert_hf_to_gguf.py writes false for Gemma).
    const auto probe = sp.EncodeAsPieces("a");
    v.addSpacePrefix = !probe.empty() && probe.front().rfind("\xE2\x96\x81", 0) == 0;
    const std::int64_t n = std::max<std::int64_t>(modelVocab, sp.GetPieceSize());
    for (std::int64_t id = 0; id < n; ++id) {
        if (id >= sp.GetPieceSize()) {
            v.tokens.push_back("[PAD" + std::to_string(id) + "]");
            v.types.push_back(static_cast<std::int64_t>(TokenType::Unused));
            v.scores.push_back(0.0);
            continue;
        }
        const int i = static_cast<int>(id);
        TokenType type = TokenType::Normal;
        if (sp.IsUnknown(i)) {
            type = TokenType::Unknown;
        } else if (sp.IsControl(i)) {
            type = TokenType::Control;
        } else if (sp.IsUnused(i)) {
            type = TokenType::Unused;
        } else if (sp.IsByte(i)) {
            type = TokenType::Byte;
        }
        v.tokens.push_back(sp.IdToPiece(i));
        v.types.push_back(static_cast<std::int64_t>(type));
        v.scores.push_back(sp.GetScore(i));
    }
    return v;
}

} // namespace

Expected<Metadata> vocabMetadata(const std::filesystem::path& dir, std::int64_t modelVocab, const std::string& chatTemplate)
{
    Expected<Vocab> v = makeError(ErrorCode::BadTokenizer, "no tokenizer.json or tokenizer.model in " + dir.string(),
                                  "GGUF files carry the tokenizer: export from a model folder that has its tokenizer");
    if (std::filesystem::exists(dir / "tokenizer.json")) {
        v = fromTokenizerJson(dir / "tokenizer.json", modelVocab);
    } else if (std::filesystem::exists(dir / "tokenizer.model")) {
        v = fromSentencePiece(dir / "tokenizer.model", modelVocab);
    }
    if (!v) {
        return tl::unexpected(v.error());
    }
    auto tok = tok::loadTokenizer(dir);
    if (!tok) {
        return tl::unexpected(tok.error().withContext("reading the tokenizer"));
    }
    Metadata kv;
    kv.emplace_back("tokenizer.ggml.model", Value::str(v->model));
    if (v->model == "gpt2") {
        kv.emplace_back("tokenizer.ggml.pre", Value::str(v->pre));
    }
    kv.emplace_back("tokenizer.ggml.tokens", Value::strArray(v->tokens));
    if (v->model == "llama") {
        kv.emplace_back("tokenizer.ggml.scores", Value::f32Array(v->scores));
    }
    kv.emplace_back("tokenizer.ggml.token_type", Value::i32Array(v->types));
    if (!v->merges.empty()) {
        kv.emplace_back("tokenizer.ggml.merges", Value::strArray(v->merges));
    }
    auto id = [&](const char* key, std::optional<tok::TokenId> t) {
        if (t && *t >= 0) {
            kv.emplace_back(key, Value::u32(static_cast<std::uint32_t>(*t)));
        }
    };
    id("tokenizer.ggml.bos_token_id", (*tok)->bosId());
    id("tokenizer.ggml.eos_token_id", (*tok)->eosId());
    id("tokenizer.ggml.unknown_token_id", (*tok)->unkId());
    id("tokenizer.ggml.padding_token_id", (*tok)->padId());
    // What the tokenizer adds with add_special_tokens=True, observed rather than guessed from the config.
    auto plain = (*tok)->encode("a", false);
    auto special = (*tok)->encode("a", true);
    if (plain && special) {
        const bool addBos = special->size() > plain->size() && (*tok)->bosId() && special->front() == *(*tok)->bosId();
        const bool addEos = special->size() > plain->size() && (*tok)->eosId() && special->back() == *(*tok)->eosId();
        kv.emplace_back("tokenizer.ggml.add_bos_token", Value::boolean(addBos));
        kv.emplace_back("tokenizer.ggml.add_eos_token", Value::boolean(addEos));
    }
    if (v->addSpacePrefix) {
        kv.emplace_back("tokenizer.ggml.add_space_prefix", Value::boolean(*v->addSpacePrefix));
    }
    if (!chatTemplate.empty()) {
        kv.emplace_back("tokenizer.chat_template", Value::str(chatTemplate));
    }
    return kv;
}

} // namespace td::gguf
