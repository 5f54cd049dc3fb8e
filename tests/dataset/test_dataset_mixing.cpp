// SPDX-License-Identifier: Apache-2.0
// Merging (concat, interleave_under/over/once with probabilities and seed), val_size splits, shuffling, and
// streaming a generated JSON-lines file row by row giving the same records as loading it whole.
#include <gtest/gtest.h>

#include <fstream>

#include "core/data/data_pipeline.h"
#include "core/data/dataset_loader.h"
#include "core/data/sampling.h"
#include "core/data/token_cache.h"
#include "test_paths.h"

using namespace td;
using namespace td::data;

namespace
{

std::vector<Record> rows(const std::string& tag, int n)
{
    std::vector<Record> out;
    for (int i = 0; i < n; ++i) {
        Record r;
        r.prompt.push_back({Role::User, tag + std::to_string(i)});
        out.push_back(r);
    }
    return out;
}

std::vector<std::string> texts(const std::vector<Record>& rs)
{
    std::vector<std::string> out;
    for (const auto& r : rs) {
        out.push_back(r.prompt[0].content);
    }
    return out;
}

} // namespace

TEST(DatasetMixing, Concat)
{
    auto m = mergeRecords({rows("a", 2), rows("b", 3)}, MixStrategy::Concat);
    ASSERT_TRUE(m);
    EXPECT_EQ(texts(*m), (std::vector<std::string>{"a0", "a1", "b0", "b1", "b2"}));
}

TEST(DatasetMixing, InterleaveRoundRobin)
{
    auto under = mergeRecords({rows("a", 2), rows("b", 3)}, MixStrategy::InterleaveUnder);
    ASSERT_TRUE(under);
    EXPECT_EQ(texts(*under), (std::vector<std::string>{"a0", "b0", "a1", "b1"})); // whole cycles until "a" runs out
    auto over = mergeRecords({rows("a", 2), rows("b", 3)}, MixStrategy::InterleaveOver);
    ASSERT_TRUE(over);
    EXPECT_EQ(texts(*over), (std::vector<std::string>{"a0", "b0", "a1", "b1", "a0", "b2"})); // "a" restarts
    auto once = mergeRecords({rows("a", 2), rows("b", 3)}, MixStrategy::InterleaveOnce);
    ASSERT_TRUE(once);
    EXPECT_EQ(texts(*once), (std::vector<std::string>{"a0", "b0", "a1", "b1", "b2"}));
}

TEST(DatasetMixing, InterleaveWithProbabilitiesIsSeeded)
{
    auto a = mergeRecords({rows("a", 100), rows("b", 100)}, MixStrategy::InterleaveOver, {0.8, 0.2}, 7);
    auto b = mergeRecords({rows("a", 100), rows("b", 100)}, MixStrategy::InterleaveOver, {0.8, 0.2}, 7);
    auto c = mergeRecords({rows("a", 100), rows("b", 100)}, MixStrategy::InterleaveOver, {0.8, 0.2}, 8);
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(texts(*a), texts(*b));
    EXPECT_NE(texts(*a), texts(*c));
    // interleave_over ends when "b" (the rarer one) has been used up once: ~500 rows, ~80% from "a".
    std::size_t fromA = 0;
    for (const auto& t : texts(*a)) {
        fromA += t[0] == 'a';
    }
    EXPECT_EQ(texts(*a).back(), "b99");
    EXPECT_GT(fromA, a->size() * 7 / 10);
    auto under = mergeRecords({rows("a", 100), rows("b", 100)}, MixStrategy::InterleaveUnder, {0.8, 0.2}, 7);
    ASSERT_TRUE(under);
    EXPECT_EQ(texts(*under).back(), "a99"); // stops when "a" runs out first
    EXPECT_FALSE(mergeRecords({rows("a", 1), rows("b", 1)}, MixStrategy::InterleaveOver, {0.5}, 1));
    EXPECT_FALSE(mergeRecords({rows("a", 1), rows("b", 1)}, MixStrategy::InterleaveOver, {0.5, 0.6}, 1));
    EXPECT_FALSE(parseMixStrategy("zip"));
}

