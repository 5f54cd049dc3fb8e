// SPDX-License-Identifier: Apache-2.0
#include "core/train/run_files.h"

#include <cmath>
#include <ctime>

#include <nlohmann/json.hpp>

#include "core/common/file_util.h"
#include "core/train/checkpoint.h"

namespace td::train
{

namespace
{

double roundTo(double v, int digits)
{
    const double f = std::pow(10.0, digits);
    return std::round(v * f) / f;
}

} // namespace

nlohmann::json LogLine::toJson() const
{
    nlohmann::json j;
    j["current_steps"] = currentSteps;
    j["total_steps"] = totalSteps;
    if (loss) {
        j["loss"] = roundTo(*loss, 4);
    }
    if (evalLoss) {
        j["eval_loss"] = roundTo(*evalLoss, 4);
    }
    if (lr) {
        j["lr"] = *lr;
    }
    if (epoch) {
        j["epoch"] = roundTo(*epoch, 2);
    }
    j["percentage"] = totalSteps > 0 ? roundTo(100.0 * static_cast<double>(currentSteps) / static_cast<double>(totalSteps), 2)
                                     : 100.0;
    j["elapsed_time"] = formatDuration(elapsedSeconds);
    j["remaining_time"] = formatDuration(remainingSeconds);
    if (throughput) {
        j["throughput"] = roundTo(*throughput, 2);
    }
    if (totalTokens) {
        j["total_tokens"] = *totalTokens;
    }
    return j;
}

std::string formatDuration(double seconds)
{
    auto s = static_cast<long long>(std::max(0.0, seconds));
    const long long days = s / 86400;
    s %= 86400;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
    if (days == 0) {
        return buf;
    }
    return std::to_string(days) + (days == 1 ? " day, " : " days, ") + buf;
}

Status RunFiles::begin(bool fresh)
{
    std::error_code ec;
    if (fresh) {
        std::filesystem::remove(m_dir / "trainer_log.jsonl", ec);
    }
    std::filesystem::remove(m_dir / "running_log.txt", ec);
    return {};
}

Status RunFiles::appendLog(const LogLine& line)
{
    return appendLine(m_dir / "trainer_log.jsonl", line.toJson().dump());
}

void RunFiles::write(const char* level, const std::string& message)
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
    (void)appendLine(m_dir / "running_log.txt", std::string("[") + level + "|" + stamp + "] trainer >> " + message);
}

namespace fs = std::filesystem;

Expected<std::optional<fs::path>> prepareOutputDir(const fs::path& outputDir, const std::string& resumeFromCheckpoint,
                                                   bool overwriteOutputDir)
{
    if (auto s = ensureWritableDir(outputDir); !s) {
        return tl::unexpected(s.error());
    }
    if (!resumeFromCheckpoint.empty() && resumeFromCheckpoint != "true" && resumeFromCheckpoint != "last" &&
        resumeFromCheckpoint != "latest" && resumeFromCheckpoint != "True") {
        if (!fs::is_directory(resumeFromCheckpoint)) {
            return makeError(ErrorCode::FileNotFound, "resume_from_checkpoint " + resumeFromCheckpoint + " does not exist",
                             "choose a checkpoint-N folder of this run");
        }
        return std::optional<fs::path>(fs::path(resumeFromCheckpoint));
    }
    if (overwriteOutputDir) {
        return std::optional<fs::path>();
    }
    auto last = latestCheckpoint(outputDir);
    if (!last && (fs::exists(outputDir / "adapter_model.safetensors") || fs::exists(outputDir / "model.safetensors"))) {
        return makeError(ErrorCode::InvalidConfig,
                         "Output directory already exists and is not empty: " + outputDir.string(),
                         "choose a new output folder, or set overwrite_output_dir: true");
    }
    if (!last && !resumeFromCheckpoint.empty()) {
        return makeError(ErrorCode::FileNotFound, "no checkpoint-N folder in " + outputDir.string() + " to resume from",
                         "remove resume_from_checkpoint to start a new run");
    }
    return last;
}

} // namespace td::train
