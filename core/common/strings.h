// SPDX-License-Identifier: Apache-2.0
// Small string helpers shared by the argument readers. Torch-free, Qt-free.
#pragma once

#include <string>
#include <vector>

namespace td
{

/// "a, b,,c " → {"a", "b", "c"}: LLaMA-Factory's comma lists (dataset, lora_target, adapter_name_or_path),
/// items trimmed of blanks, empty items dropped.
std::vector<std::string> splitCommaList(const std::string& text);

} // namespace td
