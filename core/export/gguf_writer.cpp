// SPDX-License-Identifier: Apache-2.0
// GGUF v3 writer (see gguf_writer.h for the layout). Metadata is serialised once into memory (it is small
// next to the tensors; a 150k-token vocabulary is a few MB), tensor data is streamed one tensor at a time.
#include "core/export/gguf_writer.h"

#include <cstdio>
#include <cstring>
#include <set>

namespace td::gguf
{

Value Value::u32(std::uint32_t v)
{
    Value x;
    x.type = ValueType::U32;
    x.i = v;
    return x;
}
Value Value::i32(std::int32_t v)
{
    Value x;
    x.type = ValueType::I32;
    x.i = v;
    return x;
}
Value Value::u64(std::uint64_t v)
{
    Value x;
    x.type = ValueType::U64;
    x.i = static_cast<std::int64_t>(v);
    return x;
}
Value Value::f32(float v)
{
    Value x;
    x.type = ValueType::F32;
    x.f = v;
    return x;
}
Value Value::boolean(bool v)
{
    Value x;
    x.type = ValueType::Bool;
    x.i = v ? 1 : 0;
    return x;
}
Value Value::str(std::string v)
{
    Value x;
    x.type = ValueType::String;
    x.s = std::move(v);
    return x;
}
Value Value::strArray(std::vector<std::string> v)
{
    Value x;
    x.type = ValueType::Array;
    x.arrayType = ValueType::String;
    x.strings = std::move(v);
    return x;
}
Value Value::f32Array(std::vector<double> v)
{
    Value x;
    x.type = ValueType::Array;
    x.arrayType = ValueType::F32;
    x.floats = std::move(v);
    return x;
}
Value Value::i32Array(std::vector<std::int64_t> v)
{
    Value x;
    x.type = ValueType::Array;
    x.arrayType = ValueType::I32;
    x.ints = std::move(v);
    return x;
}

std::int64_t TensorSpec::count() const
{
    std::int64_t n = 1;
    for (auto d : ne) {
        n *= d;
    }
    return n;
}

namespace
{

class Buffer
{
public:
    std::string bytes;

