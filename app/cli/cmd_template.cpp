// SPDX-License-Identifier: Apache-2.0
// `tunedesk-cli template --model DIR --messages FILE.json [--template NAME] [--add-generation-prompt]
//  [--no-thinking] [--ids]`: renders a conversation with a built-in chat template (auto-selected from the
// folder unless --template names one) and prints the text the model sees. FILE.json is a list of
// {"role","content"} (OpenAI style) or {"messages": [...]}; a leading system message is the system prompt.
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "core/tokenizer/chat_template.h"

namespace td::cli
{

namespace
{

Expected<std::vector<chat::Message>> readMessages(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return makeError(ErrorCode::FileNotFound, "cannot read " + path);
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_object() && j.contains("messages")) {
        j = j.at("messages");
    }
    if (!j.is_array()) {
        return makeError(ErrorCode::BadJson, path + ": expected a JSON list of {\"role\", \"content\"} messages");
    }
    std::vector<chat::Message> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const auto& m = j[i];
        if (!m.is_object() || !m.contains("role") || !m.contains("content") || !m["role"].is_string() ||
            !m["content"].is_string()) {
            return makeError(ErrorCode::BadJson,
                             path + ": message " + std::to_string(i) + " needs string fields \"role\" and \"content\"");
        }
        auto role = chat::roleFromString(m["role"].get<std::string>());
        if (!role) {
            return makeError(ErrorCode::BadJson,
                             path + ": message " + std::to_string(i) + " has unknown role '" +
                                 m["role"].get<std::string>() + "'",
                             "roles: system, user, assistant, tool (observation), function");
        }
        out.push_back({*role, m["content"].get<std::string>()});
    }
    return out;
}

} // namespace

int cmdTemplate(int argc, char** argv)
{
    auto args = parseArgs(argc, argv, 1, {"model", "messages", "template"},
                          {"add-generation-prompt", "no-thinking", "ids", "help"});
    if (!args) {
        return reportError(args.error());
    }
    if (args->has("help") || !args->has("model") || !args->has("messages")) {
        std::puts("usage: tunedesk-cli template --model DIR --messages FILE.json [--template NAME]\n"
                  "                             [--add-generation-prompt] [--no-thinking] [--ids]\n"
                  "Renders a conversation with a built-in chat template (auto-selected unless --template).\n"
                  "  --no-thinking  reasoning templates (qwen3, deepseekr1): empty thought in the prompt\n"
                  "  --ids          also print the token ids on stderr");
        return args->has("help") ? 0 : 2;
    }
    auto tk = tok::loadTokenizer(*args->get("model"));
    if (!tk) {
        return reportError(tk.error());
    }
    auto messages = readMessages(*args->get("messages"));
    if (!messages) {
        return reportError(messages.error());
    }
    const std::string name = args->getOr("template", chat::autoSelectTemplate((*tk)->config()));
    auto tpl = chat::findTemplate(name);
    if (!tpl) {
        return reportError(tpl.error());
    }
    if (args->has("no-thinking")) {
        tpl->enableThinking = false;
    }
    const std::string system = chat::takeSystem(*messages);
    const bool gen = args->has("add-generation-prompt");
    auto text = chat::render(*tpl, **tk, *messages, system, gen);
    if (!text) {
        return reportError(text.error());
    }
    std::fwrite(text->data(), 1, text->size(), stdout);
    if (args->has("ids")) {
        auto ids = chat::renderIds(*tpl, **tk, *messages, system, gen);
        if (!ids) {
            return reportError(ids.error());
        }
        std::fprintf(stderr, "template %s: %s\n", name.c_str(), nlohmann::json(*ids).dump().c_str());
    }
    return 0;
}

} // namespace td::cli
