// SPDX-License-Identifier: Apache-2.0
#include "ui/train/memory_label.h"

#include <QEvent>

namespace td::ui
{

namespace
{

QString gigabytes(qint64 bytes)
{
    return MemoryLabel::tr("%1 GB").arg(QString::number(static_cast<double>(bytes) / 1e9, 'f', 1));
}

QString teraflops(double flops)
{
    const double t = flops / 1e12;
    if (t >= 10) {
        return QString::number(t, 'f', 0);
    }
    if (t >= 0.1) {
        return QString::number(t, 'f', 1);
    }
    return QString::number(t, 'g', 1);
}

} // namespace

MemoryLabel::MemoryLabel(std::function<QVariantMap()> arguments, QWidget* parent)
    : QLabel(parent), m_arguments(std::move(arguments))
{
    setObjectName(QStringLiteral("train.memory_estimate"));
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_timer.setSingleShot(true);
    m_timer.setInterval(300);
    connect(&m_timer, &QTimer::timeout, this, &MemoryLabel::refresh);
}

void MemoryLabel::schedule()
{
    m_timer.start();
}

void MemoryLabel::refresh()
{
    m_timer.stop();
    m_estimate = td::jobs::estimateTraining(m_arguments ? m_arguments() : QVariantMap());
    render();
}

void MemoryLabel::render()
{
    const auto& e = m_estimate;
    if (!e.ok) {
        clear();
        setToolTip(QString());
        setStyleSheet(QString());
        return;
    }
    const QString flops = teraflops(e.flopsPerStep);
    if (e.availableBytes >= 0) {
        setText(tr("Estimated memory: %1 of %2 available · ≈ %3 TFLOP/step")
                    .arg(gigabytes(e.totalBytes), gigabytes(e.availableBytes), flops));
    } else {
        setText(tr("Estimated memory: %1 (GPU memory is not checked) · ≈ %2 TFLOP/step").arg(gigabytes(e.totalBytes), flops));
    }
    const QString parts = tr("Weights %1, gradients %2, optimizer %3, activations %4, logits %5, runtime %6. "
                             "Trainable parameters: %7 of %8.")
                              .arg(gigabytes(e.weightBytes), gigabytes(e.gradientBytes), gigabytes(e.optimizerBytes),
                                   gigabytes(e.activationBytes), gigabytes(e.logitsBytes), gigabytes(e.overheadBytes),
                                   QString::number(e.trainableParams), QString::number(e.totalParams));
    if (e.fits()) {
        setStyleSheet(QString());
        setToolTip(parts);
    } else {
        setStyleSheet(QStringLiteral("color: #c62828;"));
        setToolTip(tr("Training needs about %1, but only %2 are available. Lower the batch size or the cutoff "
                      "length, use LoRA and bf16, and keep gradient checkpointing on.")
                       .arg(gigabytes(e.totalBytes), gigabytes(e.availableBytes)) +
                   QLatin1Char('\n') + parts);
    }
}

void MemoryLabel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        render();
    }
    QLabel::changeEvent(event);
}

} // namespace td::ui
