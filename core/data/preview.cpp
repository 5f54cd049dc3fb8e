// SPDX-License-Identifier: Apache-2.0
// previewDataset: stream the first rows with their raw JSON, tokenize them for the stage to split the rendered
// text into prompt/trained spans, then (optionally) preprocess the whole dataset for statistics.
#include "core/data/preview.h"

#include <algorithm>
#include <thread>

#include "core/data/dataset_loader.h"

namespace td::data
{
namespace
{

/// Splits ids into runs of equal "trained" state and decodes each run.
std::vector<TextSpan> spansOf(const std::vector<TokenId>& ids, const std::vector<TokenId>& labels,
                              const tok::Tokenizer& tok)
{
    std::vector<TextSpan> out;
    std::size_t start = 0;
    for (std::size_t i = 1; i <= ids.size(); ++i) {
        const bool trained = labels[start] != kIgnoreIndex;
        if (i == ids.size() || (labels[i] != kIgnoreIndex) != trained) {
            std::vector<TokenId> run(ids.begin() + static_cast<std::ptrdiff_t>(start),
                                     ids.begin() + static_cast<std::ptrdiff_t>(i));
            auto text = tok.decode(run, false);
            out.push_back({text ? *text : std::string("<undecodable>"), trained});
            start = i;
        }
    }
    return out;
}

int64_t trainedCount(const std::vector<TokenId>& labels)
{
    return std::count_if(labels.begin(), labels.end(), [](TokenId l) { return l != kIgnoreIndex; });
}

} // namespace

void fillHistogram(const std::vector<int64_t>& lengths, std::size_t bins, DatasetStats& stats)
{
    stats.histogramEdges.clear();
    stats.histogramCounts.clear();
    if (lengths.empty() || bins == 0) {
        return;
    }
    const int64_t maxLen = *std::max_element(lengths.begin(), lengths.end());
    const int64_t width = std::max<int64_t>(1, (maxLen + static_cast<int64_t>(bins)) / static_cast<int64_t>(bins));
    for (std::size_t i = 0; i <= bins; ++i) {
        stats.histogramEdges.push_back(static_cast<int64_t>(i) * width);
    }
    stats.histogramCounts.assign(bins, 0);
    for (auto len : lengths) {
        const auto bin = std::min<std::size_t>(static_cast<std::size_t>(len / width), bins - 1);
        ++stats.histogramCounts[bin];
    }
}

Expected<Preview> previewDataset(const PreviewOptions& o)
{
    auto attr = findDatasetAttr(o.datasetDir, o.dataset);
    if (!attr) {
        return tl::unexpected(attr.error());
    }
    Preview p;
    p.dataset = attr->name;
    p.formatting = attr->formatting;

    std::shared_ptr<tok::Tokenizer> tokenizer;
    chat::ChatTemplate tmpl;
    if (!o.modelDir.empty()) {
        auto t = tok::loadTokenizer(o.modelDir);
        if (!t) {
            return tl::unexpected(t.error());
        }
        tokenizer = *t;
        p.templateName = o.templateName.empty() ? chat::autoSelectTemplate(tokenizer->config()) : o.templateName;
        auto found = chat::findTemplate(p.templateName);
        if (!found) {
            return tl::unexpected(found.error());
        }
        tmpl = *found;
    }
    PreprocessOptions pre = o.preprocess;
    pre.templateName = p.templateName;

    auto stream = RecordStream::open(o.datasetDir, *attr);
    if (!stream) {
        return tl::unexpected(stream.error());
    }
    for (std::size_t i = 0; i < o.rows; ++i) {
        PreviewRow row;
        auto got = (*stream)->next(row.record, row.rawJson);
        if (!got) {
            return tl::unexpected(got.error());
        }
        if (!*got) {
            break;
        }
        row.source = row.record.source;
        row.problem = recordProblem(row.record, o.stage);
        if (tokenizer && row.problem.empty()) {
            PreprocessOptions one = pre;
            one.packing = one.neatPacking = false;
            auto res = preprocess({row.record}, o.stage, tmpl, *tokenizer, one);
            if (!res) {
                return tl::unexpected(res.error());
            }
            if (!res->examples.empty()) {
                const auto& ex = res->examples.front();
                row.rendered = spansOf(ex.inputIds, ex.labels, *tokenizer);
                row.tokens = static_cast<int64_t>(ex.inputIds.size());
                row.trainedTokens = trainedCount(ex.labels);
                row.truncated = ex.truncated;
                if (o.stage == Stage::Pairwise) {
                    row.rejected = spansOf(ex.rejectedIds, ex.rejectedLabels, *tokenizer);
                    row.rejectedTokens = static_cast<int64_t>(ex.rejectedIds.size());
                    row.rejectedTrainedTokens = trainedCount(ex.rejectedLabels);
                }
            }
        }
        p.rows.push_back(std::move(row));
    }
    if (!o.statistics || !tokenizer) {
        return p;
    }
    auto ds = loadDataset(o.datasetDir, *attr);
    if (!ds) {
        return tl::unexpected(ds.error());
    }
    if (pre.workers <= 1) {
        pre.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }
    auto res = preprocess(ds->records, o.stage, tmpl, *tokenizer, pre);
    if (!res) {
        return tl::unexpected(res.error());
    }
    DatasetStats s;
    s.rows = static_cast<int64_t>(ds->records.size());
    s.examples = static_cast<int64_t>(res->examples.size());
    s.truncated = res->truncatedCount;
    s.dropped = std::move(res->dropped);
    std::vector<int64_t> lengths;
    for (const auto& ex : res->examples) {
        lengths.push_back(static_cast<int64_t>(ex.inputIds.size()));
        s.totalTokens += lengths.back();
    }
    if (!lengths.empty()) {
        s.minTokens = *std::min_element(lengths.begin(), lengths.end());
        s.maxTokens = *std::max_element(lengths.begin(), lengths.end());
        s.meanTokens = static_cast<double>(s.totalTokens) / static_cast<double>(lengths.size());
    }
    fillHistogram(lengths, 10, s);
    p.stats = std::move(s);
    return p;
}

} // namespace td::data
