// SPDX-License-Identifier: Apache-2.0
// Key table → TrainArgs. One reader per value type; each accepts what PyYAML + HfArgumentParser accept
// (numbers written as strings, "true"/"false" strings, comma lists or YAML lists).
#include "core/train/train_args.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>

#include "core/common/arg_values.h"
#include "core/common/strings.h"

namespace td::train
{

namespace
{

// The readers the key table uses (core/common/arg_values.h).
constexpr auto asDouble = argDouble;
constexpr auto asInt = argInt;
constexpr auto asBool = argBool;
constexpr auto asString = argString;

using Setter = std::function<Status(TrainArgs&, const std::string&, const nlohmann::json&)>;

template <typename T, typename Conv>
Setter field(T TrainArgs::*member, Conv conv)
{
    return [member, conv](TrainArgs& a, const std::string& k, const nlohmann::json& v) -> Status {
        auto r = conv(k, v);
        if (!r) {
            return tl::unexpected(r.error());
        }
        a.*member = static_cast<T>(*r);
        return {};
    };
}

/// A setter for a nested member: `get` returns the reference to assign.
template <typename Get, typename Conv>
Setter nested(Get get, Conv conv)
{
    return [get, conv](TrainArgs& a, const std::string& k, const nlohmann::json& v) -> Status {
        auto r = conv(k, v);
        if (!r) {
            return tl::unexpected(r.error());
        }
        auto& ref = get(a);
        ref = static_cast<std::remove_reference_t<decltype(ref)>>(*r);
        return {};
    };
}

#define TD_NESTED(expr, conv) nested([](TrainArgs& a) -> auto& { return expr; }, conv)

const std::map<std::string, Setter>& setters()
{
    static const std::map<std::string, Setter> kTable = {
        {"model_name_or_path", TD_NESTED(a.modelNameOrPath, asString)},
        {"template", field(&TrainArgs::templateName, asString)},
        {"stage", field(&TrainArgs::stage, asString)},
        {"device", field(&TrainArgs::device, asString)},
        {"finetuning_type", TD_NESTED(a.finetune.finetuningType, asString)},
        {"adapter_name_or_path",
         [](TrainArgs& a, const std::string& k, const nlohmann::json& v) -> Status {
             auto s = asString(k, v);
             if (!s) {
                 return tl::unexpected(s.error());
             }
             a.finetune.adapters.clear();
             for (const auto& p : splitCommaList(*s)) {
                 a.finetune.adapters.emplace_back(p);
             }
             return {};
         }},
        {"create_new_adapter", TD_NESTED(a.finetune.createNewAdapter, asBool)},
        {"lora_rank", TD_NESTED(a.finetune.loraRank, asInt)},
        {"lora_alpha", [](TrainArgs& a, const std::string& k, const nlohmann::json& v) -> Status {
             auto d = asDouble(k, v);
             if (!d) {
                 return tl::unexpected(d.error());
             }
             a.finetune.loraAlpha = *d;
             return {};
         }},
        {"lora_dropout", TD_NESTED(a.finetune.loraDropout, asDouble)},
        {"lora_target", TD_NESTED(a.finetune.loraTarget, asString)},
        {"additional_target", TD_NESTED(a.finetune.additionalTarget, asString)},
        {"use_rslora", TD_NESTED(a.finetune.useRslora, asBool)},
        {"use_dora", TD_NESTED(a.finetune.useDora, asBool)},
        {"pissa_init", TD_NESTED(a.finetune.pissaInit, asBool)},
        {"pissa_iter", TD_NESTED(a.finetune.pissaIter, asInt)},
        {"loraplus_lr_ratio", [](TrainArgs& a, const std::string& k, const nlohmann::json& v) -> Status {
             auto d = asDouble(k, v);
             if (!d) {
                 return tl::unexpected(d.error());
             }
             a.finetune.loraplusLrRatio = *d;
             return {};
         }},
        {"freeze_trainable_layers", TD_NESTED(a.finetune.freezeTrainableLayers, asInt)},
        {"freeze_trainable_modules", TD_NESTED(a.finetune.freezeTrainableModules, asString)},
        {"freeze_extra_modules", TD_NESTED(a.finetune.freezeExtraModules, asString)},
        {"weight_decay", TD_NESTED(a.finetune.weightDecay, asDouble)},
        {"dataset_dir", TD_NESTED(a.data.datasetDir, asString)},
        {"dataset", TD_NESTED(a.data.dataset, asString)},
        {"eval_dataset", TD_NESTED(a.data.evalDataset, asString)},
        {"mix_strategy", TD_NESTED(a.data.mixStrategy, asString)},
        {"interleave_probs", TD_NESTED(a.data.interleaveProbs, asString)},
        {"max_samples", [](TrainArgs& a, const std::string& k, const nlohmann::json& v) -> Status {
             auto n = asInt(k, v);
             if (!n) {
                 return tl::unexpected(n.error());
             }
             a.data.maxSamples = *n;
             return {};
         }},
        {"val_size", TD_NESTED(a.data.valSize, asDouble)},
        {"cutoff_len", TD_NESTED(a.data.preprocess.cutoffLen, asInt)},
        {"train_on_prompt", TD_NESTED(a.data.preprocess.trainOnPrompt, asBool)},
        {"mask_history", TD_NESTED(a.data.preprocess.maskHistory, asBool)},
        {"packing", [](TrainArgs& a, const std::string& k, const nlohmann::json& v) -> Status {
             auto b = asBool(k, v);
             if (!b) {
                 return tl::unexpected(b.error());
             }
             a.data.preprocess.packing = *b;
             a.packingSet = true;
             return {};
         }},
        {"neat_packing", TD_NESTED(a.data.preprocess.neatPacking, asBool)},
        {"streaming", TD_NESTED(a.data.streaming, asBool)},
        {"buffer_size", TD_NESTED(a.data.bufferSize, asInt)},
        {"preprocessing_num_workers", TD_NESTED(a.data.preprocess.workers, asInt)},
        {"preprocessing_batch_size", TD_NESTED(a.data.preprocess.batchSize, asInt)},
        {"learning_rate", field(&TrainArgs::learningRate, asDouble)},
        {"num_train_epochs", field(&TrainArgs::numTrainEpochs, asDouble)},
        {"max_steps", field(&TrainArgs::maxSteps, asInt)},
        {"per_device_train_batch_size", field(&TrainArgs::trainBatchSize, asInt)},
        {"per_device_eval_batch_size", field(&TrainArgs::evalBatchSize, asInt)},
        {"gradient_accumulation_steps", field(&TrainArgs::gradientAccumulation, asInt)},
        {"lr_scheduler_type", field(&TrainArgs::lrSchedulerType, asString)},
        {"warmup_steps", field(&TrainArgs::warmupSteps, asInt)},
        {"warmup_ratio", field(&TrainArgs::warmupRatio, asDouble)},
        {"max_grad_norm", field(&TrainArgs::maxGradNorm, asDouble)},
        {"optim", TD_NESTED(a.optimizer.kind, asString)},
        {"adam_beta1", TD_NESTED(a.optimizer.beta1, asDouble)},
        {"adam_beta2", TD_NESTED(a.optimizer.beta2, asDouble)},
        {"adam_epsilon", TD_NESTED(a.optimizer.eps, asDouble)},
        {"neftune_noise_alpha", [](TrainArgs& a, const std::string& k, const nlohmann::json& v) -> Status {
             auto d = asDouble(k, v);
             if (!d) {
                 return tl::unexpected(d.error());
             }
             a.neftuneNoiseAlpha = *d;
             return {};
         }},
        {"bf16", field(&TrainArgs::bf16, asBool)},
        {"fp16", field(&TrainArgs::fp16, asBool)},
        {"pure_bf16", field(&TrainArgs::pureBf16, asBool)},
        {"disable_gradient_checkpointing", [](TrainArgs& a, const std::string& k, const nlohmann::json& v) -> Status {
             auto b = asBool(k, v);
             if (!b) {
                 return tl::unexpected(b.error());
             }
             a.gradientCheckpointing = !*b;
             return {};
         }},
        {"seed", field(&TrainArgs::seed, asInt)},
        {"skip_memory_check", field(&TrainArgs::skipMemoryCheck, asBool)},
        {"output_dir", TD_NESTED(a.outputDir, asString)},
        {"resume_from_checkpoint", field(&TrainArgs::resumeFromCheckpoint, asString)},
        {"overwrite_output_dir", field(&TrainArgs::overwriteOutputDir, asBool)},
        {"logging_steps", field(&TrainArgs::loggingSteps, asInt)},
        {"save_steps", field(&TrainArgs::saveSteps, asInt)},
        {"save_strategy", field(&TrainArgs::saveStrategy, asString)},
        {"save_total_limit", [](TrainArgs& a, const std::string& k, const nlohmann::json& v) -> Status {
             auto n = asInt(k, v);
             if (!n) {
                 return tl::unexpected(n.error());
             }
             a.saveTotalLimit = *n;
             return {};
         }},
        {"save_only_model", field(&TrainArgs::saveOnlyModel, asBool)},
        {"eval_strategy", field(&TrainArgs::evalStrategy, asString)},
        {"evaluation_strategy", field(&TrainArgs::evalStrategy, asString)},
        {"eval_steps", [](TrainArgs& a, const std::string& k, const nlohmann::json& v) -> Status {
             auto n = asInt(k, v);
             if (!n) {
                 return tl::unexpected(n.error());
             }
             a.evalSteps = *n;
             return {};
         }},
        {"do_train", field(&TrainArgs::doTrain, asBool)},
        {"do_eval", field(&TrainArgs::doEval, asBool)},
        {"do_predict", field(&TrainArgs::doPredict, asBool)},
        {"predict_with_generate", field(&TrainArgs::predictWithGenerate, asBool)},
        // Generation (eval/predict runs): GeneratingArguments' names.
        {"do_sample", TD_NESTED(a.generation.doSample, asBool)},
        {"temperature", TD_NESTED(a.generation.temperature, asDouble)},
        {"top_p", TD_NESTED(a.generation.topP, asDouble)},
        {"top_k", TD_NESTED(a.generation.topK, asInt)},
        {"num_beams", TD_NESTED(a.generation.numBeams, asInt)},
        {"max_length", TD_NESTED(a.generation.maxLength, asInt)},
        {"max_new_tokens", TD_NESTED(a.generation.maxNewTokens, asInt)},
        {"repetition_penalty", TD_NESTED(a.generation.repetitionPenalty, asDouble)},
        {"length_penalty", TD_NESTED(a.generation.lengthPenalty, asDouble)},
        {"skip_special_tokens", TD_NESTED(a.generation.skipSpecialTokens, asBool)},
        {"default_system", TD_NESTED(a.generation.defaultSystem, asString)},
        {"enable_thinking", TD_NESTED(a.generation.enableThinking, asBool)},
    };
    return kTable;
}

/// LLaMA-Factory / HF keys that are valid but change nothing here (launcher, logging backends, hub, ...).
const std::set<std::string>& acceptedQuietly()
{
    static const std::set<std::string> kKeys = {
        "plot_loss", "trust_remote_code", "ddp_timeout", "report_to",
        "include_num_input_tokens_seen", "cache_dir",
        "overwrite_cache", "dataloader_num_workers", "logging_dir", "run_name",
        "upcast_layernorm", "upcast_lmhead_output", "shift_attn", "booster", "use_llama_pro", "tokenized_path",
        "resize_vocab", "hf_hub_token", "ms_hub_token", "om_hub_token", "push_to_hub", "optim_target_modules",
        "pissa_convert", "loraplus_lr_embedding", "infer_backend", "infer_dtype", "low_cpu_mem_usage",
        "ddp_find_unused_parameters", "save_safetensors", "logging_first_step", "disable_tqdm",
        "gradient_checkpointing", "load_best_model_at_end", "metric_for_best_model", "use_swanlab",
    };
    return kKeys;
}

} // namespace

Expected<TrainArgs> parseTrainArgs(const nlohmann::json& mapping, std::vector<std::string>* warnings)
{
    if (!mapping.is_object()) {
        return makeError(ErrorCode::InvalidConfig, "training arguments must be a mapping of names to values",
                         "write one `key: value` per line, e.g. `stage: sft`");
    }
    TrainArgs a;
    a.raw = mapping;
    bool alphaGiven = false;
    bool evalStrategyGiven = false;
    bool doTrainGiven = false;
    for (auto it = mapping.begin(); it != mapping.end(); ++it) {
        const std::string& key = it.key();
        if (it.value().is_null()) {
            continue; // LLaMA-Factory's own files may carry explicit nulls: they mean "default"
        }
        auto modelKey = models::parseModelLoadKey(a.model, key, it.value()); // quantization, rope, boosters
        if (!modelKey) {
            return tl::unexpected(modelKey.error());
        }
        if (*modelKey) {
            continue;
        }
        const auto s = setters().find(key);
        if (s == setters().end()) {
            if (!acceptedQuietly().contains(key) && warnings != nullptr) {
                warnings->push_back("unknown argument `" + key + "` ignored");
            }
            continue;
        }
        if (auto st = s->second(a, key, it.value()); !st) {
            return tl::unexpected(st.error());
        }
        alphaGiven = alphaGiven || key == "lora_alpha";
        doTrainGiven = doTrainGiven || key == "do_train";
        evalStrategyGiven = evalStrategyGiven || key == "eval_strategy" || key == "evaluation_strategy";
    }
    if (!alphaGiven) {
        a.finetune.loraAlpha = 2.0 * static_cast<double>(a.finetune.loraRank);
    }
    if (!a.packingSet) {
        a.data.preprocess.packing = a.stage == "pt";
    }
    if (a.data.preprocess.neatPacking) {
        a.data.preprocess.packing = true;
    }
    a.data.seed = a.seed;
    a.data.preprocess.templateName = a.templateName;
    a.finetune.seed = a.seed;
    if (!evalStrategyGiven && (a.data.valSize > 0 || !a.data.evalDataset.empty())) {
        a.evalStrategy = "steps";
    }
    if (!a.evalSteps) {
        a.evalSteps = a.loggingSteps;
    }
    if (!doTrainGiven) {
        a.doTrain = !(a.doEval || a.doPredict); // see TrainArgs::doTrain
    }
    if (warnings != nullptr) {
        for (auto& w : models::boosterWarnings(a.model)) {
            warnings->push_back(std::move(w));
        }
    }
    return a;
}

} // namespace td::train
