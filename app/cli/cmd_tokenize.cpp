// SPDX-License-Identifier: Apache-2.0
// `tunedesk-cli tokenize --model DIR (--text T | --file F) [--add-special] [--json]`: encodes text with a model
// folder's tokenizer (tokenizer.json or tokenizer.model) and prints ids and pieces, or with --json one object
// {"ids":[...],"pieces":[...],"decoded":"..."}.
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "core/tokenizer/tokenizer.h"

namespace td::cli
{

namespace
{

Expected<std::string> readWholeFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return makeError(ErrorCode::FileNotFound, "cannot read " + path);
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

int cmdTokenize(int argc, char** argv)
{
    auto args = parseArgs(argc, argv, 1, {"model", "text", "file"}, {"add-special", "json", "help"});
    if (!args) {
        return reportError(args.error());
    }
    if (args->has("help") || !args->has("model") || (args->has("text") == args->has("file"))) {
        std::puts("usage: tunedesk-cli tokenize --model DIR (--text T | --file F) [--add-special] [--json]\n"
                  "Encodes text with the folder's tokenizer and prints ids and pieces.\n"
                  "  --add-special  add BOS/EOS as the tokenizer does by default\n"
                  "  --json         print {\"ids\":[...],\"pieces\":[...],\"decoded\":\"...\"}");
        return args->has("help") ? 0 : 2;
    }
    auto tok = tok::loadTokenizer(*args->get("model"));
    if (!tok) {
        return reportError(tok.error());
    }
    std::string text;
    if (auto t = args->get("text")) {
        text = *t;
    } else {
        auto content = readWholeFile(*args->get("file"));
        if (!content) {
            return reportError(content.error());
        }
        text = std::move(*content);
    }
    auto ids = (*tok)->encode(text, args->has("add-special"));
    if (!ids) {
        return reportError(ids.error());
    }
    auto decoded = (*tok)->decode(*ids, false);
    if (!decoded) {
        return reportError(decoded.error());
    }
    if (args->has("json")) {
        nlohmann::json j;
        j["ids"] = *ids;
        nlohmann::json pieces = nlohmann::json::array();
        for (const auto id : *ids) {
            pieces.push_back((*tok)->idToPiece(id));
        }
        j["pieces"] = pieces;
        j["decoded"] = *decoded;
        std::puts(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        return 0;
    }
    std::printf("%zu tokens\n", ids->size());
    for (const auto id : *ids) {
        std::printf("%d\t%s\n", id, nlohmann::json((*tok)->idToPiece(id)).dump().c_str());
    }
    return 0;
}

} // namespace td::cli
