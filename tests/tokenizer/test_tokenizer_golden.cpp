// SPDX-License-Identifier: Apache-2.0
// Conformance with Hugging Face: every case of golden_tokens.json (ids, ids_with_special, decoded) for the
// qwen3, llama3_1, gemma3, mistral and tiny tokenizers, produced by the reference implementation.
#include <gtest/gtest.h>

#include "core/tokenizer/tokenizer.h"
#include "tests/tokenizer/fixtures.h"

namespace
{

using td::test::goldenDir;
using td::test::readJson;
using td::test::tokenizerDir;

class GoldenTokens : public ::testing::TestWithParam<std::string>
{
};

TEST_P(GoldenTokens, IdsIdsWithSpecialAndDecodedMatchHuggingFace)
{
    const std::string name = GetParam();
    const auto dir = tokenizerDir(name);
    ASSERT_TRUE(dir.has_value()) << td::test::missingFixtureMessage(name);
    auto tok = td::tok::loadTokenizer(*dir);
    ASSERT_TRUE(tok.has_value()) << tok.error().toString();

    const auto golden = readJson(goldenDir(name) / "golden_tokens.json");
    int total = 0;
    int idsOk = 0;
    int specialOk = 0;
    int decodedOk = 0;
    for (const auto& c : golden.at("cases")) {
        ++total;
        const std::string text = c.at("text").get<std::string>();
        const auto ids = (*tok)->encode(text, false);
        ASSERT_TRUE(ids.has_value()) << ids.error().toString();
        const auto withSpecial = (*tok)->encode(text, true);
        ASSERT_TRUE(withSpecial.has_value()) << withSpecial.error().toString();
        const auto expectIds = c.at("ids").get<std::vector<int32_t>>();
        const auto expectSpecial = c.at("ids_with_special").get<std::vector<int32_t>>();
        const auto decoded = (*tok)->decode(expectIds, false);
        ASSERT_TRUE(decoded.has_value()) << decoded.error().toString();
        EXPECT_EQ(*ids, expectIds) << name << " ids of: " << text;
        EXPECT_EQ(*withSpecial, expectSpecial) << name << " ids_with_special of: " << text;
        EXPECT_EQ(*decoded, c.at("decoded").get<std::string>()) << name << " decoded of: " << text;
        idsOk += *ids == expectIds;
        specialOk += *withSpecial == expectSpecial;
        decodedOk += *decoded == c.at("decoded").get<std::string>();
    }
    std::printf("%s: ids %d/%d, ids_with_special %d/%d, decoded %d/%d\n", name.c_str(), idsOk, total, specialOk, total,
                decodedOk, total);
    EXPECT_GT(total, 0);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GoldenTokens, ::testing::Values("qwen3", "llama3_1", "gemma3", "mistral", "tiny"),
                         [](const auto& info) { return info.param; });

} // namespace
