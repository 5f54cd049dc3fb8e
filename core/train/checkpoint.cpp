// SPDX-License-Identifier: Apache-2.0
// Save folders and checkpoints (see checkpoint.h for the layout).
#include "core/train/checkpoint.h"

#include <algorithm>
#include <regex>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <unistd.h>

#include "core/common/file_util.h"
#include "core/models/loader.h"
#include "core/models/lora.h"
#include "core/models/transformer.h"
#include "core/tensor/safetensors.h"
#include "core/train/finetune_setup.h"
#include "core/train/optimizer.h"

namespace td::train
{

namespace fs = std::filesystem;

namespace
{

/// checkpoint-<N> → N, or -1 for anything else (temp folders included).
std::int64_t checkpointNumber(const fs::path& p)
{
    static const std::regex kName("checkpoint-([0-9]+)");
    std::smatch m;
    const std::string name = p.filename().string();
    if (!std::regex_match(name, m, kName)) {
        return -1;
    }
    return std::stoll(m[1].str());
}

Status copyTokenizerFiles(const fs::path& from, const fs::path& to)
{
    for (const char* name : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model",
                             "vocab.json", "merges.txt", "added_tokens.json", "chat_template.jinja"}) {
        std::error_code ec;
        if (!fs::exists(from / name, ec)) {
            continue;
        }
        fs::copy_file(from / name, to / name, fs::copy_options::overwrite_existing, ec);
        if (ec) {
            return makeError(ErrorCode::Io, "cannot copy " + std::string(name) + " to " + to.string() + ": " + ec.message(),
                             "check free disk space");
        }
    }
    return {};
}

Status writeJson(const fs::path& path, const nlohmann::json& j)
{
    return writeFileAtomic(path, j.dump(2) + "\n");
}

} // namespace

nlohmann::json TrainerState::toJson() const
{
    return {{"global_step", globalStep},     {"max_steps", maxSteps},   {"epoch", epoch},
            {"num_input_tokens_seen", totalTokens}, {"log_history", logHistory},
            {"td_steps_per_epoch", stepsPerEpoch},  {"td_elapsed_seconds", elapsedSeconds}};
}

Expected<TrainerState> TrainerState::fromJson(const nlohmann::json& j)
{
    if (!j.is_object() || !j.contains("global_step") || !j["global_step"].is_number_integer()) {
        return makeError(ErrorCode::BadCheckpoint, "trainer_state.json has no global_step",
                         "the checkpoint is incomplete: resume from an older one or start over");
    }
    TrainerState s;
    s.globalStep = j["global_step"].get<std::int64_t>();
    s.maxSteps = j.value("max_steps", std::int64_t{0});
    s.epoch = j.value("epoch", 0.0);
    s.totalTokens = j.value("num_input_tokens_seen", std::int64_t{0});
    s.stepsPerEpoch = j.value("td_steps_per_epoch", std::int64_t{1});
    s.elapsedSeconds = j.value("td_elapsed_seconds", 0.0);
    if (j.contains("log_history") && j["log_history"].is_array()) {
        s.logHistory = j["log_history"];
    }
    return s;
}

Status saveWeights(const SaveContent& c, const fs::path& dir)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return makeError(ErrorCode::Io, "cannot create " + dir.string() + ": " + ec.message(),
                         "check that the output folder is writable");
    }
    if (c.setup->lora) {
        if (auto s = models::saveLoraAdapter(*c.model, *c.setup->lora, dir); !s) {
            return s;
        }
    } else {
        // Trained parameters are fp32 masters and frozen ones keep the load dtype; both are saved as they are
        // so a resume continues bit-exactly (export converts dtypes).
        if (auto s = models::saveModel(*c.model, c.modelConfig, dir); !s) {
            return s;
        }
    }
    return copyTokenizerFiles(c.tokenizerSource, dir);
}

