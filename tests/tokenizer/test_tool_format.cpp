// SPDX-License-Identifier: Apache-2.0
// Tool descriptions and function calls per tool format, against the exact strings LLaMA-Factory produces.
// The expected strings were derived by hand from LLaMA-Factory src/llamafactory/data/tool_utils.py
// (DEFAULT/GLM4/LLAMA3/QWEN prompts, *ToolUtils.tool_formatter / function_formatter), formatter.py
// (ToolFormatter, FunctionFormatter) and template.py (Template._encode: system + tool_text in the first
// turn), including Python json.dumps layout: ", "/": " without indent, "," + newline with indent=4,
// ensure_ascii=False, float repr.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tool_format.h"

namespace
{

using namespace td;
using chat::ToolFormat;

// One function with a required string (non-ASCII description), an enum and an array with items, a float
// default, and quotes in the description.
const char* const kTools =
    R"([{"name": "get_weather", "description": "Weather \"now\"", "parameters": {"type": "object", "properties": )"
    R"({"city": {"type": "string", "description": "城市"}, "unit": {"type": "string", "enum": ["c", "f"]}, )"
    R"("days": {"type": "array", "items": {"type": "integer"}, "default": 1.0}}, "required": ["city"]}}])";

// json.dumps(tool, ensure_ascii=False) of the bare function object (no indent).
const std::string kFunctionFlat =
    R"({"name": "get_weather", "description": "Weather \"now\"", "parameters": {"type": "object", "properties": )"
    R"({"city": {"type": "string", "description": "城市"}, "unit": {"type": "string", "enum": ["c", "f"]}, )"
    R"("days": {"type": "array", "items": {"type": "integer"}, "default": 1.0}}, "required": ["city"]}})";

// json.dumps(tool, indent=4, ensure_ascii=False) of the bare function object (glm4).
const char* const kFunctionIndent4 = R"({
    "name": "get_weather",
    "description": "Weather \"now\"",
    "parameters": {
        "type": "object",
        "properties": {
            "city": {
                "type": "string",
                "description": "城市"
            },
            "unit": {
                "type": "string",
                "enum": [
                    "c",
                    "f"
                ]
            },
            "days": {
                "type": "array",
                "items": {
                    "type": "integer"
                },
                "default": 1.0
            }
        },
        "required": [
            "city"
        ]
    }
})";

// json.dumps({"type": "function", "function": tool}, indent=4, ensure_ascii=False) (llama3).
const char* const kWrappedIndent4 = R"({
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather \"now\"",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {
                    "type": "string",
                    "description": "城市"
                },
                "unit": {
                    "type": "string",
                    "enum": [
                        "c",
                        "f"
                    ]
                },
                "days": {
                    "type": "array",
                    "items": {
                        "type": "integer"
                    },
                    "default": 1.0
                }
            },
            "required": [
                "city"
            ]
        }
    }
})";

const std::string kWrappedFlat = R"({"type": "function", "function": )" + kFunctionFlat + "}";

const char* const kQwenToolText = "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
                                  "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
const char* const kQwenToolTail =
    "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
    "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
    "<args-json-object>}\n</tool_call>";

std::string tools(ToolFormat f, const std::string& json = kTools)
{
    auto r = chat::formatTools(f, json, "26 Jul 2024");
    EXPECT_TRUE(r) << (r ? "" : r.error().toString());
    return r ? *r : std::string();
}

std::string call(ToolFormat f, const std::string& content, bool thoughts = false)
{
    const std::pair<std::string, std::string> words{"<think>\n", "\n</think>\n\n"};
    auto r = chat::formatFunction(f, content, thoughts ? &words : nullptr);
    EXPECT_TRUE(r) << (r ? "" : r.error().toString());
    return r ? *r : std::string();
}

const char* const kCall = R"({"name": "get_weather", "arguments": {"city": "巴黎", "days": [1, 2]}})";

} // namespace

