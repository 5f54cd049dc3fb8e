// SPDX-License-Identifier: Apache-2.0
// The Train tab's fields as data: LlamaBoard's ids, defaults and ranges (llamaboard.md §1.2), grouped as its
// accordions are. The form (train_form.h) builds its widgets from this table and train_args.h maps the values
// to LLaMA-Factory arguments, so a new field is one line here plus, when it needs it, one mapping rule.
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <vector>

namespace td::ui
{

enum class FieldKind
{
    Int,      ///< QSpinBox
    Double,   ///< QDoubleSpinBox with `step`, `decimals`
    FloatText,///< QLineEdit validated as a float ("5e-5"): LlamaBoard keeps learning rates as text
    Choice,   ///< QComboBox over `choices` (ids; display names from `choiceLabels` when given)
    Bool,     ///< QCheckBox
    Text,     ///< QLineEdit
};

struct TrainField
{
    const char* id;      ///< LlamaBoard widget name (train.<id>), also the UI-state key
    const char* group;   ///< id of the group box, see TrainFields::groups()
    FieldKind kind;
    QVariant defaultValue;
    double min = 0;
    double max = 0;
    double step = 1;
    int decimals = 0;
    QStringList choices = {};
    const char* label = "";   ///< English; translated through QT_TR_NOOP in TrainFields
    const char* info = "";    ///< tooltip text, translated likewise
};

struct TrainGroup
{
    const char* id;
    const char* title; ///< translated through QT_TR_NOOP in TrainFields
    bool collapsed;    ///< LlamaBoard shows these accordions closed
};

class TrainFields
{
    Q_DECLARE_TR_FUNCTIONS(TrainFields)
public:
    static const std::vector<TrainField>& all();
    static const std::vector<TrainGroup>& groups();
    static const TrainField* find(const QString& id);
    /// Display name of a stage id (sft -> "Supervised Fine-Tuning"), translated.
    static QString stageName(const QString& stageId);
    /// Translated label and tooltip of a field.
    static QString label(const TrainField& f);
    static QString info(const TrainField& f);
};

} // namespace td::ui
