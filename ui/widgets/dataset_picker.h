// SPDX-License-Identifier: Apache-2.0
// The dataset row of the Train and Evaluate tabs (llamaboard.md §1.2, §1.11): the data dir with a folder
// picker, the datasets dataset_info.json registers there as a checkable list (LlamaBoard's multi-select
// dropdown; names typed elsewhere or loaded from a YAML are kept even when the file does not list them), and
// "Preview dataset", enabled while a dataset is selected. The Evaluate tab lists only non-ranking datasets.
// Child widgets are named "<prefix>.dataset_dir", "<prefix>.dataset", "<prefix>.data_preview_btn".
#pragma once

#include <QVariant>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QToolButton;

namespace td::ui
{

class DatasetPicker : public QWidget
{
    Q_OBJECT
public:
    enum class Filter
    {
        All,        ///< every dataset of dataset_info.json
        NonRanking, ///< without "ranking": true (what generation-based evaluation can use)
    };

    DatasetPicker(const QString& idPrefix, Filter filter, QWidget* parent = nullptr);

    /// The data dir as typed (trimmed).
    QString datasetDir() const;
    /// Sets the data dir and re-reads its dataset_info.json (keeping the selection where names still exist).
    void setDatasetDir(const QString& dir);
    QStringList selected() const;
    void setSelected(const QStringList& names);
    /// The names of an arguments file's `dataset` / `eval_dataset` value: "a, b" or a YAML list.
    static QStringList namesFromArgument(const QVariant& value);
    /// Re-reads dataset_info.json in the data dir.
    void refresh();

Q_SIGNALS:
    void selectionChanged();
    /// The data dir changed (typed, picked or set).
    void datasetDirChanged(const QString& dir);
    void previewRequested();
    /// dataset_info.json exists but cannot be used (translated text for the tab's output box).
    void problem(const QString& text);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void addItem(const QString& name, bool checked);
    void dirEdited();

    Filter m_filter;
    QString m_lastDir;
    QLabel* m_dirLabel;
    QLineEdit* m_dir;
    QToolButton* m_browse;
    QLabel* m_listLabel;
    QListWidget* m_list;
    QPushButton* m_preview;
};

} // namespace td::ui
