// SPDX-License-Identifier: Apache-2.0
// Translated titles for engine error codes. The engine never calls tr(): it returns an ErrorCode plus an
// untranslated detail; the UI shows the translated title and keeps the detail under "Details".
#pragma once

#include <QCoreApplication>
#include <QString>

#include "core/common/error.h"

namespace td::ui
{

class ErrorText
{
    Q_DECLARE_TR_FUNCTIONS(ErrorText)
public:
    /// A short translated sentence naming the kind of failure, e.g. "The model checkpoint is damaged."
    static QString title(td::ErrorCode code);
};

} // namespace td::ui
