// SPDX-License-Identifier: Apache-2.0
// tokenizer.json post-processors for single sequences: TemplateProcessing, RobertaProcessing/BertProcessing
// ([CLS] A [SEP]), ByteLevel (offsets only: no change to ids) and Sequence. Pair templates are parsed but not
// used: the engine never encodes sentence pairs.
#include <nlohmann/json.hpp>

#include "core/tokenizer/stages.h"

namespace td::tok
{
namespace
{

using json = nlohmann::json;

class TemplatePostProcessor : public PostProcessor
{
public:
    /// Each item: a list of special ids, or empty for "the sequence".
    explicit TemplatePostProcessor(std::vector<std::optional<std::vector<int32_t>>> items) : m_items(std::move(items))
    {
    }

    void process(std::vector<int32_t>& ids) const override
    {
        std::vector<int32_t> out;
        out.reserve(ids.size() + 4);
        for (const auto& item : m_items) {
            if (item) {
                out.insert(out.end(), item->begin(), item->end());
            } else {
                out.insert(out.end(), ids.begin(), ids.end());
            }
        }
        ids.swap(out);
    }

private:
    std::vector<std::optional<std::vector<int32_t>>> m_items;
};

class NoopPostProcessor : public PostProcessor
{
public:
    void process(std::vector<int32_t>&) const override {}
};

class SequencePostProcessor : public PostProcessor
{
public:
    explicit SequencePostProcessor(std::vector<std::unique_ptr<PostProcessor>> parts) : m_parts(std::move(parts)) {}
    void process(std::vector<int32_t>& ids) const override
    {
        for (const auto& p : m_parts) {
            p->process(ids);
        }
    }

private:
    std::vector<std::unique_ptr<PostProcessor>> m_parts;
};

using Result = Expected<std::unique_ptr<PostProcessor>>;

Result makeTemplate(const json& j)
{
    std::vector<std::optional<std::vector<int32_t>>> items;
    const json& specials = j.contains("special_tokens") ? j.at("special_tokens") : json::object();
    for (const auto& piece : j.at("single")) {
        if (piece.contains("Sequence")) {
            items.emplace_back(std::nullopt);
            continue;
        }
        const std::string id = piece.at("SpecialToken").at("id").get<std::string>();
        if (!specials.contains(id)) {
            return makeError(ErrorCode::BadTokenizer,
                             "TemplateProcessing uses special token '" + id + "' that special_tokens does not define");
        }
        items.emplace_back(specials.at(id).at("ids").get<std::vector<int32_t>>());
    }
    return std::make_unique<TemplatePostProcessor>(std::move(items));
}

Result makeClsSep(const json& j)
{
    // "cls": ["<s>", 0], "sep": ["</s>", 2]
    const int32_t cls = j.at("cls").at(1).get<int32_t>();
    const int32_t sep = j.at("sep").at(1).get<int32_t>();
    std::vector<std::optional<std::vector<int32_t>>> items;
    items.emplace_back(std::vector<int32_t>{cls});
    items.emplace_back(std::nullopt);
    items.emplace_back(std::vector<int32_t>{sep});
    return std::make_unique<TemplatePostProcessor>(std::move(items));
}

Result makeSequence(const json& j)
{
    std::vector<std::unique_ptr<PostProcessor>> parts;
    for (const auto& sub : j.at("processors")) {
        auto p = makePostProcessor(sub);
        if (!p) {
            return tl::unexpected(p.error());
        }
        parts.push_back(std::move(*p));
    }
    return std::make_unique<SequencePostProcessor>(std::move(parts));
}

struct Entry
{
    const char* type;
    Result (*make)(const json&);
};

// The one table of supported post-processor types.
const Entry kPostProcessors[] = {
    {"TemplateProcessing", &makeTemplate},
    {"RobertaProcessing", &makeClsSep},
    {"BertProcessing", &makeClsSep},
    {"ByteLevel", [](const json&) -> Result { return std::make_unique<NoopPostProcessor>(); }},
    {"Sequence", &makeSequence},
};

} // namespace

std::unique_ptr<PostProcessor> makeBosEosPostProcessor(std::optional<int32_t> bos, std::optional<int32_t> eos)
{
    std::vector<std::optional<std::vector<int32_t>>> items;
    if (bos) {
        items.emplace_back(std::vector<int32_t>{*bos});
    }
    items.emplace_back(std::nullopt);
    if (eos) {
        items.emplace_back(std::vector<int32_t>{*eos});
    }
    return std::make_unique<TemplatePostProcessor>(std::move(items));
}

Expected<std::unique_ptr<PostProcessor>> makePostProcessor(const json& j)
{
    const std::string type = j.value("type", "");
    for (const auto& e : kPostProcessors) {
        if (type == e.type) {
            return e.make(j);
        }
    }
    return makeError(ErrorCode::BadTokenizer, "unsupported post-processor type '" + type + "' in tokenizer.json",
                     "supported: TemplateProcessing, RobertaProcessing, BertProcessing, ByteLevel, Sequence");
}

} // namespace td::tok
