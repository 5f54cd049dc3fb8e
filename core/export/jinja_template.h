// SPDX-License-Identifier: Apache-2.0
// A built-in chat template (LLaMA-Factory name) as the Jinja text that tokenizer_config.json's chat_template
// and GGUF's tokenizer.chat_template carry, built the way LLaMA-Factory's Template._get_jinja_template does:
// prefix, default system, system/user/assistant formatters with {{content}} turned into Jinja expressions,
// BOS/EOS slots as the tokenizer's literal token strings; llama2-style templates fold the system prompt into
// the first user turn. Templates with named-token slots have no Jinja form (Unsupported).
#pragma once

#include <string>

#include "core/common/error.h"
#include "core/tokenizer/chat_template.h"

namespace td::exporter
{

Expected<std::string> templateToJinja(const chat::ChatTemplate& t, const tok::Tokenizer& tok);

} // namespace td::exporter
