// SPDX-License-Identifier: Apache-2.0
// Lets a job on the worker thread hand results to a QObject on the GUI thread that may be destroyed while
// the job runs. The object clears the guard in its destructor; posts happen under the same mutex, so a post
// either reaches a living object (Qt drops it if the object dies before delivery) or is skipped.
#pragma once

#include <mutex>

#include <QMetaObject>
#include <QObject>

namespace td::jobs
{

template <class Owner>
class PostGuard
{
public:
    explicit PostGuard(Owner* owner) : m_owner(owner) {}

    /// Called from the owner's destructor.
    void release()
    {
        std::lock_guard lock(m_mutex);
        m_owner = nullptr;
    }

    /// Runs fn(owner) on the owner's thread later, unless the owner is gone by then.
    template <class Fn>
    void post(Fn fn)
    {
        std::lock_guard lock(m_mutex);
        if (m_owner) {
            Owner* owner = m_owner;
            QMetaObject::invokeMethod(owner, [owner, fn = std::move(fn)] { fn(owner); }, Qt::QueuedConnection);
        }
    }

private:
    std::mutex m_mutex;
    Owner* m_owner;
};

} // namespace td::jobs
