// SPDX-License-Identifier: Apache-2.0
// GGUF element encodings (see quantize.h). The quantizers follow ggml's reference rounding (Q8_0: roundf of
// x / d; Q4_0: truncation of x / d + 8.5, clamped to 15) so files match what llama.cpp's own tools write.
#include "core/export/quantize.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace td::gguf
{

std::string ggmlTypeName(GgmlType type)
{
    switch (type) {
    case GgmlType::F32:
        return "f32";
    case GgmlType::F16:
        return "f16";
    case GgmlType::BF16:
        return "bf16";
    case GgmlType::Q8_0:
        return "q8_0";
    case GgmlType::Q4_0:
        return "q4_0";
    }
    return "type" + std::to_string(static_cast<std::uint32_t>(type));
}

bool parseGgmlType(std::string_view name, GgmlType& out)
{
    for (GgmlType t : {GgmlType::F32, GgmlType::F16, GgmlType::BF16, GgmlType::Q8_0, GgmlType::Q4_0}) {
        if (name == ggmlTypeName(t)) {
            out = t;
            return true;
        }
    }
    return false;
}

bool isQuantized(GgmlType type)
{
    return type == GgmlType::Q8_0 || type == GgmlType::Q4_0;
}

std::uint64_t ggmlBytes(GgmlType type, std::int64_t count)
{
    const auto n = static_cast<std::uint64_t>(count);
    switch (type) {
    case GgmlType::F32:
        return n * 4;
    case GgmlType::F16:
    case GgmlType::BF16:
        return n * 2;
    case GgmlType::Q8_0:
        return n / kQkBlock * kQ8_0BlockBytes;
    case GgmlType::Q4_0:
        return n / kQkBlock * kQ4_0BlockBytes;
    }
    return 0;
}

std::uint16_t fp32ToFp16(float f)
{
    // IEEE 754 binary32 → binary16, round to nearest even, with subnormals, inf and NaN.
    std::uint32_t x;
    std::memcpy(&x, &f, 4);
    const std::uint32_t sign = (x >> 16) & 0x8000u;
    const std::uint32_t absx = x & 0x7fffffffu;
    if (absx >= 0x7f800000u) { // inf or NaN
        return static_cast<std::uint16_t>(sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0u));
    }
    if (absx >= 0x477ff000u) { // rounds to >= 65520: overflow to inf
        return static_cast<std::uint16_t>(sign | 0x7c00u);
    }
    if (absx < 0x38800000u) { // below the smallest normal half (2^-14): subnormal or zero
        if (absx < 0x33000000u) { // < 2^-25 rounds to zero
            return static_cast<std::uint16_t>(sign);
        }
        const std::uint32_t mant = (absx & 0x7fffffu) | 0x800000u;
        const int shift = 126 - static_cast<int>(absx >> 23); // 14..24 for the values that reach here
        std::uint32_t half = mant >> shift;
        const std::uint32_t rem = mant & ((1u << shift) - 1);
        const std::uint32_t mid = 1u << (shift - 1);
        if (rem > mid || (rem == mid && (half & 1u))) {
            ++half;
        }
        return static_cast<std::uint16_t>(sign | half);
    }
    std::uint32_t half = ((absx - 0x38000000u) >> 13); // rebias exponent 127 → 15, keep 10 mantissa bits
    const std::uint32_t rem = absx & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (half & 1u))) {
        ++half;
    }
    return static_cast<std::uint16_t>(sign | half);
}

