// SPDX-License-Identifier: Apache-2.0
// Evaluation / prediction runs (core/eval/predict.h) end to end on the bundled demo model and the demo
// dataset: the run folder has LLaMA-Factory's files and keys, labels are the dataset's answers, batched greedy
// generation (left padding, a ragged last batch) gives exactly the tokens of one-prompt-at-a-time generation,
// the metrics are the means of the per-example scores, do_eval writes metrics only, bad arguments name the
// key, and a cancel keeps what was generated.
#include <fstream>
#include <set>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/data/data_pipeline.h"
#include "core/eval/metrics.h"
#include "core/eval/predict.h"
#include "core/infer/generator.h"
#include "core/models/layers.h"
#include "core/models/loader.h"
#include "core/models/lora.h"
#include "core/models/transformer.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/finetune_setup.h"
#include "core/train/run_files.h"
#include "core/train/train_args.h"
#include "core/train/trainer.h"
#include "tests/models/test_util.h"

namespace fs = std::filesystem;
using td::test::demoModel;
using td::test::scratchDir;
using td::test::sourceDir;

namespace
{

constexpr double kAdapterStd = 0.3;

fs::path demoData()
{
    return sourceDir() / "resources" / "demo" / "data";
}

/// A LoRA adapter for the demo model with large random weights. The demo model itself answers every prompt
/// with the same repeated token, which would make the batching comparison and the scores trivial; with this
/// adapter merged the answers depend on the prompt. Written once per process.
const fs::path& spicedAdapter()
{
    static const fs::path dir = [] {
        const fs::path d = scratchDir("eval", "spiced_adapter");
        auto loaded = td::models::loadModel(demoModel());
        EXPECT_TRUE(loaded.has_value());
        td::train::FinetuneArgs ft;
        ft.loraRank = 8;
        auto setup = td::train::setupFinetuning(*loaded->model, ft);
        EXPECT_TRUE(setup.has_value());
        at::NoGradGuard noGrad;
        auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
        for (auto& [name, linear] : loaded->model->linears()) {
            if (linear->lora().has_value()) {
                linear->lora()->bWeight.normal_(0.0, kAdapterStd, gen); // PEFT initialises B to zero
            }
        }
        EXPECT_TRUE(td::models::saveLoraAdapter(*loaded->model, *setup->lora, d).has_value());
        return d;
    }();
    return dir;
}

/// The Evaluate tab's arguments (llamaboard.md §1.11) sized for the demo model: 6 examples in batches of 4,
/// so the second batch is ragged; greedy so batching can be compared token by token.
nlohmann::json predictArgs(const fs::path& out)
{
    return {{"stage", "sft"},
            {"model_name_or_path", demoModel().string()},
            {"template", "qwen"},
            {"finetuning_type", "lora"},
            {"adapter_name_or_path", spicedAdapter().string()},
            {"dataset_dir", demoData().string()},
            {"eval_dataset", "demo_alpaca"},
            {"cutoff_len", 1024}, // the demo tokenizer has 320 tokens: Cyrillic and CJK take several per character
            {"max_samples", 6},
            {"per_device_eval_batch_size", 4},
            {"predict_with_generate", true},
            {"do_predict", true},
            {"do_sample", false},
            {"max_new_tokens", 8},
            {"top_p", 0.7},
            {"temperature", 0.95},
            {"seed", 42},
            {"output_dir", out.string()}};
}

std::vector<nlohmann::ordered_json> readJsonl(const fs::path& p)
{
    std::vector<nlohmann::ordered_json> lines;
    std::ifstream in(p);
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(nlohmann::ordered_json::parse(line));
    }
    return lines;
}

nlohmann::json readJson(const fs::path& p)
{
    std::ifstream in(p);
    return nlohmann::json::parse(in);
}

std::vector<std::string> keysOf(const nlohmann::ordered_json& j)
{
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) {
        keys.push_back(it.key());
    }
    return keys;
}

td::Expected<td::eval::PredictResult> predict(const nlohmann::json& mapping, const td::train::TrainHooks& hooks = {},
                                              const td::CancelToken* cancel = nullptr)
{
    auto args = td::train::parseTrainArgs(mapping);
    if (!args) {
        return tl::unexpected(args.error());
    }
    return td::eval::runPrediction(*args, hooks, cancel);
}

#define REQUIRE_SEGMENTER()                                                                                        \
    if (!td::eval::Segmenter::shared()) {                                                                          \
        GTEST_SKIP() << "jieba's dictionary is not installed (python3-jieba)";                                     \
    }

