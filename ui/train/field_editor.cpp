// SPDX-License-Identifier: Apache-2.0
#include "ui/train/field_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QLineEdit>
#include <QSpinBox>

#include "ui/train/train_fields.h"

namespace td::ui
{

QWidget* createFieldEditor(const TrainField& f, QWidget* parent, const std::function<void()>& changed)
{
    switch (f.kind) {
    case FieldKind::Int: {
        auto* s = new QSpinBox(parent);
        s->setRange(int(f.min), int(f.max));
        s->setSingleStep(int(f.step));
        s->setValue(f.defaultValue.toInt());
        QObject::connect(s, &QSpinBox::valueChanged, s, [changed] { changed(); });
        return s;
    }
    case FieldKind::Double: {
        auto* s = new QDoubleSpinBox(parent);
        s->setDecimals(f.decimals);
        s->setRange(f.min, f.max);
        s->setSingleStep(f.step);
        s->setValue(f.defaultValue.toDouble());
        QObject::connect(s, &QDoubleSpinBox::valueChanged, s, [changed] { changed(); });
        return s;
    }
    case FieldKind::FloatText:
    case FieldKind::Text: {
        auto* e = new QLineEdit(f.defaultValue.toString(), parent);
        if (f.kind == FieldKind::FloatText) {
            auto* v = new QDoubleValidator(e);
            v->setLocale(QLocale::c());
            e->setValidator(v);
        }
        QObject::connect(e, &QLineEdit::textChanged, e, [changed] { changed(); });
        return e;
    }
    case FieldKind::Choice: {
        auto* c = new QComboBox(parent);
        for (const QString& id : f.choices) {
            c->addItem(id, id);
        }
        c->setCurrentIndex(c->findData(f.defaultValue));
        QObject::connect(c, &QComboBox::currentIndexChanged, c, [changed] { changed(); });
        return c;
    }
    case FieldKind::Bool: {
        auto* b = new QCheckBox(parent);
        b->setChecked(f.defaultValue.toBool());
        QObject::connect(b, &QCheckBox::toggled, b, [changed] { changed(); });
        return b;
    }
    }
    return nullptr;
}

QVariant fieldEditorValue(const TrainField& f, const QWidget* w)
{
    switch (f.kind) {
    case FieldKind::Int: return qlonglong(static_cast<const QSpinBox*>(w)->value());
    case FieldKind::Double: return static_cast<const QDoubleSpinBox*>(w)->value();
    case FieldKind::FloatText:
    case FieldKind::Text: return static_cast<const QLineEdit*>(w)->text();
    case FieldKind::Choice: return static_cast<const QComboBox*>(w)->currentData();
    case FieldKind::Bool: return static_cast<const QCheckBox*>(w)->isChecked();
    }
    return {};
}

void setFieldEditorValue(const TrainField& f, QWidget* w, const QVariant& v)
{
    switch (f.kind) {
    case FieldKind::Int: static_cast<QSpinBox*>(w)->setValue(v.toInt()); break;
    case FieldKind::Double: static_cast<QDoubleSpinBox*>(w)->setValue(v.toDouble()); break;
    case FieldKind::FloatText:
    case FieldKind::Text: static_cast<QLineEdit*>(w)->setText(v.toString()); break;
    case FieldKind::Choice: {
        auto* c = static_cast<QComboBox*>(w);
        const int i = c->findData(v.toString());
        if (i >= 0) {
            c->setCurrentIndex(i);
        }
        break;
    }
    case FieldKind::Bool: static_cast<QCheckBox*>(w)->setChecked(v.toBool()); break;
    }
}

} // namespace td::ui
