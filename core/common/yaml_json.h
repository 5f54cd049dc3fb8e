// SPDX-License-Identifier: Apache-2.0
// LLaMA-Factory configuration files are YAML; the engine reads them as JSON values so one parser per
// argument set serves YAML files, the GUI (which hands over a JSON mapping) and tests alike.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/common/error.h"

namespace td
{

/// Parses YAML text. Plain scalars become JSON booleans (true/false/yes/no), integers, floats (including
/// "5e-5", which PyYAML would keep as a string but which every numeric LLaMA-Factory key accepts) or
/// strings; quoted scalars stay strings; ~/null → null. Errors: BadJson with the line number.
Expected<nlohmann::json> parseYaml(const std::string& text, const std::string& sourceName = "YAML");

/// Reads a YAML file that must hold a mapping (LLaMA-Factory's argument files). FileNotFound when the file
/// is missing, BadJson when it is malformed or not a mapping.
Expected<nlohmann::json> readYamlMapping(const std::filesystem::path& path);

/// Serialises a JSON object as block YAML (keys in the object's order: alphabetical for nlohmann::json).
std::string toYaml(const nlohmann::json& mapping);

} // namespace td
