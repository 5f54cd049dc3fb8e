// SPDX-License-Identifier: Apache-2.0
#include "core/jobs/dataset_preview.h"

#include "core/data/preview.h"
#include "core/jobs/engine_service.h"
#include "core/jobs/post_guard.h"

namespace td::jobs
{

namespace
{

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

DatasetPreviewInfo convert(const data::Preview& p)
{
    DatasetPreviewInfo out;
    out.dataset = qs(p.dataset);
    out.formatting = qs(p.formatting);
    out.templateName = qs(p.templateName);
    for (const data::PreviewRow& r : p.rows) {
        PreviewSample s;
        s.source = qs(r.source.describe());
        s.rawJson = qs(r.rawJson);
        for (const data::TextSpan& span : r.rendered) {
            s.rendered.push_back({qs(span.text), span.trained});
        }
        s.tokens = r.tokens;
        s.trainedTokens = r.trainedTokens;
        s.truncated = r.truncated;
        s.problem = qs(r.problem);
        for (const data::TextSpan& span : r.rejected) {
            s.rejected.push_back({qs(span.text), span.trained});
        }
        s.rejectedTokens = r.rejectedTokens;
        s.rejectedTrainedTokens = r.rejectedTrainedTokens;
        out.samples.push_back(s);
    }
    if (p.stats) {
        const data::DatasetStats& st = *p.stats;
        PreviewStats& o = out.stats;
        o.valid = true;
        o.rows = st.rows;
        o.examples = st.examples;
        o.truncated = st.truncated;
        o.totalTokens = st.totalTokens;
        o.minTokens = st.minTokens;
        o.maxTokens = st.maxTokens;
        o.meanTokens = st.meanTokens;
        o.histogramEdges = QVector<qint64>(st.histogramEdges.begin(), st.histogramEdges.end());
        o.histogramCounts = QVector<qint64>(st.histogramCounts.begin(), st.histogramCounts.end());
        for (const data::DroppedRow& d : st.dropped) {
            o.dropped << qs(d.source.describe() + ": " + d.reason);
        }
    }
    return out;
}

} // namespace

DatasetPreviewer::DatasetPreviewer(EngineService* engine, QObject* parent)
    : QObject(parent), m_engine(engine), m_guard(std::make_shared<PostGuard<DatasetPreviewer>>(this))
{
    qRegisterMetaType<td::jobs::DatasetPreviewInfo>();
}

DatasetPreviewer::~DatasetPreviewer()
{
    m_guard->release();
}

td::JobId DatasetPreviewer::start(const DatasetPreviewRequest& request)
{
    auto guard = m_guard;
    return m_engine->submit(tr("Preview dataset"), [guard, request](td::JobContext& ctx) -> td::Status {
        data::PreviewOptions o;
        o.datasetDir = request.datasetDir.toStdString();
        o.dataset = request.dataset.toStdString();
        o.templateName = request.templateName == QLatin1String("auto") ? std::string() : request.templateName.toStdString();
        o.modelDir = request.modelDir.toStdString();
        o.rows = std::size_t(std::max(request.rows, 1));
        auto stage = data::parseStage(request.stage.toStdString());
        if (!stage) {
            return tl::unexpected(stage.error());
        }
        o.stage = *stage;
        o.preprocess.cutoffLen = request.cutoffLen;
        o.preprocess.trainOnPrompt = request.trainOnPrompt;
        o.preprocess.maskHistory = request.maskHistory;
        o.preprocess.cancel = &ctx.cancelToken();
        o.statistics = !request.modelDir.isEmpty();
        auto preview = data::previewDataset(o);
        if (!preview) {
            guard->post([out = JobOutcome::fromStatus(tl::unexpected(preview.error()))](DatasetPreviewer* self) {
                Q_EMIT self->failed(out);
            });
            return tl::unexpected(preview.error());
        }
        guard->post([info = convert(*preview)](DatasetPreviewer* self) { Q_EMIT self->ready(info); });
        return {};
    });
}

} // namespace td::jobs
