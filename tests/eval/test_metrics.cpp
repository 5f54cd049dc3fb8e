// SPDX-License-Identifier: Apache-2.0
// Generation metrics (core/eval/metrics.h) against the real Python implementations LLaMA-Factory uses:
// tests/eval/data/metric_cases.json comes from tools/make_metric_fixtures.py run with Debian's jieba 0.42.1,
// NLTK 3.8 and numpy. jieba tokens must be identical, BLEU within 1e-12 (and the x100-rounded value
// identical), Python's round() and numpy's mean identical. rouge_chinese is not packaged for Debian, so
// ROUGE is checked on hand-computed cases (the counts are in the comments) and on its properties.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/eval/metrics.h"
#include "core/eval/pystr.h"

namespace fs = std::filesystem;
using namespace td::eval;
namespace py = td::eval::detail; // "detail" alone is ambiguous next to ATen's ::detail (the engine PCH)

namespace
{

const nlohmann::json& fixtures()
{
    static const nlohmann::json data = [] {
        const char* src = std::getenv("TD_SOURCE_DIR");
        std::ifstream in(fs::path(src ? src : ".") / "tests/eval/data/metric_cases.json");
        return in ? nlohmann::json::parse(in) : nlohmann::json();
    }();
    return data;
}

#define REQUIRE_FIXTURES()                                                                                             \
    if (fixtures().is_null())                                                                                          \
    GTEST_FAIL() << "tests/eval/data/metric_cases.json not found (TD_SOURCE_DIR is set by ctest)"

#define REQUIRE_SEGMENTER(seg)                                                                                         \
    const auto seg = Segmenter::shared();                                                                              \
    if (!seg)                                                                                                          \
    GTEST_SKIP() << "jieba's dictionary is not installed (install python3-jieba); segmentation and ROUGE untested"

std::string show(const std::vector<std::string>& tokens)
{
    return nlohmann::json(tokens).dump();
}

/// rouge_chinese's F from hand-counted numbers: P = overlap / hyp, R = overlap / ref, F = 2PR / (P + R + 1e-8).
double handF(double overlap, double hypCount, double refCount)
{
    const double p = overlap / hypCount, r = overlap / refCount;
    return 2.0 * ((p * r) / (p + r + 1e-8));
}

} // namespace

TEST(Segmenter, MatchesJiebaOnFixtureTexts)
{
    REQUIRE_FIXTURES();
    REQUIRE_SEGMENTER(seg);
    std::size_t checked = 0;
    for (const auto& c : fixtures()["cases"]) {
        for (const char* side : {"predict", "label"}) {
            const std::string text = c[side];
            const auto want = c[std::string(side) + "_tokens"].get<std::vector<std::string>>();
            EXPECT_EQ(show(seg->cut(text)), show(want)) << side << ": " << text;
            ++checked;
        }
    }
    for (const auto& s : fixtures()["segment"]) {
        const std::string text = s["text"];
        EXPECT_EQ(show(seg->cut(text)), show(s["tokens"].get<std::vector<std::string>>())) << text;
        ++checked;
    }
    EXPECT_GT(checked, 150u);
}

TEST(Segmenter, MissingDictionaryIsAClearError)
{
    const auto r = Segmenter::load(fs::path(TD_TEST_BINARY_DIR) / "no-such-jieba-dir");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, td::ErrorCode::FileNotFound);
    EXPECT_NE(r.error().hint.find("python3-jieba"), std::string::npos) << r.error().hint;
}

