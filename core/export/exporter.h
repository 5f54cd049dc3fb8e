// SPDX-License-Identifier: Apache-2.0
// The export job: one entry point for the CLI (`tunedesk-cli export`) and the GUI's export job.
//
//   load base (float32, CPU) → attach + merge adapters (LoRA / rsLoRA / DoRA / PiSSA alike: W' = W + s·B·A,
//   DoRA rescaled) → write into a hidden staging folder next to export_dir → verify → rename to export_dir
//
// Verification reloads what was written (our safetensors loader, our GGUF reader, or base + the written
// adapter) and compares the logits of a fixed probe batch with the in-memory model whose weights were
// rounded exactly as the file stores them, so any difference is a writing or naming bug, not precision.
// The precision cost of the export dtype/quantization is reported separately (maxAbsDiffVsFp32).
// Nothing is renamed into place unless every step, verification included, succeeded; on error or
// cancellation the staging folder is removed and export_dir is left as it was.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/common/cancel.h"
#include "core/common/error.h"
#include "core/export/export_args.h"

namespace td::exporter
{

struct ExportProgress
{
    std::string phase;      ///< "loading", "merging", "writing", "verifying", "finishing"
    std::int64_t done = 0;
    std::int64_t total = 0; ///< 0 when unknown
};
using ProgressFn = std::function<void(const ExportProgress&)>;

struct Verification
{
    bool ran = false;
    bool passed = false;
    double maxAbsDiff = 0.0;       ///< reloaded export vs in-memory model with the stored rounding
    double tolerance = 0.0;        ///< pass when maxAbsDiff <= tolerance
    double maxAbsDiffVsFp32 = 0.0; ///< reloaded export vs the float32 merged model (precision cost)
    std::int64_t probeTokens = 0;
};

struct ExportReport
{
    std::filesystem::path outputDir;
    std::vector<std::filesystem::path> files; ///< relative to outputDir, sorted
    std::uint64_t bytes = 0;                  ///< sum of the file sizes
    std::string format;                       ///< hf | gguf | adapter
    std::string dtype;                        ///< float32 | bfloat16 | float16 | the GGUF type
    std::int64_t adaptersMerged = 0;
    bool valueHead = false;                   ///< a value_head file was copied next to the weights
    Verification verification;
    double seconds = 0.0;
    std::vector<std::string> warnings;

    std::string toJson() const;
};

Expected<ExportReport> runExport(const ExportArgs& args, const ProgressFn& progress = {},
                                 const CancelToken& cancel = {});

} // namespace td::exporter
