// SPDX-License-Identifier: Apache-2.0
// Options shared by the model verbs (forward, generate, chat, bench generate): --model/--dtype/--device/
// --adapter loading, "1,2,3;4,5,6" id lists, and the thread setting.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "args.h"
#include "core/models/loader.h"

namespace td::cli
{

/// "1,2,3;4,5,6" → {{1,2,3},{4,5,6}}; InvalidArgument naming the bad piece.
Expected<std::vector<std::vector<std::int64_t>>> parseIdList(const std::string& text);

/// Loads --model DIR with --dtype (default `defaultDtype`), --device, --quantization_bit & co (the base
/// quantized; an adapter is then applied unmerged), then --adapter DIR if given.
Expected<models::LoadedModel> loadModelFromArgs(const Args& args, const std::string& defaultDtype);

/// Applies --threads N (intra-op threads) when given.
void applyThreads(const Args& args);

/// Option names the helpers above read (add them to a verb's withValue set).
/// quantization_bit, quantization_type, double_quantization and rope_scaling take LLaMA-Factory's values.
inline const char* const kModelOptions[] = {"model",           "dtype",          "device",
                                            "adapter",         "threads",        "quantization_bit",
                                            "quantization_type", "double_quantization", "rope_scaling"};

} // namespace td::cli
