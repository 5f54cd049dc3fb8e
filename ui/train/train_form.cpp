// SPDX-License-Identifier: Apache-2.0
#include "ui/train/train_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/train/train_fields.h"

namespace td::ui
{

namespace
{
constexpr int kPairsPerRow = 3;
}

TrainForm::TrainForm(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("train.form"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    for (const TrainGroup& g : TrainFields::groups()) {
        const QString gid = QLatin1String(g.id);
        auto* section = new QWidget(this);
        auto* sectionLayout = new QVBoxLayout(section);
        sectionLayout->setContentsMargins(0, 0, 0, 0);
        auto* header = new QToolButton(section);
        header->setObjectName(QStringLiteral("train.%1_tab").arg(gid));
        header->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        header->setCheckable(true);
        header->setChecked(!g.collapsed);
        header->setAutoRaise(true);
        header->setArrowType(g.collapsed ? Qt::RightArrow : Qt::DownArrow);
        auto* body = new QWidget(section);
        body->setVisible(!g.collapsed);
        connect(header, &QToolButton::toggled, body, [header, body](bool open) {
            body->setVisible(open);
            header->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        });
        auto* grid = new QGridLayout(body);
        int n = 0;
        for (const TrainField& f : TrainFields::all()) {
            if (gid != QLatin1String(f.group)) {
                continue;
            }
            QWidget* w = makeWidget(f);
            auto* label = new QLabel(body);
            label->setBuddy(w);
            m_labels.insert(QLatin1String(f.id), label);
            grid->addWidget(label, n / kPairsPerRow, 2 * (n % kPairsPerRow));
            grid->addWidget(w, n / kPairsPerRow, 2 * (n % kPairsPerRow) + 1);
            ++n;
        }
        for (int c = 1; c < 2 * kPairsPerRow; c += 2) {
            grid->setColumnStretch(c, 1);
        }
        sectionLayout->addWidget(header);
        sectionLayout->addWidget(body);
        outer->addWidget(section);
        m_headers.insert(gid, header);
        m_sections.insert(gid, section);
    }
    outer->addStretch(1);
    retranslateUi();
}

QWidget* TrainForm::makeWidget(const TrainField& f)
{
    QWidget* w = nullptr;
    switch (f.kind) {
    case FieldKind::Int: {
        auto* s = new QSpinBox(this);
        s->setRange(int(f.min), int(f.max));
        s->setSingleStep(int(f.step));
        s->setValue(f.defaultValue.toInt());
        connect(s, &QSpinBox::valueChanged, this, &TrainForm::valuesChanged);
        w = s;
        break;
    }
    case FieldKind::Double: {
        auto* s = new QDoubleSpinBox(this);
        s->setDecimals(f.decimals);
        s->setRange(f.min, f.max);
        s->setSingleStep(f.step);
        s->setValue(f.defaultValue.toDouble());
        connect(s, &QDoubleSpinBox::valueChanged, this, &TrainForm::valuesChanged);
        w = s;
        break;
    }
    case FieldKind::FloatText:
    case FieldKind::Text: {
        auto* e = new QLineEdit(f.defaultValue.toString(), this);
        if (f.kind == FieldKind::FloatText) {
            auto* v = new QDoubleValidator(e);
            v->setLocale(QLocale::c()); // LLaMA-Factory writes 5e-5 whatever the UI language
            e->setValidator(v);
        }
        connect(e, &QLineEdit::textChanged, this, &TrainForm::valuesChanged);
        w = e;
        break;
    }
    case FieldKind::Choice: {
        auto* c = new QComboBox(this);
        for (const QString& id : f.choices) {
            c->addItem(id, id);
        }
        c->setCurrentIndex(c->findData(f.defaultValue));
        connect(c, &QComboBox::currentIndexChanged, this, &TrainForm::valuesChanged);
        w = c;
        break;
    }
    case FieldKind::Bool: {
        auto* b = new QCheckBox(this);
        b->setChecked(f.defaultValue.toBool());
        connect(b, &QCheckBox::toggled, this, &TrainForm::valuesChanged);
        w = b;
        break;
    }
    }
    w->setObjectName(QStringLiteral("train.%1").arg(QLatin1String(f.id)));
    m_widgets.insert(QLatin1String(f.id), w);
    return w;
}

QVariantMap TrainForm::values() const
{
    QVariantMap out;
    for (const TrainField& f : TrainFields::all()) {
        QWidget* w = m_widgets.value(QLatin1String(f.id));
        QVariant v;
        switch (f.kind) {
        case FieldKind::Int: v = qlonglong(static_cast<QSpinBox*>(w)->value()); break;
        case FieldKind::Double: v = static_cast<QDoubleSpinBox*>(w)->value(); break;
        case FieldKind::FloatText:
        case FieldKind::Text: v = static_cast<QLineEdit*>(w)->text(); break;
        case FieldKind::Choice: v = static_cast<QComboBox*>(w)->currentData(); break;
        case FieldKind::Bool: v = static_cast<QCheckBox*>(w)->isChecked(); break;
        }
        out.insert(QLatin1String(f.id), v);
    }
    return out;
}

void TrainForm::setValues(const QVariantMap& values)
{
    for (auto it = values.begin(); it != values.end(); ++it) {
        const TrainField* f = TrainFields::find(it.key());
        if (!f) {
            continue;
        }
        QWidget* w = m_widgets.value(it.key());
        const QVariant& v = it.value();
        switch (f->kind) {
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
}

void TrainForm::resetToDefaults()
{
    QVariantMap defaults;
    for (const TrainField& f : TrainFields::all()) {
        defaults.insert(QLatin1String(f.id), f.defaultValue);
    }
    setValues(defaults);
}

void TrainForm::setFinetuningType(const QString& type)
{
    m_sections.value(QStringLiteral("freeze"))->setVisible(type == QLatin1String("freeze"));
    m_sections.value(QStringLiteral("lora"))->setVisible(type == QLatin1String("lora"));
}

void TrainForm::retranslateUi()
{
    for (const TrainGroup& g : TrainFields::groups()) {
        m_headers.value(QLatin1String(g.id))->setText(TrainFields::tr(g.title));
    }
    for (const TrainField& f : TrainFields::all()) {
        m_labels.value(QLatin1String(f.id))->setText(TrainFields::label(f));
        m_widgets.value(QLatin1String(f.id))->setToolTip(TrainFields::info(f));
        m_labels.value(QLatin1String(f.id))->setToolTip(TrainFields::info(f));
    }
    auto* stage = static_cast<QComboBox*>(m_widgets.value(QStringLiteral("training_stage")));
    for (int i = 0; i < stage->count(); ++i) {
        stage->setItemText(i, TrainFields::stageName(stage->itemData(i).toString()));
    }
}

void TrainForm::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

} // namespace td::ui