float fp16ToFp32(std::uint16_t h)
{
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exp = (h >> 10) & 0x1fu;
    std::uint32_t mant = h & 0x3ffu;
    std::uint32_t x;
    if (exp == 0) {
        if (mant == 0) {
            x = sign;
        } else { // subnormal: normalise
            int e = -1;
            do {
                ++e;
                mant <<= 1;
            } while ((mant & 0x400u) == 0);
            x = sign | (static_cast<std::uint32_t>(127 - 15 - e) << 23) | ((mant & 0x3ffu) << 13);
        }
    } else if (exp == 0x1f) {
        x = sign | 0x7f800000u | (mant << 13);
    } else {
        x = sign | ((exp + 112) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &x, 4);
    return f;
}

std::uint16_t fp32ToBf16(float f)
{
    std::uint32_t x;
    std::memcpy(&x, &f, 4);
    if ((x & 0x7fffffffu) > 0x7f800000u) { // NaN: keep it quiet
        return static_cast<std::uint16_t>((x >> 16) | 64u);
    }
    return static_cast<std::uint16_t>((x + (0x7fffu + ((x >> 16) & 1u))) >> 16);
}

float bf16ToFp32(std::uint16_t b)
{
    const std::uint32_t x = static_cast<std::uint32_t>(b) << 16;
    float f;
    std::memcpy(&f, &x, 4);
    return f;
}

namespace
{

void putHalf(std::uint8_t* p, std::uint16_t h)
{
    p[0] = static_cast<std::uint8_t>(h & 0xff);
    p[1] = static_cast<std::uint8_t>(h >> 8);
}

std::uint16_t getHalf(const std::uint8_t* p)
{
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

void quantizeQ8_0(const float* x, std::int64_t n, std::uint8_t* out)
{
    for (std::int64_t b = 0; b < n / kQkBlock; ++b) {
        const float* xb = x + b * kQkBlock;
        std::uint8_t* ob = out + b * kQ8_0BlockBytes;
        float amax = 0.0f;
        for (std::int64_t j = 0; j < kQkBlock; ++j) {
            amax = std::max(amax, std::fabs(xb[j]));
        }
        const float d = amax / 127.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        putHalf(ob, fp32ToFp16(d));
        for (std::int64_t j = 0; j < kQkBlock; ++j) {
            ob[2 + j] = static_cast<std::uint8_t>(static_cast<std::int8_t>(std::roundf(xb[j] * id)));
        }
    }
}

void dequantizeQ8_0(const std::uint8_t* in, std::int64_t n, float* y)
{
    for (std::int64_t b = 0; b < n / kQkBlock; ++b) {
        const std::uint8_t* ib = in + b * kQ8_0BlockBytes;
        const float d = fp16ToFp32(getHalf(ib));
        for (std::int64_t j = 0; j < kQkBlock; ++j) {
            y[b * kQkBlock + j] = d * static_cast<float>(static_cast<std::int8_t>(ib[2 + j]));
        }
    }
}

void quantizeQ4_0(const float* x, std::int64_t n, std::uint8_t* out)
{
    for (std::int64_t b = 0; b < n / kQkBlock; ++b) {
        const float* xb = x + b * kQkBlock;
        std::uint8_t* ob = out + b * kQ4_0BlockBytes;
        float amax = 0.0f;
        float max = 0.0f;
        for (std::int64_t j = 0; j < kQkBlock; ++j) {
            if (std::fabs(xb[j]) > amax) {
                amax = std::fabs(xb[j]);
                max = xb[j];
            }
        }
        const float d = max / -8.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        putHalf(ob, fp32ToFp16(d));
        for (std::int64_t j = 0; j < kQkBlock / 2; ++j) {
            const auto q0 = std::min<std::uint8_t>(15, static_cast<std::uint8_t>(static_cast<std::int8_t>(xb[j] * id + 8.5f)));
            const auto q1 =
                std::min<std::uint8_t>(15, static_cast<std::uint8_t>(static_cast<std::int8_t>(xb[j + 16] * id + 8.5f)));
            ob[2 + j] = static_cast<std::uint8_t>(q0 | (q1 << 4));
        }
    }
}

void dequantizeQ4_0(const std::uint8_t* in, std::int64_t n, float* y)
{
    for (std::int64_t b = 0; b < n / kQkBlock; ++b) {
        const std::uint8_t* ib = in + b * kQ4_0BlockBytes;
        const float d = fp16ToFp32(getHalf(ib));
        for (std::int64_t j = 0; j < kQkBlock / 2; ++j) {
            y[b * kQkBlock + j] = d * static_cast<float>((ib[2 + j] & 0x0f) - 8);
            y[b * kQkBlock + j + 16] = d * static_cast<float>((ib[2 + j] >> 4) - 8);
        }
    }
}

} // namespace

void encode(GgmlType type, const float* x, std::int64_t n, std::uint8_t* out)
{
    switch (type) {
    case GgmlType::F32:
        std::memcpy(out, x, static_cast<std::size_t>(n) * 4);
        return;
    case GgmlType::F16:
        for (std::int64_t i = 0; i < n; ++i) {
            putHalf(out + 2 * i, fp32ToFp16(x[i]));
        }
        return;
    case GgmlType::BF16:
        for (std::int64_t i = 0; i < n; ++i) {
            putHalf(out + 2 * i, fp32ToBf16(x[i]));
        }
        return;
    case GgmlType::Q8_0:
        quantizeQ8_0(x, n, out);
        return;
    case GgmlType::Q4_0:
        quantizeQ4_0(x, n, out);
        return;
    }
}

void decode(GgmlType type, const std::uint8_t* in, std::int64_t n, float* out)
{
    switch (type) {
    case GgmlType::F32:
        std::memcpy(out, in, static_cast<std::size_t>(n) * 4);
        return;
    case GgmlType::F16:
        for (std::int64_t i = 0; i < n; ++i) {
            out[i] = fp16ToFp32(getHalf(in + 2 * i));
        }
        return;
    case GgmlType::BF16:
        for (std::int64_t i = 0; i < n; ++i) {
            out[i] = bf16ToFp32(getHalf(in + 2 * i));
        }
        return;
    case GgmlType::Q8_0:
        dequantizeQ8_0(in, n, out);
        return;
    case GgmlType::Q4_0:
        dequantizeQ4_0(in, n, out);
        return;
    }
}

} // namespace td::gguf
