// SPDX-License-Identifier: Apache-2.0
// The top bar's widgets, layout and plain fields. The model name/path logic, the checkpoint list and the saved
// UI state are in top_bar_model.cpp.
#include "ui/top_bar.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include "core/jobs/model_catalogue.h"
#include "core/jobs/model_session.h"
#include "ui/train/train_args.h"

namespace td::ui
{

namespace
{
/// A combo of untranslated ids (LLaMA-Factory's values: written into run configs as they are).
QComboBox* idCombo(const char* name, std::initializer_list<const char*> ids, QWidget* parent)
{
    auto* c = new QComboBox(parent);
    c->setObjectName(QString::fromLatin1(name));
    for (const char* id : ids) {
        c->addItem(QString::fromLatin1(id), QString::fromLatin1(id));
    }
    return c;
}

void selectData(QComboBox* c, const QString& id)
{
    const int i = c->findData(id);
    if (i >= 0) {
        c->setCurrentIndex(i);
    }
}
} // namespace

TopBar::TopBar(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("top"));

    m_langLabel = new QLabel(this);
    // Native names are not translated: a user must find their language whatever the current one is.
    m_lang = new QComboBox(this);
    m_lang->setObjectName(QStringLiteral("top.lang"));
    m_lang->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_lang->addItem(QStringLiteral("Русский"), QStringLiteral("ru"));
    m_lang->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));

    m_nameLabel = new QLabel(this);
    m_name = new QComboBox(this);
    m_name->setObjectName(QStringLiteral("top.model_name"));
    m_name->addItem(QString(), td::jobs::ModelCatalogue::customName()); // text set by retranslateUi
    for (const td::jobs::CatalogueModel& m : td::jobs::ModelCatalogue::models()) {
        m_name->addItem(m.name, m.name); // model names are names: never translated
    }
    m_name->setMaxVisibleItems(20);

    m_pathLabel = new QLabel(this);
    m_path = new QComboBox(this);
    m_path->setObjectName(QStringLiteral("top.model_path"));
    m_path->setEditable(true);
    m_path->setInsertPolicy(QComboBox::NoInsert);
    m_path->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_path->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_path->setMinimumContentsLength(24);
    m_browse = new QPushButton(this);
    m_browse->setObjectName(QStringLiteral("top.model_path_browse"));

    m_typeLabel = new QLabel(this);
    // Ids are LLaMA-Factory's finetuning_type values; they are written into run configs, never translated.
    m_type = idCombo("top.finetuning_type", {"lora", "freeze", "full"}, this);

    m_ckptLabel = new QLabel(this);
    m_ckpt = new QComboBox(this);
    m_ckpt->setObjectName(QStringLiteral("top.checkpoint_path"));
    m_ckpt->setEditable(true);
    m_ckpt->setInsertPolicy(QComboBox::NoInsert);
    m_ckpt->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_ckpt->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_ckpt->setMinimumContentsLength(24);

    m_bitLabel = new QLabel(this);
    m_bit = new QComboBox(this);
    m_bit->setObjectName(QStringLiteral("top.quantization_bit"));
    m_bit->setEditable(true); // LlamaBoard allows any value the method takes
    m_bit->setInsertPolicy(QComboBox::NoInsert);
    m_methodLabel = new QLabel(this);
    m_method = idCombo("top.quantization_method", {"bnb", "hqq", "eetq"}, this);
    fillQuantizationBits();

    m_templateLabel = new QLabel(this);
    m_template = new QComboBox(this);
    m_template->setObjectName(QStringLiteral("top.template"));
    // "auto" = take the chat template the model's tokenizer_config.json ships; named templates are added
    // from the template registry.
    m_template->addItem(QStringLiteral("auto"), QStringLiteral("auto"));
    for (const QString& name : td::jobs::ModelSession::templateNames()) {
        m_template->addItem(name, name);
    }
    m_template->setMaxVisibleItems(20);

    m_ropeLabel = new QLabel(this);
    m_rope = idCombo("top.rope_scaling", {"none", "linear", "dynamic", "yarn", "llama3"}, this);
    m_boosterLabel = new QLabel(this);
    m_booster = idCombo("top.booster", {"auto", "flashattn2", "unsloth", "liger_kernel"}, this);

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("top.notice"));
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->setVisible(false);

    buildLayout();

    connect(m_browse, &QPushButton::clicked, this, &TopBar::browseRequested);
    connect(m_name, &QComboBox::currentIndexChanged, this, &TopBar::onModelNameChosen);
    connect(m_path, &QComboBox::currentTextChanged, this, [this](const QString& p) {
        refreshCheckpoints();
        updateNotice();
        Q_EMIT modelPathChanged(p);
    });
    // Typed by the user: remembered for the model name (LlamaBoard's path_dict). Picking a recent folder is
    // like opening it: it selects the model it belongs to.
    connect(m_path->lineEdit(), &QLineEdit::textEdited, this, &TopBar::onPathEdited);
    connect(m_path, &QComboBox::activated, this, [this](int i) { setModelPath(m_path->itemText(i)); });
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        updateQuantizationEnabled();
        refreshCheckpoints();
        Q_EMIT finetuningTypeChanged(finetuningType());
    });
    connect(m_method, &QComboBox::currentIndexChanged, this, &TopBar::fillQuantizationBits);
    connect(m_template, &QComboBox::currentIndexChanged, this, &TopBar::updateNotice);
    connect(m_lang, &QComboBox::currentIndexChanged, this,
            [this] { Q_EMIT languageChanged(m_lang->currentData().toString()); });

    updateQuantizationEnabled();
    retranslateUi();
}

