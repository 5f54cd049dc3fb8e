// SPDX-License-Identifier: Apache-2.0
// safetensors reader (mmap + strict validation) and atomic writer. See safetensors.h for the format.
#include "core/tensor/safetensors.h"

#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

namespace td::st
{

namespace
{

struct DTypeRow
{
    const char* name;
    std::size_t size;
    c10::ScalarType type;
};

constexpr DTypeRow kDTypes[] = {
    {"F64", 8, c10::kDouble},  {"F32", 4, c10::kFloat}, {"F16", 2, c10::kHalf}, {"BF16", 2, c10::kBFloat16},
    {"I64", 8, c10::kLong},    {"I32", 4, c10::kInt},   {"I16", 2, c10::kShort}, {"I8", 1, c10::kChar},
    {"U8", 1, c10::kByte},     {"BOOL", 1, c10::kBool},
};

tl::unexpected<Error> bad(const std::string& file, const std::string& what)
{
    return makeError(ErrorCode::BadCheckpoint, file + ": " + what,
                     "the file is corrupt or truncated; download or export it again");
}

// numel * elemSize with overflow detection; false on overflow.
bool byteLength(const std::vector<std::int64_t>& shape, std::size_t elemSize, std::uint64_t& out)
{
    unsigned __int128 n = elemSize;
    for (auto d : shape) {
        n *= static_cast<std::uint64_t>(d);
        if (n > (static_cast<unsigned __int128>(1) << 62)) {
            return false;
        }
    }
    out = static_cast<std::uint64_t>(n);
    return true;
}

} // namespace

std::size_t dtypeSize(std::string_view dtype)
{
    for (const auto& row : kDTypes) {
        if (dtype == row.name) {
            return row.size;
        }
    }
    return 0;
}

c10::ScalarType toScalarType(std::string_view dtype)
{
    for (const auto& row : kDTypes) {
        if (dtype == row.name) {
            return row.type;
        }
    }
    return c10::ScalarType::Undefined;
}

std::string fromScalarType(c10::ScalarType type)
{
    for (const auto& row : kDTypes) {
        if (row.type == type) {
            return row.name;
        }
    }
    return {};
}

Expected<Header> parseHeader(const std::uint8_t* bytes, std::uint64_t fileSize, const std::string& name)
{
    if (fileSize < 8) {
        return bad(name, "file is " + std::to_string(fileSize) + " bytes, shorter than the 8-byte header length");
    }
    std::uint64_t n = 0;
    std::memcpy(&n, bytes, 8); // little-endian hosts only
    if (n > kMaxHeaderBytes) {
        return bad(name, "header length " + std::to_string(n) + " exceeds the limit of " +
                             std::to_string(kMaxHeaderBytes) + " bytes");
    }
    if (8 + n > fileSize) {
        return bad(name, "header length " + std::to_string(n) + " runs past the end of the file (" +
                             std::to_string(fileSize) + " bytes)");
    }
    nlohmann::json j = nlohmann::json::parse(bytes + 8, bytes + 8 + n, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
        return bad(name, "header is not a JSON object");
    }
    Header h;
    h.dataStart = 8 + n;
    const std::uint64_t dataSize = fileSize - h.dataStart;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const auto& v = it.value();
        if (it.key() == "__metadata__") {
            if (!v.is_object()) {
                return bad(name, "__metadata__ is not an object");
            }
            for (auto m = v.begin(); m != v.end(); ++m) {
                if (!m.value().is_string()) {
                    return bad(name, "__metadata__." + m.key() + " is not a string");
                }
                h.metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string where = "tensor '" + it.key() + "'";
        if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets") ||
            !v["dtype"].is_string() || !v["shape"].is_array() || !v["data_offsets"].is_array() ||
            v["data_offsets"].size() != 2) {
            return bad(name, where + " needs dtype (string), shape (array) and data_offsets ([begin, end])");
        }
        TensorInfo t;
        t.name = it.key();
        t.dtype = v["dtype"].get<std::string>();
        const std::size_t es = dtypeSize(t.dtype);
        if (es == 0) {
            return bad(name, where + " has unsupported dtype " + t.dtype);
        }
        for (const auto& d : v["shape"]) {
            if (!d.is_number_unsigned()) {
                return bad(name, where + " has a shape entry that is not a non-negative integer");
            }
            t.shape.push_back(d.get<std::int64_t>());
        }
        const auto& off = v["data_offsets"];
        if (!off[0].is_number_unsigned() || !off[1].is_number_unsigned()) {
            return bad(name, where + " has data_offsets that are not non-negative integers");
        }
        t.begin = off[0].get<std::uint64_t>();
        t.end = off[1].get<std::uint64_t>();
        if (t.begin > t.end) {
            return bad(name, where + " has data_offsets begin > end");
        }
        if (t.end > dataSize) {
            return bad(name, where + " has data_offsets [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                                 "] past the end of the data (" + std::to_string(dataSize) +
                                 " bytes; the file may be truncated)");
        }
        std::uint64_t expect = 0;
        if (!byteLength(t.shape, es, expect) || expect != t.end - t.begin) {
            return bad(name, where + ": dtype " + t.dtype + " x shape needs " + std::to_string(expect) +
                                 " bytes but data_offsets span " + std::to_string(t.end - t.begin));
        }
        h.tensors.push_back(std::move(t));
    }
    std::sort(h.tensors.begin(), h.tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    const TensorInfo* reach = nullptr; // the tensor reaching furthest so far
    for (const auto& cur : h.tensors) {
        if (cur.end == cur.begin) {
            continue;
        }
        if (reach != nullptr && cur.begin < reach->end) {
            return bad(name, "tensors '" + reach->name + "' and '" + cur.name + "' overlap in the data section");
        }
        if (reach == nullptr || cur.end > reach->end) {
            reach = &cur;
        }
    }
    return h;
}

SafetensorsFile::~SafetensorsFile()
{
    if (m_data != nullptr && m_size > 0) {
        ::munmap(const_cast<std::uint8_t*>(m_data), m_size);
    }
}

Expected<std::shared_ptr<SafetensorsFile>> SafetensorsFile::open(const std::filesystem::path& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            return makeError(ErrorCode::FileNotFound, "safetensors file not found: " + path.string());
        }
        return makeError(ErrorCode::Io, "cannot open " + path.string() + ": " + std::strerror(errno));
    }
    struct stat sb{};
    if (::fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        ::close(fd);
        return makeError(ErrorCode::Io, "not a regular file: " + path.string());
    }
    std::shared_ptr<SafetensorsFile> f(new SafetensorsFile());
    f->m_path = path;
    f->m_size = static_cast<std::uint64_t>(sb.st_size);
    if (f->m_size > 0) {
        void* p = ::mmap(nullptr, f->m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            ::close(fd);
            f->m_size = 0;
            return makeError(ErrorCode::Io, "cannot map " + path.string() + ": " + std::strerror(errno));
        }
        f->m_data = static_cast<const std::uint8_t*>(p);
    }
    ::close(fd);
    static const std::uint8_t kEmpty[8] = {};
    auto header = parseHeader(f->m_data ? f->m_data : kEmpty, f->m_size, path.string());
    if (!header) {
        return tl::unexpected(header.error());
    }
    f->m_header = std::move(*header);
    for (std::size_t i = 0; i < f->m_header.tensors.size(); ++i) {
        f->m_index.emplace(f->m_header.tensors[i].name, i);
    }
    return f;
}