TEST(DatasetMixing, ValSizeFractionAndCount)
{
    auto s = splitTrainVal(rows("r", 10), 0.25, 42);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->validation.size(), 3u); // ceil(0.25 * 10)
    EXPECT_EQ(s->train.size(), 7u);
    auto again = splitTrainVal(rows("r", 10), 0.25, 42);
    EXPECT_EQ(texts(s->validation), texts(again->validation));
    auto n = splitTrainVal(rows("r", 10), 4, 42);
    ASSERT_TRUE(n);
    EXPECT_EQ(n->validation.size(), 4u);
    std::vector<std::string> all = texts(n->train);
    for (const auto& t : texts(n->validation)) {
        all.push_back(t);
    }
    std::sort(all.begin(), all.end());
    auto expected = texts(rows("r", 10));
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(all, expected);                        // a partition of the rows
    EXPECT_FALSE(splitTrainVal(rows("r", 3), 5, 1)); // no training rows left
}

TEST(DatasetMixing, ShuffleIsSeededPermutation)
{
    auto a = rows("r", 50);
    auto b = rows("r", 50);
    shuffleRecords(a, 3);
    shuffleRecords(b, 3);
    EXPECT_EQ(texts(a), texts(b));
    EXPECT_NE(texts(a), texts(rows("r", 50)));
    auto sorted = texts(a);
    std::sort(sorted.begin(), sorted.end());
    auto orig = texts(rows("r", 50));
    std::sort(orig.begin(), orig.end());
    EXPECT_EQ(sorted, orig);
}

TEST(DatasetMixing, StreamingEqualsLoading)
{
    const auto dir = std::filesystem::path(TD_TEST_BINARY_DIR) / "test-data" / "streaming";
    std::filesystem::create_directories(dir);
    {
        std::ofstream out(dir / "big.jsonl");
        for (int i = 0; i < 20000; ++i) {
            out << R"({"instruction": "Task )" << i << R"(", "input": ")" << (i % 3 ? "" : "ctx")
                << R"(", "output": "Answer )" << i * 7 << "\"}\n";
        }
        std::ofstream info(dir / "dataset_info.json");
        info << R"({"big": {"file_name": "big.jsonl"}})";
    }
    auto loaded = loadDataset(dir, "big");
    ASSERT_TRUE(loaded) << loaded.error().toString();
    auto attr = findDatasetAttr(dir, "big");
    ASSERT_TRUE(attr);
    auto stream = RecordStream::open(dir, *attr);
    ASSERT_TRUE(stream);
    std::size_t n = 0;
    Record r;
    while (true) {
        auto got = (*stream)->next(r);
        ASSERT_TRUE(got);
        if (!*got) {
            break;
        }
        ASSERT_LT(n, loaded->records.size());
        const auto& l = loaded->records[n];
        ASSERT_EQ(r.prompt[0].content, l.prompt[0].content);
        ASSERT_EQ(r.response[0].content, l.response[0].content);
        ASSERT_EQ(r.source.row, l.source.row);
        ++n;
    }
    EXPECT_EQ(n, 20000u);
    EXPECT_EQ(loaded->records[3].prompt[0].content, "Task 3\nctx");

    // Streaming shuffle: a seeded permutation of the same rows, local to the buffer.
    auto reopened = RecordStream::open(dir, *attr);
    ASSERT_TRUE(reopened);
    ShuffledRecordStream shuffled(std::move(*reopened), 100, 5);
    std::vector<int64_t> order;
    while (true) {
        auto got = shuffled.next(r);
        ASSERT_TRUE(got);
        if (!*got) {
            break;
        }
        order.push_back(r.source.row);
    }
    ASSERT_EQ(order.size(), 20000u);
    EXPECT_LT(order[0], 101); // the first record comes from the first buffer
    int moved = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        moved += order[i] != static_cast<int64_t>(i) + 1;
    }
    EXPECT_GT(moved, 19000);
    std::sort(order.begin(), order.end());
    for (std::size_t i = 0; i < order.size(); ++i) {
        ASSERT_EQ(order[i], static_cast<int64_t>(i) + 1);
    }
}

