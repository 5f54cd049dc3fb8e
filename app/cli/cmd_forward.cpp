// SPDX-License-Identifier: Apache-2.0
// `tunedesk-cli forward`: one forward pass over given token ids, logits written as float32 [batch, seq, vocab]
// to a safetensors file ("logits", plus "input_ids" and optionally "hidden_states_<i>"). The tool to check a
// model or a new architecture against another implementation.
#include <cstdio>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "core/common/guard.h"
#include "core/models/transformer.h"
#include "core/tensor/safetensors.h"
#include "model_args.h"

namespace td::cli
{

int cmdForward(int argc, char** argv)
{
    std::set<std::string> withValue = {"ids", "out"};
    withValue.insert(std::begin(kModelOptions), std::end(kModelOptions));
    auto args = parseArgs(argc, argv, 1, withValue, {"help", "hidden-states"});
    if (!args) {
        return reportError(args.error());
    }
    if (args->has("help")) {
        std::puts("usage: tunedesk-cli forward --model DIR --ids 1,2,3[;4,5,6] [--adapter DIR[,DIR...]] --out OUT.safetensors\n"
                  "       [--dtype fp32|bf16|fp16|auto (default fp32)] [--device auto|cpu|cuda] [--hidden-states]\n"
                  "       [--quantization_bit 4|8 [--quantization_type nf4|fp4] [--double_quantization true]] [--rope_scaling TYPE]\n"
                  "Writes the logits (float32, [batch, seq, vocab]) of one forward pass; sequences must have one length.");
        return 0;
    }
    auto out = args->get("out");
    auto idsText = args->get("ids");
    if (!out || !idsText) {
        return reportError({ErrorCode::InvalidArgument, "--ids and --out are required", "see tunedesk-cli forward --help"});
    }
    auto rows = parseIdList(*idsText);
    if (!rows) {
        return reportError(rows.error());
    }
    for (const auto& r : *rows) {
        if (r.size() != rows->front().size()) {
            return reportError({ErrorCode::InvalidArgument, "--ids: all sequences must have the same length",
                                "run unequal sequences one at a time"});
        }
    }
    applyThreads(*args);
    auto loaded = loadModelFromArgs(*args, "fp32");
    if (!loaded) {
        return reportError(loaded.error());
    }
    nlohmann::json summary;
    auto status = guarded("forward", [&]() -> Status {
        at::NoGradGuard noGrad;
        const auto b = static_cast<std::int64_t>(rows->size());
        const auto t = static_cast<std::int64_t>(rows->front().size());
        std::vector<std::int64_t> flat;
        for (const auto& r : *rows) {
            for (auto id : r) {
                if (id >= loaded->config.vocab_size) {
                    return makeError(ErrorCode::InvalidArgument, "token id " + std::to_string(id) + " >= vocab_size " +
                                                                     std::to_string(loaded->config.vocab_size));
                }
                flat.push_back(id);
            }
        }
        at::Tensor ids = at::tensor(flat, at::kLong).view({b, t});
        std::vector<at::Tensor> hidden;
        models::ForwardOptions fo;
        if (args->has("hidden-states")) {
            fo.hiddenStates = &hidden;
        }
        at::Tensor logits = loaded->model->forward(ids.to(loaded->model->device()), fo).to(at::kFloat).cpu();
        st::NamedTensors tensors = {{"logits", logits}, {"input_ids", ids}};
        for (std::size_t i = 0; i < hidden.size(); ++i) {
            tensors.emplace_back("hidden_states_" + std::to_string(i), hidden[i].to(at::kFloat).cpu());
        }
        summary = {{"out", *out}, {"shape", logits.sizes().vec()}, {"model", nlohmann::json::parse(loaded->info.toJson())}};
        return st::save(*out, tensors, {{"format", "pt"}, {"producer", "tunedesk-cli forward"}});
    });
    if (!status) {
        return reportError(status.error());
    }
    std::puts(summary.dump().c_str());
    return 0;
}

} // namespace td::cli
