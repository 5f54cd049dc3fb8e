// SPDX-License-Identifier: Apache-2.0
// "Preview dataset" (llamaboard.md §1.5, richer): the first rows as they are in the file, the text the model
// sees with the trained part highlighted and token counts (for preference data in rm/dpo a second pane shows
// the rejected sequence under the chosen one), why a row is dropped, and whole-dataset
// statistics with a token-length histogram. Non-modal; it fills itself when the preview job reports.
#pragma once

#include <QDialog>

#include "core/jobs/dataset_preview.h"

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QTabWidget;
class QTextBrowser;
class QChartView;

namespace td::ui
{

class DatasetPreviewDialog : public QDialog
{
    Q_OBJECT
public:
    explicit DatasetPreviewDialog(QWidget* parent = nullptr);
    /// Shows a new dialog (deleted when closed) and runs the preview of `request` on the engine's worker; the
    /// dialog owns the previewer, so a closed dialog drops its result and two dialogs never mix theirs.
    static DatasetPreviewDialog* open(td::jobs::EngineService* engine, const td::jobs::DatasetPreviewRequest& request,
                                      QWidget* parent);

    void showPreview(const td::jobs::DatasetPreviewInfo& info);
    void showError(const QString& message);
    const td::jobs::DatasetPreviewInfo& info() const { return m_info; }
    /// The rendered sample currently shown, as HTML (trained spans are highlighted).
    QString renderedHtml() const;
    /// The rejected sequence of the current sample (preference data), as HTML; empty when there is none.
    QString rejectedHtml() const;
    QString statisticsText() const;

private:
    void showSample(int row);
    void fillStatistics();

    td::jobs::DatasetPreviewInfo m_info;
    QLabel* m_header;
    QTabWidget* m_tabs;
    QListWidget* m_rows;
    QPlainTextEdit* m_raw;
    QTextBrowser* m_rendered;
    QTextBrowser* m_rejected; ///< shown only for samples with a rejected sequence
    QLabel* m_rowInfo;
    QLabel* m_stats;
    QChartView* m_histogram;
    QListWidget* m_dropped;
};

} // namespace td::ui
