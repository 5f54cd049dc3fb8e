// SPDX-License-Identifier: Apache-2.0
// Raw rows from data files: a JSON array (.json), JSON lines (.jsonl, or .json that is not an array), CSV with a
// header row (RFC 4180: quoted fields, doubled quotes, newlines inside quotes), and plain text (.txt, one row
// per line as {"text": line}). Rows are produced one at a time so JSON-lines, CSV and text files of any size
// stream without being loaded; a JSON array is parsed whole. A UTF-8 BOM is skipped; malformed JSON, invalid
// UTF-8 and ragged CSV rows are errors naming the file, the row and (where known) the line and column.
// Parquet/arrow are not readable in this build (no Arrow in Debian's toolchain we build with).
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/data/record.h"

namespace td::data
{

enum class FileType
{
    Json, ///< a JSON array of objects, or JSON lines when the file does not start with '['
    Jsonl,
    Csv,
    Txt,
};

struct RawRow
{
    nlohmann::json value; ///< an object: column name -> value
    RowRef ref;
};

class RowReader
{
public:
    virtual ~RowReader() = default;
    /// Reads the next row into `out`; false at the end of the file.
    virtual Expected<bool> next(RawRow& out) = 0;
};

/// The type of a data file by extension; Unsupported for parquet/arrow and unknown extensions.
Expected<FileType> fileTypeOf(const std::filesystem::path& file);

/// A reader for one file.
Expected<std::unique_ptr<RowReader>> openRowReader(const std::filesystem::path& file);

/// `path` itself when it is a file; the files of a folder (sorted, hidden files skipped), which must all have
/// the same type.
Expected<std::vector<std::filesystem::path>> resolveDataFiles(const std::filesystem::path& path);

/// Position of the first invalid UTF-8 byte in `s`, or npos when valid.
std::size_t findInvalidUtf8(std::string_view s);

} // namespace td::data
