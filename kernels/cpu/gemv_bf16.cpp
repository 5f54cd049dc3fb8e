// SPDX-License-Identifier: Apache-2.0
// AVX512-BF16 GEMV (see gemv_bf16.h). Measured variants (1 thread, 210 distinct 1536x576 matrices):
// eight rows interleaved ~9 GB/s, one row streamed with four accumulators ~17 GB/s (kept). Compiled with a per-function target attribute, so the
// rest of the project keeps the baseline ISA and the engine dispatches at run time.
#include "kernels/cpu/gemv_bf16.h"

#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define TD_GEMV_X86 1
#endif

namespace td::kernels
{

namespace
{

float bf16ToFloat(std::uint16_t v)
{
    const std::uint32_t bits = static_cast<std::uint32_t>(v) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

inline void store(const GemvOut& out, std::int64_t o, float v)
{
    if (out.bias != nullptr) {
        v += bf16ToFloat(out.bias[o]);
    }
    if (out.yBf16 != nullptr) {
        out.yBf16[o] = floatToBf16(v);
    } else {
        out.y[o] = v;
    }
}

} // namespace

std::uint16_t floatToBf16(float f)
{
    std::uint32_t bits;
    std::memcpy(&bits, &f, 4);
    if ((bits & 0x7F800000u) == 0x7F800000u && (bits & 0x007FFFFFu) != 0) {
        return 0x7FC0; // NaN
    }
    bits += 0x7FFFu + ((bits >> 16) & 1u);
    return static_cast<std::uint16_t>(bits >> 16);
}

void gemvBf16Reference(const std::uint16_t* w, const std::uint16_t* x, const GemvOut& out, std::int64_t rowBegin,
                       std::int64_t rowEnd, std::int64_t cols)
{
    for (std::int64_t o = rowBegin; o < rowEnd; ++o) {
        float acc = 0;
        for (std::int64_t i = 0; i < cols; ++i) {
            acc += bf16ToFloat(w[o * cols + i]) * bf16ToFloat(x[i]);
        }
        store(out, o, acc);
    }
}

#ifdef TD_GEMV_X86

namespace
{

// acc += bf16 dot products of 32 elements of a and b (pairwise, float32 accumulation).
__attribute__((target("avx512f,avx512bw,avx512bf16"), always_inline)) inline __m512 dot(__m512 acc, const std::uint16_t* a,
                                                                                       const std::uint16_t* b)
{
    return _mm512_dpbf16_ps(acc, reinterpret_cast<__m512bh>(_mm512_loadu_si512(a)),
                            reinterpret_cast<__m512bh>(_mm512_loadu_si512(b)));
}

// Horizontal sum of 16 floats by halving shuffles (GCC 12's _mm512_reduce_add_ps trips -Wmaybe-uninitialized).
__attribute__((target("avx512f"), always_inline)) inline float hsum(__m512 v)
{
    v = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, 0x4E)); // swap 256-bit halves
    v = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, 0xB1)); // swap 128-bit lanes
    v = _mm512_add_ps(v, _mm512_permute_ps(v, 0x4E));       // swap 64-bit pairs
    v = _mm512_add_ps(v, _mm512_permute_ps(v, 0xB1));       // swap neighbours
    return _mm512_cvtss_f32(v);
}

} // namespace

bool hasAvx512Bf16()
{
    static const bool kHas = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                             __builtin_cpu_supports("avx512bf16");
    return kHas;
}

__attribute__((target("avx512f,avx512bw,avx512bf16"))) void gemvBf16Rows(const std::uint16_t* w,
                                                                       const std::uint16_t* x, const GemvOut& out,
                                                                       std::int64_t rowBegin, std::int64_t rowEnd,
                                                                       std::int64_t cols)
{
    // One row at a time, read front to back (one sequential stream for the prefetcher), with four
    // independent accumulators so the dot-product chains do not wait on each other.
    const std::int64_t full = cols / 32 * 32;
    const __mmask32 tailMask = static_cast<__mmask32>((1ull << (cols - full)) - 1);
    const __m512i xTail = _mm512_maskz_loadu_epi16(tailMask, x + full);
    for (std::int64_t o = rowBegin; o < rowEnd; ++o) {
        const std::uint16_t* row = w + o * cols;
        __m512 a0 = _mm512_setzero_ps();
        __m512 a1 = a0;
        __m512 a2 = a0;
        __m512 a3 = a0;
        std::int64_t i = 0;
        for (; i + 128 <= full; i += 128) {
            a0 = dot(a0, row + i, x + i);
            a1 = dot(a1, row + i + 32, x + i + 32);
            a2 = dot(a2, row + i + 64, x + i + 64);
            a3 = dot(a3, row + i + 96, x + i + 96);
        }
        for (; i < full; i += 32) {
            a0 = dot(a0, row + i, x + i);
        }
        if (full < cols) {
            const __m512i wv = _mm512_maskz_loadu_epi16(tailMask, row + full);
            a1 = _mm512_dpbf16_ps(a1, reinterpret_cast<__m512bh>(wv), reinterpret_cast<__m512bh>(xTail));
        }
        store(out, o, hsum(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3))));
    }
}

#else

bool hasAvx512Bf16()
{
    return false;
}

void gemvBf16Rows(const std::uint16_t* w, const std::uint16_t* x, const GemvOut& out, std::int64_t rowBegin,
                  std::int64_t rowEnd, std::int64_t cols)
{
    gemvBf16Reference(w, x, out, rowBegin, rowEnd, cols);
}

#endif

} // namespace td::kernels