Expected<fs::path> saveCheckpoint(const SaveContent& c, const fs::path& outputDir,
                                  std::optional<std::int64_t> saveTotalLimit)
{
    const fs::path final = outputDir / ("checkpoint-" + std::to_string(c.state->globalStep));
    const fs::path tmp = outputDir / ("checkpoint-" + std::to_string(c.state->globalStep) + ".tmp-" +
                                      std::to_string(::getpid()));
    std::error_code ec;
    fs::remove_all(tmp, ec);
    auto fail = [&](const Error& e) -> Expected<fs::path> {
        std::error_code ignored;
        fs::remove_all(tmp, ignored);
        return tl::unexpected(Error{e.code, "saving checkpoint-" + std::to_string(c.state->globalStep) + " failed: " + e.message,
                                    e.hint.empty() ? "check free disk space; the previous checkpoint is intact" : e.hint});
    };
    if (auto s = saveWeights(c, tmp); !s) {
        return fail(s.error());
    }
    if (c.optimizer != nullptr) {
        st::NamedTensors tensors;
        for (auto& [name, t] : c.optimizer->stateDict()) {
            tensors.emplace_back(name, t);
        }
        if (auto s = st::save(tmp / "optimizer.safetensors", tensors); !s) {
            return fail(s.error());
        }
    }
    const at::Tensor rng = at::detail::getDefaultCPUGenerator().get_state();
    if (auto s = st::save(tmp / "rng_state.safetensors", {{"cpu", rng}}); !s) {
        return fail(s.error());
    }
    if (auto s = writeJson(tmp / "scheduler.json", {{"step", c.state->globalStep}}); !s) {
        return fail(s.error());
    }
    if (auto s = writeJson(tmp / "trainer_state.json", c.state->toJson()); !s) {
        return fail(s.error());
    }
    fs::remove_all(final, ec);
    fs::rename(tmp, final, ec);
    if (ec) {
        return fail(Error{ErrorCode::Io, "cannot rename " + tmp.string() + ": " + ec.message(), {}});
    }
    if (saveTotalLimit && *saveTotalLimit > 0) {
        std::vector<std::pair<std::int64_t, fs::path>> all;
        for (const auto& e : fs::directory_iterator(outputDir, ec)) {
            if (const auto n = checkpointNumber(e.path()); n >= 0 && e.is_directory()) {
                all.emplace_back(n, e.path());
            }
        }
        std::sort(all.begin(), all.end());
        for (std::size_t i = 0; i + static_cast<std::size_t>(*saveTotalLimit) < all.size(); ++i) {
            fs::remove_all(all[i].second, ec);
        }
    }
    return final;
}

std::optional<fs::path> latestCheckpoint(const fs::path& outputDir)
{
    std::optional<fs::path> best;
    std::int64_t bestN = -1;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(outputDir, ec)) {
        const auto n = checkpointNumber(e.path());
        if (n > bestN && e.is_directory() && fs::exists(e.path() / "trainer_state.json")) {
            bestN = n;
            best = e.path();
        }
    }
    return best;
}

Expected<TrainerState> loadCheckpoint(const fs::path& dir, models::CausalLM& model, const FinetuneSetup& setup,
                                      Optimizer* optimizer)
{
    auto stateText = readFile(dir / "trainer_state.json");
    if (!stateText) {
        return makeError(ErrorCode::BadCheckpoint, dir.string() + " has no trainer_state.json",
                         "choose a checkpoint-N folder written by a training run");
    }
    const auto stateJson = nlohmann::json::parse(*stateText, nullptr, false);
    auto state = TrainerState::fromJson(stateJson);
    if (!state) {
        return state;
    }
    // Trainable weights: copy by name into the parameters the optimizer already holds (re-attaching adapters
    // would create new tensors the optimizer does not know).
    const fs::path weights = setup.lora ? dir / "adapter_model.safetensors" : dir / "model.safetensors";
    auto reader = st::CheckpointReader::openFile(weights);
    if (!reader) {
        return tl::unexpected(reader.error());
    }
    auto params = model.named_parameters(true);
    at::NoGradGuard noGrad;
    for (const auto& group : setup.groups) {
        for (const auto& [name, p] : group.params) {
            const std::string stored = setup.lora ? std::string(models::kPeftPrefix) + name : name;
            auto t = reader->tensor(stored);
            if (!t) {
                return makeError(ErrorCode::BadCheckpoint, weights.string() + " has no tensor " + stored,
                                 "the checkpoint belongs to another model or finetuning method");
            }
            if (t->sizes() != p.sizes()) {
                return makeError(ErrorCode::BadCheckpoint, "tensor " + stored + " in " + weights.string() + " has shape " +
                                                               c10::str(t->sizes()) + ", the model expects " + c10::str(p.sizes()),
                                 "the checkpoint was trained with another rank or base model");
            }
            p.copy_(*t);
        }
    }
    if (optimizer != nullptr && fs::exists(dir / "optimizer.safetensors")) {
        auto opt = st::CheckpointReader::openFile(dir / "optimizer.safetensors");
        if (!opt) {
            return tl::unexpected(opt.error());
        }
        std::map<std::string, at::Tensor> tensors;
        for (const auto& name : opt->names()) {
            auto t = opt->tensor(name);
            if (!t) {
                return tl::unexpected(t.error());
            }
            tensors[name] = *t;
        }
        if (auto s = optimizer->loadStateDict(tensors); !s) {
            return tl::unexpected(s.error());
        }
    }
    if (fs::exists(dir / "rng_state.safetensors")) {
        auto rng = st::CheckpointReader::openFile(dir / "rng_state.safetensors");
        if (rng) {
            if (auto t = rng->tensor("cpu"); t) {
                at::Generator gen = at::detail::getDefaultCPUGenerator();
                std::lock_guard<std::mutex> lock(gen.mutex());
                gen.set_state(t->contiguous());
            }
        }
    }
    return state;
}

} // namespace td::train
