// SPDX-License-Identifier: Apache-2.0
// The Train tab's estimate next to Start: "Estimated memory: X GB of Y GB available · ≈ Z TFLOP/step", from
// td::jobs::estimateTraining (config.json only, cheap enough for the GUI thread). schedule() re-estimates
// 300 ms after the last change (model path, finetuning type, batch, cutoff, LoRA rank, compute type, ...).
// Red with a tooltip saying what to change when the run cannot fit; empty while there is no model.
#pragma once

#include <functional>

#include <QLabel>
#include <QTimer>
#include <QVariantMap>

#include "core/jobs/train_estimate.h"

namespace td::ui
{

class MemoryLabel : public QLabel
{
    Q_OBJECT
public:
    /// `arguments` returns the LLaMA-Factory arguments the form currently produces.
    explicit MemoryLabel(std::function<QVariantMap()> arguments, QWidget* parent = nullptr);

    /// Re-estimates after the debounce interval (restarted by every call).
    void schedule();
    /// Re-estimates now.
    void refresh();
    const td::jobs::TrainEstimate& estimate() const { return m_estimate; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void render();

    std::function<QVariantMap()> m_arguments;
    td::jobs::TrainEstimate m_estimate;
    QTimer m_timer;
};

} // namespace td::ui
