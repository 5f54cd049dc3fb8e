// SPDX-License-Identifier: Apache-2.0
// Chat templates with LLaMA-Factory's names and token layouts (data/template.py): a template is a set of
// formatters made of slots (text with {{content}}/{{idx}}, BOS, EOS, or a named token), a default system
// prompt, stop words and flags. The registry (chat_template_registry.cpp) is one explicit table.
//
// Encoding follows LLaMA-Factory exactly: each message is rendered into elements, each text element is
// tokenized on its own (add_special_tokens=False), and messages pair up as (prompt, response) per turn.
// The data worker calls encodeMultiturn (SFT) or encodeMasked (ids + response mask); chat calls
// encodeOneturn/render with an empty last assistant message for the generation prompt.
// Tools (tool_format.h): a row's tool list is rendered by the template's tool format and appended to the
// system prompt of the first turn; function-call messages are re-rendered by the same format. Tool-call
// parsing of model output is not done here. Jinja templates are not executed: the built-in templates
// reproduce the models' own ones.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/tool_format.h"

namespace td::chat
{

enum class Role
{
    System,
    User,
    Assistant,
    Observation, ///< a tool result (LLaMA-Factory "observation", OpenAI "tool")
    Function,    ///< an assistant tool call (LLaMA-Factory "function_call")
};

/// Parses "system", "user"/"human", "assistant"/"gpt"/"model", "observation"/"tool", "function"/"function_call".
std::optional<Role> roleFromString(std::string_view s);
const char* roleName(Role r);

struct Message
{
    Role role = Role::User;
    std::string content;
};

struct Slot
{
    enum class Kind
    {
        Text,  ///< literal text; "{{content}}" and "{{idx}}" are substituted
        Bos,   ///< the tokenizer's BOS token (skipped if it has none)
        Eos,   ///< the tokenizer's EOS token (skipped if it has none)
        Token, ///< a named token, encoded as its single id
    };
    Kind kind = Kind::Text;
    std::string text;
};
using Formatter = std::vector<Slot>;

enum class TemplateClass
{
    Plain,
    Llama2,    ///< the system block is folded into the first user message
    Reasoning, ///< adds/removes empty thoughts (<think>\n\n</think>\n\n) around assistant answers
};

struct ChatTemplate
{
    std::string name;
    Formatter formatUser;
    Formatter formatAssistant;
    Formatter formatSystem;
    Formatter formatFunction;
    Formatter formatObservation;
    Formatter formatPrefix;
    std::string defaultSystem;
    std::vector<std::string> stopWords;
    std::pair<std::string, std::string> thoughtWords{"<think>\n", "\n</think>\n\n"};
    bool efficientEos = false;
    bool replaceEos = false;
    bool replaceJinjaTemplate = false;
    bool enableThinking = true; ///< Reasoning templates: true = empty thought is learned (in the response)
    ToolFormat toolFormat = ToolFormat::Default; ///< format_tools / format_function's tool_format
    TemplateClass templateClass = TemplateClass::Plain;
};

/// All built-in templates, in registration order (the UI lists them in this order).
const std::vector<ChatTemplate>& templates();
/// A built-in template by LLaMA-Factory name.
Expected<ChatTemplate> findTemplate(std::string_view name);
/// Picks a template for a tokenizer: config.json model_type, then the Jinja chat_template's markers, then
/// "empty" (LLaMA-Factory's fallback). Returns the name.
std::string autoSelectTemplate(const tok::TokenizerConfig& config);

/// Prompt and response ids of one turn (LLaMA-Factory's encode_* pairs).
struct TurnIds
{
    std::vector<tok::TokenId> prompt;
    std::vector<tok::TokenId> response;
};

/// ids plus a mask: 1 where the token belongs to an assistant response (trained), 0 for prompt tokens, and
/// the SFT labels LLaMA-Factory builds from them (kIgnoreIndex for prompt tokens).
struct MaskedIds
{
    static constexpr tok::TokenId kIgnoreIndex = -100;
    std::vector<tok::TokenId> ids;
    std::vector<uint8_t> isResponse;
    std::vector<tok::TokenId> labels;
};

/// Messages must alternate user-side (User/Observation) and assistant-side (Assistant/Function), start with
/// the user side and have an even count; the system prompt is passed separately (empty = default system).
/// One (prompt, response) pair per turn; multi-turn SFT keeps thoughts as given.
/// `tools` (every encoder and render below): the row's tool list as JSON text, "" for none. Non-empty tools
/// are rendered with t.toolFormat and appended to the system prompt (default system included), as
/// LLaMA-Factory's Template._encode does; Function messages must be JSON tool calls (BadDataset otherwise).
Expected<std::vector<TurnIds>> encodeMultiturn(const ChatTemplate& t, const tok::Tokenizer& tok,
                                               std::span<const Message> messages, std::string_view system = {},
                                               std::string_view tools = {});
/// All turns but the last form the prompt; the last assistant message is the response (chat, predict, DPO).
Expected<TurnIds> encodeOneturn(const ChatTemplate& t, const tok::Tokenizer& tok, std::span<const Message> messages,
                                std::string_view system = {}, std::string_view tools = {});
/// encodeMultiturn flattened (no truncation): prompt tokens masked 0, response tokens 1. With efficientEos an
/// EOS is appended at the end (mask 1) and the first prompt token of every later turn gets the label EOS, as
/// LLaMA-Factory's supervised processor does (train_on_prompt off).
Expected<MaskedIds> encodeMasked(const ChatTemplate& t, const tok::Tokenizer& tok, std::span<const Message> messages,
                                 std::string_view system = {}, std::string_view tools = {});

/// Splits a leading System message off (OpenAI/ShareGPT style lists): returns the system text.
std::string takeSystem(std::vector<Message>& messages);

/// Renders a conversation as text (what the model sees). With addGenerationPrompt the last message must be on
/// the user side and the assistant header is emitted; otherwise the last message must be an assistant one.
/// BOS/EOS slots render as the tokenizer's token strings.
Expected<std::string> render(const ChatTemplate& t, const tok::Tokenizer& tok, std::span<const Message> messages,
                             std::string_view system, bool addGenerationPrompt, std::string_view tools = {});
/// Ids of render(): the prompt ids (+ response ids when the conversation ends with an assistant message).
Expected<std::vector<tok::TokenId>> renderIds(const ChatTemplate& t, const tok::Tokenizer& tok,
                                              std::span<const Message> messages, std::string_view system,
                                              bool addGenerationPrompt, std::string_view tools = {});

/// Generation stops at EOS or any of these ids (the template's stop words that the tokenizer knows).
std::vector<tok::TokenId> stopTokenIds(const ChatTemplate& t, const tok::Tokenizer& tok);

} // namespace td::chat
