// SPDX-License-Identifier: Apache-2.0
#include "ui/widgets/loss_chart.h"

#include <algorithm>
#include <limits>

#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QPen>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

namespace td::ui
{

namespace
{
const QColor kLossColour(31, 119, 180);
const QColor kEvalColour(214, 39, 40);
const QColor kLrColour(44, 160, 44);
const QColor kOverlayColours[] = {QColor(148, 103, 189), QColor(140, 86, 75), QColor(227, 119, 194),
                                  QColor(127, 127, 127)};

/// LlamaBoard plots only log lines with a truthy loss.
bool hasLoss(const td::jobs::TrainerLogEntry& e)
{
    return e.loss && *e.loss != 0.0;
}
} // namespace

LossChart::LossChart(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("train.loss_viewer"));
    m_chart = new QChart;
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setRubberBand(QChartView::RectangleRubberBand);
    m_view->setMinimumSize(360, 220);

    m_loss = new QLineSeries(m_chart);
    QColor faint = kLossColour;
    faint.setAlphaF(0.4);
    m_loss->setPen(QPen(faint, 1.5));
    m_smooth = new QLineSeries(m_chart);
    m_smooth->setPen(QPen(kLossColour, 2));
    m_eval = new QScatterSeries(m_chart);
    m_eval->setColor(kEvalColour);
    m_eval->setMarkerSize(8);
    m_lr = new QLineSeries(m_chart);
    m_lr->setPen(QPen(kLrColour, 1, Qt::DotLine));
    const std::initializer_list<QAbstractSeries*> all = {m_loss, m_smooth, m_eval, m_lr};
    for (QAbstractSeries* s : all) {
        m_chart->addSeries(s);
    }

    m_x = new QValueAxis(m_chart);
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_lrAxis = new QValueAxis(m_chart);
    m_lrAxis->setLabelFormat(QStringLiteral("%.1e"));
    m_chart->addAxis(m_lrAxis, Qt::AlignRight);
    for (QAbstractSeries* s : all) {
        s->attachAxis(m_x);
    }
    m_lr->attachAxis(m_lrAxis);
    rebuildYAxis();

    m_logBox = new QCheckBox(this);
    m_logBox->setObjectName(QStringLiteral("train.loss_log_scale"));
    m_resetZoom = new QPushButton(this);
    m_resetZoom->setObjectName(QStringLiteral("train.loss_reset_zoom"));
    connect(m_logBox, &QCheckBox::toggled, this, &LossChart::setLogScale);
    connect(m_resetZoom, &QPushButton::clicked, this, [this] {
        m_chart->zoomReset();
        rebuildYAxis();
    });
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_logBox);
    controls->addStretch(1);
    controls->addWidget(m_resetZoom);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(controls);
    retranslateUi();
}

void LossChart::retranslateUi()
{
    m_loss->setName(tr("loss (original)"));
    m_smooth->setName(tr("loss (smoothed)"));
    m_eval->setName(tr("eval loss"));
    m_lr->setName(tr("learning rate"));
    m_x->setTitleText(tr("step"));
    m_y->setTitleText(tr("loss"));
    // Short: a vertical title longer than the plot is elided ("learning..."); the legend spells it out.
    m_lrAxis->setTitleText(tr("LR", "axis title: learning rate"));
    m_logBox->setText(tr("Log scale"));
    m_resetZoom->setText(tr("Reset zoom"));
    m_view->setToolTip(tr("Drag a rectangle to zoom in; right-click to zoom out."));
}

void LossChart::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void LossChart::clear()
{
    m_loss->clear();
    m_smooth->clear();
    m_eval->clear();
    m_lr->clear();
    rebuildYAxis();
}

void LossChart::setRun(const QVector<td::jobs::TrainerLogEntry>& entries)
{
    // Collect first and replace in one go: one repaint instead of one per point.
    QList<QPointF> loss;
    QList<QPointF> eval;
    QList<QPointF> lr;
    for (const auto& e : entries) {
        if (hasLoss(e)) {
            loss << QPointF(double(e.currentSteps), *e.loss);
            if (e.lr) {
                lr << QPointF(double(e.currentSteps), *e.lr);
            }
        }
        if (e.evalLoss) {
            eval << QPointF(double(e.currentSteps), *e.evalLoss);
        }
    }
    m_loss->replace(loss);
    m_eval->replace(eval);
    m_lr->replace(lr);
    rebuildSmoothed();
    rebuildYAxis();
}

