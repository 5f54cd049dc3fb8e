// SPDX-License-Identifier: Apache-2.0
#include "core/train/batches.h"

#include <algorithm>
#include <numeric>
#include <random>

#include <ATen/ATen.h>

namespace td::train
{

std::vector<std::vector<std::int64_t>> epochBatches(std::int64_t n, std::int64_t batchSize, std::uint64_t seed,
                                                    std::int64_t epoch, bool shuffle)
{
    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    if (shuffle) {
        // Our own generator (not numpy's): the order differs from LLaMA-Factory's, but it is fixed by
        // (seed, epoch), which is what reproducibility and resume need.
        std::mt19937_64 rng(seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
        for (std::int64_t i = n - 1; i > 0; --i) {
            std::uniform_int_distribution<std::int64_t> pick(0, i);
            std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(pick(rng))]);
        }
    }
    std::vector<std::vector<std::int64_t>> batches;
    for (std::int64_t start = 0; start < n; start += batchSize) {
        batches.emplace_back(order.begin() + start, order.begin() + std::min(n, start + batchSize));
    }
    return batches;
}

Batch collate(const std::vector<const data::TokenizedExample*>& rows, std::int64_t padId, const c10::Device& device)
{
    std::size_t width = 0;
    for (const auto* r : rows) {
        width = std::max(width, r->inputIds.size());
    }
    const auto b = static_cast<std::int64_t>(rows.size());
    const auto t = static_cast<std::int64_t>(width);
    at::Tensor ids = at::full({b, t}, padId, at::kLong);
    at::Tensor labels = at::full({b, t}, data::kIgnoreIndex, at::kLong);
    at::Tensor mask = at::zeros({b, t}, at::kLong);
    auto* pi = ids.data_ptr<std::int64_t>();
    auto* pl = labels.data_ptr<std::int64_t>();
    auto* pm = mask.data_ptr<std::int64_t>();
    Batch out;
    bool padded = false;
    for (std::int64_t i = 0; i < b; ++i) {
        const auto& r = *rows[static_cast<std::size_t>(i)];
        for (std::size_t j = 0; j < r.inputIds.size(); ++j) {
            const bool real = r.attentionMask.empty() || r.attentionMask[j] > 0;
            pi[i * t + static_cast<std::int64_t>(j)] = r.inputIds[j];
            pl[i * t + static_cast<std::int64_t>(j)] = j < r.labels.size() ? r.labels[j] : data::kIgnoreIndex;
            pm[i * t + static_cast<std::int64_t>(j)] = real ? 1 : 0;
            out.tokens += real ? 1 : 0;
            padded = padded || !real;
            if (j > 0 && j < r.labels.size() && r.labels[j] != data::kIgnoreIndex) {
                ++out.targets;
            }
        }
        padded = padded || r.inputIds.size() < width;
    }
    out.inputIds = ids.to(device);
    out.labels = labels.to(device);
    if (padded) {
        out.attentionMask = mask.to(device);
    }
    return out;
}

} // namespace td::train
