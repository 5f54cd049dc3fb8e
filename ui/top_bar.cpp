// SPDX-License-Identifier: Apache-2.0
#include "ui/top_bar.h"

#include "core/jobs/model_session.h"

#include <algorithm>

#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace td::ui
{

TopBar::TopBar(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("top"));
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(6, 6, 6, 6);

    m_langLabel = new QLabel(this);
    m_lang = new QComboBox(this);
    m_lang->setObjectName(QStringLiteral("top.lang"));
    // Native names are not translated: a user must find their language whatever the current one is.
    m_lang->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_lang->addItem(QStringLiteral("Русский"), QStringLiteral("ru"));
    m_lang->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));

    m_pathLabel = new QLabel(this);
    m_path = new QComboBox(this);
    m_path->setObjectName(QStringLiteral("top.model_path"));
    m_path->setEditable(true);
    m_path->setInsertPolicy(QComboBox::NoInsert);
    m_path->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_path->setMinimumContentsLength(40);
    m_browse = new QPushButton(this);
    m_browse->setObjectName(QStringLiteral("top.model_path_browse"));

    m_typeLabel = new QLabel(this);
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("top.finetuning_type"));
    // Ids are LLaMA-Factory's finetuning_type values; they are written into run configs, never translated.
    for (const char* id : {"lora", "freeze", "full"}) {
        m_type->addItem(QString::fromLatin1(id), QString::fromLatin1(id));
    }

    m_ckptLabel = new QLabel(this);
    m_ckpt = new QComboBox(this);
    m_ckpt->setObjectName(QStringLiteral("top.checkpoint_path"));
    m_ckpt->setEditable(true);
    m_ckpt->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);

    m_templateLabel = new QLabel(this);
    m_template = new QComboBox(this);
    m_template->setObjectName(QStringLiteral("top.template"));
    // "auto" = take the chat template the model's tokenizer_config.json ships; named templates are added
    // from the template registry.
    m_template->addItem(QStringLiteral("auto"), QStringLiteral("auto"));
    for (const QString& name : td::jobs::ModelSession::templateNames()) {
        m_template->addItem(name, name);
    }

    grid->addWidget(m_langLabel, 0, 0);
    grid->addWidget(m_lang, 0, 1);
    grid->addWidget(m_pathLabel, 0, 2);
    grid->addWidget(m_path, 0, 3);
    grid->addWidget(m_browse, 0, 4);
    grid->addWidget(m_typeLabel, 1, 0);
    grid->addWidget(m_type, 1, 1);
    grid->addWidget(m_ckptLabel, 1, 2);
    grid->addWidget(m_ckpt, 1, 3, 1, 2);
    grid->addWidget(m_templateLabel, 2, 0);
    grid->addWidget(m_template, 2, 1);
    grid->setColumnStretch(3, 1);

    connect(m_browse, &QPushButton::clicked, this, &TopBar::browseRequested);
    connect(m_path, &QComboBox::currentTextChanged, this, [this](const QString& p) {
        refreshCheckpoints();
        Q_EMIT modelPathChanged(p);
    });
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        refreshCheckpoints();
        Q_EMIT finetuningTypeChanged(finetuningType());
    });
    connect(m_lang, &QComboBox::currentIndexChanged, this,
            [this] { Q_EMIT languageChanged(m_lang->currentData().toString()); });

    retranslateUi();
}

void TopBar::retranslateUi()
{
    m_langLabel->setText(tr("Language"));
    m_pathLabel->setText(tr("Model path"));
    m_path->lineEdit()->setPlaceholderText(tr("Folder of a Hugging Face model (config.json, *.safetensors)"));
    m_browse->setText(tr("Browse…"));
    m_typeLabel->setText(tr("Finetuning method"));
    m_ckptLabel->setText(tr("Checkpoint path"));
    m_ckpt->setToolTip(tr("Runs of this model under saves/<model>/<method>/"));
    m_templateLabel->setText(tr("Chat template"));
    m_template->setToolTip(tr("auto: the template the model's tokenizer_config.json ships"));
}

void TopBar::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

QString TopBar::modelPath() const { return m_path->currentText().trimmed(); }

void TopBar::setModelPath(const QString& path)
{
    m_path->setCurrentText(path);
}

QString TopBar::finetuningType() const { return m_type->currentData().toString(); }
QString TopBar::checkpoint() const { return m_ckpt->currentText().trimmed(); }
QString TopBar::templateName() const { return m_template->currentData().toString(); }

void TopBar::setFinetuningType(const QString& id)
{
    const int i = m_type->findData(id);
    if (i >= 0) {
        m_type->setCurrentIndex(i);
    }
}

void TopBar::setCheckpoint(const QString& path)
{
    m_ckpt->setCurrentText(path);
}

QStringList TopBar::checkpointPaths() const
{
    QStringList out;
    const QDir runs(QDir(m_savesRoot).filePath(QFileInfo(modelPath()).fileName() + QLatin1Char('/') + finetuningType()));
    for (const QString& part : checkpoint().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString item = part.trimmed();
        if (item.isEmpty()) {
            continue;
        }
        const bool isPath = item.contains(QLatin1Char('/')) || item.contains(QDir::separator()) || QDir::isAbsolutePath(item);
        out << (isPath ? item : runs.filePath(item));
    }
    return out;
}

void TopBar::setTemplateName(const QString& id)
{
    int i = m_template->findData(id);
    if (i < 0) {
        m_template->addItem(id, id);
        i = m_template->count() - 1;
    }
    m_template->setCurrentIndex(i);
}
QString TopBar::language() const { return m_lang->currentData().toString(); }

void TopBar::setLanguage(const QString& code)
{
    const int i = m_lang->findData(code);
    if (i >= 0) {
        m_lang->setCurrentIndex(i);
    }
}

void TopBar::setRecentModels(const QStringList& paths)
{
    const QString current = m_path->currentText();
    const QSignalBlocker block(m_path);
    m_path->clear();
    m_path->addItems(paths);
    m_path->setCurrentText(current);
}

QStringList TopBar::recentModels() const
{
    QStringList out;
    for (int i = 0; i < m_path->count(); ++i) {
        out << m_path->itemText(i);
    }
    return out;
}

void TopBar::setSavesRoot(const QString& root)
{
    m_savesRoot = root;
    refreshCheckpoints();
}

void TopBar::refreshCheckpoints()
{
    const QString keep = m_ckpt->currentText();
    m_ckpt->clear();
    const QString model = QFileInfo(modelPath()).fileName();
    if (!model.isEmpty()) {
        // LlamaBoard lists the run folders that hold final weights (§1.7): a run appears once the trainer
        // has saved them (normal end or Abort); checkpoint-N folders are one level deeper and not listed.
        static const QStringList kWeights = {
            QStringLiteral("adapter_model.safetensors"), QStringLiteral("adapter_model.bin"),
            QStringLiteral("model.safetensors"),         QStringLiteral("model.safetensors.index.json"),
            QStringLiteral("pytorch_model.bin"),         QStringLiteral("pytorch_model.bin.index.json")};
        const QDir runs(QDir(m_savesRoot).filePath(model + QLatin1Char('/') + finetuningType()));
        for (const QString& run : runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QDir d(runs.filePath(run));
            if (std::any_of(kWeights.begin(), kWeights.end(), [&d](const QString& f) { return d.exists(f); })) {
                m_ckpt->addItem(run, runs.filePath(run));
            }
        }
    }
    m_ckpt->setCurrentText(keep);
}

} // namespace td::ui
