// SPDX-License-Identifier: Apache-2.0
#include "core/common/file_util.h"

#include <fstream>
#include <sstream>

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

} // namespace td
