// SPDX-License-Identifier: Apache-2.0
#include "core/train/run_files.h"

#include <cmath>
#include <ctime>

#include <nlohmann/json.hpp>

#include "core/common/file_util.h"

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
    j["epoch"] = roundTo(epoch, 2);
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

} // namespace td::train
