// SPDX-License-Identifier: Apache-2.0
// On-disk cache of tokenized training data, keyed by a content hash of everything that affects the result
// (data files, dataset_info.json, data arguments, stage, chat template, tokenizer files), so a re-run with the
// same inputs skips preprocessing. Files are written to a temporary name and renamed into place.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/data/data_pipeline.h"

namespace td::data
{

/// 64-bit FNV-1a, incrementally.
class ContentHash
{
public:
    void add(std::string_view bytes);
    void add(int64_t v);
    /// Adds a file's size and bytes; false when it cannot be read.
    bool addFile(const std::filesystem::path& file);
    std::string hex() const;

private:
    uint64_t m_h = 1469598103934665603ULL;
};

/// The cache key of a prepareData call: "" when a data file cannot be hashed (then nothing is cached).
std::string trainDataCacheKey(const DataArgs& args, Stage stage, const chat::ChatTemplate& tmpl,
                              const std::filesystem::path& tokenizerDir);

/// cacheDir/<key>.tdcache if present and valid.
std::optional<TrainData> loadCachedTrainData(const std::filesystem::path& cacheDir, const std::string& key);
Status storeCachedTrainData(const std::filesystem::path& cacheDir, const std::string& key, const TrainData& data);

/// prepareData with the cache: returns the cached result when the key matches, else computes and stores it.
Expected<TrainData> prepareDataCached(const DataArgs& args, Stage stage, const chat::ChatTemplate& tmpl,
                                      const tok::Tokenizer& tokenizer, const std::filesystem::path& tokenizerDir,
                                      const std::filesystem::path& cacheDir);

} // namespace td::data
