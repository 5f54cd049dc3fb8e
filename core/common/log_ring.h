// SPDX-License-Identifier: Apache-2.0
// The in-memory tail of the engine's log, for the UI's log dock. spdlog writes into a lock-protected ring
// buffer (a sink installed by log::setup); the UI polls it on a timer. Polling a ring is safer than a sink
// that writes into a widget: the widget may be gone while the engine still logs. Torch-free, spdlog-free.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace td::log
{

enum class Level
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Critical,
};

struct LogLine
{
    std::uint64_t seq = 0;       ///< increasing, never reused; poll with the last seen value
    std::int64_t msecsSinceEpoch = 0;
    Level level = Level::Info;
    std::string logger;          ///< area, e.g. "engine.loader"
    std::string text;
};

/// Lines with seq > afterSeq still in the ring (oldest first), at most maxLines.
std::vector<LogLine> ringSince(std::uint64_t afterSeq, std::size_t maxLines = 2000);

/// The most recent `count` lines (for "show the log tail" in an error dialog).
std::vector<LogLine> ringTail(std::size_t count);

} // namespace td::log
