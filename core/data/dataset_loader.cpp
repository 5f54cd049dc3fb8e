// SPDX-License-Identifier: Apache-2.0
// RecordStream (files → raw rows → format converter → Record) and the non-streaming loader on top of it, so
// streaming and non-streaming produce the same records by construction.
#include "core/data/dataset_loader.h"

#include <algorithm>
#include <set>

#include "core/common/log.h"
#include "core/data/dataset_format.h"
#include "core/data/row_reader.h"
#include "core/data/sampling.h"

namespace td::data
{

std::string RowRef::describe() const
{
    return std::filesystem::path(file).filename().string() + " row " + std::to_string(row);
}

struct RecordStream::Impl
{
    DatasetAttr attr;
    const DatasetFormat* format = nullptr;
    std::vector<std::filesystem::path> files;
    std::size_t fileIndex = 0;
    std::unique_ptr<RowReader> reader;
    bool checkSchema = false;
    bool strict = false;
    int64_t rowsInFile = 0;

    Status openNextFile()
    {
        auto r = openRowReader(files[fileIndex++]);
        if (!r) {
            return tl::unexpected(r.error());
        }
        reader = std::move(*r);
        checkSchema = true;
        rowsInFile = 0;
        return {};
    }

    Status checkColumns(const RawRow& row) const
    {
        for (const auto& [logical, column] : format->schema(attr)) {
            if (!row.value.contains(column)) {
                std::string present;
                for (const auto& [key, value] : row.value.items()) {
                    present += (present.empty() ? "" : ", ") + key;
                }
                return makeError(ErrorCode::BadDataset,
                                 row.ref.describe() + ": missing column \"" + column + "\" (the " + logical +
                                     " column of dataset \"" + attr.name + "\", formatting " + attr.formatting + ")",
                                 "the row has: " + present + "; map the columns in dataset_info.json");
            }
        }
        return {};
    }

