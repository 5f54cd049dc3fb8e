// SPDX-License-Identifier: Apache-2.0
// The training loop end to end on a tiny llama with the demo dataset: loss goes down, a stopped-and-resumed
// run continues with exactly the losses of an uninterrupted one, run files have LlamaBoard's format, and bad
// input (arguments, adapters, unwritable output, full disk) gives clear errors without damaging earlier
// checkpoints.
#include <csignal>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include "core/common/file_util.h"
#include "core/models/lora.h"
#include "core/models/rms_norm_grad.h"
#include "core/models/transformer.h"
#include "core/train/finetune_setup.h"
#include "core/models/tiny_model.h"
#include "core/train/checkpoint.h"
#include "core/train/run_files.h"
#include "core/train/train_args.h"
#include "core/train/trainer.h"
#include "tests/models/test_util.h"

namespace fs = std::filesystem;
using td::test::modelFixture;
using td::test::scratchDir;
using td::test::sourceDir;

namespace
{

/// A small random llama (hidden 64, 2 layers, the fixtures' 320-token tokenizer) written once per process.
const fs::path& tinyModel()
{
    static const fs::path dir = [] {
        fs::path d = scratchDir("train", "tiny_model");
        td::models::TinyShape shape; // hidden 64, 2 layers, vocab 320
        shape.maxPositions = 512;
        auto config = td::models::tinyConfigJson("llama", shape);
        EXPECT_TRUE(config.has_value());
        auto s = td::models::writeTinyModel(d, *config, 7, "float32", modelFixture("llama"));
        EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().message);
        return d;
    }();
    return dir;
}

nlohmann::json baseArgs(const fs::path& out)
{
    return {{"stage", "sft"},
            {"do_train", true},
            {"model_name_or_path", tinyModel().string()},
            {"template", "qwen"},
            {"dataset_dir", (sourceDir() / "resources" / "demo" / "data").string()},
            {"dataset", "demo_alpaca"},
            {"cutoff_len", 96},
            {"max_samples", 48},
            {"finetuning_type", "lora"},
            {"lora_rank", 4},
            {"lora_dropout", 0.1}, // exercises the RNG state across a resume
            {"per_device_train_batch_size", 2},
            {"gradient_accumulation_steps", 2},
            {"learning_rate", 2e-3},
            {"lr_scheduler_type", "cosine"},
            {"warmup_steps", 2},
            {"max_steps", 20},
            {"logging_steps", 1},
            {"save_steps", 5},
            {"seed", 42},
            {"output_dir", out.string()}};
}

std::vector<double> collectLosses(const nlohmann::json& args, const td::CancelToken* cancel = nullptr,
                                  std::int64_t stopAt = -1, td::train::TrainResult* out = nullptr)
{
    std::vector<double> losses;
    td::train::TrainHooks hooks;
    hooks.onStep = [&](std::int64_t step, double loss) {
        losses.push_back(loss);
        if (step == stopAt && cancel != nullptr) {
            cancel->cancel();
        }
    };
    auto r = td::train::runTraining(args, hooks, cancel);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message + " / " + r.error().hint);
    if (r && out != nullptr) {
        *out = *r;
    }
    return losses;
}

std::vector<nlohmann::json> readJsonl(const fs::path& p)
{
    std::vector<nlohmann::json> lines;
    std::ifstream in(p);
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(nlohmann::json::parse(line));
    }
    return lines;
}

} // namespace