const TensorInfo* SafetensorsFile::find(std::string_view name) const
{
    auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_header.tensors[it->second];
}

Expected<at::Tensor> SafetensorsFile::tensor(std::string_view name) const
{
    const TensorInfo* t = find(name);
    if (t == nullptr) {
        return makeError(ErrorCode::BadCheckpoint, m_path.string() + ": no tensor named '" + std::string(name) + "'");
    }
    at::Tensor out = at::empty(t->shape, at::TensorOptions().dtype(toScalarType(t->dtype)));
    if (t->end > t->begin) {
        const std::uint8_t* src = m_data + m_header.dataStart + t->begin;
        const std::size_t len = t->end - t->begin;
        std::memcpy(out.data_ptr(), src, len);
        // Drop the pages just copied from this process's RSS (they stay in the page cache), so loading a
        // model peaks near its parameter size instead of parameters + file.
        const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
        const auto first = (reinterpret_cast<std::uintptr_t>(src) + page - 1) / page * page;
        const auto last = (reinterpret_cast<std::uintptr_t>(src) + len) / page * page;
        if (last > first) {
            ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
        }
    }
    return out;
}

namespace
{

Status addFile(const std::filesystem::path& file, std::vector<std::shared_ptr<SafetensorsFile>>& files)
{
    auto f = SafetensorsFile::open(file);
    if (!f) {
        return tl::unexpected(f.error());
    }
    files.push_back(*f);
    return {};
}

} // namespace

Expected<CheckpointReader> CheckpointReader::openFile(const std::filesystem::path& file)
{
    CheckpointReader r;
    if (auto s = addFile(file, r.m_files); !s) {
        return tl::unexpected(s.error());
    }
    for (const auto& t : r.m_files[0]->tensors()) {
        r.m_where.emplace(t.name, 0);
    }
    r.m_metadata = r.m_files[0]->metadata();
    return r;
}

