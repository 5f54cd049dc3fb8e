// SPDX-License-Identifier: Apache-2.0
// TrainArgs → a clear error before any work starts: ranges, the supported stages and methods, and the
// combinations LLaMA-Factory's parser refuses (quantized training only with LoRA, ...).
#include <cmath>
#include <string>
#include <utility>

#include "core/eval/eval_args.h"
#include "core/train/scheduler.h"
#include "core/train/train_args.h"

namespace td::train
{

namespace
{

/// models/load_args.h checks plus LLaMA-Factory's _verify_model_args rules for quantization_bit.
Status validateQuantizedTraining(const TrainArgs& a)
{
    if (auto st = models::validateModelLoadArgs(a.model); !st) {
        return st;
    }
    if (!a.model.quantized()) {
        return {};
    }
    const auto& ft = a.finetune;
    const std::string bits = "quantization_bit " + std::to_string(a.model.quantizationBit);
    if (ft.finetuningType != "lora") {
        return makeError(ErrorCode::InvalidConfig, bits + " is only compatible with finetuning_type lora (QLoRA)",
                         "set finetuning_type: lora, or remove quantization_bit for " + ft.finetuningType + " tuning");
    }
    if (ft.pissaInit) {
        return makeError(ErrorCode::InvalidConfig, "pissa_init cannot initialise an adapter on a quantized model (" + bits + ")",
                         "remove pissa_init or quantization_bit");
    }
    if (ft.adapters.size() > 1) {
        return makeError(ErrorCode::InvalidConfig, "a quantized model accepts only a single adapter (" +
                                                       std::to_string(ft.adapters.size()) + " given)",
                         "merge the adapters first (export without quantization_bit), then train on the merged model");
    }
    if (!ft.adapters.empty() && ft.createNewAdapter) {
        return makeError(ErrorCode::InvalidConfig, "cannot create a new adapter upon a quantized model",
                         "remove create_new_adapter to continue the adapter, or remove quantization_bit");
    }
    return {};
}

} // namespace

Status validateTrainArgs(const TrainArgs& a)
{
    auto bad = [](const std::string& what, const std::string& hint) {
        return makeError(ErrorCode::InvalidConfig, what, hint);
    };
    if (a.modelNameOrPath.empty()) {
        return bad("model_name_or_path is not set", "choose a Hugging Face model folder");
    }
    if (a.stage != "sft" && a.stage != "pt") {
        return makeError(ErrorCode::Unsupported, "stage `" + a.stage + "` is not supported yet",
                         "use stage sft or pt");
    }
    const auto& ft = a.finetune;
    if (ft.finetuningType != "lora" && ft.finetuningType != "freeze" && ft.finetuningType != "full") {
        return bad("finetuning_type `" + ft.finetuningType + "` is not one of lora, freeze, full",
                   "set finetuning_type to lora, freeze or full");
    }
    if (auto st = eval::validateEvalArgs(a); !st) { // do_train/do_eval/do_predict and generation rules
        return st;
    }
    if (!a.evalOnly() && a.data.dataset.empty()) {
        return bad("dataset is not set", "name one or more datasets of dataset_dir/dataset_info.json");
    }
    if (a.outputDir.empty()) {
        return bad("output_dir is not set", "choose a folder for the run, e.g. saves/<model>/lora/train_1");
    }
    auto positive = [&](std::int64_t v, const char* key) -> Status {
        if (v < 1) {
            return bad(std::string(key) + " = " + std::to_string(v) + " must be at least 1",
                       std::string("set ") + key + " to a positive integer");
        }
        return {};
    };
    for (auto [v, key] : {std::pair{a.trainBatchSize, "per_device_train_batch_size"},
                          std::pair{a.evalBatchSize, "per_device_eval_batch_size"},
                          std::pair{a.gradientAccumulation, "gradient_accumulation_steps"},
                          std::pair{a.loggingSteps, "logging_steps"}, std::pair{a.saveSteps, "save_steps"},
                          std::pair{a.data.preprocess.cutoffLen, "cutoff_len"}}) {
        if (auto st = positive(v, key); !st) {
            return st;
        }
    }
    if (!(a.learningRate > 0) || !std::isfinite(a.learningRate)) {
        return bad("learning_rate = " + std::to_string(a.learningRate) + " must be a positive number",
                   "typical values are 1e-5 to 5e-4 (LoRA: 1e-4)");
    }
    if (a.maxSteps <= 0 && !(a.numTrainEpochs > 0)) {
        return bad("num_train_epochs must be positive when max_steps is not set", "set num_train_epochs, e.g. 3");
    }
    if (a.warmupSteps < 0 || a.warmupRatio < 0 || a.warmupRatio > 1) {
        return bad("warmup_steps must be >= 0 and warmup_ratio within [0, 1]", "use warmup_ratio 0.1, for example");
    }
    if (a.data.valSize < 0) {
        return bad("val_size must not be negative", "use a fraction in (0, 1) or a row count");
    }
    if (!a.data.evalDataset.empty() && a.data.valSize > 0) {
        return bad("val_size cannot be combined with eval_dataset", "set one of them");
    }
    if (a.data.streaming && a.maxSteps <= 0) {
        return bad("streaming needs max_steps", "set max_steps: a stream has no known length, so epochs cannot be counted");
    }
    if (auto st = data::checkStreamingArgs(a.data); !st) {
        return st;
    }
    if (auto st = parseScheduler(a.lrSchedulerType); !st) {
        return tl::unexpected(st.error());
    }
    if (a.optimizer.beta1 < 0 || a.optimizer.beta1 >= 1 || a.optimizer.beta2 < 0 || a.optimizer.beta2 >= 1) {
        return bad("adam_beta1 and adam_beta2 must be within [0, 1)", "the defaults are 0.9 and 0.999");
    }
    if (a.evalStrategy != "no" && a.evalStrategy != "steps" && a.evalStrategy != "epoch") {
        return bad("eval_strategy `" + a.evalStrategy + "` is not one of no, steps, epoch", "use steps");
    }
    if (a.saveStrategy != "no" && a.saveStrategy != "steps" && a.saveStrategy != "epoch") {
        return bad("save_strategy `" + a.saveStrategy + "` is not one of no, steps, epoch", "use steps");
    }
    if (a.fp16 && a.bf16) {
        return bad("bf16 and fp16 cannot both be set", "choose one compute type");
    }
    if (ft.finetuningType == "lora") {
        if (ft.loraRank < 1 || ft.loraRank > 4096) {
            return bad("lora_rank = " + std::to_string(ft.loraRank) + " must be within 1..4096", "8 or 16 are typical");
        }
        if (ft.loraDropout < 0 || ft.loraDropout >= 1) {
            return bad("lora_dropout must be within [0, 1)", "0 to 0.1 are typical");
        }
        if (ft.loraAlpha && !(*ft.loraAlpha > 0)) {
            return bad("lora_alpha must be positive", "the default is twice lora_rank");
        }
        if (ft.loraplusLrRatio && !(*ft.loraplusLrRatio > 0)) {
            return bad("loraplus_lr_ratio must be positive", "16 is the value of the LoRA+ paper");
        }
    } else {
        const char* loraOnly = ft.useRslora ? "use_rslora" : ft.useDora ? "use_dora" : ft.pissaInit ? "pissa_init"
                               : ft.loraplusLrRatio ? "loraplus_lr_ratio" : !ft.adapters.empty() ? "adapter_name_or_path"
                                                                                              : nullptr;
        if (loraOnly != nullptr) {
            return bad(std::string(loraOnly) + " is only valid with finetuning_type: lora",
                       "switch to LoRA or remove " + std::string(loraOnly));
        }
    }
    if (a.fp16 && a.device == "cpu") {
        return makeError(ErrorCode::Unsupported, "fp16 training needs a CUDA device", "use bf16 on the CPU");
    }
    return validateQuantizedTraining(a);
}

} // namespace td::train
