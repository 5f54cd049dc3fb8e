// SPDX-License-Identifier: Apache-2.0
// The registry of tunedesk-cli verbs: one file per verb (cmd_<verb>.cpp) plus one line in commands.cpp.
// Verb names and flags are interfaces that scripts rely on: never rename them.
#pragma once

#include <string>
#include <vector>

#include "core/common/error.h"

namespace td::cli
{

struct Command
{
    const char* name;
    const char* summary;
    int (*run)(int argc, char** argv); ///< argv[0] is the verb; returns the process exit code
};

const std::vector<Command>& commands();

/// Prints an error value the llm.c way ("error: ...\nhint: ...") to stderr; returns exit code 1
/// (2 for invalid arguments).
int reportError(const td::Error& error);

} // namespace td::cli
