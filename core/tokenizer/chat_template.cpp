// SPDX-License-Identifier: Apache-2.0
// Encoding and rendering of conversations with a ChatTemplate, following LLaMA-Factory's Template,
// Llama2Template and ReasoningTemplate (data/template.py). Messages become "elements" (text or a special
// token); ids are the concatenation of each element tokenized on its own, exactly as LLaMA-Factory does.
#include "core/tokenizer/chat_template.h"

#include <algorithm>

namespace td::chat
{
namespace
{

using Elements = std::vector<Slot>;

struct TurnElements
{
    Elements prompt;
    Elements response;
};

void replaceAll(std::string& s, std::string_view from, std::string_view to)
{
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
        s.replace(pos, from.size(), to);
    }
}

void apply(const Formatter& f, std::string_view content, std::string_view idx, Elements& out)
{
    for (const Slot& slot : f) {
        if (slot.kind != Slot::Kind::Text) {
            out.push_back(slot);
            continue;
        }
        Slot s = slot;
        replaceAll(s.text, "{{content}}", content);
        replaceAll(s.text, "{{idx}}", idx);
        out.push_back(std::move(s));
    }
}

bool isUserSide(Role r)
{
    return r == Role::User || r == Role::Observation;
}
bool isAssistantSide(Role r)
{
    return r == Role::Assistant || r == Role::Function;
}

Status checkAlternation(std::span<const Message> messages, bool needEven)
{
    if (messages.empty() || (needEven && messages.size() % 2 != 0)) {
        return makeError(ErrorCode::InvalidArgument,
                         "a conversation needs user/assistant pairs, got " + std::to_string(messages.size()) +
                             " messages",
                         "end the conversation with an assistant message");
    }
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const bool ok = i % 2 == 0 ? isUserSide(messages[i].role) : isAssistantSide(messages[i].role);
        if (!ok) {
            return makeError(ErrorCode::InvalidArgument,
                             std::string("message ") + std::to_string(i) + " has role '" + roleName(messages[i].role) +
                                 "' where a " + (i % 2 == 0 ? "user/observation" : "assistant/function") +
                                 " message is expected",
                             "roles must alternate user, assistant, user, ...; pass the system prompt separately");
        }
    }
    return {};
}

/// Template._encode / Llama2Template._encode: the elements of every message. Tools are rendered into the
/// system text of the first message (system or tools present => the system formatter runs, even with an
/// empty system); function messages go through the tool format (Llama2-class: without thought handling).
Expected<std::vector<Elements>> buildMessages(const ChatTemplate& t, std::span<const Message> messages,
                                              std::string_view system, std::string_view tools)
{
    const std::string sys = system.empty() ? t.defaultSystem : std::string(system);
    const bool llama2 = t.templateClass == TemplateClass::Llama2;
    std::vector<Elements> out;
    out.reserve(messages.size());
    for (std::size_t i = 0; i < messages.size(); ++i) {
        Elements el;
        std::string systemText;
        if (i == 0) {
            apply(t.formatPrefix, "", "", el);
            if (!sys.empty() || !tools.empty()) {
                std::string toolText;
                if (!tools.empty()) {
                    auto tt = formatTools(t.toolFormat, tools);
                    if (!tt) {
                        return tl::unexpected(tt.error());
                    }
                    toolText = std::move(*tt);
                }
                if (llama2) {
                    Elements sysEl;
                    apply(t.formatSystem, sys + toolText, "", sysEl);
                    systemText = sysEl.empty() ? std::string() : sysEl.front().text;
                } else {
                    apply(t.formatSystem, sys + toolText, "", el);
                }
            }
        }
        const Message& m = messages[i];
        const std::string idx = std::to_string(i / 2);
        switch (m.role) {
        case Role::User:
            apply(t.formatUser, systemText + m.content, idx, el);
            break;
        case Role::Assistant:
            apply(t.formatAssistant, m.content, idx, el);
            break;
        case Role::Observation:
            apply(t.formatObservation, m.content, idx, el);
            break;
        case Role::Function: {
            auto text = formatFunction(t.toolFormat, m.content, llama2 ? nullptr : &t.thoughtWords);
            if (!text) {
                return tl::unexpected(text.error().withContext("message " + std::to_string(i)));
            }
            apply(t.formatFunction, *text, idx, el);
            break;
        }
        case Role::System:
            break; // rejected by checkAlternation
        }
        out.push_back(std::move(el));
    }
    return out;
}

