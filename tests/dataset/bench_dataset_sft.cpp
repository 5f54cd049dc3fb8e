// SPDX-License-Identifier: Apache-2.0
// Benchmark (label "bench", not part of the unit suite): generates a 50k-row alpaca JSON-lines file, then times
// loading + aligning and sft preprocessing with the tiny tokenizer and the chatml template; prints one JSON line
// {"rows":..., "load_rows_per_s":..., "sft_rows_per_s":..., "sft_tokens_per_s":..., "workers":...}.
// TD_BENCH_ROWS overrides the row count.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "core/data/dataset_loader.h"
#include "core/data/preprocess.h"
#include "test_paths.h"

using namespace td;
using namespace td::data;

TEST(BenchDataset, Sft50k)
{
    const int rows = std::getenv("TD_BENCH_ROWS") ? std::atoi(std::getenv("TD_BENCH_ROWS")) : 50000;
    const auto dir = std::filesystem::path(TD_TEST_BINARY_DIR) / "test-data" / "bench";
    std::filesystem::create_directories(dir);
    {
        std::ofstream out(dir / "alpaca_50k.jsonl");
        const char* topics[] = {"the weather", "a recipe", "a short poem", "the history of tea", "a travel plan"};
        for (int i = 0; i < rows; ++i) {
            out << R"({"instruction": "Write a few sentences about )" << topics[i % 5] << " number " << i
                << R"(.", "input": ")" << (i % 4 == 0 ? "Keep it short." : "")
                << R"(", "output": "Here is a short text about )" << topics[i % 5]
                << R"(. It has a beginning, a middle and an end, and it is written in plain English for item )" << i
                << ".\"}\n";
        }
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto ds = loadDataset({}, attrForFile(dir / "alpaca_50k.jsonl"));
    ASSERT_TRUE(ds) << ds.error().toString();
    const auto t1 = std::chrono::steady_clock::now();
    auto tokenizer = tok::loadTokenizer(tinyTokenizerDir());
    ASSERT_TRUE(tokenizer);
    auto tmpl = chat::findTemplate("chatml");
    ASSERT_TRUE(tmpl);
    PreprocessOptions o;
    o.cutoffLen = 1024;
    o.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const auto t2 = std::chrono::steady_clock::now();
    auto res = preprocess(ds->records, Stage::Sft, *tmpl, **tokenizer, o);
    const auto t3 = std::chrono::steady_clock::now();
    ASSERT_TRUE(res) << res.error().toString();
    int64_t tokens = 0;
    for (const auto& ex : res->examples) {
        tokens += static_cast<int64_t>(ex.inputIds.size());
    }
    const double load = std::chrono::duration<double>(t1 - t0).count();
    const double sft = std::chrono::duration<double>(t3 - t2).count();
    std::printf("{\"bench\":\"dataset_sft\",\"rows\":%d,\"load_s\":%.3f,\"load_rows_per_s\":%.0f,\"sft_s\":%.3f,"
                "\"sft_rows_per_s\":%.0f,\"sft_tokens_per_s\":%.0f,\"tokens\":%lld,\"workers\":%d}\n",
                rows, load, rows / load, sft, rows / sft, static_cast<double>(tokens) / sft,
                static_cast<long long>(tokens), o.workers);
    EXPECT_EQ(res->examples.size(), static_cast<std::size_t>(rows));
}
