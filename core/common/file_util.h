// SPDX-License-Identifier: Apache-2.0
// Small file helpers shared by the engine's readers (tokenizer files, configs). Torch-free.
#pragma once

#include <filesystem>
#include <string>

#include "core/common/error.h"

namespace td
{

/// The whole file as bytes. Io error naming the path when it cannot be read.
Expected<std::string> readFile(const std::filesystem::path& path);

/// Writes `path.tmp-<pid>`, flushes, then renames over `path`: readers see the old file or the new one,
/// never half of it. Io error naming the path (and a disk-space hint) on failure; the temp file is removed.
Status writeFileAtomic(const std::filesystem::path& path, const std::string& content);

/// Appends one line (a '\n' is added) with a single write, so a reader polling the file sees whole lines.
Status appendLine(const std::filesystem::path& path, const std::string& line);

/// Creates `dir` (and parents) and checks a file can be written in it: an output folder is usable before a
/// long job starts writing to it. Io errors name the folder.
Status ensureWritableDir(const std::filesystem::path& dir);

} // namespace td
