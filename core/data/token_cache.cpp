// SPDX-License-Identifier: Apache-2.0
// token_cache.h: hashing of the inputs and a small binary format
//   "TDTC" u32 version, i64 rowsLoaded, u8 hasEval, then per result: i64 truncated, i64 n, n examples
//   (vectors as i64 length + int32 values; flags and counters as i64).
// Dropped-row reasons are not cached (a cached run reports only their count through the log).
#include "core/data/token_cache.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/common/log.h"
#include "core/data/dataset_attr.h"
#include "core/data/dataset_loader.h"
#include "core/data/row_reader.h"

namespace td::data
{
namespace
{

constexpr uint32_t kVersion = 1;

void put(std::ostream& out, int64_t v)
{
    out.write(reinterpret_cast<const char*>(&v), sizeof v);
}
template <class T> void putVec(std::ostream& out, const std::vector<T>& v)
{
    put(out, static_cast<int64_t>(v.size()));
    out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(T)));
}
bool get(std::istream& in, int64_t& v)
{
    return static_cast<bool>(in.read(reinterpret_cast<char*>(&v), sizeof v));
}
template <class T> bool getVec(std::istream& in, std::vector<T>& v)
{
    int64_t n = 0;
    if (!get(in, n) || n < 0 || n > (int64_t{1} << 34)) {
        return false;
    }
    v.resize(static_cast<std::size_t>(n));
    return static_cast<bool>(in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(T))));
}

void putResult(std::ostream& out, const PreprocessResult& r)
{
    put(out, r.truncatedCount);
    put(out, static_cast<int64_t>(r.examples.size()));
    for (const auto& e : r.examples) {
        putVec(out, e.inputIds);
        putVec(out, e.labels);
        putVec(out, e.attentionMask);
        putVec(out, e.positionIds);
        putVec(out, e.rejectedIds);
        putVec(out, e.rejectedLabels);
        putVec(out, e.klIds);
        putVec(out, e.klLabels);
        put(out, (e.ktoTag ? 1 : 0) | (e.truncated ? 2 : 0));
        put(out, e.fullLength);
        put(out, e.sourceIndex);
    }
}

bool getResult(std::istream& in, PreprocessResult& r)
{
    int64_t n = 0;
    if (!get(in, r.truncatedCount) || !get(in, n) || n < 0) {
        return false;
    }
    r.examples.resize(static_cast<std::size_t>(n));
    for (auto& e : r.examples) {
        int64_t flags = 0;
        if (!getVec(in, e.inputIds) || !getVec(in, e.labels) || !getVec(in, e.attentionMask) ||
            !getVec(in, e.positionIds) || !getVec(in, e.rejectedIds) || !getVec(in, e.rejectedLabels) ||
            !getVec(in, e.klIds) || !getVec(in, e.klLabels) || !get(in, flags) || !get(in, e.fullLength) ||
            !get(in, e.sourceIndex)) {
            return false;
        }
        e.ktoTag = flags & 1;
        e.truncated = flags & 2;
    }
    return true;
}

bool hashDatasets(ContentHash& h, const std::filesystem::path& dir, const std::string& names)
{
    for (const auto& name : splitNames(names)) {
        auto attr = findDatasetAttr(dir, name);
        if (!attr || attr->source != SourceKind::File) {
            return false;
        }
        auto files = resolveDataFiles(std::filesystem::path(attr->sourceValue).is_absolute()
                                          ? std::filesystem::path(attr->sourceValue)
                                          : dir / attr->sourceValue);
        if (!files) {
            return false;
        }
        h.add(name);
        for (const auto& f : *files) {
            h.add(f.filename().string());
            if (!h.addFile(f)) {
                return false;
            }
        }
    }
    return true;
}

void hashFormatter(ContentHash& h, const chat::Formatter& f)
{
    h.add(static_cast<int64_t>(f.size()));
    for (const auto& s : f) {
        h.add(static_cast<int64_t>(s.kind));
        h.add(s.text);
    }
}

} // namespace

void ContentHash::add(std::string_view bytes)
{
    add(static_cast<int64_t>(bytes.size()));
    for (const unsigned char c : bytes) {
        m_h = (m_h ^ c) * 1099511628211ULL;
    }
}

void ContentHash::add(int64_t v)
{
    for (int i = 0; i < 8; ++i) {
        m_h = (m_h ^ static_cast<unsigned char>(v >> (8 * i))) * 1099511628211ULL;
    }
}

bool ContentHash::addFile(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return false;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    add(ss.str());
    return true;
}

std::string ContentHash::hex() const
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(m_h));
    return buf;
}

