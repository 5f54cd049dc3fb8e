// SPDX-License-Identifier: Apache-2.0
// Per-stage tokenization on the tiny fixture tokenizer (byte-level BPE, <|im_start|>=318, <|im_end|>=319,
// <|endoftext|>=317) with the chatml template: exact ids and label masks for sft (train_on_prompt,
// mask_history, cutoff_len split, efficient_eos), unsupervised, pairwise, kto with KL pairs, pt with and
// without packing, and sft packing / neat_packing.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/data/dataset_loader.h"
#include "core/data/preprocess.h"
#include "test_paths.h"

using namespace td;
using namespace td::data;
using Ids = std::vector<TokenId>;

namespace
{

constexpr TokenId X = kIgnoreIndex;

class Preprocess : public ::testing::Test
{
protected:
    void SetUp() override
    {
        auto t = tok::loadTokenizer(tinyTokenizerDir());
        ASSERT_TRUE(t) << t.error().toString();
        m_tok = *t;
        auto c = chat::findTemplate("chatml");
        ASSERT_TRUE(c);
        m_chatml = *c;
    }

    Ids enc(const std::string& s) const { return *m_tok->encode(s, false); }

    static Ids cat(std::initializer_list<Ids> parts)
    {
        Ids out;
        for (const auto& p : parts) {
            out.insert(out.end(), p.begin(), p.end());
        }
        return out;
    }
    static Ids masked(std::size_t n) { return Ids(n, X); }

    static Record rec(std::vector<Message> prompt, std::vector<Message> response, std::string system = {})
    {
        Record r;
        r.prompt = std::move(prompt);
        r.response = std::move(response);
        r.system = std::move(system);
        r.source = RowRef{"mem.json", 1};
        return r;
    }

    PreprocessResult run(const std::vector<Record>& rs, Stage stage, const PreprocessOptions& o,
                         const chat::ChatTemplate* t = nullptr) const
    {
        auto r = preprocess(rs, stage, t ? *t : m_chatml, *m_tok, o);
        EXPECT_TRUE(r) << (r ? "" : r.error().toString());
        return r ? *r : PreprocessResult{};
    }

    std::shared_ptr<tok::Tokenizer> m_tok;
    chat::ChatTemplate m_chatml;
};

} // namespace

TEST(InferSeqlen, MatchesLlamaFactoryRule)
{
    EXPECT_EQ(inferSeqlen(10, 10, 8), (std::pair<int64_t, int64_t>{4, 4}));  // both cut, proportionally
    EXPECT_EQ(inferSeqlen(3, 100, 10), (std::pair<int64_t, int64_t>{3, 7})); // short source: target gets C - S
    EXPECT_EQ(inferSeqlen(100, 2, 10), (std::pair<int64_t, int64_t>{8, 2})); // short target kept whole
    EXPECT_EQ(inferSeqlen(6, 9, 10), (std::pair<int64_t, int64_t>{4, 6}));   // int(10 * 9/15) = 6
    EXPECT_EQ(inferSeqlen(2, 3, 100), (std::pair<int64_t, int64_t>{2, 3}));  // fits
}

TEST_F(Preprocess, TinyTokenizerBytesAndSpecials)
{
    // Hand-checked: ASCII letters without merges are their byte values; specials are added tokens.
    EXPECT_EQ(enc("Hi"), (Ids{72, 105}));
    EXPECT_EQ(enc("<|im_start|>"), (Ids{318}));
    EXPECT_EQ(enc("<|im_end|>\n"), (Ids{319, 10}));
}

TEST_F(Preprocess, SftSingleTurnMasksPrompt)
{
    const auto res = run({rec({{Role::User, "Hi"}}, {{Role::Assistant, "Yo"}})}, Stage::Sft, {});
    ASSERT_EQ(res.examples.size(), 1u);
    const Ids prompt = cat({{318}, enc("user\nHi"), {319, 10, 318}, enc("assistant\n")});
    const Ids answer = {89, 111, 319, 10}; // "Yo<|im_end|>\n"
    EXPECT_EQ(res.examples[0].inputIds, cat({prompt, answer}));
    EXPECT_EQ(res.examples[0].labels, cat({masked(prompt.size()), answer}));
    EXPECT_FALSE(res.examples[0].truncated);

    PreprocessOptions onPrompt;
    onPrompt.trainOnPrompt = true;
    const auto all = run({rec({{Role::User, "Hi"}}, {{Role::Assistant, "Yo"}})}, Stage::Sft, onPrompt);
    EXPECT_EQ(all.examples[0].labels, all.examples[0].inputIds);
}