TEST(Segmenter, ReadsPythonLiteralTablesAndRejectsBadDictionaries)
{
    // A tiny jieba folder: the literal forms Python accepts (u'' prefix, raw UTF-8 keys, \u and \U escapes,
    // comments, exponents) must parse; the words decide the DAG route, the HMM tags the unknown run.
    const fs::path dir = fs::path(TD_TEST_BINARY_DIR) / "test-home" / "tiny-jieba";
    fs::create_directories(dir / "finalseg");
    std::ofstream(dir / "dict.txt") << "北京 100 ns\n大学 50 n\n北京大学 80 nt\n";
    std::ofstream(dir / "finalseg" / "prob_start.py") << "P={'B': -0.26, 'E': -3.14e+100,\n 'M': -3.14e+100, # c\n"
                                                         " u'S': -1.46}\n";
    std::ofstream(dir / "finalseg" / "prob_trans.py")
        << "P={'B': {'E': -0.51, 'M': -0.91}, 'E': {'B': -0.58, 'S': -0.80},\n"
           " 'M': {'E': -0.33, 'M': -1.26}, \"S\": {'B': -0.72, 'S': -0.66}}\n";
    std::ofstream(dir / "finalseg" / "prob_emit.py")
        << "from __future__ import unicode_literals\n\nP={'B': {'\\u4f60': -1.0, '好': -9.0},\n"
           " 'E': {'\\U0000597d': -1.0}, 'M': {'\\u4f60': -9.0}, 'S': {'\\u4f60': -5.0, '好': -5.0}}\n";
    auto seg = Segmenter::load(dir);
    ASSERT_TRUE(seg.has_value()) << seg.error().toString();
    // log(80/230) beats log(100/230) + log(50/230), so 北京大学 stays one word; 你好 is unknown to the
    // dictionary, and the HMM tags it B E (start B + emit 你 + trans B->E + emit 好 is the best path).
    EXPECT_EQ(show((*seg)->cut("北京大学你好")), show({"北京大学", "你好"}));

    std::ofstream(dir / "dict.txt") << "北京 100 ns\n大学 lots n\n";
    const auto bad = Segmenter::load(dir);
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().code, td::ErrorCode::BadTokenizer);
    EXPECT_NE(bad.error().message.find("line 2"), std::string::npos) << bad.error().message;
}

TEST(Bleu, MatchesNltkSentenceBleuMethod3)
{
    REQUIRE_FIXTURES();
    std::size_t bitExact = 0, n = 0;
    for (const auto& c : fixtures()["cases"]) {
        const std::string pred = c["predict"], label = c["label"];
        const double want = c["bleu"].get<double>();
        const double got = sentenceBleu4Chars(pred, label);
        EXPECT_NEAR(got, want, 1e-12) << pred << " | " << label;
        bitExact += got == want;
        ++n;
        // The per-example value LLaMA-Factory reports: round(bleu * 100, 4), identical.
        EXPECT_EQ(py::pyRound(got * 100.0, 4), c["bleu4"].get<double>()) << pred << " | " << label;
    }
    EXPECT_EQ(bitExact, n) << "BLEU values not bit-identical to NLTK (within 1e-12 is the requirement)";
}

TEST(Bleu, EdgeCases)
{
    EXPECT_EQ(sentenceBleu4Chars("", "reference"), 0.0); // NLTK: no 1-gram match -> 0
    EXPECT_EQ(sentenceBleu4Chars("", ""), 0.0);
    EXPECT_EQ(sentenceBleu4Chars("abc", ""), 0.0);
    EXPECT_EQ(sentenceBleu4Chars("xyz", "abc"), 0.0);
    // One matching character, nothing longer: p1 = 1, p2..p4 = 1/2, 1/4, 1/8 (method3 with denominators 1),
    // BP = 1: exp((0 + log 1/2 + log 1/4 + log 1/8) / 4) = 2^(-6/4).
    EXPECT_NEAR(sentenceBleu4Chars("a", "a"), std::pow(2.0, -1.5), 1e-15);
    // Characters are code points, not bytes: 你好 has 2 tokens, both match, 2-gram matches too.
    // p = 1, 1, 1/(2*1), 1/(4*1): exp((log 1/2 + log 1/4) / 4) = 2^(-3/4).
    EXPECT_NEAR(sentenceBleu4Chars("你好", "你好"), std::pow(2.0, -0.75), 1e-15);
    // Brevity penalty: 2 chars against 4 -> exp(1 - 4/2) = e^-1 on top of the precisions.
    EXPECT_NEAR(sentenceBleu4Chars("ab", "abcd"), std::exp(-1.0) * std::pow(2.0, -0.75), 1e-15);
}

