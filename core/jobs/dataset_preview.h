// SPDX-License-Identifier: Apache-2.0
// The Train tab's "Preview dataset": runs the data worker's preview (core/data/preview.h) as a job on the
// worker thread and hands the result to the GUI as Qt values: the first rows (raw JSON, the text the model
// sees split into prompt and trained spans (chosen and rejected for preference data), token counts, why a
// row is dropped) and dataset statistics.
#pragma once

#include <memory>

#include <QObject>
#include <QString>
#include <QVector>

#include "core/common/job.h"
#include "core/jobs/job_types.h"

namespace td::jobs
{

class EngineService;
template <class Owner>
class PostGuard;

struct PreviewSpan
{
    QString text;
    bool trained = false; ///< carries labels (the response; everything for pt)
};

struct PreviewSample
{
    QString source;  ///< "data.jsonl row 12"
    QString rawJson;
    QVector<PreviewSpan> rendered;
    qint64 tokens = 0;
    qint64 trainedTokens = 0;
    bool truncated = false;
    QString problem; ///< why the row is dropped for the stage; empty when usable
    /// Preference data in a pairwise stage (rm/dpo): `rendered`/`tokens` are the chosen sequence, these the
    /// rejected one. Empty / 0 otherwise.
    QVector<PreviewSpan> rejected;
    qint64 rejectedTokens = 0;
    qint64 rejectedTrainedTokens = 0;
};

struct PreviewStats
{
    bool valid = false; ///< false without a tokenizer
    qint64 rows = 0;
    qint64 examples = 0;
    qint64 truncated = 0;
    qint64 totalTokens = 0;
    qint64 minTokens = 0;
    qint64 maxTokens = 0;
    double meanTokens = 0;
    QVector<qint64> histogramEdges;
    QVector<qint64> histogramCounts;
    QStringList dropped; ///< "source: reason"
};

struct DatasetPreviewInfo
{
    QString dataset;
    QString formatting;
    QString templateName;
    QVector<PreviewSample> samples;
    PreviewStats stats;
};

struct DatasetPreviewRequest
{
    QString datasetDir;
    QString dataset;
    QString templateName; ///< "auto"/empty: chosen from the tokenizer
    QString modelDir;     ///< tokenizer folder; empty: raw rows only
    QString stage = QStringLiteral("sft");
    qint64 cutoffLen = 2048;
    bool trainOnPrompt = false;
    bool maskHistory = false;
    int rows = 10;
};

class DatasetPreviewer : public QObject
{
    Q_OBJECT
public:
    explicit DatasetPreviewer(EngineService* engine, QObject* parent = nullptr);
    ~DatasetPreviewer() override;

    td::JobId start(const DatasetPreviewRequest& request);

Q_SIGNALS:
    void ready(const td::jobs::DatasetPreviewInfo& info);
    void failed(const td::jobs::JobOutcome& outcome);

private:
    EngineService* m_engine;
    std::shared_ptr<PostGuard<DatasetPreviewer>> m_guard;
};

} // namespace td::jobs

Q_DECLARE_METATYPE(td::jobs::DatasetPreviewInfo)
