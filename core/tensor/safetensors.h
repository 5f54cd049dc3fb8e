// SPDX-License-Identifier: Apache-2.0
// Our own safetensors reader and writer (https://github.com/huggingface/safetensors format: an 8-byte
// little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}, __metadata__: {...}},
// then raw little-endian data whose offsets are relative to the end of the header).
// The reader memory-maps the file and validates everything before any tensor is touched: header size limit,
// JSON shape, known dtype, dtype x shape == byte length, offsets inside the file, no overlapping tensors.
// A checkpoint folder may be one file or shards listed in model.safetensors.index.json (CheckpointReader).
// The writer is atomic (temp file + rename) and produces files Python `safetensors` reads (sorted keys,
// header padded to 8 bytes). Does not do: quantized formats, big-endian hosts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/common/error.h"

namespace td::st
{

/// Largest JSON header we accept (the Python library uses the same 100 MB limit).
inline constexpr std::uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

struct TensorInfo
{
    std::string name;
    std::string dtype;               ///< safetensors spelling: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0;         ///< byte offsets relative to the start of the data section
    std::uint64_t end = 0;
};

/// Bytes per element of a safetensors dtype name, 0 when unknown.
std::size_t dtypeSize(std::string_view dtype);
/// Torch scalar type of a safetensors dtype name (caller checks dtypeSize() != 0 first).
c10::ScalarType toScalarType(std::string_view dtype);
/// Safetensors name of a torch scalar type; empty when the format has none.
std::string fromScalarType(c10::ScalarType type);

/// Parses and validates a header given the whole file's bytes (used by SafetensorsFile; public for tests).
struct Header
{
    std::vector<TensorInfo> tensors; ///< in file order of data offsets
    std::map<std::string, std::string> metadata;
    std::uint64_t dataStart = 0;     ///< 8 + N
};
Expected<Header> parseHeader(const std::uint8_t* bytes, std::uint64_t fileSize, const std::string& displayName);

/// One memory-mapped .safetensors file. Tensors are copied out (tensor()) so the mapping can be closed.
class SafetensorsFile
{
public:
    ~SafetensorsFile();
    SafetensorsFile(const SafetensorsFile&) = delete;
    SafetensorsFile& operator=(const SafetensorsFile&) = delete;

    static Expected<std::shared_ptr<SafetensorsFile>> open(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return m_path; }
    const std::vector<TensorInfo>& tensors() const { return m_header.tensors; }
    const std::map<std::string, std::string>& metadata() const { return m_header.metadata; }
    const TensorInfo* find(std::string_view name) const;

    /// A CPU tensor with the stored dtype and shape (an owning copy of the bytes).
    Expected<at::Tensor> tensor(std::string_view name) const;

private:
    SafetensorsFile() = default;

    std::filesystem::path m_path;
    Header m_header;
    std::map<std::string, std::size_t, std::less<>> m_index;
    const std::uint8_t* m_data = nullptr; ///< whole file
    std::uint64_t m_size = 0;
};

/// All tensors of a model folder: `model.safetensors`, or the shards named by `model.safetensors.index.json`
/// (any `*.safetensors.index.json` works, e.g. `adapter_model.safetensors` is opened with openFile()).
class CheckpointReader
{
public:
    static Expected<CheckpointReader> openFolder(const std::filesystem::path& dir);
    static Expected<CheckpointReader> openFile(const std::filesystem::path& file);

    bool contains(std::string_view name) const { return m_where.find(name) != m_where.end(); }
    const TensorInfo* info(std::string_view name) const;
    Expected<at::Tensor> tensor(std::string_view name) const;
    std::vector<std::string> names() const;
    /// Metadata of the first file (the index's "metadata" is merged in for sharded checkpoints).
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }

private:
    std::vector<std::shared_ptr<SafetensorsFile>> m_files;
    std::map<std::string, std::size_t, std::less<>> m_where; ///< tensor name -> index into m_files
    std::map<std::string, std::string> m_metadata;
};

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

/// Writes tensors (any device; copied to CPU, made contiguous) atomically: `path.tmp-<pid>` then rename.
/// Duplicate names are an error. Keys are written sorted, the header padded with spaces to 8 bytes.
Status save(const std::filesystem::path& path, const NamedTensors& tensors,
            const std::map<std::string, std::string>& metadata = {});

} // namespace td::st
