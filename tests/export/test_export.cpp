// SPDX-License-Identifier: Apache-2.0
// Export to Hugging Face folders and PEFT adapters (core/export): every fixture architecture with each of its
// fixture adapters is merged, written in several shards, read back by our loader and compared with the
// fixture's HF-computed logits; the shard index is checked for consistency; bad inputs give clear errors and
// leave nothing behind.
#include <fstream>
#include <set>

#include <unistd.h>

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../models/test_util.h"
#include "core/export/export_args.h"
#include "core/export/exporter.h"
#include "core/export/hf_export.h"
#include "core/models/loader.h"
#include "core/models/lora.h"
#include "core/models/tiny_model.h"
#include "core/models/transformer.h"
#include "core/tensor/safetensors.h"

namespace fs = std::filesystem;
using namespace td;

namespace
{

constexpr double kShardGb = 0.0002; // 200 kB: the ~800 kB fixtures export in several shards

nlohmann::json readJson(const fs::path& p)
{
    std::ifstream in(p);
    return nlohmann::json::parse(in);
}

/// No staging folders (".<name>.tmp-export-*") left in `dir`.
bool noStagingLeft(const fs::path& dir)
{
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().filename().string().find(".tmp-export-") != std::string::npos) {
            return false;
        }
    }
    return true;
}

at::Tensor forward(models::CausalLM& m, const at::Tensor& ids)
{
    at::NoGradGuard g;
    return m.forward(ids).to(at::kFloat);
}

/// Every tensor in exactly one shard, the weight map right, total_size the sum of the tensor bytes, shards
/// within the limit unless they hold a single tensor.
void checkShards(const fs::path& dir, std::uint64_t limit)
{
    const auto index = readJson(dir / "model.safetensors.index.json");
    const auto& map = index["weight_map"];
    std::set<std::string> files;
    for (auto it = map.begin(); it != map.end(); ++it) {
        files.insert(it.value().get<std::string>());
    }
    ASSERT_GE(files.size(), 2u) << "expected several shards";
    std::map<std::string, int> seen;
    std::uint64_t total = 0;
    std::size_t k = 0;
    for (const auto& f : files) {
        ++k;
        char expected[64];
        std::snprintf(expected, sizeof expected, "model-%05zu-of-%05zu.safetensors", k, files.size());
        EXPECT_EQ(f, expected);
        auto st = st::SafetensorsFile::open(dir / f);
        ASSERT_TRUE(st) << st.error().toString();
        std::uint64_t shardBytes = 0;
        for (const auto& t : (*st)->tensors()) {
            ++seen[t.name];
            EXPECT_EQ(map.value(t.name, std::string()), f) << t.name;
            shardBytes += t.end - t.begin;
        }
        EXPECT_TRUE(shardBytes <= limit || (*st)->tensors().size() == 1) << f << " holds " << shardBytes << " bytes";
        total += shardBytes;
    }
    EXPECT_EQ(seen.size(), map.size());
    for (const auto& [name, n] : seen) {
        EXPECT_EQ(n, 1) << name << " is in " << n << " shards";
    }
    EXPECT_EQ(index["metadata"]["total_size"].get<std::uint64_t>(), total);
}

exporter::ExportArgs hfArgs(const fs::path& model, const fs::path& adapter, const fs::path& out)
{
    exporter::ExportArgs a;
    a.modelPath = model;
    if (!adapter.empty()) {
        a.adapterPaths = {adapter};
    }
    a.exportDir = out;
    a.exportSizeGb = kShardGb;
    a.dtype = "float32";
    return a;
}

struct Case
{
    std::string arch;
    std::string adapter;
    std::string logitsKey;
};

} // namespace

TEST(Export, ShardPlanIsGreedyAndIsolatesOversizeTensors)
{
    const auto plan = exporter::planShards({10, 50, 5, 200, 1}, 60);
    const std::vector<std::vector<std::size_t>> expected = {{0, 1}, {2}, {3}, {4}};
    EXPECT_EQ(plan, expected);
    EXPECT_EQ(exporter::planShards({1, 2, 3}, 100).size(), 1u);
}