TEST(ToolFormat, DefaultToolText)
{
    // DefaultToolUtils.tool_formatter: "  - {name} ({type}{required}): {desc}{enum}{items}\n" per parameter.
    const std::string expected = "You have access to the following tools:\n"
                                 "> Tool Name: get_weather\n"
                                 "Tool Description: Weather \"now\"\n"
                                 "Tool Args:\n"
                                 "  - city (string, required): 城市\n"
                                 "  - unit (string): , should be one of [c, f]\n"
                                 "  - days (array): , where each item should be integer\n"
                                 "\n"
                                 "Use the following format if using a tool:\n"
                                 "```\n"
                                 "Action: tool name (one of [get_weather])\n"
                                 "Action Input: the input to the tool, in a JSON format representing the kwargs "
                                 "(e.g. ```{\"input\": \"hello world\", \"num_beams\": 5}```)\n"
                                 "```\n";
    EXPECT_EQ(tools(ToolFormat::Default), expected);
}

TEST(ToolFormat, QwenToolText)
{
    EXPECT_EQ(tools(ToolFormat::Qwen), kQwenToolText + std::string("\n") + kWrappedFlat + kQwenToolTail);
    // An already wrapped tool is kept as is: same text.
    EXPECT_EQ(tools(ToolFormat::Qwen, "[" + kWrappedFlat + "]"), tools(ToolFormat::Qwen));
}

TEST(ToolFormat, MistralToolText)
{
    EXPECT_EQ(tools(ToolFormat::Mistral), "[AVAILABLE_TOOLS] [" + kWrappedFlat + "][/AVAILABLE_TOOLS]");
}

TEST(ToolFormat, Llama3ToolText)
{
    const std::string expected =
        "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
        "You have access to the following functions. To call a function, please respond with JSON for a function "
        "call. Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its "
        "value}. Do not use variables.\n\n" +
        std::string(kWrappedIndent4) + "\n\n";
    EXPECT_EQ(tools(ToolFormat::Llama3), expected);
    // Without a date, today's "%d %b %Y" is used.
    auto today = chat::formatTools(ToolFormat::Llama3, kTools);
    ASSERT_TRUE(today);
    EXPECT_EQ(today->find("Today Date: 26 Jul 2024"), std::string::npos);
}

TEST(ToolFormat, Glm4ToolText)
{
    const std::string expected = "你是一个名为 ChatGLM 的人工智能助手。你是基于智谱 AI 公司训练的语言模型 GLM-4 "
                                 "模型开发的，你的任务是针对用户的问题和要求提供适当的答复和支持。\n\n# 可用工具"
                                 "\n\n## get_weather\n\n" +
                                 std::string(kFunctionIndent4) + "\n在调用上述函数时，请使用 Json 格式表示调用的参数。";
    EXPECT_EQ(tools(ToolFormat::Glm4), expected);
}

TEST(ToolFormat, EmptyAndBadToolLists)
{
    EXPECT_EQ(tools(ToolFormat::Qwen, "[]"), ""); // ToolFormatter: len(tools) == 0 → ""
    EXPECT_FALSE(chat::formatTools(ToolFormat::Qwen, "not json"));
    EXPECT_FALSE(chat::formatTools(ToolFormat::Default, R"([{"description": "no name"}])"));
}

TEST(ToolFormat, FunctionCalls)
{
    EXPECT_EQ(call(ToolFormat::Default, kCall),
              "Action: get_weather\nAction Input: {\"city\": \"巴黎\", \"days\": [1, 2]}");
    EXPECT_EQ(call(ToolFormat::Glm4, kCall), "get_weather\n{\"city\": \"巴黎\", \"days\": [1, 2]}");
    EXPECT_EQ(call(ToolFormat::Llama3, kCall),
              R"({"name": "get_weather", "parameters": {"city": "巴黎", "days": [1, 2]}})");
    EXPECT_EQ(call(ToolFormat::Mistral, kCall),
              R"([{"name": "get_weather", "arguments": {"city": "巴黎", "days": [1, 2]}}])");
    EXPECT_EQ(call(ToolFormat::Qwen, kCall), "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": "
                                             "\"巴黎\", \"days\": [1, 2]}}\n</tool_call>");
}