std::string trimmed(const std::string& s)
{
    const auto a = s.find_first_not_of(" \t\r\n");
    const auto b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

bool hasThought(const ChatTemplate& t, const std::string& content)
{
    return content.find(trimmed(t.thoughtWords.first)) != std::string::npos ||
           content.find(trimmed(t.thoughtWords.second)) != std::string::npos;
}

/// Template.remove_thought: drop every "<think>\n...\n</think>\n\n" block, then leading newlines.
std::string removeThought(const ChatTemplate& t, std::string content)
{
    const auto& [open, close] = t.thoughtWords;
    for (auto a = content.find(open); a != std::string::npos; a = content.find(open, a)) {
        const auto b = content.find(close, a + open.size());
        if (b == std::string::npos) {
            break;
        }
        content.erase(a, b + close.size() - a);
    }
    const auto first = content.find_first_not_of('\n');
    return first == std::string::npos ? std::string() : content.substr(first);
}

Slot thoughtSlot(const ChatTemplate& t)
{
    return Slot{Slot::Kind::Text, t.thoughtWords.first + t.thoughtWords.second};
}

void append(Elements& to, const Elements& from)
{
    to.insert(to.end(), from.begin(), from.end());
}

Expected<std::vector<TurnElements>> multiturnElements(const ChatTemplate& t, std::span<const Message> input,
                                                      std::string_view system, std::string_view tools)
{
    if (auto ok = checkAlternation(input, true); !ok) {
        return tl::unexpected(ok.error());
    }
    std::vector<Message> messages(input.begin(), input.end());
    const bool reasoning = t.templateClass == TemplateClass::Reasoning;
    if (reasoning && !t.enableThinking) {
        for (std::size_t i = 1; i < messages.size(); i += 2) {
            messages[i].content = removeThought(t, messages[i].content);
        }
    }
    auto built = buildMessages(t, messages, system, tools);
    if (!built) {
        return tl::unexpected(built.error());
    }
    const auto& encoded = *built;
    std::vector<TurnElements> turns;
    for (std::size_t i = 0; i + 1 < encoded.size(); i += 2) {
        TurnElements turn{encoded[i], encoded[i + 1]};
        if (reasoning && !hasThought(t, messages[i + 1].content)) {
            if (!t.enableThinking) {
                turn.prompt.push_back(thoughtSlot(t));
            } else {
                turn.response.insert(turn.response.begin(), thoughtSlot(t));
            }
        }
        turns.push_back(std::move(turn));
    }
    return turns;
}

Expected<TurnElements> oneturnElements(const ChatTemplate& t, std::span<const Message> input, std::string_view system,
                                       std::string_view tools)
{
    if (auto ok = checkAlternation(input, true); !ok) {
        return tl::unexpected(ok.error());
    }
    std::vector<Message> messages(input.begin(), input.end());
    const bool reasoning = t.templateClass == TemplateClass::Reasoning;
    if (reasoning) {
        for (std::size_t i = 1; i + 2 < messages.size(); i += 2) {
            messages[i].content = removeThought(t, messages[i].content);
        }
        if (!t.enableThinking) {
            messages.back().content = removeThought(t, messages.back().content);
        }
    }
    auto built = buildMessages(t, messages, system, tools);
    if (!built) {
        return tl::unexpected(built.error());
    }
    const auto& encoded = *built;
    TurnElements turn;
    for (std::size_t i = 0; i + 1 < encoded.size(); ++i) {
        append(turn.prompt, encoded[i]);
    }
    turn.response = encoded.back();
    if (reasoning && !hasThought(t, messages.back().content)) {
        if (!t.enableThinking) {
            turn.prompt.push_back(thoughtSlot(t));
        } else {
            turn.response.insert(turn.response.begin(), thoughtSlot(t));
        }
    }
    return turn;
}

Expected<std::vector<tok::TokenId>> toIds(const Elements& el, const tok::Tokenizer& tok)
{
    std::vector<tok::TokenId> ids;
    for (const Slot& s : el) {
        switch (s.kind) {
        case Slot::Kind::Text: {
            if (s.text.empty()) {
                break;
            }
            auto part = tok.encode(s.text, false);
            if (!part) {
                return tl::unexpected(part.error());
            }
            ids.insert(ids.end(), part->begin(), part->end());
            break;
        }
        case Slot::Kind::Bos:
            if (tok.bosId()) {
                ids.push_back(*tok.bosId());
            }
            break;
        case Slot::Kind::Eos:
            if (tok.eosId()) {
                ids.push_back(*tok.eosId());
            }
            break;
        case Slot::Kind::Token: {
            auto id = tok.pieceToId(s.text);
            if (!id) {
                return makeError(ErrorCode::BadTokenizer,
                                 "the chat template needs token '" + s.text + "' that the tokenizer does not have",
                                 "choose the template that matches the model");
            }
            ids.push_back(*id);
            break;
        }
        }
    }
    return ids;
}

std::string toText(const Elements& el, const tok::Tokenizer& tok)
{
    std::string out;
    for (const Slot& s : el) {
        switch (s.kind) {
        case Slot::Kind::Text:
        case Slot::Kind::Token:
            out += s.text;
            break;
        case Slot::Kind::Bos:
            if (tok.bosId()) {
                out += tok.bosToken();
            }
            break;
        case Slot::Kind::Eos:
            if (tok.eosId()) {
                out += tok.eosToken();
            }
            break;
        }
    }
    return out;
}

/// The one-turn elements of a conversation for render/renderIds (see render's contract).
Expected<TurnElements> renderElements(const ChatTemplate& t, std::span<const Message> messages, std::string_view system,
                                      std::string_view tools, bool addGenerationPrompt, bool& withResponse)
{
    std::vector<Message> msgs(messages.begin(), messages.end());
    withResponse = !msgs.empty() && isAssistantSide(msgs.back().role) && !addGenerationPrompt;
    if (!msgs.empty() && isAssistantSide(msgs.back().role) && addGenerationPrompt) {
        return makeError(ErrorCode::InvalidArgument, "the conversation ends with an assistant message",
                         "drop --add-generation-prompt, or end with a user message");
    }
    if (!withResponse) {
        msgs.push_back(Message{Role::Assistant, ""});
    }
    return oneturnElements(t, msgs, system, tools);
}

} // namespace

