// SPDX-License-Identifier: Apache-2.0
// The one list of dataset formats. Adding a format = one file in formats/ + one line here.
#include "core/data/dataset_format.h"

namespace td::data
{

const std::vector<DatasetFormat>& datasetFormats()
{
    static const std::vector<DatasetFormat> kAll = {
        formats::kAlpaca,   // instruction/input/output, history, preference (ranking), KTO (kto_tag)
        formats::kSharegpt, // conversations with role tags, observation/function turns, tools
        formats::kOpenai,   // OpenAI messages with tool_calls and tool turns
        formats::kText,     // one text column, for pre-training
    };
    return kAll;
}

const DatasetFormat* findFormat(std::string_view id)
{
    for (const auto& f : datasetFormats()) {
        if (f.id == id) {
            return &f;
        }
    }
    return nullptr;
}

} // namespace td::data
