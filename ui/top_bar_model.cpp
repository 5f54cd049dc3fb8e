// SPDX-License-Identifier: Apache-2.0
// The top bar's model side (llamaboard.md §1.1, §1.7, §1.9): model name ↔ path (LlamaBoard's path_dict kept in
// QSettings, the local Hugging Face cache, the repo id), the template a model name brings and the warnings it
// raises, the checkpoint list with checkpoint-N steps and losses, and the top.* UI state and YAML keys.
#include "ui/top_bar.h"

#include <algorithm>

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QSettings>

#include "core/jobs/model_catalogue.h"
#include "core/jobs/model_session.h"
#include "core/jobs/saved_weights.h"
#include "ui/train/train_args.h"

namespace td::ui
{

namespace
{
using td::jobs::ModelCatalogue;

const QString kPathDictKey = QStringLiteral("top/path_dict");

/// Our template for a catalogue entry: LLaMA-Factory's name when the engine has it built in, else "auto" (the
/// model's own chat template).
QString builtInOrAuto(const QString& tmpl)
{
    return td::jobs::ModelSession::templateNames().contains(tmpl) ? tmpl : QStringLiteral("auto");
}

bool isTruthy(const QVariant& v)
{
    return v.typeId() == QMetaType::Bool ? v.toBool() : v.toString().compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
}
} // namespace

QString TopBar::modelName() const { return m_name->currentData().toString(); }
QString TopBar::modelPath() const { return m_path->currentText().trimmed(); }

QString TopBar::rememberedPath(const QString& name) const
{
    return QSettings().value(kPathDictKey).toMap().value(name).toString();
}

void TopBar::setModelName(const QString& name)
{
    const int i = m_name->findData(name);
    if (i >= 0 && i != m_name->currentIndex()) {
        m_name->setCurrentIndex(i); // → onModelNameChosen
    }
}

void TopBar::onModelNameChosen()
{
    const QString name = modelName();
    QString path;
    if (const auto model = ModelCatalogue::find(name)) {
        path = ModelCatalogue::resolvePath(*model, rememberedPath(name));
        // The template comes with the name (LlamaBoard); a base model gets `default` and the warning.
        setTemplateName(builtInOrAuto(model->templateName));
    } else {
        // Custom: the folder last typed for it, else the most recent one.
        path = rememberedPath(name);
        if (path.isEmpty() && m_path->count() > 0) {
            path = m_path->itemText(0);
        }
    }
    const bool same = path == modelPath();
    m_path->setCurrentText(path); // programmatic: textEdited stays silent, so nothing is remembered
    if (same) {
        refreshCheckpoints(); // the runs folder follows the name even when the path stays
    }
    updateNotice();
    Q_EMIT modelNameChanged(name);
}

void TopBar::onPathEdited(const QString& path)
{
    // LlamaBoard's path_dict: what the user types is the model's path from now on (an empty field forgets it).
    const QString name = modelName();
    QVariantMap dict = QSettings().value(kPathDictKey).toMap();
    if (path.trimmed().isEmpty()) {
        dict.remove(name);
    } else {
        dict.insert(name, path.trimmed());
    }
    QSettings().setValue(kPathDictKey, dict);
}

void TopBar::setModelPath(const QString& path)
{
    const QString clean = path.trimmed();
    // The model this path belongs to: the current one when it resolves here, else one whose remembered path,
    // hub-cache folder or repo id it is, else Custom.
    QString name = ModelCatalogue::customName();
    const auto current = ModelCatalogue::find(modelName());
    if (current && ModelCatalogue::resolvePath(*current, rememberedPath(current->name)) == clean) {
        name = current->name;
    } else if (!clean.isEmpty()) {
        const QVariantMap dict = QSettings().value(kPathDictKey).toMap();
        for (auto it = dict.begin(); it != dict.end(); ++it) {
            if (it.value().toString() == clean && ModelCatalogue::find(it.key())) {
                name = it.key();
            }
        }
        if (name == ModelCatalogue::customName()) {
            const QString repo = ModelCatalogue::repoOfCachePath(clean);
            if (const auto m = ModelCatalogue::findByRepo(repo.isEmpty() ? clean : repo)) {
                name = m->name;
            }
        }
    }
    const bool nameChanged = name != modelName();
    {
        const QSignalBlocker block(m_name); // the path is given: choosing the name must not replace it
        m_name->setCurrentIndex(std::max(0, m_name->findData(name)));
    }
    const bool same = clean == modelPath();
    m_path->setCurrentText(clean);
    if (same && nameChanged) {
        refreshCheckpoints();
    }
    updateNotice();
    if (nameChanged) {
        Q_EMIT modelNameChanged(name);
    }
}

QString TopBar::savesModelName() const
{
    const QString name = modelName();
    if (ModelCatalogue::find(name)) {
        return QString(name).remove(QLatin1Char(' ')); // LlamaBoard's saves/<model name without spaces>/
    }
    return QFileInfo(modelPath()).fileName();
}

QString TopBar::runsDir() const
{
    const QString model = savesModelName();
    if (model.isEmpty()) {
        return {};
    }
    return QDir(m_savesRoot).filePath(model + QLatin1Char('/') + finetuningType());
}

void TopBar::updateNotice()
{
    QStringList lines;
    if (templateName() == QLatin1String("default")) {
        lines << tr("You are using a non-instruct model, please fine-tune it first."); // LlamaBoard's warn_no_instruct
    }
    if (const auto model = ModelCatalogue::find(modelName())) {
        if (builtInOrAuto(model->templateName) != model->templateName) {
            lines << tr("The %1 chat template is not built in yet: the model's own template is used (auto).")
                         .arg(model->templateName);
        }
        const QString path = modelPath();
        if (path == model->repoId && !QFileInfo(path).isDir()) {
            lines << tr("%1 is not in the Hugging Face cache (%2). Download it first, e.g. with "
                        "\"huggingface-cli download %1\", or type the folder it is in.")
                         .arg(model->repoId, ModelCatalogue::hubCacheDir());
        }
    }
    m_notice->setText(lines.join(QLatin1Char('\n')));
    m_notice->setVisible(!lines.isEmpty());
}

QString TopBar::checkpoint() const
{
    // An item's text shows step and loss; its value (UserRole) is what runs use.
    const QString text = m_ckpt->currentText().trimmed();
    const int i = m_ckpt->findText(text);
    return i >= 0 ? m_ckpt->itemData(i).toString() : text;
}

void TopBar::setCheckpoint(const QString& value)
{
    const int i = value.isEmpty() ? -1 : m_ckpt->findData(value);
    if (i >= 0) {
        m_ckpt->setCurrentIndex(i);
    } else {
        m_ckpt->setCurrentText(value);
    }
}

QStringList TopBar::checkpointPaths() const
{
    QStringList out;
    const QDir runs(runsDir());
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

void TopBar::refreshCheckpoints()
{
    const QString keep = checkpoint();
    const QSignalBlocker block(m_ckpt);
    m_ckpt->clear();
    // Runs with final weights by name (LlamaBoard §1.7), each followed by its checkpoint-N folders with the
    // step and the training loss there, so the user sees which one to pick.
    const QLocale locale;
    for (const td::jobs::SavedWeights& w : td::jobs::listSavedWeights(runsDir())) {
        QString text;
        QString value;
        if (w.checkpoint.isEmpty()) {
            text = w.run;
            value = w.run; // a run name, as LlamaBoard stores it
        } else {
            text = w.loss ? tr("%1 / %2 · step %3 · loss %4")
                                .arg(w.run, w.checkpoint, locale.toString(w.step), locale.toString(*w.loss, 'f', 3))
                          : tr("%1 / %2 · step %3").arg(w.run, w.checkpoint, locale.toString(w.step));
            value = w.path;
        }
        m_ckpt->addItem(text, value);
        m_ckpt->setItemData(m_ckpt->count() - 1, w.path, Qt::ToolTipRole);
    }
    setCheckpoint(keep);
}

QVariantMap TopBar::uiState() const
{
    QVariantMap s;
    s.insert(QStringLiteral("top.model_name"), modelName());
    s.insert(QStringLiteral("top.finetuning_type"), finetuningType());
    s.insert(QStringLiteral("top.checkpoint_path"), checkpoint());
    s.insert(QStringLiteral("top.quantization_bit"), quantizationBit());
    s.insert(QStringLiteral("top.quantization_method"), quantizationMethod());
    s.insert(QStringLiteral("top.template"), templateName());
    s.insert(QStringLiteral("top.rope_scaling"), ropeScaling());
    s.insert(QStringLiteral("top.booster"), booster());
    return s;
}

void TopBar::restoreUiState(const QVariantMap& state, bool withModel)
{
    auto has = [&state](const char* key) { return state.contains(QLatin1String(key)); };
    auto text = [&state](const char* key) { return state.value(QLatin1String(key)).toString(); };
    // The model first (it brings a path and a template), then what depends on it; the saved template wins, and
    // the method comes before the bit (the bit's choices depend on it).
    if (withModel && has("top.model_name")) {
        setModelName(text("top.model_name"));
    }
    using Setter = void (TopBar::*)(const QString&);
    static const std::pair<const char*, Setter> kInOrder[] = {
        {"top.finetuning_type", &TopBar::setFinetuningType},     {"top.checkpoint_path", &TopBar::setCheckpoint},
        {"top.quantization_method", &TopBar::setQuantizationMethod}, {"top.quantization_bit", &TopBar::setQuantizationBit},
        {"top.template", &TopBar::setTemplateName},              {"top.rope_scaling", &TopBar::setRopeScaling},
        {"top.booster", &TopBar::setBooster},
    };
    for (const auto& [key, set] : kInOrder) {
        if (has(key)) {
            (this->*set)(text(key));
        }
    }
}

void TopBar::applyArguments(const QVariantMap& args)
{
    auto has = [&args](const char* key) { return args.contains(QLatin1String(key)); };
    auto text = [&args](const char* key) { return args.value(QLatin1String(key)).toString(); };
    if (has("model_name_or_path")) {
        setModelPath(text("model_name_or_path"));
    }
    if (has("finetuning_type")) {
        setFinetuningType(text("finetuning_type"));
    }
    if (has("template")) {
        setTemplateName(text("template"));
    }
    if (has("adapter_name_or_path")) {
        setCheckpoint(text("adapter_name_or_path"));
    }
    if (has("quantization_method")) {
        setQuantizationMethod(text("quantization_method"));
    }
    if (has("quantization_bit")) {
        const QString bit = text("quantization_bit");
        setQuantizationBit(bit.isEmpty() || bit == QLatin1String("null") ? QStringLiteral("none") : bit);
    }
    if (has("rope_scaling")) {
        const QVariant v = args.value(QStringLiteral("rope_scaling"));
        // LLaMA-Factory takes the method name; a config.json-style mapping names it under "type"/"rope_type".
        const QVariantMap m = v.toMap();
        setRopeScaling(!m.isEmpty() ? m.value(QStringLiteral("rope_type"), m.value(QStringLiteral("type"))).toString()
                                    : v.toString());
    }
    // The booster is one choice in the UI: unsloth and liger win over the attention setting, as LlamaBoard's
    // mapping only ever sets one of them.
    if (has("flash_attn")) {
        setBooster(text("flash_attn") == QLatin1String("fa2") ? QStringLiteral("flashattn2") : QStringLiteral("auto"));
    }
    if (has("enable_liger_kernel") && isTruthy(args.value(QStringLiteral("enable_liger_kernel")))) {
        setBooster(QStringLiteral("liger_kernel"));
    }
    if (has("use_unsloth") && isTruthy(args.value(QStringLiteral("use_unsloth")))) {
        setBooster(QStringLiteral("unsloth"));
    }
}

} // namespace td::ui