TEST(Export, MergedFixturesRoundTripThroughShardedFolders)
{
    std::vector<Case> cases;
    for (const char* arch : {"llama", "llama_rope_llama3", "mistral", "qwen2", "gemma", "gemma2", "phi3"}) {
        cases.push_back({arch, "lora_adapter", "merged_logits"});
        if (fs::exists(test::modelFixture(arch) / "lora_adapter_rslora")) {
            cases.push_back({arch, "lora_adapter_rslora", "rslora_logits"});
        }
        if (fs::exists(test::modelFixture(arch) / "lora_adapter_dora")) {
            cases.push_back({arch, "lora_adapter_dora", "dora_logits"});
        }
    }
    for (const auto& c : cases) {
        SCOPED_TRACE(c.arch + " + " + c.adapter);
        const fs::path fixture = test::modelFixture(c.arch);
        const fs::path scratch = test::scratchDir("export", c.arch + "_" + c.adapter);
        const fs::path out = scratch / "merged";
        auto report = exporter::runExport(hfArgs(fixture, fixture / c.adapter, out));
        ASSERT_TRUE(report) << report.error().toString();
        EXPECT_TRUE(report->verification.passed);
        EXPECT_EQ(report->verification.maxAbsDiff, 0.0);
        EXPECT_EQ(report->adaptersMerged, 1);
        EXPECT_TRUE(noStagingLeft(scratch));
        checkShards(out, static_cast<std::uint64_t>(kShardGb * 1e9));

        const auto config = readJson(out / "config.json");
        EXPECT_EQ(config["torch_dtype"], "float32");
        auto ref = st::SafetensorsFile::open(fixture / "reference.safetensors");
        ASSERT_TRUE(ref);
        models::LoadOptions lo;
        lo.dtype = "fp32";
        lo.device = "cpu";
        auto loaded = models::loadModel(out, lo);
        ASSERT_TRUE(loaded) << loaded.error().toString();
        // Tied models keep tie_word_embeddings and carry no lm_head.weight.
        const auto index = readJson(out / "model.safetensors.index.json");
        EXPECT_EQ(config["tie_word_embeddings"].get<bool>(), loaded->config.tie_word_embeddings);
        EXPECT_EQ(index["weight_map"].contains("lm_head.weight"), !loaded->config.tie_word_embeddings);
        for (const auto& f : fs::directory_iterator(out)) {
            EXPECT_EQ(f.path().filename().string().find("lora"), std::string::npos) << f.path();
        }
        const at::Tensor logits = forward(*loaded->model, *ref->get()->tensor("input_ids"));
        EXPECT_TRUE(test::allClose(logits, *ref->get()->tensor(c.logitsKey), 2e-5, 1e-5));
        EXPECT_TRUE(fs::exists(out / "tokenizer.json"));
        EXPECT_TRUE(fs::exists(out / "generation_config.json"));
    }
}

TEST(Export, PissaAdapterMergesBackOntoItsResidualBase)
{
    // PiSSA (fixture README): the base is saved with W_res = W - s·B·A and the adapter holds A, B; merging
    // gives W back, so the export's logits are the original model's. Layer 0's q_proj carries the fixture's
    // PiSSA tensors; every other weight is unchanged.
    const fs::path fixture = test::modelFixture("llama");
    const fs::path scratch = test::scratchDir("export", "pissa");
    auto ref = st::SafetensorsFile::open(fixture / "reference.safetensors");
    ASSERT_TRUE(ref);
    const std::string q = "model.layers.0.self_attn.q_proj";
    auto base = st::CheckpointReader::openFolder(fixture);
    ASSERT_TRUE(base);
    st::NamedTensors weights;
    for (const auto& name : base->names()) {
        weights.emplace_back(name, name == q + ".weight" ? *ref->get()->tensor("pissa_residual_weight") : *base->tensor(name));
    }
    fs::create_directories(scratch / "residual");
    ASSERT_TRUE(st::save(scratch / "residual" / "model.safetensors", weights));
    fs::copy_file(fixture / "config.json", scratch / "residual" / "config.json");
    fs::copy_file(fixture / "tokenizer.json", scratch / "residual" / "tokenizer.json");
    fs::create_directories(scratch / "pissa");
    ASSERT_TRUE(st::save(scratch / "pissa" / "adapter_model.safetensors",
                         {{"base_model.model." + q + ".lora_A.weight", *ref->get()->tensor("pissa_A")},
                          {"base_model.model." + q + ".lora_B.weight", *ref->get()->tensor("pissa_B")}}));
    std::ofstream(scratch / "pissa" / "adapter_config.json")
        << R"({"peft_type": "LORA", "r": 4, "lora_alpha": 8, "target_modules": ["q_proj"], "init_lora_weights": "pissa"})";

    auto report = exporter::runExport(hfArgs(scratch / "residual", scratch / "pissa", scratch / "out"));
    ASSERT_TRUE(report) << report.error().toString();
    models::LoadOptions lo;
    lo.dtype = "fp32";
    auto loaded = models::loadModel(scratch / "out", lo);
    ASSERT_TRUE(loaded) << loaded.error().toString();
    const at::Tensor logits = forward(*loaded->model, *ref->get()->tensor("input_ids"));
    EXPECT_TRUE(test::allClose(logits, *ref->get()->tensor("logits"), 2e-5, 1e-5));
}

