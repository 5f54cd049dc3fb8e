// SPDX-License-Identifier: Apache-2.0
// Peak memory and work of a training run, estimated from config.json alone (no weights are read), so the Train
// tab can show it while the form changes and runTraining can refuse a run that cannot fit before loading
// anything. The model mirrors what the trainer allocates (trainer.cpp, finetune_setup.cpp, train_step.cpp):
//
//   weights     frozen parameters in their load dtype (bf16 under bf16/pure_bf16 for lora/freeze, fp16 under
//               fp16, fp32 otherwise) + trainable parameters in fp32 (setupFinetuning upcasts them, so the
//               optimizer needs no separate fp32 masters) + the bf16 copies autocast keeps of fp32 trainable
//               weights during the forward (full fine-tuning with bf16/fp16); with quantization_bit (QLoRA)
//               the decoder-layer Linear weights count at 1 (8-bit) or 0.5 (4-bit) byte per parameter plus
//               their scales (quant_spec.h), plus the one layer dequantized at a time for its matmul;
//   gradients   fp32, one per trainable parameter;
//   optimizer   AdamW: exp_avg + exp_avg_sq in fp32 per trainable parameter (SGD: a momentum buffer when
//               momentum > 0);
//   activations what autograd keeps for backward for B x T tokens (B = per_device_train_batch_size,
//               T = cutoff_len, an upper bound: batches are padded to their longest row). Per decoder layer,
//               per token: kTokenC x hidden + kTokenI x intermediate elements in the compute dtype, plus the
//               attention probabilities (fp32 softmax output + its compute-dtype copy, B x H x T x T). With
//               gradient checkpointing (the default) each layer keeps only its (B, T, C) input and one layer
//               at a time is recomputed in full; without it every layer keeps everything;
//   logits      B x T x V in the compute dtype, its gradient of the same size, and the loss's fp32 chunks
//               (two at a time, each at most 256 MB: loss.cpp);
//   overhead    the runtime itself (libtorch, allocator, tokenizer, data): a fixed 200 MB.
//
// The per-token constants are calibrated on a SmolLM2-135M-shaped model (`tunedesk-cli bench train`, peak RSS;
// see tests/train/test_memory_estimate.cpp for the measured figures the estimate is checked against).
//
// Work: FLOPs of one optimizer step = tokens x (2 P forward + 2 P gradient w.r.t. the inputs + 2 P_trainable
// weight gradients + 2 P recomputed forward when checkpointing), P = the parameters that take part in matmuls
// (every Linear and the lm_head, tied or not; not the embedding lookup), tokens = B x T x
// gradient_accumulation_steps. Attention's T^2 matmuls are left out: a rough figure, not a timing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/common/error.h"
#include "core/models/model_config.h"
#include "core/train/train_args.h"

namespace td::train
{

/// Scalar parameters of a config, without building the model.
struct ParameterCounts
{
    std::int64_t total = 0;     ///< every parameter, tied embeddings once, LoRA adapters included (as
                                ///< CausalLM::parameterCount after setupFinetuning)
    std::int64_t base = 0;      ///< the model's own parameters (no adapters)
    std::int64_t trainable = 0; ///< what setupFinetuning makes trainable (its trainableCount)
    std::int64_t matmul = 0;    ///< parameters of the Linear layers and the lm_head (tied counted here too)
};

/// Counts for `config` under `finetune` (full: everything; freeze: the selected layers/modules; lora: r x
/// (in + out) per targeted Linear, + out for DoRA, + additional_target modules). Errors as setupFinetuning's
/// (freeze_trainable_layers out of range, unknown finetuning_type); a lora_target naming no module counts none.
Expected<ParameterCounts> countParameters(const models::ModelConfig& config, const FinetuneArgs& finetune);

struct MemoryEstimate
{
    ParameterCounts params;
    std::int64_t weightBytes = 0;
    std::int64_t quantizedWeightBytes = 0; ///< part of weightBytes: quantized Linear weights + scales (QLoRA)
    std::int64_t gradientBytes = 0;
    std::int64_t optimizerBytes = 0;
    std::int64_t activationBytes = 0;
    std::int64_t logitsBytes = 0;
    std::int64_t overheadBytes = 0;
    std::int64_t totalBytes = 0;
    /// Memory the run can use: Linux MemAvailable for CPU runs; unset when unknown (no /proc/meminfo) or
    /// when the run goes to a GPU (see note).
    std::optional<std::int64_t> availableBytes;
    bool gpu = false;   ///< device is cuda: GPU memory is not queried in this build, so nothing is compared
    std::string note;   ///< one line for the user when something is not compared (empty otherwise)
    double flopsPerStep = 0; ///< see the header comment
    std::int64_t tokensPerStep = 0;

    /// True unless the total is known to exceed what is available.
    bool fits() const { return !availableBytes || totalBytes <= *availableBytes; }
};

/// The estimate for `args` on `config` (no files read except /proc/meminfo).
MemoryEstimate estimateTrainingMemory(const TrainArgs& args, const models::ModelConfig& config,
                                      const ParameterCounts& counts);
/// Reads `<model_name_or_path>/config.json` only. Errors: missing/invalid config, bad finetuning arguments.
Expected<MemoryEstimate> estimateTrainingMemory(const TrainArgs& args);

/// MemAvailable from /proc/meminfo in bytes; unset when unreadable.
std::optional<std::int64_t> availableHostMemory();

/// "1.2 GB" (decimal gigabytes, one decimal).
std::string formatGigabytes(std::int64_t bytes);

/// The OutOfMemory error runTraining returns when `estimate` does not fit: the numbers and what to change.
Error memoryError(const MemoryEstimate& estimate);

} // namespace td::train
