// SPDX-License-Identifier: Apache-2.0
// What the sharegpt and openai converters share: tag → role mapping, message reading, and the final checks
// (roles alternate user-side/assistant-side, even count for SFT/KTO, odd for ranking) with LLaMA-Factory's
// outcome: a broken row is kept with invalidReason (and dropped by the processors), not a fatal error.
#include "core/data/formats/format_util.h"

namespace td::data::fmt
{
namespace
{

bool userSide(Role r)
{
    return r == Role::User || r == Role::Observation;
}
bool assistantSide(Role r)
{
    return r == Role::Assistant || r == Role::Function;
}

Record broken(const RawRow& row, const std::string& columnName, std::string why)
{
    Record r;
    r.source = row.ref;
    r.invalidReason = row.ref.describe() + " column \"" + columnName + "\": " + std::move(why);
    return r;
}

} // namespace

std::optional<Role> roleOfTag(const DatasetAttr& a, const std::string& tag)
{
    const std::pair<const std::optional<std::string>*, Role> table[] = {
        {&a.userTag, Role::User},         {&a.assistantTag, Role::Assistant}, {&a.observationTag, Role::Observation},
        {&a.functionTag, Role::Function}, {&a.systemTag, Role::System},
    };
    for (const auto& [name, role] : table) {
        if (*name && **name == tag) {
            return role;
        }
    }
    return std::nullopt;
}

Expected<std::pair<std::string, std::string>> readMessage(const RawRow& row, const std::string& columnName,
                                                          const json& m, std::size_t index, const DatasetAttr& a)
{
    const std::string where = "message " + std::to_string(index + 1);
    if (!m.is_object()) {
        return tl::unexpected(rowError(row, columnName, where + " is not an object"));
    }
    const std::string roleKey = a.roleTag.value_or("from");
    const std::string contentKey = a.contentTag.value_or("value");
    const auto role = m.find(roleKey);
    if (role == m.end() || !role->is_string()) {
        return tl::unexpected(rowError(row, columnName, where + " has no string \"" + roleKey + "\"",
                                       "set tags.role_tag in dataset_info.json to the key that holds the role"));
    }
    const auto content = m.find(contentKey);
    std::string text;
    if (content != m.end() && content->is_string()) {
        text = content->get<std::string>();
    } else if (content != m.end() && !content->is_null()) {
        return tl::unexpected(rowError(row, columnName, where + " \"" + contentKey + "\" is not a string"));
    } else if (!m.contains("tool_calls")) {
        return tl::unexpected(rowError(row, columnName, where + " has no \"" + contentKey + "\"",
                                       "set tags.content_tag in dataset_info.json to the key that holds the text"));
    }
    return std::pair{role->get<std::string>(), std::move(text)};
}

Expected<std::string> takeSystemMessage(const RawRow& row, const DatasetAttr& a, std::vector<Message>& messages,
                                        bool leadingIsSystem)
{
    if (leadingIsSystem && !messages.empty()) {
        std::string system = std::move(messages.front().content);
        messages.erase(messages.begin());
        return system;
    }
    return stringColumn(row, a.system);
}

Expected<Record> assembleConversation(const RawRow& row, const DatasetAttr& a, std::vector<Message> aligned,
                                      std::string system)
{
    const std::string col = a.messages.value_or("conversations");
    for (std::size_t i = 0; i < aligned.size(); ++i) {
        const bool ok = i % 2 == 0 ? userSide(aligned[i].role) : assistantSide(aligned[i].role);
        if (!ok) {
            return broken(row, col,
                          "message " + std::to_string(i + 1) + " has role '" + chat::roleName(aligned[i].role) +
                              "' where a " + (i % 2 == 0 ? "user/observation" : "assistant/function") +
                              " message is expected (roles must alternate)");
        }
    }
    auto kto = ktoTag(row, a);
    if (!kto) {
        return tl::unexpected(kto.error());
    }
    const bool wantOdd = a.ranking && !*kto;
    if (aligned.empty() || (aligned.size() % 2 == 1) != wantOdd) {
        return broken(row, col,
                      std::to_string(aligned.size()) + " messages; " +
                          (wantOdd ? "a preference row must end with a user message"
                                   : "a row must end with an assistant message"));
    }
    Record r;
    r.system = std::move(system);
    if (*kto) {
        Message answer = std::move(aligned.back());
        aligned.pop_back();
        r.prompt = std::move(aligned);
        r.response = ktoResponse(std::move(answer), **kto);
    } else if (a.ranking) {
        std::vector<Message> pair;
        for (const auto& [logical, name] : {std::pair{"chosen", a.chosen}, std::pair{"rejected", a.rejected}}) {
            const json* v = column(row, name);
            if (!name || !v) {
                return tl::unexpected(Error{ErrorCode::BadDataset,
                                            row.ref.describe() + ": missing \"" + logical + "\" message",
                                            "map columns.chosen and columns.rejected in dataset_info.json"});
            }
            auto m = readMessage(row, *name, *v, 0, a);
            if (!m) {
                return tl::unexpected(m.error());
            }
            const auto role = roleOfTag(a, m->first);
            if (!role || !assistantSide(*role)) {
                return broken(row, *name, "role '" + m->first + "' is not an assistant/function tag");
            }
            pair.push_back({*role, std::move(m->second)});
        }
        r.prompt = std::move(aligned);
        r.response = std::move(pair);
    } else {
        Message answer = std::move(aligned.back());
        aligned.pop_back();
        r.prompt = std::move(aligned);
        r.response = {std::move(answer)};
    }
    if (auto ok = fillCommon(row, a, r); !ok) {
        return tl::unexpected(ok.error());
    }
    return r;
}

} // namespace td::data::fmt
