// SPDX-License-Identifier: Apache-2.0
// One editor widget per field of a form table (TrainField: kind, default, range, step, choices), shared by the
// Train tab's form and the Evaluate tab: QSpinBox for Int, QDoubleSpinBox for Double, QLineEdit for text and
// float text (validated with the C locale: LLaMA-Factory writes 5e-5 whatever the UI language), QComboBox over
// ids for Choice, QCheckBox for Bool.
#pragma once

#include <functional>

#include <QVariant>

class QWidget;

namespace td::ui
{

struct TrainField;

/// A new editor holding the field's default; `changed` is called on every edit.
QWidget* createFieldEditor(const TrainField& f, QWidget* parent, const std::function<void()>& changed);
/// The editor's value: qlonglong, double, bool or QString by kind (the Choice's id).
QVariant fieldEditorValue(const TrainField& f, const QWidget* editor);
/// Sets the editor; numbers are clamped to the range, an unknown choice is ignored.
void setFieldEditorValue(const TrainField& f, QWidget* editor, const QVariant& value);

} // namespace td::ui
