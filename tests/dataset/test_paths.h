// SPDX-License-Identifier: Apache-2.0
// Paths of the dataset test fixtures.
#pragma once

#include <cstdlib>
#include <filesystem>

inline std::filesystem::path tdSourceDir()
{
    const char* s = std::getenv("TD_SOURCE_DIR");
    return s ? std::filesystem::path(s) : std::filesystem::path(".");
}
inline std::filesystem::path datasetsDir()
{
    return tdSourceDir() / "tests/data/datasets";
}
inline std::filesystem::path tinyTokenizerDir()
{
    return tdSourceDir() / "tests/data/tokenizers/tiny";
}
