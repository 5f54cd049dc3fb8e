// SPDX-License-Identifier: Apache-2.0
// `tunedesk-cli generate`: text or token generation from a prompt (--prompt TEXT through the model's
// tokenizer, or --ids 1,2,3[;4,5] for a left-padded batch), greedy by default, sampling with --temperature,
// --top-k, --top-p, --repetition-penalty, --seed. Streams text to stdout for a single prompt; --json prints one
// JSON object with tokens, text, finish reasons and timings instead.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "core/infer/generator.h"
#include "core/models/transformer.h"
#include "core/tokenizer/tokenizer.h"
#include "model_args.h"

namespace td::cli
{

namespace
{

std::vector<tok::TokenId> toTok(const std::vector<std::int64_t>& ids)
{
    return std::vector<tok::TokenId>(ids.begin(), ids.end());
}

/// Prints newly decoded text as tokens arrive (holds back incomplete UTF-8 sequences).
class TextStreamer
{
public:
    explicit TextStreamer(const tok::Tokenizer& t) : m_tok(t) {}
    void push(std::int64_t id)
    {
        m_ids.push_back(static_cast<tok::TokenId>(id));
        auto text = m_tok.decode(m_ids, /*skipSpecial=*/true);
        if (!text || text->size() < m_printed || text->rfind("\xEF\xBF\xBD") == text->size() - 3) {
            return;
        }
        std::fwrite(text->data() + m_printed, 1, text->size() - m_printed, stdout);
        std::fflush(stdout);
        m_printed = text->size();
    }

private:
    const tok::Tokenizer& m_tok;
    std::vector<tok::TokenId> m_ids;
    std::size_t m_printed = 0;
};

} // namespace

/// Reads --max-new-tokens, --temperature, --top-k, --top-p, --repetition-penalty, --seed, --stop into `g`.
Status readGenerationArgs(const Args& args, infer::GenerationConfig& g)
{
    try {
        g.maxNewTokens = std::stoll(args.getOr("max-new-tokens", "128"));
        g.sampling.temperature = std::stod(args.getOr("temperature", "0"));
        g.sampling.topK = std::stoll(args.getOr("top-k", "0"));
        g.sampling.topP = std::stod(args.getOr("top-p", "1"));
        g.sampling.repetitionPenalty = std::stod(args.getOr("repetition-penalty", "1"));
        if (auto s = args.get("seed")) {
            g.seed = std::stoull(*s);
        }
    } catch (const std::exception&) {
        return makeError(ErrorCode::InvalidArgument, "a generation option is not a number",
                         "e.g. --max-new-tokens 64 --temperature 0.7 --top-p 0.9");
    }
    g.sampling.doSample = g.sampling.temperature > 0;
    if (auto s = args.get("stop")) {
        g.stopStrings.push_back(*s);
    }
    if (g.maxNewTokens < 0 || g.sampling.topP <= 0 || g.sampling.topP > 1 || g.sampling.repetitionPenalty <= 0) {
        return makeError(ErrorCode::InvalidArgument, "generation option out of range",
                         "max-new-tokens >= 0, 0 < top-p <= 1, repetition-penalty > 0");
    }
    return {};
}

extern const char* const kGenerationOptions[7];
const char* const kGenerationOptions[7] = {"max-new-tokens", "temperature", "top-k", "top-p",
                                          "repetition-penalty", "seed", "stop"};

int cmdGenerate(int argc, char** argv)
{
    std::set<std::string> withValue = {"ids", "prompt"};
    withValue.insert(std::begin(kModelOptions), std::end(kModelOptions));
    withValue.insert(std::begin(kGenerationOptions), std::end(kGenerationOptions));
    auto args = parseArgs(argc, argv, 1, withValue, {"help", "json", "ignore-eos"});
    if (!args) {
        return reportError(args.error());
    }
    if (args->has("help")) {
        std::puts("usage: tunedesk-cli generate --model DIR (--prompt TEXT | --ids 1,2,3[;4,5,6])\n"
                  "       [--max-new-tokens 128] [--temperature 0 (greedy)] [--top-k 0] [--top-p 1]\n"
                  "       [--repetition-penalty 1] [--seed N] [--stop STRING] [--ignore-eos]\n"
                  "       [--dtype auto|fp32|bf16|fp16] [--device auto|cpu|cuda] [--adapter DIR[,DIR...]] [--threads N] [--json]\n"
                  "       [--quantization_bit 4|8 [--quantization_type nf4|fp4] [--double_quantization true]] [--rope_scaling TYPE]");
        return 0;
    }
    if (args->has("ids") == args->has("prompt")) {
        return reportError({ErrorCode::InvalidArgument, "give exactly one of --prompt TEXT or --ids 1,2,3", ""});
    }
    infer::GenerationConfig g;
    if (auto s = readGenerationArgs(*args, g); !s) {
        return reportError(s.error());
    }
    applyThreads(*args);
    auto loaded = loadModelFromArgs(*args, "auto");
    if (!loaded) {
        return reportError(loaded.error());
    }
    std::shared_ptr<tok::Tokenizer> tokenizer;
    if (auto t = tok::loadTokenizer(*args->get("model"))) {
        tokenizer = *t;
    } else if (args->has("prompt")) {
        return reportError(t.error().withContext("loading the tokenizer"));
    }
    std::vector<std::vector<std::int64_t>> prompts;
    if (auto text = args->get("prompt")) {
        auto ids = tokenizer->encode(*text, /*addSpecial=*/true);
        if (!ids) {
            return reportError(ids.error());
        }
        prompts.emplace_back(ids->begin(), ids->end());
    } else {
        auto rows = parseIdList(*args->get("ids"));
        if (!rows) {
            return reportError(rows.error());
        }
        prompts = *rows;
    }
    if (!args->has("ignore-eos")) {
        g.stopTokenIds = loaded->config.eos_token_ids;
        if (tokenizer && tokenizer->eosId()) {
            g.stopTokenIds.push_back(*tokenizer->eosId());
        }
    }
    g.padTokenId = loaded->config.pad_token_id.value_or(tokenizer && tokenizer->padId() ? *tokenizer->padId() : 0);
    if (tokenizer) {
        g.detokenize = [&](const std::vector<std::int64_t>& ids) { return tokenizer->decode(toTok(ids), true).value_or(""); };
    }
    const bool stream = !args->has("json") && prompts.size() == 1;
    std::unique_ptr<TextStreamer> streamer;
    if (stream && tokenizer) {
        streamer = std::make_unique<TextStreamer>(*tokenizer);
    }
    auto result = infer::generate(*loaded->model, prompts, g, [&](std::size_t, std::int64_t id) {
        if (streamer) {
            streamer->push(id);
        } else if (stream) {
            std::printf("%lld ", static_cast<long long>(id));
            std::fflush(stdout);
        }
        return true;
    });
    if (!result) {
        return reportError(result.error());
    }
    if (stream) {
        std::puts("");
        return 0;
    }
    nlohmann::json j;
    j["model"] = nlohmann::json::parse(loaded->info.toJson());
    for (std::size_t i = 0; i < prompts.size(); ++i) {
        nlohmann::json r = {{"prompt_ids", prompts[i]}, {"ids", result->tokens[i]}, {"finish_reason", result->finishReasons[i]}};
        if (tokenizer) {
            r["text"] = tokenizer->decode(toTok(result->tokens[i]), true).value_or("");
        }
        j["outputs"].push_back(r);
    }
    j["prefill_seconds"] = result->prefillSeconds;
    j["decode_seconds"] = result->decodeSeconds;
    j["generated_tokens"] = result->generatedTokens;
    std::puts(j.dump().c_str());
    return 0;
}

} // namespace td::cli
