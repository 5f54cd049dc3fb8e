// SPDX-License-Identifier: Apache-2.0
// metrics_dump: stdin JSON lines {"predict": str, "label": str} -> stdout JSON lines with our jieba tokens of
// both sides, the raw BLEU and the four per-example scores; with {"rouge_hyp", "rouge_ref"} also the raw
// rougeScores() F values of those two strings as given. A developer aid for comparing thousands of texts with
// the Python packages (jieba, nltk, a rouge_chinese checkout) beyond the fixture file; not a test.
#include <cstdio>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/eval/metrics.h"

int main()
{
    auto seg = td::eval::Segmenter::load();
    if (!seg) {
        std::cerr << seg.error().toString() << "\n";
        return 1;
    }
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty()) {
            continue;
        }
        const auto in = nlohmann::json::parse(line);
        const std::string pred = in.value("predict", "");
        const std::string label = in.value("label", "");
        const auto s = td::eval::scoreSample(**seg, pred, label);
        nlohmann::json out = {{"predict_tokens", (*seg)->cut(pred)},
                              {"label_tokens", (*seg)->cut(label)},
                              {"bleu", td::eval::sentenceBleu4Chars(pred, label)},
                              {"bleu-4", s.bleu4},
                              {"rouge-1", s.rouge1},
                              {"rouge-2", s.rouge2},
                              {"rouge-l", s.rougeL}};
        if (in.contains("rouge_hyp")) {
            const auto f = td::eval::rougeScores(in.value("rouge_hyp", ""), in.value("rouge_ref", ""));
            out["rouge_raw"] = {f.r1, f.r2, f.rl};
        }
        std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    return 0;
}
