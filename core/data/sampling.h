// SPDX-License-Identifier: Apache-2.0
// Seeded, platform-independent randomness for datasets: shuffling, num_samples resampling, mixing several
// datasets (concat, interleave_under, interleave_over, interleave_once with optional probabilities) and the
// train/validation split (val_size as a fraction or a count). The generator is std::mt19937_64 with our own
// bounded draws, so results are identical on every compiler; they do not reproduce numpy's streams.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/data/record.h"

namespace td::data
{

class Rng
{
public:
    explicit Rng(uint64_t seed) : m_gen(seed) {}
    /// Uniform in [0, n), n > 0.
    uint64_t below(uint64_t n);
    /// Uniform in [0, 1).
    double uniform();
    /// A random permutation of 0..n-1 (Fisher-Yates).
    std::vector<std::size_t> permutation(std::size_t n);

private:
    std::mt19937_64 m_gen;
};

/// Shuffles in place with the seed.
void shuffleRecords(std::vector<Record>& records, uint64_t seed);

/// num_samples: a permutation truncated to n; when n exceeds the size the shortfall is drawn with replacement.
std::vector<Record> resample(std::vector<Record> records, std::size_t n, uint64_t seed);

enum class MixStrategy
{
    Concat,
    InterleaveUnder, ///< stop when the first dataset runs out (round-robin: whole cycles of the shortest)
    InterleaveOver,  ///< restart exhausted datasets until every one has been used up at least once
    InterleaveOnce,  ///< until all are exhausted, without restarting
};
Expected<MixStrategy> parseMixStrategy(std::string_view s);

/// Merges datasets. Without probabilities, interleaving is round-robin; with them (one per dataset, summing to
/// 1), each next row is drawn from a dataset chosen at random with the seed.
Expected<std::vector<Record>> mergeRecords(std::vector<std::vector<Record>> datasets, MixStrategy strategy,
                                           const std::vector<double>& probabilities = {}, uint64_t seed = 42);

/// "0.3,0.7" → {0.3, 0.7}.
Expected<std::vector<double>> parseProbabilities(std::string_view s);

struct SplitRecords
{
    std::vector<Record> train;
    std::vector<Record> validation;
};

/// Indices of a train/validation split of n rows (see splitTrainVal); validation first in permuted order.
Expected<std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> splitIndices(std::size_t n, double valSize,
                                                                                     uint64_t seed);

/// val_size in (0,1) is a fraction (ceil(val_size * n) validation rows), val_size >= 1 a row count; the rows
/// are permuted with the seed and the first ones become validation (datasets' train_test_split).
Expected<SplitRecords> splitTrainVal(std::vector<Record> records, double valSize, uint64_t seed);

} // namespace td::data
