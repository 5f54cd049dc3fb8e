// SPDX-License-Identifier: Apache-2.0
#include "ui/dialogs/dataset_preview_dialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>

namespace td::ui
{

namespace
{

/// Rendered spans as HTML: trained text highlighted, prompt text grey; an optional bold title line first.
QString spansHtml(const QVector<td::jobs::PreviewSpan>& spans, const QString& title)
{
    QString html;
    if (!title.isEmpty()) {
        html += QStringLiteral("<p><b>%1</b></p>").arg(title.toHtmlEscaped());
    }
    html += QStringLiteral("<pre style=\"white-space: pre-wrap\">");
    for (const auto& span : spans) {
        const QString text = span.text.toHtmlEscaped();
        html += span.trained ? QStringLiteral("<span style=\"background:#ccfbf1\"><b>%1</b></span>").arg(text)
                             : QStringLiteral("<span style=\"color:#6b7280\">%1</span>").arg(text);
    }
    html += QStringLiteral("</pre>");
    return html;
}

} // namespace

DatasetPreviewDialog* DatasetPreviewDialog::open(td::jobs::EngineService* engine,
                                                 const td::jobs::DatasetPreviewRequest& request, QWidget* parent)
{
    auto* dialog = new DatasetPreviewDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* previewer = new td::jobs::DatasetPreviewer(engine, dialog);
    connect(previewer, &td::jobs::DatasetPreviewer::ready, dialog, &DatasetPreviewDialog::showPreview);
    connect(previewer, &td::jobs::DatasetPreviewer::failed, dialog,
            [dialog](const td::jobs::JobOutcome& o) { dialog->showError(o.message + QLatin1Char('\n') + o.hint); });
    previewer->start(request);
    dialog->show();
    return dialog;
}

DatasetPreviewDialog::DatasetPreviewDialog(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("datasetPreview"));
    setWindowTitle(tr("Preview dataset"));
    resize(1000, 680);
    m_header = new QLabel(tr("Reading the dataset..."), this);
    m_header->setWordWrap(true);
    m_tabs = new QTabWidget(this);

    auto* samples = new QWidget(m_tabs);
    m_rows = new QListWidget(samples);
    m_rows->setObjectName(QStringLiteral("datasetPreview.rows"));
    m_rows->setMaximumWidth(260);
    m_raw = new QPlainTextEdit(samples);
    m_raw->setReadOnly(true);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_rendered = new QTextBrowser(samples);
    m_rendered->setObjectName(QStringLiteral("datasetPreview.rendered"));
    m_rejected = new QTextBrowser(samples);
    m_rejected->setObjectName(QStringLiteral("datasetPreview.rejected"));
    m_rejected->hide();
    m_rowInfo = new QLabel(samples);
    m_rowInfo->setWordWrap(true);
    auto* right = new QSplitter(Qt::Vertical, samples);
    right->addWidget(m_raw);
    right->addWidget(m_rendered);
    right->addWidget(m_rejected);
    auto* rightBox = new QVBoxLayout;
    rightBox->addWidget(m_rowInfo);
    rightBox->addWidget(right, 1);
    auto* sampleLayout = new QHBoxLayout(samples);
    sampleLayout->addWidget(m_rows);
    sampleLayout->addLayout(rightBox, 1);
    m_tabs->addTab(samples, tr("Samples"));

    auto* statsPage = new QWidget(m_tabs);
    m_stats = new QLabel(statsPage);
    m_stats->setObjectName(QStringLiteral("datasetPreview.stats"));
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_histogram = new QChartView(new QChart, statsPage);
    m_histogram->setMinimumHeight(260);
    m_dropped = new QListWidget(statsPage);
    m_dropped->setObjectName(QStringLiteral("datasetPreview.dropped"));
    auto* statsLayout = new QVBoxLayout(statsPage);
    statsLayout->addWidget(m_stats);
    statsLayout->addWidget(m_histogram, 2);
    statsLayout->addWidget(new QLabel(tr("Dropped rows and why:"), statsPage));
    statsLayout->addWidget(m_dropped, 1);
    m_tabs->addTab(statsPage, tr("Statistics"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_rows, &QListWidget::currentRowChanged, this, &DatasetPreviewDialog::showSample);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);
}