TEST(Trainer, StopAndResumeGivesTheSameLosses)
{
    const fs::path straight = scratchDir("train", "straight");
    const auto full = collectLosses(baseArgs(straight));
    ASSERT_EQ(full.size(), 20u);

    const fs::path split = scratchDir("train", "split");
    td::CancelToken cancel;
    td::train::TrainResult first;
    const auto part1 = collectLosses(baseArgs(split), &cancel, 10, &first);
    EXPECT_TRUE(first.cancelled);
    EXPECT_EQ(first.globalStep, 10);
    ASSERT_TRUE(fs::exists(split / "checkpoint-10" / "optimizer.safetensors"));
    ASSERT_TRUE(fs::exists(split / "adapter_model.safetensors")); // a stopped run is usable as it is

    // Start again on the same folder: LlamaBoard's rule resumes from the latest checkpoint.
    td::train::TrainResult second;
    const auto part2 = collectLosses(baseArgs(split), nullptr, -1, &second);
    EXPECT_EQ(second.resumedFromStep, 10);
    ASSERT_EQ(part1.size(), 10u);
    ASSERT_EQ(part2.size(), 10u);
    for (std::size_t i = 0; i < 10; ++i) {
        EXPECT_EQ(part1[i], full[i]) << "step " << i + 1;
        EXPECT_EQ(part2[i], full[10 + i]) << "step " << 11 + i; // bit-identical, not just close
    }
    // The resumed run appended to the same trainer_log.jsonl.
    const auto log = readJsonl(split / "trainer_log.jsonl");
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back()["current_steps"], 20);
}

/// Mean of the first and of the last five step losses.
std::pair<double, double> headAndTail(const std::vector<double>& losses)
{
    double head = 0;
    double tail = 0;
    for (std::size_t i = 0; i < 5; ++i) {
        head += losses[i] / 5;
        tail += losses[losses.size() - 1 - i] / 5;
    }
    return {head, tail};
}

TEST(Trainer, LossGoesDownOnTheDemoData)
{
    // The bundled demo model (random weights, written at build time) on the demo dataset: a small set seen
    // several times, which the model must start to memorise. Full fine-tuning can move the (tied) embeddings
    // and drops the loss far; LoRA leaves them frozen, and with random std-0.02 embeddings the reachable
    // logit range is small (about |E_row| * sqrt(C) = 2.6), so its threshold is lower.
    const char* bin = std::getenv("TD_BINARY_DIR");
    const fs::path demo = fs::path(bin ? bin : ".") / "demo" / "model";
    ASSERT_TRUE(fs::exists(demo / "config.json")) << "the build writes the demo model to " << demo;
    nlohmann::json args = baseArgs(scratchDir("train", "learns_full"));
    args["model_name_or_path"] = demo.string();
    args["finetuning_type"] = "full";
    args["max_steps"] = 40;
    args["learning_rate"] = 1e-3;
    args["max_samples"] = 16;
    args["save_steps"] = 1000;
    args.erase("lora_dropout");
    auto [head, tail] = headAndTail(collectLosses(args));
    EXPECT_LT(tail, 0.7 * head) << "full: first five steps " << head << ", last five " << tail;

    const fs::path out = scratchDir("train", "learns");
    args = baseArgs(out);
    args["model_name_or_path"] = demo.string();
    args["max_steps"] = 60;
    args["learning_rate"] = 3e-2;
    args["lora_rank"] = 8;
    args["lora_dropout"] = 0.0;
    args["max_samples"] = 16;
    args["save_steps"] = 1000;
    args["val_size"] = 0.25;
    args["eval_steps"] = 30;
    const auto losses = collectLosses(args);
    ASSERT_EQ(losses.size(), 60u);
    std::tie(head, tail) = headAndTail(losses);
    EXPECT_LT(tail, head - 0.15) << "lora: first five steps " << head << ", last five " << tail;

    // trainer_log.jsonl has LlamaBoard's keys; eval_loss lines appear every eval_steps.
    const auto log = readJsonl(out / "trainer_log.jsonl");
    int evalLines = 0;
    for (const auto& line : log) {
        for (const char* key : {"current_steps", "total_steps", "epoch", "percentage", "elapsed_time", "remaining_time"}) {
            EXPECT_TRUE(line.contains(key)) << key << " missing in " << line.dump();
        }
        evalLines += line.contains("eval_loss") ? 1 : 0;
        if (line.contains("loss")) {
            EXPECT_TRUE(line.contains("lr") && line.contains("throughput") && line.contains("total_tokens"));
        }
    }
    EXPECT_EQ(evalLines, 2);
    EXPECT_EQ(log.back()["total_steps"], 60);
    // The final adapter is a PEFT folder that loads back.
    auto cfg = td::models::readLoraConfig(out);
    ASSERT_TRUE(cfg.has_value());
    EXPECT_EQ(cfg->r, 8);
    EXPECT_TRUE(fs::exists(out / "tokenizer.json"));
    EXPECT_TRUE(fs::exists(out / "running_log.txt"));
    EXPECT_TRUE(fs::exists(out / "trainer_state.json"));
}

