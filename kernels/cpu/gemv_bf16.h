// SPDX-License-Identifier: Apache-2.0
// bf16 matrix-vector product for decoding on CPUs with AVX512-BF16 (Zen 4, Sapphire Rapids, ...):
//   y[o] = sum_i W[o, i] * x[i]   for o in [rowBegin, rowEnd)
// W: (rows, cols) bf16 row-major, x: (cols) bf16, y: float32, accumulation in float32 (vdpbf16ps).
// Decode reads every weight once per token, so this is memory-bound; libtorch 1.13 sends a 1-row bf16
// linear through oneDNN's GEMM, which reaches ~4.6 GB/s here against ~15 GB/s for this kernel (bench:
// `tunedesk-cli bench generate`, validator: tests/kernels/test_gemv_bf16.cpp). Threading is the caller's
// (at::parallel_for over row ranges). Torch-free header: raw pointers and sizes.
#pragma once

#include <cstdint>

namespace td::kernels
{

/// True when the CPU runs AVX512-BF16 (checked once).
bool hasAvx512Bf16();

/// Where the kernel writes row o: y[o] (float32) or yBf16[o] (rounded to nearest even), optionally plus
/// bias[o] (bf16) added in float32 before rounding. Exactly one of y / yBf16 is non-null.
struct GemvOut
{
    float* y = nullptr;
    std::uint16_t* yBf16 = nullptr;
    const std::uint16_t* bias = nullptr;
};

/// The kernel (requires hasAvx512Bf16()). Any cols (the tail is masked).
void gemvBf16Rows(const std::uint16_t* w, const std::uint16_t* x, const GemvOut& out, std::int64_t rowBegin,
                  std::int64_t rowEnd, std::int64_t cols);

/// Plain reference: same maths in scalar float32.
void gemvBf16Reference(const std::uint16_t* w, const std::uint16_t* x, const GemvOut& out, std::int64_t rowBegin,
                       std::int64_t rowEnd, std::int64_t cols);

/// float32 → bf16, round to nearest even (c10::BFloat16's rounding).
std::uint16_t floatToBf16(float f);

} // namespace td::kernels
