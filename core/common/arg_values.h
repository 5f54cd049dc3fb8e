// SPDX-License-Identifier: Apache-2.0
// Readers of one LLaMA-Factory argument value (YAML → JSON), accepting what PyYAML + HfArgumentParser accept:
// numbers written as strings ("5e-5"), "true"/"false"/"yes"/"no"/"1"/"0" for booleans, lists as comma lists.
// A wrong type → InvalidConfig "argument KEY = VALUE is not WANT". Used by the train and model-loading keys.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/common/error.h"

namespace td
{

Error argTypeError(const std::string& key, const nlohmann::json& v, const char* want);
Expected<double> argDouble(const std::string& key, const nlohmann::json& v);
Expected<std::int64_t> argInt(const std::string& key, const nlohmann::json& v);
Expected<bool> argBool(const std::string& key, const nlohmann::json& v);
/// Strings as they are; numbers and booleans as JSON writes them; YAML lists become comma lists.
Expected<std::string> argString(const std::string& key, const nlohmann::json& v);

} // namespace td
