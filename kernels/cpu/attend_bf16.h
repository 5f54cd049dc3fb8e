// SPDX-License-Identifier: Apache-2.0
// Attention of one new query token over a bf16 key/value cache (decoding, batch 1), with the rounding points of
// the eager bf16 graph it replaces (core/models/transformer.cpp, AttentionImpl::forward):
//   score[s] = bf16(bf16(q_h . k_s) * scale)          q: (H, D), k/v: (Hkv, capacity, D), s < count
//   p        = bf16(softmax_float32(score))
//   out[h]   = bf16(sum_s p[s] * v_s)                  out: (H, D); head h reads KV head h / (H / Hkv)
// Dot products and sums accumulate in float32. Heads [headBegin, headEnd) only, so the caller threads over
// heads. The key order does not matter (one query, nothing masked), which lets a sliding-window ring be read
// as it lies. Torch-free header: raw pointers and sizes.
#pragma once

#include <cstdint>

namespace td::kernels
{

struct AttendArgs
{
    const std::uint16_t* q = nullptr; ///< (H, D)
    const std::uint16_t* k = nullptr; ///< (Hkv, capacity, D)
    const std::uint16_t* v = nullptr; ///< (Hkv, capacity, D)
    std::uint16_t* out = nullptr;     ///< (H, D)
    std::int64_t heads = 0, kvHeads = 0, headDim = 0;
    std::int64_t capacity = 0, count = 0;
    float scale = 1.0f;
    float* scratch = nullptr; ///< count floats per thread (scores), owned by the caller
};

/// AVX512-BF16 version (requires hasAvx512Bf16()).
void attendOneBf16(const AttendArgs& a, std::int64_t headBegin, std::int64_t headEnd);
/// Plain reference: same maths and rounding in scalar float32.
void attendOneBf16Reference(const AttendArgs& a, std::int64_t headBegin, std::int64_t headEnd);

} // namespace td::kernels
