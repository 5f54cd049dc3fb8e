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

} // namespace td
