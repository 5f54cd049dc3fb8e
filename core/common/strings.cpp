// SPDX-License-Identifier: Apache-2.0
#include "core/common/strings.h"

namespace td
{

std::vector<std::string> splitCommaList(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const auto b = item.find_first_not_of(" \t\r\n");
        if (b != std::string::npos) {
            out.push_back(item.substr(b, item.find_last_not_of(" \t\r\n") - b + 1));
        }
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    return out;
}

} // namespace td
