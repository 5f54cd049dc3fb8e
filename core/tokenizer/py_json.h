// SPDX-License-Identifier: Apache-2.0
// Python json.dumps / str() of JSON values (see py_json.cpp). Internal to the tokenizer folder: it exposes
// nlohmann::ordered_json (Python dicts keep insertion order, and the rendered text depends on it).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace td::chat
{

using PyJson = nlohmann::ordered_json;

/// json.dumps(j, ensure_ascii=False) (indent < 0) or with indent=N.
std::string pyDumps(const PyJson& j, int indent = -1);
/// str(j) as "{}".format() prints it: strings as is, None/True/False, lists/dicts as Python reprs.
std::string pyStr(const PyJson& j, bool nested = false);
/// Python truthiness (`if value:`): null, false, 0, "", [] and {} are false.
bool pyTruthy(const PyJson& j);

} // namespace td::chat
