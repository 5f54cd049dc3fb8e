// SPDX-License-Identifier: Apache-2.0
#include "ui/train/train_args.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/jobs/args_file.h"

namespace td::ui
{

namespace
{

/// Arguments LlamaBoard always writes even when false (§1.3); everything else false/empty/None is dropped.
const QStringList kAlwaysShown = {QStringLiteral("packing"), QStringLiteral("enable_thinking"),
                                  QStringLiteral("double_quantization")};

class Builder
{
public:
    explicit Builder(TrainArgs& out) : m_out(out) {}

    void set(const QString& key, const QVariant& value) { m_out.set(key, value); }
    void clean() { m_out.dropEmpty(); }

private:
    TrainArgs& m_out;
};

QString text(const QVariantMap& f, const char* id)
{
    return f.value(QLatin1String(id)).toString().trimmed();
}

/// A float typed as text ("5e-5"); records an error naming the field when it is not a number.
QVariant floatField(const QVariantMap& f, const char* id, const QString& label, QStringList& errors)
{
    bool ok = false;
    const double v = text(f, id).toDouble(&ok);
    if (!ok) {
        errors << TrainArgs::tr("%1 must be a number.").arg(label);
        return {};
    }
    return v;
}

QVariant noneIfZero(double v)
{
    return v == 0.0 ? QVariant() : QVariant(v);
}

QVariant noneIfEmpty(const QString& s)
{
    return s.isEmpty() ? QVariant() : QVariant(s);
}

} // namespace

void TrainArgs::set(const QString& key, const QVariant& value)
{
    if (!order.contains(key)) {
        order << key;
    }
    args.insert(key, value);
}

void TrainArgs::dropEmpty()
{
    for (auto it = args.begin(); it != args.end();) {
        const QVariant& v = it.value();
        const bool empty = v.isNull() || (v.typeId() == QMetaType::Bool && !v.toBool())
                           || (v.typeId() == QMetaType::QString && v.toString().isEmpty());
        if (empty && !kAlwaysShown.contains(it.key())) {
            order.removeAll(it.key());
            it = args.erase(it);
        } else {
            ++it;
        }
    }
}

void TrainArgs::setTopBar(const QString& modelPath, const QString& finetuningType, const QString& checkpoint,
                          const QString& templateName)
{
    set(QStringLiteral("model_name_or_path"), modelPath);
    set(QStringLiteral("finetuning_type"), finetuningType);
    if (!checkpoint.isEmpty()) {
        // PEFT: the adapter(s) to continue from; full/freeze: a saved model replaces the base.
        set(finetuningType == QLatin1String("lora") ? QStringLiteral("adapter_name_or_path")
                                                    : QStringLiteral("model_name_or_path"),
            checkpoint);
    }
    if (!templateName.isEmpty() && templateName != QLatin1String("auto")) {
        set(QStringLiteral("template"), templateName);
    }
}

void TrainArgs::setBooster(const ModelOptions& m, Runner runner)
{
    if (!m.ropeScaling.isEmpty() && m.ropeScaling != QLatin1String("none")) {
        set(QStringLiteral("rope_scaling"), m.ropeScaling);
    }
    set(QStringLiteral("flash_attn"), m.booster == QLatin1String("flashattn2") ? QStringLiteral("fa2")
                                                                               : QStringLiteral("auto"));
    set(QStringLiteral("use_unsloth"), m.booster == QLatin1String("unsloth"));
    if (runner != Runner::Eval) {
        set(QStringLiteral("enable_liger_kernel"), m.booster == QLatin1String("liger_kernel"));
    }
}

void TrainArgs::setQuantization(const ModelOptions& m, Runner runner)
{
    const QString bit = m.quantizationBit.trimmed();
    if (!bit.isEmpty() && bit != QLatin1String("none")) {
        bool ok = false;
        const int n = bit.toInt(&ok);
        if (!ok || n <= 0) {
            errors << tr("Quantization bit must be a whole number of bits or none, not \"%1\".").arg(bit);
            return;
        }
        set(QStringLiteral("quantization_bit"), n);
        set(QStringLiteral("quantization_method"), m.quantizationMethod);
        set(QStringLiteral("double_quantization"), true); // LlamaBoard sends true except on Ascend NPUs
    } else if (runner == Runner::Eval) {
        set(QStringLiteral("quantization_method"), m.quantizationMethod);
    }
}

QStringList TrainArgs::checkRunInputs(const QString& modelPath, const QStringList& datasets, const QString& outputDir)
{
    QStringList errors;
    if (modelPath.isEmpty()) {
        errors << tr("Model not found.");
    }
    if (datasets.isEmpty()) {
        errors << tr("Please choose a dataset.");
    }
    if (outputDir.isEmpty()) {
        errors << tr("Please provide output dir.");
    }
    return errors;
}

TrainArgs TrainArgs::build(const TrainInputs& in)
{
    TrainArgs out;
    Builder b(out);
    const QVariantMap& f = in.fields;
    const QString stage = text(f, "training_stage");
    const QString type = in.finetuningType;

    // Validation in LlamaBoard's order (§1.10): model path, dataset, output dir, extra args, PPO reward model.
    out.errors = checkRunInputs(in.modelPath, in.datasets, in.outputDir);
    QJsonObject extra;
    const QString extraText = text(f, "extra_args");
    if (!extraText.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(extraText.toUtf8());
        if (!doc.isObject()) {
            out.errors << tr("Invalid JSON schema.");
        } else {
            extra = doc.object();
        }
    }
    if (stage == QLatin1String("ppo") && text(f, "reward_model").isEmpty()) {
        out.errors << tr("Please select a reward model.");
    }
    // Consistency rules (§4.9) that would otherwise fail only after the model is loaded.
    if (stage != QLatin1String("sft")) {
        for (const char* id : {"neat_packing", "train_on_prompt", "mask_history"}) {
            if (f.value(QLatin1String(id)).toBool()) {
                out.errors << tr("%1 is only available for Supervised Fine-Tuning.").arg(QLatin1String(id));
            }
        }
    }
    if (f.value(QStringLiteral("use_llama_pro")).toBool() && type == QLatin1String("full")) {
        out.errors << tr("LLaMA Pro cannot be used with full fine-tuning.");
    }
    const QString bit = in.model.quantizationBit.trimmed();
    if (type != QLatin1String("lora") && !bit.isEmpty() && bit != QLatin1String("none")) {
        out.errors << tr("Quantization is only compatible with the LoRA method.");
    }
    if (in.templateName == QLatin1String("default") && stage != QLatin1String("pt")) {
        out.warnings << tr("You are using a non-instruct model, please fine-tune it first.");
    }

    // The argument dict (§1.3 "Start"), in LLaMA-Factory's order.
    b.set(QStringLiteral("stage"), stage);
    b.set(QStringLiteral("do_train"), true);
    out.setTopBar(in.modelPath, type, in.checkpoint, in.templateName);
    out.setBooster(in.model, Runner::Train);
    b.set(QStringLiteral("dataset_dir"), in.datasetDir);
    b.set(QStringLiteral("dataset"), in.datasets.join(QLatin1Char(',')));
    b.set(QStringLiteral("cutoff_len"), f.value(QStringLiteral("cutoff_len")));
    b.set(QStringLiteral("learning_rate"), floatField(f, "learning_rate", tr("Learning rate"), out.errors));
    b.set(QStringLiteral("num_train_epochs"), floatField(f, "num_train_epochs", tr("Epochs"), out.errors));
    b.set(QStringLiteral("max_samples"), f.value(QStringLiteral("max_samples")));
    b.set(QStringLiteral("per_device_train_batch_size"), f.value(QStringLiteral("batch_size")));
    b.set(QStringLiteral("gradient_accumulation_steps"), f.value(QStringLiteral("gradient_accumulation_steps")));
    b.set(QStringLiteral("lr_scheduler_type"), f.value(QStringLiteral("lr_scheduler_type")));
    b.set(QStringLiteral("max_grad_norm"), floatField(f, "max_grad_norm", tr("Maximum gradient norm"), out.errors));
    b.set(QStringLiteral("logging_steps"), f.value(QStringLiteral("logging_steps")));
    b.set(QStringLiteral("save_steps"), f.value(QStringLiteral("save_steps")));
    b.set(QStringLiteral("warmup_steps"), f.value(QStringLiteral("warmup_steps")));
    b.set(QStringLiteral("neftune_noise_alpha"), noneIfZero(f.value(QStringLiteral("neftune_alpha")).toDouble()));
    const bool neat = f.value(QStringLiteral("neat_packing")).toBool();
    b.set(QStringLiteral("packing"), f.value(QStringLiteral("packing")).toBool() || neat);
    b.set(QStringLiteral("neat_packing"), neat);
    for (const char* id : {"train_on_prompt", "mask_history", "resize_vocab", "use_llama_pro"}) {
        b.set(QLatin1String(id), f.value(QLatin1String(id)).toBool());
    }
    b.set(QStringLiteral("enable_thinking"), f.value(QStringLiteral("enable_thinking")).toBool());
    b.set(QStringLiteral("output_dir"), in.outputDir);
    const QString compute = text(f, "compute_type");
    b.set(QStringLiteral("bf16"), compute == QLatin1String("bf16"));
    b.set(QStringLiteral("fp16"), compute == QLatin1String("fp16"));
    b.set(QStringLiteral("pure_bf16"), compute == QLatin1String("pure_bf16"));
    b.set(QStringLiteral("plot_loss"), true);
    b.set(QStringLiteral("include_num_input_tokens_seen"), true);
    b.set(QStringLiteral("seed"), f.value(QStringLiteral("train_seed")));
    // LlamaBoard adds the quantization keys after the fixed ones, before the method's (QLoRA when set).
    out.setQuantization(in.model, Runner::Train);

    if (type == QLatin1String("freeze") || f.value(QStringLiteral("use_llama_pro")).toBool()) {
        b.set(QStringLiteral("freeze_trainable_layers"), f.value(QStringLiteral("freeze_trainable_layers")));
    }
    if (type == QLatin1String("freeze")) {
        b.set(QStringLiteral("freeze_trainable_modules"), text(f, "freeze_trainable_modules"));
        b.set(QStringLiteral("freeze_extra_modules"), noneIfEmpty(text(f, "freeze_extra_modules")));
    }
    if (type == QLatin1String("lora")) {
        b.set(QStringLiteral("lora_rank"), f.value(QStringLiteral("lora_rank")));
        b.set(QStringLiteral("lora_alpha"), f.value(QStringLiteral("lora_alpha")));
        b.set(QStringLiteral("lora_dropout"), f.value(QStringLiteral("lora_dropout")));
        b.set(QStringLiteral("loraplus_lr_ratio"), noneIfZero(f.value(QStringLiteral("loraplus_lr_ratio")).toDouble()));
        b.set(QStringLiteral("create_new_adapter"), f.value(QStringLiteral("create_new_adapter")).toBool());
        b.set(QStringLiteral("use_rslora"), f.value(QStringLiteral("use_rslora")).toBool());
        b.set(QStringLiteral("use_dora"), f.value(QStringLiteral("use_dora")).toBool());
        const bool pissa = f.value(QStringLiteral("use_pissa")).toBool();
        b.set(QStringLiteral("pissa_init"), pissa);
        b.set(QStringLiteral("pissa_convert"), pissa);
        const QString target = text(f, "lora_target");
        b.set(QStringLiteral("lora_target"), target.isEmpty() ? QStringLiteral("all") : target);
        b.set(QStringLiteral("additional_target"), noneIfEmpty(text(f, "additional_target")));
    }
    if (stage == QLatin1String("dpo") || stage == QLatin1String("kto")) {
        b.set(QStringLiteral("pref_beta"), f.value(QStringLiteral("pref_beta")));
        b.set(QStringLiteral("pref_ftx"), f.value(QStringLiteral("pref_ftx")));
        b.set(QStringLiteral("pref_loss"), f.value(QStringLiteral("pref_loss")));
    }
    if (stage == QLatin1String("ppo")) {
        b.set(QStringLiteral("reward_model"), text(f, "reward_model"));
        b.set(QStringLiteral("reward_model_type"), type == QLatin1String("lora") ? QStringLiteral("lora")
                                                                                 : QStringLiteral("full"));
        b.set(QStringLiteral("ppo_score_norm"), f.value(QStringLiteral("ppo_score_norm")).toBool());
        b.set(QStringLiteral("ppo_whiten_rewards"), f.value(QStringLiteral("ppo_whiten_rewards")).toBool());
        b.set(QStringLiteral("top_k"), 0);
        b.set(QStringLiteral("top_p"), 0.9);
    }
    if (f.value(QStringLiteral("use_galore")).toBool()) {
        for (const char* id : {"use_galore", "galore_rank", "galore_update_interval", "galore_scale", "galore_target"}) {
            b.set(QLatin1String(id), f.value(QLatin1String(id)));
        }
    }
    if (f.value(QStringLiteral("use_badam")).toBool()) {
        for (const char* id :
             {"use_badam", "badam_mode", "badam_switch_mode", "badam_switch_interval", "badam_update_ratio"}) {
            b.set(QLatin1String(id), f.value(QLatin1String(id)));
        }
    }
    const double val = f.value(QStringLiteral("val_size")).toDouble();
    if (val > 1e-6 && stage != QLatin1String("ppo")) {
        b.set(QStringLiteral("val_size"), val);
        b.set(QStringLiteral("eval_strategy"), QStringLiteral("steps"));
        b.set(QStringLiteral("eval_steps"), f.value(QStringLiteral("save_steps")));
        b.set(QStringLiteral("per_device_eval_batch_size"), f.value(QStringLiteral("batch_size")));
    }
    // extra_args is merged last and may override anything (§1.2).
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        b.set(it.key(), it.value().toVariant());
    }
    b.clean();
    return out;
}

QString TrainArgs::yaml() const
{
    return td::jobs::argsToYaml(args, order);
}

QString TrainArgs::commandPreview() const
{
    const QString dir = args.value(QStringLiteral("output_dir")).toString();
    return QStringLiteral("tunedesk-cli train %1\n\n# %1\n%2")
        .arg(QDir(dir).filePath(QStringLiteral("training_args.yaml")), yaml());
}

} // namespace td::ui
