// SPDX-License-Identifier: Apache-2.0
// The main window in a real X server (run under xvfb-run), in English, Russian and Chinese: it maps, paints,
// switches language at run time, and a screenshot per language is saved to
// <build>/screenshots/main_window_<lang>.png for people to look at.
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QLabel>
#include <QMenuBar>
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

        const QPixmap shot = QGuiApplication::primaryScreen()->grabWindow(0);
        QVERIFY(!shot.isNull());
        QVERIFY2(colourCount(shot.toImage(), QRect(0, 0, 1280, 800)) > 5, "the screenshot is blank");
        const QString dir = QStringLiteral(TD_TEST_BINARY_DIR "/screenshots");
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(shot.save(dir + QStringLiteral("/main_window_%1.png").arg(lang)));
        language.apply(QStringLiteral("en"));
    }
};

QTEST_MAIN(TestScreenshot)
#include "test_screenshot.moc"