std::optional<Role> roleFromString(std::string_view s)
{
    if (s == "system") {
        return Role::System;
    }
    if (s == "user" || s == "human") {
        return Role::User;
    }
    if (s == "assistant" || s == "gpt" || s == "model") {
        return Role::Assistant;
    }
    if (s == "observation" || s == "tool") {
        return Role::Observation;
    }
    if (s == "function" || s == "function_call") {
        return Role::Function;
    }
    return std::nullopt;
}

const char* roleName(Role r)
{
    switch (r) {
    case Role::System:
        return "system";
    case Role::User:
        return "user";
    case Role::Assistant:
        return "assistant";
    case Role::Observation:
        return "observation";
    case Role::Function:
        return "function";
    }
    return "?";
}

std::string takeSystem(std::vector<Message>& messages)
{
    if (messages.empty() || messages.front().role != Role::System) {
        return {};
    }
    std::string sys = std::move(messages.front().content);
    messages.erase(messages.begin());
    return sys;
}

Expected<std::vector<TurnIds>> encodeMultiturn(const ChatTemplate& t, const tok::Tokenizer& tok,
                                               std::span<const Message> messages, std::string_view system,
                                               std::string_view tools)
{
    auto turns = multiturnElements(t, messages, system, tools);
    if (!turns) {
        return tl::unexpected(turns.error());
    }
    std::vector<TurnIds> out;
    for (const auto& turn : *turns) {
        auto p = toIds(turn.prompt, tok);
        auto r = p ? toIds(turn.response, tok) : p;
        if (!r) {
            return tl::unexpected(r.error());
        }
        out.push_back(TurnIds{std::move(*p), std::move(*r)});
    }
    return out;
}

