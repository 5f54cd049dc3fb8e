// SPDX-License-Identifier: Apache-2.0
// A tab whose engine part has not landed yet: it says what the tab will do and which capability brings it,
// instead of showing invented data. Replaced page by page as the engine grows.
#pragma once

#include <functional>

#include <QWidget>

class QLabel;

namespace td::ui
{

class PendingPage : public QWidget
{
    Q_OBJECT
public:
    /// `title` and `body` are called again on every language change (they return tr() strings).
    PendingPage(const QString& objectName, std::function<QString()> title, std::function<QString()> body,
                QWidget* parent = nullptr);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    std::function<QString()> m_title;
    std::function<QString()> m_body;
    QLabel* m_titleLabel;
    QLabel* m_bodyLabel;
};

} // namespace td::ui