/// Greedy answers generated one prompt at a time with infer::generate, decoded as the run decodes them.
std::vector<std::string> referenceAnswers(const nlohmann::json& mapping)
{
    auto args = td::train::parseTrainArgs(mapping);
    EXPECT_TRUE(args.has_value());
    auto tokenizer = td::tok::loadTokenizer(demoModel());
    auto tmpl = td::chat::findTemplate("qwen");
    EXPECT_TRUE(tokenizer && tmpl);
    td::data::DataArgs d = args->data;
    d.dataset = d.evalDataset;
    d.evalDataset.clear();
    auto data = td::data::prepareData(d, td::data::Stage::Unsupervised, *tmpl, **tokenizer);
    EXPECT_TRUE(data.has_value()) << (data ? "" : data.error().message);
    auto loaded = td::models::loadModel(demoModel());
    EXPECT_TRUE(loaded.has_value());
    // Applied, not merged as the run does: merging must not change the greedy answers.
    EXPECT_TRUE(td::models::loadLoraAdapter(*loaded->model, spicedAdapter()).has_value());
    const auto stop = td::chat::stopTokenIds(*tmpl, **tokenizer);
    std::vector<std::string> answers;
    std::set<std::size_t> lengths;
    for (const auto& ex : data->train.examples) {
        td::infer::GenerationConfig cfg;
        cfg.maxNewTokens = 8;
        cfg.stopTokenIds.assign(stop.begin(), stop.end());
        cfg.padTokenId = *(*tokenizer)->padId();
        lengths.insert(ex.inputIds.size());
        auto r = td::infer::generate(*loaded->model, {std::vector<std::int64_t>(ex.inputIds.begin(), ex.inputIds.end())}, cfg);
        EXPECT_TRUE(r.has_value());
        std::vector<td::tok::TokenId> ids(r->tokens[0].begin(), r->tokens[0].end());
        if (!ids.empty() && std::find(stop.begin(), stop.end(), ids.back()) != stop.end()) {
            ids.pop_back();
        }
        answers.push_back((*tokenizer)->decode(ids, true).value_or("?"));
    }
    EXPECT_GT(lengths.size(), 1u) << "the prompts should differ in length, so batches need left padding";
    return answers;
}

} // namespace

TEST(Predict, WritesLlamaFactoryFilesAndMatchesUnbatchedGreedy)
{
    REQUIRE_SEGMENTER();
    const fs::path out = scratchDir("eval", "predict");
    const auto mapping = predictArgs(out);
    std::vector<td::JobProgress> progress;
    std::vector<nlohmann::json> hookLines;
    td::train::TrainHooks hooks;
    hooks.progress = [&](const td::JobProgress& p) { progress.push_back(p); };
    hooks.log = [&](const td::train::LogLine& line) { hookLines.push_back(line.toJson()); };
    auto r = predict(mapping, hooks);
    ASSERT_TRUE(r.has_value()) << r.error().message << " / " << r.error().hint;
    EXPECT_EQ(r->samples, 6);
    EXPECT_EQ(r->batches, 2);
    EXPECT_EQ(r->totalBatches, 2);
    EXPECT_FALSE(r->cancelled);
    ASSERT_FALSE(progress.empty());
    EXPECT_EQ(progress.back().phase, "predict");
    EXPECT_EQ(progress.back().current, 2);
    EXPECT_EQ(progress.back().total, 2);

    // generated_predictions.jsonl: prompt (special tokens kept), predict, label — in that order.
    const auto preds = readJsonl(out / "generated_predictions.jsonl");
    ASSERT_EQ(preds.size(), 6u);
    const auto rows = readJson(demoData() / "demo_alpaca.json");
    const auto reference = referenceAnswers(mapping);
    ASSERT_EQ(reference.size(), 6u);
    for (std::size_t i = 0; i < preds.size(); ++i) {
        EXPECT_EQ(keysOf(preds[i]), (std::vector<std::string>{"prompt", "predict", "label"}));
        const std::string prompt = preds[i]["prompt"];
        EXPECT_NE(prompt.find("<|im_start|>user\n" + rows[i]["instruction"].get<std::string>()), std::string::npos) << prompt;
        EXPECT_EQ(prompt.substr(prompt.size() - 22), "<|im_start|>assistant\n") << "the prompt ends at the answer";
        // The label is the answer as the template encodes it ("...<|im_end|>\n"), decoded without specials.
        EXPECT_EQ(preds[i]["label"].get<std::string>(), rows[i]["output"].get<std::string>() + "\n");
        EXPECT_EQ(preds[i]["predict"].get<std::string>(), reference[i]) << "example " << i;
    }

    // generated_scores.jsonl and the metrics: the means of the per-example scores.
    const auto scores = readJsonl(out / "generated_scores.jsonl");
    ASSERT_EQ(scores.size(), 6u);
    std::vector<td::eval::SampleScores> perExample;
    for (const auto& s : scores) {
        EXPECT_EQ(keysOf(s), (std::vector<std::string>{"bleu-4", "rouge-1", "rouge-2", "rouge-l"}));
        perExample.push_back({s["bleu-4"].get<double>(), s["rouge-1"].get<double>(), s["rouge-2"].get<double>(),
                              s["rouge-l"].get<double>()});
    }
    const auto mean = td::eval::meanScores(perExample);
    const auto results = readJson(out / "predict_results.json");
    EXPECT_DOUBLE_EQ(results["predict_bleu-4"].get<double>(), mean.bleu4);
    EXPECT_DOUBLE_EQ(results["predict_rouge-1"].get<double>(), mean.rouge1);
    EXPECT_DOUBLE_EQ(results["predict_rouge-2"].get<double>(), mean.rouge2);
    EXPECT_DOUBLE_EQ(results["predict_rouge-l"].get<double>(), mean.rougeL);
    for (const char* key : {"predict_runtime", "predict_samples_per_second", "predict_steps_per_second"}) {
        EXPECT_TRUE(results.contains(key)) << key;
    }
    EXPECT_EQ(results.size(), 7u) << results.dump();
    EXPECT_EQ(readJson(out / "all_results.json"), results);
    EXPECT_EQ(r->metrics, results);
    EXPECT_FALSE(fs::exists(out / "eval_results.json"));

    // trainer_log.jsonl: the reduced predict line (2 batches: only the final one), LLaMA-Factory's 5 keys.
    const auto log = readJsonl(out / "trainer_log.jsonl");
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(keysOf(log[0]), (std::vector<std::string>{"current_steps", "total_steps", "percentage", "elapsed_time",
                                                       "remaining_time"}));
    EXPECT_EQ(log[0]["current_steps"], 2);
    EXPECT_EQ(log[0]["total_steps"], 2);
    EXPECT_EQ(log[0]["percentage"], 100.0);
    // The hook gets the same line: the same five keys and values (no epoch).
    ASSERT_EQ(hookLines.size(), 1u);
    EXPECT_EQ(hookLines[0], nlohmann::json::parse(log[0].dump()));
    EXPECT_FALSE(hookLines[0].contains("epoch"));
    EXPECT_TRUE(fs::exists(out / "training_args.yaml"));
    EXPECT_TRUE(fs::exists(out / "running_log.txt"));
}

