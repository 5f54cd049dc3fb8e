// SPDX-License-Identifier: Apache-2.0
// `tunedesk-cli bench train`: training throughput as one JSON object — tokens/s, step time (forward,
// backward, optimizer), peak RSS — for the reference setup by default: LoRA r=8 on every linear layer,
// batch 4 x 256 random tokens, AdamW, through train::trainStep (the trainer's own step). --dtype bf16 keeps the
// frozen weights in bf16 and runs the forward under CPU autocast, as `bf16: true` training does.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <memory>

#include <sys/resource.h>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <torch/csrc/autograd/profiler_legacy.h>

#include "args.h"
#include "commands.h"
#include "core/models/transformer.h"
#include "core/train/batches.h"
#include "core/train/finetune_setup.h"
#include "core/train/optimizer.h"
#include "core/train/train_step.h"
#include "model_args.h"

namespace td::cli
{

int benchTrain(int argc, char** argv)
{
    std::set<std::string> withValue = {"batch", "seq", "steps", "warmup", "rank", "method", "profile"};
    withValue.insert(std::begin(kModelOptions), std::end(kModelOptions));
    auto args = parseArgs(argc, argv, 2, withValue, {"help", "checkpointing"});
    if (!args) {
        return reportError(args.error());
    }
    if (args->has("help") || !args->has("model")) {
        std::puts("usage: tunedesk-cli bench train --model DIR [--dtype bf16|fp32] [--batch 4] [--seq 256]\n"
                  "       [--steps 5] [--warmup 1] [--rank 8] [--method lora|full|freeze] [--threads N]\n"
                  "       [--checkpointing] [--profile TRACE.json]\n"
                  "Prints JSON: tokens_per_s, step_ms (forward/backward/optimizer), peak_rss_mb. --profile writes a\n"
                  "chrome://tracing file of the last step (autograd profiler; the step is slower while traced).");
        return args->has("help") ? 0 : 2;
    }
    std::int64_t batch = 4, seq = 256, steps = 5, warmup = 1, rank = 8;
    try {
        batch = std::stoll(args->getOr("batch", "4"));
        seq = std::stoll(args->getOr("seq", "256"));
        steps = std::stoll(args->getOr("steps", "5"));
        warmup = std::stoll(args->getOr("warmup", "1"));
        rank = std::stoll(args->getOr("rank", "8"));
    } catch (const std::exception&) {
        return reportError({ErrorCode::InvalidArgument, "--batch, --seq, --steps, --warmup and --rank take numbers", ""});
    }
    if (batch < 1 || seq < 2 || steps < 1 || warmup < 0 || rank < 1) {
        return reportError({ErrorCode::InvalidArgument, "need --batch >= 1, --seq >= 2, --steps >= 1, --rank >= 1", ""});
    }
    // Like the trainer: every logical CPU unless --threads or OMP_NUM_THREADS says otherwise.
    if (!args->has("threads") && std::getenv("OMP_NUM_THREADS") == nullptr && std::thread::hardware_concurrency() > 0) {
        at::set_num_threads(static_cast<int>(std::thread::hardware_concurrency()));
    }
    applyThreads(*args);
    const std::string dtype = args->getOr("dtype", "bf16");
    const std::string method = args->getOr("method", "lora");
    Args loadArgs = *args;
    loadArgs.values["dtype"] = (dtype == "bf16" && method == "full") ? "fp32" : dtype;
    auto loaded = loadModelFromArgs(loadArgs, "bf16");
    if (!loaded) {
        return reportError(loaded.error());
    }
    auto& model = *loaded->model;
    train::FinetuneArgs ft;
    ft.finetuningType = method;
    ft.loraRank = rank;
    ft.loraAlpha = 2.0 * static_cast<double>(rank);
    auto setup = train::setupFinetuning(model, ft);
    if (!setup) {
        return reportError(setup.error());
    }
    auto optimizer = train::makeOptimizer(setup->groups, {});
    if (!optimizer) {
        return reportError(optimizer.error());
    }
    model.train();
    at::manual_seed(1234);
    train::StepOptions so;
    so.autocast = dtype == "bf16";
    so.checkpointLayers = args->has("checkpointing");
    double fwd = 0, bwd = 0, opt = 0, total = 0;
    for (std::int64_t s = 0; s < warmup + steps; ++s) {
        train::Batch b;
        b.inputIds = at::randint(3, loaded->config.vocab_size, {batch, seq}, at::kLong).to(model.device());
        b.labels = b.inputIds.clone();
        b.tokens = batch * seq;
        b.targets = batch * (seq - 1);
        std::unique_ptr<torch::autograd::profiler::RecordProfile> profile;
        if (s == warmup + steps - 1 && args->has("profile")) {
            profile = std::make_unique<torch::autograd::profiler::RecordProfile>(*args->get("profile"));
        }
        const train::StepResult r = train::trainStep(model, {b}, **optimizer, 1e-4, so);
        profile.reset();
        if (s >= warmup) {
            fwd += r.forwardMs;
            bwd += r.backwardMs;
            opt += r.optimizerMs;
            total += r.forwardMs + r.backwardMs + r.optimizerMs;
        }
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const double n = static_cast<double>(steps);
    nlohmann::json out = {{"bench", "train"},
                          {"model", args->getOr("model", "")},
                          {"method", method},
                          {"rank", rank},
                          {"dtype", dtype},
                          {"batch", batch},
                          {"seq", seq},
                          {"steps", steps},
                          {"checkpointing", so.checkpointLayers},
                          {"trainable_params", setup->trainableCount},
                          {"total_params", setup->totalCount},
                          {"threads", at::get_num_threads()},
                          {"tokens_per_s", static_cast<double>(batch * seq) * n / (total / 1000.0)},
                          {"step_ms", total / n},
                          {"forward_ms", fwd / n},
                          {"backward_ms", bwd / n},
                          {"optimizer_ms", opt / n},
                          {"peak_rss_mb", static_cast<double>(ru.ru_maxrss) / 1024.0}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
}

} // namespace td::cli
