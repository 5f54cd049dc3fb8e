// SPDX-License-Identifier: Apache-2.0
// The Evaluate tab's results (where LlamaBoard shows only all_results.json): a summary row with the four mean
// scores, the sample count and the speed; a sortable, filterable table of every sample (#, prompt, prediction,
// reference, BLEU-4, ROUGE-1, ROUGE-2, ROUGE-L); and a detail pane with the selected sample's prompt,
// prediction and reference in full. Filled from a run folder (EvalResults), so a finished run, a stopped one or
// any earlier evaluation folder (LLaMA-Factory's too) shows the same way.
#pragma once

#include <array>
#include <memory>

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace td::ui
{

struct EvalResults;
class EvalResultsModel;

class EvalResultsView : public QWidget
{
    Q_OBJECT
public:
    explicit EvalResultsView(QWidget* parent = nullptr);

    /// Reads `dir` and shows it; returns the number of samples shown.
    int load(const QString& dir);
    void setResults(std::shared_ptr<const EvalResults> results);
    void clear();
    const EvalResults* results() const;

    QTableView* table() const { return m_table; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    EvalResultsModel* model() const { return m_model; }
    /// The summary's text for score `i` ("BLEU-4 12.34"), empty when unknown.
    QString summaryText(int i) const;
    QString summaryInfo() const;
    /// The detail pane: prompt, prediction and reference of the selected sample.
    QString detailPrompt() const;
    QString detailPrediction() const;
    QString detailReference() const;
    /// Selects the sample in table row `row` (of the sorted view).
    void selectRow(int row);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void updateSummary();
    void showDetail();

    EvalResultsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    std::array<QLabel*, 4> m_means{};
    QLabel* m_info;
    QLineEdit* m_filter;
    QTableView* m_table;
    QLabel* m_detailScores;
    QLabel* m_promptLabel;
    QLabel* m_predictionLabel;
    QLabel* m_referenceLabel;
    QPlainTextEdit* m_prompt;
    QPlainTextEdit* m_prediction;
    QPlainTextEdit* m_reference;
};

} // namespace td::ui
