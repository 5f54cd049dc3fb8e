// SPDX-License-Identifier: Apache-2.0
// A cancel token shared between the thread that asks for cancellation (the UI, Ctrl-C) and the job that
// checks it between micro-batches and inside long loads. Copies share one flag. Torch-free, Qt-free.
#pragma once

#include <atomic>
#include <memory>

namespace td
{

class CancelToken
{
public:
    CancelToken() : m_flag(std::make_shared<std::atomic_bool>(false)) {}

    void cancel() const { m_flag->store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_flag->load(std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic_bool> m_flag;
};

} // namespace td
