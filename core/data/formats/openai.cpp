// SPDX-License-Identifier: Apache-2.0
// OpenAI messages (llamaboard.md §2.6): like sharegpt, plus an assistant message with "tool_calls" becomes a
// function turn (content = JSON list of the "function" objects), consecutive tool messages merge into one
// observation turn, tools may be a list/dict, and "detailed thinking off" is added to the system prompt when
// there are no tools, as LLaMA-Factory does. Without a "tags" object the OpenAI names are used
// (role/content, user/assistant/tool/system), and without
// "columns" the messages and tools columns are "messages" and "tools".
#include "core/data/formats/format_util.h"

namespace td::data::formats
{
namespace
{

DatasetAttr withOpenaiTags(const DatasetAttr& in, const RawRow& row)
{
    DatasetAttr a = in;
    // The sharegpt default tags ("from") mean the entry gave no tags: use OpenAI's names.
    if (a.roleTag == std::optional<std::string>("from") && !row.value.empty()) {
        a.roleTag = "role";
        a.contentTag = "content";
        a.userTag = "user";
        a.assistantTag = "assistant";
        a.observationTag = "tool";
        a.functionTag = "function";
        a.systemTag = "system";
    }
    if (!in.explicitColumns) {
        a.messages = "messages";
        a.tools = "tools";
    }
    return a;
}

std::vector<std::pair<std::string, std::string>> schema(const DatasetAttr& a)
{
    return {{"messages", a.explicitColumns ? a.messages.value_or("messages") : std::string("messages")}};
}

Expected<Record> convert(const RawRow& row, const DatasetAttr& attr)
{
    const DatasetAttr a = withOpenaiTags(attr, row);
    const std::string col = *a.messages;
    const auto* list = fmt::column(row, a.messages);
    if (!list || !list->is_array()) {
        return tl::unexpected(fmt::rowError(row, col, list ? "expected a list of messages" : "missing value"));
    }
    std::vector<Message> aligned;
    std::vector<std::string> toolResponses;
    bool leadingSystem = false;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto& raw = (*list)[i];
        auto m = fmt::readMessage(row, col, raw, i, a);
        if (!m) {
            return tl::unexpected(m.error());
        }
        auto role = fmt::roleOfTag(a, m->first);
        if (!role) {
            Record r;
            r.source = row.ref;
            r.invalidReason = row.ref.describe() + " column \"" + col + "\": message " + std::to_string(i + 1) +
                              " has an unknown role '" + m->first + "'";
            return r;
        }
        std::string content = std::move(m->second);
        if ((role == Role::Assistant || role == Role::Function) && raw.contains("tool_calls") &&
            raw["tool_calls"].is_array() && !raw["tool_calls"].empty()) {
            nlohmann::json calls = nlohmann::json::array();
            for (const auto& call : raw["tool_calls"]) {
                calls.push_back(call.contains("function") ? call["function"] : call);
            }
            content = calls.dump();
            role = Role::Function;
        }
        if (role == Role::Observation) {
            toolResponses.push_back(std::move(content));
            continue;
        }
        if (!toolResponses.empty()) {
            std::string joined;
            for (std::size_t k = 0; k < toolResponses.size(); ++k) {
                joined += (k ? "\n</tool_response>\n<tool_response>\n" : "") + toolResponses[k];
            }
            aligned.push_back({Role::Observation, std::move(joined)});
            toolResponses.clear();
        }
        if (i == 0 && role == Role::System) {
            leadingSystem = true;
        }
        aligned.push_back({*role, std::move(content)});
    }
    auto system = fmt::takeSystemMessage(row, a, aligned, leadingSystem);
    if (!system) {
        return tl::unexpected(system.error());
    }
    auto r = fmt::assembleConversation(row, a, std::move(aligned), std::move(*system));
    if (r && r->invalidReason.empty()) {
        const std::string hint = "detailed thinking off";
        if (r->system.empty() && r->tools.empty()) {
            r->system = hint;
        } else if (r->tools.empty() && r->system.find("detailed thinking on") == std::string::npos &&
                   r->system.find(hint) == std::string::npos) {
            r->system += "\n" + hint;
        }
    }
    return r;
}

} // namespace

const DatasetFormat kOpenai{"openai", "OpenAI chat messages with tool_calls and tool turns", &schema, &convert};

} // namespace td::data::formats
