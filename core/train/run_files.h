// SPDX-License-Identifier: Apache-2.0
// The files of a run folder that LlamaBoard (and our Train tab) watch while training runs (llamaboard.md
// §1.4): trainer_log.jsonl — one JSON object per logging event with LlamaBoard's keys, nulls omitted — and
// running_log.txt — "[LEVEL|YYYY-MM-DD HH:MM:SS] source >> message" lines. Both are appended line by line so a
// reader polling them sees whole lines; everything else in the run folder is written atomically.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/common/error.h"

namespace td::train
{

/// One trainer_log.jsonl line.
struct LogLine
{
    std::int64_t currentSteps = 0;
    std::int64_t totalSteps = 0;
    std::optional<double> loss;
    std::optional<double> evalLoss;
    std::optional<double> lr;
    std::optional<double> gradNorm; ///< not a LlamaBoard key; kept in trainer_state.json's log_history
    std::optional<double> epoch; ///< set on training lines; eval/predict runs' progress lines have none
    double elapsedSeconds = 0;
    double remainingSeconds = 0;
    std::optional<double> throughput; ///< input tokens / elapsed seconds
    std::optional<std::int64_t> totalTokens;

    /// LlamaBoard's keys: current_steps, total_steps, loss, eval_loss, lr, epoch, percentage, elapsed_time,
    /// remaining_time, throughput, total_tokens (floats rounded as LLaMA-Factory does; unset ones omitted, so
    /// an eval/predict progress line has exactly current_steps, total_steps, percentage, elapsed_time and
    /// remaining_time).
    nlohmann::json toJson() const;
};

/// "H:MM:SS" or "D day(s), H:MM:SS" like Python's str(timedelta(seconds=int(s))).
std::string formatDuration(double seconds);

class RunFiles
{
public:
    explicit RunFiles(std::filesystem::path dir) : m_dir(std::move(dir)) {}
    const std::filesystem::path& dir() const { return m_dir; }

    /// Starts a run: with `fresh`, removes an old trainer_log.jsonl (overwrite_output_dir); running_log.txt
    /// is always restarted (LlamaBoard deletes it when a new job writes to the folder).
    Status begin(bool fresh);
    Status appendLog(const LogLine& line);
    /// Appends "[LEVEL|time] trainer >> message" to running_log.txt (errors writing the log are ignored:
    /// a full disk is reported by the checkpoint that fails, not by the log).
    void info(const std::string& message) { write("INFO", message); }
    void warning(const std::string& message) { write("WARNING", message); }
    void error(const std::string& message) { write("ERROR", message); }

private:
    void write(const char* level, const std::string& message);
    std::filesystem::path m_dir;
};

/// Output folder rules of LLaMA-Factory for a training run: creates the folder and checks it is writable;
/// returns the checkpoint-N to resume from (resume_from_checkpoint, else the latest one unless
/// overwrite_output_dir), or none for a fresh start. Final weights without checkpoints are refused.
Expected<std::optional<std::filesystem::path>> prepareOutputDir(const std::filesystem::path& outputDir,
                                                                const std::string& resumeFromCheckpoint,
                                                                bool overwriteOutputDir);

} // namespace td::train
