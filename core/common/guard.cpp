// SPDX-License-Identifier: Apache-2.0
#include "core/common/guard.h"

#include <new>
#include <stdexcept>

#include <c10/util/Exception.h>

#include "core/common/torch_compat.h"

namespace td
{

Error errorFromCurrentException(std::string_view phase)
{
    Error err;
    try {
        throw;
    } catch (const c10::Error& e) {
        if (compat::isOutOfMemory(e)) {
            err = {ErrorCode::OutOfMemory, e.what_without_backtrace(),
                   "lower the batch size or cutoff length, enable gradient checkpointing, or use LoRA/QLoRA"};
        } else {
            err = {ErrorCode::Backend, e.what_without_backtrace(), {}};
        }
    } catch (const std::bad_alloc&) {
        err = {ErrorCode::OutOfMemory, "out of host memory",
               "close other programs, lower the batch size or cutoff length, or use a smaller model"};
    } catch (const std::exception& e) {
        err = {ErrorCode::Internal, e.what(), "this is a bug in TuneDesk; please report it with the log"};
    } catch (...) {
        err = {ErrorCode::Internal, "unknown exception", "this is a bug in TuneDesk; please report it with the log"};
    }
    return phase.empty() ? err : err.withContext(phase);
}

Status guarded(std::string_view phase, const std::function<Status()>& fn)
{
    try {
        return fn();
    } catch (...) {
        return tl::unexpected<Error>(errorFromCurrentException(phase));
    }
}

} // namespace td
