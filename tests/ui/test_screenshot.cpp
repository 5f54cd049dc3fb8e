// SPDX-License-Identifier: Apache-2.0
// The main window in a real X server (run under xvfb-run), in English, Russian and Chinese: it maps, paints,
// switches language at run time, and a screenshot of every tab per language is saved to
// <build>/screenshots/main_window_<lang>_<tab>.png for people to look at (docs/images holds three of them).
// Each tab is also checked for what a translation breaks first: a label or button narrower than its text
// (clipped) and a button or form label with no text.
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QAbstractButton>
#include <QFormLayout>
#include <QSet>
#include <QLabel>
#include <QMenuBar>
#include <QTabWidget>
#include <QPixmap>
#include <QScreen>
#include <QStandardPaths>
#include <QTest>

#include "core/jobs/engine_service.h"
#include "ui/language.h"
#include "ui/main_window.h"

namespace
{
/// Distinct colours on a grid over the window's area: a blank or unpainted window has very few.
int colourCount(const QImage& img, const QRect& area)
{
    QSet<QRgb> colours;
    for (int y = area.top(); y < area.bottom(); y += 7) {
        for (int x = area.left(); x < area.right(); x += 7) {
            colours.insert(img.pixel(x, y));
        }
    }
    return int(colours.size());
}

/// Visible labels and buttons of `page` whose text does not fit (narrower than their minimum size hint)
/// or that have no text where one is expected (buttons without an icon, labels of form rows).
QStringList textProblems(QWidget* page)
{
    QStringList problems;
    auto describe = [](QWidget* w, const QString& text) {
        return QStringLiteral("%1 '%2' (%3 px of %4)")
            .arg(w->metaObject()->className(), text)
            .arg(w->width())
            .arg(w->minimumSizeHint().width());
    };
    for (QLabel* l : page->findChildren<QLabel*>()) {
        if (!l->isVisibleTo(page) || l->wordWrap() || l->text().isEmpty()) {
            continue;
        }
        if (l->width() < l->minimumSizeHint().width()) {
            problems << QStringLiteral("clipped ") + describe(l, l->text());
        }
    }
    // A check box without text is fine when a label names it: a label whose buddy it is (the train form's
    // grid of bool fields) or the label of its form row.
    QSet<QWidget*> labelledFields;
    for (QLabel* l : page->findChildren<QLabel*>()) {
        if (l->buddy() && !l->text().trimmed().isEmpty()) {
            labelledFields.insert(l->buddy());
        }
    }
    for (QFormLayout* form : page->findChildren<QFormLayout*>()) {
        for (int row = 0; row < form->rowCount(); ++row) {
            auto* label = form->itemAt(row, QFormLayout::LabelRole);
            auto* field = form->itemAt(row, QFormLayout::FieldRole);
            auto* labelWidget = label ? qobject_cast<QLabel*>(label->widget()) : nullptr;
            if (labelWidget && !labelWidget->text().trimmed().isEmpty() && field && field->widget()) {
                labelledFields.insert(field->widget());
            }
        }
    }
    for (QAbstractButton* b : page->findChildren<QAbstractButton*>()) {
        if (!b->isVisibleTo(page) || b->inherits("QToolButton") || b->inherits("QTabBar")) {
            continue; // tool buttons are icon-sized on purpose
        }
        if (b->text().isEmpty() && b->icon().isNull() && !labelledFields.contains(b)) {
            problems << QStringLiteral("empty ") + describe(b, QString());
        } else if (b->width() < b->minimumSizeHint().width()) {
            problems << QStringLiteral("clipped ") + describe(b, b->text());
        }
    }
    for (QFormLayout* form : page->findChildren<QFormLayout*>()) {
        for (int row = 0; row < form->rowCount(); ++row) {
            auto* item = form->itemAt(row, QFormLayout::LabelRole);
            auto* label = item ? qobject_cast<QLabel*>(item->widget()) : nullptr;
            if (label && label->isVisibleTo(page) && label->text().trimmed().isEmpty()) {
                problems << QStringLiteral("empty form label in row %1").arg(row);
            }
        }
    }
    return problems;
}
} // namespace

class TestScreenshot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("TuneDeskTest"));
        QCoreApplication::setApplicationName(QStringLiteral("TuneDeskTest"));
    }

    void mainWindowInEachLanguage_data()
    {
        QTest::addColumn<QString>("lang");
        QTest::addColumn<QString>("fileMenu");
        QTest::addColumn<QString>("ready");
        QTest::newRow("en") << QStringLiteral("en") << QStringLiteral("&File") << QStringLiteral("Ready.");
        QTest::newRow("ru") << QStringLiteral("ru") << QStringLiteral("&Файл") << QStringLiteral("Готово.");
        QTest::newRow("zh_CN") << QStringLiteral("zh_CN") << QStringLiteral("文件(&F)") << QStringLiteral("准备就绪。");
    }

    void mainWindowInEachLanguage()
    {
        QFETCH(QString, lang);
        QFETCH(QString, fileMenu);
        QFETCH(QString, ready);
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));

        td::ui::Language language;
        td::jobs::EngineService engine;
        td::ui::MainWindow w(&engine);
        QObject::connect(&language, &td::ui::Language::changed, &w, &td::ui::MainWindow::showLanguage);
        w.resize(1280, 800);
        w.move(0, 0);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        language.apply(lang); // at run time, after the window exists: LanguageChange retranslates it
        QCOMPARE(language.current(), lang);
        // LanguageChange is a posted event: the window retranslates on the next turn of the event loop.
        QTRY_COMPARE(w.menuBar()->actions().first()->text(), fileMenu);
        QTRY_COMPARE(w.findChild<QLabel*>(QStringLiteral("statusLabel"))->text(), ready);
        QTest::qWait(300); // let the repaint finish

        const QString dir = QStringLiteral(TD_TEST_BINARY_DIR "/screenshots");
        QVERIFY(QDir().mkpath(dir));
        auto* tabs = w.findChild<QTabWidget*>(QStringLiteral("tabs"));
        QVERIFY(tabs);
        const QStringList names = {QStringLiteral("train"), QStringLiteral("eval"), QStringLiteral("chat"),
                                   QStringLiteral("export")};
        QCOMPARE(tabs->count(), names.size());
        for (int i = 0; i < tabs->count(); ++i) {
            tabs->setCurrentIndex(i);
            QTest::qWait(200); // let the page lay out and repaint
            const QRect frame = w.frameGeometry(); // the X screen is larger than the window
            const QPixmap shot =
                QGuiApplication::primaryScreen()->grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height());
            QVERIFY(!shot.isNull());
            QVERIFY2(colourCount(shot.toImage(), QRect(0, 0, 1280, 800)) > 5, "the screenshot is blank");
            QVERIFY(shot.save(dir + QStringLiteral("/main_window_%1_%2.png").arg(lang, names[i])));
            const QStringList problems = textProblems(w.centralWidget()); // the top bar and the shown tab
            QVERIFY2(problems.isEmpty(), qPrintable(names[i] + QStringLiteral(": ") + problems.join(QStringLiteral("; "))));
        }
        tabs->setCurrentIndex(0);
        language.apply(QStringLiteral("en"));
    }
};

QTEST_MAIN(TestScreenshot)
#include "test_screenshot.moc"
