// SPDX-License-Identifier: Apache-2.0
#include "core/eval/eval_args.h"

#include <string>

#include "core/train/train_args.h"

namespace td::eval
{

Status validateEvalArgs(const train::TrainArgs& a)
{
    auto bad = [](const std::string& what, const std::string& hint) {
        return makeError(ErrorCode::InvalidConfig, what, hint);
    };
    if (a.predictWithGenerate && a.stage != "sft") {
        return bad("predict_with_generate cannot be set for stage " + a.stage + " (SFT only)",
                   "remove predict_with_generate, or use stage: sft");
    }
    if (a.stage == "sft" && a.doPredict && !a.predictWithGenerate) {
        return bad("do_predict needs predict_with_generate: true to save model predictions",
                   "set predict_with_generate: true");
    }
    if (a.doTrain && a.predictWithGenerate) {
        return bad("predict_with_generate cannot be set while training (do_train)",
                   "run the evaluation as its own job: do_train: false, do_predict: true");
    }
    if (!a.evalOnly()) {
        return {}; // training: do_eval only means "evaluate during training" (eval_strategy), checked there
    }
    if (!a.predictWithGenerate) {
        return makeError(ErrorCode::Unsupported, "do_eval without predict_with_generate (loss-only evaluation) is not supported yet",
                         "set predict_with_generate: true to score generated answers with BLEU-4 and ROUGE");
    }
    if (a.data.evalDataset.empty() && !(a.data.valSize > 0)) {
        return bad("evaluation needs eval_dataset or val_size > 0", "set eval_dataset to the datasets to evaluate");
    }
    if (a.data.valSize > 0 && a.data.dataset.empty()) {
        return bad("val_size needs dataset to split the evaluation rows from", "set dataset, or use eval_dataset instead");
    }
    if (a.data.streaming) {
        return makeError(ErrorCode::Unsupported, "streaming is not supported for evaluation or prediction runs",
                         "remove streaming (use max_samples to limit the rows)");
    }
    const train::GenerationArgs& g = a.generation;
    if (g.numBeams != 1) {
        return makeError(ErrorCode::Unsupported, "num_beams = " + std::to_string(g.numBeams) + ": beam search is not supported",
                         "set num_beams: 1 (greedy with do_sample: false, or sampling)");
    }
    if (g.maxNewTokens <= 0 && g.maxLength <= 0) {
        return bad("max_new_tokens (or max_length) must be positive", "set max_new_tokens, e.g. 512");
    }
    if (g.doSample && !(g.temperature > 0)) {
        return bad("temperature must be positive when do_sample is true", "use 0.95, or do_sample: false for greedy decoding");
    }
    if (!(g.topP > 0 && g.topP <= 1)) {
        return bad("top_p must be within (0, 1]", "the default is 0.7");
    }
    if (g.topK < 0) {
        return bad("top_k must not be negative", "the default is 50; 0 turns it off");
    }
    if (!(g.repetitionPenalty > 0)) {
        return bad("repetition_penalty must be positive", "1.0 turns it off");
    }
    return {};
}

} // namespace td::eval
