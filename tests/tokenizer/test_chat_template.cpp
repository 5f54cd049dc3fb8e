// SPDX-License-Identifier: Apache-2.0
// Chat templates: every golden_chat.json case (rendered by the model's own Jinja template with
// @huggingface/jinja) reproduced byte for byte by the auto-selected built-in template, with its ids equal to
// tokenizing the golden string; LLaMA-Factory layouts for multi-turn pairs, masks, thinking modes; a sweep
// over the whole registry.
#include <gtest/gtest.h>

#include "core/tokenizer/chat_template.h"
#include "tests/tokenizer/fixtures.h"

namespace
{

using namespace td;
using td::test::goldenDir;
using td::test::readJson;
using td::test::tokenizerDir;

std::vector<chat::Message> parseMessages(const nlohmann::json& arr)
{
    std::vector<chat::Message> out;
    for (const auto& m : arr) {
        out.push_back({*chat::roleFromString(m.at("role").get<std::string>()), m.at("content").get<std::string>()});
    }
    return out;
}

std::shared_ptr<tok::Tokenizer> load(const std::string& name)
{
    const auto dir = tokenizerDir(name);
    if (!dir) {
        ADD_FAILURE() << td::test::missingFixtureMessage(name);
        return nullptr;
    }
    auto t = tok::loadTokenizer(*dir);
    if (!t) {
        ADD_FAILURE() << t.error().toString();
        return nullptr;
    }
    return *t;
}

struct ChatCase
{
    const char* fixture;
    const char* expectedTemplate;
};

class GoldenChat : public ::testing::TestWithParam<ChatCase>
{
};

TEST_P(GoldenChat, BuiltInTemplateReproducesJinjaRenderingAndIds)
{
    const ChatCase c = GetParam();
    auto tk = load(c.fixture);
    ASSERT_TRUE(tk);
    const std::string picked = chat::autoSelectTemplate(tk->config());
    EXPECT_EQ(picked, c.expectedTemplate);
    auto tpl = chat::findTemplate(picked);
    ASSERT_TRUE(tpl.has_value());

    const auto golden = readJson(goldenDir(c.fixture) / "golden_chat.json");
    int ok = 0;
    int total = 0;
    for (const auto& gc : golden.at("cases")) {
        ++total;
        auto messages = parseMessages(gc.at("messages"));
        const std::string system = chat::takeSystem(messages);
        const bool gen = gc.at("add_generation_prompt").get<bool>();
        const std::string expected = gc.at("rendered").get<std::string>();
        auto rendered = chat::render(*tpl, *tk, messages, system, gen);
        ASSERT_TRUE(rendered.has_value()) << rendered.error().toString();
        EXPECT_EQ(*rendered, expected) << c.fixture << " case " << gc.at("name");
        auto ids = chat::renderIds(*tpl, *tk, messages, system, gen);
        ASSERT_TRUE(ids.has_value()) << ids.error().toString();
        auto direct = tk->encode(expected, false);
        ASSERT_TRUE(direct.has_value());
        EXPECT_EQ(*ids, *direct) << c.fixture << " ids of case " << gc.at("name");
        ok += *rendered == expected && *ids == *direct;
    }
    std::printf("%s (%s): %d/%d chat cases byte-exact with equal ids\n", c.fixture, picked.c_str(), ok, total);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GoldenChat,
                         ::testing::Values(ChatCase{"qwen3", "qwen3"}, ChatCase{"llama3_1", "llama3"},
                                           ChatCase{"gemma3", "gemma3"}, ChatCase{"tiny", "chatml"}),
                         [](const auto& info) { return std::string(info.param.fixture); });

TEST(ChatTemplate, RegistryHasLlamaFactoryNamesAndEveryTemplateEncodes)
{
    const char* required[] = {"default",  "empty",     "alpaca",  "vicuna", "chatml", "qwen",   "qwen3",
                              "llama2",   "llama3",    "mistral", "gemma",  "gemma3", "phi",    "phi4",
                              "deepseek", "deepseek3", "yi",      "glm4",   "cohere", "zephyr", "olmo"};
    for (const char* name : required) {
        EXPECT_TRUE(chat::findTemplate(name).has_value()) << name;
    }
    EXPECT_FALSE(chat::findTemplate("no_such_template").has_value());

    auto tk = load("tiny");
    ASSERT_TRUE(tk);
    const std::vector<chat::Message> conv = {{chat::Role::User, "hi"},
                                             {chat::Role::Assistant, "hello"},
                                             {chat::Role::User, "again"},
                                             {chat::Role::Assistant, "sure"}};
    for (const auto& t : chat::templates()) {
        auto turns = chat::encodeMultiturn(t, *tk, conv, "be brief");
        ASSERT_TRUE(turns.has_value()) << t.name << ": " << turns.error().toString();
        EXPECT_EQ(turns->size(), 2u) << t.name;
        auto masked = chat::encodeMasked(t, *tk, conv, "");
        ASSERT_TRUE(masked.has_value()) << t.name;
        EXPECT_EQ(masked->ids.size(), masked->isResponse.size());
        EXPECT_EQ(masked->ids.size(), masked->labels.size());
        auto text = chat::render(t, *tk, conv, "", false);
        ASSERT_TRUE(text.has_value()) << t.name;
        EXPECT_NE(text->find("sure"), std::string::npos) << t.name;
    }
}

TEST(ChatTemplate, MultiturnPairsAndMaskFollowLlamaFactory)
{
    auto tk = load("tiny");
    ASSERT_TRUE(tk);
    auto tpl = chat::findTemplate("chatml");
    ASSERT_TRUE(tpl);
    const std::vector<chat::Message> conv = {{chat::Role::User, "hi"}, {chat::Role::Assistant, "hello"}};
    auto turns = chat::encodeMultiturn(*tpl, *tk, conv, "sys");
    ASSERT_TRUE(turns);
    ASSERT_EQ(turns->size(), 1u);
    EXPECT_EQ(*tk->decode((*turns)[0].prompt), "<|im_start|>system\nsys<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n"
                                               "<|im_start|>assistant\n");
    EXPECT_EQ(*tk->decode((*turns)[0].response), "hello<|im_end|>\n");
    auto masked = chat::encodeMasked(*tpl, *tk, conv, "sys");
    ASSERT_TRUE(masked);
    const std::size_t p = (*turns)[0].prompt.size();
    for (std::size_t i = 0; i < masked->ids.size(); ++i) {
        EXPECT_EQ(masked->isResponse[i], i >= p ? 1 : 0);
        EXPECT_EQ(masked->labels[i], i >= p ? masked->ids[i] : chat::MaskedIds::kIgnoreIndex);
    }
    // Roles must alternate.
    const std::vector<chat::Message> bad = {{chat::Role::Assistant, "x"}, {chat::Role::User, "y"}};
    EXPECT_FALSE(chat::encodeMultiturn(*tpl, *tk, bad).has_value());
}

TEST(ChatTemplate, Qwen3ThinkingAndNoThinking)
{
    auto tk = load("qwen3");
    ASSERT_TRUE(tk);
    auto thinking = chat::findTemplate("qwen3");
    ASSERT_TRUE(thinking);
    const std::vector<chat::Message> q = {{chat::Role::User, "2+2?"}};
    EXPECT_EQ(*chat::render(*thinking, *tk, q, "", true), "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n");
    chat::ChatTemplate noThink = *thinking;
    noThink.enableThinking = false;
    EXPECT_EQ(*chat::render(noThink, *tk, q, "", true),
              "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
    // Training: with thinking the empty thought is part of the response (learned), without it the prompt.
    const std::vector<chat::Message> qa = {{chat::Role::User, "2+2?"}, {chat::Role::Assistant, "4"}};
    auto t1 = chat::encodeMultiturn(*thinking, *tk, qa);
    auto t2 = chat::encodeMultiturn(noThink, *tk, qa);
    ASSERT_TRUE(t1 && t2);
    EXPECT_EQ(*tk->decode((*t1)[0].response), "<think>\n\n</think>\n\n4<|im_end|>\n");
    EXPECT_EQ(*tk->decode((*t2)[0].response), "4<|im_end|>\n");
    EXPECT_EQ(chat::stopTokenIds(*thinking, *tk), std::vector<tok::TokenId>{151645});
}

} // namespace