TEST(Export, Bfloat16ExportStoresBf16AndVerifies)
{
    const fs::path fixture = test::modelFixture("qwen2");
    const fs::path out = test::scratchDir("export", "bf16") / "out";
    auto args = hfArgs(fixture, fixture / "lora_adapter", out);
    args.dtype = "auto"; // float32 checkpoint → bfloat16, as LLaMA-Factory
    args.exportSizeGb = 5;
    auto report = exporter::runExport(args);
    ASSERT_TRUE(report) << report.error().toString();
    EXPECT_EQ(report->dtype, "bfloat16");
    EXPECT_TRUE(report->verification.passed);
    EXPECT_GT(report->verification.maxAbsDiffVsFp32, 0.0);
    EXPECT_FALSE(fs::exists(out / "model.safetensors.index.json")); // one shard: plain model.safetensors
    auto st = st::SafetensorsFile::open(out / "model.safetensors");
    ASSERT_TRUE(st);
    for (const auto& t : (*st)->tensors()) {
        EXPECT_EQ(t.dtype, "BF16") << t.name;
    }
    EXPECT_EQ(readJson(out / "config.json")["torch_dtype"], "bfloat16");
}

TEST(Export, ChatTemplateIsWrittenInJinjaForm)
{
    const fs::path fixture = test::modelFixture("llama");
    const fs::path out = test::scratchDir("export", "template") / "out";
    auto args = hfArgs(fixture, {}, out);
    args.templateName = "chatml"; // LLaMA-Factory replaces the tokenizer's template for chatml
    auto report = exporter::runExport(args);
    ASSERT_TRUE(report) << report.error().toString();
    const std::string tmpl = readJson(out / "tokenizer_config.json")["chat_template"];
    EXPECT_NE(tmpl.find("{% for message in loop_messages %}"), std::string::npos) << tmpl;
    EXPECT_NE(tmpl.find("'<|im_start|>user\n' + content + '<|im_end|>\n<|im_start|>assistant\n'"), std::string::npos)
        << tmpl;
}

TEST(Export, AdapterAloneIsAPeftFolderThatReloads)
{
    const fs::path fixture = test::modelFixture("llama");
    const fs::path scratch = test::scratchDir("export", "adapter");
    // A reward-model adapter: the value head travels next to it.
    fs::copy(fixture / "lora_adapter_dora", scratch / "dora");
    std::ofstream(scratch / "dora" / "value_head.safetensors") << "value head bytes";
    auto args = hfArgs(fixture, scratch / "dora", scratch / "out");
    args.format = exporter::ExportFormat::Adapter;
    auto report = exporter::runExport(args);
    ASSERT_TRUE(report) << report.error().toString();
    EXPECT_TRUE(report->verification.passed);
    EXPECT_TRUE(report->valueHead);
    EXPECT_TRUE(fs::exists(scratch / "out" / "value_head.safetensors"));
    const auto cfg = readJson(scratch / "out" / "adapter_config.json");
    EXPECT_EQ(cfg["use_dora"], true);

    models::LoadOptions lo;
    lo.dtype = "fp32";
    auto base = models::loadModel(fixture, lo);
    ASSERT_TRUE(base);
    ASSERT_TRUE(models::loadLoraAdapter(*base->model, scratch / "out"));
    auto ref = st::SafetensorsFile::open(fixture / "reference.safetensors");
    const at::Tensor logits = forward(*base->model, *ref->get()->tensor("input_ids"));
    EXPECT_TRUE(test::allClose(logits, *ref->get()->tensor("dora_logits"), 2e-5, 1e-5));
}

