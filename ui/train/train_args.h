// SPDX-License-Identifier: Apache-2.0
// Turns the Train tab's values into LLaMA-Factory training arguments (the YAML `tunedesk-cli train` reads),
// the way LlamaBoard's runner does (llamaboard.md §1.3, §4), and validates them before Start/Preview
// (§1.10 messages, §4.9 consistency rules). Pure functions of their inputs: no widgets, testable alone.
#pragma once

#include <QCoreApplication>
#include <QStringList>
#include <QVariantMap>

namespace td::ui
{

/// The top bar's model-loading options (llamaboard.md §1.1, row 3), as the widgets hold them.
struct ModelOptions
{
    QString quantizationBit = QStringLiteral("none");    ///< none | an integer (bnb 8/4, hqq 8..1, eetq 8)
    QString quantizationMethod = QStringLiteral("bnb");  ///< bnb | hqq | eetq
    QString ropeScaling = QStringLiteral("none");        ///< none | linear | dynamic | yarn | llama3
    QString booster = QStringLiteral("auto");            ///< auto | flashattn2 | unsloth | liger_kernel
};

struct TrainInputs
{
    QVariantMap fields;      ///< TrainField id -> value (see train_fields.h)
    QString modelPath;       ///< top bar
    QString finetuningType;  ///< top bar: lora | freeze | full
    QString checkpoint;      ///< top bar: adapter (lora) or model folder (full/freeze); may be empty
    QString templateName;    ///< top bar; "auto" = from the model's tokenizer_config.json
    ModelOptions model;      ///< top bar: quantization, RoPE scaling, booster
    QString datasetDir;
    QStringList datasets;
    QString outputDir;       ///< full path of the run folder
};

struct TrainArgs
{
    Q_DECLARE_TR_FUNCTIONS(TrainArgs)
public:
    QVariantMap args;        ///< LLaMA-Factory argument name -> value
    QStringList order;       ///< the order to write them in
    QStringList errors;      ///< translated; Start is refused while any
    QStringList warnings;    ///< translated; shown, not blocking

    bool ok() const { return errors.isEmpty(); }
    /// The YAML of the arguments (for training_args.yaml and the preview).
    QString yaml() const;
    /// What "Preview command" shows: the command line and the YAML it reads.
    QString commandPreview() const;

    static TrainArgs build(const TrainInputs& in);

    // Shared with the Evaluate tab (ui/eval/eval_args.h), which builds its arguments the same way.
    /// Sets one argument, keeping the order of first insertion.
    void set(const QString& key, const QVariant& value);
    /// The top bar's arguments (llamaboard.md §1.1): model_name_or_path, finetuning_type, the checkpoint
    /// (adapter_name_or_path for LoRA; for full/freeze a saved model replaces the base) and template ("auto"
    /// leaves it to the model's tokenizer_config.json).
    void setTopBar(const QString& modelPath, const QString& finetuningType, const QString& checkpoint,
                   const QString& templateName);
    /// Which runner the model options are for: LlamaBoard's eval runner always names the quantization method
    /// and never passes the Liger kernel (§1.1, §1.11); train and chat do the opposite.
    enum class Runner { Train, Eval, Chat };
    /// rope_scaling (omitted when none), flash_attn, use_unsloth, enable_liger_kernel (not for eval).
    void setBooster(const ModelOptions& m, Runner runner);
    /// quantization_bit, quantization_method and double_quantization when the bit is not "none" (an error
    /// when it is not an integer); eval names quantization_method either way.
    void setQuantization(const ModelOptions& m, Runner runner);
    /// LlamaBoard's clean step: drops null, false and empty values, except packing, enable_thinking and
    /// double_quantization (§1.3).
    void dropEmpty();
    /// The first checks of Start/Preview in LlamaBoard's order (§1.10): model path, dataset, output dir.
    static QStringList checkRunInputs(const QString& modelPath, const QStringList& datasets, const QString& outputDir);
};

} // namespace td::ui
