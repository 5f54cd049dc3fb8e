// SPDX-License-Identifier: Apache-2.0
// A small argument parser for tunedesk-cli verbs: `--key value`, `--key=value`, `--flag`, positionals.
// Each verb declares which options take a value, so `--json` never swallows the next argument.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/common/error.h"

namespace td::cli
{

struct Args
{
    std::map<std::string, std::string> values; ///< --key value
    std::set<std::string> flags;               ///< --flag
    std::vector<std::string> positional;

    bool has(const std::string& key) const { return values.count(key) || flags.count(key); }
    std::optional<std::string> get(const std::string& key) const;
    std::string getOr(const std::string& key, const std::string& fallback) const;
};

/// Parses argv[first..argc). Options in `withValue` need a value; options in `flags` take none; anything
/// else starting with "--" is an error naming the option.
Expected<Args> parseArgs(int argc, char** argv, int first, const std::set<std::string>& withValue,
                         const std::set<std::string>& flags);

} // namespace td::cli