Expected<TurnIds> encodeOneturn(const ChatTemplate& t, const tok::Tokenizer& tok, std::span<const Message> messages,
                                std::string_view system, std::string_view tools)
{
    auto turn = oneturnElements(t, messages, system, tools);
    if (!turn) {
        return tl::unexpected(turn.error());
    }
    auto p = toIds(turn->prompt, tok);
    auto r = p ? toIds(turn->response, tok) : p;
    if (!r) {
        return tl::unexpected(r.error());
    }
    return TurnIds{std::move(*p), std::move(*r)};
}

Expected<MaskedIds> encodeMasked(const ChatTemplate& t, const tok::Tokenizer& tok, std::span<const Message> messages,
                                 std::string_view system, std::string_view tools)
{
    auto turns = encodeMultiturn(t, tok, messages, system, tools);
    if (!turns) {
        return tl::unexpected(turns.error());
    }
    MaskedIds m;
    for (std::size_t k = 0; k < turns->size(); ++k) {
        const TurnIds& turn = (*turns)[k];
        for (std::size_t i = 0; i < turn.prompt.size(); ++i) {
            m.ids.push_back(turn.prompt[i]);
            m.isResponse.push_back(0);
            const bool eosLabel = t.efficientEos && k > 0 && i == 0 && tok.eosId();
            m.labels.push_back(eosLabel ? *tok.eosId() : MaskedIds::kIgnoreIndex);
        }
        for (const tok::TokenId id : turn.response) {
            m.ids.push_back(id);
            m.isResponse.push_back(1);
            m.labels.push_back(id);
        }
    }
    if (t.efficientEos && tok.eosId()) {
        m.ids.push_back(*tok.eosId());
        m.isResponse.push_back(1);
        m.labels.push_back(*tok.eosId());
    }
    return m;
}

Expected<std::string> render(const ChatTemplate& t, const tok::Tokenizer& tok, std::span<const Message> messages,
                             std::string_view system, bool addGenerationPrompt, std::string_view tools)
{
    bool withResponse = false;
    auto turn = renderElements(t, messages, system, tools, addGenerationPrompt, withResponse);
    if (!turn) {
        return tl::unexpected(turn.error());
    }
    std::string out = toText(turn->prompt, tok);
    if (withResponse) {
        out += toText(turn->response, tok);
    }
    return out;
}

Expected<std::vector<tok::TokenId>> renderIds(const ChatTemplate& t, const tok::Tokenizer& tok,
                                              std::span<const Message> messages, std::string_view system,
                                              bool addGenerationPrompt, std::string_view tools)
{
    bool withResponse = false;
    auto turn = renderElements(t, messages, system, tools, addGenerationPrompt, withResponse);
    if (!turn) {
        return tl::unexpected(turn.error());
    }
    auto ids = toIds(turn->prompt, tok);
    if (!ids || !withResponse) {
        return ids;
    }
    auto resp = toIds(turn->response, tok);
    if (!resp) {
        return tl::unexpected(resp.error());
    }
    ids->insert(ids->end(), resp->begin(), resp->end());
    return ids;
}

std::vector<tok::TokenId> stopTokenIds(const ChatTemplate& t, const tok::Tokenizer& tok)
{
    std::vector<tok::TokenId> ids;
    if (tok.eosId()) {
        ids.push_back(*tok.eosId());
    }
    for (const auto& w : t.stopWords) {
        if (auto id = tok.pieceToId(w); id && std::find(ids.begin(), ids.end(), *id) == ids.end()) {
            ids.push_back(*id);
        }
    }
    return ids;
}

} // namespace td::chat
