// SPDX-License-Identifier: Apache-2.0
// The top bar shared by every tab (LlamaBoard's `top.*` row): language, model path, finetuning method,
// checkpoint and chat template. Widgets carry objectNames equal to LlamaBoard's ids (top.model_path, ...)
// so GUI tests and saved UI state can address them.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace td::ui
{

class TopBar : public QWidget
{
    Q_OBJECT
public:
    explicit TopBar(QWidget* parent = nullptr);

    QString modelPath() const;
    void setModelPath(const QString& path);
    QString finetuningType() const;
    void setFinetuningType(const QString& id);
    QString checkpoint() const;
    void setCheckpoint(const QString& path);
    /// The checkpoint field as folders (LlamaBoard §1.1): comma-separated items; a run name is the folder
    /// saves/<model>/<method>/<name>, an item with a path separator is a path.
    QStringList checkpointPaths() const;
    QString templateName() const;
    /// Selects a template by id, adding it to the list when the registry does not know it yet.
    void setTemplateName(const QString& id);
    QString language() const;
    void setLanguage(const QString& code);
    /// Recently used model folders, newest first (persisted by MainWindow).
    void setRecentModels(const QStringList& paths);
    QStringList recentModels() const;

    /// Rescans saves/<model>/<finetuning type>/ for runs (LlamaBoard §1.7).
    void refreshCheckpoints();
    /// Root folder of runs (default: "saves" in the working directory).
    void setSavesRoot(const QString& root);
    QString savesRoot() const { return m_savesRoot; }

    void retranslateUi();

Q_SIGNALS:
    void modelPathChanged(const QString& path);
    void finetuningTypeChanged(const QString& type);
    void languageChanged(const QString& code);
    void browseRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    QLabel* m_langLabel;
    QComboBox* m_lang;
    QLabel* m_pathLabel;
    QComboBox* m_path;
    QPushButton* m_browse;
    QLabel* m_typeLabel;
    QComboBox* m_type;
    QLabel* m_ckptLabel;
    QComboBox* m_ckpt;
    QLabel* m_templateLabel;
    QComboBox* m_template;
    QString m_savesRoot = QStringLiteral("saves");
};

} // namespace td::ui
