// SPDX-License-Identifier: Apache-2.0
// Qt values → JSON for the engine's argument parsers (parseTrainArgs, parseExportArgs), which take the same
// flat mapping a LLaMA-Factory YAML file gives. Numbers, bools, lists and maps keep their types.
#pragma once

#include <QVariant>
#include <QVariantMap>

#include <nlohmann/json_fwd.hpp>

namespace td::jobs
{

nlohmann::json variantToJson(const QVariant& value);
nlohmann::json argsToJson(const QVariantMap& args);

} // namespace td::jobs