    Expected<bool> next(Record& out, std::string* rawJson)
    {
        while (true) {
            if (!reader) {
                if (fileIndex >= files.size()) {
                    return false;
                }
                if (auto ok = openNextFile(); !ok) {
                    return tl::unexpected(ok.error());
                }
            }
            RawRow row;
            auto got = reader->next(row);
            if (!got) {
                return tl::unexpected(got.error());
            }
            if (!*got) {
                if (rowsInFile == 0) {
                    return makeError(ErrorCode::BadDataset, files[fileIndex - 1].string() + " has no rows",
                                     "the data file is empty");
                }
                reader.reset();
                continue;
            }
            ++rowsInFile;
            if (checkSchema) {
                checkSchema = false;
                if (auto ok = checkColumns(row); !ok) {
                    return tl::unexpected(ok.error());
                }
            }
            auto rec = format->convert(row, attr);
            if (!rec) {
                return tl::unexpected(rec.error());
            }
            if (strict && !rec->invalidReason.empty()) {
                return makeError(ErrorCode::BadDataset, rec->invalidReason);
            }
            if (rawJson) {
                *rawJson = row.value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            }
            out = std::move(*rec);
            return true;
        }
    }
};

RecordStream::RecordStream(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
RecordStream::~RecordStream() = default;

Expected<std::unique_ptr<RecordStream>> RecordStream::open(const std::filesystem::path& datasetDir,
                                                           const DatasetAttr& attr, bool strict)
{
    if (attr.source != SourceKind::File) {
        return makeError(ErrorCode::Unsupported,
                         "dataset \"" + attr.name + "\" comes from " + sourceKindKey(attr.source) + " \"" +
                             attr.sourceValue + "\", but TuneDesk loads datasets offline only",
                         "download the data, put the file in the dataset directory and describe it with "
                         "\"file_name\" in dataset_info.json");
    }
    if (datasetDir == "ONLINE" || datasetDir.string().rfind("REMOTE:", 0) == 0) {
        return makeError(ErrorCode::Unsupported, "dataset_dir \"" + datasetDir.string() + "\" needs the hub",
                         "TuneDesk loads datasets offline only: use a local dataset directory");
    }
    auto impl = std::make_unique<Impl>();
    impl->attr = attr;
    impl->strict = strict;
    impl->format = findFormat(attr.formatting);
    if (!impl->format) {
        std::string ids;
        for (const auto& f : datasetFormats()) {
            ids += (ids.empty() ? "" : ", ") + std::string(f.id);
        }
        return makeError(ErrorCode::BadDataset,
                         "dataset \"" + attr.name + "\": unknown formatting \"" + attr.formatting + "\"",
                         "use one of: " + ids);
    }
    std::filesystem::path path = attr.sourceValue;
    if (path.is_relative() && !datasetDir.empty()) {
        path = datasetDir / path;
    }
    auto files = resolveDataFiles(path);
    if (!files) {
        return tl::unexpected(files.error());
    }
    impl->files = std::move(*files);
    return std::unique_ptr<RecordStream>(new RecordStream(std::move(impl)));
}

Expected<bool> RecordStream::next(Record& out)
{
    return m_impl->next(out, nullptr);
}
Expected<bool> RecordStream::next(Record& out, std::string& rawJson)
{
    return m_impl->next(out, &rawJson);
}
const DatasetAttr& RecordStream::attr() const
{
    return m_impl->attr;
}

struct ShuffledRecordStream::Impl
{
    std::unique_ptr<RecordStream> stream;
    std::size_t bufferSize;
    Rng rng;
    std::vector<Record> buffer;
    bool drained = false;
};

ShuffledRecordStream::ShuffledRecordStream(std::unique_ptr<RecordStream> stream, std::size_t bufferSize, uint64_t seed)
    : m_impl(new Impl{std::move(stream), std::max<std::size_t>(bufferSize, 1), Rng(seed), {}, false})
{
}

ShuffledRecordStream::~ShuffledRecordStream() = default;

Expected<bool> ShuffledRecordStream::next(Record& out)
{
    auto& m = *m_impl;
    while (!m.drained && m.buffer.size() < m.bufferSize) {
        Record r;
        auto got = m.stream->next(r);
        if (!got) {
            return tl::unexpected(got.error());
        }
        if (!*got) {
            m.drained = true;
            break;
        }
        m.buffer.push_back(std::move(r));
    }
    if (m.buffer.empty()) {
        return false;
    }
    const auto i = static_cast<std::size_t>(m.rng.below(m.buffer.size()));
    out = std::move(m.buffer[i]);
    if (!m.drained) {
        Record r;
        auto got = m.stream->next(r);
        if (!got) {
            return tl::unexpected(got.error());
        }
        if (*got) {
            m.buffer[i] = std::move(r);
            return true;
        }
        m.drained = true;
    }
    m.buffer[i] = std::move(m.buffer.back());
    m.buffer.pop_back();
    return true;
}

Expected<Dataset> loadDataset(const std::filesystem::path& datasetDir, const DatasetAttr& attr,
                              const LoadOptions& options)
{
    auto stream = RecordStream::open(datasetDir, attr, options.strict);
    if (!stream) {
        return tl::unexpected(stream.error());
    }
    Dataset ds;
    ds.name = attr.name;
    Record rec;
    while (true) {
        if (options.cancel && options.cancel->isCancelled()) {
            return makeError(ErrorCode::Cancelled, "loading dataset \"" + attr.name + "\" was cancelled");
        }
        auto got = (*stream)->next(rec);
        if (!got) {
            return tl::unexpected(got.error().withContext("loading dataset \"" + attr.name + "\""));
        }
        if (!*got) {
            break;
        }
        ds.records.push_back(std::move(rec));
    }
    if (attr.numSamples) {
        ds.records = resample(std::move(ds.records), static_cast<std::size_t>(*attr.numSamples), options.seed);
    }
    if (options.maxSamples && static_cast<int64_t>(ds.records.size()) > *options.maxSamples) {
        ds.records.resize(static_cast<std::size_t>(*options.maxSamples));
    }
    std::size_t invalid = 0;
    for (const auto& r : ds.records) {
        invalid += r.invalidReason.empty() ? 0 : 1;
    }
    if (invalid > 0) {
        td::log::get("engine.data")
            ->warn("dataset \"{}\": {} of {} rows are malformed and will be skipped", attr.name, invalid,
                   ds.records.size());
    }
    return ds;
}

Expected<Dataset> loadDataset(const std::filesystem::path& datasetDir, std::string_view name,
                              const LoadOptions& options)
{
    auto attr = findDatasetAttr(datasetDir, name);
    if (!attr) {
        return tl::unexpected(attr.error());
    }
    return loadDataset(datasetDir, *attr, options);
}

std::vector<std::string> splitNames(std::string_view names)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= names.size()) {
        auto end = names.find(',', start);
        if (end == std::string_view::npos) {
            end = names.size();
        }
        auto part = names.substr(start, end - start);
        const auto a = part.find_first_not_of(" \t");
        const auto b = part.find_last_not_of(" \t");
        if (a != std::string_view::npos) {
            out.emplace_back(part.substr(a, b - a + 1));
        }
        start = end + 1;
    }
    return out;
}

Expected<std::vector<Dataset>> loadDatasets(const std::filesystem::path& datasetDir, std::string_view names,
                                            const LoadOptions& options)
{
    std::vector<Dataset> out;
    for (const auto& name : splitNames(names)) {
        auto ds = loadDataset(datasetDir, name, options);
        if (!ds) {
            return tl::unexpected(ds.error());
        }
        out.push_back(std::move(*ds));
    }
    if (out.empty()) {
        return makeError(ErrorCode::InvalidConfig, "no dataset given", "choose at least one dataset");
    }
    return out;
}

} // namespace td::data
