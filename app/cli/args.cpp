// SPDX-License-Identifier: Apache-2.0
#include "args.h"

namespace td::cli
{

std::optional<std::string> Args::get(const std::string& key) const
{
    auto it = values.find(key);
    if (it == values.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string Args::getOr(const std::string& key, const std::string& fallback) const
{
    return get(key).value_or(fallback);
}

Expected<Args> parseArgs(int argc, char** argv, int first, const std::set<std::string>& withValue,
                         const std::set<std::string>& flags)
{
    Args out;
    for (int i = first; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0 || arg == "--") {
            out.positional.push_back(arg);
            continue;
        }
        std::string key = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = key.find('='); eq != std::string::npos) {
            inlineValue = key.substr(eq + 1);
            key = key.substr(0, eq);
        }
        if (withValue.count(key)) {
            if (inlineValue) {
                out.values[key] = *inlineValue;
            } else if (i + 1 < argc) {
                out.values[key] = argv[++i];
            } else {
                return makeError(ErrorCode::InvalidArgument, "option --" + key + " needs a value");
            }
        } else if (flags.count(key) && !inlineValue) {
            out.flags.insert(key);
        } else {
            return makeError(ErrorCode::InvalidArgument, "unknown option --" + key,
                             "run the verb with --help to list its options");
        }
    }
    return out;
}

} // namespace td::cli
