// SPDX-License-Identifier: Apache-2.0
#include "core/eval/predict_output.h"

#include <cmath>

#include "core/common/file_util.h"

namespace td::eval::detail
{

namespace
{

double roundTo(double v, int digits)
{
    const double f = std::pow(10.0, digits);
    return std::round(v * f) / f;
}

std::string dumpLine(const nlohmann::ordered_json& j)
{
    // Python's json.dumps separators are ", " and ": ", nlohmann's compact dump has none: the lines are equal
    // as JSON, which is what readers compare. `replace` keeps a line writable when a prediction ends inside a
    // multi-byte character (a token budget can cut one).
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

std::string predictionLine(const std::string& prompt, const std::string& predict, const std::string& label)
{
    nlohmann::ordered_json j;
    j["prompt"] = prompt;
    j["predict"] = predict;
    j["label"] = label;
    return dumpLine(j);
}

std::string scoresLine(const SampleScores& s)
{
    nlohmann::ordered_json j;
    j["bleu-4"] = s.bleu4;
    j["rouge-1"] = s.rouge1;
    j["rouge-2"] = s.rouge2;
    j["rouge-l"] = s.rougeL;
    return dumpLine(j);
}

train::LogLine progressLogLine(std::int64_t current, std::int64_t total, double elapsedSeconds)
{
    train::LogLine line;
    line.currentSteps = current;
    line.totalSteps = total;
    line.elapsedSeconds = elapsedSeconds;
    // LogCallback._timing: the average time per step so far times the steps left.
    const double perStep = current > 0 ? elapsedSeconds / static_cast<double>(current) : 0.0;
    line.remainingSeconds = perStep * static_cast<double>(total - current);
    return line;
}

nlohmann::ordered_json progressLine(std::int64_t current, std::int64_t total, double elapsedSeconds)
{
    // LogLine::toJson sorts its keys (nlohmann::json); the file keeps LLaMA-Factory's order, values equal.
    const nlohmann::json flat = progressLogLine(current, total, elapsedSeconds).toJson();
    nlohmann::ordered_json j;
    for (const char* key : {"current_steps", "total_steps", "percentage", "elapsed_time", "remaining_time"}) {
        j[key] = flat.at(key);
    }
    return j;
}

nlohmann::json phaseMetrics(const std::string& prefix, const SampleScores& mean, double runtimeSeconds,
                            std::int64_t samples, std::int64_t steps)
{
    nlohmann::json m = nlohmann::json::object();
    m[prefix + "_bleu-4"] = mean.bleu4;
    m[prefix + "_rouge-1"] = mean.rouge1;
    m[prefix + "_rouge-2"] = mean.rouge2;
    m[prefix + "_rouge-l"] = mean.rougeL;
    // transformers.trainer_utils.speed_metrics: the rates are computed from the unrounded runtime.
    const double runtime = std::max(runtimeSeconds, 1e-9);
    m[prefix + "_runtime"] = roundTo(runtimeSeconds, 4);
    m[prefix + "_samples_per_second"] = roundTo(static_cast<double>(samples) / runtime, 3);
    m[prefix + "_steps_per_second"] = roundTo(static_cast<double>(steps) / runtime, 3);
    return m;
}

Expected<nlohmann::json> saveMetrics(const std::filesystem::path& dir, const std::string& split,
                                     const nlohmann::json& metrics)
{
    // nlohmann::json keeps object keys sorted, which is json.dump(sort_keys=True).
    if (auto s = writeFileAtomic(dir / (split + "_results.json"), metrics.dump(4) + "\n"); !s) {
        return tl::unexpected(s.error());
    }
    nlohmann::json all = nlohmann::json::object();
    if (auto text = readFile(dir / "all_results.json")) {
        auto old = nlohmann::json::parse(*text, nullptr, false);
        if (old.is_object()) {
            all = std::move(old); // the results of earlier phases in this folder (train, eval) stay
        }
    }
    all.update(metrics);
    if (auto s = writeFileAtomic(dir / "all_results.json", all.dump(4) + "\n"); !s) {
        return tl::unexpected(s.error());
    }
    return all;
}

} // namespace td::eval::detail