void LossChart::append(const td::jobs::TrainerLogEntry& e)
{
    if (hasLoss(e)) {
        m_loss->append(double(e.currentSteps), *e.loss);
        if (e.lr) {
            m_lr->append(double(e.currentSteps), *e.lr);
        }
        rebuildSmoothed(); // the smoothing weight depends on the number of points
    }
    if (e.evalLoss) {
        m_eval->append(double(e.currentSteps), *e.evalLoss);
    }
    rebuildYAxis();
}

void LossChart::addOverlay(const QString& name, const QVector<td::jobs::TrainerLogEntry>& entries)
{
    auto* s = new QLineSeries(m_chart);
    s->setName(name);
    s->setPen(QPen(kOverlayColours[m_overlays.size() % 4], 1.5, Qt::DashLine));
    QVector<double> values;
    QVector<double> steps;
    for (const auto& e : entries) {
        if (hasLoss(e)) {
            values << *e.loss;
            steps << double(e.currentSteps);
        }
    }
    const QVector<double> smooth = td::jobs::smoothLoss(values);
    for (int i = 0; i < smooth.size(); ++i) {
        s->append(steps[i], smooth[i]);
    }
    m_chart->addSeries(s);
    s->attachAxis(m_x);
    s->attachAxis(m_y);
    m_overlays.push_back(s);
    rebuildYAxis();
}

void LossChart::clearOverlays()
{
    for (QLineSeries* s : m_overlays) {
        m_chart->removeSeries(s);
        delete s;
    }
    m_overlays.clear();
    rebuildYAxis();
}

void LossChart::rebuildSmoothed()
{
    QVector<double> values;
    values.reserve(m_loss->count());
    for (const QPointF& p : m_loss->points()) {
        values << p.y();
    }
    const QVector<double> s = td::jobs::smoothLoss(values);
    QList<QPointF> pts;
    for (int i = 0; i < s.size(); ++i) {
        pts << QPointF(m_loss->at(i).x(), s[i]);
    }
    m_smooth->replace(pts);
}

void LossChart::setLogScale(bool on)
{
    if (m_log == on) {
        return;
    }
    m_log = on;
    {
        const QSignalBlocker block(m_logBox);
        m_logBox->setChecked(on);
    }
    rebuildYAxis();
}

void LossChart::rebuildYAxis()
{
    // Ranges from every loss-like point (losses are positive, so a log axis is always valid).
    double lo = std::numeric_limits<double>::max();
    double hi = 0;
    double xmax = 10; // an empty chart still shows a sensible step axis
    auto scan = [&](const QList<QPointF>& pts) {
        for (const QPointF& p : pts) {
            lo = std::min(lo, p.y());
            hi = std::max(hi, p.y());
            xmax = std::max(xmax, p.x());
        }
    };
    scan(m_loss->points());
    scan(m_eval->points());
    for (QLineSeries* s : m_overlays) {
        scan(s->points());
    }
    if (hi <= 0) {
        lo = 0.1;
        hi = 10;
    }
    QAbstractAxis* axis = nullptr;
    if (m_log) {
        auto* a = new QLogValueAxis(m_chart);
        a->setBase(10);
        a->setLabelFormat(QStringLiteral("%.3g"));
        a->setRange(std::max(lo * 0.9, 1e-6), hi * 1.1);
        axis = a;
    } else {
        auto* a = new QValueAxis(m_chart);
        const double pad = (hi - lo) * 0.05 + 1e-6;
        a->setRange(std::max(0.0, lo - pad), hi + pad);
        axis = a;
    }
    if (m_y) {
        m_chart->removeAxis(m_y);
        delete m_y;
    }
    m_y = axis;
    m_y->setTitleText(tr("loss"));
    m_chart->addAxis(m_y, Qt::AlignLeft);
    const std::initializer_list<QAbstractSeries*> lossLike = {m_loss, m_smooth, m_eval};
    for (QAbstractSeries* s : lossLike) {
        s->attachAxis(m_y);
    }
    for (QLineSeries* s : m_overlays) {
        s->attachAxis(m_y);
    }
    m_x->setRange(0, xmax);
    m_x->applyNiceNumbers();
    double lrMax = 0;
    for (const QPointF& p : m_lr->points()) {
        lrMax = std::max(lrMax, p.y());
    }
    m_lrAxis->setRange(0, lrMax > 0 ? lrMax * 1.1 : 1e-4);
}

int LossChart::lossPoints() const { return int(m_loss->count()); }
int LossChart::evalPoints() const { return int(m_eval->count()); }
int LossChart::lrPoints() const { return int(m_lr->count()); }

QVector<double> LossChart::smoothedValues() const
{
    QVector<double> out;
    for (const QPointF& p : m_smooth->points()) {
        out << p.y();
    }
    return out;
}

} // namespace td::ui
