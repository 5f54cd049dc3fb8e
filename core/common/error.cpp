// SPDX-License-Identifier: Apache-2.0
#include "core/common/error.h"

namespace td
{

const char* errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidConfig: return "InvalidConfig";
    case ErrorCode::InvalidArgument: return "InvalidArgument";
    case ErrorCode::FileNotFound: return "FileNotFound";
    case ErrorCode::Io: return "Io";
    case ErrorCode::BadJson: return "BadJson";
    case ErrorCode::BadCheckpoint: return "BadCheckpoint";
    case ErrorCode::BadTokenizer: return "BadTokenizer";
    case ErrorCode::BadDataset: return "BadDataset";
    case ErrorCode::UnsupportedArchitecture: return "UnsupportedArchitecture";
    case ErrorCode::Unsupported: return "Unsupported";
    case ErrorCode::OutOfMemory: return "OutOfMemory";
    case ErrorCode::Backend: return "Backend";
    case ErrorCode::Cancelled: return "Cancelled";
    case ErrorCode::Internal: return "Internal";
    }
    return "Unknown";
}

std::string Error::toString() const
{
    std::string out = message;
    if (!hint.empty()) {
        out += "\nhint: ";
        out += hint;
    }
    return out;
}

Error Error::withContext(std::string_view phase) const
{
    Error copy = *this;
    copy.message = std::string(phase) + ": " + message;
    return copy;
}

} // namespace td
