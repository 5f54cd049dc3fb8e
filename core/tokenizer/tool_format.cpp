// SPDX-License-Identifier: Apache-2.0
// Tool descriptions and function-call text per tool format, written from LLaMA-Factory's tool_utils.py
// (ToolUtils.tool_formatter / function_formatter) and formatter.py (ToolFormatter / FunctionFormatter).
// The prompts are data: they must match LLaMA-Factory byte for byte, so JSON is re-serialized the way Python's
// json.dumps does it (insertion order kept via ordered_json, ensure_ascii=False, float repr), not nlohmann's way.
#include "core/tokenizer/tool_format.h"

#include "core/tokenizer/py_json.h"

#include <algorithm>
#include <ctime>
#include <vector>

namespace td::chat
{
namespace
{

using Json = PyJson; // ordered: Python dicts keep insertion order and the rendered text depends on it

// tool_utils.py prompt constants; {tool_text}/{tool_names}/{date} are filled in by the formatters below.
constexpr std::string_view kDefaultHead = "You have access to the following tools:\n";
constexpr std::string_view kDefaultTail1 =
    "Use the following format if using a tool:\n```\nAction: tool name (one of [";
constexpr std::string_view kDefaultTail2 =
    "])\nAction Input: the input to the tool, in a JSON format representing the kwargs "
    "(e.g. ```{\"input\": \"hello world\", \"num_beams\": 5}```)\n```\n";
constexpr std::string_view kGlm4Head =
    "\xE4\xBD\xA0\xE6\x98\xAF\xE4\xB8\x80\xE4\xB8\xAA\xE5\x90\x8D\xE4\xB8\xBA ChatGLM \xE7\x9A\x84\xE4\xBA\xBA"
    "\xE5\xB7\xA5\xE6\x99\xBA\xE8\x83\xBD\xE5\x8A\xA9\xE6\x89\x8B\xE3\x80\x82\xE4\xBD\xA0\xE6\x98\xAF\xE5\x9F"
    "\xBA\xE4\xBA\x8E\xE6\x99\xBA\xE8\xB0\xB1 AI \xE5\x85\xAC\xE5\x8F\xB8\xE8\xAE\xAD\xE7\xBB\x83\xE7\x9A\x84"
    "\xE8\xAF\xAD\xE8\xA8\x80\xE6\xA8\xA1\xE5\x9E\x8B GLM-4 \xE6\xA8\xA1\xE5\x9E\x8B\xE5\xBC\x80\xE5\x8F\x91"
    "\xE7\x9A\x84\xEF\xBC\x8C\xE4\xBD\xA0\xE7\x9A\x84\xE4\xBB\xBB\xE5\x8A\xA1\xE6\x98\xAF\xE9\x92\x88\xE5\xAF"
    "\xB9\xE7\x94\xA8\xE6\x88\xB7\xE7\x9A\x84\xE9\x97\xAE\xE9\xA2\x98\xE5\x92\x8C\xE8\xA6\x81\xE6\xB1\x82\xE6"
    "\x8F\x90\xE4\xBE\x9B\xE9\x80\x82\xE5\xBD\x93\xE7\x9A\x84\xE7\xAD\x94\xE5\xA4\x8D\xE5\x92\x8C\xE6\x94\xAF"
    "\xE6\x8C\x81\xE3\x80\x82\n\n# \xE5\x8F\xAF\xE7\x94\xA8\xE5\xB7\xA5\xE5\x85\xB7";
// "\n在调用上述函数时，请使用 Json 格式表示调用的参数。" after each glm4 tool
constexpr std::string_view kGlm4ToolTail =
    "\n\xE5\x9C\xA8\xE8\xB0\x83\xE7\x94\xA8\xE4\xB8\x8A\xE8\xBF\xB0\xE5\x87\xBD\xE6\x95\xB0\xE6\x97\xB6\xEF\xBC"
    "\x8C\xE8\xAF\xB7\xE4\xBD\xBF\xE7\x94\xA8 Json \xE6\xA0\xBC\xE5\xBC\x8F\xE8\xA1\xA8\xE7\xA4\xBA\xE8\xB0\x83"
    "\xE7\x94\xA8\xE7\x9A\x84\xE5\x8F\x82\xE6\x95\xB0\xE3\x80\x82";
constexpr std::string_view kLlama3Head = "Cutting Knowledge Date: December 2023\nToday Date: ";
constexpr std::string_view kLlama3Mid =
    "\n\nYou have access to the following functions. To call a function, please respond with JSON for a function "
    "call. Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its "
    "value}. Do not use variables.\n\n";
constexpr std::string_view kQwenHead =
    "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with "
    "function signatures within <tools></tools> XML tags:\n<tools>";
constexpr std::string_view kQwenTail =
    "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
    "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
    "<args-json-object>}\n</tool_call>";

Error badData(std::string message)
{
    return Error{ErrorCode::BadDataset, std::move(message),
                 "tools must be a JSON list of functions with name/description/parameters; a function message "
                 "must be JSON {\"name\": ..., \"arguments\": {...}} or a list of them"};
}

/// dict.get(key, fallback) on an object (fallback when it is not an object or lacks the key).
Json get(const Json& j, const char* key, Json fallback = "")
{
    return j.is_object() && j.contains(key) ? j.at(key) : fallback;
}

Expected<Json> parse(std::string_view text, const char* what)
{
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        return tl::unexpected(
            badData(std::string("invalid JSON in ") + what + ": " + std::string(text.substr(0, 200))));
    }
    return j;
}

/// `tool.get("function", "") if tool.get("type") == "function" else tool`
Json unwrap(const Json& tool)
{
    return get(tool, "type", nullptr) == "function" ? get(tool, "function") : tool;
}
/// `tool if tool.get("type") == "function" else {"type": "function", "function": tool}`
Json wrap(const Json& tool)
{
    if (get(tool, "type", nullptr) == "function") {
        return tool;
    }
    Json w = Json::object();
    w["type"] = "function";
    w["function"] = tool;
    return w;
}

Expected<std::string> defaultTools(const Json& tools)
{
    std::string toolText, names;
    for (const Json& raw : tools) {
        const Json tool = unwrap(raw);
        if (!tool.is_object() || !tool.contains("name")) {
            return tl::unexpected(badData("a tool has no \"name\": " + pyDumps(raw)));
        }
        // LLaMA-Factory indexes tool["parameters"]["properties"] (KeyError without them); a tool without
        // parameters is rendered with no arguments here instead of failing the row.
        const Json params = get(tool, "parameters", Json::object());
        const Json required = get(params, "required", Json::array());
        const Json properties = get(params, "properties", Json::object()); // kept alive for the loop
        std::string paramText;
        for (const auto& [name, param] : properties.items()) {
            bool isRequired = false;
            if (required.is_array()) {
                isRequired = std::find(required.begin(), required.end(), Json(name)) != required.end();
            }
            std::string enumText, itemsText;
            if (pyTruthy(get(param, "enum", nullptr))) {
                std::string joined;
                for (const Json& e : param.at("enum")) { // ", ".join(...) needs strings
                    if (!e.is_string()) {
                        return tl::unexpected(badData("enum values of \"" + name + "\" must be strings"));
                    }
                    joined += (joined.empty() ? "" : ", ") + e.get<std::string>();
                }
                enumText = ", should be one of [" + joined + "]";
            }
            if (const Json items = get(param, "items", nullptr); pyTruthy(items)) {
                itemsText = ", where each item should be " + pyStr(get(items, "type"));
            }
            paramText += "  - " + name + " (" + pyStr(get(param, "type")) + (isRequired ? ", required" : "") +
                         "): " + pyStr(get(param, "description")) + enumText + itemsText + "\n";
        }
        const std::string toolName = pyStr(tool.at("name"));
        toolText += "> Tool Name: " + toolName + "\nTool Description: " + pyStr(get(tool, "description")) +
                    "\nTool Args:\n" + paramText + "\n";
        names += (names.empty() ? "" : ", ") + toolName;
    }
    return std::string(kDefaultHead) + toolText + std::string(kDefaultTail1) + names + std::string(kDefaultTail2);
}

std::string todayLlama3()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%d %b %Y", &tm); // C locale month names, as Python's default
    return buf;
}