TEST(Predict, SamplingIsReproducibleWithTheSeed)
{
    REQUIRE_SEGMENTER();
    const fs::path first = scratchDir("eval", "sample_a");
    const fs::path second = scratchDir("eval", "sample_b");
    auto mapping = predictArgs(first);
    mapping["do_sample"] = true;
    mapping["max_samples"] = 4;
    ASSERT_TRUE(predict(mapping).has_value());
    mapping["output_dir"] = second.string();
    ASSERT_TRUE(predict(mapping).has_value());
    const auto a = readJsonl(first / "generated_predictions.jsonl");
    EXPECT_EQ(a.size(), 4u);
    EXPECT_EQ(a, readJsonl(second / "generated_predictions.jsonl"));
}

TEST(Predict, EvalWritesMetricsOnlyAndMergesAllResults)
{
    REQUIRE_SEGMENTER();
    const fs::path out = scratchDir("eval", "eval_only");
    {
        std::ofstream(out / "all_results.json") << R"({"train_loss": 1.5})"; // an earlier phase in this folder
    }
    auto mapping = predictArgs(out);
    mapping.erase("do_predict");
    mapping["do_eval"] = true;
    // The val_size split of `dataset` instead of eval_dataset: 20 rows, 20 % → 4 evaluation rows.
    mapping.erase("eval_dataset");
    mapping["dataset"] = "demo_alpaca";
    mapping["max_samples"] = 20;
    mapping["val_size"] = 0.2;
    auto r = td::train::runTraining(mapping); // the CLI's and the GUI's entry point dispatches to runPrediction
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->globalStep, 1);
    EXPECT_EQ(r->maxSteps, 1);
    EXPECT_FALSE(fs::exists(out / "generated_predictions.jsonl"));
    EXPECT_FALSE(fs::exists(out / "predict_results.json"));
    EXPECT_EQ(readJsonl(out / "generated_scores.jsonl").size(), 4u);
    const auto results = readJson(out / "eval_results.json");
    for (const char* key : {"eval_bleu-4", "eval_rouge-1", "eval_rouge-2", "eval_rouge-l", "eval_runtime",
                            "eval_samples_per_second", "eval_steps_per_second"}) {
        EXPECT_TRUE(results.contains(key)) << key;
    }
    const auto all = readJson(out / "all_results.json");
    EXPECT_EQ(all["train_loss"], 1.5);
    EXPECT_EQ(all["eval_bleu-4"], results["eval_bleu-4"]);
    EXPECT_FALSE(fs::exists(out / "adapter_model.safetensors")) << "an eval run trains nothing";
}

