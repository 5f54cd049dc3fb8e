// SPDX-License-Identifier: Apache-2.0
// Order and shape of the training data: a seeded permutation per epoch (HF's RandomSampler reseeded with
// seed + epoch, so a resumed run sees the same order), fixed-size batches (the last one may be short), and the
// collator that pads rows on the right to the longest row of the batch (labels -100 and attention 0 on pads).
#pragma once

#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/data/preprocess.h"

namespace td::train
{

struct Batch
{
    at::Tensor inputIds;      ///< (B, T) int64
    at::Tensor labels;        ///< (B, T) int64, -100 = no loss
    at::Tensor attentionMask; ///< (B, T) int64 1/0; undefined when no row is padded
    std::int64_t tokens = 0;  ///< non-padding input tokens
    std::int64_t targets = 0; ///< predicted positions: labels[:, 1:] != -100
};

/// Indices 0..n-1 in batches of `batchSize`, shuffled with (seed, epoch) unless `shuffle` is false.
std::vector<std::vector<std::int64_t>> epochBatches(std::int64_t n, std::int64_t batchSize, std::uint64_t seed,
                                                    std::int64_t epoch, bool shuffle = true);

/// Pads and stacks examples (packed rows keep their attention mask values > 0 as 1: plain packing attends
/// across the packed examples, as LLaMA-Factory's non-neat packing does).
Batch collate(const std::vector<const data::TokenizedExample*>& rows, std::int64_t padId, const c10::Device& device);

} // namespace td::train
