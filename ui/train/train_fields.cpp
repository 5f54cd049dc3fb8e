// SPDX-License-Identifier: Apache-2.0
#include "ui/train/train_fields.h"

#include <QCoreApplication>

namespace td::ui
{

const std::vector<TrainGroup>& TrainFields::groups()
{
    static const std::vector<TrainGroup> kGroups = {
        {"basic", QT_TR_NOOP("Basic configurations"), false},
        {"extra", QT_TR_NOOP("Extra configurations"), true},
        {"freeze", QT_TR_NOOP("Freeze tuning configurations"), true},
        {"lora", QT_TR_NOOP("LoRA configurations"), false},
        {"rlhf", QT_TR_NOOP("RLHF configurations"), true},
        {"galore", QT_TR_NOOP("GaLore configurations"), true},
        {"badam", QT_TR_NOOP("BAdam configurations"), true},
    };
    return kGroups;
}

const std::vector<TrainField>& TrainFields::all()
{
    using K = FieldKind;
    // id, group, kind, default, min, max, step, decimals, choices, label, info — llamaboard.md §1.2.
    static const std::vector<TrainField> kFields = {
        {"training_stage", "basic", K::Choice, QStringLiteral("sft"), 0, 0, 1, 0,
         {QStringLiteral("sft"), QStringLiteral("rm"), QStringLiteral("ppo"), QStringLiteral("dpo"),
          QStringLiteral("kto"), QStringLiteral("pt")},
         QT_TR_NOOP("Stage"), QT_TR_NOOP("The stage to perform in training.")},
        {"learning_rate", "basic", K::FloatText, QStringLiteral("5e-5"), 0, 0, 1, 0, {}, QT_TR_NOOP("Learning rate"),
         QT_TR_NOOP("Initial learning rate for AdamW.")},
        {"num_train_epochs", "basic", K::FloatText, QStringLiteral("3.0"), 0, 0, 1, 0, {}, QT_TR_NOOP("Epochs"),
         QT_TR_NOOP("Total number of training epochs to perform.")},
        {"max_grad_norm", "basic", K::FloatText, QStringLiteral("1.0"), 0, 0, 1, 0, {},
         QT_TR_NOOP("Maximum gradient norm"), QT_TR_NOOP("Norm for gradient clipping.")},
        {"max_samples", "basic", K::Int, 100000, 1, 1e9, 1, 0, {}, QT_TR_NOOP("Max samples"),
         QT_TR_NOOP("Maximum samples per dataset.")},
        {"compute_type", "basic", K::Choice, QStringLiteral("bf16"), 0, 0, 1, 0,
         {QStringLiteral("bf16"), QStringLiteral("fp16"), QStringLiteral("fp32"), QStringLiteral("pure_bf16")},
         QT_TR_NOOP("Compute type"), QT_TR_NOOP("Whether to use mixed precision training.")},
        {"cutoff_len", "basic", K::Int, 2048, 4, 131072, 1, 0, {}, QT_TR_NOOP("Cutoff length"),
         QT_TR_NOOP("Max tokens in input sequence.")},
        {"batch_size", "basic", K::Int, 2, 1, 1024, 1, 0, {}, QT_TR_NOOP("Batch size"),
         QT_TR_NOOP("Number of samples processed on each device.")},
        {"gradient_accumulation_steps", "basic", K::Int, 8, 1, 1024, 1, 0, {}, QT_TR_NOOP("Gradient accumulation"),
         QT_TR_NOOP("Number of steps for gradient accumulation.")},
        {"val_size", "basic", K::Double, 0.0, 0, 1, 0.001, 3, {}, QT_TR_NOOP("Val size"),
         QT_TR_NOOP("Percentage of validation set from the entire dataset.")},
        {"lr_scheduler_type", "basic", K::Choice, QStringLiteral("cosine"), 0, 0, 1, 0,
         {QStringLiteral("linear"), QStringLiteral("cosine"), QStringLiteral("cosine_with_restarts"),
          QStringLiteral("polynomial"), QStringLiteral("constant"), QStringLiteral("constant_with_warmup"),
          QStringLiteral("inverse_sqrt")},
         QT_TR_NOOP("LR scheduler"), QT_TR_NOOP("Name of the learning rate scheduler.")},
        {"train_seed", "basic", K::Int, 42, 0, 2147483647, 1, 0, {}, QT_TR_NOOP("Seed"),
         QT_TR_NOOP("Random seed for data shuffling, initialisation and dropout.")},

        {"logging_steps", "extra", K::Int, 5, 1, 1000, 5, 0, {}, QT_TR_NOOP("Logging steps"),
         QT_TR_NOOP("Number of steps between two logs.")},
        {"save_steps", "extra", K::Int, 100, 10, 5000, 10, 0, {}, QT_TR_NOOP("Save steps"),
         QT_TR_NOOP("Number of steps between two checkpoints.")},
        {"warmup_steps", "extra", K::Int, 0, 0, 5000, 1, 0, {}, QT_TR_NOOP("Warmup steps"),
         QT_TR_NOOP("Number of steps used for warmup.")},
        {"neftune_alpha", "extra", K::Double, 0.0, 0, 10, 0.1, 1, {}, QT_TR_NOOP("NEFTune alpha"),
         QT_TR_NOOP("Magnitude of noise adding to embedding vectors.")},
        {"extra_args", "extra", K::Text, QStringLiteral("{\"optim\": \"adamw_torch\"}"), 0, 0, 1, 0, {},
         QT_TR_NOOP("Extra arguments"), QT_TR_NOOP("Extra arguments passed to the trainer in JSON format.")},
        {"packing", "extra", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Pack sequences"),
         QT_TR_NOOP("Pack sequences into samples of fixed length.")},
        {"neat_packing", "extra", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Use neat packing"),
         QT_TR_NOOP("Avoid cross-attention between packed sequences.")},
        {"train_on_prompt", "extra", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Train on prompt"),
         QT_TR_NOOP("Disable the label mask on the prompt (only for SFT).")},
        {"mask_history", "extra", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Mask history"),
         QT_TR_NOOP("Train on the last turn only (only for SFT).")},
        {"resize_vocab", "extra", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Resize token embeddings"),
         QT_TR_NOOP("Resize the tokenizer vocab and the embedding layers.")},
        {"use_llama_pro", "extra", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Enable LLaMA Pro"),
         QT_TR_NOOP("Make the parameters in the expanded blocks trainable.")},
        {"enable_thinking", "extra", K::Bool, true, 0, 0, 1, 0, {}, QT_TR_NOOP("Enable thinking"),
         QT_TR_NOOP("Whether or not to enable thinking mode for reasoning models.")},

        {"freeze_trainable_layers", "freeze", K::Int, 2, -128, 128, 1, 0, {}, QT_TR_NOOP("Trainable layers"),
         QT_TR_NOOP("Number of the last(+)/first(-) hidden layers to be set as trainable.")},
        {"freeze_trainable_modules", "freeze", K::Text, QStringLiteral("all"), 0, 0, 1, 0, {},
         QT_TR_NOOP("Trainable modules"), QT_TR_NOOP("Name(s) of trainable modules. Use commas to separate multiple modules.")},
        {"freeze_extra_modules", "freeze", K::Text, QString(), 0, 0, 1, 0, {}, QT_TR_NOOP("Extra modules (optional)"),
         QT_TR_NOOP("Name(s) of modules apart from hidden layers to be set as trainable. Use commas to separate.")},

        {"lora_rank", "lora", K::Int, 8, 1, 1024, 1, 0, {}, QT_TR_NOOP("LoRA rank"),
         QT_TR_NOOP("The rank of LoRA matrices.")},
        {"lora_alpha", "lora", K::Int, 16, 1, 2048, 1, 0, {}, QT_TR_NOOP("LoRA alpha"),
         QT_TR_NOOP("Lora scaling coefficient.")},
        {"lora_dropout", "lora", K::Double, 0.0, 0, 1, 0.01, 2, {}, QT_TR_NOOP("LoRA dropout"),
         QT_TR_NOOP("Dropout ratio of LoRA weights.")},
        {"loraplus_lr_ratio", "lora", K::Double, 0.0, 0, 64, 0.01, 2, {}, QT_TR_NOOP("LoRA+ LR ratio"),
         QT_TR_NOOP("The LR ratio of the B matrices in LoRA.")},
        {"create_new_adapter", "lora", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Create new adapter"),
         QT_TR_NOOP("Create a new adapter with randomly initialized weight upon the existing one.")},
        {"use_rslora", "lora", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Use rslora"),
         QT_TR_NOOP("Use the rank stabilization scaling factor for LoRA layer.")},
        {"use_dora", "lora", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Use DoRA"),
         QT_TR_NOOP("Use weight-decomposed LoRA.")},
        {"use_pissa", "lora", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Use PiSSA"),
         QT_TR_NOOP("Use PiSSA method.")},
        {"lora_target", "lora", K::Text, QString(), 0, 0, 1, 0, {}, QT_TR_NOOP("LoRA modules (optional)"),
         QT_TR_NOOP("Name(s) of modules to apply LoRA. Use commas to separate multiple modules.")},
        {"additional_target", "lora", K::Text, QString(), 0, 0, 1, 0, {}, QT_TR_NOOP("Additional modules (optional)"),
         QT_TR_NOOP("Name(s) of modules apart from LoRA layers to be set as trainable. Use commas to separate.")},

        {"pref_beta", "rlhf", K::Double, 0.1, 0, 1, 0.01, 2, {}, QT_TR_NOOP("Beta value"),
         QT_TR_NOOP("Value of the beta parameter in the loss.")},
        {"pref_ftx", "rlhf", K::Double, 0.0, 0, 10, 0.01, 2, {}, QT_TR_NOOP("Ftx gamma"),
         QT_TR_NOOP("The weight of SFT loss in the final loss.")},
        {"pref_loss", "rlhf", K::Choice, QStringLiteral("sigmoid"), 0, 0, 1, 0,
         {QStringLiteral("sigmoid"), QStringLiteral("hinge"), QStringLiteral("ipo"), QStringLiteral("kto_pair"),
          QStringLiteral("orpo"), QStringLiteral("simpo")},
         QT_TR_NOOP("Loss type"), QT_TR_NOOP("The type of the loss function.")},
        {"reward_model", "rlhf", K::Text, QString(), 0, 0, 1, 0, {}, QT_TR_NOOP("Reward model"),
         QT_TR_NOOP("Adapter of the reward model in PPO training.")},
        {"ppo_score_norm", "rlhf", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Score norm"),
         QT_TR_NOOP("Normalizing scores in PPO training.")},
        {"ppo_whiten_rewards", "rlhf", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Whiten rewards"),
         QT_TR_NOOP("Whiten the rewards in PPO training.")},

        {"use_galore", "galore", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Use GaLore"),
         QT_TR_NOOP("Use GaLore optimizer.")},
        {"galore_rank", "galore", K::Int, 16, 1, 1024, 1, 0, {}, QT_TR_NOOP("GaLore rank"),
         QT_TR_NOOP("The rank of GaLore gradients.")},
        {"galore_update_interval", "galore", K::Int, 200, 1, 2048, 1, 0, {}, QT_TR_NOOP("Update interval"),
         QT_TR_NOOP("Number of steps to update the GaLore projection.")},
        {"galore_scale", "galore", K::Double, 2.0, 0, 100, 0.1, 1, {}, QT_TR_NOOP("GaLore scale"),
         QT_TR_NOOP("GaLore scaling coefficient.")},
        {"galore_target", "galore", K::Text, QStringLiteral("all"), 0, 0, 1, 0, {}, QT_TR_NOOP("GaLore modules"),
         QT_TR_NOOP("Name(s) of modules to apply GaLore. Use commas to separate multiple modules.")},

        {"use_badam", "badam", K::Bool, false, 0, 0, 1, 0, {}, QT_TR_NOOP("Use BAdam"),
         QT_TR_NOOP("Enable the BAdam optimizer.")},
        {"badam_mode", "badam", K::Choice, QStringLiteral("layer"), 0, 0, 1, 0,
         {QStringLiteral("layer"), QStringLiteral("ratio")}, QT_TR_NOOP("BAdam mode"),
         QT_TR_NOOP("Whether to use layer-wise or ratio-wise BAdam optimizer.")},
        {"badam_switch_mode", "badam", K::Choice, QStringLiteral("ascending"), 0, 0, 1, 0,
         {QStringLiteral("ascending"), QStringLiteral("descending"), QStringLiteral("random"),
          QStringLiteral("fixed")},
         QT_TR_NOOP("Switch mode"), QT_TR_NOOP("The strategy of picking block to update for layer-wise BAdam.")},
        {"badam_switch_interval", "badam", K::Int, 50, 1, 1024, 1, 0, {}, QT_TR_NOOP("Switch interval"),
         QT_TR_NOOP("Number of steps to update the block for layer-wise BAdam.")},
        {"badam_update_ratio", "badam", K::Double, 0.05, 0, 1, 0.01, 2, {}, QT_TR_NOOP("Update ratio"),
         QT_TR_NOOP("The ratio of the update for ratio-wise BAdam.")},
    };
    return kFields;
}

const TrainField* TrainFields::find(const QString& id)
{
    for (const auto& f : all()) {
        if (id == QLatin1String(f.id)) {
            return &f;
        }
    }
    return nullptr;
}

QString TrainFields::stageName(const QString& stageId)
{
    static const std::pair<const char*, const char*> kNames[] = {
        {"sft", QT_TR_NOOP("Supervised Fine-Tuning")}, {"rm", QT_TR_NOOP("Reward Modeling")}, {"ppo", QT_TR_NOOP("PPO")},
        {"dpo", QT_TR_NOOP("DPO")}, {"kto", QT_TR_NOOP("KTO")}, {"pt", QT_TR_NOOP("Pre-Training")}};
    for (const auto& [id, name] : kNames) {
        if (stageId == QLatin1String(id)) {
            return tr(name);
        }
    }
    return stageId;
}

QString TrainFields::label(const TrainField& f)
{
    return tr(f.label);
}

QString TrainFields::info(const TrainField& f)
{
    return tr(f.info);
}

} // namespace td::ui
