// SPDX-License-Identifier: Apache-2.0
// One entry of LLaMA-Factory's dataset_info.json (llamaboard.md §2.1-2.3): where the data lives, its
// formatting, and which columns/tags hold what. Also the list of names for the UI dropdown.
// Hub, script and cloud sources are parsed (so the UI can list them) but loading them reports that this
// build works offline.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/error.h"

namespace td::data
{

enum class SourceKind
{
    File,   ///< file_name: a file or folder relative to dataset_dir
    HfHub,  ///< hf_hub_url
    MsHub,  ///< ms_hub_url
    OmHub,  ///< om_hub_url
    Script, ///< script_url
    Cloud,  ///< cloud_file_name
};
const char* sourceKindKey(SourceKind kind); ///< the dataset_info.json key, e.g. "hf_hub_url"

/// Column and tag names; std::nullopt means "unset" (the column is not read).
struct DatasetAttr
{
    std::string name;
    SourceKind source = SourceKind::File;
    std::string sourceValue; ///< the file name, repo id, script folder or cloud path
    std::string formatting = "alpaca";
    bool ranking = false;
    std::string subset;
    std::string split = "train";
    std::string folder;
    std::optional<int64_t> numSamples;

    // columns (defaults apply only when the "columns" object is absent)
    std::optional<std::string> prompt = "instruction";
    std::optional<std::string> query = "input";
    std::optional<std::string> response = "output";
    std::optional<std::string> history;
    std::optional<std::string> messages = "conversations";
    std::optional<std::string> system;
    std::optional<std::string> tools;
    std::optional<std::string> images;
    std::optional<std::string> videos;
    std::optional<std::string> audios;
    std::optional<std::string> chosen;
    std::optional<std::string> rejected;
    std::optional<std::string> ktoTag;
    bool explicitColumns = false; ///< the entry had a "columns" object

    // tags (sharegpt/openai; defaults apply only when the "tags" object is absent)
    std::optional<std::string> roleTag = "from";
    std::optional<std::string> contentTag = "value";
    std::optional<std::string> userTag = "human";
    std::optional<std::string> assistantTag = "gpt";
    std::optional<std::string> observationTag = "observation";
    std::optional<std::string> functionTag = "function_call";
    std::optional<std::string> systemTag = "system";
};

/// Parses one dataset_info.json value (a JSON object given as text) for dataset `name`.
Expected<DatasetAttr> parseDatasetAttr(std::string_view name, std::string_view entryJson);

/// All entries of dir/dataset_info.json, in file order.
Expected<std::vector<DatasetAttr>> loadDatasetInfo(const std::filesystem::path& datasetDir);

/// One entry by name; BadDataset naming the known names when absent.
Expected<DatasetAttr> findDatasetAttr(const std::filesystem::path& datasetDir, std::string_view name);

/// Attributes for a file given directly (no dataset_info.json): alpaca defaults; a .txt file reads column
/// "text" as the prompt (pre-training text).
DatasetAttr attrForFile(const std::filesystem::path& file, std::string_view formatting = "alpaca");

} // namespace td::data
