// SPDX-License-Identifier: Apache-2.0
// `tunedesk-cli bench generate`: generation throughput of a model folder as one JSON object: prefill tok/s,
// decode tok/s, time to first token, peak RSS, plus the weight bytes and the memory bandwidth that decode
// implies (decode is bound by reading every weight once per token). Greedy, EOS ignored, random prompt ids.
// Thread settings (OMP_NUM_THREADS, OMP_WAIT_POLICY) are read by OpenMP at process start: set them in the
// environment, --threads only changes the intra-op thread count.
#include <cstdio>
#include <cstdlib>

#include <sys/resource.h>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "core/infer/generator.h"
#include "core/models/transformer.h"
#include "model_args.h"

namespace td::cli
{

/// argv[0] is "bench", argv[1] "generate" (cmd_bench.cpp).
int benchGenerate(int argc, char** argv)
{
    std::set<std::string> withValue = {"prompt-len", "new-tokens", "batch", "repeat"};
    withValue.insert(std::begin(kModelOptions), std::end(kModelOptions));
    auto args = parseArgs(argc, argv, 2, withValue, {"help", "eager"});
    if (!args) {
        return reportError(args.error());
    }
    if (args->has("help")) {
        std::puts("usage: tunedesk-cli bench generate --model DIR [--dtype bf16|fp32|auto] [--prompt-len 32]\n"
                  "       [--new-tokens 128] [--batch 1] [--repeat 1] [--threads N] [--device auto|cpu|cuda] [--eager]\n"
                  "Prints JSON: prefill_tok_s, decode_tok_s, ttft_ms, peak_rss_mb (best of --repeat runs).\n"
                  "--eager: decode through the eager graph even where the one-token fast path applies.");
        return 0;
    }
    std::int64_t promptLen = 32, newTokens = 128, batch = 1, repeat = 1;
    try {
        promptLen = std::stoll(args->getOr("prompt-len", "32"));
        newTokens = std::stoll(args->getOr("new-tokens", "128"));
        batch = std::stoll(args->getOr("batch", "1"));
        repeat = std::stoll(args->getOr("repeat", "1"));
    } catch (const std::exception&) {
        return reportError({ErrorCode::InvalidArgument, "--prompt-len, --new-tokens, --batch and --repeat take numbers", ""});
    }
    if (promptLen < 1 || newTokens < 2 || batch < 1 || repeat < 1) {
        return reportError({ErrorCode::InvalidArgument, "need --prompt-len >= 1, --new-tokens >= 2, --batch >= 1", ""});
    }
    applyThreads(*args);
    auto loaded = loadModelFromArgs(*args, "bf16");
    if (!loaded) {
        return reportError(loaded.error());
    }
    auto& model = *loaded->model;
    model.setFastDecode(!args->has("eager"));
    std::string noFastReason;
    const bool fastAvailable = model.hasFastDecode(&noFastReason);
    at::manual_seed(1234);
    const auto vocab = loaded->config.vocab_size;
    at::Tensor ids = at::randint(3, vocab, {batch, promptLen}, at::kLong);
    std::vector<std::vector<std::int64_t>> prompts;
    for (std::int64_t b = 0; b < batch; ++b) {
        prompts.emplace_back(ids[b].data_ptr<std::int64_t>(), ids[b].data_ptr<std::int64_t>() + promptLen);
    }
    infer::GenerationConfig warm;
    warm.maxNewTokens = 4;
    if (auto w = infer::generate(model, prompts, warm); !w) { // warm-up: allocator, oneDNN primitives
        return reportError(w.error());
    }
    infer::GenerationConfig g;
    g.maxNewTokens = newTokens;
    double bestPrefill = 0, bestDecode = 0, bestTtft = 1e30;
    for (std::int64_t r = 0; r < repeat; ++r) {
        auto res = infer::generate(model, prompts, g);
        if (!res) {
            return reportError(res.error());
        }
        bestPrefill = std::max(bestPrefill, static_cast<double>(batch * promptLen) / res->prefillSeconds);
        bestDecode = std::max(bestDecode, static_cast<double>(batch * res->decodeSteps) / res->decodeSeconds);
        bestTtft = std::min(bestTtft, res->prefillSeconds);
    }
    std::int64_t weightBytes = 0;
    for (const auto& p : model.parameters()) {
        weightBytes += p.numel() * static_cast<std::int64_t>(p.element_size());
    }
    struct rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const char* wait = std::getenv("OMP_WAIT_POLICY");
    nlohmann::json j = {{"benchmark", "generate"},
                        {"model", loaded->info.path},
                        {"model_type", loaded->info.modelType},
                        {"parameters", loaded->info.parameters},
                        {"dtype", loaded->info.dtype},
                        {"device", loaded->info.device},
                        {"batch", batch},
                        {"prompt_len", promptLen},
                        {"new_tokens", newTokens},
                        {"threads", at::get_num_threads()},
                        {"omp_wait_policy", wait ? wait : ""},
                        {"fast_decode_steps", model.fastDecodeSteps()},
                        {"fast_decode_unavailable", fastAvailable ? "" : noFastReason},
                        {"prefill_tok_s", bestPrefill},
                        {"decode_tok_s", bestDecode},
                        {"ttft_ms", bestTtft * 1e3},
                        {"peak_rss_mb", static_cast<double>(ru.ru_maxrss) / 1024.0},
                        {"weight_bytes", weightBytes},
                        {"decode_weight_gb_s", static_cast<double>(weightBytes) * bestDecode / batch / 1e9}};
    std::puts(j.dump(2).c_str());
    return 0;
}

} // namespace td::cli
