// SPDX-License-Identifier: Apache-2.0
// Tool (function-calling) text as LLaMA-Factory renders it (data/tool_utils.py + formatter.py): the tool
// descriptions appended to the system prompt of the first turn (ToolFormatter) and the assistant text of a
// function-call message (FunctionFormatter). Each template names one tool format; the output strings,
// including Python's json.dumps layout (ensure_ascii=False, its separators and indentation), are reproduced
// byte for byte because they are trained on. JSON-free header: chat_template.h and the UI include it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/common/error.h"

namespace td::chat
{

/// LLaMA-Factory's tool formats that our built-in templates use (tool_utils.py TOOLS).
enum class ToolFormat
{
    Default, ///< "default": ReAct-style "Action:/Action Input:" text
    Glm4,    ///< "glm4"
    Llama3,  ///< "llama3": JSON function definitions with the date header
    Mistral, ///< "mistral": [AVAILABLE_TOOLS] ... [/AVAILABLE_TOOLS]
    Qwen,    ///< "qwen": <tools></tools> and <tool_call></tool_call>
};

std::optional<ToolFormat> toolFormatFromString(std::string_view s);
const char* toolFormatName(ToolFormat f);

/// ToolFormatter.apply: the tools JSON text (a list of tools, each either {"type":"function","function":{..}}
/// or the bare function object) → the text appended to the system prompt; "" for an empty list.
/// `date` is llama3's "Today Date" (LLaMA-Factory uses datetime.now() "%d %b %Y"); empty = today.
/// Errors: BadDataset when the text is not JSON or a tool lacks "name"/"parameters" where the format needs it.
Expected<std::string> formatTools(ToolFormat f, std::string_view toolsJson, std::string_view date = {});

/// FunctionFormatter.apply's content: a function message ({"name", "arguments"} or a list of them, JSON) →
/// the assistant text. With thoughtWords, a leading thought block is moved in front of the calls as
/// Template._encode does (Llama2-class templates pass none). Errors: BadDataset (not JSON, missing keys,
/// several calls for glm4).
Expected<std::string> formatFunction(ToolFormat f, std::string_view content,
                                     const std::pair<std::string, std::string>* thoughtWords = nullptr);

/// Python json.dumps(json.loads(text), ensure_ascii=False[, indent=indent]) with key order kept; indent < 0
/// means no indentation (", " and ": " separators). Exposed for tests. Errors: BadDataset on invalid JSON.
Expected<std::string> pythonJsonDumps(std::string_view jsonText, int indent = -1);

} // namespace td::chat