TEST(Trainer, FullAndFreezeSaveAModelFolder)
{
    for (const char* type : {"full", "freeze"}) {
        const fs::path out = scratchDir("train", std::string("type_") + type);
        nlohmann::json args = baseArgs(out);
        args["finetuning_type"] = type;
        args["freeze_trainable_layers"] = 1;
        args["max_steps"] = 4;
        args["learning_rate"] = 1e-3;
        args.erase("lora_rank");
        args.erase("lora_dropout");
        const auto losses = collectLosses(args);
        EXPECT_EQ(losses.size(), 4u) << type;
        EXPECT_TRUE(fs::exists(out / "model.safetensors")) << type;
        EXPECT_TRUE(fs::exists(out / "config.json")) << type;
        EXPECT_TRUE(fs::exists(out / "checkpoint-4" / "model.safetensors")) << type;
    }
}

TEST(Trainer, BadArgumentsAreClearErrors)
{
    const fs::path out = scratchDir("train", "bad_args");
    struct Case
    {
        const char* key;
        nlohmann::json value;
        const char* mention;
    };
    const Case cases[] = {
        {"learning_rate", -1.0, "learning_rate"},
        {"per_device_train_batch_size", 0, "per_device_train_batch_size"},
        {"lora_rank", 0, "lora_rank"},
        {"lora_dropout", 1.5, "lora_dropout"},
        {"lr_scheduler_type", "triangle", "triangle"},
        {"finetuning_type", "oft", "finetuning_type"},
        {"learning_rate", "fast", "learning_rate"},
        {"val_size", -0.5, "val_size"},
    };
    for (const auto& c : cases) {
        nlohmann::json args = baseArgs(out);
        args[c.key] = c.value;
        auto r = td::train::runTraining(args);
        ASSERT_FALSE(r.has_value()) << c.key;
        EXPECT_NE(r.error().message.find(c.mention), std::string::npos) << r.error().message;
    }
    // Streaming: a stream has no length (max_steps needed) and splits val_size as a row count.
    nlohmann::json streaming = baseArgs(out);
    streaming["streaming"] = true;
    streaming.erase("max_steps");
    auto noSteps = td::train::runTraining(streaming);
    ASSERT_FALSE(noSteps.has_value());
    EXPECT_NE(noSteps.error().message.find("max_steps"), std::string::npos) << noSteps.error().message;
    streaming["max_steps"] = 4;
    streaming["val_size"] = 0.1;
    auto fraction = td::train::runTraining(streaming);
    ASSERT_FALSE(fraction.has_value());
    EXPECT_NE(fraction.error().message.find("val_size"), std::string::npos) << fraction.error().message;

    // Unknown keys warn and do not stop the run's argument parsing.
    std::vector<std::string> warnings;
    nlohmann::json args = baseArgs(out);
    args["lora_rnak"] = 8;
    ASSERT_TRUE(td::train::parseTrainArgs(args, &warnings).has_value());
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("lora_rnak"), std::string::npos);
}

TEST(Trainer, OutputFolderThatCannotBeWritten)
{
    const fs::path dir = scratchDir("train", "not_writable");
    std::ofstream(dir / "a_file") << "x";
    auto r = td::train::runTraining(baseArgs(dir / "a_file" / "run")); // a file where a folder should be
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, td::ErrorCode::Io);
    EXPECT_NE(r.error().message.find("output folder"), std::string::npos) << r.error().message;
}

