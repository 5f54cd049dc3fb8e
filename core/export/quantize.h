// SPDX-License-Identifier: Apache-2.0
// Element encodings of GGUF tensors (ggml's public block layouts), written from the format description in
// llama.cpp's docs: half/bfloat16 conversion and the Q8_0 / Q4_0 block quantizers and their inverses.
//
//   Q8_0 block (34 bytes, 32 values):  fp16 d | int8 q[32]                  x ≈ d * q,   d = max|x| / 127
//   Q4_0 block (18 bytes, 32 values):  fp16 d | uint8 q[16] (two nibbles)  x ≈ d * (n - 8), d = m / -8
//     (m = the value with the largest magnitude, sign kept; byte j holds element j in its low nibble and
//      element j + 16 in its high nibble)
//
// Plain C++ (no torch) so the GGUF writer, our reader and the tests share one definition.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace td::gguf
{

/// ggml tensor types we read and write (values are ggml's enum, stored in the file).
enum class GgmlType : std::uint32_t
{
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q8_0 = 8,
    BF16 = 30,
};

inline constexpr std::int64_t kQkBlock = 32;         ///< values per Q8_0 / Q4_0 block
inline constexpr std::size_t kQ8_0BlockBytes = 34;   ///< fp16 scale + 32 int8
inline constexpr std::size_t kQ4_0BlockBytes = 18;   ///< fp16 scale + 16 bytes of nibbles

/// "f32", "f16", "bf16", "q8_0", "q4_0" (lower case, as export_gguf_type spells them).
std::string ggmlTypeName(GgmlType type);
bool parseGgmlType(std::string_view name, GgmlType& out);
/// True for the block-quantized types (row length must be a multiple of 32).
bool isQuantized(GgmlType type);
/// Bytes that `count` values take in `type` (count must be a multiple of 32 for quantized types).
std::uint64_t ggmlBytes(GgmlType type, std::int64_t count);

std::uint16_t fp32ToFp16(float x);  ///< round to nearest even, IEEE half
float fp16ToFp32(std::uint16_t h);
std::uint16_t fp32ToBf16(float x);  ///< round to nearest even (NaN stays NaN)
float bf16ToFp32(std::uint16_t b);

/// Encodes n values (n % 32 == 0 for the quantized types) into out (ggmlBytes(type, n) bytes).
void encode(GgmlType type, const float* x, std::int64_t n, std::uint8_t* out);
/// The inverse: ggmlBytes(type, n) bytes → n floats.
void decode(GgmlType type, const std::uint8_t* in, std::int64_t n, float* out);

} // namespace td::gguf
