// SPDX-License-Identifier: Apache-2.0
// tunedesk-cli: the headless front end. Dispatches to the verbs in commands.cpp; no exception leaves main.
#include <cstdio>
#include <cstring>

#include "commands.h"
#include "core/common/guard.h"
#include "core/common/log.h"

namespace
{

void printUsage()
{
    std::printf("usage: tunedesk-cli <verb> [options]   (tunedesk-cli <verb> --help for a verb's options)\n\n"
                "verbs:\n");
    for (const auto& c : td::cli::commands()) {
        std::printf("  %-12s %s\n", c.name, c.summary);
    }
    std::printf("\n  --version    print the version\n  --help       print this help\n");
}

} // namespace

int main(int argc, char** argv)
{
    td::log::Setup logSetup;
    logSetup.toStderr = true;
    logSetup.level = td::log::Level::Warn;
    td::log::setup(logSetup);

    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        printUsage();
        return argc < 2 ? 2 : 0;
    }
    if (std::strcmp(argv[1], "--version") == 0) {
        std::printf("tunedesk-cli %s\n", TD_VERSION);
        return 0;
    }
    for (const auto& c : td::cli::commands()) {
        if (std::strcmp(argv[1], c.name) == 0) {
            int code = 1;
            const auto status = td::guarded(c.name, [&]() -> td::Status {
                code = c.run(argc - 1, argv + 1);
                return {};
            });
            return status ? code : td::cli::reportError(status.error());
        }
    }
    std::fprintf(stderr, "error: unknown verb '%s'\nhint: run tunedesk-cli --help for the list\n", argv[1]);
    return 2;
}