TEST(Predict, PhaseKeysAreParsed)
{
    std::vector<std::string> warnings;
    auto a = td::train::parseTrainArgs(predictArgs("/tmp/x"), &warnings);
    ASSERT_TRUE(a.has_value());
    EXPECT_TRUE(warnings.empty()) << warnings.front();
    EXPECT_TRUE(a->evalOnly());
    EXPECT_FALSE(a->generation.doSample);
    EXPECT_EQ(a->generation.maxNewTokens, 8);
    // Without any phase key a config trains (our configs and the Train tab never set do_train).
    auto t = td::train::parseTrainArgs(nlohmann::json{{"stage", "sft"}});
    ASSERT_TRUE(t.has_value());
    EXPECT_TRUE(t->doTrain);
    EXPECT_FALSE(t->evalOnly());
    EXPECT_TRUE(t->generation.doSample); // GeneratingArguments' defaults
    EXPECT_DOUBLE_EQ(t->generation.temperature, 0.95);
    EXPECT_DOUBLE_EQ(t->generation.topP, 0.7);
    EXPECT_EQ(t->generation.topK, 50);
    EXPECT_EQ(t->generation.maxNewTokens, 1024);
    auto both = td::train::parseTrainArgs(nlohmann::json{{"do_train", true}, {"do_eval", true}});
    ASSERT_TRUE(both.has_value());
    EXPECT_FALSE(both->evalOnly());
}

TEST(Predict, BadArgumentsNameTheKey)
{
    struct Case
    {
        nlohmann::json change;
        td::ErrorCode code;
        std::string key;
    };
    const std::vector<Case> cases = {
        {{{"predict_with_generate", false}}, td::ErrorCode::InvalidConfig, "predict_with_generate"},
        {{{"stage", "pt"}}, td::ErrorCode::InvalidConfig, "predict_with_generate"},
        {{{"do_train", true}}, td::ErrorCode::InvalidConfig, "predict_with_generate"},
        {{{"eval_dataset", nullptr}, {"dataset", "demo_alpaca"}}, td::ErrorCode::InvalidConfig, "eval_dataset"},
        {{{"val_size", 0.1}}, td::ErrorCode::InvalidConfig, "val_size"},
        {{{"num_beams", 4}}, td::ErrorCode::Unsupported, "num_beams"},
        {{{"do_sample", true}, {"temperature", 0}}, td::ErrorCode::InvalidConfig, "temperature"},
        {{{"top_p", 1.5}}, td::ErrorCode::InvalidConfig, "top_p"},
        {{{"max_new_tokens", 0}, {"max_length", 0}}, td::ErrorCode::InvalidConfig, "max_new_tokens"},
        {{{"do_sample", "sometimes"}}, td::ErrorCode::InvalidConfig, "do_sample"},
        {{{"do_predict", false}, {"do_eval", true}, {"predict_with_generate", false}}, td::ErrorCode::Unsupported,
         "predict_with_generate"},
    };
    const fs::path out = scratchDir("eval", "bad");
    for (const auto& c : cases) {
        auto mapping = predictArgs(out);
        for (auto it = c.change.begin(); it != c.change.end(); ++it) {
            mapping[it.key()] = it.value();
        }
        auto r = td::train::runTraining(mapping);
        ASSERT_FALSE(r.has_value()) << c.change.dump();
        EXPECT_EQ(r.error().code, c.code) << c.change.dump() << ": " << r.error().message;
        EXPECT_NE(r.error().message.find(c.key), std::string::npos) << c.change.dump() << ": " << r.error().message;
        EXPECT_FALSE(fs::exists(out / "generated_scores.jsonl")) << "refused before generating";
    }
}

TEST(Predict, CancelKeepsTheGeneratedPart)
{
    REQUIRE_SEGMENTER();
    const fs::path out = scratchDir("eval", "cancel");
    auto mapping = predictArgs(out);
    mapping["max_samples"] = 12;
    mapping["per_device_eval_batch_size"] = 2; // 6 batches
    td::CancelToken cancel;
    td::train::TrainHooks hooks;
    hooks.progress = [&](const td::JobProgress& p) {
        if (p.phase == "predict" && p.current == 2) {
            cancel.cancel();
        }
    };
    auto r = td::train::runTraining(mapping, hooks, &cancel);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_TRUE(r->cancelled);
    EXPECT_EQ(r->globalStep, 2);
    EXPECT_EQ(r->maxSteps, 6);
    EXPECT_EQ(readJsonl(out / "generated_predictions.jsonl").size(), 4u);
    EXPECT_EQ(readJsonl(out / "generated_scores.jsonl").size(), 4u);
    const auto results = readJson(out / "predict_results.json");
    EXPECT_TRUE(results.contains("predict_bleu-4"));
    const auto log = readJsonl(out / "trainer_log.jsonl");
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back()["current_steps"], 2);
    EXPECT_EQ(log.back()["total_steps"], 6);
}
