// SPDX-License-Identifier: Apache-2.0
#include "ui/widgets/dataset_picker.h"

#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QIcon>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QToolButton>

namespace td::ui
{

DatasetPicker::DatasetPicker(const QString& idPrefix, Filter filter, QWidget* parent)
    : QWidget(parent), m_filter(filter)
{
    m_dirLabel = new QLabel(this);
    m_dir = new QLineEdit(QStringLiteral("data"), this);
    m_dir->setObjectName(idPrefix + QStringLiteral(".dataset_dir"));
    m_lastDir = m_dir->text();
    m_browse = new QToolButton(this);
    m_browse->setObjectName(idPrefix + QStringLiteral(".dataset_dir_browse"));
    m_browse->setIcon(QIcon(QStringLiteral(":/icons/actions/open-folder.svg")));
    m_listLabel = new QLabel(this);
    m_list = new QListWidget(this);
    m_list->setObjectName(idPrefix + QStringLiteral(".dataset"));
    m_list->setMaximumHeight(56);
    m_list->setFlow(QListView::LeftToRight);
    m_list->setWrapping(true);
    m_preview = new QPushButton(QIcon(QStringLiteral(":/icons/actions/preview.svg")), QString(), this);
    m_preview->setObjectName(idPrefix + QStringLiteral(".data_preview_btn"));
    m_preview->setEnabled(false); // enabled while a dataset is selected

    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_dirLabel);
    row->addWidget(m_dir);
    row->addWidget(m_browse);
    row->addWidget(m_listLabel);
    row->addWidget(m_list, 1);
    row->addWidget(m_preview);

    connect(m_dir, &QLineEdit::editingFinished, this, &DatasetPicker::dirEdited);
    connect(m_browse, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Data dir"), datasetDir());
        if (!dir.isEmpty()) {
            setDatasetDir(dir);
        }
    });
    connect(m_list, &QListWidget::itemChanged, this, [this] {
        m_preview->setEnabled(!selected().isEmpty());
        Q_EMIT selectionChanged();
    });
    connect(m_preview, &QPushButton::clicked, this, &DatasetPicker::previewRequested);
    retranslateUi();
    refresh();
}

void DatasetPicker::retranslateUi()
{
    m_dirLabel->setText(tr("Data dir"));
    m_dir->setToolTip(tr("Path to the data directory (holding dataset_info.json)."));
    m_browse->setToolTip(tr("Choose the data directory."));
    m_listLabel->setText(tr("Dataset"));
    m_list->setToolTip(m_filter == Filter::NonRanking
                           ? tr("Datasets registered in dataset_info.json; ranking (preference) datasets "
                                "cannot be evaluated by generation and are not listed.")
                           : tr("Datasets registered in dataset_info.json."));
    m_preview->setText(tr("Preview dataset"));
    m_preview->setToolTip(tr("Show the first rows of the first selected dataset, the text the model sees and "
                             "statistics."));
}

void DatasetPicker::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

QString DatasetPicker::datasetDir() const
{
    return m_dir->text().trimmed();
}

void DatasetPicker::dirEdited()
{
    refresh();
    if (datasetDir() != m_lastDir) {
        m_lastDir = datasetDir();
        Q_EMIT datasetDirChanged(m_lastDir);
    }
}

void DatasetPicker::setDatasetDir(const QString& dir)
{
    m_dir->setText(dir);
    dirEdited();
}

void DatasetPicker::addItem(const QString& name, bool checked)
{
    auto* item = new QListWidgetItem(name, m_list);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

void DatasetPicker::refresh()
{
    const QStringList keep = selected();
    {
        const QSignalBlocker block(m_list);
        m_list->clear();
    }
    QFile f(QDir(datasetDir()).filePath(QStringLiteral("dataset_info.json")));
    if (f.open(QIODevice::ReadOnly)) {
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
        if (!doc.isObject()) {
            Q_EMIT problem(tr("%1 is not valid JSON: %2 (at byte %3)")
                               .arg(f.fileName(), err.errorString(), QString::number(err.offset)));
        } else {
            const QJsonObject all = doc.object();
            for (auto it = all.begin(); it != all.end(); ++it) {
                if (m_filter == Filter::NonRanking && it.value().toObject().value(QLatin1String("ranking")).toBool()) {
                    continue;
                }
                const QSignalBlocker block(m_list);
                addItem(it.key(), keep.contains(it.key()));
            }
        }
    } // no dataset_info.json: an empty list; Start says "Please choose a dataset."
    m_preview->setEnabled(!selected().isEmpty());
    if (selected() != keep) {
        Q_EMIT selectionChanged();
    }
}

void DatasetPicker::setSelected(const QStringList& names)
{
    {
        const QSignalBlocker block(m_list);
        for (int i = 0; i < m_list->count(); ++i) {
            QListWidgetItem* item = m_list->item(i);
            item->setCheckState(names.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
        }
        // Names that dataset_info.json does not list are kept (LlamaBoard allows free text).
        for (const QString& n : names) {
            if (m_list->findItems(n, Qt::MatchExactly).isEmpty()) {
                addItem(n, true);
            }
        }
    }
    m_preview->setEnabled(!selected().isEmpty());
    Q_EMIT selectionChanged();
}

QStringList DatasetPicker::namesFromArgument(const QVariant& value)
{
    QStringList names = value.typeId() == QMetaType::QVariantList ? value.toStringList()
                                                                  : value.toString().split(QLatin1Char(','));
    for (QString& n : names) {
        n = n.trimmed();
    }
    names.removeAll(QString());
    return names;
}

QStringList DatasetPicker::selected() const
{
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->checkState() == Qt::Checked) {
            out << m_list->item(i)->text();
        }
    }
    return out;
}

} // namespace td::ui