Expected<CheckpointReader> CheckpointReader::openFolder(const std::filesystem::path& dir)
{
    namespace fs = std::filesystem;
    const fs::path single = dir / "model.safetensors";
    const fs::path index = dir / "model.safetensors.index.json";
    if (!fs::exists(index)) {
        if (!fs::exists(single)) {
            return makeError(ErrorCode::FileNotFound,
                             "no model.safetensors or model.safetensors.index.json in " + dir.string(),
                             "point to a Hugging Face model folder with safetensors weights (.bin is not supported)");
        }
        return openFile(single);
    }
    std::ifstream in(index);
    nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object()) {
        return makeError(ErrorCode::BadCheckpoint, index.string() + ": not a JSON object with a weight_map",
                         "the index file is corrupt; download the model again");
    }
    CheckpointReader r;
    std::map<std::string, std::size_t> shardIndex;
    for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
        if (!it.value().is_string()) {
            return makeError(ErrorCode::BadCheckpoint, index.string() + ": weight_map." + it.key() + " is not a string");
        }
        const std::string shard = it.value().get<std::string>();
        if (shard.find("..") != std::string::npos || fs::path(shard).is_absolute()) {
            return makeError(ErrorCode::BadCheckpoint, index.string() + ": shard path '" + shard + "' leaves the folder");
        }
        auto found = shardIndex.find(shard);
        if (found == shardIndex.end()) {
            const fs::path p = dir / shard;
            if (!fs::exists(p)) {
                return makeError(ErrorCode::BadCheckpoint,
                                 "missing shard " + p.string() + " (listed in " + index.filename().string() + ")",
                                 "the download is incomplete; fetch every model-*.safetensors file");
            }
            if (auto s = addFile(p, r.m_files); !s) {
                return tl::unexpected(s.error());
            }
            found = shardIndex.emplace(shard, r.m_files.size() - 1).first;
        }
        if (r.m_files[found->second]->find(it.key()) == nullptr) {
            return makeError(ErrorCode::BadCheckpoint,
                             "tensor '" + it.key() + "' is listed in the index but absent from shard " + shard);
        }
        r.m_where.emplace(it.key(), found->second);
    }
    if (!r.m_files.empty()) {
        r.m_metadata = r.m_files[0]->metadata();
    }
    if (j.contains("metadata") && j["metadata"].is_object()) {
        for (auto it = j["metadata"].begin(); it != j["metadata"].end(); ++it) {
            r.m_metadata[it.key()] = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
        }
    }
    return r;
}

const TensorInfo* CheckpointReader::info(std::string_view name) const
{
    auto it = m_where.find(name);
    return it == m_where.end() ? nullptr : m_files[it->second]->find(name);
}

Expected<at::Tensor> CheckpointReader::tensor(std::string_view name) const
{
    auto it = m_where.find(name);
    if (it == m_where.end()) {
        return makeError(ErrorCode::BadCheckpoint, "checkpoint has no tensor named '" + std::string(name) + "'");
    }
    return m_files[it->second]->tensor(name);
}

std::vector<std::string> CheckpointReader::names() const
{
    std::vector<std::string> out;
    out.reserve(m_where.size());
    for (const auto& [k, v] : m_where) {
        out.push_back(k);
    }
    return out;
}

Status save(const std::filesystem::path& path, const NamedTensors& tensors,
            const std::map<std::string, std::string>& metadata)
{
    std::map<std::string, at::Tensor> sorted;
    for (const auto& [name, t] : tensors) {
        if (name == "__metadata__" || !sorted.emplace(name, t).second) {
            return makeError(ErrorCode::InvalidArgument, "cannot save: duplicate or reserved tensor name '" + name + "'");
        }
    }
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty()) {
        header["__metadata__"] = metadata;
    }
    std::vector<at::Tensor> data;
    std::uint64_t offset = 0;
    for (auto& [name, t] : sorted) {
        const std::string dt = fromScalarType(t.scalar_type());
        if (dt.empty()) {
            return makeError(ErrorCode::InvalidArgument, "cannot save tensor '" + name + "': dtype has no safetensors name");
        }
        at::Tensor c = t.detach().to(at::kCPU).contiguous();
        const std::uint64_t bytes = static_cast<std::uint64_t>(c.numel()) * c.element_size();
        header[name] = {{"dtype", dt}, {"shape", c.sizes().vec()}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
        data.push_back(std::move(c));
    }
    std::string h = header.dump(); // nlohmann objects are std::map: keys come out sorted
    h.append((8 - h.size() % 8) % 8, ' ');
    const std::filesystem::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) {
            return makeError(ErrorCode::Io, "cannot write " + tmp.string() + ": " + std::strerror(errno),
                             "check that the folder exists and is writable");
        }
        const std::uint64_t n = h.size();
        out.write(reinterpret_cast<const char*>(&n), 8);
        out.write(h.data(), static_cast<std::streamsize>(h.size()));
        for (const auto& c : data) {
            out.write(static_cast<const char*>(c.data_ptr()), static_cast<std::streamsize>(c.numel() * c.element_size()));
        }
        out.flush();
        if (!out) {
            out.close();
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            return makeError(ErrorCode::Io, "writing " + tmp.string() + " failed", "is the disk full?");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        return makeError(ErrorCode::Io, "cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
    }
    return {};
}

} // namespace td::st