TEST(Export, ValueHeadIsKeptApartFromMergedWeights)
{
    const fs::path fixture = test::modelFixture("llama");
    const fs::path scratch = test::scratchDir("export", "value_head");
    fs::copy(fixture / "lora_adapter", scratch / "rm");
    std::ofstream(scratch / "rm" / "value_head.safetensors") << "value head bytes";
    auto report = exporter::runExport(hfArgs(fixture, scratch / "rm", scratch / "out"));
    ASSERT_TRUE(report) << report.error().toString();
    EXPECT_TRUE(report->valueHead);
    EXPECT_TRUE(fs::exists(scratch / "out" / "value_head.safetensors"));
    EXPECT_FALSE(readJson(scratch / "out" / "model.safetensors.index.json")["weight_map"].contains("v_head.summary.weight"));
}

TEST(ExportErrors, NonEmptyExportDirIsRefusedAndUntouched)
{
    const fs::path fixture = test::modelFixture("llama");
    const fs::path scratch = test::scratchDir("export", "not_empty");
    fs::create_directories(scratch / "out");
    std::ofstream(scratch / "out" / "keep.txt") << "mine";
    auto report = exporter::runExport(hfArgs(fixture, fixture / "lora_adapter", scratch / "out"));
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::InvalidConfig);
    EXPECT_NE(report.error().message.find("not empty"), std::string::npos);
    EXPECT_FALSE(report.error().hint.empty());
    EXPECT_EQ(std::distance(fs::directory_iterator(scratch / "out"), fs::directory_iterator()), 1);
    EXPECT_TRUE(noStagingLeft(scratch));
}

TEST(ExportErrors, EmptyExportDirIsFilled)
{
    const fs::path fixture = test::modelFixture("llama");
    const fs::path scratch = test::scratchDir("export", "empty_dir");
    fs::create_directories(scratch / "out");
    auto report = exporter::runExport(hfArgs(fixture, {}, scratch / "out"));
    ASSERT_TRUE(report) << report.error().toString();
    EXPECT_TRUE(fs::exists(scratch / "out" / "config.json"));
}

TEST(ExportErrors, DiskFullLeavesNothingBehind)
{
    const fs::path fixture = test::modelFixture("llama");
    const fs::path scratch = test::scratchDir("export", "disk_full");
    for (auto format : {exporter::ExportFormat::Hf, exporter::ExportFormat::Gguf, exporter::ExportFormat::Adapter}) {
        SCOPED_TRACE(exporter::formatName(format));
        auto args = hfArgs(fixture, fixture / "lora_adapter", scratch / "out");
        args.format = format;
        args.ggufType = "f32";
        args.byteLimit = 300'000; // the merged fp32 model needs ~800 kB; the adapter ~100 kB plus tokenizer
        if (format == exporter::ExportFormat::Adapter) {
            args.byteLimit = 20'000;
        }
        auto report = exporter::runExport(args);
        ASSERT_FALSE(report);
        EXPECT_EQ(report.error().code, ErrorCode::Io);
        EXPECT_NE(report.error().message.find("no space left"), std::string::npos) << report.error().message;
        EXPECT_FALSE(report.error().hint.empty());
        EXPECT_FALSE(fs::exists(scratch / "out"));
        EXPECT_TRUE(noStagingLeft(scratch));
    }
}

TEST(ExportErrors, UnwritableParentIsAnIoError)
{
    if (::geteuid() == 0) {
        GTEST_SKIP() << "root ignores directory permissions";
    }
    const fs::path scratch = test::scratchDir("export", "read_only");
    fs::create_directories(scratch / "ro");
    fs::permissions(scratch / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    auto report = exporter::runExport(hfArgs(test::modelFixture("llama"), {}, scratch / "ro" / "out"));
    fs::permissions(scratch / "ro", fs::perms::owner_all);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::Io);
    EXPECT_FALSE(report.error().hint.empty());
}

