// SPDX-License-Identifier: Apache-2.0
// `tunedesk-cli preview --dataset_dir D --dataset NAME [--template T] [--model DIR] [--rows N] [--stage S]
//  [--cutoff_len N] [--train_on_prompt] [--mask_history] [--no_stats] [--json]`: what the GUI's dataset preview
// shows — raw rows, aligned records, the rendered text with trained spans marked (chosen and rejected for
// preference data with --stage rm/dpo), token counts, statistics.
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "core/data/preview.h"

namespace td::cli
{
namespace
{

nlohmann::json messagesJson(const std::vector<data::Message>& ms)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : ms) {
        out.push_back({{"role", chat::roleName(m.role)}, {"content", m.content}});
    }
    return out;
}

nlohmann::json spansJson(const std::vector<data::TextSpan>& spans)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : spans) {
        out.push_back({{"text", s.text}, {"trained", s.trained}});
    }
    return out;
}

void printSpans(const std::vector<data::TextSpan>& spans)
{
    for (const auto& s : spans) {
        std::printf(s.trained ? "[[%s]]" : "%s", s.text.c_str());
    }
}

nlohmann::json toJson(const data::Preview& p)
{
    nlohmann::json j;
    j["dataset"] = p.dataset;
    j["formatting"] = p.formatting;
    j["template"] = p.templateName;
    j["rows"] = nlohmann::json::array();
    for (const auto& r : p.rows) {
        nlohmann::json row;
        row["source"] = r.source.describe();
        row["raw"] = nlohmann::json::parse(r.rawJson, nullptr, false);
        row["prompt"] = messagesJson(r.record.prompt);
        row["response"] = messagesJson(r.record.response);
        row["system"] = r.record.system;
        row["tools"] = r.record.tools;
        row["tokens"] = r.tokens;
        row["trained_tokens"] = r.trainedTokens;
        row["truncated"] = r.truncated;
        row["problem"] = r.problem;
        row["rendered"] = spansJson(r.rendered);
        if (!r.rejected.empty()) { // preference data: "rendered"/"tokens" are the chosen sequence
            row["rejected"] = {{"rendered", spansJson(r.rejected)},
                               {"tokens", r.rejectedTokens},
                               {"trained_tokens", r.rejectedTrainedTokens}};
        }
        j["rows"].push_back(row);
    }
    if (p.stats) {
        const auto& s = *p.stats;
        nlohmann::json dropped = nlohmann::json::array();
        for (const auto& d : s.dropped) {
            dropped.push_back({{"source", d.source.describe()}, {"reason", d.reason}});
        }
        j["stats"] = {{"rows", s.rows},
                      {"examples", s.examples},
                      {"truncated", s.truncated},
                      {"total_tokens", s.totalTokens},
                      {"min_tokens", s.minTokens},
                      {"max_tokens", s.maxTokens},
                      {"mean_tokens", s.meanTokens},
                      {"histogram_edges", s.histogramEdges},
                      {"histogram_counts", s.histogramCounts},
                      {"dropped", dropped}};
    }
    return j;
}

