// SPDX-License-Identifier: Apache-2.0
// The export job (see exporter.h): inputs checked first, everything written into a staging folder, verified,
// then renamed into place. Every error is a td::Error; the staging folder never survives a failure.
#include "core/export/exporter.h"

#include <chrono>
#include <unistd.h>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/common/file_util.h"
#include "core/common/guard.h"
#include "core/common/log.h"
#include "core/export/gguf_export.h"
#include "core/export/gguf_reader.h"
#include "core/export/hf_export.h"
#include "core/export/jinja_template.h"
#include "core/models/loader.h"
#include "core/models/lora.h"
#include "core/models/transformer.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"

namespace td::exporter
{

namespace
{

namespace fs = std::filesystem;

/// Removes the staging folder unless the export was committed.
struct StagingGuard
{
    fs::path dir;
    bool committed = false;
    ~StagingGuard()
    {
        if (!committed && !dir.empty()) {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    }
};

Status checkInputs(const ExportArgs& a)
{
    if (!fs::is_directory(a.modelPath) || !fs::exists(a.modelPath / "config.json")) {
        return makeError(ErrorCode::FileNotFound,
                         "model_name_or_path '" + a.modelPath.string() + "' is not a model folder (no config.json)",
                         "give a Hugging Face model folder on disk; hub ids are not downloaded");
    }
    for (const auto& p : a.adapterPaths) {
        if (!fs::exists(p / "adapter_config.json")) {
            return makeError(ErrorCode::FileNotFound,
                             "adapter_name_or_path '" + p.string() + "' is not an adapter folder (no adapter_config.json)",
                             "give the folder a LoRA training run saved (adapter_config.json + adapter_model.safetensors)");
        }
    }
    std::error_code ec;
    if (fs::exists(a.exportDir, ec)) {
        if (!fs::is_directory(a.exportDir) || !fs::is_empty(a.exportDir, ec)) {
            return makeError(ErrorCode::InvalidConfig,
                             "export_dir '" + a.exportDir.string() + "' already exists and is not empty",
                             "choose a new folder, or empty this one first; an export never overwrites files");
        }
    }
    return {};
}

/// Two rows of 16 ids spread over the vocabulary (no tokenizer needed; the same for every run).
at::Tensor probeIds(std::int64_t vocab)
{
    std::vector<std::int64_t> ids;
    for (std::int64_t i = 0; i < 32; ++i) {
        ids.push_back((i * 7919 + 17) % vocab);
    }
    return at::tensor(ids, at::kLong).view({2, 16});
}

at::Tensor probeLogits(models::CausalLM& model, const at::Tensor& ids)
{
    at::NoGradGuard noGrad;
    return model.forward(ids.to(model.device())).to(at::kFloat).cpu();
}

Expected<std::int64_t> attachAdapter(models::CausalLM& model, const fs::path& dir)
{
    auto n = models::loadLoraAdapter(model, dir);
    if (!n) {
        Error e = n.error().withContext("adapter " + dir.string());
        if (e.hint.empty()) {
            e.hint = "the adapter was trained for another base model: check base_model_name_or_path in its "
                     "adapter_config.json";
        }
        return tl::unexpected(e);
    }
    return n;
}

c10::ScalarType exportDtype(const std::string& requested, const models::ModelConfig& config)
{
    if (requested == "float32") {
        return at::kFloat;
    }
    if (requested == "bfloat16") {
        return at::kBFloat16;
    }
    if (requested == "float16") {
        return at::kHalf;
    }
    // auto, as LLaMA-Factory: the checkpoint's dtype, except that float32 checkpoints are exported in bfloat16.
    return config.torch_dtype == "float16" ? at::kHalf : at::kBFloat16;
}

/// The Jinja chat template to write ("" = keep the tokenizer's own), plus the template GGUF should carry.
Expected<std::pair<std::string, std::string>> resolveChatTemplate(const ExportArgs& a, std::vector<std::string>& warnings)
{
    auto config = tok::loadTokenizerConfig(a.modelPath);
    const std::string existing = config ? config->chatTemplate : "";
    if (a.templateName.empty()) {
        return std::pair{std::string(), existing};
    }
    auto t = chat::findTemplate(a.templateName);
    if (!t) {
        return tl::unexpected(t.error().withContext("template"));
    }
    if (!existing.empty() && !t->replaceJinjaTemplate) {
        return std::pair{std::string(), existing};
    }
    auto tk = tok::loadTokenizer(a.modelPath);
    if (!tk) {
        return tl::unexpected(tk.error().withContext("reading the tokenizer"));
    }
    auto jinja = templateToJinja(*t, **tk);
    if (!jinja) {
        warnings.push_back("template '" + a.templateName + "' has no Jinja form (" + jinja.error().message +
                           "); the tokenizer's chat template is kept");
        return std::pair{std::string(), existing};
    }
    return std::pair{*jinja, *jinja};
}

Status checkCancel(const CancelToken& cancel)
{
    if (cancel.isCancelled()) {
        return makeError(ErrorCode::Cancelled, "export cancelled");
    }
    return {};
}

std::uint64_t folderBytes(const fs::path& dir)
{
    std::uint64_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) {
            n += e.file_size();
        }
    }
    return n;
}

Status verify(const at::Tensor& ref, const at::Tensor& ref32, const Expected<at::Tensor>& got, Verification& v)
{
    if (!got) {
        return tl::unexpected(got.error().withContext("verifying the export (reloading it)"));
    }
    v.ran = true;
    v.probeTokens = ref.size(0) * ref.size(1);
    v.maxAbsDiff = (*got - ref).abs().max().item<double>();
    v.maxAbsDiffVsFp32 = (*got - ref32).abs().max().item<double>();
    v.tolerance = 1e-4 * std::max(1.0, ref.abs().max().item<double>());
    v.passed = v.maxAbsDiff <= v.tolerance;
    if (!v.passed) {
        return makeError(ErrorCode::Internal,
                         "export verification failed: the reloaded export's logits differ from the merged model's by " +
                             std::to_string(v.maxAbsDiff) + " (tolerance " + std::to_string(v.tolerance) + ")",
                         "nothing was written to export_dir; please report this bug with the model's config.json");
    }
    return {};
}

Expected<at::Tensor> reloadHf(const fs::path& dir, const at::Tensor& ids)
{
    models::LoadOptions lo;
    lo.dtype = "fp32";
    lo.device = "cpu";
    auto m = models::loadModel(dir, lo);
    if (!m) {
        return tl::unexpected(m.error());
    }
    return probeLogits(*m->model, ids);
}

} // namespace

