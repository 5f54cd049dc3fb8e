// SPDX-License-Identifier: Apache-2.0
// Error values of the engine: what failed, with which file/key/value, and a hint for the user.
// Engine APIs return Expected<T>; exceptions may be thrown inside the engine (torch throws c10::Error)
// but are converted to Error at every job or API boundary (see core/common/guard.h).
// This header is torch-free and Qt-free: the UI includes it to map ErrorCode to translated text.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace td
{

/// Stable codes; the UI translates them, the engine never calls tr(). Append only (codes are logged).
enum class ErrorCode
{
    InvalidConfig,           ///< a config value or combination is wrong
    InvalidArgument,         ///< a CLI/API argument is malformed
    FileNotFound,            ///< a path does not exist
    Io,                      ///< read/write failed (permissions, disk full, ...)
    BadJson,                 ///< malformed JSON/YAML
    BadCheckpoint,           ///< corrupt or truncated safetensors, missing tensors
    BadTokenizer,            ///< tokenizer files missing or malformed
    BadDataset,              ///< dataset row/column problems
    UnsupportedArchitecture, ///< model_type not in the registry
    Unsupported,             ///< a feature this build or device does not provide
    OutOfMemory,             ///< allocation failed or the estimate does not fit
    Backend,                 ///< torch/BLAS error
    Cancelled,               ///< the user cancelled
    Internal,                ///< a bug: report it
};

/// Short machine-readable name, e.g. "BadCheckpoint".
const char* errorCodeName(ErrorCode code);

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    std::string message; ///< what failed, naming the path/key/value
    std::string hint;    ///< what the user can do about it (may be empty)

    /// "message\nhint: ..." in the style of llm.c, for CLI and logs.
    std::string toString() const;
    /// Returns a copy whose message is prefixed with a phase, e.g. "loading weights: ...".
    Error withContext(std::string_view phase) const;
};

template <class T>
using Expected = tl::expected<T, Error>;

/// Result of an operation that yields nothing.
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> makeError(ErrorCode code, std::string message, std::string hint = {})
{
    return tl::unexpected<Error>(Error{code, std::move(message), std::move(hint)});
}

} // namespace td