TEST(Trainer, AdapterOfAnotherBaseOrRankIsRefused)
{
    // Resume with another rank: the checkpoint's tensors do not fit.
    const fs::path out = scratchDir("train", "rank_change");
    nlohmann::json args = baseArgs(out);
    args["max_steps"] = 5;
    collectLosses(args);
    args["max_steps"] = 10;
    args["lora_rank"] = 8;
    args["resume_from_checkpoint"] = (out / "checkpoint-5").string();
    auto r = td::train::runTraining(args);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, td::ErrorCode::BadCheckpoint);
    EXPECT_NE(r.error().message.find("shape"), std::string::npos) << r.error().message;

    // An adapter trained on another base (the llama fixture's width differs from... the same width but the
    // demo tokenizer) — use a base of another width: hidden 32.
    const fs::path other = scratchDir("train", "other_base");
    td::models::TinyShape shape;
    shape.hidden = 32;
    shape.intermediate = 64;
    auto config = td::models::tinyConfigJson("llama", shape);
    ASSERT_TRUE(config.has_value());
    ASSERT_TRUE(td::models::writeTinyModel(other / "model", *config, 3, "float32", modelFixture("llama")).has_value());
    nlohmann::json wrong = baseArgs(scratchDir("train", "wrong_adapter"));
    wrong["model_name_or_path"] = (other / "model").string();
    wrong["adapter_name_or_path"] = out.string();
    r = td::train::runTraining(wrong);
    ASSERT_FALSE(r.has_value());
    EXPECT_FALSE(r.error().message.empty());
    EXPECT_NE(r.error().message.find("shape"), std::string::npos) << r.error().message;
}

TEST(Trainer, DiskFullDuringACheckpointKeepsThePreviousOne)
{
    const fs::path out = scratchDir("train", "disk_full");
    nlohmann::json args = baseArgs(out);
    args["max_steps"] = 10;
    td::train::TrainHooks hooks;
    // After checkpoint-5 exists, limit file sizes so the next checkpoint cannot be written (EFBIG is what a
    // full disk looks like to the writer: a short write).
    hooks.onStep = [&](std::int64_t step, double) {
        if (step == 6) {
            std::signal(SIGXFSZ, SIG_IGN);
            rlimit lim{};
            getrlimit(RLIMIT_FSIZE, &lim);
            lim.rlim_cur = 2048;
            setrlimit(RLIMIT_FSIZE, &lim);
        }
    };
    auto r = td::train::runTraining(args, hooks);
    rlimit lim{};
    getrlimit(RLIMIT_FSIZE, &lim);
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_FSIZE, &lim);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, td::ErrorCode::Io) << r.error().message;
    EXPECT_NE(r.error().message.find("checkpoint-10"), std::string::npos) << r.error().message;
    EXPECT_FALSE(fs::exists(out / "checkpoint-10"));
    EXPECT_TRUE(fs::exists(out / "checkpoint-5" / "adapter_model.safetensors"));
    for (const auto& e : fs::directory_iterator(out)) {
        EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
    }
    // The intact checkpoint still resumes.
    auto resumed = td::train::runTraining(args);
    ASSERT_TRUE(resumed.has_value()) << resumed.error().message;
    EXPECT_EQ(resumed->resumedFromStep, 5);
    EXPECT_EQ(resumed->globalStep, 10);
}

TEST(RunFiles, DurationsAndLogLinesUseLlamaBoardsFormat)
{
    EXPECT_EQ(td::train::formatDuration(41), "0:00:41");
    EXPECT_EQ(td::train::formatDuration(3723.9), "1:02:03");
    EXPECT_EQ(td::train::formatDuration(90061), "1 day, 1:01:01");
    EXPECT_EQ(td::train::formatDuration(2 * 86400 + 5), "2 days, 0:00:05");
    td::train::LogLine line;
    line.currentSteps = 5;
    line.totalSteps = 120;
    line.loss = 1.84234;
    line.lr = 4.98e-5;
    line.epoch = 0.1234;
    line.elapsedSeconds = 41;
    line.remainingSeconds = 943;
    line.throughput = 2310.554;
    line.totalTokens = 94720;
    const auto j = line.toJson();
    EXPECT_EQ(j["percentage"], 4.17);
    EXPECT_EQ(j["loss"], 1.8423);
    EXPECT_EQ(j["epoch"], 0.12);
    EXPECT_EQ(j["remaining_time"], "0:15:43");
    EXPECT_EQ(j["throughput"], 2310.55);
    EXPECT_FALSE(j.contains("eval_loss")); // absent values are omitted, not null

    // An eval/predict progress line: no epoch (nor loss, lr, ...), exactly LlamaBoard's five keys.
    td::train::LogLine progress;
    progress.currentSteps = 5;
    progress.totalSteps = 20;
    progress.elapsedSeconds = 10;
    progress.remainingSeconds = 30;
    const auto p = progress.toJson();
    EXPECT_EQ(p.dump(), R"({"current_steps":5,"elapsed_time":"0:00:10","percentage":25.0,"remaining_time":"0:00:30","total_steps":20})");
}

