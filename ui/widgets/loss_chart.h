// SPDX-License-Identifier: Apache-2.0
// The live loss chart (QtCharts): training loss (raw, faint) and its smoothed curve as LlamaBoard draws them,
// eval loss, the learning rate on a second axis, past runs as dashed overlays; a log-scale toggle and
// rubber-band zoom. Fed point by point while a run trains, or all at once from a run's trainer_log.jsonl.
#pragma once

#include <QVector>
#include <QWidget>

#include "core/jobs/trainer_log.h"

class QCheckBox;
class QPushButton;
class QLineSeries;
class QScatterSeries;
class QChart;
class QChartView;
class QAbstractAxis;
class QValueAxis;

namespace td::ui
{

class LossChart : public QWidget
{
    Q_OBJECT
public:
    explicit LossChart(QWidget* parent = nullptr);

    /// Replaces the current run's points.
    void setRun(const QVector<td::jobs::TrainerLogEntry>& entries);
    /// Adds one logging event of the current run (live).
    void append(const td::jobs::TrainerLogEntry& entry);
    /// Draws another run for comparison (dashed, smoothed); `name` is its legend.
    void addOverlay(const QString& name, const QVector<td::jobs::TrainerLogEntry>& entries);
    void clearOverlays();
    void clear();

    void setLogScale(bool on);
    bool logScale() const { return m_log; }

    // For tests and the status line.
    int lossPoints() const;
    int evalPoints() const;
    int lrPoints() const;
    int overlayCount() const { return int(m_overlays.size()); }
    QVector<double> smoothedValues() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuildSmoothed();
    void rebuildYAxis();
    void retranslateUi();

    QChart* m_chart;
    QChartView* m_view;
    QLineSeries* m_loss;
    QLineSeries* m_smooth;
    QScatterSeries* m_eval;
    QLineSeries* m_lr;
    QVector<QLineSeries*> m_overlays;
    QValueAxis* m_x;
    QAbstractAxis* m_y = nullptr;
    QValueAxis* m_lrAxis;
    QCheckBox* m_logBox;
    QPushButton* m_resetZoom;
    bool m_log = false;
};

} // namespace td::ui
