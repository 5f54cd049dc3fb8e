// SPDX-License-Identifier: Apache-2.0
// SentencePiece and libtorch in one process. Debian's libsentencepiece.so.0 embeds protobuf 3.14 and
// crashes at start-up next to libtorch (system protobuf 3.21); our static build uses the system protobuf.
// The test trains a small unigram model in-process, loads it, round-trips text, and uses torch alongside.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <ATen/ATen.h>
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

namespace fs = std::filesystem;

TEST(SentencePieceWithTorch, TrainLoadEncodeDecodeNextToTorch)
{
    // torch is initialised first, so both libraries' protobuf users live in this process.
    const at::Tensor t = at::arange(6, at::kFloat).reshape({2, 3});
    EXPECT_FLOAT_EQ(t.sum().item<float>(), 15.0f);

    const fs::path dir = fs::temp_directory_path() / ("td_spm_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    {
        std::ofstream corpus(dir / "corpus.txt");
        const char* lines[] = {"the quick brown fox jumps over the lazy dog",
                               "a fine tune of a language model needs a tokenizer",
                               "быстрая бурая лиса прыгает через ленивую собаку",
                               "敏捷的棕色狐狸跳过了懒狗", "tokens and pieces and more tokens"};
        for (int rep = 0; rep < 40; ++rep) {
            for (const char* l : lines) {
                corpus << l << "\n";
            }
        }
    }
    const std::string prefix = (dir / "tiny").string();
    const auto trained = sentencepiece::SentencePieceTrainer::Train(
        "--input=" + (dir / "corpus.txt").string() + " --model_prefix=" + prefix +
        " --vocab_size=100 --hard_vocab_limit=false --model_type=unigram --character_coverage=1.0 "
        "--minloglevel=2");
    ASSERT_TRUE(trained.ok()) << trained.ToString();

    sentencepiece::SentencePieceProcessor sp;
    const auto loaded = sp.Load(prefix + ".model");
    ASSERT_TRUE(loaded.ok()) << loaded.ToString();
    EXPECT_GT(sp.GetPieceSize(), 10);
    EXPECT_LE(sp.GetPieceSize(), 100);

    const std::string text = "the lazy fox and the быстрая собака";
    std::vector<int> ids;
    ASSERT_TRUE(sp.Encode(text, &ids).ok());
    EXPECT_FALSE(ids.empty());
    std::string decoded;
    ASSERT_TRUE(sp.Decode(ids, &decoded).ok());
    EXPECT_EQ(decoded, text);

    // Use the ids as a tensor: both libraries work together in one process.
    const at::Tensor idsTensor = at::tensor(std::vector<int64_t>(ids.begin(), ids.end()), at::kLong);
    EXPECT_EQ(idsTensor.numel(), static_cast<int64_t>(ids.size()));
    EXPECT_LT(idsTensor.max().item<int64_t>(), sp.GetPieceSize());
    fs::remove_all(dir);
}
