// SPDX-License-Identifier: Apache-2.0
// ShareGPT format (llamaboard.md §2.5): a list of {from, value} messages whose role values are mapped by the
// entry's tags (human/gpt/observation/function_call/system by default). A leading system message becomes the
// system prompt; tools come from the tools column.
#include "core/data/formats/format_util.h"

namespace td::data::formats
{
namespace
{

std::vector<std::pair<std::string, std::string>> schema(const DatasetAttr& a)
{
    std::vector<std::pair<std::string, std::string>> out;
    if (a.messages) {
        out.emplace_back("messages", *a.messages);
    }
    return out;
}

Expected<Record> convert(const RawRow& row, const DatasetAttr& a)
{
    const std::string col = a.messages.value_or("conversations");
    const auto* list = fmt::column(row, a.messages);
    if (!list) {
        return tl::unexpected(fmt::rowError(row, col, "missing value (messages column)",
                                            "map columns.messages in dataset_info.json to the conversation list"));
    }
    if (!list->is_array()) {
        return tl::unexpected(
            fmt::rowError(row, col, std::string("expected a list of messages, got ") + list->type_name()));
    }
    std::vector<Message> aligned;
    bool leadingSystem = false;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto m = fmt::readMessage(row, col, (*list)[i], i, a);
        if (!m) {
            return tl::unexpected(m.error());
        }
        auto role = fmt::roleOfTag(a, m->first);
        if (i == 0 && role == Role::System) {
            leadingSystem = true;
        } else if (!role || role == Role::System) {
            Record r;
            r.source = row.ref;
            r.invalidReason = row.ref.describe() + " column \"" + col + "\": message " + std::to_string(i + 1) +
                              " has an unknown role '" + m->first + "' (check tags in dataset_info.json)";
            return r;
        }
        aligned.push_back({role.value_or(Role::System), std::move(m->second)});
    }
    auto system = fmt::takeSystemMessage(row, a, aligned, leadingSystem);
    if (!system) {
        return tl::unexpected(system.error());
    }
    return fmt::assembleConversation(row, a, std::move(aligned), std::move(*system));
}

} // namespace

const DatasetFormat kSharegpt{"sharegpt", "conversations with role tags (human/gpt/observation/function_call)", &schema,
                              &convert};

} // namespace td::data::formats