TEST(ToolFormat, ParallelCallsAndThoughts)
{
    const std::string two = R"([{"name": "a", "arguments": {"x": 1}}, {"name": "b", "arguments": {}}])";
    EXPECT_EQ(call(ToolFormat::Qwen, two), "<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": 1}}\n</tool_call>\n"
                                           "<tool_call>\n{\"name\": \"b\", \"arguments\": {}}\n</tool_call>");
    EXPECT_EQ(call(ToolFormat::Llama3, two),
              R"([{"name": "a", "parameters": {"x": 1}}, {"name": "b", "parameters": {}}])");
    EXPECT_EQ(call(ToolFormat::Default, two), "Action: a\nAction Input: {\"x\": 1}\nAction: b\nAction Input: {}");
    EXPECT_FALSE(chat::formatFunction(ToolFormat::Glm4, two)); // "GLM-4 does not support parallel functions."
    // The thought block moves in front of the formatted calls.
    EXPECT_EQ(call(ToolFormat::Qwen, "<think>\nplan\n</think>\n\n" + two.substr(1, two.find('}') + 1), true),
              "<think>\nplan\n</think>\n\n<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": 1}}\n</tool_call>");
    // Not JSON: LLaMA-Factory raises "Invalid JSON format in function message".
    EXPECT_FALSE(chat::formatFunction(ToolFormat::Qwen, "get_weather(city=Paris)"));
    EXPECT_FALSE(chat::formatFunction(ToolFormat::Qwen, R"({"name": "a"})"));
}

TEST(ToolFormat, PythonJsonDumps)
{
    // float repr, escapes (lowercase \u00XX), raw non-ASCII and '/', key order kept, empty containers.
    auto d = chat::pythonJsonDumps(
        R"({"z": [1e-05, 1e16, 123.0, 0.1, -0.0, 1.5e300, 0.0001, 12345678901234567.0, 100, -7, true, null],)"
        R"( "a": "é/\"\\\n\t\u0001", "e": {}, "l": []})");
    ASSERT_TRUE(d);
    EXPECT_EQ(
        *d, R"({"z": [1e-05, 1e+16, 123.0, 0.1, -0.0, 1.5e+300, 0.0001, 1.2345678901234568e+16, 100, -7, true, null], )"
            R"("a": "é/\"\\\n\t\u0001", "e": {}, "l": []})");
    auto i = chat::pythonJsonDumps(R"({"a": [], "b": {}, "c": [1]})", 2);
    ASSERT_TRUE(i);
    EXPECT_EQ(*i, "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1\n  ]\n}");
}

TEST(ToolFormat, RegistryToolFormats)
{
    // template.py: format_tools=ToolFormatter(tool_format=...) per template; "default" otherwise.
    const std::vector<std::pair<std::string, ToolFormat>> expected = {
        {"qwen", ToolFormat::Qwen},      {"qwen3", ToolFormat::Qwen},      {"qwen3_nothink", ToolFormat::Qwen},
        {"llama3", ToolFormat::Llama3},  {"mistral", ToolFormat::Mistral}, {"glm4", ToolFormat::Glm4},
        {"chatml", ToolFormat::Default}, {"default", ToolFormat::Default}, {"gemma", ToolFormat::Default},
    };
    for (const auto& [name, f] : expected) {
        auto t = chat::findTemplate(name);
        ASSERT_TRUE(t) << name;
        EXPECT_EQ(t->toolFormat, f) << name;
    }
    EXPECT_EQ(chat::toolFormatFromString("qwen"), ToolFormat::Qwen);
    EXPECT_EQ(chat::toolFormatName(ToolFormat::Glm4), std::string("glm4"));
}
