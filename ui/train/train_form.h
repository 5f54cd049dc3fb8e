// SPDX-License-Identifier: Apache-2.0
// The Train tab's hyperparameter forms, built from TrainFields: one section per group (basic, extra,
// freeze, LoRA, RLHF, GaLore, BAdam), each a grid of labelled widgets with LlamaBoard's defaults, ranges and
// tooltips. Widgets are named "train.<id>" so tests and saved UI state address them.
#pragma once

#include <QMap>
#include <QVariantMap>
#include <QWidget>

class QLabel;
class QToolButton;

namespace td::ui
{

struct TrainField;

class TrainForm : public QWidget
{
    Q_OBJECT
public:
    explicit TrainForm(QWidget* parent = nullptr);

    /// Field id -> value (qlonglong, double, bool or QString by kind).
    QVariantMap values() const;
    /// Sets the fields named in `values`; unknown ids are ignored, values are clamped to the ranges.
    void setValues(const QVariantMap& values);
    void resetToDefaults();
    QWidget* fieldWidget(const QString& id) const { return m_widgets.value(id); }
    /// Shows only the sections that apply to a finetuning type (freeze/LoRA) as LlamaBoard does.
    void setFinetuningType(const QString& type);

Q_SIGNALS:
    void valuesChanged();

protected:
    void changeEvent(QEvent* event) override;

private:
    QWidget* makeWidget(const TrainField& f);
    void retranslateUi();

    QMap<QString, QWidget*> m_widgets;        // field id -> editor
    QMap<QString, QLabel*> m_labels;          // field id -> label
    QMap<QString, QToolButton*> m_headers;    // group id -> section header
    QMap<QString, QWidget*> m_sections;       // group id -> section (header + body)
};

} // namespace td::ui
