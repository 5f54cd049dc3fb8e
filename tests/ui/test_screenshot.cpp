// SPDX-License-Identifier: Apache-2.0
// The main window in a real X server (run under xvfb-run): it maps, paints, and a screenshot of the screen
// is saved to <build>/screenshots/main_window.png for people to look at.
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPixmap>
#include <QScreen>
#include <QStandardPaths>
#include <QTest>

#include "core/jobs/engine_service.h"
#include "ui/main_window.h"

class TestScreenshot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mainWindowOnXvfb()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
        td::jobs::EngineService engine;
        td::ui::MainWindow w(&engine);
        w.resize(1280, 800);
        w.move(0, 0);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTest::qWait(300); // let the first paint finish

        const QPixmap shot = QGuiApplication::primaryScreen()->grabWindow(0);
        QVERIFY(!shot.isNull());
        const QImage img = shot.toImage();
        // The window is on screen: its area is not a single flat colour.
        QSet<QRgb> colours;
        for (int y = 0; y < 800; y += 7) {
            for (int x = 0; x < 1280; x += 7) {
                colours.insert(img.pixel(x, y));
            }
        }
        QVERIFY2(colours.size() > 5, "the screenshot is blank");

        const QString dir = QStringLiteral(TD_TEST_BINARY_DIR "/screenshots");
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(shot.save(dir + QStringLiteral("/main_window.png")));
    }
};

QTEST_MAIN(TestScreenshot)
#include "test_screenshot.moc"