TEST(ExportErrors, AdapterForAnotherBaseIsAShapeError)
{
    // The llama fixture's adapter (hidden 64) on a demo-shaped llama (hidden 128).
    const fs::path scratch = test::scratchDir("export", "wrong_base");
    auto cfg = models::tinyConfigJson("llama", models::TinyShape::demo());
    ASSERT_TRUE(cfg);
    ASSERT_TRUE(models::writeTinyModel(scratch / "other", *cfg, 7, "float32"));
    for (auto format : {exporter::ExportFormat::Hf, exporter::ExportFormat::Adapter}) {
        auto args = hfArgs(scratch / "other", test::modelFixture("llama") / "lora_adapter", scratch / "out");
        args.format = format;
        auto report = exporter::runExport(args);
        ASSERT_FALSE(report);
        EXPECT_EQ(report.error().code, ErrorCode::BadCheckpoint);
        EXPECT_NE(report.error().message.find("do not fit"), std::string::npos) << report.error().message;
        EXPECT_NE(report.error().hint.find("another base model"), std::string::npos) << report.error().hint;
        EXPECT_FALSE(fs::exists(scratch / "out"));
        EXPECT_TRUE(noStagingLeft(scratch));
    }
}

TEST(ExportErrors, CancelledExportLeavesNothing)
{
    const fs::path scratch = test::scratchDir("export", "cancel");
    CancelToken cancel;
    int calls = 0;
    auto report = exporter::runExport(hfArgs(test::modelFixture("llama"), {}, scratch / "out"),
                                      [&](const exporter::ExportProgress& p) {
                                          if (p.phase == "writing" && ++calls == 1) {
                                              cancel.cancel();
                                          }
                                      },
                                      cancel);
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::Cancelled);
    EXPECT_FALSE(fs::exists(scratch / "out"));
    EXPECT_TRUE(noStagingLeft(scratch));
}

TEST(ExportArgs, LlamaFactoryKeysAndWarnings)
{
    const nlohmann::json j = {{"model_name_or_path", "m"},       {"adapter_name_or_path", "a, b"},
                              {"template", "qwen"},              {"finetuning_type", "lora"},
                              {"export_dir", "out"},             {"export_size", "2"},
                              {"export_device", "auto"},         {"export_legacy_format", false},
                              {"infer_dtype", "bf16"},           {"export_format", "gguf"},
                              {"export_gguf_type", "Q8_0"},      {"trust_remote_code", true},
                              {"export_colour", "blue"}};
    std::vector<std::string> warnings;
    auto a = exporter::parseExportArgs(j, &warnings);
    ASSERT_TRUE(a) << a.error().toString();
    EXPECT_EQ(a->adapterPaths, (std::vector<fs::path>{"a", "b"}));
    EXPECT_DOUBLE_EQ(a->exportSizeGb, 2.0);
    EXPECT_EQ(a->exportDevice, "cpu");
    EXPECT_EQ(a->dtype, "bfloat16");
    EXPECT_EQ(a->format, exporter::ExportFormat::Gguf);
    EXPECT_EQ(a->ggufType, "q8_0");
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_NE(warnings[0].find("export_colour"), std::string::npos);
    EXPECT_NE(warnings[1].find("trust_remote_code"), std::string::npos);

    for (const auto& [key, value] : std::vector<std::pair<std::string, nlohmann::json>>{
             {"export_size", -1}, {"export_format", "onnx"}, {"export_gguf_type", "q5_k"}, {"infer_dtype", "int8"},
             {"export_device", "cuda"}, {"export_legacy_format", true}}) {
        nlohmann::json bad = {{"model_name_or_path", "m"}, {"export_dir", "out"}};
        bad[key] = value;
        auto r = exporter::parseExportArgs(bad);
        ASSERT_FALSE(r) << key;
        EXPECT_FALSE(r.error().hint.empty()) << key;
    }
    auto missing = exporter::parseExportArgs(nlohmann::json{{"export_dir", "out"}});
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("model_name_or_path"), std::string::npos);
    auto fullWithAdapter = exporter::parseExportArgs(
        nlohmann::json{{"model_name_or_path", "m"}, {"export_dir", "o"}, {"adapter_name_or_path", "a"}, {"finetuning_type", "full"}});
    ASSERT_FALSE(fullWithAdapter);
}

TEST(ExportErrors, MissingModelFolder)
{
    const fs::path scratch = test::scratchDir("export", "missing_model");
    auto report = exporter::runExport(hfArgs(scratch / "nope", {}, scratch / "out"));
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, ErrorCode::FileNotFound);
    EXPECT_FALSE(report.error().hint.empty());
    EXPECT_TRUE(noStagingLeft(scratch));
}