TEST_F(Preprocess, SftMultiTurnAndMaskHistory)
{
    const Record r = rec({{Role::User, "A"}, {Role::Assistant, "B"}, {Role::User, "C"}}, {{Role::Assistant, "D"}}, "S");
    const Ids p1 =
        cat({enc("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nA<|im_end|>\n<|im_start|>assistant\n")});
    const Ids a1 = {66, 319, 10};
    const Ids p2 = enc("<|im_start|>user\nC<|im_end|>\n<|im_start|>assistant\n");
    const Ids a2 = {68, 319, 10};
    const auto res = run({r}, Stage::Sft, {});
    ASSERT_EQ(res.examples.size(), 1u);
    EXPECT_EQ(res.examples[0].inputIds, cat({p1, a1, p2, a2}));
    EXPECT_EQ(res.examples[0].labels, cat({masked(p1.size()), a1, masked(p2.size()), a2})); // history trained

    PreprocessOptions mh;
    mh.maskHistory = true;
    const auto last = run({r}, Stage::Sft, mh);
    EXPECT_EQ(last.examples[0].inputIds, cat({p1, a1, p2, a2}));
    EXPECT_EQ(last.examples[0].labels, cat({masked(p1.size() + a1.size() + p2.size()), a2}));

    // mask_history spends the budget newest-first: with room for the last turn only, the first is dropped.
    mh.cutoffLen = static_cast<int64_t>(p2.size() + a2.size());
    const auto cut = run({r}, Stage::Sft, mh);
    EXPECT_EQ(cut.examples[0].inputIds, cat({p2, a2}));
    EXPECT_TRUE(cut.examples[0].truncated);
    EXPECT_EQ(cut.truncatedCount, 1);
}

TEST_F(Preprocess, SftCutoffSplitsPromptAndResponse)
{
    // prompt 11 tokens ("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"), answer 2+2 tokens.
    const Record r = rec({{Role::User, "Hi"}}, {{Role::Assistant, "Yo"}});
    const Ids prompt = cat({{318}, enc("user\nHi"), {319, 10, 318}, enc("assistant\n")});
    PreprocessOptions o;
    o.cutoffLen = 6;
    const auto res = run({r}, Stage::Sft, o);
    // S = |prompt|, T = 4, C = 6: 2T = 8 >= 6, 2S >= 6 → target = int(6 * 4 / (S + 4)), source = 6 - target.
    const auto [sl, tl] = inferSeqlen(static_cast<int64_t>(prompt.size()), 4, 6);
    EXPECT_EQ(sl + tl, 6);
    const Ids want = cat({Ids(prompt.begin(), prompt.begin() + sl), Ids{89, 111, 319, 10}});
    EXPECT_EQ(res.examples[0].inputIds, Ids(want.begin(), want.begin() + sl + tl));
    EXPECT_EQ(res.examples[0].labels.size(), 6u);
    EXPECT_EQ(std::count(res.examples[0].labels.begin(), res.examples[0].labels.end(), X), sl);
}

TEST_F(Preprocess, SftEfficientEos)
{
    chat::ChatTemplate t = m_chatml;
    t.efficientEos = true;
    t.formatAssistant = {chat::Slot{chat::Slot::Kind::Text, "{{content}}\n"}};
    const Record r = rec({{Role::User, "A"}, {Role::Assistant, "B"}, {Role::User, "C"}}, {{Role::Assistant, "D"}});
    const auto res = run({r}, Stage::Sft, {}, &t);
    const Ids p1 = enc("<|im_start|>user\nA<|im_end|>\n<|im_start|>assistant\n");
    const Ids p2 = enc("<|im_start|>user\nC<|im_end|>\n<|im_start|>assistant\n");
    const Ids a1 = {66, 10}, a2 = {68, 10};
    EXPECT_EQ(res.examples[0].inputIds, cat({p1, a1, p2, a2, {319}}));
    // later turns: the first prompt token carries the EOS label that closes the previous answer.
    Ids p2Label = masked(p2.size());
    p2Label[0] = 319;
    EXPECT_EQ(res.examples[0].labels, cat({masked(p1.size()), a1, p2Label, a2, {319}}));
}

