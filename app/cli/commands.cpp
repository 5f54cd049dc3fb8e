// SPDX-License-Identifier: Apache-2.0
#include "commands.h"

#include <cstdio>

namespace td::cli
{

int cmdInfo(int argc, char** argv);

const std::vector<Command>& commands()
{
    // One line per verb. Keep names stable: they are a public interface.
    static const std::vector<Command> kAll = {
        {"info", "print versions, threads and devices as JSON", &cmdInfo},
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
