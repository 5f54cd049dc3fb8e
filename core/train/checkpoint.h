// SPDX-License-Identifier: Apache-2.0
// checkpoint-N folders and the final save of a run (llamaboard.md §10.2, with safetensors instead of pickles):
//   adapter_config.json + adapter_model.safetensors (lora) | config.json + model.safetensors (full/freeze)
//   tokenizer files copied from the model folder
//   optimizer.safetensors   Optimizer::stateDict() (absent with save_only_model)
//   scheduler.json          {"step": N, "lr": ...} — the schedule is a pure function of the step
//   rng_state.safetensors   the CPU generator state (dropout, NEFTune) at the save
//   trainer_state.json      HF's keys: global_step, epoch, max_steps, log_history, ... plus our data position
// A checkpoint is written into "checkpoint-N.tmp-<pid>" and renamed at the end, so a crash or a full disk
// never leaves a folder that looks complete and never touches the previous checkpoint.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace td::models
{
class CausalLM;
struct LoraConfig;
}

namespace td::train
{

class Optimizer;
struct FinetuneSetup;

/// Where the loop stands; enough to continue exactly.
struct TrainerState
{
    std::int64_t globalStep = 0;
    std::int64_t maxSteps = 0;
    std::int64_t stepsPerEpoch = 1;
    double epoch = 0;               ///< fractional
    std::int64_t totalTokens = 0;   ///< input tokens seen (include_num_input_tokens_seen)
    double elapsedSeconds = 0;      ///< training time before this process (resumed runs keep counting)
    nlohmann::json logHistory = nlohmann::json::array();

    nlohmann::json toJson() const;
    static Expected<TrainerState> fromJson(const nlohmann::json& j);
};

/// What to write into a save folder.
struct SaveContent
{
    models::CausalLM* model = nullptr;
    const FinetuneSetup* setup = nullptr;
    nlohmann::json modelConfig;               ///< config.json of the base (full/freeze saves)
    std::filesystem::path tokenizerSource;    ///< the model folder: tokenizer files are copied from it
    const Optimizer* optimizer = nullptr;     ///< null: no optimizer.safetensors (final save, save_only_model)
    const TrainerState* state = nullptr;
};

/// Writes the weights (adapter or whole model) and tokenizer files into `dir` (created; must not hold files
/// of another run): used for the final save.
Status saveWeights(const SaveContent& content, const std::filesystem::path& dir);

/// Writes outputDir/checkpoint-<globalStep> atomically (everything in SaveContent). Existing checkpoint of the
/// same step is replaced. With saveTotalLimit, the oldest checkpoints beyond the limit are deleted afterwards.
Expected<std::filesystem::path> saveCheckpoint(const SaveContent& content, const std::filesystem::path& outputDir,
                                               std::optional<std::int64_t> saveTotalLimit = std::nullopt);

/// checkpoint-<N> with the largest N in `outputDir` (HF get_last_checkpoint), ignoring temp folders.
std::optional<std::filesystem::path> latestCheckpoint(const std::filesystem::path& outputDir);

/// Restores trainable weights (copied into the existing parameters by name), optimizer state, RNG state and
/// the trainer state from `dir`. Errors name the missing file or tensor; nothing is half-restored in a way
/// that matters (the caller aborts on error).
Expected<TrainerState> loadCheckpoint(const std::filesystem::path& dir, models::CausalLM& model,
                                      const FinetuneSetup& setup, Optimizer* optimizer);

} // namespace td::train
