// SPDX-License-Identifier: Apache-2.0
// `tunedesk-cli export CONFIG.yaml [key=value ...]`: llamafactory-cli export's argument file (same keys, plus
// export_format / export_gguf_type), merged adapter → HF folder, GGUF file or PEFT adapter folder. Progress
// goes to stderr, the result (human-readable, or JSON with --json) to stdout; errors as "error:/hint:".
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "core/common/yaml_json.h"
#include "core/export/export_args.h"
#include "core/export/exporter.h"

namespace td::cli
{

int cmdExport(int argc, char** argv)
{
    auto args = parseArgs(argc, argv, 1, {}, {"help", "json", "quiet"});
    if (!args) {
        return reportError(args.error());
    }
    if (args->has("help") || args->positional.empty()) {
        std::puts("usage: tunedesk-cli export CONFIG.yaml [key=value ...] [--json] [--quiet]\n"
                  "Merges adapters into a base model and writes it, like `llamafactory-cli export CONFIG.yaml`.\n"
                  "keys: model_name_or_path, adapter_name_or_path (a,b merges in order), template, finetuning_type,\n"
                  "      export_dir (must not exist or be empty), export_size (shard GB, default 5), export_device (cpu),\n"
                  "      infer_dtype / export_dtype (auto|float32|bfloat16|float16; auto: bfloat16 for float32 models),\n"
                  "      export_format (hf|gguf|adapter, default hf), export_gguf_type (f32|f16|bf16|q8_0|q4_0,\n"
                  "      default f16), export_verify (default true). key=value arguments override the file.");
        return args->positional.empty() && !args->has("help") ? 2 : 0;
    }
    auto j = readYamlMapping(args->positional[0]);
    if (!j) {
        return reportError(j.error());
    }
    for (std::size_t i = 1; i < args->positional.size(); ++i) {
        const std::string& kv = args->positional[i];
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) {
            return reportError({ErrorCode::InvalidArgument, "unexpected argument '" + kv + "'",
                                "overrides are written key=value, e.g. export_dir=out"});
        }
        (*j)[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    std::vector<std::string> warnings;
    auto exportArgs = exporter::parseExportArgs(*j, &warnings);
    for (const auto& w : warnings) {
        std::fprintf(stderr, "warning: %s\n", w.c_str());
    }
    if (!exportArgs) {
        return reportError(exportArgs.error());
    }
    const bool quiet = args->has("quiet");
    std::string lastPhase;
    auto progress = [&](const exporter::ExportProgress& p) {
        if (quiet || p.phase == lastPhase) {
            return;
        }
        lastPhase = p.phase;
        std::fprintf(stderr, "%s...\n", p.phase.c_str());
    };
    auto report = exporter::runExport(*exportArgs, progress);
    if (!report) {
        return reportError(report.error());
    }
    report->warnings.insert(report->warnings.begin(), warnings.begin(), warnings.end());
    if (args->has("json")) {
        std::puts(report->toJson().c_str());
        return 0;
    }
    std::printf("exported %s (%s) to %s: %zu files, %.2f MB in %.2f s\n", report->format.c_str(),
                report->dtype.c_str(), report->outputDir.c_str(), report->files.size(), report->bytes / 1e6,
                report->seconds);
    const auto& v = report->verification;
    if (v.ran) {
        std::printf("verification: %s (max logit diff %.3g, tolerance %.3g; vs float32 merged model %.3g)\n",
                    v.passed ? "pass" : "FAIL", v.maxAbsDiff, v.tolerance, v.maxAbsDiffVsFp32);
    } else {
        std::printf("verification: skipped (export_verify: false)\n");
    }
    return 0;
}

} // namespace td::cli
