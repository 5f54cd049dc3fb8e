// SPDX-License-Identifier: Apache-2.0
#include "core/common/yaml_json.h"

#include <cstdlib>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "core/common/file_util.h"

namespace td
{

namespace
{

nlohmann::json scalarToJson(const YAML::Node& node)
{
    const std::string& s = node.Scalar();
    if (node.Tag() == "!") { // quoted: keep the text
        return s;
    }
    if (s == "~" || s == "null" || s == "Null" || s == "NULL") {
        return nullptr;
    }
    if (s == "true" || s == "True" || s == "TRUE" || s == "yes" || s == "Yes") {
        return true;
    }
    if (s == "false" || s == "False" || s == "FALSE" || s == "no" || s == "No") {
        return false;
    }
    if (!s.empty()) {
        char* end = nullptr;
        const long long i = std::strtoll(s.c_str(), &end, 10);
        if (end != nullptr && *end == '\0') {
            return i;
        }
        const double d = std::strtod(s.c_str(), &end);
        if (end != nullptr && *end == '\0' && s.find_first_of("0123456789") != std::string::npos) {
            return d;
        }
    }
    return s;
}

nlohmann::json toJson(const YAML::Node& node)
{
    switch (node.Type()) {
    case YAML::NodeType::Scalar:
        return scalarToJson(node);
    case YAML::NodeType::Sequence: {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& item : node) {
            a.push_back(toJson(item));
        }
        return a;
    }
    case YAML::NodeType::Map: {
        nlohmann::json o = nlohmann::json::object();
        for (const auto& kv : node) {
            o[kv.first.as<std::string>()] = toJson(kv.second);
        }
        return o;
    }
    default:
        return nullptr;
    }
}

void emit(YAML::Emitter& out, const nlohmann::json& v)
{
    if (v.is_object()) {
        out << YAML::BeginMap;
        for (auto it = v.begin(); it != v.end(); ++it) {
            out << YAML::Key << it.key() << YAML::Value;
            emit(out, it.value());
        }
        out << YAML::EndMap;
    } else if (v.is_array()) {
        out << YAML::BeginSeq;
        for (const auto& item : v) {
            emit(out, item);
        }
        out << YAML::EndSeq;
    } else if (v.is_boolean()) {
        out << v.get<bool>();
    } else if (v.is_number_integer()) {
        out << v.get<long long>();
    } else if (v.is_number()) {
        out << v.dump(); // JSON's shortest round-trip form (5e-05), which YAML readers parse back
    } else if (v.is_null()) {
        out << YAML::Null;
    } else {
        out << v.get<std::string>();
    }
}

} // namespace

Expected<nlohmann::json> parseYaml(const std::string& text, const std::string& sourceName)
{
    try {
        return toJson(YAML::Load(text));
    } catch (const YAML::Exception& e) {
        return makeError(ErrorCode::BadJson,
                         sourceName + ": malformed YAML at line " + std::to_string(e.mark.line + 1) + ": " + e.msg,
                         "check indentation and quoting on that line");
    }
}

Expected<nlohmann::json> readYamlMapping(const std::filesystem::path& path)
{
    if (!std::filesystem::exists(path)) {
        return makeError(ErrorCode::FileNotFound, "no such file: " + path.string(),
                         "give the path of a YAML file with LLaMA-Factory's argument keys");
    }
    auto text = readFile(path);
    if (!text) {
        return tl::unexpected(text.error());
    }
    auto j = parseYaml(*text, path.string());
    if (j && !j->is_object()) {
        return makeError(ErrorCode::BadJson, path.string() + " is not a YAML mapping",
                         "write one `key: value` per line, as LLaMA-Factory's config files do");
    }
    return j;
}

std::string toYaml(const nlohmann::json& mapping)
{
    YAML::Emitter out;
    emit(out, mapping);
    return std::string(out.c_str()) + "\n";
}

} // namespace td
