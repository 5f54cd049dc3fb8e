// SPDX-License-Identifier: Apache-2.0
// The engine boundary: run a callable that may throw (torch throws c10::Error, std::bad_alloc, ...) and turn
// any exception into an Error value with a phase prefix. Used by JobRunner and by every public entry point
// that calls into torch, so no exception crosses a thread, a Qt slot or main().
#pragma once

#include <exception>
#include <functional>
#include <string_view>

#include "core/common/error.h"

namespace td
{

/// Converts the exception currently being handled into an Error (call only inside a catch block).
Error errorFromCurrentException(std::string_view phase);

/// Runs fn; returns its Status, or the Error made from whatever it threw.
Status guarded(std::string_view phase, const std::function<Status()>& fn);

} // namespace td
