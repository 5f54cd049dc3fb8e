// SPDX-License-Identifier: Apache-2.0
#include "ui/pages/pending_page.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace td::ui
{

PendingPage::PendingPage(const QString& objectName, std::function<QString()> title, std::function<QString()> body,
                         QWidget* parent)
    : QWidget(parent), m_title(std::move(title)), m_body(std::move(body))
{
    setObjectName(objectName);
    auto* layout = new QVBoxLayout(this);
    m_titleLabel = new QLabel(this);
    m_titleLabel->setObjectName(objectName + QStringLiteral(".title"));
    QFont f = m_titleLabel->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    m_titleLabel->setFont(f);
    m_bodyLabel = new QLabel(this);
    m_bodyLabel->setObjectName(objectName + QStringLiteral(".body"));
    m_bodyLabel->setWordWrap(true);
    m_bodyLabel->setTextFormat(Qt::PlainText);
    layout->addWidget(m_titleLabel);
    layout->addWidget(m_bodyLabel);
    layout->addStretch(1);
    retranslateUi();
}

void PendingPage::retranslateUi()
{
    m_titleLabel->setText(m_title());
    m_bodyLabel->setText(m_body());
}

void PendingPage::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

} // namespace td::ui
