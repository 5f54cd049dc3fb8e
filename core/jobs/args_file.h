// SPDX-License-Identifier: Apache-2.0
// LLaMA-Factory argument files (training_args.yaml, the YAML that `llamafactory-cli train` takes): a flat map
// of argument names to scalars or lists. Read for "Load arguments" and files opened from the desktop;
// written atomically (temp file + rename) for "Save arguments" and "Preview command".
#pragma once

#include <QString>
#include <QVariantMap>

#include "core/common/error.h"

namespace td::jobs
{

/// Reads a YAML mapping; scalars become QString/qlonglong/double/bool, sequences QVariantList.
/// Errors: FileNotFound, BadJson (malformed YAML, or not a mapping) with the line number.
td::Expected<QVariantMap> readArgsFile(const QString& path);

/// Serialises to YAML in the given key order (LLaMA-Factory's own files list keys in a meaningful order).
QString argsToYaml(const QVariantMap& args, const QStringList& order = {});

/// Writes argsToYaml() atomically; the old file stays intact on any failure.
td::Status writeArgsFile(const QString& path, const QVariantMap& args, const QStringList& order = {});

} // namespace td::jobs