std::string trainDataCacheKey(const DataArgs& a, Stage stage, const chat::ChatTemplate& t,
                              const std::filesystem::path& tokenizerDir)
{
    ContentHash h;
    h.add("tdtc" + std::to_string(kVersion));
    h.addFile(a.datasetDir / "dataset_info.json");
    if (!hashDatasets(h, a.datasetDir, a.dataset) || !hashDatasets(h, a.datasetDir, a.evalDataset)) {
        return {};
    }
    h.add(a.mixStrategy);
    h.add(a.interleaveProbs);
    h.add(a.maxSamples.value_or(-1));
    h.add(std::to_string(a.valSize));
    h.add(static_cast<int64_t>(a.seed));
    const auto& p = a.preprocess;
    h.add(p.cutoffLen);
    h.add((p.trainOnPrompt ? 1 : 0) | (p.maskHistory ? 2 : 0) | (p.packing ? 4 : 0) | (p.neatPacking ? 8 : 0));
    h.add(p.templateName);
    h.add(static_cast<int64_t>(p.batchSize));
    h.add(static_cast<int64_t>(stage));
    h.add(t.name);
    for (const auto* f : {&t.formatUser, &t.formatAssistant, &t.formatSystem, &t.formatFunction, &t.formatObservation,
                          &t.formatPrefix}) {
        hashFormatter(h, *f);
    }
    h.add(t.defaultSystem);
    h.add((t.efficientEos ? 1 : 0) | (t.enableThinking ? 2 : 0) | (static_cast<int>(t.templateClass) << 2));
    for (const char* name : {"tokenizer.json", "tokenizer.model", "tokenizer_config.json"}) {
        h.add(name);
        h.addFile(tokenizerDir / name);
    }
    return h.hex();
}

std::optional<TrainData> loadCachedTrainData(const std::filesystem::path& cacheDir, const std::string& key)
{
    std::ifstream in(cacheDir / (key + ".tdcache"), std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    char magic[4] = {};
    uint32_t version = 0;
    in.read(magic, 4);
    in.read(reinterpret_cast<char*>(&version), sizeof version);
    TrainData d;
    int64_t hasEval = 0;
    if (!in || std::string_view(magic, 4) != "TDTC" || version != kVersion || !get(in, d.rowsLoaded) ||
        !get(in, hasEval) || !getResult(in, d.train)) {
        return std::nullopt;
    }
    if (hasEval) {
        d.eval.emplace();
        if (!getResult(in, *d.eval)) {
            return std::nullopt;
        }
    }
    return d;
}

Status storeCachedTrainData(const std::filesystem::path& cacheDir, const std::string& key, const TrainData& d)
{
    std::error_code ec;
    std::filesystem::create_directories(cacheDir, ec);
    const auto file = cacheDir / (key + ".tdcache");
    const auto tmp = cacheDir / (key + ".tdcache.tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) {
            return makeError(ErrorCode::Io, "cannot write " + tmp.string());
        }
        out.write("TDTC", 4);
        out.write(reinterpret_cast<const char*>(&kVersion), sizeof kVersion);
        put(out, d.rowsLoaded);
        put(out, d.eval ? 1 : 0);
        putResult(out, d.train);
        if (d.eval) {
            putResult(out, *d.eval);
        }
        if (!out) {
            return makeError(ErrorCode::Io, "cannot write " + tmp.string(), "check free disk space");
        }
    }
    std::filesystem::rename(tmp, file, ec);
    if (ec) {
        return makeError(ErrorCode::Io, "cannot rename " + tmp.string() + ": " + ec.message());
    }
    return {};
}

Expected<TrainData> prepareDataCached(const DataArgs& args, Stage stage, const chat::ChatTemplate& tmpl,
                                      const tok::Tokenizer& tokenizer, const std::filesystem::path& tokenizerDir,
                                      const std::filesystem::path& cacheDir)
{
    const std::string key = cacheDir.empty() ? std::string() : trainDataCacheKey(args, stage, tmpl, tokenizerDir);
    if (!key.empty()) {
        if (auto cached = loadCachedTrainData(cacheDir, key)) {
            td::log::get("engine.data")->info("tokenized data loaded from cache {}", key);
            return std::move(*cached);
        }
    }
    auto data = prepareData(args, stage, tmpl, tokenizer);
    if (data && !key.empty()) {
        if (auto ok = storeCachedTrainData(cacheDir, key, *data); !ok) {
            td::log::get("engine.data")->warn("could not cache tokenized data: {}", ok.error().message);
        }
    }
    return data;
}

} // namespace td::data