TEST(RmsNormTrain, MatchesTheElementwiseGraphInValueAndGradients)
{
    for (auto dtype : {at::kFloat, at::kBFloat16}) {
        at::manual_seed(5);
        const at::Tensor x0 = at::randn({3, 5, 16}).to(dtype);
        const at::Tensor w0 = (1 + 0.1 * at::randn({16})).to(dtype);
        const at::Tensor dy = at::randn({3, 5, 16}).to(dtype);
        auto run = [&](bool fused) {
            at::Tensor x = x0.clone().requires_grad_(true);
            at::Tensor w = w0.clone().requires_grad_(true);
            at::Tensor y;
            if (fused) {
                y = td::models::rmsNormTrain(x, w, 1e-6);
            } else {
                at::Tensor xf = x.to(at::kFloat);
                y = w * (xf * at::rsqrt(xf.pow(2).mean({-1}, true) + 1e-6)).to(dtype);
            }
            y.backward(dy);
            return std::tuple{y.detach(), x.grad(), w.grad()};
        };
        auto [y1, gx1, gw1] = run(true);
        auto [y2, gx2, gw2] = run(false);
        const double tol = dtype == at::kFloat ? 1e-5 : 2e-2;
        EXPECT_TRUE(td::test::allClose(y1, y2, 0, 0)); // the forward is the same computation
        EXPECT_TRUE(td::test::allClose(gx1, gx2, tol, tol)) << dtype;
        EXPECT_TRUE(td::test::allClose(gw1, gw2, tol, tol)) << dtype;
    }
}

TEST(ActivationCheckpointing, GivesTheGradientsOfThePlainGraph)
{
    // LoRA with dropout: the recomputed forward must draw the same dropout masks (RNG state restored).
    auto config = td::models::tinyConfigJson("llama", td::models::TinyShape{});
    ASSERT_TRUE(config.has_value());
    auto gradsOf = [&](bool checkpoint) {
        auto model = td::models::makeRandomModel(*config, 11);
        EXPECT_TRUE(model.has_value());
        td::train::FinetuneArgs ft;
        ft.loraRank = 4;
        ft.loraDropout = 0.2;
        auto setup = td::train::setupFinetuning(**model, ft);
        EXPECT_TRUE(setup.has_value());
        (*model)->train();
        at::manual_seed(3);
        const at::Tensor ids = at::randint(3, 320, {2, 12}, at::kLong);
        td::models::ForwardOptions fo;
        fo.checkpointLayers = checkpoint;
        at::Tensor logits = (*model)->forward(ids, fo);
        (logits.to(at::kFloat).pow(2).mean()).backward();
        std::vector<at::Tensor> grads;
        for (const auto& group : setup->groups) {
            for (const auto& [name, p] : group.params) {
                grads.push_back(p.grad().defined() ? p.grad().clone() : at::zeros_like(p));
            }
        }
        return std::pair{logits.detach(), grads};
    };
    auto [plainLogits, plain] = gradsOf(false);
    auto [ckptLogits, ckpt] = gradsOf(true);
    EXPECT_TRUE(td::test::allClose(ckptLogits, plainLogits, 0, 0));
    ASSERT_EQ(plain.size(), ckpt.size());
    ASSERT_FALSE(plain.empty());
    double nonzero = 0;
    for (std::size_t i = 0; i < plain.size(); ++i) {
        EXPECT_TRUE(td::test::allClose(ckpt[i], plain[i], 1e-7, 1e-5)) << "parameter " << i;
        nonzero += plain[i].abs().sum().item<double>();
    }
    EXPECT_GT(nonzero, 0.0);
}
