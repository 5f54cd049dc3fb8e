// SPDX-License-Identifier: Apache-2.0
#include "commands.h"

#include <cstdio>

namespace td::cli
{

int cmdInfo(int argc, char** argv);
int cmdTokenize(int argc, char** argv);
int cmdTemplate(int argc, char** argv);
int cmdBench(int argc, char** argv);
int cmdForward(int argc, char** argv);
int cmdGenerate(int argc, char** argv);
int cmdChat(int argc, char** argv);
int cmdPreview(int argc, char** argv);
int cmdExport(int argc, char** argv);
int cmdTrain(int argc, char** argv);

const std::vector<Command>& commands()
{
    // One line per verb. Keep names stable: they are a public interface.
    static const std::vector<Command> kAll = {
        {"info", "print versions, threads and devices as JSON", &cmdInfo},
        {"tokenize", "encode text with a model folder's tokenizer (ids, pieces, decoded)", &cmdTokenize},
        {"template", "render a conversation with a chat template", &cmdTemplate},
        {"bench", "machine-readable benchmarks (bench tokenize ...)", &cmdBench},
        {"forward", "write a model's logits for given token ids (safetensors)", &cmdForward},
        {"generate", "generate text or tokens from a prompt", &cmdGenerate},
        {"chat", "chat with a model in the terminal (streaming)", &cmdChat},
        {"preview", "show a dataset's rows, aligned records, rendered template and statistics", &cmdPreview},
        {"export", "merge adapters and write an HF folder, a GGUF file or a PEFT adapter (LLaMA-Factory keys)", &cmdExport},
        {"train", "train with a LLaMA-Factory YAML config (pt/sft; full, freeze, LoRA)", &cmdTrain},
    };
    return kAll;
}

int reportError(const td::Error& error)
{
    std::fprintf(stderr, "error: %s\n", error.message.c_str());
    if (!error.hint.empty()) {
        std::fprintf(stderr, "hint: %s\n", error.hint.c_str());
    }
    return error.code == td::ErrorCode::InvalidArgument ? 2 : 1;
}

} // namespace td::cli
