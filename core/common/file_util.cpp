// SPDX-License-Identifier: Apache-2.0
#include "core/common/file_util.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace td
{

Expected<std::string> readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return makeError(ErrorCode::Io, "cannot read " + path.string());
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Status writeFileAtomic(const std::filesystem::path& path, const std::string& content)
{
    const auto tmp = std::filesystem::path(path.string() + ".tmp-" + std::to_string(::getpid()));
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            out.close();
            std::error_code ignored;
            std::filesystem::remove(tmp, ignored);
            return makeError(ErrorCode::Io, "cannot write " + path.string(),
                             "check that the folder is writable and the disk has free space");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        return makeError(ErrorCode::Io, "cannot replace " + path.string() + ": " + ec.message());
    }
    return {};
}

Status appendLine(const std::filesystem::path& path, const std::string& line)
{
    std::FILE* f = std::fopen(path.c_str(), "ab");
    if (f == nullptr) {
        return makeError(ErrorCode::Io, "cannot open " + path.string() + " for appending",
                         "check that the folder is writable");
    }
    const std::string data = line + "\n";
    const bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
    const bool closed = std::fclose(f) == 0;
    if (!ok || !closed) {
        return makeError(ErrorCode::Io, "cannot append to " + path.string(), "check free disk space");
    }
    return {};
}

Status ensureWritableDir(const std::filesystem::path& dir)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir)) {
        return makeError(ErrorCode::Io, "cannot create the output folder " + dir.string() + (ec ? ": " + ec.message() : std::string()),
                         "choose a folder you can write to");
    }
    const auto probe = dir / ".tunedesk-write-test";
    if (auto s = writeFileAtomic(probe, "ok"); !s) {
        return makeError(ErrorCode::Io, "the output folder " + dir.string() + " is not writable",
                         "choose a folder you can write to, or fix its permissions");
    }
    std::filesystem::remove(probe, ec);
    return {};
}

} // namespace td
