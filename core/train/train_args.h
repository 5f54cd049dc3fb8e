// SPDX-License-Identifier: Apache-2.0
// The arguments of one training run, with LLaMA-Factory's YAML names and defaults (llamaboard.md §4): the same
// flat mapping `llamafactory-cli train` takes, so a training_args.yaml written by LlamaBoard, by our Train tab
// or by hand runs unchanged. Keys LLaMA-Factory knows but we do not act on (report_to, ddp_timeout, ...) are
// accepted quietly; the model-loading keys (quantization_bit, rope_scaling, flash_attn, boosters) are parsed by
// models/load_args.h and acted on by the loader; unknown keys give a warning each; values of the wrong type or
// out of range are errors naming the key.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/data/data_pipeline.h"
#include "core/models/load_args.h"
#include "core/train/finetune_setup.h"
#include "core/train/optimizer.h"

namespace td::train
{

/// Generation arguments of eval/predict runs (LLaMA-Factory's GeneratingArguments, llamaboard.md §4.8), with
/// its defaults: sampling is on unless do_sample is false.
struct GenerationArgs
{
    bool doSample = true;             ///< do_sample
    double temperature = 0.95;        ///< temperature
    double topP = 0.7;                ///< top_p
    std::int64_t topK = 50;           ///< top_k
    std::int64_t numBeams = 1;        ///< num_beams (only 1: no beam search)
    std::int64_t maxLength = 1024;    ///< max_length: prompt + answer, used only when max_new_tokens <= 0
    std::int64_t maxNewTokens = 1024; ///< max_new_tokens
    double repetitionPenalty = 1.0;   ///< repetition_penalty
    double lengthPenalty = 1.0;       ///< length_penalty (beam search only: accepted, no effect)
    bool skipSpecialTokens = true;    ///< skip_special_tokens: decoding of predictions and labels
    std::optional<std::string> defaultSystem; ///< default_system: replaces the template's default system
    bool enableThinking = true;       ///< enable_thinking: reasoning templates
};

struct TrainArgs
{
    // Model (model_name_or_path, template, infer/compute device).
    std::filesystem::path modelNameOrPath; ///< model_name_or_path
    std::string templateName = "default";  ///< template ("auto" = detect from the tokenizer's chat template)
    std::string stage = "sft";             ///< stage: pt | sft (rm, dpo, kto, ppo: not yet)
    std::string device = "auto";           ///< device (ours): auto | cpu | cuda[:N]

    models::ModelLoadArgs model; ///< quantization_bit/_method/_type, double_quantization, rope_scaling,
                                 ///< flash_attn, use_unsloth, enable_liger_kernel
    FinetuneArgs finetune; ///< finetuning_type, LoRA / freeze keys, adapter_name_or_path
    data::DataArgs data;   ///< dataset_dir, dataset, eval_dataset, cutoff_len, val_size, packing, ...
    bool packingSet = false; ///< packing given explicitly (else LLaMA-Factory's default: on for pt only)

    // Optimisation (HF TrainingArguments names).
    double learningRate = 5e-5;            ///< learning_rate
    double numTrainEpochs = 3.0;           ///< num_train_epochs
    std::int64_t maxSteps = -1;            ///< max_steps (> 0 overrides epochs)
    std::int64_t trainBatchSize = 8;       ///< per_device_train_batch_size
    std::int64_t evalBatchSize = 8;        ///< per_device_eval_batch_size
    std::int64_t gradientAccumulation = 1; ///< gradient_accumulation_steps
    std::string lrSchedulerType = "linear"; ///< lr_scheduler_type
    std::int64_t warmupSteps = 0;          ///< warmup_steps
    double warmupRatio = 0.0;              ///< warmup_ratio
    double maxGradNorm = 1.0;              ///< max_grad_norm (<= 0: no clipping)
    OptimizerOptions optimizer;            ///< optim, adam_beta1/2, adam_epsilon (weight_decay in finetune)
    std::optional<double> neftuneNoiseAlpha; ///< neftune_noise_alpha
    bool bf16 = false;                     ///< bf16: autocast to bf16, fp32 master weights
    bool fp16 = false;                     ///< fp16 (CUDA only)
    bool pureBf16 = false;                 ///< pure_bf16: the whole model in bf16, no autocast
    bool gradientCheckpointing = true;     ///< LLaMA-Factory's default; disable_gradient_checkpointing turns off
    std::uint64_t seed = 42;               ///< seed
    bool skipMemoryCheck = false;          ///< skip_memory_check (ours): start even when the memory estimate
                                           ///< exceeds the available memory (memory_estimate.h)

