// SPDX-License-Identifier: Apache-2.0
// The tokenizer.* keys of a GGUF file, from a Hugging Face tokenizer folder:
//   tokenizer.json BPE, byte-level (GPT-2 style)     → tokenizer.ggml.model "gpt2" + merges + pre-tokenizer name
//   tokenizer.json BPE with byte_fallback (Llama/Gemma/Mistral style) or tokenizer.model (SentencePiece)
//                                                    → tokenizer.ggml.model "llama" + scores
// plus token types, the bos/eos/unk/pad ids, add_bos/add_eos, and the Jinja chat template. The token list is
// padded with [PAD<i>] (type unused) up to the model's vocab_size, as llama.cpp's converter does.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/common/error.h"
#include "core/export/gguf_writer.h"

namespace td::gguf
{

/// llama.cpp token types (tokenizer.ggml.token_type).
enum class TokenType : std::int32_t
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
};

Expected<Metadata> vocabMetadata(const std::filesystem::path& tokenizerDir, std::int64_t modelVocab,
                                 const std::string& chatTemplate);

} // namespace td::gguf