TEST(Rouge, HandComputedCases)
{
    // 1. hyp "the cat sat on the mat" (6 words), ref "the cat is on the mat" (6 words).
    //    1-grams are sets (exclusive=True): H = {the, cat, sat, on, mat}, R = {the, cat, is, on, mat}, 4 shared.
    //    2-grams: H = {the cat, cat sat, sat on, on the, the mat}, R = {the cat, cat is, is on, on the, the mat},
    //    3 shared. LCS = "the cat on the mat" = 5 of 6 words on both sides.
    RougeF f = rougeScores("the cat sat on the mat", "the cat is on the mat");
    EXPECT_EQ(f.r1, handF(4, 5, 5)); // 0.79999999500...
    EXPECT_EQ(f.r2, handF(3, 5, 5)); // 0.59999999500...
    EXPECT_EQ(f.rl, handF(5, 6, 6)); // 0.83333332833...

    // 2. Repetitions: hyp "a a a", ref "a". 1-gram sets {a} and {a}: P = R = 1. 2-grams {a a} vs none: 0.
    //    ROUGE-L counts words with repetitions: LCS 1, P = 1/3, R = 1/1.
    f = rougeScores("a a a", "a");
    EXPECT_EQ(f.r1, handF(1, 1, 1));
    EXPECT_EQ(f.r2, 0.0);
    EXPECT_EQ(f.rl, handF(1, 3, 1)); // 0.49999999625

    // 3. n-grams run across sentences: "。" ends a sentence, but the words are flattened first, so the 2-gram
    //    (。, 世界) exists on both sides. Identical texts give F = 2 / (2 + 1e-8), which rounds to 100.
    f = rougeScores("你好 。 世界", "你好 。 世界");
    EXPECT_EQ(f.r1, handF(3, 3, 3));
    EXPECT_EQ(f.r2, handF(2, 2, 2));
    EXPECT_EQ(f.rl, handF(3, 3, 3));
    EXPECT_EQ(py::pyRound(f.r1 * 100, 4), 100.0);

    // 4. cut_sent's quirk: after "。" a new sentence starts, so in "x 。 \n y" the piece between "。\n" and
    //    the newline is " ", which rouge_chinese turns into an empty word: H = [x, 。, "", y].
    //    Against R = [x, 。, y]: 1-grams 3 of 4 / 3 of 3; 2-grams H = {x 。, 。 "", "" y}, R = {x 。, 。 y}: 1
    //    shared; LCS 3 (P = 3/4, R = 1).
    f = rougeScores("x 。 \n y", "x 。 y");
    EXPECT_EQ(f.r1, handF(3, 4, 3));
    EXPECT_EQ(f.r2, handF(1, 3, 2));
    EXPECT_EQ(f.rl, handF(3, 4, 3));
    //    Without the "。" no sentence break happens before the newline, " ".join(piece.split()) swallows it,
    //    and the two sides are identical.
    f = rougeScores("x \n y", "x y");
    EXPECT_EQ(f.r1, handF(2, 2, 2));
    EXPECT_EQ(f.r2, handF(1, 1, 1));
    //    Six dots break a sentence too (and so do two "…"): "a ...... \n b" -> [a, ......, "", b].
    f = rougeScores("a ...... \n b", "a ...... b");
    EXPECT_EQ(f.r1, handF(3, 4, 3));
    f = rougeScores("a …… \n b", "a …… b");
    EXPECT_EQ(f.r1, handF(3, 4, 3));

    // 5. jieba's "a\n\nb" -> "a \n \n b": pieces "a ", " ", " b" -> [a, "", b] against [a, b]:
    //    1-grams 2 of 3 / 2 of 2, 2-grams {a "", "" b} vs {a b}: none, LCS 2 (P = 2/3, R = 1).
    f = rougeScores("a \n \n b", "a b");
    EXPECT_EQ(f.r1, handF(2, 3, 2));
    EXPECT_EQ(f.r2, 0.0);
    EXPECT_EQ(f.rl, handF(2, 3, 2));

    // 6. Disjoint texts score 0; an empty side (rouge_chinese would raise) scores 0.
    f = rougeScores("甲 乙 丙", "丁 戊");
    EXPECT_EQ(f.r1, 0.0);
    EXPECT_EQ(f.r2, 0.0);
    EXPECT_EQ(f.rl, 0.0);
    f = rougeScores("", "a b");
    EXPECT_EQ(f.r1, 0.0);
}

