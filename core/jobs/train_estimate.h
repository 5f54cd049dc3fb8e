// SPDX-License-Identifier: Apache-2.0
// The Train tab's memory/work estimate: LLaMA-Factory arguments → plain numbers from the engine's
// estimateTrainingMemory (core/train/memory_estimate.h). Reads only the model's config.json (and
// /proc/meminfo), so it is cheap enough for the GUI thread. Torch-free header.
#pragma once

#include <QString>
#include <QVariantMap>

namespace td::jobs
{

struct TrainEstimate
{
    bool ok = false;          ///< false: no estimate (message says why: no model, unreadable config.json, ...)
    QString message;          ///< the engine's error message when !ok (untranslated)
    qint64 totalBytes = 0;    ///< estimated peak memory of the run
    qint64 availableBytes = -1; ///< what the run can use; -1 when unknown or not compared (GPU)
    qint64 weightBytes = 0;
    qint64 gradientBytes = 0;
    qint64 optimizerBytes = 0;
    qint64 activationBytes = 0;
    qint64 logitsBytes = 0;
    qint64 overheadBytes = 0;
    qint64 totalParams = 0;
    qint64 trainableParams = 0;
    double flopsPerStep = 0;
    bool gpu = false;         ///< device is cuda (GPU memory is not queried in this build)

    /// False only when the total is known to exceed what is available.
    bool fits() const { return availableBytes < 0 || totalBytes <= availableBytes; }
};

/// The estimate for a Train-tab argument map (the one TrainSession::start takes).
TrainEstimate estimateTraining(const QVariantMap& llamaFactoryArgs);

} // namespace td::jobs
