// SPDX-License-Identifier: Apache-2.0
#include "ui/train/train_form.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/train/field_editor.h"
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
    QWidget* w = createFieldEditor(f, this, [this] { Q_EMIT valuesChanged(); });
    w->setObjectName(QStringLiteral("train.%1").arg(QLatin1String(f.id)));
    m_widgets.insert(QLatin1String(f.id), w);
    return w;
}

QVariantMap TrainForm::values() const
{
    QVariantMap out;
    for (const TrainField& f : TrainFields::all()) {
        out.insert(QLatin1String(f.id), fieldEditorValue(f, m_widgets.value(QLatin1String(f.id))));
    }
    return out;
}

void TrainForm::setValues(const QVariantMap& values)
{
    for (auto it = values.begin(); it != values.end(); ++it) {
        if (const TrainField* f = TrainFields::find(it.key())) {
            setFieldEditorValue(*f, m_widgets.value(it.key()), it.value());
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
