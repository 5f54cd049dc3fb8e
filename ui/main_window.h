// SPDX-License-Identifier: Apache-2.0
// The main window: top bar, the four LlamaBoard tabs (Train, Evaluate & Predict, Chat, Export), menus
// (File, Model, Export, Language, Help), the log dock and a status line that follows the engine's jobs.
// Engine work reaches it only through td::jobs::EngineService signals (queued, GUI thread).
#pragma once

#include <optional>

#include <QMainWindow>
#include <QMessageBox>

#include "core/jobs/engine_service.h"

class QActionGroup;
class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;

namespace td::jobs
{
class LogFeed;
}

namespace td::ui
{

class ChatPage;
class LogDock;
class TopBar;
class TrainPage;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    /// `engine` is owned by the caller and must outlive the window.
    explicit MainWindow(td::jobs::EngineService* engine, QWidget* parent = nullptr);
    ~MainWindow() override;

    TopBar* topBar() const { return m_topBar; }
    QTabWidget* tabs() const { return m_tabs; }
    LogDock* logDock() const { return m_logDock; }
    TrainPage* trainPage() const { return m_trainPage; }
    ChatPage* chatPage() const { return m_chatPage; }

    /// Test seam (KeePassXC's MessageBox::setNextAnswer): the next question dialog returns this at once.
    static void setNextAnswer(QMessageBox::StandardButton answer);

    /// Opens what the desktop hands over: a model folder, or a LLaMA-Factory arguments file (.yaml/.yml).
    void openPaths(const QStringList& paths);
    /// Reads a LLaMA-Factory arguments file into the top bar and the Train tab.
    bool loadArguments(const QString& path);
    /// The arguments last loaded from a file (empty when none).
    QVariantMap loadedArguments() const { return m_loadedArgs; }

Q_SIGNALS:
    /// Emitted when the user picks a language (menu or top bar); app/ installs the translators.
    void languageRequested(const QString& code);

public Q_SLOTS:
    /// Checks the matching Language menu entry and the top-bar combo without emitting languageRequested.
    void showLanguage(const QString& code);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void buildMenus();
    void retranslateUi();
    void openModelFolder();
    void rememberModel(const QString& path);
    void restoreSettings();
    void saveSettings();
    QMessageBox::StandardButton ask(const QString& title, const QString& text);
    /// Non-blocking error box: translated title, the hint, and the detail plus the log tail under "Details".
    void showError(td::ErrorCode code, const QString& detail, const QString& hint);

    td::jobs::EngineService* m_engine;
    td::jobs::LogFeed* m_logFeed;
    TopBar* m_topBar;
    QTabWidget* m_tabs;
    TrainPage* m_trainPage;
    ChatPage* m_chatPage;
    LogDock* m_logDock;
    QLabel* m_statusLabel;
    QProgressBar* m_progress;
    QActionGroup* m_langGroup = nullptr;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_modelMenu = nullptr;
    QMenu* m_exportMenu = nullptr;
    QMenu* m_langMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_loadArgsAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_clearRecentAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QAction* m_aboutQtAction = nullptr;
    QAction* m_toggleLogAction = nullptr;
    QVariantMap m_loadedArgs;
    static std::optional<QMessageBox::StandardButton> s_nextAnswer;
};

} // namespace td::ui
