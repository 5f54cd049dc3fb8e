// SPDX-License-Identifier: Apache-2.0
// Choosing a built-in chat template for a model folder when the user did not name one: markers of the
// tokenizer's own Jinja chat_template first (they tell instruct variants apart), then config.json's
// model_type, then "empty" (LLaMA-Factory's fallback). The user's choice always overrides this.
#include <string>

#include "core/tokenizer/chat_template.h"

namespace td::chat
{
namespace
{

struct Marker
{
    const char* needle;
    const char* alsoNeeds; ///< a second needle, or nullptr
    const char* name;
};

// First match wins: more specific markers come first.
const Marker kMarkers[] = {
    {"<|im_sep|>", nullptr, "phi4"},
    {"<|im_start|>", "<think>", "qwen3"},
    {"<|im_start|>", "You are Qwen", "qwen"},
    {"<|im_start|>", nullptr, "chatml"},
    {"<|start_header_id|>", nullptr, "llama3"},
    {"<start_of_turn>", "<start_of_image>", "gemma3"},
    {"<start_of_turn>", nullptr, "gemma"},
    {"<\xEF\xBD\x9CUser\xEF\xBD\x9C>", "<think>", "deepseekr1"},
    {"<\xEF\xBD\x9CUser\xEF\xBD\x9C>", nullptr, "deepseek3"},
    {"<|START_OF_TURN_TOKEN|>", nullptr, "cohere"},
    {"[gMASK]", nullptr, "glm4"},
    {"<|user|>", "<|end|>", "phi"},
    {"[INST]", "<<SYS>>", "llama2"},
    {"[INST]", nullptr, "mistral"},
    {"### Instruction", nullptr, "alpaca"},
    {"USER:", "ASSISTANT:", "vicuna"},
};

struct TypeEntry
{
    const char* modelType;
    const char* name;
};

const TypeEntry kModelTypes[] = {
    {"qwen3", "qwen3"},
    {"qwen3_moe", "qwen3"},
    {"qwen2", "qwen"},
    {"qwen2_moe", "qwen"},
    {"llama", "llama3"},
    {"mistral", "mistral"},
    {"gemma", "gemma"},
    {"gemma2", "gemma2"},
    {"gemma3", "gemma3"},
    {"gemma3_text", "gemma3"},
    {"phi3", "phi"},
    {"cohere", "cohere"},
    {"olmo", "olmo"},
    {"glm4", "glm4"},
    {"deepseek_v3", "deepseek3"},
    {"yi", "yi"},
};

} // namespace

std::string autoSelectTemplate(const tok::TokenizerConfig& config)
{
    const std::string& jinja = config.chatTemplate;
    if (!jinja.empty()) {
        for (const auto& m : kMarkers) {
            if (jinja.find(m.needle) != std::string::npos &&
                (m.alsoNeeds == nullptr || jinja.find(m.alsoNeeds) != std::string::npos)) {
                return m.name;
            }
        }
    }
    for (const auto& e : kModelTypes) {
        if (config.modelType == e.modelType) {
            return e.name;
        }
    }
    return "empty";
}

} // namespace td::chat
