// SPDX-License-Identifier: Apache-2.0
// The SentencePiece path: a folder holding only tokenizer.model (trained here, in-process) loads through
// loadTokenizer, encodes/decodes round-trip, adds BOS by default, honours add_eos_token from
// tokenizer_config.json and matches special-token strings in the text.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <sentencepiece_trainer.h>

#include "core/tokenizer/tokenizer.h"

namespace
{

namespace fs = std::filesystem;
using namespace td;

class SentencePieceFolder : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        s_dir = fs::temp_directory_path() / ("td_tok_spm_" + std::to_string(::getpid()));
        fs::create_directories(s_dir / "model");
        {
            std::ofstream corpus(s_dir / "corpus.txt");
            const char* lines[] = {"the quick brown fox jumps over the lazy dog",
                                   "a fine tune of a language model needs a tokenizer",
                                   "быстрая бурая лиса прыгает через ленивую собаку", "敏捷的棕色狐狸跳过了懒狗",
                                   "tokens and pieces and more tokens"};
            for (int rep = 0; rep < 40; ++rep) {
                for (const char* l : lines) {
                    corpus << l << "\n";
                }
            }
        }
        const std::string prefix = (s_dir / "spm").string();
        const auto trained = sentencepiece::SentencePieceTrainer::Train(
            "--input=" + (s_dir / "corpus.txt").string() + " --model_prefix=" + prefix +
            " --vocab_size=400 --hard_vocab_limit=false --model_type=bpe --character_coverage=1.0 "
            "--byte_fallback=true --minloglevel=2");
        ASSERT_TRUE(trained.ok()) << trained.ToString();
        fs::copy_file(prefix + ".model", s_dir / "model" / "tokenizer.model");
    }

    static void TearDownTestSuite() { fs::remove_all(s_dir); }

    static fs::path s_dir;
};

fs::path SentencePieceFolder::s_dir;

TEST_F(SentencePieceFolder, LoadsFolderWithOnlyTokenizerModel)
{
    auto t = tok::loadTokenizer(s_dir / "model");
    ASSERT_TRUE(t.has_value()) << t.error().toString();
    const tok::Tokenizer& tk = **t;
    EXPECT_NE(tk.describe().find("SentencePiece"), std::string::npos);
    ASSERT_TRUE(tk.bosId().has_value());
    ASSERT_TRUE(tk.eosId().has_value());

    const std::string text = "the lazy fox and the быстрая собака";
    auto ids = tk.encode(text, false);
    ASSERT_TRUE(ids.has_value()) << ids.error().toString();
    EXPECT_FALSE(ids->empty());
    EXPECT_EQ(*tk.decode(*ids), text);

    auto withSpecial = tk.encode(text, true);
    ASSERT_TRUE(withSpecial.has_value());
    EXPECT_EQ(withSpecial->front(), *tk.bosId());
    EXPECT_EQ(withSpecial->size(), ids->size() + 1);

    // Unseen characters go through byte fallback and come back intact.
    const std::string rare = "zebra 🦓";
    EXPECT_EQ(*tk.decode(*tk.encode(rare)), rare);

    // The EOS string inside text is the EOS id; skipSpecial drops it when decoding.
    auto eosIds = tk.encode("the fox" + tk.eosToken());
    ASSERT_TRUE(eosIds.has_value());
    EXPECT_EQ(eosIds->back(), *tk.eosId());
    EXPECT_EQ(*tk.decode(*eosIds, true), "the fox");
    EXPECT_FALSE(tk.encode("bad \xff").has_value());
}

TEST_F(SentencePieceFolder, TokenizerConfigAddsEos)
{
    const fs::path dir = s_dir / "with_config";
    fs::create_directories(dir);
    fs::copy_file(s_dir / "model" / "tokenizer.model", dir / "tokenizer.model", fs::copy_options::overwrite_existing);
    std::ofstream(dir / "tokenizer_config.json") << R"({"add_bos_token": false, "add_eos_token": true,
        "bos_token": "<s>", "eos_token": "</s>", "model_max_length": 2048, "tokenizer_class": "LlamaTokenizer"})";
    auto t = tok::loadTokenizer(dir);
    ASSERT_TRUE(t.has_value()) << t.error().toString();
    auto ids = (*t)->encode("the fox", true);
    ASSERT_TRUE(ids.has_value());
    EXPECT_NE(ids->front(), *(*t)->bosId());
    EXPECT_EQ(ids->back(), *(*t)->eosId());
    EXPECT_EQ((*t)->config().modelMaxLength, 2048);
}

} // namespace
