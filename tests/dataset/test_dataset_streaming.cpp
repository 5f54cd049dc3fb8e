// SPDX-License-Identifier: Apache-2.0
// Streaming mode (streaming: true): lazy tokenization over a RecordStream gives exactly the examples of the
// loading path for the same rows; buffer_size shuffle; val_size = the first N examples of the stream; the
// streaming-only argument rules (integer val_size, no max_samples, concat only).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "core/data/data_pipeline.h"
#include "test_paths.h"

using namespace td;
using namespace td::data;

namespace
{

std::filesystem::path writeData()
{
    const auto dir = std::filesystem::path(TD_TEST_BINARY_DIR) / "test-data" / "streaming-prepare";
    std::filesystem::create_directories(dir);
    std::ofstream out(dir / "rows.jsonl");
    for (int i = 0; i < 2500; ++i) {
        out << R"({"instruction": "Task )" << i << R"(", "input": ")" << (i % 3 ? "" : "some context")
            << R"(", "output": )" << (i % 97 == 5 ? std::string("null") : "\"Answer " + std::to_string(i * 7) + "\"")
            << R"(, "text": "Document )" << i
            << " with a few words\"}\n";
    }
    std::ofstream kto(dir / "kto.jsonl"); // KTO rows need an answer in every row
    for (int i = 0; i < 2500; ++i) {
        kto << R"({"instruction": "Task )" << i << R"(", "output": "Answer )" << i * 7 << R"(", "label": )"
            << (i % 4 ? "true" : "false") << "}\n";
    }
    std::ofstream info(dir / "dataset_info.json");
    info << R"({"rows": {"file_name": "rows.jsonl"},
                "rows_kto": {"file_name": "kto.jsonl",
                             "columns": {"prompt": "instruction", "response": "output", "kto_tag": "label"}},
                "rows_pt": {"file_name": "rows.jsonl", "columns": {"prompt": "text"}}})";
    return dir;
}

void expectSame(const std::vector<TokenizedExample>& a, const std::vector<TokenizedExample>& b)
{
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        SCOPED_TRACE("example " + std::to_string(i));
        ASSERT_EQ(a[i].inputIds, b[i].inputIds);
        ASSERT_EQ(a[i].labels, b[i].labels);
        ASSERT_EQ(a[i].attentionMask, b[i].attentionMask);
        ASSERT_EQ(a[i].positionIds, b[i].positionIds);
        ASSERT_EQ(a[i].rejectedIds, b[i].rejectedIds);
        ASSERT_EQ(a[i].klIds, b[i].klIds);
        ASSERT_EQ(a[i].klLabels, b[i].klLabels);
        ASSERT_EQ(a[i].ktoTag, b[i].ktoTag);
        ASSERT_EQ(a[i].truncated, b[i].truncated);
        ASSERT_EQ(a[i].fullLength, b[i].fullLength);
        ASSERT_EQ(a[i].sourceIndex, b[i].sourceIndex);
    }
}

std::vector<TokenizedExample> bySource(std::vector<TokenizedExample> v)
{
    std::stable_sort(v.begin(), v.end(),
                     [](const TokenizedExample& x, const TokenizedExample& y) { return x.sourceIndex < y.sourceIndex; });
    return v;
}

struct Fixture : ::testing::Test
{
    void SetUp() override
    {
        dir = writeData();
        auto t = tok::loadTokenizer(tinyTokenizerDir());
        ASSERT_TRUE(t) << t.error().toString();
        tokenizer = *t;
        auto found = chat::findTemplate("chatml");
        ASSERT_TRUE(found);
        tmpl = *found;
    }
    DataArgs args(const std::string& name) const
    {
        DataArgs a;
        a.datasetDir = dir;
        a.dataset = name;
        a.preprocess.cutoffLen = 24; // some rows get truncated
        a.preprocess.batchSize = 300;
        return a;
    }
    std::filesystem::path dir;
    std::shared_ptr<tok::Tokenizer> tokenizer;
    chat::ChatTemplate tmpl;
};

} // namespace

TEST_F(Fixture, StreamingGivesTheSameExamplesAsLoading)
{
    for (auto [name, stage] : {std::pair<std::string, Stage>{"rows", Stage::Sft}, {"rows_kto", Stage::Kto},
                               {"rows_pt", Stage::Pt}, {"rows", Stage::Unsupervised}}) {
        SCOPED_TRACE(name + " " + stageName(stage));
        DataArgs a = args(name);
        a.preprocess.packing = stage == Stage::Pt;
        auto loaded = prepareData(a, stage, tmpl, *tokenizer);
        ASSERT_TRUE(loaded) << loaded.error().toString();
        EXPECT_EQ(loaded->rowsLoaded, 2500);

        a.streaming = true;
        a.bufferSize = 1; // a buffer of one keeps the order
        auto streamed = prepareData(a, stage, tmpl, *tokenizer);
        ASSERT_TRUE(streamed) << streamed.error().toString();
        EXPECT_EQ(streamed->rowsLoaded, 2500);
        expectSame(streamed->train.examples, loaded->train.examples);
        EXPECT_EQ(streamed->train.truncatedCount, loaded->train.truncatedCount);
        ASSERT_EQ(streamed->train.dropped.size(), loaded->train.dropped.size());
        for (std::size_t i = 0; i < loaded->train.dropped.size(); ++i) {
            EXPECT_EQ(streamed->train.dropped[i].source.row, loaded->train.dropped[i].source.row);
            EXPECT_EQ(streamed->train.dropped[i].reason, loaded->train.dropped[i].reason);
        }
        EXPECT_FALSE(streamed->eval);
        if (stage == Stage::Sft) {
            EXPECT_GT(loaded->train.truncatedCount, 0);
            EXPECT_EQ(loaded->train.dropped.size(), 26u); // output null every 97 rows
        }
    }
}

