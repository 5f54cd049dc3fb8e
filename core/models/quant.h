// SPDX-License-Identifier: Apache-2.0
// Quantized base weights for QLoRA, in the manner of bitsandbytes (LLaMA-Factory's `quantization_method: bnb`):
//
//   quantization_bit 8   per-output-row absmax int8: q = round(127 * w / absmax_row), w' = q * absmax_row / 127.
//                        The storage of LLM.int8(); its outlier decomposition (fp16 matmul of outlier columns) is
//                        not done: we dequantize the whole row block to the compute dtype instead, so there are
//                        no outlier columns to treat separately.
//   quantization_bit 4   the weight flattened row-major into blocks of 64; per block absmax; each w / absmax is
//                        mapped to the nearest of 16 code values (NF4: the normal-quantile code book of the QLoRA
//                        paper as bitsandbytes ships it; FP4: bitsandbytes' sign + 2-bit exponent + 1-bit mantissa
//                        layout scaled to [-1, 1]), two codes per byte (element 2i in the high nibble).
//   double_quantization  4-bit only: the fp32 block absmax values (one per 64 weights) minus their mean are
//                        stored as int8 with one fp32 scale per 256 of them (QLoRA's second quantization, 8 bits,
//                        blocks of 256). bitsandbytes uses its dynamic 8-bit code book here; we use a linear
//                        symmetric int8 code: |error| <= scale / 2 per absmax value.
//
// Storage per [rows, cols] weight: int8 1 byte/param + 4 bytes/row; 4-bit 0.5 byte/param + 4 bytes/64 params
// (double quantization: 1 byte/64 params + 4 bytes/16384 params). Forward dequantizes to the compute dtype
// per call and runs the matmul; in training a custom backward dequantizes again instead of keeping the
// full-precision weight alive between forward and backward (as bitsandbytes' MatMul4Bit does).
// Not done: reading pre-quantized (bnb/GPTQ/AWQ) checkpoints, quantized kernels (the matmul runs in bf16/fp32).
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

#include "core/models/quant_spec.h"

namespace td::models
{

/// The 16 code values of a 4-bit type, indexed by the stored code.
const float* codeBook(QuantType type);

/// One quantized weight [rows, cols].
struct QuantizedWeight
{
    QuantType type = QuantType::Nf4;
    std::int64_t rows = 0, cols = 0;
    at::Tensor data;        ///< Int8: (rows, cols) int8; 4-bit: (ceil(rows*cols / 2)) uint8, packed codes
    at::Tensor absmax;      ///< Int8: (rows) fp32; 4-bit: (blocks) fp32, or (blocks) int8 when double-quantized
    at::Tensor absmaxScale; ///< double quantization: (ceil(blocks / 256)) fp32; undefined otherwise
    double absmaxOffset = 0; ///< double quantization: the mean subtracted from the absmax values
    c10::ScalarType computeDtype = c10::ScalarType::Float; ///< dtype of the matmul when autocast is off

    bool doubleQuantized() const { return absmaxScale.defined(); }
    std::int64_t bytes() const; ///< storage of data + scales
};

/// w: (rows, cols), any floating dtype (computed in fp32). spec.bits must be 4 or 8.
QuantizedWeight quantizeWeight(const at::Tensor& w, const QuantSpec& spec);
/// (rows, cols) in `dtype`.
at::Tensor dequantizeWeight(const QuantizedWeight& q, c10::ScalarType dtype);

// Building blocks (public for the tests).
/// codes: (n) uint8 in 0..15 → (ceil(n / 2)) uint8, element 2i in the high nibble, 2i+1 in the low one.
at::Tensor pack4bit(const at::Tensor& codes);
/// Inverse of pack4bit: (ceil(n / 2)) uint8 → (n) uint8.
at::Tensor unpack4bit(const at::Tensor& packed, std::int64_t n);
/// Values in [-1, 1] (any shape, fp32) → the index of the nearest code value, uint8 of the same shape.
at::Tensor nearestCode(const at::Tensor& normalized, QuantType type);
/// Double quantization of fp32 absmax values (n): int8 codes (n), fp32 scales (ceil(n / 256)), and the offset.
struct Int8Absmax
{
    at::Tensor codes;
    at::Tensor scales;
    double offset = 0;
};
Int8Absmax quantizeAbsmax(const at::Tensor& absmax);
at::Tensor dequantizeAbsmax(const at::Tensor& codes, const at::Tensor& scales, double offset);

/// y = x W^T + b with W = dequantizeWeight(q) in the compute dtype (autocast's when on, else q.computeDtype).
/// x: (..., cols) → (..., rows). With gradients, only x (and a trainable bias) get them; W is rebuilt in
/// backward rather than saved.
at::Tensor quantLinear(const at::Tensor& x, const QuantizedWeight& q, const at::Tensor& bias);

} // namespace td::models
