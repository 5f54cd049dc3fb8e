// SPDX-License-Identifier: Apache-2.0
// The training loop (see trainer.h). Shapes: B = per_device_train_batch_size, T = longest row of the batch,
// V = vocab. One optimizer step = gradient_accumulation_steps micro-batches; the loss of a step is the sum
// of -log p over every target token of those micro-batches divided by their count (HF's num_items_in_batch),
// so accumulation gives the same gradient as one big batch.
#include "core/train/trainer.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>

#include "core/common/file_util.h"
#include "core/common/guard.h"
#include "core/common/yaml_json.h"
#include "core/data/token_cache.h"
#include "core/eval/predict.h"
#include "core/models/loader.h"
#include "core/models/transformer.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/batches.h"
#include "core/train/checkpoint.h"
#include "core/train/loss.h"
#include "core/train/memory_estimate.h"
#include "core/train/run_files.h"
#include "core/train/scheduler.h"
#include "core/train/train_args.h"
#include "core/train/train_step.h"

namespace td::train
{

namespace fs = std::filesystem;

namespace
{

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// Training is bound by matmuls, which gain from every logical CPU (hyper-threads included): on the 2-vCPU
/// reference machine 2 threads give 271 tokens/s against 177 with libtorch's default of one per physical
/// core. Decoding prefers the default, so the old count comes back when training ends. OMP_NUM_THREADS wins.
class TrainingThreads
{
public:
    TrainingThreads() : m_before(at::get_num_threads())
    {
        const unsigned logical = std::thread::hardware_concurrency();
        if (std::getenv("OMP_NUM_THREADS") == nullptr && logical > 0) {
            at::set_num_threads(static_cast<int>(logical));
        }
    }
    ~TrainingThreads() { at::set_num_threads(m_before); }
    TrainingThreads(const TrainingThreads&) = delete;
    TrainingThreads& operator=(const TrainingThreads&) = delete;

private:
    int m_before;
};

/// Everything the loop needs, gathered by prepare().
struct Run
{
    TrainArgs args;
    RunFiles files{fs::path()};
    std::shared_ptr<tok::Tokenizer> tokenizer;
    data::TrainData data;
    models::LoadedModel loaded;
    nlohmann::json modelConfig;
    FinetuneSetup setup;
    std::unique_ptr<Optimizer> optimizer;
    Schedule schedule;
    TrainerState state;
    c10::Device device = c10::Device(c10::kCPU);
    bool autocast = false;
    c10::ScalarType autocastDtype = at::kBFloat16;
    LossScaler scaler;
    std::int64_t padId = 0;
};

void say(const TrainHooks& hooks, RunFiles& files, const std::string& message)
{
    files.info(message);
    if (hooks.message) {
        hooks.message(message);
    }
}

void report(const TrainHooks& hooks, const char* phase, std::int64_t current, std::int64_t total, std::string message)
{
    if (hooks.progress) {
        hooks.progress(JobProgress{phase, current, total, std::move(message)});
    }
}

Status prepare(Run& run, const TrainHooks& hooks, const CancelToken* cancel)
{
    const TrainArgs& a = run.args;
    auto device = models::resolveDevice(a.device);
    if (!device) {
        return tl::unexpected(device.error());
    }
    run.device = *device;
    if (a.fp16 && !run.device.is_cuda()) {
        return makeError(ErrorCode::Unsupported, "fp16 training needs a CUDA device", "use bf16 on the CPU");
    }

    // Tokenizer, template, data (cached by content hash under the output folder's parent).
    report(hooks, "prepare", 0, 0, "tokenizer");
    auto tokenizer = tok::loadTokenizer(a.modelNameOrPath);
    if (!tokenizer) {
        return tl::unexpected(tokenizer.error());
    }
    run.tokenizer = *tokenizer;
    const std::string templateName =
        a.templateName == "auto" || a.templateName.empty() ? chat::autoSelectTemplate(run.tokenizer->config()) : a.templateName;
    auto tmpl = chat::findTemplate(templateName);
    if (!tmpl) {
        return tl::unexpected(tmpl.error());
    }
    run.padId = run.tokenizer->padId().value_or(run.tokenizer->eosId().value_or(0));
    report(hooks, "prepare", 0, 0, "dataset");
    data::DataArgs dataArgs = a.data;
    dataArgs.preprocess.cancel = cancel;
    auto stage = data::parseStage(a.stage);
    if (!stage) {
        return tl::unexpected(stage.error());
    }
    auto prepared = data::prepareDataCached(dataArgs, *stage, *tmpl, *run.tokenizer, a.modelNameOrPath,
                                            a.outputDir.parent_path() / ".tunedesk-cache");
    if (!prepared) {
        return tl::unexpected(prepared.error());
    }
    run.data = std::move(*prepared);
    if (run.data.train.examples.empty()) {
        return makeError(ErrorCode::BadDataset, "no usable training examples in " + a.data.dataset,
                         run.data.train.dropped.empty() ? "check the dataset file"
                                                        : "every row was dropped; preview the dataset to see why");
    }
    say(hooks, run.files, "training examples: " + std::to_string(run.data.train.examples.size()) +
                              (run.data.eval ? ", evaluation examples: " + std::to_string(run.data.eval->examples.size()) : ""));

    // Model: frozen weights in bf16 under bf16/pure_bf16 (LoRA, freeze), fp32 otherwise; trainable
    // parameters are made fp32 by setupFinetuning, and autocast runs the matmuls in bf16.
    const bool lowPrecision = a.bf16 || a.pureBf16 || a.fp16;
    const bool fullModel = a.finetune.finetuningType == "full";
    models::LoadOptions lo;
    lo.device = a.device;
    lo.dtype = !lowPrecision ? "fp32" : (fullModel && !a.pureBf16) ? "fp32" : a.fp16 ? "fp16" : "bf16";
    lo.cancel = cancel;
    lo.progress = [&](std::int64_t done, std::int64_t total) {
        report(hooks, "load", done, total, "loading weights");
        return cancel == nullptr || !cancel->isCancelled();
    };
    lo.modelArgs = a.model;                          // QLoRA base quantization, rope_scaling
    lo.modelMaxLength = a.data.preprocess.cutoffLen; // LLaMA-Factory's model_max_length in training
    auto loaded = models::loadModel(a.modelNameOrPath, lo);
    if (!loaded) {
        return tl::unexpected(loaded.error());
    }
    run.loaded = std::move(*loaded);
    if (a.model.quantized()) {
        say(hooks, run.files, "quantized the base model's decoder-layer weights to " + std::to_string(a.model.quantizationBit) +
                                  " bits (" + (a.model.quantizationBit == 8 ? std::string("int8") : a.model.quantizationType) +
                                  (a.model.quantizationBit == 4 && a.model.doubleQuantization ? ", double quantization" : "") + ")");
    }
    auto configText = readFile(a.modelNameOrPath / "config.json");
    run.modelConfig = configText ? nlohmann::json::parse(*configText, nullptr, false) : nlohmann::json::object();
    run.autocast = (a.bf16 || a.fp16) && !a.pureBf16;
    run.autocastDtype = a.fp16 ? at::kHalf : at::kBFloat16;
    run.scaler.enabled = a.fp16; // fp16 needs loss scaling; bf16 has fp32's exponent range

    auto setup = setupFinetuning(*run.loaded.model, a.finetune, cancel);
    if (!setup) {
        return tl::unexpected(setup.error());
    }
    run.setup = std::move(*setup);
    if (run.setup.lora) {
        run.setup.lora->base_model_name_or_path = a.modelNameOrPath.string();
    }
    say(hooks, run.files, "trainable params: " + std::to_string(run.setup.trainableCount) + " || all params: " +
                              std::to_string(run.setup.totalCount));

    auto optimizer = makeOptimizer(run.setup.groups, a.optimizer);
    if (!optimizer) {
        return tl::unexpected(optimizer.error());
    }
    run.optimizer = std::move(*optimizer);

    // Steps: HF counts optimizer updates per epoch as ceil(batches / accumulation).
    const auto n = static_cast<std::int64_t>(run.data.train.examples.size());
    const std::int64_t batchesPerEpoch = (n + a.trainBatchSize - 1) / a.trainBatchSize;
    run.state.stepsPerEpoch = std::max<std::int64_t>(1, (batchesPerEpoch + a.gradientAccumulation - 1) / a.gradientAccumulation);
    run.state.maxSteps = a.maxSteps > 0 ? a.maxSteps
                                        : static_cast<std::int64_t>(std::ceil(a.numTrainEpochs * static_cast<double>(run.state.stepsPerEpoch)));
    run.state.maxSteps = std::max<std::int64_t>(run.state.maxSteps, 1);
    auto kind = parseScheduler(a.lrSchedulerType);
    if (!kind) {
        return tl::unexpected(kind.error());
    }
    run.schedule.kind = *kind;
    run.schedule.baseLr = a.learningRate;
    run.schedule.totalSteps = run.state.maxSteps;
    run.schedule.warmupSteps = warmupSteps(a.warmupSteps, a.warmupRatio, run.state.maxSteps);
    return {};
}

/// Mean loss over the evaluation set (no gradients; each batch weighted by its target count).
double evaluate(Run& run)
{
    at::NoGradGuard noGrad;
    run.loaded.model->eval();
    const auto& examples = run.data.eval->examples;
    double sum = 0;
    std::int64_t count = 0;
    for (const auto& idx : epochBatches(static_cast<std::int64_t>(examples.size()), run.args.evalBatchSize, 0, 0, false)) {
        std::vector<const data::TokenizedExample*> rows;
        for (auto i : idx) {
            rows.push_back(&examples[static_cast<std::size_t>(i)]);
        }
        Batch batch = collate(rows, run.padId, run.device);
        AutocastScope ac(run.autocast, run.autocastDtype, run.device.type());
        models::ForwardOptions fo;
        fo.attentionMask = batch.attentionMask;
        LossSum ls = causalLmLossSum(run.loaded.model->forward(batch.inputIds, fo), batch.labels);
        sum += ls.sum.item<double>();
        count += ls.tokens;
    }
    run.loaded.model->train();
    return count > 0 ? sum / static_cast<double>(count) : 0.0;
}

SaveContent saveContent(Run& run, bool withOptimizer)
{
    SaveContent c;
    c.model = run.loaded.model.get();
    c.setup = &run.setup;
    c.modelConfig = run.modelConfig;
    c.tokenizerSource = run.args.modelNameOrPath;
    c.optimizer = withOptimizer && !run.args.saveOnlyModel ? run.optimizer.get() : nullptr;
    c.state = &run.state;
    return c;
}

} // namespace

Expected<TrainResult> runTraining(const TrainArgs& args, const TrainHooks& hooks, const CancelToken* cancel)
{
    if (auto s = validateTrainArgs(args); !s) {
        return tl::unexpected(s.error());
    }
    if (args.evalOnly()) { // do_eval / do_predict without do_train: generate and score (core/eval/predict.h)
        return eval::runPrediction(args, hooks, cancel).map([](const eval::PredictResult& p) {
            TrainResult r; // steps = generation batches, as in the run's trainer_log.jsonl
            r.outputDir = p.outputDir;
            r.globalStep = p.batches;
            r.maxSteps = p.totalBatches;
            r.cancelled = p.cancelled;
            return r;
        });
    }
    // Peak memory from config.json alone: refuse before loading anything when it cannot fit (an unreadable
    // config is left to the loader to report).
    const auto estimate = estimateTrainingMemory(args);
    if (estimate && !estimate->fits() && !args.skipMemoryCheck) {
        return tl::unexpected(memoryError(*estimate));
    }
    auto resumeFrom = prepareOutputDir(args.outputDir, args.resumeFromCheckpoint, args.overwriteOutputDir);
    if (!resumeFrom) {
        return tl::unexpected(resumeFrom.error());
    }
    Run run;
    run.args = args;
    run.files = RunFiles(args.outputDir);
    (void)run.files.begin(args.overwriteOutputDir);
    if (!fs::exists(args.outputDir / "training_args.yaml") && !args.raw.empty()) {
        if (auto s = writeFileAtomic(args.outputDir / "training_args.yaml", toYaml(args.raw)); !s) {
            return tl::unexpected(s.error());
        }
    }
    if (estimate) {
        say(hooks, run.files, "estimated peak memory: " + formatGigabytes(estimate->totalBytes) +
                                  (estimate->availableBytes ? " of " + formatGigabytes(*estimate->availableBytes) + " available" : "") +
                                  (estimate->note.empty() ? "" : " (" + estimate->note + ")"));
    }
    at::manual_seed(args.seed);
    TrainingThreads threads; // every logical CPU while training (restored after)

    auto prepared = guarded("training setup", [&]() { return prepare(run, hooks, cancel); });
    if (!prepared) {
        run.files.error(prepared.error().message);
        return tl::unexpected(prepared.error());
    }
    TrainResult result;
    result.outputDir = args.outputDir;
    result.trainableParams = run.setup.trainableCount;
    result.totalParams = run.setup.totalCount;
    if (*resumeFrom) {
        Expected<TrainerState> restored = TrainerState{};
        auto status = guarded("resume", [&]() -> Status {
            restored = loadCheckpoint(**resumeFrom, *run.loaded.model, run.setup, run.optimizer.get());
            return restored ? Status{} : tl::unexpected(restored.error());
        });
        if (!status) {
            return tl::unexpected(status.error());
        }
        const std::int64_t maxSteps = run.state.maxSteps;
        const std::int64_t stepsPerEpoch = run.state.stepsPerEpoch;
        run.state = *restored;
        run.state.maxSteps = maxSteps;
        if (run.state.stepsPerEpoch != stepsPerEpoch) {
            return makeError(ErrorCode::InvalidConfig, "the checkpoint " + (*resumeFrom)->string() +
                                                           " was written with another dataset or batch size",
                             "resume with the arguments of the original run, or start a new output folder");
        }
        result.resumedFromStep = run.state.globalStep;
        say(hooks, run.files, "resuming from " + (*resumeFrom)->string() + " at step " + std::to_string(run.state.globalStep));
    }
    result.maxSteps = run.state.maxSteps;

    auto loop = guarded("training", [&]() -> Status {
        auto& model = *run.loaded.model;
        const auto& examples = run.data.train.examples;
        const TrainArgs& a = run.args;
        model.train();
        const auto t0 = Clock::now();
        const double elapsedBefore = run.state.elapsedSeconds;
        double lossSinceLog = 0;
        std::int64_t stepsSinceLog = 0;
        report(hooks, "train", run.state.globalStep, run.state.maxSteps, "training");
        std::int64_t batchesEpoch = -1; // the epoch `batches` was drawn for: one shuffle per epoch, not per step
        std::vector<std::vector<std::int64_t>> batches;
        while (run.state.globalStep < run.state.maxSteps) {
            const std::int64_t epoch = run.state.globalStep / run.state.stepsPerEpoch;
            const std::int64_t stepInEpoch = run.state.globalStep % run.state.stepsPerEpoch;
            if (epoch != batchesEpoch) {
                batches = epochBatches(static_cast<std::int64_t>(examples.size()), a.trainBatchSize, a.seed, epoch);
                batchesEpoch = epoch;
            }
            const auto first = static_cast<std::size_t>(stepInEpoch * a.gradientAccumulation);
            const auto last = std::min(batches.size(), first + static_cast<std::size_t>(a.gradientAccumulation));
            std::vector<Batch> micro;
            for (std::size_t bi = first; bi < last; ++bi) {
                std::vector<const data::TokenizedExample*> rows;
                for (auto i : batches[bi]) {
                    rows.push_back(&examples[static_cast<std::size_t>(i)]);
                }
                micro.push_back(collate(rows, run.padId, run.device));
            }
            StepOptions so;
            so.autocast = run.autocast;
            so.autocastDtype = run.autocastDtype;
            so.autocastDevice = run.device.type();
            so.scaler = &run.scaler;
            so.neftuneAlpha = a.neftuneNoiseAlpha.value_or(0.0);
            so.maxGradNorm = a.maxGradNorm;
            so.checkpointLayers = a.gradientCheckpointing;
            const double lr = run.schedule.lrAt(run.state.globalStep);
            const StepResult step = trainStep(model, micro, *run.optimizer, lr, so);
            const double stepLoss = step.loss;
            const double gradNorm = step.gradNorm;
            run.state.totalTokens += step.tokens;
            result.trainTokens += step.tokens;
            ++run.state.globalStep;
            run.state.epoch = static_cast<double>(run.state.globalStep) / static_cast<double>(run.state.stepsPerEpoch);
            result.lastLoss = stepLoss;
            lossSinceLog += stepLoss;
            ++stepsSinceLog;
            if (hooks.onStep) {
                hooks.onStep(run.state.globalStep, stepLoss);
            }
            if (!std::isfinite(stepLoss)) {
                return makeError(ErrorCode::Backend, "the loss became " + std::to_string(stepLoss) + " at step " +
                                                         std::to_string(run.state.globalStep),
                                 "lower learning_rate, enable max_grad_norm, or use bf16/fp32 instead of fp16");
            }

            const double elapsed = secondsSince(t0);
            run.state.elapsedSeconds = elapsedBefore + elapsed;
            const bool stopping = cancel != nullptr && cancel->isCancelled();
            const bool lastStep = run.state.globalStep == run.state.maxSteps;
            auto makeLine = [&]() {
                LogLine line;
                line.currentSteps = run.state.globalStep;
                line.totalSteps = run.state.maxSteps;
                line.epoch = run.state.epoch;
                line.elapsedSeconds = run.state.elapsedSeconds;
                const double perStep = elapsed / static_cast<double>(run.state.globalStep - result.resumedFromStep);
                line.remainingSeconds = perStep * static_cast<double>(run.state.maxSteps - run.state.globalStep);
                line.totalTokens = run.state.totalTokens;
                line.throughput = static_cast<double>(result.trainTokens) / std::max(elapsed, 1e-9);
                return line;
            };
            if (run.state.globalStep % a.loggingSteps == 0 || lastStep || stopping) {
                LogLine line = makeLine();
                line.loss = lossSinceLog / static_cast<double>(stepsSinceLog);
                line.lr = lr;
                line.gradNorm = gradNorm;
                lossSinceLog = 0;
                stepsSinceLog = 0;
                (void)run.files.appendLog(line);
                run.state.logHistory.push_back({{"step", line.currentSteps}, {"loss", *line.loss}, {"learning_rate", lr},
                                                {"grad_norm", gradNorm}, {"epoch", run.state.epoch}});
                if (hooks.log) {
                    hooks.log(line);
                }
                run.files.info(line.toJson().dump());
            }
            const bool evalNow = run.data.eval && !run.data.eval->examples.empty() &&
                                 ((a.evalStrategy == "steps" && run.state.globalStep % *a.evalSteps == 0) ||
                                  (a.evalStrategy == "epoch" && run.state.globalStep % run.state.stepsPerEpoch == 0) ||
                                  (a.evalStrategy != "no" && lastStep));
            if (evalNow) {
                report(hooks, "eval", run.state.globalStep, run.state.maxSteps, "evaluating");
                LogLine line = makeLine();
                line.evalLoss = evaluate(run);
                result.lastEvalLoss = line.evalLoss;
                (void)run.files.appendLog(line);
                run.state.logHistory.push_back({{"step", line.currentSteps}, {"eval_loss", *line.evalLoss}, {"epoch", run.state.epoch}});
                if (hooks.log) {
                    hooks.log(line);
                }
            }
            const bool saveNow = (a.saveStrategy == "steps" && run.state.globalStep % a.saveSteps == 0) ||
                                 (a.saveStrategy == "epoch" && run.state.globalStep % run.state.stepsPerEpoch == 0) ||
                                 (a.saveStrategy != "no" && lastStep) || // HF saves at the end too
                                 (stopping && !lastStep);
            if (saveNow) {
                report(hooks, "save", run.state.globalStep, run.state.maxSteps, "saving checkpoint");
                auto saved = saveCheckpoint(saveContent(run, true), a.outputDir, a.saveTotalLimit);
                if (!saved) {
                    run.files.error(saved.error().message);
                    return tl::unexpected(saved.error());
                }
                say(hooks, run.files, "saved " + saved->string());
            }
            report(hooks, "train", run.state.globalStep, run.state.maxSteps,
                   "step " + std::to_string(run.state.globalStep) + "/" + std::to_string(run.state.maxSteps));
            if (stopping) {
                result.cancelled = true;
                say(hooks, run.files, "stopped at step " + std::to_string(run.state.globalStep) + " on request");
                break;
            }
        }
        result.trainSeconds = secondsSince(t0);
        result.globalStep = run.state.globalStep;

        // Final weights into the run folder (also after a stop, so the run is usable as it is).
        report(hooks, "save", run.state.globalStep, run.state.maxSteps, "saving the final weights");
        if (auto s = saveWeights(saveContent(run, false), a.outputDir); !s) {
            return s;
        }
        if (auto s = writeFileAtomic(a.outputDir / "trainer_state.json", run.state.toJson().dump(2) + "\n"); !s) {
            return s;
        }
        nlohmann::json results = {{"epoch", run.state.epoch},
                                   {"train_runtime", result.trainSeconds},
                                   {"num_input_tokens_seen", run.state.totalTokens},
                                   {"train_tokens_per_second", static_cast<double>(result.trainTokens) / std::max(result.trainSeconds, 1e-9)}};
        if (result.lastLoss) {
            results["train_loss"] = *result.lastLoss;
        }
        if (result.lastEvalLoss) {
            results["eval_loss"] = *result.lastEvalLoss;
        }
        (void)writeFileAtomic(a.outputDir / "train_results.json", results.dump(2) + "\n");
        (void)writeFileAtomic(a.outputDir / "all_results.json", results.dump(2) + "\n");
        say(hooks, run.files, result.cancelled ? "Stopped; the weights so far are saved." : "Finished.");
        return {};
    });
    if (!loop) {
        run.files.error(loop.error().message);
        return tl::unexpected(loop.error());
    }
    return result;
}

Expected<TrainResult> runTraining(const nlohmann::json& mapping, const TrainHooks& hooks, const CancelToken* cancel)
{
    std::vector<std::string> warnings;
    auto args = parseTrainArgs(mapping, &warnings);
    if (!args) {
        return tl::unexpected(args.error());
    }
    if (hooks.message) {
        for (const auto& w : warnings) {
            hooks.message("warning: " + w);
        }
    }
    return runTraining(*args, hooks, cancel);
}

} // namespace td::train
