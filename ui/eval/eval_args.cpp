// SPDX-License-Identifier: Apache-2.0
#include "ui/eval/eval_args.h"

namespace td::ui
{

const std::vector<TrainField>& EvalArgs::fields()
{
    using K = FieldKind;
    // id, group, kind, default, min, max, step, decimals, choices, label, info — llamaboard.md §1.11.
    static const std::vector<TrainField> kFields = {
        {"cutoff_len", "eval", K::Int, 1024, 4, 131072, 1, 0, {}, QT_TR_NOOP("Cutoff length"),
         QT_TR_NOOP("Max tokens in input sequence; longer prompts are truncated.")},
        {"max_samples", "eval", K::Int, 100000, 1, 1e9, 1, 0, {}, QT_TR_NOOP("Max samples"),
         QT_TR_NOOP("Maximum samples per dataset.")},
        {"batch_size", "eval", K::Int, 2, 1, 1024, 1, 0, {}, QT_TR_NOOP("Batch size"),
         QT_TR_NOOP("Number of samples generated together on each device.")},
        {"predict", "eval", K::Bool, true, 0, 0, 1, 0, {}, QT_TR_NOOP("Save predictions"),
         QT_TR_NOOP("Write every prediction to generated_predictions.jsonl (do_predict); off: scores only "
                    "(do_eval).")},
        {"max_new_tokens", "eval", K::Int, 512, 8, 4096, 1, 0, {}, QT_TR_NOOP("Maximum new tokens"),
         QT_TR_NOOP("Maximum number of tokens generated for each sample.")},
        {"top_p", "eval", K::Double, 0.7, 0.01, 1, 0.01, 2, {}, QT_TR_NOOP("Top-p"),
         QT_TR_NOOP("The cumulative probability threshold of nucleus sampling.")},
        {"temperature", "eval", K::Double, 0.95, 0.01, 1.5, 0.01, 2, {}, QT_TR_NOOP("Temperature"),
         QT_TR_NOOP("Sampling temperature: lower is more deterministic.")},
        {"eval_seed", "eval", K::Int, 42, 0, 2147483647, 1, 0, {}, QT_TR_NOOP("Seed"),
         QT_TR_NOOP("Random seed for sampling, so a run can be repeated.")},
    };
    return kFields;
}

const TrainField* EvalArgs::find(const QString& id)
{
    for (const TrainField& f : fields()) {
        if (id == QLatin1String(f.id)) {
            return &f;
        }
    }
    return nullptr;
}

QString EvalArgs::label(const TrainField& f)
{
    return tr(f.label);
}

QString EvalArgs::info(const TrainField& f)
{
    return tr(f.info);
}

TrainArgs EvalArgs::build(const TrainInputs& in)
{
    TrainArgs out;
    const QVariantMap& f = in.fields;
    out.errors = TrainArgs::checkRunInputs(in.modelPath, in.datasets, in.outputDir);
    if (in.templateName == QLatin1String("default")) {
        out.warnings << TrainArgs::tr("You are using a non-instruct model, please fine-tune it first.");
    }
    const QString bit = in.model.quantizationBit.trimmed();
    if (in.finetuningType != QLatin1String("lora") && !bit.isEmpty() && bit != QLatin1String("none")) {
        out.errors << TrainArgs::tr("Quantization is only compatible with the LoRA method.");
    }
    // LlamaBoard's eval runner (§1.11), in its order: the top bar's model, method, checkpoint and template, the
    // quantization method (always) and bit, RoPE scaling and the booster without the Liger kernel.
    out.set(QStringLiteral("stage"), QStringLiteral("sft"));
    out.setTopBar(in.modelPath, in.finetuningType, in.checkpoint, in.templateName);
    out.setQuantization(in.model, TrainArgs::Runner::Eval);
    out.setBooster(in.model, TrainArgs::Runner::Eval);
    out.set(QStringLiteral("dataset_dir"), in.datasetDir);
    out.set(QStringLiteral("eval_dataset"), in.datasets.join(QLatin1Char(',')));
    out.set(QStringLiteral("cutoff_len"), f.value(QStringLiteral("cutoff_len")));
    out.set(QStringLiteral("max_samples"), f.value(QStringLiteral("max_samples")));
    out.set(QStringLiteral("per_device_eval_batch_size"), f.value(QStringLiteral("batch_size")));
    out.set(QStringLiteral("predict_with_generate"), true);
    out.set(QStringLiteral("max_new_tokens"), f.value(QStringLiteral("max_new_tokens")));
    out.set(QStringLiteral("top_p"), f.value(QStringLiteral("top_p")));
    out.set(QStringLiteral("temperature"), f.value(QStringLiteral("temperature")));
    out.set(QStringLiteral("output_dir"), in.outputDir);
    out.set(QStringLiteral("seed"), f.value(QStringLiteral("eval_seed")));
    // "Save predictions": do_predict writes generated_predictions.jsonl; off, do_eval reports the scores only.
    if (f.value(QStringLiteral("predict"), true).toBool()) {
        out.set(QStringLiteral("do_predict"), true);
    } else {
        out.set(QStringLiteral("do_eval"), true);
    }
    out.dropEmpty();
    return out;
}

QString EvalArgs::commandPreview(const TrainArgs& args)
{
    // LlamaBoard's users read `train` as a mistake (LLaMA-Factory#4250): the line under the command says why
    // it is right.
    QString text = args.commandPreview();
    text.insert(text.indexOf(QLatin1Char('\n')),
                QStringLiteral("\n# ") + tr("Evaluation runs through the train command: do_predict/do_eval with "
                                             "predict_with_generate make it generate answers and score them "
                                             "instead of training."));
    return text;
}

} // namespace td::ui
