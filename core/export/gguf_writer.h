// SPDX-License-Identifier: Apache-2.0
// GGUF (llama.cpp's single-file model format, version 3), written from the public description
// (ggml docs/gguf.md). Layout, all little-endian:
//
//   "GGUF" | u32 version=3 | u64 n_tensors | u64 n_kv
//   n_kv × { string key | u32 value_type | value }          string = u64 length + UTF-8 bytes (no NUL)
//   n_tensors × { string name | u32 n_dims | u64 ne[n_dims] | u32 ggml_type | u64 offset }
//   padding to general.alignment (32) | tensor data, each tensor starting at a multiple of the alignment
//
// ne[0] is the fastest-varying dimension, so a torch tensor [out, in] is stored with ne = {in, out}.
// Arrays are { u32 element_type | u64 count | elements } (arrays of arrays are not used here).
// Tensor bytes are produced on demand (one tensor in memory at a time) by a callback.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/cancel.h"
#include "core/common/error.h"
#include "core/export/quantize.h"

namespace td::gguf
{

inline constexpr std::uint32_t kVersion = 3;
inline constexpr std::uint64_t kAlignment = 32;

enum class ValueType : std::uint32_t
{
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
};

/// One metadata value: a scalar (type != Array) or a one-level array of `arrayType`.
struct Value
{
    ValueType type = ValueType::U32;
    ValueType arrayType = ValueType::U32;
    std::int64_t i = 0;   ///< integer scalars and Bool
    double f = 0.0;       ///< F32/F64 scalars
    std::string s;        ///< String scalar
    std::vector<std::int64_t> ints;      ///< integer/bool arrays
    std::vector<double> floats;          ///< F32/F64 arrays
    std::vector<std::string> strings;    ///< String arrays

    static Value u32(std::uint32_t v);
    static Value i32(std::int32_t v);
    static Value u64(std::uint64_t v);
    static Value f32(float v);
    static Value boolean(bool v);
    static Value str(std::string v);
    static Value strArray(std::vector<std::string> v);
    static Value f32Array(std::vector<double> v);
    static Value i32Array(std::vector<std::int64_t> v);
};

using Metadata = std::vector<std::pair<std::string, Value>>;

/// A tensor to write: name, dims in ggml order (ne[0] fastest), type, and a producer of its float32 values
/// (row-major in torch order, i.e. ne[0] fastest) that the writer encodes.
struct TensorSpec
{
    std::string name;
    std::vector<std::int64_t> ne;
    GgmlType type = GgmlType::F32;
    std::function<Expected<std::vector<float>>()> values;

    std::int64_t count() const;
};

struct WriteOptions
{
    std::function<void(std::int64_t done, std::int64_t total)> progress;
    const CancelToken* cancel = nullptr;
    std::uint64_t byteLimit = 0; ///< fail with Io ("no space left") past this many bytes; 0 = no limit (tests)
};

/// Bytes the file will take (header, metadata, tensor infos, aligned data).
std::uint64_t fileSize(const Metadata& kv, const std::vector<TensorSpec>& tensors);

/// Writes the file. Checks: unique tensor names, quantized rows a multiple of 32, producer sizes. Does not
/// rename: the caller writes into a staging folder.
Status writeFile(const std::filesystem::path& path, const Metadata& kv, const std::vector<TensorSpec>& tensors,
                 const WriteOptions& options = {});

} // namespace td::gguf
