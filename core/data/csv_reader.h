// SPDX-License-Identifier: Apache-2.0
// Internal: the CSV and JSON readers behind openRowReader (row_reader.cpp dispatches on the file type).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/data/row_reader.h"

namespace td::data::detail
{

Expected<std::unique_ptr<RowReader>> openCsvReader(const std::filesystem::path& file);

/// nlohmann's parse_error text without its "[json.exception...] parse error at line x, column y: " prefix.
std::string shortJsonError(const std::string& what);

} // namespace td::data::detail