void TopBar::buildLayout()
{
    // LlamaBoard's rows (§1.1): language, model name, path | method, checkpoint | quantization bit and method,
    // template, RoPE scaling, booster. The first label of every row shares a column so the rows line up; the
    // rest of a row is a box whose labels keep their full width in every language.
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(6, 6, 6, 6);
    grid->setVerticalSpacing(4);
    auto row = [grid](int r, QLabel* label, QWidget* field, std::initializer_list<QWidget*> rest, bool stretchEnd) {
        grid->addWidget(label, r, 0);
        grid->addWidget(field, r, 1);
        auto* box = new QHBoxLayout;
        box->setSpacing(6);
        for (QWidget* w : rest) {
            box->addWidget(w); // the path and checkpoint boxes are Expanding and take the spare width
        }
        if (stretchEnd) {
            box->addStretch(1);
        }
        grid->addLayout(box, r, 2);
    };
    row(0, m_langLabel, m_lang, {m_nameLabel, m_name, m_pathLabel, m_path, m_browse}, false);
    row(1, m_typeLabel, m_type, {m_ckptLabel, m_ckpt}, false);
    row(2, m_bitLabel, m_bit, {m_methodLabel, m_method, m_templateLabel, m_template, m_ropeLabel, m_rope,
                               m_boosterLabel, m_booster},
        true);
    grid->addWidget(m_notice, 3, 0, 1, 3);
    grid->setColumnStretch(2, 1);
}

void TopBar::retranslateUi()
{
    m_langLabel->setText(tr("Language"));
    m_nameLabel->setText(tr("Model name"));
    m_name->setItemText(0, tr("Custom"));
    m_name->setToolTip(tr("A known model fills the path and the chat template; Custom: any model folder."));
    m_pathLabel->setText(tr("Model path"));
    m_path->lineEdit()->setPlaceholderText(tr("Folder of a Hugging Face model (config.json, *.safetensors)"));
    m_path->setToolTip(tr("A path typed here is remembered for the selected model name."));
    m_browse->setText(tr("Browse…"));
    m_typeLabel->setText(tr("Finetuning method"));
    m_ckptLabel->setText(tr("Checkpoint path"));
    m_ckpt->setToolTip(tr("Runs of this model under saves/<model>/<method>/ and their checkpoint-N folders"));
    m_bitLabel->setText(tr("Quantization bit"));
    m_bit->setToolTip(tr("Enable quantization (QLoRA): load the base model in this many bits. LoRA only."));
    m_methodLabel->setText(tr("Quantization method"));
    m_method->setToolTip(tr("Quantization algorithm to use."));
    m_templateLabel->setText(tr("Chat template"));
    m_template->setToolTip(tr("auto: the template the model's tokenizer_config.json ships"));
    m_ropeLabel->setText(tr("RoPE scaling"));
    m_rope->setToolTip(tr("RoPE scaling method."));
    m_boosterLabel->setText(tr("Booster"));
    m_booster->setToolTip(tr("Approach used to boost training and inference speed."));
    updateNotice();
    refreshCheckpoints(); // item texts ("step", "loss") are translated
}

