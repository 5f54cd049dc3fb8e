// SPDX-License-Identifier: Apache-2.0
#include "core/common/arg_values.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

namespace td
{

Error argTypeError(const std::string& key, const nlohmann::json& v, const char* want)
{
    return Error{ErrorCode::InvalidConfig, "argument " + key + " = " + v.dump() + " is not " + want,
                 "fix the value of " + key + " in the configuration"};
}

Expected<double> argDouble(const std::string& key, const nlohmann::json& v)
{
    if (v.is_number()) {
        return v.get<double>();
    }
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        char* end = nullptr;
        const double d = std::strtod(s.c_str(), &end);
        if (!s.empty() && end != nullptr && *end == '\0') {
            return d;
        }
    }
    return tl::unexpected(argTypeError(key, v, "a number"));
}

Expected<std::int64_t> argInt(const std::string& key, const nlohmann::json& v)
{
    auto d = argDouble(key, v);
    if (!d || std::floor(*d) != *d) {
        return tl::unexpected(argTypeError(key, v, "an integer"));
    }
    return static_cast<std::int64_t>(*d);
}

Expected<bool> argBool(const std::string& key, const nlohmann::json& v)
{
    if (v.is_boolean()) {
        return v.get<bool>();
    }
    if (v.is_string()) {
        std::string s = v.get<std::string>();
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (s == "true" || s == "1" || s == "yes") {
            return true;
        }
        if (s == "false" || s == "0" || s == "no") {
            return false;
        }
    }
    if (v.is_number_integer()) {
        return v.get<std::int64_t>() != 0;
    }
    return tl::unexpected(argTypeError(key, v, "true or false"));
}

Expected<std::string> argString(const std::string& key, const nlohmann::json& v)
{
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_number() || v.is_boolean()) {
        return v.dump();
    }
    if (v.is_array()) {
        std::string out;
        for (const auto& item : v) {
            auto s = argString(key, item);
            if (!s) {
                return s;
            }
            out += (out.empty() ? "" : ",") + *s;
        }
        return out;
    }
    return tl::unexpected(argTypeError(key, v, "a string"));
}

} // namespace td
