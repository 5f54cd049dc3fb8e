// SPDX-License-Identifier: Apache-2.0
// Bad input gives clear error values, never a crash: malformed tokenizer.json, unknown model / pre-tokenizer /
// normalizer types, broken merges, invalid UTF-8 text, missing folders; plus small unit checks of pipeline
// pieces that the golden files do not reach (Metaspace, Digits, added-token flags, unk).
#include <gtest/gtest.h>

#include <filesystem>

#include "core/tokenizer/tokenizer.h"
#include "tests/tokenizer/fixtures.h"

namespace
{

using namespace td;

std::string tinyJson()
{
    return td::test::readText(td::test::goldenDir("tiny") / "tokenizer.json");
}

TEST(TokenizerErrors, MalformedJsonIsBadJson)
{
    auto t = tok::loadTokenizerJson("{\"model\": {\"type\": \"BPE\", \"vocab\": {");
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().code, ErrorCode::BadJson);
    EXPECT_FALSE(tok::loadTokenizerJson("[1,2,3]").has_value());
    EXPECT_FALSE(tok::loadTokenizerJson("{}").has_value());
    auto wrongType = tok::loadTokenizerJson(R"({"model": {"type": "BPE", "vocab": [1, 2]}})");
    ASSERT_FALSE(wrongType.has_value());
    EXPECT_EQ(wrongType.error().code, ErrorCode::BadTokenizer);
}

TEST(TokenizerErrors, UnknownModelAndStageTypesAreNamed)
{
    auto j = nlohmann::json::parse(tinyJson());
    auto model = j;
    model["model"]["type"] = "WordPiece";
    auto t = tok::loadTokenizerJson(model.dump());
    ASSERT_FALSE(t.has_value());
    EXPECT_NE(t.error().message.find("WordPiece"), std::string::npos) << t.error().message;

    auto pre = j;
    pre["pre_tokenizer"] = {{"type", "FancySplit"}};
    t = tok::loadTokenizerJson(pre.dump());
    ASSERT_FALSE(t.has_value());
    EXPECT_NE(t.error().message.find("FancySplit"), std::string::npos);

    auto norm = j;
    norm["normalizer"] = {{"type", "Precompiled"}, {"precompiled_charsmap", "AAAA"}};
    EXPECT_FALSE(tok::loadTokenizerJson(norm.dump()).has_value());

    auto badRegex = j;
    badRegex["pre_tokenizer"] = {{"type", "Split"}, {"pattern", {{"Regex", "(unclosed"}}}, {"behavior", "Isolated"}};
    t = tok::loadTokenizerJson(badRegex.dump());
    ASSERT_FALSE(t.has_value());
    EXPECT_NE(t.error().message.find("regex"), std::string::npos);

    auto badMerge = j;
    badMerge["model"]["merges"].push_back("nosuchtoken another");
    EXPECT_FALSE(tok::loadTokenizerJson(badMerge.dump()).has_value());

    auto badBehavior = j;
    badBehavior["pre_tokenizer"] = {{"type", "Split"}, {"pattern", {{"String", " "}}}, {"behavior", "Sideways"}};
    EXPECT_FALSE(tok::loadTokenizerJson(badBehavior.dump()).has_value());
}

TEST(TokenizerErrors, InvalidUtf8TextIsRejected)
{
    auto t = tok::loadTokenizerJson(tinyJson());
    ASSERT_TRUE(t.has_value()) << t.error().toString();
    for (const std::string& bad : {std::string("abc\xff"), std::string("\xc3"), std::string("\xed\xa0\x80"),
                                   std::string("ok \xc0\xaf"), std::string("\xf4\x90\x80\x80")}) {
        auto ids = (*t)->encode(bad);
        ASSERT_FALSE(ids.has_value());
        EXPECT_EQ(ids.error().code, ErrorCode::InvalidArgument);
        EXPECT_NE(ids.error().message.find("UTF-8"), std::string::npos);
    }
    // Decoding ids whose bytes are not UTF-8 gives U+FFFD, not an error.
    auto dec = (*t)->decode(std::vector<int32_t>{195}); // a lone lead byte
    ASSERT_TRUE(dec.has_value());
    EXPECT_EQ(*dec, "\xEF\xBF\xBD");
}

TEST(TokenizerErrors, MissingFolderAndFiles)
{
    auto t = tok::loadTokenizer("/nonexistent/model/dir");
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().code, ErrorCode::FileNotFound);
    const auto empty = std::filesystem::temp_directory_path() / ("td_tok_empty_" + std::to_string(::getpid()));
    std::filesystem::create_directories(empty);
    t = tok::loadTokenizer(empty);
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().code, ErrorCode::BadTokenizer);
    std::filesystem::remove_all(empty);
}