std::string ExportReport::toJson() const
{
    nlohmann::json files_ = nlohmann::json::array();
    for (const auto& f : files) {
        files_.push_back(f.string());
    }
    nlohmann::json j = {{"output_dir", outputDir.string()},
                        {"format", format},
                        {"dtype", dtype},
                        {"files", files_},
                        {"bytes", bytes},
                        {"adapters_merged", adaptersMerged},
                        {"value_head", valueHead},
                        {"seconds", seconds},
                        {"warnings", warnings},
                        {"verification",
                         {{"ran", verification.ran},
                          {"passed", verification.passed},
                          {"max_abs_diff", verification.maxAbsDiff},
                          {"tolerance", verification.tolerance},
                          {"max_abs_diff_vs_fp32", verification.maxAbsDiffVsFp32},
                          {"probe_tokens", verification.probeTokens}}}};
    return j.dump();
}

Expected<ExportReport> runExport(const ExportArgs& args, const ProgressFn& progressFn, const CancelToken& cancel)
{
    const auto t0 = std::chrono::steady_clock::now();
    auto progress = [&](const char* phase, std::int64_t done, std::int64_t total) {
        if (progressFn) {
            progressFn({phase, done, total});
        }
    };
    if (auto s = checkInputs(args); !s) {
        return tl::unexpected(s.error());
    }
    const fs::path target = fs::absolute(args.exportDir).lexically_normal();
    const fs::path parent = target.parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    StagingGuard staging;
    staging.dir = parent / ("." + target.filename().string() + ".tmp-export-" + std::to_string(::getpid()));
    fs::remove_all(staging.dir, ec);
    if (ec || !fs::create_directory(staging.dir, ec) || ec) {
        return makeError(ErrorCode::Io, "cannot create a folder in " + parent.string() + (ec ? ": " + ec.message() : ""),
                         "check that the parent of export_dir exists and is writable");
    }
    const fs::path& out = staging.dir;

    ExportReport report;
    report.outputDir = target;
    report.format = formatName(args.format);
    WriteBudget budget{args.byteLimit, 0};

    const Status body = guarded("export", [&]() -> Status {
        progress("loading", 0, 0);
        models::LoadOptions lo;
        lo.dtype = "fp32"; // merge in float32 whatever the checkpoint's dtype
        lo.device = args.exportDevice;
        lo.cancel = &cancel;
        lo.progress = [&](std::int64_t d, std::int64_t t) {
            progress("loading", d, t);
            return !cancel.isCancelled();
        };
        auto loaded = models::loadModel(args.modelPath, lo);
        if (!loaded) {
            return tl::unexpected(loaded.error());
        }
        models::CausalLM& model = *loaded->model;
        auto cfgText = readFile(args.modelPath / "config.json");
        if (!cfgText) {
            return tl::unexpected(cfgText.error());
        }
        const nlohmann::json sourceConfig = nlohmann::json::parse(*cfgText, nullptr, false);
        const at::Tensor ids = probeIds(loaded->config.vocab_size);
        auto tmpl = resolveChatTemplate(args, report.warnings);
        if (!tmpl) {
            return tl::unexpected(tmpl.error());
        }
        const auto& [chatTemplate, ggufTemplate] = *tmpl;
        if (auto s = checkCancel(cancel); !s) {
            return s;
        }

        if (args.format == ExportFormat::Adapter) {
            progress("merging", 0, 1);
            if (auto n = attachAdapter(model, args.adapterPaths[0]); !n) {
                return tl::unexpected(n.error());
            }
            report.adaptersMerged = 0;
            report.dtype = "float32";
            const at::Tensor ref = probeLogits(model, ids);
            auto lc = models::readLoraConfig(args.adapterPaths[0]);
            if (!lc) {
                return tl::unexpected(lc.error());
            }
            lc->base_model_name_or_path = args.modelPath.string();
            progress("writing", 0, 1);
            if (auto s = models::saveLoraAdapter(model, *lc, out); !s) {
                return s;
            }
            if (auto s = budget.reserve(folderBytes(out), out / "adapter_model.safetensors"); !s) {
                return s;
            }
            if (auto s = writeTokenizerFiles(args.modelPath, chatTemplate, out, &budget); !s) {
                return s;
            }
            auto vh = copyValueHead(args.adapterPaths[0], out, &budget);
            if (!vh) {
                return tl::unexpected(vh.error());
            }
            report.valueHead = *vh;
            if (args.verify) {
                progress("verifying", 0, 1);
                Expected<at::Tensor> got = [&]() -> Expected<at::Tensor> {
                    auto fresh = models::loadModel(args.modelPath, lo);
                    if (!fresh) {
                        return tl::unexpected(fresh.error());
                    }
                    if (auto n = models::loadLoraAdapter(*fresh->model, out); !n) {
                        return tl::unexpected(n.error());
                    }
                    return probeLogits(*fresh->model, ids);
                }();
                return verify(ref, ref, got, report.verification);
            }
            return {};
        }

        // Merged exports: fold every adapter in, in order.
        for (std::size_t i = 0; i < args.adapterPaths.size(); ++i) {
            progress("merging", static_cast<std::int64_t>(i), static_cast<std::int64_t>(args.adapterPaths.size()));
            if (auto n = attachAdapter(model, args.adapterPaths[i]); !n) {
                return tl::unexpected(n.error());
            }
            model.mergeLora();
            ++report.adaptersMerged;
        }
        if (auto s = checkCancel(cancel); !s) {
            return s;
        }
        const at::Tensor ref32 = probeLogits(model, ids);
        Expected<at::Tensor> got = at::Tensor();
        if (args.format == ExportFormat::Hf) {
            const c10::ScalarType dtype = exportDtype(args.dtype, loaded->config);
            report.dtype = models::dtypeName(dtype);
            HfWriteOptions wo;
            wo.dtype = dtype;
            wo.shardBytes = static_cast<std::uint64_t>(args.exportSizeGb * 1e9);
            wo.budget = &budget;
            wo.cancel = &cancel;
            wo.progress = [&](std::int64_t d, std::int64_t t) { progress("writing", d, t); };
            if (auto s = writeHfWeights(model, out, wo); !s) {
                return s;
            }
            if (auto s = writeHfConfig(sourceConfig, loaded->config.tie_word_embeddings, dtype, out, &budget); !s) {
                return s;
            }
            if (auto s = writeGenerationConfig(args.modelPath, sourceConfig, out, &budget); !s) {
                return s;
            }
            if (auto s = writeTokenizerFiles(args.modelPath, chatTemplate, out, &budget); !s) {
                return s;
            }
            if (!args.adapterPaths.empty()) {
                auto vh = copyValueHead(args.adapterPaths.back(), out, &budget);
                if (!vh) {
                    return tl::unexpected(vh.error());
                }
                report.valueHead = *vh;
            }
            if (!args.verify) {
                return {};
            }
            progress("verifying", 0, 1);
            at::NoGradGuard noGrad;
            for (auto& item : model.named_parameters()) {
                item.value().copy_(item.value().to(dtype).to(at::kFloat));
            }
            const at::Tensor ref = probeLogits(model, ids);
            return verify(ref, ref32, reloadHf(out, ids), report.verification);
        }

        // GGUF
        gguf::GgmlType type = gguf::GgmlType::F16;
        if (!gguf::parseGgmlType(args.ggufType, type)) {
            return makeError(ErrorCode::InvalidConfig, "unknown export_gguf_type '" + args.ggufType + "'",
                             "use f32, f16, bf16, q8_0 or q4_0");
        }
        report.dtype = gguf::ggmlTypeName(type);
        GgufExportOptions go;
        go.type = type;
        go.name = fs::absolute(args.modelPath).lexically_normal().filename().string();
        if (go.name.empty()) {
            go.name = fs::absolute(args.modelPath).lexically_normal().parent_path().filename().string();
        }
        go.tokenizerDir = args.modelPath;
        go.chatTemplate = ggufTemplate;
        go.budget = &budget;
        go.cancel = &cancel;
        go.progress = [&](std::int64_t d, std::int64_t t) { progress("writing", d, t); };
        const fs::path file = out / ("model-" + gguf::ggmlTypeName(type) + ".gguf");
        if (auto s = writeGguf(model, sourceConfig, file, go); !s) {
            return s;
        }
        if (!args.verify) {
            return {};
        }
        progress("verifying", 0, 1);
        if (auto s = roundTripGguf(model, type); !s) {
            return s;
        }
        const at::Tensor ref = probeLogits(model, ids);
        auto reloaded = gguf::loadGgufModel(file);
        if (!reloaded) {
            return verify(ref, ref32, tl::unexpected(reloaded.error()), report.verification);
        }
        return verify(ref, ref32, probeLogits(*reloaded->model, ids), report.verification);
    });
    if (!body) {
        return tl::unexpected(body.error());
    }
    if (auto s = checkCancel(cancel); !s) {
        return tl::unexpected(s.error());
    }

    progress("finishing", 0, 1);
    // Commit: an empty export_dir (checked above) is replaced; rename is atomic within one file system.
    if (fs::exists(target, ec)) {
        fs::remove(target, ec);
    }
    fs::rename(staging.dir, target, ec);
    if (ec) {
        return makeError(ErrorCode::Io, "cannot rename the finished export to " + target.string() + ": " + ec.message(),
                         "check that export_dir is not in use and its parent is writable");
    }
    staging.committed = true;
    for (const auto& e : fs::recursive_directory_iterator(target)) {
        if (e.is_regular_file()) {
            report.files.push_back(fs::relative(e.path(), target));
            report.bytes += e.file_size();
        }
    }
    std::sort(report.files.begin(), report.files.end());
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    log::get("engine.export")
        ->info("exported {} ({}) to {}: {} files, {} bytes, {:.1f} s, verification max diff {}", report.format,
               report.dtype, target.string(), report.files.size(), report.bytes, report.seconds,
               report.verification.maxAbsDiff);
    return report;
}

} // namespace td::exporter