/// One FunctionCall(name, arguments-as-json-text) per call, keeping the parsed arguments for re-dumping.
struct Call
{
    Json name;
    Json arguments;
};

} // namespace

std::optional<ToolFormat> toolFormatFromString(std::string_view s)
{
    for (const ToolFormat f :
         {ToolFormat::Default, ToolFormat::Glm4, ToolFormat::Llama3, ToolFormat::Mistral, ToolFormat::Qwen}) {
        if (s == toolFormatName(f)) {
            return f;
        }
    }
    return std::nullopt;
}

const char* toolFormatName(ToolFormat f)
{
    switch (f) {
    case ToolFormat::Default:
        return "default";
    case ToolFormat::Glm4:
        return "glm4";
    case ToolFormat::Llama3:
        return "llama3";
    case ToolFormat::Mistral:
        return "mistral";
    case ToolFormat::Qwen:
        return "qwen";
    }
    return "default";
}

Expected<std::string> pythonJsonDumps(std::string_view jsonText, int indent)
{
    auto j = parse(jsonText, "JSON text");
    if (!j) {
        return tl::unexpected(j.error());
    }
    return pyDumps(*j, indent);
}

Expected<std::string> formatTools(ToolFormat f, std::string_view toolsJson, std::string_view date)
{
    auto parsed = parse(toolsJson, "the tool description");
    if (!parsed) {
        return tl::unexpected(parsed.error());
    }
    // A single tool object is accepted as a one-element list (LLaMA-Factory would iterate its keys and fail).
    const Json tools = parsed->is_object() && !parsed->empty() ? Json::array({*parsed}) : *parsed;
    if (tools.empty()) {
        return std::string(); // `if len(tools) != 0` in ToolFormatter.apply
    }
    if (!tools.is_array()) {
        return tl::unexpected(badData("the tool description must be a JSON list: " + pyDumps(tools)));
    }
    switch (f) {
    case ToolFormat::Default:
        return defaultTools(tools);
    case ToolFormat::Glm4: {
        std::string text(kGlm4Head);
        for (const Json& raw : tools) {
            const Json tool = unwrap(raw);
            if (!tool.is_object() || !tool.contains("name")) {
                return tl::unexpected(badData("a tool has no \"name\": " + pyDumps(raw)));
            }
            text += "\n\n## " + pyStr(tool.at("name")) + "\n\n" + pyDumps(tool, 4) + std::string(kGlm4ToolTail);
        }
        return text;
    }
    case ToolFormat::Llama3: {
        std::string text =
            std::string(kLlama3Head) + (date.empty() ? todayLlama3() : std::string(date)) + std::string(kLlama3Mid);
        for (const Json& raw : tools) {
            text += pyDumps(wrap(raw), 4) + "\n\n";
        }
        return text;
    }
    case ToolFormat::Mistral: {
        Json wrapped = Json::array();
        for (const Json& raw : tools) {
            wrapped.push_back(wrap(raw));
        }
        return "[AVAILABLE_TOOLS] " + pyDumps(wrapped) + "[/AVAILABLE_TOOLS]";
    }
    case ToolFormat::Qwen: {
        std::string text(kQwenHead);
        for (const Json& raw : tools) {
            text += "\n" + pyDumps(wrap(raw));
        }
        return text + std::string(kQwenTail);
    }
    }
    return std::string();
}