void DatasetPreviewDialog::showPreview(const td::jobs::DatasetPreviewInfo& info)
{
    m_info = info;
    m_header->setText(tr("Dataset %1 (format %2), template %3")
                          .arg(info.dataset, info.formatting,
                               info.templateName.isEmpty() ? tr("none (no tokenizer)") : info.templateName));
    m_rows->clear();
    for (const auto& s : info.samples) {
        auto* item = new QListWidgetItem(s.source, m_rows);
        if (!s.problem.isEmpty()) {
            item->setForeground(QColor(180, 30, 30));
        }
    }
    if (!info.samples.isEmpty()) {
        m_rows->setCurrentRow(0);
    }
    fillStatistics();
}

void DatasetPreviewDialog::showError(const QString& message)
{
    m_header->setText(message);
}

void DatasetPreviewDialog::showSample(int row)
{
    if (row < 0 || row >= m_info.samples.size()) {
        return;
    }
    const auto& s = m_info.samples[row];
    m_raw->setPlainText(s.rawJson);
    const bool pairwise = !s.rejected.isEmpty();
    m_rendered->setHtml(spansHtml(s.rendered, pairwise ? tr("Chosen") : QString()));
    m_rejected->setHtml(pairwise ? spansHtml(s.rejected, tr("Rejected")) : QString());
    m_rejected->setVisible(pairwise);
    const QLocale loc;
    QString info;
    if (!s.problem.isEmpty()) {
        info = tr("Dropped: %1").arg(s.problem);
    } else if (pairwise) {
        info = tr("Chosen: %1 tokens, %2 trained; rejected: %3 tokens, %4 trained (highlighted); grey text is "
                  "prompt and carries no loss.")
                   .arg(loc.toString(s.tokens), loc.toString(s.trainedTokens), loc.toString(s.rejectedTokens),
                        loc.toString(s.rejectedTrainedTokens));
    } else {
        info = tr("%1 tokens, %2 trained (highlighted); grey text is prompt and carries no loss.")
                   .arg(loc.toString(s.tokens), loc.toString(s.trainedTokens));
    }
    if (s.truncated) {
        info += QLatin1Char(' ') + tr("Truncated to the cutoff length.");
    }
    m_rowInfo->setText(info);
}

void DatasetPreviewDialog::fillStatistics()
{
    const auto& st = m_info.stats;
    m_dropped->clear();
    auto* chart = m_histogram->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* a : chart->axes()) {
        chart->removeAxis(a);
        delete a;
    }
    if (!st.valid) {
        m_stats->setText(tr("Choose a model to count tokens and see statistics."));
        return;
    }
    const QLocale loc;
    m_stats->setText(tr("%1 rows, %2 usable examples, %3 truncated.\nTokens per example: min %4, mean %5, max %6; "
                        "%7 tokens in all.")
                         .arg(loc.toString(st.rows), loc.toString(st.examples), loc.toString(st.truncated),
                              loc.toString(st.minTokens), loc.toString(st.meanTokens, 'f', 1),
                              loc.toString(st.maxTokens), loc.toString(st.totalTokens)));
    for (const QString& d : st.dropped) {
        m_dropped->addItem(d);
    }
    auto* set = new QBarSet(tr("examples"));
    QStringList categories;
    for (int i = 0; i < st.histogramCounts.size(); ++i) {
        *set << double(st.histogramCounts[i]);
        const qint64 lo = i < st.histogramEdges.size() ? st.histogramEdges[i] : 0;
        categories << loc.toString(lo);
    }
    auto* series = new QBarSeries;
    series->append(set);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    x->setTitleText(tr("tokens per example"));
    auto* y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    chart->legend()->hide();
}

QString DatasetPreviewDialog::renderedHtml() const
{
    return m_rendered->toHtml();
}

QString DatasetPreviewDialog::rejectedHtml() const
{
    return m_rejected->isHidden() ? QString() : m_rejected->toHtml();
}

QString DatasetPreviewDialog::statisticsText() const
{
    return m_stats->text();
}

} // namespace td::ui
