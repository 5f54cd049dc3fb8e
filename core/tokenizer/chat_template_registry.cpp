// SPDX-License-Identifier: Apache-2.0
// The built-in chat templates: one entry per LLaMA-Factory template name, with its formatters, default
// system prompt, stop words and flags (LLaMA-Factory data/template.py, register_template). Defaults follow
// register_template: assistant = {{content}} + EOS (no EOS with efficient_eos), system/user = {{content}},
// function = the assistant format, observation = the user format, tool format = "default" (glm4, llama3,
// mistral and the qwen family name their own). Add a template: one entry in kSpecs.
#include "core/tokenizer/chat_template.h"

namespace td::chat
{
namespace
{

Slot text(std::string s)
{
    return Slot{Slot::Kind::Text, std::move(s)};
}
const Slot kBos{Slot::Kind::Bos, {}};
const Slot kEos{Slot::Kind::Eos, {}};

/// register_template's arguments; empty formatters take the defaults.
struct Spec
{
    std::string name;
    Formatter user;
    Formatter assistant;
    Formatter system;
    Formatter function;
    Formatter observation;
    Formatter prefix;
    std::string defaultSystem;
    std::vector<std::string> stopWords;
    bool efficientEos = false;
    bool replaceEos = false;
    bool replaceJinja = false;
    TemplateClass cls = TemplateClass::Plain;
    ToolFormat tools = ToolFormat::Default; ///< format_tools=ToolFormatter(tool_format=...); default "default"
};

ChatTemplate finalize(const Spec& s)
{
    ChatTemplate t;
    t.name = s.name;
    const Formatter content{text("{{content}}")};
    Formatter defaultAssistant = content;
    if (!s.efficientEos) {
        defaultAssistant.push_back(kEos);
    }
    t.formatUser = s.user.empty() ? content : s.user;
    t.formatAssistant = s.assistant.empty() ? defaultAssistant : s.assistant;
    t.formatSystem = s.system.empty() ? content : s.system;
    t.formatFunction = s.function.empty() ? t.formatAssistant : s.function;
    t.formatObservation = !s.observation.empty() ? s.observation : (!s.user.empty() ? s.user : content);
    t.formatPrefix = s.prefix;
    t.defaultSystem = s.defaultSystem;
    t.stopWords = s.stopWords;
    t.efficientEos = s.efficientEos;
    t.replaceEos = s.replaceEos;
    t.replaceJinjaTemplate = s.replaceJinja;
    t.templateClass = s.cls;
    t.toolFormat = s.tools;
    return t;
}

const char* const kChatmlUser = "<|im_start|>user\n{{content}}<|im_end|>\n<|im_start|>assistant\n";
const char* const kChatmlAssistant = "{{content}}<|im_end|>\n";
const char* const kChatmlSystem = "<|im_start|>system\n{{content}}<|im_end|>\n";
const char* const kQwenObservation =
    "<|im_start|>user\n<tool_response>\n{{content}}\n</tool_response><|im_end|>\n<|im_start|>assistant\n";
const char* const kGemmaUser = "<start_of_turn>user\n{{content}}<end_of_turn>\n<start_of_turn>model\n";
const char* const kGemmaObservation = "<start_of_turn>tool\n{{content}}<end_of_turn>\n<start_of_turn>model\n";

Spec qwenLike(std::string name, std::string defaultSystem, TemplateClass cls)
{
    Spec s;
    s.name = std::move(name);
    s.user = {text(kChatmlUser)};
    s.assistant = {text(kChatmlAssistant)};
    s.system = {text(kChatmlSystem)};
    s.function = {text(kChatmlAssistant)};
    s.observation = {text(kQwenObservation)};
    s.defaultSystem = std::move(defaultSystem);
    s.stopWords = {"<|im_end|>"};
    s.replaceEos = true;
    s.cls = cls;
    s.tools = ToolFormat::Qwen;
    return s;
}

Spec gemmaLike(std::string name, std::vector<std::string> stop, bool efficientEos, bool replaceEos)
{
    Spec s;
    s.name = std::move(name);
    s.user = {text(kGemmaUser)};
    s.assistant = {text("{{content}}<end_of_turn>\n")};
    s.system = {text("{{content}}\n\n")};
    s.observation = {text(kGemmaObservation)};
    s.prefix = {kBos};
    s.stopWords = std::move(stop);
    s.efficientEos = efficientEos;
    s.replaceEos = replaceEos;
    s.cls = TemplateClass::Llama2;
    return s;
}

std::vector<Spec> specs()
{
    std::vector<Spec> v;
    // LLaMA-Factory name order (alphabetical, as its registry and the UI list them).
    {
        Spec s;
        s.name = "alpaca";
        s.user = {text("### Instruction:\n{{content}}\n\n### Response:\n")};
        s.assistant = {text("{{content}}"), kEos, text("\n\n")};
        s.defaultSystem = "Below is an instruction that describes a task. Write a response that appropriately "
                          "completes the request.\n\n";
        s.replaceJinja = true;
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "chatml";
        s.user = {text(kChatmlUser)};
        s.assistant = {text(kChatmlAssistant)};
        s.system = {text(kChatmlSystem)};
        s.observation = {text("<|im_start|>tool\n{{content}}<|im_end|>\n<|im_start|>assistant\n")};
        s.stopWords = {"<|im_end|>", "<|im_start|>"};
        s.replaceEos = true;
        s.replaceJinja = true;
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "cohere";
        s.user = {text("<|START_OF_TURN_TOKEN|><|USER_TOKEN|>{{content}}<|END_OF_TURN_TOKEN|>"
                       "<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>")};
        s.system = {text("<|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|>{{content}}<|END_OF_TURN_TOKEN|>")};
        s.prefix = {kBos};
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "deepseek";
        s.user = {text("User: {{content}}\n\nAssistant:")};
        s.system = {text("{{content}}\n\n")};
        s.prefix = {kBos};
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "deepseek3";
        s.user = {text("<\xEF\xBD\x9CUser\xEF\xBD\x9C>{{content}}<\xEF\xBD\x9C"
                       "Assistant\xEF\xBD\x9C>")};
        s.prefix = {kBos};
        v.push_back(s);
        s.name = "deepseekr1";
        s.cls = TemplateClass::Reasoning;
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "default";
        s.user = {text("Human: {{content}}"), kEos, text("\nAssistant:")};
        s.assistant = {text("{{content}}"), kEos, text("\n")};
        s.system = {text("System: {{content}}"), kEos, text("\n")};
        s.replaceJinja = true;
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "empty";
        s.assistant = {text("{{content}}")};
        v.push_back(s);
    }
    v.push_back(gemmaLike("gemma", {"<end_of_turn>"}, false, true));
    v.push_back(gemmaLike("gemma2", {"<eos>", "<end_of_turn>"}, true, false));
    v.push_back(gemmaLike("gemma3", {"<end_of_turn>"}, false, true));
    {
        Spec s;
        s.name = "glm4";
        s.user = {text("<|user|>\n{{content}}<|assistant|>")};
        s.assistant = {text("\n{{content}}")};
        s.system = {text("<|system|>\n{{content}}")};
        s.function = {text("{{content}}")};
        s.observation = {text("<|observation|>\n{{content}}<|assistant|>")};
        s.prefix = {text("[gMASK]<sop>")};
        s.stopWords = {"<|user|>", "<|observation|>"};
        s.efficientEos = true;
        s.tools = ToolFormat::Glm4;
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "llama2";
        s.user = {kBos, text("[INST] {{content}} [/INST]")};
        s.system = {text("<<SYS>>\n{{content}}\n<</SYS>>\n\n")};
        s.cls = TemplateClass::Llama2;
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "llama3";
        s.user = {text("<|start_header_id|>user<|end_header_id|>\n\n{{content}}<|eot_id|>"
                       "<|start_header_id|>assistant<|end_header_id|>\n\n")};
        s.assistant = {text("{{content}}<|eot_id|>")};
        s.system = {text("<|start_header_id|>system<|end_header_id|>\n\n{{content}}<|eot_id|>")};
        s.function = {text("{{content}}<|eot_id|>")};
        s.observation = {text("<|start_header_id|>ipython<|end_header_id|>\n\n{{content}}<|eot_id|>"
                              "<|start_header_id|>assistant<|end_header_id|>\n\n")};
        s.prefix = {kBos};
        s.stopWords = {"<|eot_id|>", "<|eom_id|>"};
        s.replaceEos = true;
        s.tools = ToolFormat::Llama3;
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "mistral";
        s.user = {text("[INST] {{content}}[/INST]")};
        s.assistant = {text(" {{content}}"), kEos};
        s.system = {text("{{content}}\n\n")};
        s.function = {text("[TOOL_CALLS] {{content}}"), kEos};
        s.observation = {text("[TOOL_RESULTS] {\"content\": {{content}}}[/TOOL_RESULTS]")};
        s.prefix = {kBos};
        s.cls = TemplateClass::Llama2;
        s.tools = ToolFormat::Mistral;
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "olmo";
        s.user = {text("<|user|>\n{{content}}<|assistant|>\n")};
        s.prefix = {kEos};
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "phi";
        s.user = {text("<|user|>\n{{content}}<|end|>\n<|assistant|>\n")};
        s.assistant = {text("{{content}}<|end|>\n")};
        s.system = {text("<|system|>\n{{content}}<|end|>\n")};
        s.stopWords = {"<|end|>"};
        s.replaceEos = true;
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "phi4";
        s.user = {text("<|im_start|>user<|im_sep|>{{content}}<|im_end|><|im_start|>assistant<|im_sep|>")};
        s.assistant = {text("{{content}}<|im_end|>")};
        s.system = {text("<|im_start|>system<|im_sep|>{{content}}<|im_end|>")};
        s.stopWords = {"<|im_end|>"};
        s.replaceEos = true;
        v.push_back(s);
    }
    v.push_back(
        qwenLike("qwen", "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.", TemplateClass::Plain));
    v.push_back(qwenLike("qwen3", "", TemplateClass::Reasoning));
    v.push_back(qwenLike("qwen3_nothink", "", TemplateClass::Plain));
    {
        Spec s;
        s.name = "vicuna";
        s.user = {text("USER: {{content}} ASSISTANT:")};
        s.defaultSystem = "A chat between a curious user and an artificial intelligence assistant. The assistant "
                          "gives helpful, detailed, and polite answers to the user's questions.";
        s.replaceJinja = true;
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "yi";
        s.user = {text(kChatmlUser)};
        s.assistant = {text(kChatmlAssistant)};
        s.system = {text(kChatmlSystem)};
        s.stopWords = {"<|im_end|>"};
        v.push_back(s);
    }
    {
        Spec s;
        s.name = "zephyr";
        s.user = {text("<|user|>\n{{content}}"), kEos, text("<|assistant|>\n")};
        s.system = {text("<|system|>\n{{content}}"), kEos};
        s.defaultSystem = "You are Zephyr, a helpful assistant.";
        v.push_back(s);
    }
    return v;
}

} // namespace

const std::vector<ChatTemplate>& templates()
{
    static const std::vector<ChatTemplate> kAll = [] {
        std::vector<ChatTemplate> all;
        for (const Spec& s : specs()) {
            all.push_back(finalize(s));
        }
        return all;
    }();
    return kAll;
}

Expected<ChatTemplate> findTemplate(std::string_view name)
{
    for (const auto& t : templates()) {
        if (t.name == name) {
            return t;
        }
    }
    std::string names;
    for (const auto& t : templates()) {
        names += (names.empty() ? "" : ", ") + t.name;
    }
    return makeError(ErrorCode::InvalidArgument, "unknown chat template '" + std::string(name) + "'",
                     "built-in templates: " + names);
}

} // namespace td::chat
