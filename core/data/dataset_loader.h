// SPDX-License-Identifier: Apache-2.0
// Loading one dataset into normalized Records: from a dataset_info.json entry (file or folder relative to
// dataset_dir) or from a file given directly. RecordStream reads row by row (streaming mode, previews,
// large JSON-lines files); loadDataset collects it and applies num_samples then max_samples, as LLaMA-Factory
// does. Hub, script and cloud sources are reported as unavailable offline.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/cancel.h"
#include "core/common/error.h"
#include "core/data/dataset_attr.h"
#include "core/data/record.h"

namespace td::data
{

struct LoadOptions
{
    std::optional<int64_t> maxSamples; ///< keep the first N rows of each dataset (after num_samples)
    uint64_t seed = 42;                ///< num_samples resampling
    bool strict = false;               ///< a broken row (roles that do not alternate, ...) is an error, not a drop
    const CancelToken* cancel = nullptr;
};

struct Dataset
{
    std::string name;
    std::vector<Record> records; ///< rows rejected by the converter keep invalidReason (processors drop them)
};

class RecordStream
{
public:
    /// Opens the entry's files (a file or every file of a folder, in name order).
    static Expected<std::unique_ptr<RecordStream>> open(const std::filesystem::path& datasetDir,
                                                        const DatasetAttr& attr, bool strict = false);
    ~RecordStream();
    /// The next record; false at the end.
    Expected<bool> next(Record& out);
    /// The next raw row (the file's object as JSON text) and its record; for previews.
    Expected<bool> next(Record& out, std::string& rawJson);
    const DatasetAttr& attr() const;

private:
    struct Impl;
    explicit RecordStream(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Streaming shuffle (datasets' IterableDataset.shuffle): keeps a buffer of `bufferSize` records; each step
/// emits a random buffered record and refills its slot from the stream; the tail is emitted in random order.
class ShuffledRecordStream
{
public:
    ShuffledRecordStream(std::unique_ptr<RecordStream> stream, std::size_t bufferSize = 16384, uint64_t seed = 42);
    ~ShuffledRecordStream();
    Expected<bool> next(Record& out);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Loads entry `name` of datasetDir/dataset_info.json.
Expected<Dataset> loadDataset(const std::filesystem::path& datasetDir, std::string_view name,
                              const LoadOptions& options = {});
/// Loads an entry already parsed (or made with attrForFile; then datasetDir may be empty).
Expected<Dataset> loadDataset(const std::filesystem::path& datasetDir, const DatasetAttr& attr,
                              const LoadOptions& options = {});
/// Loads each name of a comma-separated list ("a,b").
Expected<std::vector<Dataset>> loadDatasets(const std::filesystem::path& datasetDir, std::string_view names,
                                            const LoadOptions& options = {});

/// Splits "a, b,c" into trimmed non-empty names.
std::vector<std::string> splitNames(std::string_view names);

} // namespace td::data