TEST_F(Fixture, LazyStreamHandsOutBatchByBatch)
{
    DataArgs a = args("rows");
    auto stream = ExampleStream::open(a, "rows", Stage::Sft, tmpl, *tokenizer);
    ASSERT_TRUE(stream) << stream.error().toString();
    TokenizedExample ex;
    auto got = (*stream)->next(ex);
    ASSERT_TRUE(got && *got);
    EXPECT_EQ((*stream)->rowsRead(), 300); // one preprocessing batch, not the whole file
    EXPECT_EQ(ex.sourceIndex, 0);
}

TEST_F(Fixture, ShuffleBufferAndFirstNValidation)
{
    DataArgs a = args("rows");
    auto loaded = prepareData(a, Stage::Sft, tmpl, *tokenizer);
    ASSERT_TRUE(loaded);
    const auto& all = loaded->train.examples;

    a.streaming = true;
    a.valSize = 100;
    // buffer 1: the first 100 examples of the file are the evaluation set, the rest is train
    a.bufferSize = 1;
    auto ordered = prepareData(a, Stage::Sft, tmpl, *tokenizer);
    ASSERT_TRUE(ordered) << ordered.error().toString();
    ASSERT_TRUE(ordered->eval);
    expectSame(ordered->eval->examples, std::vector<TokenizedExample>(all.begin(), all.begin() + 100));
    expectSame(ordered->train.examples, std::vector<TokenizedExample>(all.begin() + 100, all.end()));

    // the default buffer shuffles: still the same examples, split 100 / rest, and reproducible with the seed
    a.bufferSize = 16384;
    auto shuffled = prepareData(a, Stage::Sft, tmpl, *tokenizer);
    ASSERT_TRUE(shuffled) << shuffled.error().toString();
    ASSERT_TRUE(shuffled->eval);
    ASSERT_EQ(shuffled->eval->examples.size(), 100u);
    EXPECT_EQ(shuffled->train.examples.size(), all.size() - 100);
    int64_t maxEvalSource = 0;
    for (const auto& ex : shuffled->eval->examples) {
        maxEvalSource = std::max(maxEvalSource, ex.sourceIndex);
    }
    EXPECT_GT(maxEvalSource, 500); // not just the head of the file
    std::vector<TokenizedExample> merged = shuffled->eval->examples;
    merged.insert(merged.end(), shuffled->train.examples.begin(), shuffled->train.examples.end());
    expectSame(bySource(merged), all);
    auto again = prepareData(a, Stage::Sft, tmpl, *tokenizer);
    ASSERT_TRUE(again);
    expectSame(again->eval->examples, shuffled->eval->examples);
    a.seed = 7;
    auto other = prepareData(a, Stage::Sft, tmpl, *tokenizer);
    ASSERT_TRUE(other);
    EXPECT_NE(other->eval->examples.front().sourceIndex * 100000 + other->eval->examples.back().sourceIndex,
              shuffled->eval->examples.front().sourceIndex * 100000 + shuffled->eval->examples.back().sourceIndex);
}

TEST_F(Fixture, StreamingArgumentRules)
{
    DataArgs a = args("rows");
    a.streaming = true;
    a.valSize = 0.1;
    auto frac = prepareData(a, Stage::Sft, tmpl, *tokenizer);
    ASSERT_FALSE(frac);
    EXPECT_NE(frac.error().message.find("val_size must be an integer row count in streaming mode"),
              std::string::npos)
        << frac.error().message;
    EXPECT_NE(frac.error().message.find("0.1"), std::string::npos);
    EXPECT_FALSE(frac.error().hint.empty());
    a.valSize = 2.5;
    EXPECT_FALSE(prepareData(a, Stage::Sft, tmpl, *tokenizer));
    a.valSize = 3000; // more than the stream holds: nothing left to train on
    auto tooMany = prepareData(a, Stage::Sft, tmpl, *tokenizer);
    ASSERT_FALSE(tooMany);
    EXPECT_NE(tooMany.error().message.find("val_size"), std::string::npos) << tooMany.error().message;

    a.valSize = 0;
    a.maxSamples = 10;
    auto max = prepareData(a, Stage::Sft, tmpl, *tokenizer);
    ASSERT_FALSE(max);
    EXPECT_NE(max.error().message.find("max_samples"), std::string::npos);

    a.maxSamples.reset();
    a.dataset = "rows,rows_kto";
    a.mixStrategy = "interleave_under";
    auto mix = prepareData(a, Stage::Sft, tmpl, *tokenizer);
    ASSERT_FALSE(mix);
    EXPECT_NE(mix.error().message.find("streaming"), std::string::npos);
    a.mixStrategy = "concat"; // concatenating streams works: both files' rows
    auto cat = prepareData(a, Stage::Sft, tmpl, *tokenizer);
    ASSERT_TRUE(cat) << cat.error().toString();
    EXPECT_EQ(cat->rowsLoaded, 5000);

    // without streaming a fraction is fine
    a.dataset = "rows";
    a.streaming = false;
    a.valSize = 0.1;
    auto split = prepareData(a, Stage::Sft, tmpl, *tokenizer);
    ASSERT_TRUE(split) << split.error().toString();
    EXPECT_TRUE(split->eval);
}
