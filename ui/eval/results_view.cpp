// SPDX-License-Identifier: Apache-2.0
#include "ui/eval/results_view.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "ui/eval/eval_results.h"

namespace td::ui
{

namespace
{
QPlainTextEdit* detailBox(const char* name, QWidget* parent)
{
    auto* e = new QPlainTextEdit(parent);
    e->setObjectName(QLatin1String(name));
    e->setReadOnly(true);
    return e;
}

QWidget* titled(QLabel* title, QWidget* body, QWidget* parent)
{
    auto* w = new QWidget(parent);
    auto* l = new QVBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(title);
    l->addWidget(body, 1);
    return w;
}
} // namespace

EvalResultsView::EvalResultsView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("eval.results"));
    m_model = new EvalResultsModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(EvalResultsModel::SortRole);
    m_proxy->setFilterRole(EvalResultsModel::SortRole); // the full texts
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    auto* summary = new QHBoxLayout;
    for (size_t i = 0; i < m_means.size(); ++i) {
        m_means[i] = new QLabel(this);
        m_means[i]->setObjectName(QStringLiteral("eval.summary.%1").arg(QLatin1String(EvalResults::scoreKeys()[i])));
        m_means[i]->setTextInteractionFlags(Qt::TextSelectableByMouse);
        summary->addWidget(m_means[i]);
        summary->addSpacing(12);
    }
    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("eval.summary_info"));
    m_info->setWordWrap(true);
    summary->addWidget(m_info, 1);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("eval.results_filter"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(260);
    summary->addWidget(m_filter);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("eval.results_table"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(EvalResultsModel::Index, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed); // never measures the rows
    // Fixed widths for # and the scores, the texts share the rest: nothing measures every row, so a large
    // run opens at once.
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    const QFontMetrics fm(m_table->font());
    header->resizeSection(EvalResultsModel::Index, fm.horizontalAdvance(QStringLiteral("000000")) + 16);
    for (int c = EvalResultsModel::Bleu4; c < EvalResultsModel::ColumnCount; ++c) {
        header->resizeSection(c, fm.horizontalAdvance(QStringLiteral("ROUGE-L")) + 36);
    }
    for (int c : {EvalResultsModel::Prompt, EvalResultsModel::Prediction, EvalResultsModel::Reference}) {
        header->setSectionResizeMode(c, QHeaderView::Stretch);
    }

    m_detailScores = new QLabel(this);
    m_detailScores->setObjectName(QStringLiteral("eval.detail_scores"));
    m_detailScores->setWordWrap(true);
    m_detailScores->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_promptLabel = new QLabel(this);
    m_predictionLabel = new QLabel(this);
    m_referenceLabel = new QLabel(this);
    m_prompt = detailBox("eval.detail_prompt", this);
    m_prompt->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont)); // special tokens stay legible
    m_prediction = detailBox("eval.detail_prediction", this);
    m_reference = detailBox("eval.detail_reference", this);
    auto* texts = new QSplitter(Qt::Vertical, this);
    texts->addWidget(titled(m_promptLabel, m_prompt, texts));
    texts->addWidget(titled(m_predictionLabel, m_prediction, texts));
    texts->addWidget(titled(m_referenceLabel, m_reference, texts));
    auto* detail = new QWidget(this);
    auto* detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_detailScores);
    detailLayout->addWidget(texts, 1);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_table);
    split->addWidget(detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(summary);
    layout->addWidget(split, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &EvalResultsView::showDetail);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &EvalResultsView::showDetail);
    retranslateUi();
}

void EvalResultsView::retranslateUi()
{
    m_filter->setPlaceholderText(tr("Filter samples…"));
    m_filter->setToolTip(tr("Show only the samples whose prompt, prediction or reference contains this text."));
    m_promptLabel->setText(tr("Prompt"));
    m_predictionLabel->setText(tr("Prediction"));
    m_referenceLabel->setText(tr("Reference"));
    m_table->setToolTip(tr("Every evaluated sample; click a header to sort, select a row to read it in full."));
    for (size_t i = 0; i < m_means.size(); ++i) {
        m_means[i]->setToolTip(EvalResultsModel::scoreExplanation(int(i)));
    }
    updateSummary();
    showDetail();
}

