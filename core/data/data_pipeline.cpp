// SPDX-License-Identifier: Apache-2.0
// prepareData: load → merge → preprocess → split, as declared in data_pipeline.h.
#include "core/data/data_pipeline.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <iterator>

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

std::string numberText(double v)
{
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') {
        s.pop_back();
    }
    if (!s.empty() && s.back() == '.') {
        s.pop_back();
    }
    return s;
}

Expected<TrainData> prepareStreaming(const DataArgs& args, Stage stage, const chat::ChatTemplate& tmpl,
                                     const tok::Tokenizer& tokenizer);

} // namespace

struct ExampleStream::Impl
{
    DataArgs args;
    Stage stage = Stage::Sft;
    const chat::ChatTemplate* tmpl = nullptr;
    const tok::Tokenizer* tokenizer = nullptr;
    std::vector<std::unique_ptr<RecordStream>> sources; ///< concatenated in order
    std::size_t sourceIndex = 0;
    std::deque<TokenizedExample> batchOut; ///< tokenized, not handed out yet
    bool exhausted = false;
    int64_t rowsRead = 0;
    int64_t truncated = 0;
    std::vector<DroppedRow> dropped;
    // shuffle buffer (IterableDataset.shuffle): 0 = off
    std::size_t bufferSize = 0;
    std::optional<Rng> rng;
    std::vector<TokenizedExample> buffer;
    bool drained = false;

    /// Reads and tokenizes the next preprocessing batch; false when the sources are used up.
    Expected<bool> fillBatch()
    {
        std::vector<Record> batch;
        const std::size_t size = std::max<std::size_t>(args.preprocess.batchSize, 1);
        while (batch.size() < size && sourceIndex < sources.size()) {
            if (args.preprocess.cancel && args.preprocess.cancel->isCancelled()) {
                return makeError(ErrorCode::Cancelled, "reading the dataset stream was cancelled");
            }
            Record r;
            auto got = sources[sourceIndex]->next(r);
            if (!got) {
                return tl::unexpected(
                    got.error().withContext("streaming dataset \"" + sources[sourceIndex]->attr().name + "\""));
            }
            if (!*got) {
                ++sourceIndex;
                continue;
            }
            batch.push_back(std::move(r));
        }
        if (batch.empty()) {
            return false;
        }
        auto res = preprocess(batch, stage, *tmpl, *tokenizer, args.preprocess);
        if (!res) {
            return tl::unexpected(res.error());
        }
        for (auto& ex : res->examples) {
            if (ex.sourceIndex >= 0) {
                ex.sourceIndex += rowsRead;
            }
            batchOut.push_back(std::move(ex));
        }
        std::move(res->dropped.begin(), res->dropped.end(), std::back_inserter(dropped));
        truncated += res->truncatedCount;
        rowsRead += static_cast<int64_t>(batch.size());
        return true;
    }

    /// The next example in stream order (before shuffling).
    Expected<bool> nextInOrder(TokenizedExample& out)
    {
        while (batchOut.empty()) {
            if (exhausted) {
                return false;
            }
            auto got = fillBatch();
            if (!got) {
                return tl::unexpected(got.error());
            }
            if (!*got) {
                exhausted = true;
                return false;
            }
        }
        out = std::move(batchOut.front());
        batchOut.pop_front();
        return true;
    }

    /// Buffered shuffle, as ShuffledRecordStream: emit a random buffered example, refill its slot.
    Expected<bool> nextShuffled(TokenizedExample& out)
    {
        while (!drained && buffer.size() < bufferSize) {
            TokenizedExample ex;
            auto got = nextInOrder(ex);
            if (!got) {
                return tl::unexpected(got.error());
            }
            if (!*got) {
                drained = true;
                break;
            }
            buffer.push_back(std::move(ex));
        }
        if (buffer.empty()) {
            return false;
        }
        const auto i = static_cast<std::size_t>(rng->below(buffer.size()));
        out = std::move(buffer[i]);
        if (!drained) {
            TokenizedExample ex;
            auto got = nextInOrder(ex);
            if (!got) {
                return tl::unexpected(got.error());
            }
            if (*got) {
                buffer[i] = std::move(ex);
                return true;
            }
            drained = true;
        }
        buffer[i] = std::move(buffer.back());
        buffer.pop_back();
        return true;
    }
};

