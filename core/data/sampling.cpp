// SPDX-License-Identifier: Apache-2.0
// Implementation of the seeded dataset operations declared in sampling.h.
#include "core/data/sampling.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace td::data
{

uint64_t Rng::below(uint64_t n)
{
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
        x = m_gen();
    } while (x >= limit);
    return x % n;
}

double Rng::uniform()
{
    return static_cast<double>(m_gen() >> 11) * 0x1.0p-53;
}

std::vector<std::size_t> Rng::permutation(std::size_t n)
{
    std::vector<std::size_t> p(n);
    std::iota(p.begin(), p.end(), 0);
    for (std::size_t i = n; i > 1; --i) {
        std::swap(p[i - 1], p[below(i)]);
    }
    return p;
}

void shuffleRecords(std::vector<Record>& records, uint64_t seed)
{
    Rng rng(seed);
    const auto perm = rng.permutation(records.size());
    std::vector<Record> out;
    out.reserve(records.size());
    for (auto i : perm) {
        out.push_back(std::move(records[i]));
    }
    records = std::move(out);
}

std::vector<Record> resample(std::vector<Record> records, std::size_t n, uint64_t seed)
{
    if (records.empty()) {
        return records;
    }
    Rng rng(seed);
    auto perm = rng.permutation(records.size());
    if (n > perm.size()) {
        const std::size_t size = records.size();
        while (perm.size() < n) {
            perm.push_back(rng.below(size));
        }
    } else {
        perm.resize(n);
    }
    std::vector<Record> out;
    out.reserve(n);
    for (auto i : perm) {
        out.push_back(records[i]);
    }
    return out;
}

Expected<MixStrategy> parseMixStrategy(std::string_view s)
{
    if (s == "concat") {
        return MixStrategy::Concat;
    }
    if (s == "interleave_under") {
        return MixStrategy::InterleaveUnder;
    }
    if (s == "interleave_over") {
        return MixStrategy::InterleaveOver;
    }
    if (s == "interleave_once") {
        return MixStrategy::InterleaveOnce;
    }
    return makeError(ErrorCode::InvalidConfig, "unknown mix_strategy \"" + std::string(s) + "\"",
                     "use concat, interleave_under, interleave_over or interleave_once");
}

Expected<std::vector<double>> parseProbabilities(std::string_view s)
{
    std::vector<double> out;
    std::size_t start = 0;
    while (start < s.size()) {
        auto end = s.find(',', start);
        if (end == std::string_view::npos) {
            end = s.size();
        }
        const std::string part(s.substr(start, end - start));
        try {
            std::size_t used = 0;
            out.push_back(std::stod(part, &used));
        } catch (...) {
            return makeError(ErrorCode::InvalidConfig, "interleave_probs: \"" + part + "\" is not a number");
        }
        start = end + 1;
    }
    return out;
}

Expected<std::vector<Record>> mergeRecords(std::vector<std::vector<Record>> datasets, MixStrategy strategy,
                                           const std::vector<double>& probabilities, uint64_t seed)
{
    std::vector<Record> out;
    if (datasets.size() == 1 || strategy == MixStrategy::Concat) {
        for (auto& d : datasets) {
            std::move(d.begin(), d.end(), std::back_inserter(out));
        }
        return out;
    }
    const std::size_t k = datasets.size();
    if (!probabilities.empty()) {
        const double sum = std::accumulate(probabilities.begin(), probabilities.end(), 0.0);
        if (probabilities.size() != k || std::abs(sum - 1.0) > 1e-6) {
            return makeError(ErrorCode::InvalidConfig,
                             "interleave_probs needs one probability per dataset (" + std::to_string(k) +
                                 ") summing to 1",
                             "e.g. interleave_probs: 0.5,0.5");
        }
    }
    for (std::size_t i = 0; i < k; ++i) {
        if (datasets[i].empty()) {
            return makeError(ErrorCode::BadDataset,
                             "cannot interleave: dataset " + std::to_string(i + 1) + " has no rows");
        }
    }
    if (probabilities.empty() && strategy == MixStrategy::InterleaveUnder) {
        // round-robin in whole cycles until the shortest dataset is used up (datasets' first_exhausted)
        std::size_t shortest = datasets[0].size();
        for (const auto& d : datasets) {
            shortest = std::min(shortest, d.size());
        }
        for (std::size_t i = 0; i < shortest; ++i) {
            for (auto& d : datasets) {
                out.push_back(std::move(d[i]));
            }
        }
        return out;
    }
    std::vector<std::size_t> pos(k, 0);
    std::vector<bool> exhausted(k, false);
    std::size_t exhaustedCount = 0;
    Rng rng(seed);
    for (std::size_t step = 0;; ++step) {
        std::size_t d = step % k;
        if (!probabilities.empty()) {
            double u = rng.uniform();
            d = k - 1;
            for (std::size_t i = 0; i < k; ++i) {
                if (u < probabilities[i]) {
                    d = i;
                    break;
                }
                u -= probabilities[i];
            }
        }
        if (strategy == MixStrategy::InterleaveOnce && exhausted[d]) {
            if (exhaustedCount == k) {
                break;
            }
            continue;
        }
        if (pos[d] >= datasets[d].size()) {
            if (strategy == MixStrategy::InterleaveUnder) {
                break;
            }
            pos[d] = 0; // interleave_over: restart
        }
        out.push_back(datasets[d][pos[d]++]);
        if (pos[d] == datasets[d].size() && !exhausted[d]) {
            exhausted[d] = true;
            ++exhaustedCount;
            if (strategy == MixStrategy::InterleaveUnder || exhaustedCount == k) {
                break;
            }
        }
    }
    return out;
}

Expected<std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> splitIndices(std::size_t n, double valSize,
                                                                                     uint64_t seed)
{
    std::pair<std::vector<std::size_t>, std::vector<std::size_t>> out;
    if (valSize <= 0) {
        out.first.resize(n);
        std::iota(out.first.begin(), out.first.end(), 0);
        return out;
    }
    const std::size_t nVal = valSize < 1 ? static_cast<std::size_t>(std::ceil(valSize * static_cast<double>(n)))
                                         : static_cast<std::size_t>(valSize);
    if (nVal >= n) {
        return makeError(ErrorCode::InvalidConfig,
                         "val_size " + std::to_string(valSize) + " leaves no training rows out of " + std::to_string(n),
                         "use a smaller val_size (a fraction like 0.1, or a row count below the dataset size)");
    }
    Rng rng(seed);
    const auto perm = rng.permutation(n);
    out.second.assign(perm.begin(), perm.begin() + static_cast<std::ptrdiff_t>(nVal));
    out.first.assign(perm.begin() + static_cast<std::ptrdiff_t>(nVal), perm.end());
    return out;
}

Expected<SplitRecords> splitTrainVal(std::vector<Record> records, double valSize, uint64_t seed)
{
    auto idx = splitIndices(records.size(), valSize, seed);
    if (!idx) {
        return tl::unexpected(idx.error());
    }
    SplitRecords out;
    for (auto i : idx->first) {
        out.train.push_back(std::move(records[i]));
    }
    for (auto i : idx->second) {
        out.validation.push_back(std::move(records[i]));
    }
    return out;
}

} // namespace td::data
