// SPDX-License-Identifier: Apache-2.0
// Qt-side value types for job signals. Torch-free PODs registered as metatypes so they travel through
// queued connections from the worker thread to the GUI thread.
#pragma once

#include <QMetaType>
#include <QString>

#include "core/common/error.h"
#include "core/common/job.h"

namespace td::jobs
{

struct JobProgressInfo
{
    QString phase;
    qint64 current = 0;
    qint64 total = 0; ///< 0 = unknown
    QString message;

    static JobProgressInfo fromEngine(const td::JobProgress& p);
};

struct JobOutcome
{
    bool ok = true;
    td::ErrorCode code = td::ErrorCode::Internal; ///< meaningful when !ok
    QString message;                              ///< engine detail (untranslated), shown under "Details"
    QString hint;

    bool cancelled() const { return !ok && code == td::ErrorCode::Cancelled; }
    static JobOutcome fromStatus(const td::Status& status);
};

} // namespace td::jobs

Q_DECLARE_METATYPE(td::jobs::JobProgressInfo)
Q_DECLARE_METATYPE(td::jobs::JobOutcome)
