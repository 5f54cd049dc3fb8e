// SPDX-License-Identifier: Apache-2.0
// `tunedesk-cli train CONFIG.yaml [key=value ...]`: LLaMA-Factory's `llamafactory-cli train` with the same
// YAML keys. Pairs after the file override keys of the file (`max_steps=10` as LLaMA-Factory writes them, or
// `--max_steps 10`).
// Progress lines go to stderr, trainer_log.jsonl lines to stdout (one JSON object per line, so scripts can
// follow a run); Ctrl-C stops after the current step with a checkpoint and the weights saved. An eval-only
// config (do_predict / do_eval, predict_with_generate) generates and scores instead, then prints all_results.json.
#include <csignal>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "core/common/file_util.h"
#include "core/common/yaml_json.h"
#include "core/train/run_files.h"
#include "core/train/trainer.h"

namespace td::cli
{

namespace
{

CancelToken* g_cancel = nullptr;

void onInterrupt(int)
{
    if (g_cancel != nullptr) {
        g_cancel->cancel(); // atomic store: safe in a signal handler
    }
}

} // namespace

int cmdTrain(int argc, char** argv)
{
    if (argc < 2 || std::string(argv[1]) == "--help") {
        std::puts("usage: tunedesk-cli train CONFIG.yaml [key=value | --key value ...]\n"
                  "Trains with LLaMA-Factory's argument names (stage, model_name_or_path, dataset, finetuning_type,\n"
                  "lora_rank, learning_rate, num_train_epochs, output_dir, ...). Later key=value (LLaMA-Factory's form)\n"
                  "or --key value pairs override the file. Prints trainer_log.jsonl lines on stdout; Ctrl-C stops with a checkpoint.\n"
                  "do_predict: true or do_eval: true (without do_train) with predict_with_generate: true generates answers\n"
                  "for eval_dataset, scores them (BLEU-4, ROUGE) and prints all_results.json.");
        return argc < 2 ? 2 : 0;
    }
    auto mapping = readYamlMapping(argv[1]);
    if (!mapping) {
        return reportError(mapping.error());
    }
    // Overrides: LLaMA-Factory's `key=value` (OmegaConf dotlist, as `llamafactory-cli train x.yaml lr=1e-5`)
    // or `--key value`.
    for (int i = 2; i < argc; ++i) {
        std::string key = argv[i];
        std::string text;
        if (key.rfind("--", 0) == 0 && key.find('=') == std::string::npos && i + 1 < argc) {
            key = key.substr(2);
            text = argv[++i];
        } else if (const auto eq = key.find('='); eq != std::string::npos && eq > 0) {
            text = key.substr(eq + 1);
            key = key.substr(key.rfind("--", 0) == 0 ? 2 : 0, eq - (key.rfind("--", 0) == 0 ? 2 : 0));
        } else {
            return reportError(Error{ErrorCode::InvalidArgument, "expected key=value or --key value after the file, got " + key,
                                     "e.g. tunedesk-cli train config.yaml max_steps=10"});
        }
        auto value = parseYaml(text);
        (*mapping)[key] = value ? *value : nlohmann::json(text);
    }
    CancelToken cancel;
    g_cancel = &cancel;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    // do_predict / do_eval without do_train runs generation + BLEU/ROUGE (core/eval/predict.h): its log lines
    // carry no epoch (LogLine leaves it out), and the metrics are printed at the end.
    const auto parsed = train::parseTrainArgs(*mapping);
    const bool evalOnly = parsed && parsed->evalOnly();
    train::TrainHooks hooks;
    hooks.message = [](const std::string& m) { std::fprintf(stderr, "%s\n", m.c_str()); };
    hooks.log = [](const train::LogLine& line) {
        std::printf("%s\n", line.toJson().dump().c_str());
        std::fflush(stdout);
    };
    auto result = train::runTraining(*mapping, hooks, &cancel);
    g_cancel = nullptr;
    if (!result) {
        return reportError(result.error());
    }
    if (evalOnly) {
        // LlamaBoard's Evaluate tab shows all_results.json at the end; so does the CLI (stdout, one object).
        auto text = readFile(result->outputDir / "all_results.json");
        const auto all = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
        std::printf("%s\n", all.is_discarded() ? "{}" : all.dump().c_str());
        std::fprintf(stderr, "%s after %lld/%lld batches; results in %s\n", result->cancelled ? "stopped" : "finished",
                     static_cast<long long>(result->globalStep), static_cast<long long>(result->maxSteps),
                     result->outputDir.string().c_str());
        return 0;
    }
    std::fprintf(stderr, "%s at step %lld/%lld; weights in %s\n", result->cancelled ? "stopped" : "finished",
                 static_cast<long long>(result->globalStep), static_cast<long long>(result->maxSteps),
                 result->outputDir.string().c_str());
    return 0;
}

} // namespace td::cli
