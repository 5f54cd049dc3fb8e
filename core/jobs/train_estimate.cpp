// SPDX-License-Identifier: Apache-2.0
#include "core/jobs/train_estimate.h"

#include <nlohmann/json.hpp>

#include "core/jobs/variant_json.h"
#include "core/train/memory_estimate.h"
#include "core/train/train_args.h"

namespace td::jobs
{

TrainEstimate estimateTraining(const QVariantMap& llamaFactoryArgs)
{
    TrainEstimate out;
    auto args = train::parseTrainArgs(argsToJson(llamaFactoryArgs));
    if (!args) {
        out.message = QString::fromStdString(args.error().message);
        return out;
    }
    if (args->modelNameOrPath.empty()) {
        out.message = QStringLiteral("no model");
        return out;
    }
    auto e = train::estimateTrainingMemory(*args);
    if (!e) {
        out.message = QString::fromStdString(e.error().message);
        return out;
    }
    out.ok = true;
    out.totalBytes = e->totalBytes;
    out.availableBytes = e->availableBytes ? *e->availableBytes : -1;
    out.weightBytes = e->weightBytes;
    out.gradientBytes = e->gradientBytes;
    out.optimizerBytes = e->optimizerBytes;
    out.activationBytes = e->activationBytes;
    out.logitsBytes = e->logitsBytes;
    out.overheadBytes = e->overheadBytes;
    out.totalParams = e->params.total;
    out.trainableParams = e->params.trainable;
    out.flopsPerStep = e->flopsPerStep;
    out.gpu = e->gpu;
    return out;
}

} // namespace td::jobs