TEST(Rouge, SymmetricAndBoundedOnFixtureTexts)
{
    REQUIRE_FIXTURES();
    for (const auto& c : fixtures()["cases"]) {
        if (c["rouge_zero"].get<bool>()) {
            continue;
        }
        const auto join = [](const nlohmann::json& tokens) {
            std::string s;
            for (const auto& t : tokens) {
                s += (s.empty() ? "" : " ") + t.get<std::string>();
            }
            return s;
        };
        const std::string h = join(c["predict_tokens"]), r = join(c["label_tokens"]);
        const RougeF a = rougeScores(h, r), b = rougeScores(r, h);
        // Swapping the sides swaps P and R; F = 2PR / (P + R + 1e-8) is the same float.
        EXPECT_EQ(a.r1, b.r1) << h;
        EXPECT_EQ(a.r2, b.r2) << h;
        EXPECT_EQ(a.rl, b.rl) << h;
        for (double v : {a.r1, a.r2, a.rl}) {
            EXPECT_GE(v, 0.0);
            EXPECT_LT(v, 1.0);
        }
        const RougeF self = rougeScores(h, h);
        EXPECT_EQ(py::pyRound(self.r1 * 100, 4), 100.0) << h;
        EXPECT_EQ(py::pyRound(self.rl * 100, 4), 100.0) << h;
    }
}

TEST(ScoreSample, AgreesWithLlamaFactoryPerExample)
{
    REQUIRE_FIXTURES();
    REQUIRE_SEGMENTER(seg);
    std::vector<SampleScores> all;
    for (const auto& c : fixtures()["cases"]) {
        const std::string pred = c["predict"], label = c["label"];
        const SampleScores s = scoreSample(*seg, pred, label);
        EXPECT_EQ(s.bleu4, c["bleu4"].get<double>()) << pred;
        if (c["rouge_zero"].get<bool>()) {
            EXPECT_EQ(s.rouge1 + s.rouge2 + s.rougeL, 0.0) << pred;
        }
        all.push_back(s);
    }
    EXPECT_EQ(meanScores(all).bleu4, fixtures()["bleu4_mean"].get<double>()); // np.mean, to the last bit
    EXPECT_EQ(meanScores({}).bleu4, 0.0);

    // Identical Chinese text: every score is round(100 * 0.999999995, 4) = 100.
    const SampleScores same = scoreSample(*seg, "我爱北京天安门", "我爱北京天安门");
    EXPECT_EQ(same.bleu4, 100.0);
    EXPECT_EQ(same.rouge1, 100.0);
    EXPECT_EQ(same.rouge2, 100.0);
    EXPECT_EQ(same.rougeL, 100.0);
}

TEST(PythonNumbers, RoundAndNumpyMean)
{
    REQUIRE_FIXTURES();
    for (const auto& r : fixtures()["round4"]) {
        EXPECT_EQ(py::pyRound(r["x"].get<double>(), 4), r["rounded"].get<double>()) << r.dump();
    }
    for (const auto& m : fixtures()["numpy_mean"]) {
        const int n = m["n"];
        std::vector<double> v(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) { // the list tools/make_metric_fixtures.py builds (mean_values)
            v[static_cast<std::size_t>(i)] = py::pyRound(static_cast<double>(i * 7919 % 10007) / 100.07, 4);
        }
        EXPECT_EQ(py::numpyMean(v), m["mean"].get<double>()) << "n = " << n;
    }
    // math.fsum keeps what a left-to-right sum loses (values from /usr/bin/python3).
    EXPECT_EQ(py::pyFsum(std::vector<double>{1.0, 1e-16, 1e-16}), 1.0000000000000002);
    EXPECT_EQ(py::pyFsum(std::vector<double>{1e100, 1.0, -1e100, 1e-16, 1e-16}), 1.0000000000000002);
    EXPECT_EQ(py::pyFsum(std::vector<double>(10, 0.1)), 1.0);
}

TEST(Metrics, Timings)
{
    REQUIRE_FIXTURES();
    const auto t0 = std::chrono::steady_clock::now();
    const auto seg = Segmenter::load();
    const auto t1 = std::chrono::steady_clock::now();
    if (!seg) {
        GTEST_SKIP() << seg.error().toString();
    }
    std::size_t samples = 0;
    for (int rep = 0; rep < 20; ++rep) {
        for (const auto& c : fixtures()["cases"]) {
            scoreSample(**seg, c["predict"].get<std::string>(), c["label"].get<std::string>());
            ++samples;
        }
    }
    const auto t2 = std::chrono::steady_clock::now();
    const double loadMs = std::chrono::duration<double, std::milli>(t1 - t0).count();
    const double perSampleUs = std::chrono::duration<double, std::micro>(t2 - t1).count() / samples;
    std::printf("{\"jieba_load_ms\": %.1f, \"score_us_per_sample\": %.1f, \"samples\": %zu}\n", loadMs, perSampleUs,
                samples);
    EXPECT_LT(loadMs, 5000.0); // generous: a loaded CI machine; ~0.2 s is typical
}
