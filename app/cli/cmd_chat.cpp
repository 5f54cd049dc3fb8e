// SPDX-License-Identifier: Apache-2.0
// `tunedesk-cli chat`: an interactive, streaming chat with a model folder in the terminal. The prompt is built
// with the chat template (auto-selected from the tokenizer files, or --template NAME); reads one user message
// per line from stdin; "/clear" starts over, "/exit" (or end of input) quits.
#include <cstdio>
#include <iostream>

#include "args.h"
#include "commands.h"
#include "core/infer/generator.h"
#include "core/models/transformer.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "model_args.h"

namespace td::cli
{

Status readGenerationArgs(const Args& args, infer::GenerationConfig& g);
extern const char* const kGenerationOptions[7];

int cmdChat(int argc, char** argv)
{
    std::set<std::string> withValue = {"template", "system"};
    withValue.insert(std::begin(kModelOptions), std::end(kModelOptions));
    withValue.insert(std::begin(kGenerationOptions), std::end(kGenerationOptions));
    auto args = parseArgs(argc, argv, 1, withValue, {"help"});
    if (!args) {
        return reportError(args.error());
    }
    if (args->has("help")) {
        std::puts("usage: tunedesk-cli chat --model DIR [--template NAME] [--system TEXT] [--adapter DIR[,DIR...]]\n"
                  "       [--max-new-tokens 512] [--temperature 0.7] [--top-p 0.9] [--top-k 0] [--repetition-penalty 1]\n"
                  "       [--seed N] [--dtype auto|fp32|bf16] [--device auto|cpu|cuda]\n"
                  "       [--quantization_bit 4|8 [--quantization_type nf4|fp4] [--double_quantization true]] [--rope_scaling TYPE]\n"
                  "One user message per line on stdin; /clear forgets the conversation, /exit quits.");
        return 0;
    }
    infer::GenerationConfig g;
    Args defaults = *args;
    defaults.values.emplace("max-new-tokens", "512");
    defaults.values.emplace("temperature", "0.7");
    defaults.values.emplace("top-p", "0.9");
    if (auto s = readGenerationArgs(defaults, g); !s) {
        return reportError(s.error());
    }
    applyThreads(*args);
    auto loaded = loadModelFromArgs(*args, "auto");
    if (!loaded) {
        return reportError(loaded.error());
    }
    auto tokenizer = tok::loadTokenizer(*args->get("model"));
    if (!tokenizer) {
        return reportError(tokenizer.error().withContext("loading the tokenizer"));
    }
    const auto& tk = **tokenizer;
    auto tmpl = chat::findTemplate(args->getOr("template", chat::autoSelectTemplate(tk.config())));
    if (!tmpl) {
        return reportError(tmpl.error());
    }
    for (auto id : chat::stopTokenIds(*tmpl, tk)) {
        g.stopTokenIds.push_back(id);
    }
    if (tk.eosId()) {
        g.stopTokenIds.push_back(*tk.eosId());
    }
    g.padTokenId = tk.padId().value_or(0);
    std::fprintf(stderr, "%s, template %s. /clear to start over, /exit to quit.\n", loaded->info.modelType.c_str(),
                 tmpl->name.c_str());
    const std::string system = args->getOr("system", "");
    std::vector<chat::Message> messages;
    std::string line;
    while (true) {
        std::fputs("\n> ", stderr);
        if (!std::getline(std::cin, line) || line == "/exit") {
            break;
        }
        if (line == "/clear") {
            messages.clear();
            continue;
        }
        messages.push_back({chat::Role::User, line});
        auto ids = chat::renderIds(*tmpl, tk, messages, system, /*addGenerationPrompt=*/true);
        if (!ids) {
            return reportError(ids.error());
        }
        std::vector<tok::TokenId> out;
        std::size_t printed = 0;
        auto res = infer::generate(*loaded->model, {std::vector<std::int64_t>(ids->begin(), ids->end())}, g,
                                   [&](std::size_t, std::int64_t id) {
                                       if (std::find(g.stopTokenIds.begin(), g.stopTokenIds.end(), id) != g.stopTokenIds.end()) {
                                           return true;
                                       }
                                       out.push_back(static_cast<tok::TokenId>(id));
                                       auto text = tk.decode(out, true);
                                       if (text && text->size() > printed &&
                                           text->rfind("\xEF\xBF\xBD") != text->size() - 3) {
                                           std::fwrite(text->data() + printed, 1, text->size() - printed, stdout);
                                           std::fflush(stdout);
                                           printed = text->size();
                                       }
                                       return true;
                                   });
        if (!res) {
            return reportError(res.error());
        }
        std::puts("");
        messages.push_back({chat::Role::Assistant, tk.decode(out, true).value_or("")});
    }
    return 0;
}

} // namespace td::cli
