// SPDX-License-Identifier: Apache-2.0
// Named spdlog loggers per area ("engine.loader", "engine.train", "engine.data", "jobs", "ui", "cli").
// All share the sinks installed by setup(): an optional rotating file, optional stderr, and always the ring
// buffer the UI reads (log_ring.h). Usage: td::log::get("engine.loader")->info("loaded {} tensors", n);
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

#include "core/common/log_ring.h"

namespace td::log
{

struct Setup
{
    std::filesystem::path file;          ///< rotating log file; empty = none
    std::size_t maxFileBytes = 5 * 1024 * 1024;
    std::size_t maxFiles = 3;
    bool toStderr = false;
    Level level = Level::Info;
    std::size_t ringCapacity = 5000;     ///< lines kept for the UI
};

/// Installs the sinks for every logger (existing and future). Safe to call again to change them.
/// Returns false (and keeps stderr/ring) when the log file cannot be opened; `error` says why.
bool setup(const Setup& setup, std::string* error = nullptr);

/// The logger for an area; created on first use with the current sinks.
std::shared_ptr<spdlog::logger> get(std::string_view area);

} // namespace td::log
