// SPDX-License-Identifier: Apache-2.0
// SFT packing (LLaMA-Factory PackedSupervisedDatasetProcessor): greedy knapsack by length into rows of
// exactly cutoff_len + 1 tokens, padded with the pad id / -100; neat_packing numbers the sub-sequences in the
// attention mask (1, 2, ..., 0 for padding); position ids restart per sub-sequence.
#include <algorithm>
#include <map>

#include "core/data/preprocess.h"

namespace td::data
{

std::vector<std::vector<int64_t>> greedyKnapsack(std::vector<int64_t> lengths, int64_t capacity)
{
    std::sort(lengths.begin(), lengths.end());
    std::vector<std::vector<int64_t>> bins;
    while (!lengths.empty()) {
        std::vector<int64_t> bin;
        int64_t remaining = capacity;
        while (true) {
            // the largest length <= remaining (bisect_right - 1)
            auto it = std::upper_bound(lengths.begin(), lengths.end(), remaining);
            if (it == lengths.begin()) {
                break;
            }
            --it;
            remaining -= *it;
            bin.push_back(*it);
            lengths.erase(it);
        }
        if (bin.empty()) {
            break; // only items longer than the capacity remain (callers drop them first)
        }
        bins.push_back(std::move(bin));
    }
    return bins;
}

std::vector<TokenizedExample> packExamples(std::vector<TokenizedExample> examples, int64_t cutoffLen, TokenId padId,
                                           bool neat)
{
    std::map<int64_t, std::vector<std::size_t>> byLength;
    std::vector<int64_t> lengths;
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const auto len = static_cast<int64_t>(examples[i].inputIds.size());
        lengths.push_back(len);
        byLength[len].push_back(i);
    }
    std::vector<TokenizedExample> packed;
    for (const auto& bin : greedyKnapsack(lengths, cutoffLen)) {
        TokenizedExample row;
        for (std::size_t k = 0; k < bin.size(); ++k) {
            auto& stack = byLength[bin[k]];
            const std::size_t index = stack.back(); // list.pop(): the last one added
            stack.pop_back();
            const auto& ex = examples[index];
            row.inputIds.insert(row.inputIds.end(), ex.inputIds.begin(), ex.inputIds.end());
            row.labels.insert(row.labels.end(), ex.labels.begin(), ex.labels.end());
            for (std::size_t p = 0; p < ex.inputIds.size(); ++p) {
                row.positionIds.push_back(static_cast<int32_t>(p));
                row.attentionMask.push_back(neat ? static_cast<int32_t>(k + 1) : 1);
            }
            row.truncated = row.truncated || ex.truncated;
        }
        const auto target = static_cast<std::size_t>(cutoffLen + 1);
        if (row.inputIds.size() < target) {
            const std::size_t pad = target - row.inputIds.size();
            row.inputIds.insert(row.inputIds.end(), pad, padId);
            row.labels.insert(row.labels.end(), pad, kIgnoreIndex);
            row.positionIds.insert(row.positionIds.end(), pad, 0);
            row.attentionMask.insert(row.attentionMask.end(), pad, neat ? 0 : 1);
        }
        row.fullLength = static_cast<int64_t>(row.inputIds.size());
        packed.push_back(std::move(row));
    }
    return packed;
}

} // namespace td::data
