// SPDX-License-Identifier: Apache-2.0
// One-query bf16 attention over the KV cache (see attend_bf16.h). For the SmolLM2-135M shape (9 heads, D 64,
// ~100 cached keys) this is ~0.1 ms per token for 30 layers, against ~1 ms for the ATen graph (matmul, mul,
// softmax, cast, matmul and their allocations), which at 80+ tokens/s is a tenth of the budget.
#include "kernels/cpu/attend_bf16.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "kernels/cpu/gemv_bf16.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define TD_ATTEND_X86 1
#endif

namespace td::kernels
{

namespace
{

float toFloat(std::uint16_t v)
{
    const std::uint32_t bits = static_cast<std::uint32_t>(v) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float roundBf16(float f)
{
    return toFloat(floatToBf16(f));
}

// p[0..count) = bf16(softmax(scores)) in float32, as at::softmax(x, -1, kFloat).to(bf16).
void softmaxRounded(float* p, std::int64_t count)
{
    float mx = -std::numeric_limits<float>::infinity();
    for (std::int64_t s = 0; s < count; ++s) {
        mx = std::max(mx, p[s]);
    }
    float sum = 0;
    for (std::int64_t s = 0; s < count; ++s) {
        p[s] = std::exp(p[s] - mx);
        sum += p[s];
    }
    const float inv = 1.0f / sum;
    for (std::int64_t s = 0; s < count; ++s) {
        p[s] = roundBf16(p[s] * inv);
    }
}

} // namespace

void attendOneBf16Reference(const AttendArgs& a, std::int64_t headBegin, std::int64_t headEnd)
{
    const std::int64_t d = a.headDim;
    const std::int64_t rep = a.heads / a.kvHeads;
    for (std::int64_t h = headBegin; h < headEnd; ++h) {
        const std::uint16_t* q = a.q + h * d;
        const std::int64_t kvh = h / rep;
        const std::uint16_t* k = a.k + kvh * a.capacity * d;
        const std::uint16_t* v = a.v + kvh * a.capacity * d;
        float* p = a.scratch;
        for (std::int64_t s = 0; s < a.count; ++s) {
            float acc = 0;
            for (std::int64_t i = 0; i < d; ++i) {
                acc += toFloat(q[i]) * toFloat(k[s * d + i]);
            }
            p[s] = roundBf16(roundBf16(acc) * a.scale);
        }
        softmaxRounded(p, a.count);
        for (std::int64_t i = 0; i < d; ++i) {
            float acc = 0;
            for (std::int64_t s = 0; s < a.count; ++s) {
                acc += p[s] * toFloat(v[s * d + i]);
            }
            a.out[h * d + i] = floatToBf16(acc);
        }
    }
}

#ifdef TD_ATTEND_X86

__attribute__((target("avx512f,avx512bw,avx512bf16"))) void attendOneBf16(const AttendArgs& a, std::int64_t headBegin,
                                                                        std::int64_t headEnd)
{
    const std::int64_t d = a.headDim;
    if (d % 32 != 0 || d > 256) {
        attendOneBf16Reference(a, headBegin, headEnd);
        return;
    }
    const std::int64_t rep = a.heads / a.kvHeads;
    const std::int64_t chunks = d / 32; // 32 bf16 per 512-bit register
    for (std::int64_t h = headBegin; h < headEnd; ++h) {
        const std::uint16_t* q = a.q + h * d;
        const std::int64_t kvh = h / rep;
        const std::uint16_t* k = a.k + kvh * a.capacity * d;
        const std::uint16_t* v = a.v + kvh * a.capacity * d;
        __m512bh qv[8];
        for (std::int64_t c = 0; c < chunks; ++c) {
            qv[c] = reinterpret_cast<__m512bh>(_mm512_loadu_si512(q + 32 * c));
        }
        float* p = a.scratch;
        for (std::int64_t s = 0; s < a.count; ++s) {
            __m512 acc = _mm512_setzero_ps();
            for (std::int64_t c = 0; c < chunks; ++c) {
                acc = _mm512_dpbf16_ps(acc, qv[c], reinterpret_cast<__m512bh>(_mm512_loadu_si512(k + s * d + 32 * c)));
            }
            p[s] = roundBf16(roundBf16(_mm512_reduce_add_ps(acc)) * a.scale);
        }
        softmaxRounded(p, a.count);
        // out (D) = sum_s p[s] * v_s: 16 floats per register, bf16 widened by a 16-bit shift.
        __m512 o[16];
        const std::int64_t lanes = d / 16;
        for (std::int64_t c = 0; c < lanes; ++c) {
            o[c] = _mm512_setzero_ps();
        }
        for (std::int64_t s = 0; s < a.count; ++s) {
            const __m512 ps = _mm512_set1_ps(p[s]);
            const std::uint16_t* row = v + s * d;
            for (std::int64_t c = 0; c < lanes; ++c) {
                const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 16 * c));
                const __m512 vf = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(raw), 16));
                o[c] = _mm512_fmadd_ps(ps, vf, o[c]);
            }
        }
        for (std::int64_t c = 0; c < lanes; ++c) {
            alignas(64) float tmp[16];
            _mm512_store_ps(tmp, o[c]);
            for (int i = 0; i < 16; ++i) {
                a.out[h * d + 16 * c + i] = floatToBf16(tmp[i]);
            }
        }
    }
}

#else

void attendOneBf16(const AttendArgs& a, std::int64_t headBegin, std::int64_t headEnd)
{
    attendOneBf16Reference(a, headBegin, headEnd);
}

#endif

} // namespace td::kernels