void TopBar::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

QString TopBar::finetuningType() const { return m_type->currentData().toString(); }
QString TopBar::templateName() const { return m_template->currentData().toString(); }
QString TopBar::quantizationMethod() const { return m_method->currentData().toString(); }
QString TopBar::ropeScaling() const { return m_rope->currentData().toString(); }
QString TopBar::booster() const { return m_booster->currentData().toString(); }
QString TopBar::language() const { return m_lang->currentData().toString(); }
QString TopBar::notice() const { return m_notice->isHidden() ? QString() : m_notice->text(); }

QString TopBar::quantizationBit() const
{
    const QString bit = m_bit->currentText().trimmed();
    return bit.isEmpty() ? QStringLiteral("none") : bit;
}

void TopBar::setFinetuningType(const QString& id) { selectData(m_type, id); }
void TopBar::setQuantizationMethod(const QString& method) { selectData(m_method, method); }
void TopBar::setRopeScaling(const QString& id) { selectData(m_rope, id.isEmpty() ? QStringLiteral("none") : id); }
void TopBar::setBooster(const QString& id) { selectData(m_booster, id); }
void TopBar::setLanguage(const QString& code) { selectData(m_lang, code); }

void TopBar::setQuantizationBit(const QString& bit)
{
    if (!m_bit->isEnabled()) {
        return; // full/freeze: forced to none (LlamaBoard)
    }
    const QString text = bit.trimmed().isEmpty() ? QStringLiteral("none") : bit.trimmed();
    const int i = m_bit->findText(text);
    if (i >= 0) {
        m_bit->setCurrentIndex(i);
    } else {
        m_bit->setEditText(text); // free text, as LlamaBoard allows
    }
}

ModelOptions TopBar::modelOptions() const
{
    ModelOptions m;
    m.quantizationBit = quantizationBit();
    m.quantizationMethod = quantizationMethod();
    m.ropeScaling = ropeScaling();
    m.booster = booster();
    return m;
}

void TopBar::fillQuantizationBits()
{
    // The bit widths each on-the-fly method takes (LlamaBoard's get_quantization_bits).
    const QString method = quantizationMethod();
    QStringList bits = {QStringLiteral("none"), QStringLiteral("8"), QStringLiteral("4")};
    if (method == QLatin1String("hqq")) {
        bits = QStringList{QStringLiteral("none")} + QStringLiteral("8 6 5 4 3 2 1").split(QLatin1Char(' '));
    } else if (method == QLatin1String("eetq")) {
        bits = {QStringLiteral("none"), QStringLiteral("8")};
    }
    const QString keep = m_bit->currentText().trimmed();
    const QSignalBlocker block(m_bit);
    m_bit->clear();
    m_bit->addItems(bits);
    // A width the new method does not list falls back to none; typed text that is no width stays for
    // validation to report.
    bool isNumber = false;
    keep.toInt(&isNumber);
    m_bit->setCurrentIndex(0);
    if (bits.contains(keep)) {
        m_bit->setCurrentIndex(int(bits.indexOf(keep)));
    } else if (!keep.isEmpty() && !isNumber && keep != QLatin1String("none")) {
        m_bit->setEditText(keep);
    }
}

void TopBar::updateQuantizationEnabled()
{
    // LlamaBoard: full and freeze fine-tuning cannot train on a quantized model, so the bit is forced to none.
    const bool lora = finetuningType() == QLatin1String("lora");
    if (!lora) {
        m_bit->setCurrentIndex(0);
    }
    m_bit->setEnabled(lora);
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

} // namespace td::ui
