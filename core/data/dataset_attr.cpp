// SPDX-License-Identifier: Apache-2.0
// Parsing of dataset_info.json entries: source precedence, descriptor keys, and LLaMA-Factory's rule that a
// present "columns"/"tags" object unsets every key it does not mention.
#include "core/data/dataset_attr.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace td::data
{
namespace
{

using nlohmann::json;

/// Reads key `key` of `obj` into `out`: a string sets it, null or absence unsets it.
Status readName(const json& obj, const char* key, std::optional<std::string>& out, std::string_view where)
{
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        out.reset();
        return {};
    }
    if (!it->is_string()) {
        return makeError(ErrorCode::BadDataset,
                         std::string(where) + ": \"" + key + "\" must be a string, got " + it->dump(),
                         "fix the entry in dataset_info.json");
    }
    out = it->get<std::string>();
    return {};
}

Expected<std::string> stringKey(const json& obj, const char* key, std::string_view where)
{
    const auto& v = obj.at(key);
    if (!v.is_string()) {
        return makeError(ErrorCode::BadDataset,
                         std::string(where) + ": \"" + key + "\" must be a string, got " + v.dump(),
                         "fix the entry in dataset_info.json");
    }
    return v.get<std::string>();
}

Status readColumns(const json& cols, DatasetAttr& a, const std::string& where)
{
    if (!cols.is_object()) {
        return makeError(ErrorCode::BadDataset, where + ": \"columns\" must be an object",
                         "fix the entry in dataset_info.json");
    }
    a.explicitColumns = true;
    const std::pair<const char*, std::optional<std::string>*> table[] = {
        {"prompt", &a.prompt},     {"query", &a.query},   {"response", &a.response}, {"history", &a.history},
        {"messages", &a.messages}, {"system", &a.system}, {"tools", &a.tools},       {"images", &a.images},
        {"videos", &a.videos},     {"audios", &a.audios}, {"chosen", &a.chosen},     {"rejected", &a.rejected},
        {"kto_tag", &a.ktoTag},
    };
    for (const auto& [key, field] : table) {
        if (auto ok = readName(cols, key, *field, where + " columns"); !ok) {
            return ok;
        }
    }
    return {};
}

Status readTags(const json& tags, DatasetAttr& a, const std::string& where)
{
    if (!tags.is_object()) {
        return makeError(ErrorCode::BadDataset, where + ": \"tags\" must be an object",
                         "fix the entry in dataset_info.json");
    }
    const std::pair<const char*, std::optional<std::string>*> table[] = {
        {"role_tag", &a.roleTag},           {"content_tag", &a.contentTag},         {"user_tag", &a.userTag},
        {"assistant_tag", &a.assistantTag}, {"observation_tag", &a.observationTag}, {"function_tag", &a.functionTag},
        {"system_tag", &a.systemTag},
    };
    for (const auto& [key, field] : table) {
        if (auto ok = readName(tags, key, *field, where + " tags"); !ok) {
            return ok;
        }
    }
    return {};
}

Expected<DatasetAttr> fromJson(std::string_view name, const json& e)
{
    const std::string where = "dataset_info.json entry \"" + std::string(name) + "\"";
    if (!e.is_object()) {
        return makeError(ErrorCode::BadDataset, where + " must be an object", "see data/README.md of LLaMA-Factory");
    }
    DatasetAttr a;
    a.name = std::string(name);
    // Precedence as in LLaMA-Factory: hub urls, then script_url, then cloud_file_name, then file_name.
    const std::pair<const char*, SourceKind> sources[] = {
        {"hf_hub_url", SourceKind::HfHub},  {"ms_hub_url", SourceKind::MsHub},      {"om_hub_url", SourceKind::OmHub},
        {"script_url", SourceKind::Script}, {"cloud_file_name", SourceKind::Cloud}, {"file_name", SourceKind::File},
    };
    bool found = false;
    for (const auto& [key, kind] : sources) {
        if (e.contains(key) && !e[key].is_null()) {
            auto v = stringKey(e, key, where);
            if (!v) {
                return tl::unexpected(v.error());
            }
            a.source = kind;
            a.sourceValue = *v;
            found = true;
            break;
        }
    }
    if (!found) {
        return makeError(ErrorCode::BadDataset, where + " has no source (file_name, hf_hub_url, ...)",
                         "add \"file_name\": the data file or folder inside the dataset directory");
    }
    for (const auto& [key, field] : std::initializer_list<std::pair<const char*, std::string*>>{
             {"formatting", &a.formatting}, {"subset", &a.subset}, {"split", &a.split}, {"folder", &a.folder}}) {
        if (e.contains(key) && !e[key].is_null()) {
            auto v = stringKey(e, key, where);
            if (!v) {
                return tl::unexpected(v.error());
            }
            *field = *v;
        }
    }
    if (e.contains("ranking") && !e["ranking"].is_null()) {
        if (!e["ranking"].is_boolean()) {
            return makeError(ErrorCode::BadDataset, where + ": \"ranking\" must be true or false");
        }
        a.ranking = e["ranking"].get<bool>();
    }
    if (e.contains("num_samples") && !e["num_samples"].is_null()) {
        if (!e["num_samples"].is_number_integer() || e["num_samples"].get<int64_t>() < 0) {
            return makeError(ErrorCode::BadDataset, where + ": \"num_samples\" must be a non-negative integer");
        }
        a.numSamples = e["num_samples"].get<int64_t>();
    }
    if (e.contains("columns")) {
        if (auto ok = readColumns(e["columns"], a, where); !ok) {
            return tl::unexpected(ok.error());
        }
    }
    if (e.contains("tags") && (a.formatting == "sharegpt" || a.formatting == "openai")) {
        if (auto ok = readTags(e["tags"], a, where); !ok) {
            return tl::unexpected(ok.error());
        }
    }
    return a;
}

} // namespace

