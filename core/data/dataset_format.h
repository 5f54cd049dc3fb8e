// SPDX-License-Identifier: Apache-2.0
// Dataset formats (dataset_info.json "formatting"): each converts one raw row into the normalized Record.
// One file per format under core/data/formats/ and one line in the table in format_registry.cpp.
// Preference (ranking: true) and KTO (a kto_tag column) are modes of alpaca/sharegpt/openai, as in
// LLaMA-Factory; "text" reads one text column for pre-training.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/data/dataset_attr.h"
#include "core/data/record.h"
#include "core/data/row_reader.h"

namespace td::data
{

/// (logical name, actual column) pairs that must exist in a file's first row (checked once per file).
using SchemaFn = std::vector<std::pair<std::string, std::string>> (*)(const DatasetAttr& attr);
/// Converts a row. A structural problem (wrong type, missing required value) is an error naming file, row
/// and column; a semantically broken row (roles that do not alternate) is returned with invalidReason set.
using ConvertFn = Expected<Record> (*)(const RawRow& row, const DatasetAttr& attr);

struct DatasetFormat
{
    std::string_view id;
    std::string_view description;
    SchemaFn schema;
    ConvertFn convert;
};

/// All formats, in display order.
const std::vector<DatasetFormat>& datasetFormats();
/// A format by id, or nullptr.
const DatasetFormat* findFormat(std::string_view id);

namespace formats
{
// Defined in core/data/formats/<id>.cpp.
extern const DatasetFormat kAlpaca;
extern const DatasetFormat kSharegpt;
extern const DatasetFormat kOpenai;
extern const DatasetFormat kText;
} // namespace formats

} // namespace td::data