TEST_F(Preprocess, DropsRowsWithReasons)
{
    Record noAnswer = rec({{Role::User, "Q"}}, {});
    Record broken = rec({}, {});
    broken.invalidReason = "mem.json row 1: roles do not alternate";
    const auto res = run({noAnswer, broken, rec({{Role::User, "Q"}}, {{Role::Assistant, "A"}})}, Stage::Sft, {});
    EXPECT_EQ(res.examples.size(), 1u);
    ASSERT_EQ(res.dropped.size(), 2u);
    EXPECT_NE(res.dropped[0].reason.find("no response"), std::string::npos) << res.dropped[0].reason;
    EXPECT_EQ(res.dropped[1].reason, broken.invalidReason);
    EXPECT_EQ(res.examples[0].sourceIndex, 2);
}

TEST_F(Preprocess, Unsupervised)
{
    const auto res = run({rec({{Role::User, "Hi"}}, {{Role::Assistant, "Yo"}}), rec({{Role::User, "Hi"}}, {})},
                         Stage::Unsupervised, {});
    ASSERT_EQ(res.examples.size(), 2u);
    const Ids prompt = enc("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    EXPECT_EQ(res.examples[0].inputIds, prompt);
    EXPECT_EQ(res.examples[0].labels, (Ids{89, 111, 319, 10}));
    EXPECT_EQ(res.examples[1].labels, (Ids{319, 10})); // empty answer
}

TEST_F(Preprocess, PairwiseSharesPrompt)
{
    const auto res =
        run({rec({{Role::User, "Hi"}}, {{Role::Assistant, "Yo"}, {Role::Assistant, "B"}})}, Stage::Pairwise, {});
    ASSERT_EQ(res.examples.size(), 1u);
    const Ids prompt = enc("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    const auto& e = res.examples[0];
    EXPECT_EQ(e.inputIds, cat({prompt, {89, 111, 319, 10}}));
    EXPECT_EQ(e.labels, cat({masked(prompt.size()), {89, 111, 319, 10}}));
    EXPECT_EQ(e.rejectedIds, cat({prompt, {66, 319, 10}}));
    EXPECT_EQ(e.rejectedLabels, cat({masked(prompt.size()), {66, 319, 10}}));
    // sft rows are not preference rows
    const auto none = run({rec({{Role::User, "Hi"}}, {{Role::Assistant, "Yo"}})}, Stage::Pairwise, {});
    EXPECT_TRUE(none.examples.empty());
    EXPECT_EQ(none.dropped.size(), 1u);
}

TEST_F(Preprocess, KtoWithKlPairs)
{
    const std::vector<Record> rs = {
        rec({{Role::User, "A"}}, {{Role::Assistant, "Yes"}, {Role::Assistant, ""}}),
        rec({{Role::User, "B"}}, {{Role::Assistant, ""}, {Role::Assistant, "No"}}),
    };
    const auto res = run(rs, Stage::Kto, {});
    ASSERT_EQ(res.examples.size(), 2u);
    const Ids pa = enc("<|im_start|>user\nA<|im_end|>\n<|im_start|>assistant\n");
    const Ids pb = enc("<|im_start|>user\nB<|im_end|>\n<|im_start|>assistant\n");
    const Ids yes = enc("Yes<|im_end|>\n"), no = enc("No<|im_end|>\n");
    EXPECT_TRUE(res.examples[0].ktoTag);
    EXPECT_FALSE(res.examples[1].ktoTag);
    EXPECT_EQ(res.examples[0].inputIds, cat({pa, yes}));
    EXPECT_EQ(res.examples[1].inputIds, cat({pb, no}));
    // KL: the prompt with the previous example's answer (the first takes the batch's last).
    EXPECT_EQ(res.examples[0].klIds, cat({pa, no}));
    EXPECT_EQ(res.examples[1].klIds, cat({pb, yes}));
    EXPECT_EQ(res.examples[1].klLabels, cat({masked(pb.size()), yes}));
}

TEST_F(Preprocess, PretrainPackingAndTruncation)
{
    const std::vector<Record> rs = {rec({{Role::User, "Hi"}}, {}), rec({{Role::User, "Yo"}}, {})};
    PreprocessOptions o;
    o.cutoffLen = 2;
    const auto plain = run(rs, Stage::Pt, o);
    ASSERT_EQ(plain.examples.size(), 2u);
    EXPECT_EQ(plain.examples[0].inputIds, (Ids{72, 105})); // "Hi<|im_end|>" cut to 2
    EXPECT_TRUE(plain.examples[0].truncated);
    EXPECT_EQ(plain.examples[0].labels, plain.examples[0].inputIds);

    o.packing = true;
    const auto packed = run(rs, Stage::Pt, o);
    // "Hi" EOS "Yo" EOS = 6 tokens → 3 blocks of 2
    ASSERT_EQ(packed.examples.size(), 3u);
    EXPECT_EQ(packed.examples[0].inputIds, (Ids{72, 105}));
    EXPECT_EQ(packed.examples[1].inputIds, (Ids{319, 89}));
    EXPECT_EQ(packed.examples[2].inputIds, (Ids{111, 319}));
    o.cutoffLen = 4; // 6 tokens → one block, the remainder is discarded
    EXPECT_EQ(run(rs, Stage::Pt, o).examples.size(), 1u);
}

TEST(Packing, GreedyKnapsack)
{
    const auto bins = greedyKnapsack({5, 3, 8, 2}, 10);
    ASSERT_EQ(bins.size(), 2u);
    EXPECT_EQ(bins[0], (std::vector<int64_t>{8, 2}));
    EXPECT_EQ(bins[1], (std::vector<int64_t>{5, 3}));
}

TEST_F(Preprocess, SftNeatPacking)
{
    const std::vector<Record> rs = {rec({{Role::User, "Hi"}}, {{Role::Assistant, "Yo"}}),
                                    rec({{Role::User, "Hi"}}, {{Role::Assistant, "B"}})};
    const auto single = run(rs, Stage::Sft, {});
    const auto la = single.examples[0].inputIds.size(), lb = single.examples[1].inputIds.size();
    PreprocessOptions o;
    o.neatPacking = true;
    o.cutoffLen = static_cast<int64_t>(la + lb + 2);
    const auto res = run(rs, Stage::Sft, o);
    ASSERT_EQ(res.examples.size(), 1u);
    const auto& row = res.examples[0];
    ASSERT_EQ(row.inputIds.size(), la + lb + 3); // cutoff_len + 1
    // knapsack takes the longer one (la) first, then the shorter one
    EXPECT_EQ(Ids(row.inputIds.begin(), row.inputIds.begin() + la), single.examples[0].inputIds);
    EXPECT_EQ(row.attentionMask[0], 1);
    EXPECT_EQ(row.attentionMask[la], 2);
    EXPECT_EQ(row.attentionMask.back(), 0);
    EXPECT_EQ(row.positionIds[la], 0);
    EXPECT_EQ(row.inputIds.back(), 317); // pad = <|endoftext|>
    EXPECT_EQ(row.labels.back(), X);

    // As in LLaMA-Factory, examples are first truncated to cutoff_len, so nothing is dropped: the longer one is
    // cut to fit and each gets its own row.
    o.cutoffLen = static_cast<int64_t>(lb);
    const auto cut = run(rs, Stage::Sft, o);
    EXPECT_EQ(cut.examples.size(), 2u);
    EXPECT_TRUE(cut.dropped.empty());
    EXPECT_EQ(cut.truncatedCount, 1);
    EXPECT_EQ(cut.examples[0].inputIds.size(), lb + 1);
}

TEST_F(Preprocess, WorkersGiveTheSameResult)
{
    auto ds = loadDataset(datasetsDir(), "alpaca_small");
    ASSERT_TRUE(ds);
    std::vector<Record> many;
    for (int k = 0; k < 60; ++k) {
        many.insert(many.end(), ds->records.begin(), ds->records.end());
    }
    PreprocessOptions one, four;
    four.workers = 4;
    const auto a = run(many, Stage::Sft, one), b = run(many, Stage::Sft, four);
    ASSERT_EQ(a.examples.size(), b.examples.size());
    for (std::size_t i = 0; i < a.examples.size(); ++i) {
        ASSERT_EQ(a.examples[i].inputIds, b.examples[i].inputIds);
        ASSERT_EQ(a.examples[i].labels, b.examples[i].labels);
    }
}

// A sharegpt row with a tools column (tests/data/datasets/sharegpt_tools.json) through the data worker with
// the qwen template: the tool text is rendered into the first turn's system message (LLaMA-Factory
// Template._encode: system + format_tools.apply(tools)) and masked; the function_call turn is rendered by the
// qwen tool format (<tool_call>...</tool_call>) and trained.
TEST_F(Preprocess, SftSharegptToolsInSystemAndMasked)
{
    auto ds = loadDataset(datasetsDir(), "sharegpt_tools");
    ASSERT_TRUE(ds) << ds.error().toString();
    ASSERT_FALSE(ds->records[0].tools.empty());
    auto qwen = chat::findTemplate("qwen");
    ASSERT_TRUE(qwen);
    const auto res = run({ds->records[0]}, Stage::Sft, {}, &*qwen);
    ASSERT_EQ(res.examples.size(), 1u);
    const auto& ex = res.examples[0];

    // Prompt part of turn 0 = everything up to the first trained label.
    const auto firstTrained = std::find_if(ex.labels.begin(), ex.labels.end(), [](TokenId l) { return l != X; });
    const Ids prompt0(ex.inputIds.begin(), ex.inputIds.begin() + (firstTrained - ex.labels.begin()));
    const std::string promptText = *m_tok->decode(prompt0, false);
    const std::string systemText =
        "<|im_start|>system\nUse tools.\n\n# Tools\n\nYou may call one or more functions to assist with the user "
        "query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
        "{\"type\": \"function\", \"function\": {";
    EXPECT_EQ(promptText.rfind(systemText, 0), 0u) << promptText;
    EXPECT_NE(promptText.find("\"name\": \"weather\""), std::string::npos) << promptText;
    EXPECT_NE(promptText.find("\n</tools>\n\nFor each function call"), std::string::npos) << promptText;
    EXPECT_NE(promptText.find("</tool_call><|im_end|>\n<|im_start|>user\nWeather in Paris?"), std::string::npos);

    // The function turn is the first response, rendered by the qwen tool format, and trained.
    const Ids call = enc("<tool_call>\n{\"name\": \"weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>");
    const auto at = std::search(ex.inputIds.begin(), ex.inputIds.end(), call.begin(), call.end());
    ASSERT_NE(at, ex.inputIds.end());
    const auto pos = static_cast<std::size_t>(at - ex.inputIds.begin());
    EXPECT_EQ(pos, prompt0.size());
    EXPECT_EQ(Ids(ex.labels.begin() + pos, ex.labels.begin() + pos + call.size()), call);

    // Without tools the system text is just the system prompt.
    Record plain = ds->records[0];
    plain.tools.clear();
    const auto noTools = run({plain}, Stage::Sft, {}, &*qwen);
    ASSERT_EQ(noTools.examples.size(), 1u);
    const std::string plainText = *m_tok->decode(noTools.examples[0].inputIds, false);
    EXPECT_EQ(plainText.rfind("<|im_start|>system\nUse tools.<|im_end|>\n", 0), 0u) << plainText;
}

// Llama2-class templates (mistral) fold system + tools into the first user message.
TEST_F(Preprocess, MistralToolsFoldedIntoFirstUserMessage)
{
    auto mistral = chat::findTemplate("mistral");
    ASSERT_TRUE(mistral);
    Record r = rec({{Role::User, "Hi"}}, {{Role::Assistant, "Yo"}});
    r.tools = R"([{"name": "f", "description": "d", "parameters": {}}])";
    auto text = chat::render(*mistral, *m_tok, r.prompt, "", /*addGenerationPrompt=*/true, r.tools);
    ASSERT_TRUE(text) << text.error().toString();
    ASSERT_NE(text->find("[INST]"), std::string::npos) << *text; // after the tokenizer's BOS, if it has one
    EXPECT_EQ(text->substr(text->find("[INST]")),
              "[INST] [AVAILABLE_TOOLS] [{\"type\": \"function\", \"function\": {\"name\": \"f\", "
              "\"description\": \"d\", \"parameters\": {}}}][/AVAILABLE_TOOLS]\n\nHi[/INST]");
}