TEST(DataPipeline, MergePreprocessSplit)
{
    auto tokenizer = tok::loadTokenizer(tinyTokenizerDir());
    ASSERT_TRUE(tokenizer);
    auto tmpl = chat::findTemplate("chatml");
    ASSERT_TRUE(tmpl);
    DataArgs args;
    args.datasetDir = datasetsDir();
    args.dataset = "alpaca_small, alpaca_jsonl";
    args.valSize = 0.2;
    auto data = prepareData(args, Stage::Sft, *tmpl, **tokenizer);
    ASSERT_TRUE(data) << data.error().toString();
    EXPECT_EQ(data->rowsLoaded, 10);
    EXPECT_EQ(data->train.examples.size(), 8u);
    ASSERT_TRUE(data->eval);
    EXPECT_EQ(data->eval->examples.size(), 2u);

    args.valSize = 0;
    args.maxSamples = 2;
    args.mixStrategy = "interleave_under";
    args.evalDataset = "alpaca_mapped";
    data = prepareData(args, Stage::Sft, *tmpl, **tokenizer);
    ASSERT_TRUE(data) << data.error().toString();
    EXPECT_EQ(data->rowsLoaded, 4); // 2 + 2 rows, round-robin
    ASSERT_TRUE(data->eval);
    EXPECT_EQ(data->eval->examples.size(), 2u);

    args.valSize = 0.1; // with eval_dataset: refused
    EXPECT_FALSE(prepareData(args, Stage::Sft, *tmpl, **tokenizer));
    args.valSize = 0;
    args.evalDataset.clear();
    auto none = prepareData(args, Stage::Pairwise, *tmpl, **tokenizer); // not preference data
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, ErrorCode::BadDataset);
}

TEST(DataPipeline, CacheKeyedByContent)
{
    const auto dir = std::filesystem::path(TD_TEST_BINARY_DIR) / "test-data" / "cache";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "data");
    std::filesystem::copy_file(datasetsDir() / "alpaca_small.json", dir / "data" / "a.json");
    {
        std::ofstream info(dir / "data" / "dataset_info.json");
        info << R"({"a": {"file_name": "a.json"}})";
    }
    auto tokenizer = tok::loadTokenizer(tinyTokenizerDir());
    ASSERT_TRUE(tokenizer);
    auto tmpl = chat::findTemplate("chatml");
    ASSERT_TRUE(tmpl);
    DataArgs args;
    args.datasetDir = dir / "data";
    args.dataset = "a";
    args.valSize = 1;
    const auto key = trainDataCacheKey(args, Stage::Sft, *tmpl, tinyTokenizerDir());
    ASSERT_EQ(key.size(), 16u);
    auto first = prepareDataCached(args, Stage::Sft, *tmpl, **tokenizer, tinyTokenizerDir(), dir / "cache");
    ASSERT_TRUE(first) << first.error().toString();
    EXPECT_TRUE(std::filesystem::exists(dir / "cache" / (key + ".tdcache")));
    auto cached = loadCachedTrainData(dir / "cache", key);
    ASSERT_TRUE(cached);
    ASSERT_EQ(cached->train.examples.size(), first->train.examples.size());
    for (std::size_t i = 0; i < cached->train.examples.size(); ++i) {
        EXPECT_EQ(cached->train.examples[i].inputIds, first->train.examples[i].inputIds);
        EXPECT_EQ(cached->train.examples[i].labels, first->train.examples[i].labels);
    }
    ASSERT_TRUE(cached->eval);
    EXPECT_EQ(cached->eval->examples.size(), 1u);

    args.preprocess.cutoffLen = 100; // any argument changes the key
    EXPECT_NE(trainDataCacheKey(args, Stage::Sft, *tmpl, tinyTokenizerDir()), key);
    args.preprocess.cutoffLen = 2048;
    {
        std::ofstream more(dir / "data" / "a.json", std::ios::trunc); // so does the data
        more << R"([{"instruction": "x", "output": "y"}, {"instruction": "z", "output": "w"}])";
    }
    EXPECT_NE(trainDataCacheKey(args, Stage::Sft, *tmpl, tinyTokenizerDir()), key);
}