void EvalResultsView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

int EvalResultsView::load(const QString& dir)
{
    auto results = std::make_shared<EvalResults>(EvalResults::read(dir));
    const int n = int(results->samples.size());
    setResults(std::move(results));
    return n;
}

void EvalResultsView::setResults(std::shared_ptr<const EvalResults> results)
{
    m_model->setResults(std::move(results));
    updateSummary();
}

void EvalResultsView::clear()
{
    setResults(nullptr);
}

const EvalResults* EvalResultsView::results() const
{
    return m_model->results();
}

void EvalResultsView::updateSummary()
{
    const EvalResults* r = results();
    for (size_t i = 0; i < m_means.size(); ++i) {
        const auto mean = r ? r->mean(int(i)) : std::nullopt;
        m_means[i]->setText(mean ? QStringLiteral("<b>%1</b> %2")
                                       .arg(EvalResultsModel::scoreName(int(i)), QString::number(*mean, 'f', 2))
                                 : QString());
        m_means[i]->setVisible(mean.has_value());
    }
    if (!r || r->isEmpty()) {
        m_info->setText(r ? tr("No evaluation results in %1.").arg(r->dir)
                          : tr("No results yet: press Start, or choose an evaluation folder as the output dir."));
        return;
    }
    QStringList parts;
    parts << tr("%n sample(s)", nullptr, int(r->samples.size()));
    if (const auto speed = r->metric(QStringLiteral("samples_per_second"))) {
        parts << tr("%1 samples/s").arg(QString::number(*speed, 'f', 2));
    }
    if (const auto runtime = r->metric(QStringLiteral("runtime"))) {
        parts << tr("%1 s").arg(QString::number(*runtime, 'f', 1));
    }
    if (!r->hasPredictions && r->hasScores) {
        parts << tr("predictions not saved (\"Save predictions\" was off): scores only");
    }
    if (r->metrics.isEmpty()) {
        parts << tr("no all_results.json (the run did not finish): means of the samples shown");
    }
    if (const int empty = r->emptyPredictions()) {
        parts << tr("%n empty prediction(s), scored 0", nullptr, empty);
    }
    if (r->skippedLines > 0) {
        parts << tr("%n unreadable line(s) skipped", nullptr, r->skippedLines);
    }
    m_info->setText(parts.join(QStringLiteral(" · ")));
}

void EvalResultsView::showDetail()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const EvalSample* s = current.isValid() ? m_model->sample(m_proxy->mapToSource(current).row()) : nullptr;
    m_prompt->setPlainText(s ? s->prompt : QString());
    m_prediction->setPlainText(s ? s->predict : QString());
    m_reference->setPlainText(s ? s->label : QString());
    if (!s) {
        m_detailScores->setText(tr("Select a sample to read it in full."));
        return;
    }
    QString text = tr("Sample %1").arg(m_proxy->mapToSource(current).row() + 1);
    if (s->hasScores) {
        for (size_t i = 0; i < s->scores.size(); ++i) {
            text += QStringLiteral(" · %1 %2").arg(EvalResultsModel::scoreName(int(i)),
                                                  QString::number(s->scores[i], 'f', 4));
        }
    }
    m_detailScores->setText(text);
}

void EvalResultsView::selectRow(int row)
{
    m_table->selectRow(row);
    m_table->setCurrentIndex(m_proxy->index(row, 0));
}

QString EvalResultsView::summaryText(int i) const
{
    QString text = m_means[size_t(i)]->text();
    return text.remove(QStringLiteral("<b>")).remove(QStringLiteral("</b>"));
}

QString EvalResultsView::summaryInfo() const
{
    return m_info->text();
}

QString EvalResultsView::detailPrompt() const
{
    return m_prompt->toPlainText();
}

QString EvalResultsView::detailPrediction() const
{
    return m_prediction->toPlainText();
}

QString EvalResultsView::detailReference() const
{
    return m_reference->toPlainText();
}

} // namespace td::ui
