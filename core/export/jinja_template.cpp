// SPDX-License-Identifier: Apache-2.0
// ChatTemplate → Jinja (see jinja_template.h).
#include "core/export/jinja_template.h"

namespace td::exporter
{

namespace
{

std::string escape(const std::string& s)
{
    std::string out;
    for (char c : s) {
        if (c == '\'') {
            out += "\\'";
        } else {
            out += c;
        }
    }
    return out;
}

/// Slots → a Jinja expression like `'<|im_start|>user\n' + content + '<|im_end|>\n'`.
Expected<std::string> slotsToJinja(const chat::Formatter& slots, const tok::Tokenizer& tok,
                                   const std::string& placeholder = "content")
{
    std::string expr;
    auto add = [&](const std::string& item) { expr += (expr.empty() ? "" : " + ") + item; };
    for (const auto& slot : slots) {
        switch (slot.kind) {
        case chat::Slot::Kind::Text: {
            const std::string& text = slot.text;
            const auto at = text.find("{{content}}");
            if (at == std::string::npos) {
                if (!text.empty()) {
                    add("'" + escape(text) + "'");
                }
                break;
            }
            if (at > 0) {
                add("'" + escape(text.substr(0, at)) + "'");
            }
            add(placeholder);
            const std::string rest = text.substr(at + 11);
            if (!rest.empty()) {
                add("'" + escape(rest) + "'");
            }
            break;
        }
        case chat::Slot::Kind::Bos:
            if (tok.bosId()) {
                add("'" + escape(tok.bosToken()) + "'");
            }
            break;
        case chat::Slot::Kind::Eos:
            if (tok.eosId()) {
                add("'" + escape(tok.eosToken()) + "'");
            }
            break;
        case chat::Slot::Kind::Token:
            return makeError(ErrorCode::Unsupported, "template slot {\"token\": \"" + slot.text + "\"} has no Jinja form");
        }
    }
    return expr;
}

} // namespace

Expected<std::string> templateToJinja(const chat::ChatTemplate& t, const tok::Tokenizer& tok)
{
    auto prefix = slotsToJinja(t.formatPrefix, tok);
    auto system = slotsToJinja(t.formatSystem, tok, "system_message");
    auto user = slotsToJinja(t.formatUser, tok);
    auto assistant = slotsToJinja(t.formatAssistant, tok);
    for (const auto* e : {&prefix, &system, &user, &assistant}) {
        if (!*e) {
            return tl::unexpected(e->error().withContext("template '" + t.name + "'"));
        }
    }
    std::string j;
    if (!prefix->empty()) {
        j += "{{ " + *prefix + " }}";
    }
    if (!t.defaultSystem.empty()) {
        j += "{% set system_message = '" + escape(t.defaultSystem) + "' %}";
    }
    j += "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
         "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% endif %}";
    if (t.templateClass == chat::TemplateClass::Llama2) {
        // The system block is part of the first user message.
        j += "{% for message in loop_messages %}{% if loop.index0 == 0 and system_message is defined %}"
             "{% set content = " +
             (system->empty() ? std::string("message['content']") : *system + " + message['content']") +
             " %}{% else %}{% set content = message['content'] %}{% endif %}";
    } else {
        if (!system->empty()) {
            j += "{% if system_message is defined %}{{ " + *system + " }}{% endif %}";
        }
        j += "{% for message in loop_messages %}{% set content = message['content'] %}";
    }
    j += "{% if message['role'] == 'user' %}";
    if (!user->empty()) {
        j += "{{ " + *user + " }}";
    }
    j += "{% elif message['role'] == 'assistant' %}";
    if (!assistant->empty()) {
        j += "{{ " + *assistant + " }}";
    }
    j += "{% endif %}{% endfor %}";
    return j;
}

} // namespace td::exporter
