// SPDX-License-Identifier: Apache-2.0
// Where the tokenizer tests find their data: small golden files in tests/data/tokenizers/<name>/ (in the
// repository), the big tokenizer.json/tokenizer_config.json in $TD_SHARED_DIR/fixtures/tokenizers/<name>/ or
// in the cache that tools/fetch-tokenizers.sh fills (~/.cache/tunedesk/tokenizers/<name>/).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace td::test
{

namespace fs = std::filesystem;

inline fs::path sourceDir()
{
    const char* s = std::getenv("TD_SOURCE_DIR");
    return s ? fs::path(s) : fs::current_path();
}

/// tests/data/tokenizers/<name>: golden_*.json (and the whole tiny tokenizer).
inline fs::path goldenDir(const std::string& name)
{
    return sourceDir() / "tests" / "data" / "tokenizers" / name;
}

/// A folder with tokenizer.json + tokenizer_config.json for <name>, or nullopt.
inline std::optional<fs::path> tokenizerDir(const std::string& name)
{
    std::error_code ec;
    if (fs::exists(goldenDir(name) / "tokenizer.json", ec)) {
        return goldenDir(name);
    }
    if (const char* shared = std::getenv("TD_SHARED_DIR")) {
        const fs::path p = fs::path(shared) / "fixtures" / "tokenizers" / name;
        if (fs::exists(p / "tokenizer.json", ec)) {
            return p;
        }
    }
    fs::path cache;
    if (const char* c = std::getenv("TD_CACHE_DIR")) {
        cache = fs::path(c);
    } else if (const char* home = std::getenv("HOME")) {
        cache = fs::path(home) / ".cache" / "tunedesk";
    }
    if (!cache.empty() && fs::exists(cache / "tokenizers" / name / "tokenizer.json", ec)) {
        return cache / "tokenizers" / name;
    }
    return std::nullopt;
}

inline std::string missingFixtureMessage(const std::string& name)
{
    return "tokenizer fixture '" + name +
           "' not found in $TD_SHARED_DIR/fixtures/tokenizers nor in ~/.cache/tunedesk/tokenizers; "
           "run tools/fetch-tokenizers.sh";
}

inline std::string readText(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline nlohmann::json readJson(const fs::path& p)
{
    return nlohmann::json::parse(readText(p));
}

} // namespace td::test
