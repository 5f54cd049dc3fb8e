// SPDX-License-Identifier: Apache-2.0
// GGUF reader and GGUF → CausalLM (see gguf_reader.h). The file is read whole; exports we verify are small
// next to memory, and the bounds checks below make a truncated or hostile file an error, never a crash.
#include "core/export/gguf_reader.h"

#include <cstring>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/common/file_util.h"
#include "core/common/guard.h"
#include "core/export/gguf_arch.h"
#include "core/models/transformer.h"

namespace td::gguf
{

namespace
{

class Cursor
{
public:
    Cursor(const std::string& bytes, std::string name) : m_b(bytes), m_name(std::move(name)) {}

    std::uint64_t pos = 0;

    template <class T>
    Expected<T> pod()
    {
        if (pos + sizeof(T) > m_b.size()) {
            return truncated();
        }
        T v;
        std::memcpy(&v, m_b.data() + pos, sizeof(T));
        pos += sizeof(T);
        return v;
    }
    Expected<std::string> str()
    {
        auto n = pod<std::uint64_t>();
        if (!n) {
            return tl::unexpected(n.error());
        }
        if (*n > m_b.size() - pos) {
            return truncated();
        }
        std::string s = m_b.substr(pos, *n);
        pos += *n;
        return s;
    }
    tl::unexpected<Error> truncated() const
    {
        return makeError(ErrorCode::BadCheckpoint, m_name + " is truncated or corrupt (read past the end at byte " +
                                                       std::to_string(pos) + ")",
                         "export the GGUF file again");
    }

private:
    const std::string& m_b;
    std::string m_name;
};

Status readScalar(Cursor& c, ValueType t, Value& v, bool intoArray)
{
    auto putInt = [&](std::int64_t x) {
        if (intoArray) {
            v.ints.push_back(x);
        } else {
            v.i = x;
        }
    };
    auto putFloat = [&](double x) {
        if (intoArray) {
            v.floats.push_back(x);
        } else {
            v.f = x;
        }
    };
#define TD_READ(T, put)                                                                                               \
    {                                                                                                                \
        auto x = c.pod<T>();                                                                                         \
        if (!x) {                                                                                                    \
            return tl::unexpected(x.error());                                                                        \
        }                                                                                                            \
        put(static_cast<decltype(v.i)>(*x));                                                                         \
        return {};                                                                                                   \
    }
    switch (t) {
    case ValueType::U8:
    case ValueType::Bool:
        TD_READ(std::uint8_t, putInt)
    case ValueType::I8:
        TD_READ(std::int8_t, putInt)
    case ValueType::U16:
        TD_READ(std::uint16_t, putInt)
    case ValueType::I16:
        TD_READ(std::int16_t, putInt)
    case ValueType::U32:
        TD_READ(std::uint32_t, putInt)
    case ValueType::I32:
        TD_READ(std::int32_t, putInt)
    case ValueType::U64:
        TD_READ(std::uint64_t, putInt)
    case ValueType::I64:
        TD_READ(std::int64_t, putInt)
    case ValueType::F32: {
        auto x = c.pod<float>();
        if (!x) {
            return tl::unexpected(x.error());
        }
        putFloat(*x);
        return {};
    }
    case ValueType::F64: {
        auto x = c.pod<double>();
        if (!x) {
            return tl::unexpected(x.error());
        }
        putFloat(*x);
        return {};
    }
    case ValueType::String: {
        auto s = c.str();
        if (!s) {
            return tl::unexpected(s.error());
        }
        if (intoArray) {
            v.strings.push_back(std::move(*s));
        } else {
            v.s = std::move(*s);
        }
        return {};
    }
    case ValueType::Array:
        break;
    }
#undef TD_READ
    return makeError(ErrorCode::BadCheckpoint, "GGUF value type " + std::to_string(static_cast<std::uint32_t>(t)) +
                                                   " is unknown or nested");
}

} // namespace

Expected<GgufFile> GgufFile::open(const std::filesystem::path& path)
{
    auto bytes = readFile(path);
    if (!bytes) {
        return tl::unexpected(bytes.error());
    }
    GgufFile f;
    f.m_path = path;
    f.m_bytes = std::make_shared<const std::string>(std::move(*bytes));
    const std::string& b = *f.m_bytes;
    if (b.size() < 24 || b.compare(0, 4, "GGUF") != 0) {
        return makeError(ErrorCode::BadCheckpoint, path.string() + " is not a GGUF file (bad magic)");
    }
    Cursor c(b, path.string());
    c.pos = 4;
    f.m_version = *c.pod<std::uint32_t>();
    if (f.m_version != 2 && f.m_version != 3) {
        return makeError(ErrorCode::Unsupported, path.string() + ": GGUF version " + std::to_string(f.m_version),
                         "only GGUF versions 2 and 3 are read");
    }
    const auto nTensors = *c.pod<std::uint64_t>();
    const auto nKv = *c.pod<std::uint64_t>();
    if (nTensors > b.size() / 8 || nKv > b.size() / 8) {
        return c.truncated();
    }
    for (std::uint64_t k = 0; k < nKv; ++k) {
        auto key = c.str();
        auto type = c.pod<std::uint32_t>();
        if (!key || !type) {
            return c.truncated();
        }
        Value v;
        v.type = static_cast<ValueType>(*type);
        if (v.type == ValueType::Array) {
            auto at = c.pod<std::uint32_t>();
            auto n = c.pod<std::uint64_t>();
            if (!at || !n || *n > b.size()) {
                return c.truncated();
            }
            v.arrayType = static_cast<ValueType>(*at);
            for (std::uint64_t i = 0; i < *n; ++i) {
                if (auto s = readScalar(c, v.arrayType, v, true); !s) {
                    return tl::unexpected(s.error());
                }
            }
        } else if (auto s = readScalar(c, v.type, v, false); !s) {
            return tl::unexpected(s.error());
        }
        f.m_kv.emplace_back(std::move(*key), std::move(v));
    }
    for (std::uint64_t t = 0; t < nTensors; ++t) {
        TensorInfo info;
        auto name = c.str();
        auto nd = c.pod<std::uint32_t>();
        if (!name || !nd || *nd > 4) {
            return c.truncated();
        }
        info.name = std::move(*name);
        for (std::uint32_t d = 0; d < *nd; ++d) {
            auto ne = c.pod<std::uint64_t>();
            if (!ne || *ne > (1ull << 40)) {
                return c.truncated();
            }
            info.ne.push_back(static_cast<std::int64_t>(*ne));
        }
        auto type = c.pod<std::uint32_t>();
        auto off = c.pod<std::uint64_t>();
        if (!type || !off) {
            return c.truncated();
        }
        info.type = static_cast<GgmlType>(*type);
        if (ggmlTypeName(info.type).rfind("type", 0) == 0) {
            return makeError(ErrorCode::Unsupported, path.string() + ": tensor '" + info.name + "' has ggml type " +
                                                         std::to_string(*type),
                             "only F32, F16, BF16, Q8_0 and Q4_0 tensors are read");
        }
        info.offset = *off;
        f.m_tensors.push_back(std::move(info));
    }
    std::uint64_t alignment = kAlignment;
    if (const Value* a = f.find("general.alignment"); a && a->i > 0) {
        alignment = static_cast<std::uint64_t>(a->i);
    }
    f.m_dataStart = (c.pos + alignment - 1) / alignment * alignment;
    for (const auto& t : f.m_tensors) {
        std::int64_t n = 1;
        for (auto d : t.ne) {
            n *= d;
        }
        if (isQuantized(t.type) && (t.ne.empty() || t.ne[0] % kQkBlock != 0)) {
            return makeError(ErrorCode::BadCheckpoint, path.string() + ": tensor '" + t.name + "' rows are not whole blocks");
        }
        if (f.m_dataStart + t.offset + ggmlBytes(t.type, n) > b.size()) {
            return makeError(ErrorCode::BadCheckpoint, path.string() + ": tensor '" + t.name + "' lies past the end of the file",
                             "the file is truncated; export it again");
        }
    }
    return f;
}

const Value* GgufFile::find(const std::string& key) const
{
    for (const auto& [k, v] : m_kv) {
        if (k == key) {
            return &v;
        }
    }
    return nullptr;
}

const TensorInfo* GgufFile::tensorInfo(const std::string& name) const
{
    for (const auto& t : m_tensors) {
        if (t.name == name) {
            return &t;
        }
    }
    return nullptr;
}

Expected<at::Tensor> GgufFile::tensor(const std::string& name) const
{
    const TensorInfo* t = tensorInfo(name);
    if (t == nullptr) {
        return makeError(ErrorCode::BadCheckpoint, m_path.string() + " has no tensor '" + name + "'");
    }
    std::vector<std::int64_t> shape(t->ne.rbegin(), t->ne.rend());
    at::Tensor out = at::empty(shape, at::kFloat);
    decode(t->type, reinterpret_cast<const std::uint8_t*>(m_bytes->data() + m_dataStart + t->offset), out.numel(),
           out.data_ptr<float>());
    return out;
}

Expected<nlohmann::json> configFromGguf(const GgufFile& f)
{
    const Value* archV = f.find("general.architecture");
    if (archV == nullptr || archV->type != ValueType::String) {
        return makeError(ErrorCode::BadCheckpoint, "GGUF file has no general.architecture");
    }
    const std::string a = archV->s;
    nlohmann::json j = nlohmann::json::object();
    if (const Value* hf = f.find("tunedesk.hf_config"); hf && hf->type == ValueType::String) {
        j = nlohmann::json::parse(hf->s, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            j = nlohmann::json::object();
        }
    }
    if (!j.contains("model_type")) {
        auto mt = modelTypeFor(a);
        if (!mt) {
            return makeError(ErrorCode::UnsupportedArchitecture, "GGUF architecture '" + a + "' is not supported");
        }
        j["model_type"] = *mt;
    }
    // The standard keys are authoritative for what they carry.
    auto setInt = [&](const char* hfKey, const std::string& key) {
        if (const Value* v = f.find(a + "." + key)) {
            j[hfKey] = v->i;
        }
    };
    // f32 in the file: keep the config's exact double when it rounds to the same float.
    auto setFloat = [&](const char* hfKey, const std::string& key) {
        const Value* v = f.find(a + "." + key);
        if (v != nullptr && !(j.contains(hfKey) && j[hfKey].is_number() &&
                              static_cast<float>(j[hfKey].get<double>()) == static_cast<float>(v->f))) {
            j[hfKey] = v->f;
        }
    };
    setInt("vocab_size", "vocab_size");
    setInt("max_position_embeddings", "context_length");
    setInt("hidden_size", "embedding_length");
    setInt("num_hidden_layers", "block_count");
    setInt("intermediate_size", "feed_forward_length");
    setInt("num_attention_heads", "attention.head_count");
    setInt("num_key_value_heads", "attention.head_count_kv");
    setInt("head_dim", "attention.key_length");
    setFloat("rope_theta", "rope.freq_base");
    setFloat("rms_norm_eps", "attention.layer_norm_rms_epsilon");
    j["tie_word_embeddings"] = f.tensorInfo("output.weight") == nullptr;
    return j;
}

Expected<models::LoadedModel> loadGgufModel(const std::filesystem::path& path)
{
    auto file = GgufFile::open(path);
    if (!file) {
        return tl::unexpected(file.error());
    }
    auto cj = configFromGguf(*file);
    if (!cj) {
        return tl::unexpected(cj.error());
    }
    auto config = models::parseModelConfig(*cj);
    if (!config) {
        return tl::unexpected(config.error().withContext("reading GGUF hyperparameters"));
    }
    auto arch = archFor(config->model_type);
    if (!arch) {
        return tl::unexpected(arch.error());
    }
    models::LoadedModel out;
    out.config = *config;
    const auto status = guarded("loading GGUF tensors", [&]() -> Status {
        at::NoGradGuard noGrad;
        out.model = std::make_shared<models::CausalLM>(*config, at::TensorOptions().dtype(at::kFloat));
        std::map<std::string, at::Tensor> params;
        for (auto& item : out.model->named_parameters()) {
            params[item.key()] = item.value();
        }
        std::size_t used = 0;
        for (const auto& t : file->tensors()) {
            if (t.name == "rope_freqs.weight") {
                continue; // derived from rope_scaling, which the config carries
            }
            auto hf = toHfName(t.name, *config);
            if (!hf || params.find(*hf) == params.end()) {
                return makeError(ErrorCode::BadCheckpoint, path.string() + ": tensor '" + t.name + "' has no place in a " +
                                                               config->model_type + " model");
            }
            auto values = file->tensor(t.name);
            if (!values) {
                return tl::unexpected(values.error());
            }
            at::Tensor& p = params[*hf];
            if (values->sizes() != p.sizes()) {
                return makeError(ErrorCode::BadCheckpoint, path.string() + ": tensor '" + t.name + "' has the wrong shape");
            }
            p.copy_(fromGgufValues(*hf, *values, *config, *arch));
            ++used;
        }
        if (used != params.size()) {
            return makeError(ErrorCode::BadCheckpoint, path.string() + ": " + std::to_string(params.size() - used) +
                                                           " model tensors are missing");
        }
        out.model->eval();
        return {};
    });
    if (!status) {
        return tl::unexpected(status.error());
    }
    out.info = models::describe(*out.model, path, "gguf");
    return out;
}

} // namespace td::gguf
