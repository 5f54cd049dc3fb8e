// SPDX-License-Identifier: Apache-2.0
// An evaluation run folder as the results table shows it (llamaboard.md §5.1): generated_predictions.jsonl
// ({"prompt", "predict", "label"} per line), generated_scores.jsonl ({"bleu-4", "rouge-1", "rouge-2", "rouge-l"}
// per line, same order) and all_results.json (predict_ or eval_ means, runtime, speed). Any of the files may be
// missing (do_eval writes no predictions; LLaMA-Factory writes no per-sample scores; a stopped run has no
// all_results.json); malformed lines are skipped and counted. EvalResultsModel is the table over it.
#pragma once

#include <array>
#include <memory>
#include <optional>

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QVector>

namespace td::ui
{

struct EvalSample
{
    QString prompt;
    QString predict;
    QString label;
    bool hasScores = false;
    std::array<double, 4> scores{}; ///< bleu-4, rouge-1, rouge-2, rouge-l (×100, as the engine writes them)
};

struct EvalResults
{
    QString dir;
    QVector<EvalSample> samples;
    bool hasPredictions = false; ///< generated_predictions.jsonl was read
    bool hasScores = false;      ///< generated_scores.jsonl was read
    QJsonObject metrics;         ///< all_results.json (empty when missing)
    int skippedLines = 0;

    /// The metric keys in table order: "bleu-4", "rouge-1", "rouge-2", "rouge-l".
    static const std::array<const char*, 4>& scoreKeys();
    /// Mean of score `i` from all_results.json (predict_<key>, else eval_<key>), else from the per-sample scores.
    std::optional<double> mean(int i) const;
    /// A metric of all_results.json with its phase prefix (predict_ first, then eval_): "runtime", ...
    std::optional<double> metric(const QString& key) const;
    /// Samples whose prediction is empty (they score 0; the usual reason for "all scores are 0").
    int emptyPredictions() const;
    bool isEmpty() const { return samples.isEmpty() && metrics.isEmpty(); }

    /// Reads the folder; an empty result when it holds none of the files.
    static EvalResults read(const QString& dir);
    /// True when `dir` holds an evaluation's files (for the output-dir list).
    static bool looksLikeEvalRun(const QString& dir);
};

class EvalResultsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Index,
        Prompt,
        Prediction,
        Reference,
        Bleu4,
        Rouge1,
        Rouge2,
        RougeL,
        ColumnCount
    };
    /// The value to sort and filter on: the number for # and the scores, the full text otherwise.
    static constexpr int SortRole = Qt::UserRole;

    explicit EvalResultsModel(QObject* parent = nullptr);

    void setResults(std::shared_ptr<const EvalResults> results);
    const EvalResults* results() const { return m_results.get(); }
    const EvalSample* sample(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// Header text of a score column ("BLEU-4", ...) and what it measures (tooltips of the table and summary).
    static QString scoreName(int i);
    static QString scoreExplanation(int i);

private:
    std::shared_ptr<const EvalResults> m_results;
};

} // namespace td::ui
