// SPDX-License-Identifier: Apache-2.0
// `tunedesk-cli bench <name> [options]`: machine-readable micro-benchmarks, one JSON object per run.
// Sub-benchmarks are rows of kBenches (add one: a function + a row). `bench tokenize --model DIR [--file F]
// [--mb 1]` encodes about MB megabytes of text (F repeated, or a built-in multilingual sample) and reports
// bytes/s, tokens/s and the peak RSS (VmHWM).
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "core/tokenizer/tokenizer.h"

namespace td::cli
{

int benchGenerate(int argc, char** argv); // bench_generate.cpp
int benchTrain(int argc, char** argv);    // bench_train.cpp

namespace
{

/// Peak resident set size of this process in KiB (Linux /proc/self/status VmHWM), -1 when unknown.
long peakRssKib()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::strtol(line.c_str() + 6, nullptr, 10);
        }
    }
    return -1;
}

// English, Russian, Chinese, Japanese, Korean, Arabic, Greek, code and numbers: a multilingual mix.
const char* const kSample =
    "Low-rank adaptation (LoRA) freezes the pre-trained weights and injects trainable rank decomposition "
    "matrices into each layer of the Transformer architecture.\n"
    "Обучение языковых моделей на рабочей станции требует аккуратной работы с памятью и данными.\n"
    "我们在本地工作站上微调大语言模型，并记录每一步的损失和学习率。\n"
    "日本語のテキストも大丈夫ですか？トークナイザーは正確でなければなりません。\n"
    "한국어 문장도 토큰화합니다. 학습 데이터는 깨끗해야 합니다.\n"
    "مرحبا بالعالم، هذا نص عربي لاختبار المقسم.\n"
    "Ελληνικά κείμενα και αριθμοί 3.14159, 2024-11-22.\n"
    "def train(model, data):\n    for x in data:\n        loss = model(x)\n        loss.backward()\n";

int benchTokenize(int argc, char** argv)
{
    auto args = parseArgs(argc, argv, 2, {"model", "file", "mb"}, {"help"});
    if (!args) {
        return reportError(args.error());
    }
    if (args->has("help") || !args->has("model")) {
        std::puts("usage: tunedesk-cli bench tokenize --model DIR [--file F] [--mb 1]");
        return args->has("help") ? 0 : 2;
    }
    std::string unit = kSample;
    if (auto f = args->get("file")) {
        std::ifstream in(*f, std::ios::binary);
        if (!in) {
            return reportError(Error{ErrorCode::FileNotFound, "cannot read " + *f, {}});
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        unit = ss.str();
    }
    const double mb = std::atof(args->getOr("mb", "1").c_str());
    if (unit.empty() || mb <= 0) {
        return reportError(Error{ErrorCode::InvalidArgument, "--mb must be positive and the text non-empty", {}});
    }
    std::string text;
    const auto target = static_cast<std::size_t>(mb * 1024 * 1024);
    while (text.size() < target) {
        text += unit;
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto tok = tok::loadTokenizer(*args->get("model"));
    if (!tok) {
        return reportError(tok.error());
    }
    const auto t1 = std::chrono::steady_clock::now();
    const std::clock_t c1 = std::clock();
    auto ids = (*tok)->encode(text, false);
    const std::clock_t c2 = std::clock();
    if (!ids) {
        return reportError(ids.error());
    }
    const auto t2 = std::chrono::steady_clock::now();
    const double loadS = std::chrono::duration<double>(t1 - t0).count();
    const double encodeS = std::chrono::duration<double>(t2 - t1).count();
    nlohmann::json j;
    j["bench"] = "tokenize";
    j["model"] = *args->get("model");
    j["tokenizer"] = (*tok)->describe();
    j["bytes"] = text.size();
    j["tokens"] = ids->size();
    j["load_s"] = loadS;
    j["encode_s"] = encodeS;
    j["bytes_per_s"] = static_cast<double>(text.size()) / encodeS;
    j["mb_per_s"] = static_cast<double>(text.size()) / encodeS / (1024.0 * 1024.0);
    j["tokens_per_s"] = static_cast<double>(ids->size()) / encodeS;
    // CPU time of the process during encode: stable when other jobs share the cores (wall time is not).
    const double cpuS = static_cast<double>(c2 - c1) / CLOCKS_PER_SEC;
    j["encode_cpu_s"] = cpuS;
    j["cpu_mb_per_s"] = cpuS > 0 ? static_cast<double>(text.size()) / cpuS / (1024.0 * 1024.0) : 0.0;
    j["peak_rss_kib"] = peakRssKib();
    std::puts(j.dump().c_str());
    return 0;
}

struct Bench
{
    const char* name;
    const char* summary;
    int (*run)(int argc, char** argv); ///< argv[0] = "bench", argv[1] = the name
};

// One row per sub-benchmark.
const Bench kBenches[] = {
    {"tokenize", "encode ~1 MB of multilingual text: bytes/s, tokens/s, peak RSS", &benchTokenize},
    {"generate", "prefill/decode tok/s, time to first token, peak RSS of a model", &benchGenerate},
    {"train", "training tokens/s, step time and peak RSS (LoRA r=8, batch 4 x 256 by default)", &benchTrain},
};

} // namespace

int cmdBench(int argc, char** argv)
{
    if (argc >= 2) {
        for (const auto& b : kBenches) {
            if (std::strcmp(argv[1], b.name) == 0) {
                return b.run(argc, argv);
            }
        }
    }
    std::puts("usage: tunedesk-cli bench <name> [options]   (prints one JSON object)\n\nbenchmarks:");
    for (const auto& b : kBenches) {
        std::printf("  %-12s %s\n", b.name, b.summary);
    }
    return argc >= 2 && std::strcmp(argv[1], "--help") == 0 ? 0 : 2;
}

} // namespace td::cli
