// SPDX-License-Identifier: Apache-2.0
// Internal helpers shared by the format converters: typed column access with errors that name the file,
// row and column, role-tag mapping, and the ranking/KTO response assembly LLaMA-Factory's converters share.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/data/dataset_format.h"

namespace td::data::fmt
{

using nlohmann::json;

inline Error rowError(const RawRow& row, std::string_view column, const std::string& what, std::string hint = {})
{
    std::string msg = row.ref.describe();
    if (!column.empty()) {
        msg += " column \"" + std::string(column) + "\"";
    }
    return Error{ErrorCode::BadDataset, msg + ": " + what, std::move(hint)};
}

/// The value of a mapped column, or nullptr when the column is unset, absent from the row, or null.
inline const json* column(const RawRow& row, const std::optional<std::string>& name)
{
    if (!name) {
        return nullptr;
    }
    const auto it = row.value.find(*name);
    return it == row.value.end() || it->is_null() ? nullptr : &*it;
}

/// A string column: "" when unset/absent/null; wrong type is an error.
inline Expected<std::string> stringColumn(const RawRow& row, const std::optional<std::string>& name)
{
    const json* v = column(row, name);
    if (!v) {
        return std::string();
    }
    if (!v->is_string()) {
        return tl::unexpected(rowError(row, *name, std::string("expected a string, got ") + v->type_name(),
                                       "check the column mapping in dataset_info.json"));
    }
    return v->get<std::string>();
}

/// A string that must be present.
inline Expected<std::string> requiredString(const RawRow& row, const std::optional<std::string>& name,
                                            std::string_view logical)
{
    if (!name) {
        return tl::unexpected(Error{ErrorCode::BadDataset,
                                    row.ref.describe() + ": the \"" + std::string(logical) + "\" column is not mapped",
                                    "add it to \"columns\" in dataset_info.json"});
    }
    if (!column(row, name)) {
        return tl::unexpected(rowError(row, *name, "missing value (" + std::string(logical) + " column)"));
    }
    return stringColumn(row, name);
}

/// Tools: a JSON string as is, a list/dict serialized (ensure_ascii=False), "" when absent.
inline Expected<std::string> toolsColumn(const RawRow& row, const std::optional<std::string>& name)
{
    const json* v = column(row, name);
    if (!v) {
        return std::string();
    }
    if (v->is_string()) {
        return v->get<std::string>();
    }
    if (v->is_array() || v->is_object()) {
        return v->dump();
    }
    return tl::unexpected(rowError(row, *name, std::string("expected a JSON string or list, got ") + v->type_name()));
}

/// Media: one path or a list of paths.
inline Expected<std::vector<std::string>> mediaColumn(const RawRow& row, const std::optional<std::string>& name)
{
    std::vector<std::string> out;
    const json* v = column(row, name);
    if (!v) {
        return out;
    }
    if (v->is_string()) {
        out.push_back(v->get<std::string>());
        return out;
    }
    if (!v->is_array()) {
        return tl::unexpected(rowError(row, *name, "expected a path or a list of paths"));
    }
    for (const auto& item : *v) {
        out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
    }
    return out;
}

/// Fills system/tools/media columns common to every format.
inline Status fillCommon(const RawRow& row, const DatasetAttr& a, Record& r)
{
    auto tools = toolsColumn(row, a.tools);
    auto images = mediaColumn(row, a.images);
    auto videos = mediaColumn(row, a.videos);
    auto audios = mediaColumn(row, a.audios);
    for (const Error* e : {tools ? nullptr : &tools.error(), images ? nullptr : &images.error(),
                           videos ? nullptr : &videos.error(), audios ? nullptr : &audios.error()}) {
        if (e) {
            return tl::unexpected(*e);
        }
    }
    r.tools = std::move(*tools);
    r.images = std::move(*images);
    r.videos = std::move(*videos);
    r.audios = std::move(*audios);
    r.source = row.ref;
    return {};
}

/// The kto_tag value when the column is mapped and holds a boolean.
inline Expected<std::optional<bool>> ktoTag(const RawRow& row, const DatasetAttr& a)
{
    const json* v = column(row, a.ktoTag);
    if (!v) {
        return std::optional<bool>();
    }
    if (!v->is_boolean()) {
        return tl::unexpected(rowError(row, *a.ktoTag, std::string("expected true or false, got ") + v->dump()));
    }
    return std::optional<bool>(v->get<bool>());
}

/// KTO response: desirable → [answer, ""], undesirable → ["", answer].
inline std::vector<Message> ktoResponse(Message answer, bool desirable)
{
    Message empty{Role::Assistant, ""};
    if (desirable) {
        return {std::move(answer), empty};
    }
    return {empty, std::move(answer)};
}

} // namespace td::data::fmt

namespace td::data::fmt
{

/// Role of a raw tag value under the entry's tags (unset tags never match).
std::optional<Role> roleOfTag(const DatasetAttr& a, const std::string& tag);

/// The system prompt of a conversation: a leading system message (when system_tag is set) is removed from
/// `messages` and returned; otherwise the system column.
Expected<std::string> takeSystemMessage(const RawRow& row, const DatasetAttr& a, std::vector<Message>& messages,
                                        bool leadingIsSystem);

/// Shared tail of the sharegpt/openai converters: checks alternation and message count, then splits the
/// aligned messages into prompt/response for SFT, ranking (chosen/rejected message objects) or KTO.
Expected<Record> assembleConversation(const RawRow& row, const DatasetAttr& a, std::vector<Message> aligned,
                                      std::string system);

/// Reads one message object's role and content ({role_tag: ..., content_tag: ...}).
Expected<std::pair<std::string, std::string>> readMessage(const RawRow& row, const std::string& columnName,
                                                          const json& m, std::size_t index, const DatasetAttr& a);

} // namespace td::data::fmt