Expected<std::string> formatFunction(ToolFormat f, std::string_view contentIn,
                                     const std::pair<std::string, std::string>* thoughtWords)
{
    std::string content(contentIn);
    std::string thought; // FunctionFormatter: the first <think>...</think> block goes in front of the calls
    if (thoughtWords) {
        const auto a = content.find(thoughtWords->first);
        const auto b = a == std::string::npos ? a : content.find(thoughtWords->second, a + thoughtWords->first.size());
        if (b != std::string::npos) {
            thought = content.substr(a, b + thoughtWords->second.size() - a);
            for (auto p = content.find(thought); p != std::string::npos; p = content.find(thought, p)) {
                content.erase(p, thought.size()); // str.replace(thought, "") removes every copy
            }
        }
    }
    auto parsed = parse(content, "a function message");
    if (!parsed) {
        return tl::unexpected(parsed.error());
    }
    const Json list = parsed->is_array() ? *parsed : Json::array({*parsed});
    std::vector<Call> calls;
    for (const Json& c : list) {
        if (!c.is_object() || !c.contains("name") || !c.contains("arguments")) {
            return tl::unexpected(badData("a function call needs \"name\" and \"arguments\": " + pyDumps(c)));
        }
        calls.push_back(Call{c.at("name"), c.at("arguments")});
    }
    std::string text;
    switch (f) {
    case ToolFormat::Default:
        for (std::size_t i = 0; i < calls.size(); ++i) {
            text += (i ? "\n" : "") + std::string("Action: ") + pyStr(calls[i].name) +
                    "\nAction Input: " + pyDumps(calls[i].arguments);
        }
        break;
    case ToolFormat::Glm4:
        if (calls.size() != 1) {
            return tl::unexpected(badData("GLM-4 does not support parallel functions (" + std::to_string(calls.size()) +
                                          " calls in one message)"));
        }
        text = pyStr(calls[0].name) + "\n" + pyDumps(calls[0].arguments);
        break;
    case ToolFormat::Llama3: {
        Json objs = Json::array();
        for (const Call& c : calls) {
            Json o = Json::object();
            o["name"] = c.name;
            o["parameters"] = c.arguments;
            objs.push_back(std::move(o));
        }
        text = pyDumps(objs.size() == 1 ? objs[0] : objs);
        break;
    }
    case ToolFormat::Mistral:
    case ToolFormat::Qwen: {
        Json objs = Json::array();
        for (const Call& c : calls) {
            Json o = Json::object();
            o["name"] = c.name;
            o["arguments"] = c.arguments;
            objs.push_back(std::move(o));
        }
        if (f == ToolFormat::Mistral) {
            text = pyDumps(objs);
            break;
        }
        for (std::size_t i = 0; i < objs.size(); ++i) {
            text += (i ? "\n" : "") + std::string("<tool_call>\n") + pyDumps(objs[i]) + "\n</tool_call>";
        }
        break;
    }
    }
    return thought + text;
}

} // namespace td::chat
