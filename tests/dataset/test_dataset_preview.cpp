// SPDX-License-Identifier: Apache-2.0
// The preview API (first rows raw/aligned/rendered with trained spans, token counts, statistics) and the
// bundled demo datasets under resources/demo/data.
#include <gtest/gtest.h>

#include "core/data/dataset_loader.h"
#include "core/data/preview.h"
#include "test_paths.h"

using namespace td;
using namespace td::data;

TEST(DatasetPreview, RowsSpansAndStats)
{
    PreviewOptions o;
    o.datasetDir = datasetsDir();
    o.dataset = "alpaca_small";
    o.templateName = "chatml";
    o.modelDir = tinyTokenizerDir();
    o.rows = 2;
    auto p = previewDataset(o);
    ASSERT_TRUE(p) << p.error().toString();
    EXPECT_EQ(p->formatting, "alpaca");
    ASSERT_EQ(p->rows.size(), 2u);
    const auto& r = p->rows[0];
    EXPECT_NE(r.rawJson.find("\"instruction\":\"Say hi\""), std::string::npos) << r.rawJson;
    ASSERT_EQ(r.rendered.size(), 2u);
    EXPECT_EQ(r.rendered[0].text, "<|im_start|>user\nSay hi<|im_end|>\n<|im_start|>assistant\n");
    EXPECT_FALSE(r.rendered[0].trained);
    EXPECT_EQ(r.rendered[1].text, "Hi<|im_end|>\n");
    EXPECT_TRUE(r.rendered[1].trained);
    EXPECT_EQ(r.trainedTokens, 4);
    EXPECT_GT(r.tokens, r.trainedTokens);
    ASSERT_TRUE(p->stats);
    EXPECT_EQ(p->stats->rows, 5);
    EXPECT_EQ(p->stats->examples, 5);
    EXPECT_EQ(p->stats->truncated, 0);
    int64_t histogramTotal = 0;
    for (auto c : p->stats->histogramCounts) {
        histogramTotal += c;
    }
    EXPECT_EQ(histogramTotal, 5);
    EXPECT_EQ(p->stats->histogramEdges.size(), p->stats->histogramCounts.size() + 1);
}

TEST(DatasetPreview, DroppedRowsAndTruncation)
{
    PreviewOptions o;
    o.datasetDir = datasetsDir();
    o.dataset = "roles_bad";
    o.templateName = "chatml";
    o.modelDir = tinyTokenizerDir();
    o.preprocess.cutoffLen = 8;
    auto p = previewDataset(o);
    ASSERT_TRUE(p) << p.error().toString();
    ASSERT_EQ(p->rows.size(), 2u);
    EXPECT_NE(p->rows[0].problem.find("roles must alternate"), std::string::npos);
    EXPECT_TRUE(p->rows[0].rendered.empty());
    EXPECT_TRUE(p->rows[1].truncated);
    ASSERT_TRUE(p->stats);
    EXPECT_EQ(p->stats->examples, 1);
    EXPECT_EQ(p->stats->truncated, 1);
    ASSERT_EQ(p->stats->dropped.size(), 1u);
    EXPECT_EQ(p->stats->dropped[0].source.row, 1);
}

TEST(DatasetPreview, WithoutTokenizerShowsRecordsOnly)
{
    PreviewOptions o;
    o.datasetDir = datasetsDir();
    o.dataset = "sharegpt_tools";
    auto p = previewDataset(o);
    ASSERT_TRUE(p) << p.error().toString();
    ASSERT_EQ(p->rows.size(), 2u);
    EXPECT_TRUE(p->rows[0].rendered.empty());
    EXPECT_FALSE(p->stats);
    EXPECT_EQ(p->rows[0].record.system, "Use tools.");
}

TEST(DatasetPreview, PreferenceRowsShowChosenAndRejected)
{
    PreviewOptions o;
    o.datasetDir = tdSourceDir() / "resources/demo/data";
    o.dataset = "demo_pref";
    o.templateName = "chatml";
    o.modelDir = tinyTokenizerDir();
    o.rows = 3;
    o.stage = Stage::Pairwise;
    auto p = previewDataset(o);
    ASSERT_TRUE(p) << p.error().toString();
    ASSERT_EQ(p->rows.size(), 3u);
    const auto& r = p->rows[0];
    EXPECT_TRUE(r.problem.empty()) << r.problem;
    const std::string prompt = "<|im_start|>user\nExplain what a dataset is in one sentence.<|im_end|>\n"
                               "<|im_start|>assistant\n";
    // chosen
    ASSERT_EQ(r.rendered.size(), 2u);
    EXPECT_EQ(r.rendered[0].text, prompt);
    EXPECT_FALSE(r.rendered[0].trained);
    EXPECT_EQ(r.rendered[1].text, "A dataset is an organized collection of examples, such as rows of text, used to "
                                  "train or test a model.<|im_end|>\n");
    EXPECT_TRUE(r.rendered[1].trained);
    // rejected: the same prompt, its own trained span and counts
    ASSERT_EQ(r.rejected.size(), 2u);
    EXPECT_EQ(r.rejected[0].text, prompt);
    EXPECT_FALSE(r.rejected[0].trained);
    EXPECT_EQ(r.rejected[1].text, "Data.<|im_end|>\n");
    EXPECT_TRUE(r.rejected[1].trained);
    EXPECT_GT(r.rejectedTrainedTokens, 0);
    EXPECT_GT(r.trainedTokens, r.rejectedTrainedTokens);
    EXPECT_EQ(r.tokens - r.trainedTokens, r.rejectedTokens - r.rejectedTrainedTokens); // shared prompt
    for (const auto& row : p->rows) {
        EXPECT_FALSE(row.rejected.empty()) << row.source.describe();
        EXPECT_GT(row.rejectedTokens, row.rejectedTrainedTokens);
    }
    ASSERT_TRUE(p->stats);
    EXPECT_EQ(p->stats->examples, p->stats->rows);

    // Not a pairwise stage: no rejected pane (and sft cannot use ranking rows).
    o.stage = Stage::Sft;
    o.statistics = false;
    auto sft = previewDataset(o);
    ASSERT_TRUE(sft) << sft.error().toString();
    EXPECT_TRUE(sft->rows[0].rejected.empty());
    EXPECT_FALSE(sft->rows[0].problem.empty());
}

TEST(DemoData, LoadsAndTokenizes)
{
    const auto dir = tdSourceDir() / "resources/demo/data";
    auto alpaca = loadDataset(dir, "demo_alpaca");
    ASSERT_TRUE(alpaca) << alpaca.error().toString();
    EXPECT_GE(alpaca->records.size(), 200u);
    auto pref = loadDataset(dir, "demo_pref");
    ASSERT_TRUE(pref) << pref.error().toString();
    EXPECT_GE(pref->records.size(), 10u);
    for (const auto& r : pref->records) {
        EXPECT_EQ(r.response.size(), 2u);
    }
    auto tokenizer = tok::loadTokenizer(tinyTokenizerDir());
    ASSERT_TRUE(tokenizer);
    auto tmpl = chat::findTemplate("chatml");
    ASSERT_TRUE(tmpl);
    auto sft = preprocess(alpaca->records, Stage::Sft, *tmpl, **tokenizer, {});
    ASSERT_TRUE(sft);
    EXPECT_EQ(sft->examples.size(), alpaca->records.size());
    EXPECT_TRUE(sft->dropped.empty());
    auto dpo = preprocess(pref->records, Stage::Pairwise, *tmpl, **tokenizer, {});
    ASSERT_TRUE(dpo);
    EXPECT_EQ(dpo->examples.size(), pref->records.size());
}
