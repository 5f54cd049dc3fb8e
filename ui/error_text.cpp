// SPDX-License-Identifier: Apache-2.0
#include "ui/error_text.h"

namespace td::ui
{

QString ErrorText::title(td::ErrorCode code)
{
    switch (code) {
    case td::ErrorCode::InvalidConfig: return tr("The settings are not valid.");
    case td::ErrorCode::InvalidArgument: return tr("An argument is not valid.");
    case td::ErrorCode::FileNotFound: return tr("A file or folder was not found.");
    case td::ErrorCode::Io: return tr("Reading or writing a file failed.");
    case td::ErrorCode::BadJson: return tr("A JSON or YAML file is malformed.");
    case td::ErrorCode::BadCheckpoint: return tr("The model checkpoint is damaged or incomplete.");
    case td::ErrorCode::BadTokenizer: return tr("The tokenizer files are missing or malformed.");
    case td::ErrorCode::BadDataset: return tr("The dataset has a problem.");
    case td::ErrorCode::UnsupportedArchitecture: return tr("This model architecture is not supported.");
    case td::ErrorCode::Unsupported: return tr("This feature is not available here.");
    case td::ErrorCode::OutOfMemory: return tr("Out of memory.");
    case td::ErrorCode::Backend: return tr("The compute backend reported an error.");
    case td::ErrorCode::Cancelled: return tr("Aborted.");
    case td::ErrorCode::Internal: return tr("An internal error occurred.");
    }
    return tr("An internal error occurred.");
}

} // namespace td::ui
