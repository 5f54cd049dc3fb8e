// SPDX-License-Identifier: Apache-2.0
// Plain text for pre-training: one column (the "prompt" column, "text" unless mapped) becomes the only user
// message and there is no response. .txt files read as rows {"text": line} use this shape too.
#include "core/data/formats/format_util.h"

namespace td::data::formats
{
namespace
{

std::optional<std::string> textColumn(const DatasetAttr& a)
{
    return a.explicitColumns ? a.prompt : std::optional<std::string>("text");
}

std::vector<std::pair<std::string, std::string>> schema(const DatasetAttr& a)
{
    const auto col = textColumn(a);
    if (!col) {
        return {};
    }
    return {{"prompt", *col}};
}

Expected<Record> convert(const RawRow& row, const DatasetAttr& a)
{
    const auto col = textColumn(a);
    auto text = fmt::requiredString(row, col, "prompt");
    if (!text) {
        return tl::unexpected(text.error());
    }
    Record r;
    r.prompt.push_back({Role::User, std::move(*text)});
    if (auto ok = fmt::fillCommon(row, a, r); !ok) {
        return tl::unexpected(ok.error());
    }
    return r;
}

} // namespace

const DatasetFormat kText{"text", "one text column for pre-training", &schema, &convert};

} // namespace td::data::formats
