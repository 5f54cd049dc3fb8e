// SPDX-License-Identifier: Apache-2.0
// What a quantized load asks for (quantization_bit / quantization_type / double_quantization) and what it
// costs in bytes. Torch-free: the memory estimate and argument parsing use it; the formats are in quant.h.
#pragma once

#include <cstdint>

namespace td::models
{

enum class QuantType
{
    Int8, ///< quantization_bit 8
    Nf4,  ///< quantization_bit 4, quantization_type nf4
    Fp4,  ///< quantization_bit 4, quantization_type fp4
};

struct QuantSpec
{
    int bits = 0;                     ///< 0 = off, 4 or 8
    QuantType type4 = QuantType::Nf4; ///< the 4-bit code book (8 bits is always Int8)
    bool doubleQuant = true;          ///< 4-bit only: store the block absmax values in 8 bits
    bool enabled() const { return bits != 0; }
    QuantType type() const { return bits == 8 ? QuantType::Int8 : type4; }
};

inline constexpr std::int64_t kQuantBlock = 64;   ///< 4-bit: weights per absmax block
inline constexpr std::int64_t kQuantBlock2 = 256; ///< double quantization: absmax values per second-level block

/// Bytes one [rows, cols] weight takes quantized under `spec` (codes + scales): the memory estimate's figure.
/// int8: rows*cols + 4 rows; 4-bit: rows*cols/2 + 4 per 64 weights (double quantization: 1 per 64 weights +
/// 4 per 16384).
std::int64_t quantizedBytes(const QuantSpec& spec, std::int64_t rows, std::int64_t cols);

} // namespace td::models