    template <class T>
    void pod(T v)
    {
        char b[sizeof(T)];
        std::memcpy(b, &v, sizeof(T)); // little-endian hosts only (as the safetensors writer)
        bytes.append(b, sizeof(T));
    }
    void str(const std::string& s)
    {
        pod<std::uint64_t>(s.size());
        bytes += s;
    }
    void scalar(ValueType t, const Value& v, std::size_t k = 0, bool fromArray = false)
    {
        // Only the member that matches the type is read (arrays fill one of ints/floats/strings).
        const bool isFloat = t == ValueType::F32 || t == ValueType::F64;
        const std::int64_t iv = isFloat || t == ValueType::String ? 0 : (fromArray ? v.ints[k] : v.i);
        const double fv = isFloat ? (fromArray ? v.floats[k] : v.f) : 0.0;
        switch (t) {
        case ValueType::U8:
            pod<std::uint8_t>(static_cast<std::uint8_t>(iv));
            break;
        case ValueType::I8:
            pod<std::int8_t>(static_cast<std::int8_t>(iv));
            break;
        case ValueType::U16:
            pod<std::uint16_t>(static_cast<std::uint16_t>(iv));
            break;
        case ValueType::I16:
            pod<std::int16_t>(static_cast<std::int16_t>(iv));
            break;
        case ValueType::U32:
            pod<std::uint32_t>(static_cast<std::uint32_t>(iv));
            break;
        case ValueType::I32:
            pod<std::int32_t>(static_cast<std::int32_t>(iv));
            break;
        case ValueType::F32:
            pod<float>(static_cast<float>(fv));
            break;
        case ValueType::Bool:
            pod<std::uint8_t>(iv ? 1 : 0);
            break;
        case ValueType::String:
            str(fromArray ? v.strings[k] : v.s);
            break;
        case ValueType::U64:
            pod<std::uint64_t>(static_cast<std::uint64_t>(iv));
            break;
        case ValueType::I64:
            pod<std::int64_t>(iv);
            break;
        case ValueType::F64:
            pod<double>(fv);
            break;
        case ValueType::Array:
            break;
        }
    }
    void value(const Value& v)
    {
        pod<std::uint32_t>(static_cast<std::uint32_t>(v.type));
        if (v.type != ValueType::Array) {
            scalar(v.type, v);
            return;
        }
        pod<std::uint32_t>(static_cast<std::uint32_t>(v.arrayType));
        const std::size_t n = v.arrayType == ValueType::String                                  ? v.strings.size()
                              : (v.arrayType == ValueType::F32 || v.arrayType == ValueType::F64) ? v.floats.size()
                                                                                                 : v.ints.size();
        pod<std::uint64_t>(n);
        for (std::size_t k = 0; k < n; ++k) {
            scalar(v.arrayType, v, k, true);
        }
    }
};

std::uint64_t alignUp(std::uint64_t x)
{
    return (x + kAlignment - 1) / kAlignment * kAlignment;
}

/// Header + metadata + tensor infos, with each tensor's offset in the data section.
std::string headerBytes(const Metadata& kv, const std::vector<TensorSpec>& tensors, std::uint64_t* dataBytes)
{
    Buffer b;
    b.bytes = "GGUF";
    b.pod<std::uint32_t>(kVersion);
    b.pod<std::uint64_t>(tensors.size());
    b.pod<std::uint64_t>(kv.size());
    for (const auto& [key, v] : kv) {
        b.str(key);
        b.value(v);
    }
    std::uint64_t offset = 0;
    for (const auto& t : tensors) {
        b.str(t.name);
        b.pod<std::uint32_t>(static_cast<std::uint32_t>(t.ne.size()));
        for (auto d : t.ne) {
            b.pod<std::uint64_t>(static_cast<std::uint64_t>(d));
        }
        b.pod<std::uint32_t>(static_cast<std::uint32_t>(t.type));
        b.pod<std::uint64_t>(offset);
        offset = alignUp(offset + ggmlBytes(t.type, t.count()));
    }
    b.bytes.resize(alignUp(b.bytes.size()), '\0');
    if (dataBytes) {
        *dataBytes = offset;
    }
    return b.bytes;
}

} // namespace

std::uint64_t fileSize(const Metadata& kv, const std::vector<TensorSpec>& tensors)
{
    std::uint64_t data = 0;
    const auto header = headerBytes(kv, tensors, &data);
    return header.size() + data;
}

Status writeFile(const std::filesystem::path& path, const Metadata& kv, const std::vector<TensorSpec>& tensors,
                 const WriteOptions& options)
{
    std::set<std::string> names;
    for (const auto& t : tensors) {
        if (!names.insert(t.name).second) {
            return makeError(ErrorCode::Internal, "GGUF tensor '" + t.name + "' is listed twice");
        }
        if (isQuantized(t.type) && (t.ne.empty() || t.ne[0] % kQkBlock != 0)) {
            return makeError(ErrorCode::Internal, "GGUF tensor '" + t.name + "': rows of " +
                                                      std::to_string(t.ne.empty() ? 0 : t.ne[0]) + " values cannot be " +
                                                      ggmlTypeName(t.type) + " (needs a multiple of 32)");
        }
    }
    std::uint64_t dataBytes = 0;
    const std::string header = headerBytes(kv, tensors, &dataBytes);
    const std::uint64_t total = header.size() + dataBytes;
    if (options.byteLimit != 0 && total > options.byteLimit) {
        return makeError(ErrorCode::Io,
                         "no space left on device while writing " + path.string() + " (" + std::to_string(total) +
                             " bytes needed, limit " + std::to_string(options.byteLimit) + ")",
                         "free disk space or choose another export_dir");
    }
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
        return makeError(ErrorCode::Io, "cannot create " + path.string() + ": " + std::strerror(errno),
                         "check that the export folder is writable");
    }
    auto fail = [&](const std::string& what) -> Status {
        const std::string reason = std::strerror(errno);
        std::fclose(f);
        std::error_code ec;
        std::filesystem::remove(path, ec);
        return makeError(ErrorCode::Io, what + " " + path.string() + ": " + reason,
                         "check free disk space and permissions of the export folder");
    };
    if (std::fwrite(header.data(), 1, header.size(), f) != header.size()) {
        return fail("cannot write");
    }
    std::vector<std::uint8_t> encoded;
    const std::string zeros(kAlignment, '\0');
    std::int64_t done = 0;
    for (const auto& t : tensors) {
        if (options.cancel && options.cancel->isCancelled()) {
            std::fclose(f);
            std::error_code ec;
            std::filesystem::remove(path, ec);
            return makeError(ErrorCode::Cancelled, "export cancelled");
        }
        auto values = t.values();
        if (!values) {
            std::fclose(f);
            std::error_code ec;
            std::filesystem::remove(path, ec);
            return tl::unexpected(values.error());
        }
        if (static_cast<std::int64_t>(values->size()) != t.count()) {
            std::fclose(f);
            return makeError(ErrorCode::Internal, "GGUF tensor '" + t.name + "' produced " +
                                                      std::to_string(values->size()) + " values, expected " +
                                                      std::to_string(t.count()));
        }
        const std::uint64_t n = ggmlBytes(t.type, t.count());
        encoded.resize(n);
        encode(t.type, values->data(), t.count(), encoded.data());
        const std::uint64_t pad = alignUp(n) - n;
        if (std::fwrite(encoded.data(), 1, n, f) != n || std::fwrite(zeros.data(), 1, pad, f) != pad) {
            return fail("cannot write");
        }
        if (options.progress) {
            options.progress(++done, static_cast<std::int64_t>(tensors.size()));
        }
    }
    if (std::fflush(f) != 0) {
        return fail("cannot flush");
    }
    if (std::fclose(f) != 0) {
        std::error_code ec;
        std::filesystem::remove(path, ec);
        return makeError(ErrorCode::Io, "cannot close " + path.string(), "check free disk space");
    }
    return {};
}

} // namespace td::gguf