ExampleStream::ExampleStream(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ExampleStream::~ExampleStream() = default;

Expected<std::unique_ptr<ExampleStream>> ExampleStream::open(const DataArgs& args, std::string_view names,
                                                             Stage stage, const chat::ChatTemplate& tmpl,
                                                             const tok::Tokenizer& tokenizer,
                                                             std::size_t shuffleBuffer)
{
    const auto list = splitNames(names);
    if (list.empty()) {
        return makeError(ErrorCode::InvalidConfig, "no dataset given", "set dataset to a name of dataset_info.json");
    }
    if (list.size() > 1 && args.mixStrategy != "concat") {
        if (auto s = parseMixStrategy(args.mixStrategy); !s) {
            return tl::unexpected(s.error());
        }
        return makeError(ErrorCode::Unsupported,
                         "mix_strategy " + args.mixStrategy + " is not supported in streaming mode",
                         "use mix_strategy: concat with streaming, or turn streaming off to interleave datasets");
    }
    if (args.preprocess.cutoffLen <= 0) {
        return makeError(ErrorCode::InvalidConfig, "cutoff_len must be positive");
    }
    auto impl = std::make_unique<Impl>();
    impl->args = args;
    impl->stage = stage;
    impl->tmpl = &tmpl;
    impl->tokenizer = &tokenizer;
    for (const auto& name : list) {
        auto attr = findDatasetAttr(args.datasetDir, name);
        if (!attr) {
            return tl::unexpected(attr.error());
        }
        if (attr->numSamples) {
            td::log::get("engine.data")->warn("dataset \"{}\": num_samples is ignored in streaming mode", name);
        }
        auto stream = RecordStream::open(args.datasetDir, *attr);
        if (!stream) {
            return tl::unexpected(stream.error());
        }
        impl->sources.push_back(std::move(*stream));
    }
    if (shuffleBuffer > 0) {
        impl->bufferSize = shuffleBuffer;
        impl->rng.emplace(args.seed);
    }
    return std::unique_ptr<ExampleStream>(new ExampleStream(std::move(impl)));
}

Expected<bool> ExampleStream::next(TokenizedExample& out)
{
    return m_impl->bufferSize > 0 ? m_impl->nextShuffled(out) : m_impl->nextInOrder(out);
}
int64_t ExampleStream::rowsRead() const
{
    return m_impl->rowsRead;
}
const std::vector<DroppedRow>& ExampleStream::dropped() const
{
    return m_impl->dropped;
}
int64_t ExampleStream::truncatedCount() const
{
    return m_impl->truncated;
}

Status checkStreamingArgs(const DataArgs& args)
{
    if (!args.streaming) {
        return {};
    }
    if (args.valSize > 0 && (args.valSize < 1 || args.valSize != std::floor(args.valSize))) {
        return makeError(ErrorCode::InvalidConfig,
                         "val_size must be an integer row count in streaming mode (got " + numberText(args.valSize) +
                             ")",
                         "streaming takes the first val_size examples of the shuffled stream as the evaluation "
                         "set: give a number of rows (e.g. val_size: 500), or turn streaming off to split off a "
                         "fraction");
    }
    if (args.maxSamples) {
        return makeError(ErrorCode::InvalidConfig, "max_samples is incompatible with streaming",
                         "remove max_samples (bound the run with max_steps), or turn streaming off");
    }
    if (args.bufferSize == 0) {
        return makeError(ErrorCode::InvalidConfig, "buffer_size must be at least 1", "the default is 16384");
    }
    return {};
}

Expected<TrainData> prepareData(const DataArgs& args, Stage stage, const chat::ChatTemplate& tmpl,
                                const tok::Tokenizer& tokenizer)
{
    if (args.valSize > 0 && !args.evalDataset.empty()) {
        return makeError(ErrorCode::InvalidConfig, "val_size cannot be combined with eval_dataset",
                         "set val_size to 0, or remove eval_dataset");
    }
    if (args.streaming) {
        return prepareStreaming(args, stage, tmpl, tokenizer);
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

namespace
{

/// Streaming: shuffle the lazily tokenized stream with the buffer, take the first int(val_size) examples as
/// validation and the rest as train (datasets' take/skip). The trainer takes vectors, so both are collected.
Expected<TrainData> prepareStreaming(const DataArgs& args, Stage stage, const chat::ChatTemplate& tmpl,
                                     const tok::Tokenizer& tokenizer)
{
    if (auto ok = checkStreamingArgs(args); !ok) {
        return tl::unexpected(ok.error());
    }
    auto collect = [&](const std::string& names, std::size_t take, PreprocessResult& first,
                       PreprocessResult& rest) -> Expected<int64_t> {
        auto stream = ExampleStream::open(args, names, stage, tmpl, tokenizer, args.bufferSize);
        if (!stream) {
            return tl::unexpected(stream.error());
        }
        while (true) {
            TokenizedExample ex;
            auto got = (*stream)->next(ex);
            if (!got) {
                return tl::unexpected(got.error());
            }
            if (!*got) {
                break;
            }
            auto& into = first.examples.size() < take ? first : rest;
            into.truncatedCount += ex.truncated ? 1 : 0;
            into.examples.push_back(std::move(ex));
        }
        rest.dropped = (*stream)->dropped();
        return (*stream)->rowsRead();
    };
    TrainData out;
    const auto nVal = static_cast<std::size_t>(args.valSize);
    PreprocessResult eval;
    auto rows = collect(args.dataset, nVal, eval, out.train);
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    out.rowsLoaded = *rows;
    if (out.train.examples.empty()) {
        const auto& dropped = out.train.dropped;
        return makeError(ErrorCode::BadDataset,
                         "no usable training examples for stage " + std::string(stageName(stage)) + " in \"" +
                             args.dataset + "\"" +
                             (nVal > 0 ? " after the first " + std::to_string(nVal) + " (val_size) went to evaluation"
                                       : std::string()) +
                             (dropped.empty() ? "" : ": " + dropped.front().reason),
                         nVal > 0 ? "use a smaller val_size" :
                                    "check that the dataset suits the stage (preference data for rm/dpo, kto_tag "
                                    "for kto)");
    }
    if (nVal > 0) {
        out.eval = std::move(eval);
    } else if (!args.evalDataset.empty()) {
        PreprocessResult none;
        PreprocessResult all;
        auto evalRows = collect(args.evalDataset, 0, none, all);
        if (!evalRows) {
            return tl::unexpected(evalRows.error());
        }
        out.eval = std::move(all);
    }
    return out;
}

} // namespace

} // namespace td::data