const char* sourceKindKey(SourceKind kind)
{
    switch (kind) {
    case SourceKind::File:
        return "file_name";
    case SourceKind::HfHub:
        return "hf_hub_url";
    case SourceKind::MsHub:
        return "ms_hub_url";
    case SourceKind::OmHub:
        return "om_hub_url";
    case SourceKind::Script:
        return "script_url";
    case SourceKind::Cloud:
        return "cloud_file_name";
    }
    return "?";
}

Expected<DatasetAttr> parseDatasetAttr(std::string_view name, std::string_view entryJson)
{
    json e = json::parse(entryJson, nullptr, false);
    if (e.is_discarded()) {
        return makeError(ErrorCode::BadJson, "dataset entry \"" + std::string(name) + "\" is not valid JSON");
    }
    return fromJson(name, e);
}

Expected<std::vector<DatasetAttr>> loadDatasetInfo(const std::filesystem::path& datasetDir)
{
    const auto file = datasetDir / "dataset_info.json";
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return makeError(ErrorCode::FileNotFound, "cannot open " + file.string(),
                         "the dataset directory must contain dataset_info.json (LLaMA-Factory's data/ layout)");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) {
        text.erase(0, 3);
    }
    json root;
    try {
        root = json::parse(text, nullptr, true, /*ignore_comments=*/false);
    } catch (const json::parse_error& ex) {
        return makeError(ErrorCode::BadJson, file.string() + ": " + ex.what(), "fix the JSON syntax");
    }
    if (!root.is_object()) {
        return makeError(ErrorCode::BadDataset, file.string() + " must hold one JSON object {name: description}");
    }
    std::vector<DatasetAttr> out;
    for (const auto& [name, entry] : root.items()) {
        auto a = fromJson(name, entry);
        if (!a) {
            return tl::unexpected(a.error());
        }
        out.push_back(std::move(*a));
    }
    return out;
}

Expected<DatasetAttr> findDatasetAttr(const std::filesystem::path& datasetDir, std::string_view name)
{
    auto all = loadDatasetInfo(datasetDir);
    if (!all) {
        return tl::unexpected(all.error());
    }
    std::string known;
    for (auto& a : *all) {
        if (a.name == name) {
            return std::move(a);
        }
        known += (known.empty() ? "" : ", ") + a.name;
    }
    return makeError(ErrorCode::BadDataset,
                     "unknown dataset \"" + std::string(name) + "\" in " + (datasetDir / "dataset_info.json").string(),
                     known.empty() ? "dataset_info.json has no entries" : "known datasets: " + known);
}

DatasetAttr attrForFile(const std::filesystem::path& file, std::string_view formatting)
{
    DatasetAttr a;
    a.name = file.filename().string();
    a.sourceValue = file.string();
    a.formatting = std::string(formatting);
    if (file.extension() == ".txt") {
        a.explicitColumns = true;
        a.prompt = "text";
        a.query.reset();
        a.response.reset();
        a.messages.reset();
    }
    return a;
}

} // namespace td::data