    // Run bookkeeping.
    std::filesystem::path outputDir;       ///< output_dir
    std::string resumeFromCheckpoint;      ///< resume_from_checkpoint: a checkpoint folder, "true"/"last", or empty
    bool overwriteOutputDir = false;       ///< overwrite_output_dir
    std::int64_t loggingSteps = 500;       ///< logging_steps
    std::int64_t saveSteps = 500;          ///< save_steps (save_strategy steps)
    std::string saveStrategy = "steps";    ///< save_strategy: steps | epoch | no
    std::optional<std::int64_t> saveTotalLimit; ///< save_total_limit
    bool saveOnlyModel = false;            ///< save_only_model: no optimizer state in checkpoints
    std::string evalStrategy = "no";       ///< eval_strategy (alias evaluation_strategy): no | steps | epoch
    std::optional<std::int64_t> evalSteps; ///< eval_steps (default = logging_steps)

    // Phases (HF TrainingArguments). HF's do_train defaults to false, but LlamaBoard's Train tab and our own
    // configs never set it and expect training: absent do_train means "train unless only do_eval/do_predict
    // is given", so `do_predict: true` alone is an eval-only run (core/eval/predict.h).
    bool doTrain = true;              ///< do_train
    bool doEval = false;              ///< do_eval: metrics only (eval_results.json)
    bool doPredict = false;           ///< do_predict: metrics + generated_predictions.jsonl
    bool predictWithGenerate = false; ///< predict_with_generate: score generated answers (BLEU/ROUGE)
    GenerationArgs generation;        ///< do_sample, temperature, top_p, max_new_tokens, ...
    /// No training, only evaluation and/or prediction (runTraining hands the run to eval::runPrediction).
    bool evalOnly() const { return !doTrain && (doEval || doPredict); }

    nlohmann::json raw = nlohmann::json::object(); ///< the mapping as given (written to training_args.yaml)
};

/// Parses a flat mapping (YAML converted to JSON, or the GUI's arguments). Applies LLaMA-Factory's implied
/// settings: lora_alpha 2*rank, eval_strategy "steps" when val_size/eval_dataset is set and no strategy is
/// given, packing on for pt, eval_steps = logging_steps, do_train = !(do_eval || do_predict) when absent.
/// Unknown keys, and Python-only boosters that are set (use_unsloth, enable_liger_kernel), are appended to
/// `warnings`.
Expected<TrainArgs> parseTrainArgs(const nlohmann::json& mapping, std::vector<std::string>* warnings = nullptr);

/// Checks ranges and combinations (§4.9 rules that apply to us): positive batch/accumulation/steps,
/// learning_rate > 0, lora_rank >= 1, 0 <= lora_dropout < 1, val_size >= 0, supported stage/type/scheduler,
/// LoRA-only options with lora, adapters only with lora; eval/predict rules (do_predict needs
/// predict_with_generate for sft, predict_with_generate only for sft and not while training, an eval-only run
/// needs eval_dataset or val_size, num_beams 1); model-loading keys (validateModelLoadArgs) and LLaMA-Factory's
/// quantization rules (quantization_bit only with lora, no pissa_init, one adapter at most and no
/// create_new_adapter on top of one). Messages name the key and the allowed range.
Status validateTrainArgs(const TrainArgs& args);

} // namespace td::train