void printText(const data::Preview& p)
{
    std::printf("dataset %s (formatting %s)%s%s\n", p.dataset.c_str(), p.formatting.c_str(),
                p.templateName.empty() ? "" : ", template ", p.templateName.c_str());
    for (const auto& r : p.rows) {
        std::printf("\n=== %s ===\nraw: %s\n", r.source.describe().c_str(), r.rawJson.c_str());
        if (!r.record.system.empty()) {
            std::printf("system: %s\n", r.record.system.c_str());
        }
        for (const auto& m : r.record.prompt) {
            std::printf("[%s] %s\n", chat::roleName(m.role), m.content.c_str());
        }
        for (const auto& m : r.record.response) {
            std::printf("[response/%s] %s\n", chat::roleName(m.role), m.content.c_str());
        }
        if (!r.problem.empty()) {
            std::printf("dropped: %s\n", r.problem.c_str());
            continue;
        }
        if (!r.rendered.empty() && !r.rejected.empty()) {
            std::printf("rendered chosen (trained text in [[ ]]):\n");
            printSpans(r.rendered);
            std::printf("\nrendered rejected (trained text in [[ ]]):\n");
            printSpans(r.rejected);
            std::printf("\ntokens: chosen %lld (trained %lld), rejected %lld (trained %lld)%s\n",
                        static_cast<long long>(r.tokens), static_cast<long long>(r.trainedTokens),
                        static_cast<long long>(r.rejectedTokens), static_cast<long long>(r.rejectedTrainedTokens),
                        r.truncated ? ", truncated" : "");
        } else if (!r.rendered.empty()) {
            std::printf("rendered (trained text in [[ ]]):\n");
            printSpans(r.rendered);
            std::printf("\ntokens: %lld (trained %lld)%s\n", static_cast<long long>(r.tokens),
                        static_cast<long long>(r.trainedTokens), r.truncated ? ", truncated" : "");
        }
    }
    if (p.stats) {
        const auto& s = *p.stats;
        std::printf("\nstatistics: %lld rows, %lld examples, %lld truncated, %zu dropped\n",
                    static_cast<long long>(s.rows), static_cast<long long>(s.examples),
                    static_cast<long long>(s.truncated), s.dropped.size());
        std::printf("tokens: total %lld, min %lld, mean %.1f, max %lld\nhistogram:\n",
                    static_cast<long long>(s.totalTokens), static_cast<long long>(s.minTokens), s.meanTokens,
                    static_cast<long long>(s.maxTokens));
        for (std::size_t i = 0; i < s.histogramCounts.size(); ++i) {
            std::printf("  [%5lld, %5lld) %lld\n", static_cast<long long>(s.histogramEdges[i]),
                        static_cast<long long>(s.histogramEdges[i + 1]), static_cast<long long>(s.histogramCounts[i]));
        }
        for (std::size_t i = 0; i < s.dropped.size() && i < 20; ++i) {
            std::printf("dropped %s\n", s.dropped[i].reason.c_str());
        }
    }
}

} // namespace

int cmdPreview(int argc, char** argv)
{
    auto args = parseArgs(argc, argv, 1, {"dataset_dir", "dataset", "template", "model", "rows", "stage", "cutoff_len"},
                          {"train_on_prompt", "mask_history", "no_stats", "json", "help"});
    if (!args) {
        return reportError(args.error());
    }
    if (args->has("help") || !args->has("dataset")) {
        std::puts("usage: tunedesk-cli preview --dataset_dir D --dataset NAME [--template T] [--model DIR]\n"
                  "                            [--rows N] [--stage sft|pt|rm|dpo|kto|predict] [--cutoff_len N]\n"
                  "                            [--train_on_prompt] [--mask_history] [--no_stats] [--json]\n"
                  "Shows the first rows of a dataset as read, aligned and rendered with the chat template\n"
                  "(trained text in [[ ]]), with token counts and whole-dataset statistics.\n"
                  "Without --model there is no rendering and no statistics.");
        return args->has("help") ? 0 : 2;
    }
    data::PreviewOptions o;
    o.datasetDir = args->getOr("dataset_dir", "data");
    o.dataset = *args->get("dataset");
    o.templateName = args->getOr("template", "");
    o.modelDir = args->getOr("model", "");
    o.statistics = !args->has("no_stats");
    o.preprocess.trainOnPrompt = args->has("train_on_prompt");
    o.preprocess.maskHistory = args->has("mask_history");
    try {
        o.rows = static_cast<std::size_t>(std::stoul(args->getOr("rows", "5")));
        o.preprocess.cutoffLen = std::stoll(args->getOr("cutoff_len", "2048"));
    } catch (...) {
        return reportError(Error{ErrorCode::InvalidArgument, "--rows and --cutoff_len take numbers", ""});
    }
    auto stage = data::parseStage(args->getOr("stage", "sft"));
    if (!stage) {
        return reportError(stage.error());
    }
    o.stage = *stage;
    auto p = data::previewDataset(o);
    if (!p) {
        return reportError(p.error());
    }
    if (args->has("json")) {
        std::puts(toJson(*p).dump(1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else {
        printText(*p);
    }
    return 0;
}

} // namespace td::cli
