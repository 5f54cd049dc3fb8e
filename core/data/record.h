// SPDX-License-Identifier: Apache-2.0
// The normalized dataset record every format converts into (LLaMA-Factory's `_prompt`, `_response`, `_system`,
// `_tools`, `_images`, `_videos`, `_audios`), plus where it came from so that errors and previews can name the
// file and row. Torch-free and JSON-free: the UI preview includes it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tokenizer/chat_template.h"

namespace td::data
{

using chat::Message;
using chat::Role;

/// Where a row came from: file path and 1-based row (for jsonl and txt the line number, for csv the record
/// number after the header, for a json array the element index + 1).
struct RowRef
{
    std::string file;
    int64_t row = 0;
    std::string describe() const; ///< "data.jsonl row 12"
};

/// One aligned example.
///  prompt:   odd number of messages (user, assistant, user, ...); the last one is on the user side.
///  response: 1 message for SFT, 2 for ranking ([chosen, rejected]), 2 for KTO ([answer, ""] when desirable,
///            ["", answer] when not), 0 for unsupervised data and pre-training text (text is prompt[0]).
struct Record
{
    std::vector<Message> prompt;
    std::vector<Message> response;
    std::string system;
    std::string tools; ///< JSON text of the tool list, "" when none
    std::vector<std::string> images;
    std::vector<std::string> videos;
    std::vector<std::string> audios;
    RowRef source;
    /// Non-empty when the converter rejected the row (roles that do not alternate, wrong message count):
    /// prompt and response are then empty and processors drop it, reporting this reason.
    std::string invalidReason;
};

/// A row that was skipped, and why ("data.json row 3: message 2 has role 'human' where ...").
struct DroppedRow
{
    RowRef source;
    std::string reason;
};

} // namespace td::data
