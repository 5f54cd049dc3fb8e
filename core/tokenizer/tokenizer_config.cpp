// SPDX-License-Identifier: Apache-2.0
// tokenizer_config.json: special token strings, add_bos/add_eos, model_max_length, the chat template (also
// from chat_template.jinja), added_tokens_decoder, and config.json's model_type for template auto-selection.
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/tokenizer/tokenizer.h"
#include "core/common/file_util.h"

namespace td::tok
{
namespace
{

using json = nlohmann::json;

/// A token field is a string, an AddedToken object {"content": ...}, or null.
std::optional<std::string> tokenField(const json& j, const char* key)
{
    if (!j.contains(key)) {
        return std::nullopt;
    }
    const json& v = j.at(key);
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_object() && v.contains("content") && v.at("content").is_string()) {
        return v.at("content").get<std::string>();
    }
    return std::nullopt;
}

std::optional<bool> boolField(const json& j, const char* key)
{
    if (j.contains(key) && j.at(key).is_boolean()) {
        return j.at(key).get<bool>();
    }
    return std::nullopt;
}


} // namespace

Expected<TokenizerConfig> parseTokenizerConfig(std::string_view jsonText)
{
    json j = json::parse(jsonText.begin(), jsonText.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return makeError(ErrorCode::BadJson, "tokenizer_config.json is not a JSON object");
    }
    try {
        TokenizerConfig c;
        c.bosToken = tokenField(j, "bos_token");
        c.eosToken = tokenField(j, "eos_token");
        c.padToken = tokenField(j, "pad_token");
        c.unkToken = tokenField(j, "unk_token");
        c.addBosToken = boolField(j, "add_bos_token");
        c.addEosToken = boolField(j, "add_eos_token");
        if (j.contains("model_max_length") && j.at("model_max_length").is_number()) {
            const double v = j.at("model_max_length").get<double>();
            c.modelMaxLength = v > 0 && v < 1e15 ? static_cast<int64_t>(v) : 0;
        }
        if (j.contains("chat_template")) {
            const json& t = j.at("chat_template");
            if (t.is_string()) {
                c.chatTemplate = t.get<std::string>();
            } else if (t.is_array()) {
                for (const auto& named : t) {
                    if (named.is_object() && named.value("name", "") == "default" && named.contains("template")) {
                        c.chatTemplate = named.at("template").get<std::string>();
                    }
                }
            }
        }
        if (j.contains("tokenizer_class") && j.at("tokenizer_class").is_string()) {
            c.tokenizerClass = j.at("tokenizer_class").get<std::string>();
        }
        if (j.contains("additional_special_tokens") && j.at("additional_special_tokens").is_array()) {
            for (const auto& t : j.at("additional_special_tokens")) {
                if (t.is_string()) {
                    c.additionalSpecialTokens.push_back(t.get<std::string>());
                } else if (t.is_object() && t.contains("content")) {
                    c.additionalSpecialTokens.push_back(t.at("content").get<std::string>());
                }
            }
        }
        if (j.contains("added_tokens_decoder") && j.at("added_tokens_decoder").is_object()) {
            for (const auto& [key, v] : j.at("added_tokens_decoder").items()) {
                AddedToken a;
                a.id = static_cast<TokenId>(std::stol(key));
                a.content = v.at("content").get<std::string>();
                a.special = v.value("special", false);
                a.lstrip = v.value("lstrip", false);
                a.rstrip = v.value("rstrip", false);
                a.normalized = v.value("normalized", !a.special);
                a.singleWord = v.value("single_word", false);
                c.addedTokensDecoder.push_back(std::move(a));
            }
        }
        return c;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::BadJson, std::string("tokenizer_config.json: ") + e.what());
    }
}

Expected<TokenizerConfig> loadTokenizerConfig(const std::filesystem::path& dir)
{
    TokenizerConfig c;
    const auto cfgPath = dir / "tokenizer_config.json";
    std::error_code ec;
    if (std::filesystem::exists(cfgPath, ec)) {
        auto text = readFile(cfgPath);
        if (!text) {
            return tl::unexpected(text.error());
        }
        auto parsed = parseTokenizerConfig(*text);
        if (!parsed) {
            Error e = parsed.error();
            e.message = cfgPath.string() + ": " + e.message;
            return tl::unexpected(e);
        }
        c = std::move(*parsed);
    }
    const auto jinjaPath = dir / "chat_template.jinja";
    if (c.chatTemplate.empty() && std::filesystem::exists(jinjaPath, ec)) {
        if (auto text = readFile(jinjaPath)) {
            c.chatTemplate = *text;
        }
    }
    const auto modelCfg = dir / "config.json";
    if (std::filesystem::exists(modelCfg, ec)) {
        if (auto text = readFile(modelCfg)) {
            json j = json::parse(*text, nullptr, false);
            if (j.is_object() && j.contains("model_type") && j.at("model_type").is_string()) {
                c.modelType = j.at("model_type").get<std::string>();
            }
        }
    }
    return c;
}

} // namespace td::tok