/// A tiny hand-written tokenizer.json exercising Metaspace, Digits, unk and added-token flags.
std::shared_ptr<tok::Tokenizer> handMade(const nlohmann::json& pre, const nlohmann::json& added)
{
    nlohmann::json j;
    j["model"] = {{"type", "BPE"},
                  {"unk_token", "<unk>"},
                  {"fuse_unk", true},
                  {"vocab",
                   {{"<unk>", 0},
                    {"\xE2\x96\x81", 1},
                    {"a", 2},
                    {"b", 3},
                    {"1", 4},
                    {"2", 5},
                    {"\xE2\x96\x81"
                     "a",
                     6},
                    {"ab", 7},
                    {"<x>", 8},
                    {"12", 9}}},
                  {"merges", {"\xE2\x96\x81 a", "a b", "1 2"}}};
    j["pre_tokenizer"] = pre;
    j["added_tokens"] = added;
    j["decoder"] = {{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", "always"}};
    auto t = tok::loadTokenizerJson(j.dump());
    EXPECT_TRUE(t.has_value()) << t.error().toString();
    return t ? *t : nullptr;
}

TEST(TokenizerPipeline, MetaspaceDigitsUnkAndAddedTokenFlags)
{
    const nlohmann::json meta = {
        {"type", "Sequence"},
        {"pretokenizers",
         {{{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", "first"}},
          {{"type", "Digits"}, {"individual_digits", true}}}}};
    const nlohmann::json added = {{{"id", 8},
                                   {"content", "<x>"},
                                   {"special", true},
                                   {"lstrip", true},
                                   {"rstrip", false},
                                   {"normalized", false},
                                   {"single_word", false}}};
    auto t = handMade(meta, added);
    ASSERT_TRUE(t);
    // "a b12" -> "▁a" "▁b" "1" "2": b has no "▁b" token -> "▁" + "b"; digits split individually.
    EXPECT_EQ(*t->encode("a b12"), (std::vector<int32_t>{6, 1, 3, 4, 5}));
    // Unknown characters fuse into one <unk>.
    EXPECT_EQ(*t->encode("a\xC3\xA9\xC3\xA9"), (std::vector<int32_t>{6, 0}));
    // lstrip eats the spaces before <x>; prepend_scheme "first" only prepends at the start of the input.
    EXPECT_EQ(*t->encode("a  <x>ab"), (std::vector<int32_t>{6, 8, 7}));
    EXPECT_EQ(*t->decode(std::vector<int32_t>{6, 1, 3}), "a b");
    EXPECT_EQ(*t->decode(std::vector<int32_t>{6, 8}, true), "a");
    EXPECT_TRUE(t->isSpecial(8));

    const nlohmann::json contiguous = {{"type", "Digits"}, {"individual_digits", false}};
    const nlohmann::json singleWord = {{{"id", 8},
                                        {"content", "ab"},
                                        {"special", false},
                                        {"lstrip", false},
                                        {"rstrip", false},
                                        {"normalized", false},
                                        {"single_word", true}}};
    auto u = handMade(contiguous, singleWord);
    ASSERT_TRUE(u);
    EXPECT_EQ(*u->encode("12"), (std::vector<int32_t>{9}));
    // single_word: "ab" inside "aab" is not a word, so it is tokenized normally.
    EXPECT_EQ(*u->encode("ab"), (std::vector<int32_t>{8}));
    EXPECT_EQ(*u->encode("aab"), (std::vector<int32_t>{2, 7}));
}

} // namespace

namespace
{

std::shared_ptr<td::tok::Tokenizer> charTokenizer(const nlohmann::json& normalizer)
{
    nlohmann::json j;
    j["model"] = {{"type", "BPE"},
                  {"unk_token", "?"},
                  {"vocab", {{"?", 0}, {"a", 1}, {"b", 2}, {"x", 3}, {"e", 4}, {">", 5}}},
                  {"merges", nlohmann::json::array()}};
    j["normalizer"] = normalizer;
    auto t = td::tok::loadTokenizerJson(j.dump());
    EXPECT_TRUE(t.has_value()) << t.error().toString();
    return t ? *t : nullptr;
}

TEST(TokenizerPipeline, Normalizers)
{
    const nlohmann::json seq = {{"type", "Sequence"},
                                {"normalizers",
                                 {{{"type", "NFKC"}},
                                  {{"type", "Lowercase"}},
                                  {{"type", "Replace"}, {"pattern", {{"Regex", "c+"}}}, {"content", "x"}},
                                  {{"type", "Strip"}, {"strip_left", true}, {"strip_right", true}}}}};
    auto t = charTokenizer(seq);
    ASSERT_TRUE(t);
    // Fullwidth "ＡＢ" -> "AB" (NFKC) -> "ab"; "ccc" -> "x"; surrounding spaces stripped.
    EXPECT_EQ(*t->encode("  \xEF\xBC\xA1\xEF\xBC\xA2" "ccc  "), (std::vector<int32_t>{1, 2, 3}));

    const nlohmann::json accents = {
        {"type", "Sequence"},
        {"normalizers", {{{"type", "NFD"}}, {{"type", "StripAccents"}}, {{"type", "Prepend"}, {"prepend", ">"}}}}};
    auto u = charTokenizer(accents);
    ASSERT_TRUE(u);
    EXPECT_EQ(*u->encode("\xC3\xA9"), (std::vector<int32_t>{5, 4})); // é -> e + U+0301 -> e, then ">" prepended
    EXPECT_TRUE(u->encode("").value().empty());                       // Prepend leaves empty text empty
}

TEST(TokenizerPipeline, ByteLevelPrefixSpaceAndRegex)
{
    auto j = nlohmann::json::parse(tinyJson());
    j["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"use_regex", true}};
    auto t = td::tok::loadTokenizerJson(j.dump());
    ASSERT_TRUE(t.has_value()) << t.error().toString();
    auto ids = (*t)->encode("Hello world");
    ASSERT_TRUE(ids.has_value());
    EXPECT_EQ((*t)->idToPiece(ids->front()).rfind("\xC4\xA0", 0), 0u) << "a prefix space (\xC4\xA0) starts the text";
    EXPECT_EQ(*(*t)->decode(*ids), " Hello world");
}

} // namespace
