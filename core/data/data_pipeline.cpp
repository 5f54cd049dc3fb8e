// SPDX-License-Identifier: Apache-2.0
// prepareData: load → merge → preprocess → split, as declared in data_pipeline.h.
#include "core/data/data_pipeline.h"

#include "core/common/log.h"
#include "core/data/dataset_loader.h"
#include "core/data/sampling.h"

namespace td::data
{
namespace
{

Expected<std::vector<Record>> loadMerged(const DataArgs& args, const std::string& names)
{
    LoadOptions lo;
    lo.maxSamples = args.maxSamples;
    lo.seed = args.seed;
    lo.cancel = args.preprocess.cancel;
    auto sets = loadDatasets(args.datasetDir, names, lo);
    if (!sets) {
        return tl::unexpected(sets.error());
    }
    auto strategy = parseMixStrategy(args.mixStrategy);
    if (!strategy) {
        return tl::unexpected(strategy.error());
    }
    std::vector<double> probs;
    if (!args.interleaveProbs.empty()) {
        auto p = parseProbabilities(args.interleaveProbs);
        if (!p) {
            return tl::unexpected(p.error());
        }
        probs = std::move(*p);
    }
    if (sets->size() > 1 && *strategy != MixStrategy::Concat) {
        td::log::get("engine.data")->info("interleaving {} datasets ({})", sets->size(), args.mixStrategy);
    }
    std::vector<std::vector<Record>> parts;
    for (auto& s : *sets) {
        parts.push_back(std::move(s.records));
    }
    return mergeRecords(std::move(parts), *strategy, probs, args.seed);
}

} // namespace

Expected<TrainData> prepareData(const DataArgs& args, Stage stage, const chat::ChatTemplate& tmpl,
                                const tok::Tokenizer& tokenizer)
{
    if (args.valSize > 0 && !args.evalDataset.empty()) {
        return makeError(ErrorCode::InvalidConfig, "val_size cannot be combined with eval_dataset",
                         "set val_size to 0, or remove eval_dataset");
    }
    auto records = loadMerged(args, args.dataset);
    if (!records) {
        return tl::unexpected(records.error());
    }
    TrainData out;
    out.rowsLoaded = static_cast<int64_t>(records->size());
    auto train = preprocess(*records, stage, tmpl, tokenizer, args.preprocess);
    if (!train) {
        return tl::unexpected(train.error());
    }
    if (train->examples.empty()) {
        return makeError(ErrorCode::BadDataset,
                         "no usable examples for stage " + std::string(stageName(stage)) + " in \"" + args.dataset +
                             "\"" + (train->dropped.empty() ? "" : ": " + train->dropped.front().reason),
                         "check that the dataset suits the stage (preference data for rm/dpo, kto_tag for kto)");
    }
    if (args.valSize > 0) {
        auto idx = splitIndices(train->examples.size(), args.valSize, args.seed);
        if (!idx) {
            return tl::unexpected(idx.error());
        }
        PreprocessResult eval;
        for (auto i : idx->second) {
            eval.examples.push_back(std::move(train->examples[i]));
        }
        std::vector<TokenizedExample> kept;
        for (auto i : idx->first) {
            kept.push_back(std::move(train->examples[i]));
        }
        train->examples = std::move(kept);
        out.eval = std::move(eval);
    } else if (!args.evalDataset.empty()) {
        auto evalRecords = loadMerged(args, args.evalDataset);
        if (!evalRecords) {
            return tl::unexpected(evalRecords.error());
        }
        auto eval = preprocess(*evalRecords, stage, tmpl, tokenizer, args.preprocess);
        if (!eval) {
            return tl::unexpected(eval.error());
        }
        out.eval = std::move(*eval);
    }
    out.train = std::move(*train);
    return out;
}

} // namespace td::data
