// SPDX-License-Identifier: Apache-2.0
// Alpaca format (llamaboard.md §2.4): instruction + input joined by a newline is the last user turn; history
// pairs are earlier turns; output is the answer. ranking: chosen/rejected strings; kto_tag: KTO answer.
// Pre-training data is alpaca with only the prompt column (the text).
#include "core/data/formats/format_util.h"

namespace td::data::formats
{
namespace
{

std::vector<std::pair<std::string, std::string>> schema(const DatasetAttr& a)
{
    std::vector<std::pair<std::string, std::string>> out;
    if (a.prompt) {
        out.emplace_back("prompt", *a.prompt);
    }
    if (a.explicitColumns) {
        for (const auto& [logical, col] :
             {std::pair{"query", a.query}, std::pair{"response", a.response}, std::pair{"history", a.history},
              std::pair{"chosen", a.chosen}, std::pair{"rejected", a.rejected}, std::pair{"kto_tag", a.ktoTag}}) {
            if (col) {
                out.emplace_back(logical, *col);
            }
        }
    }
    return out;
}

Status readHistory(const RawRow& row, const DatasetAttr& a, std::vector<Message>& prompt)
{
    const auto* h = fmt::column(row, a.history);
    if (!h) {
        return {};
    }
    if (!h->is_array()) {
        return tl::unexpected(fmt::rowError(row, *a.history, "expected a list of [prompt, response] pairs"));
    }
    for (std::size_t i = 0; i < h->size(); ++i) {
        const auto& pair = (*h)[i];
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
            return tl::unexpected(fmt::rowError(row, *a.history,
                                                "item " + std::to_string(i + 1) +
                                                    " is not a [prompt, response] pair "
                                                    "of strings"));
        }
        prompt.push_back({Role::User, pair[0].get<std::string>()});
        prompt.push_back({Role::Assistant, pair[1].get<std::string>()});
    }
    return {};
}

Expected<Record> convert(const RawRow& row, const DatasetAttr& a)
{
    Record r;
    if (auto ok = readHistory(row, a, r.prompt); !ok) {
        return tl::unexpected(ok.error());
    }
    auto instruction = fmt::stringColumn(row, a.prompt);
    auto input = fmt::stringColumn(row, a.query);
    auto system = fmt::stringColumn(row, a.system);
    if (!instruction || !input || !system) {
        return tl::unexpected(!instruction ? instruction.error() : !input ? input.error() : system.error());
    }
    if (a.prompt && !fmt::column(row, a.prompt) && !fmt::column(row, a.query)) {
        return tl::unexpected(fmt::rowError(row, *a.prompt, "missing value (prompt column)",
                                            "every row needs an instruction (or text for pre-training)"));
    }
    std::string user = *instruction;
    if (!input->empty()) {
        user += (user.empty() ? "" : "\n") + *input;
    }
    r.prompt.push_back({Role::User, std::move(user)});
    r.system = std::move(*system);

    auto kto = fmt::ktoTag(row, a);
    if (!kto) {
        return tl::unexpected(kto.error());
    }
    if (*kto) {
        auto answer = fmt::requiredString(row, a.response, "response");
        if (!answer) {
            return tl::unexpected(answer.error());
        }
        r.response = fmt::ktoResponse({Role::Assistant, *answer}, **kto);
    } else if (a.ranking) {
        auto chosen = fmt::requiredString(row, a.chosen, "chosen");
        if (!chosen) {
            return tl::unexpected(chosen.error());
        }
        auto rejected = fmt::requiredString(row, a.rejected, "rejected");
        if (!rejected) {
            return tl::unexpected(rejected.error());
        }
        r.response = {{Role::Assistant, *chosen}, {Role::Assistant, *rejected}};
    } else if (fmt::column(row, a.response)) {
        auto answer = fmt::stringColumn(row, a.response);
        if (!answer) {
            return tl::unexpected(answer.error());
        }
        r.response = {{Role::Assistant, *answer}};
    }
    if (auto ok = fmt::fillCommon(row, a, r); !ok) {
        return tl::unexpected(ok.error());
    }
    return r;
}

} // namespace

const DatasetFormat kAlpaca{"alpaca", "instruction / input / output (+ history, system, ranking, kto_tag)", &schema,
                            &convert};

} // namespace td::data::formats
