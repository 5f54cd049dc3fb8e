// SPDX-License-Identifier: Apache-2.0
// The top bar shared by every tab (LlamaBoard's `top.*` rows, llamaboard.md §1.1): language, model name, model
// path; finetuning method, checkpoint; quantization bit and method, chat template, RoPE scaling, booster.
// Widgets carry objectNames equal to LlamaBoard's ids (top.model_path, ...) so GUI tests and saved UI state can
// address them. Picking a known model fills its path (a path the user typed for it, its local Hugging Face
// cache snapshot, or its repo id) and its template; a path set any other way selects the model it belongs to
// or `Custom`.
#pragma once

#include <QVariantMap>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace td::ui
{

struct ModelOptions;

class TopBar : public QWidget
{
    Q_OBJECT
public:
    explicit TopBar(QWidget* parent = nullptr);

    /// The selected catalogue name, or "Custom" (td::jobs::ModelCatalogue::customName()).
    QString modelName() const;
    /// Selects a model by name as the user would (fills path and template); unknown names are ignored.
    void setModelName(const QString& name);
    QString modelPath() const;
    /// Sets the path and selects the catalogue model it belongs to (its repo id, cache snapshot or a path
    /// remembered for it), else `Custom`. The template is left as it is.
    void setModelPath(const QString& path);
    /// The folder name runs of this model live under: saves/<this>/<method>/ — the model name without spaces
    /// (LlamaBoard), or for Custom the model folder's name.
    QString savesModelName() const;
    /// saves/<model>/<finetuning type>; empty when no model is chosen.
    QString runsDir() const;

    QString finetuningType() const;
    void setFinetuningType(const QString& id);
    /// The checkpoint field's value: a run name, a checkpoint-N folder's path, a typed path or a
    /// comma-separated list (the item text shows step and loss; the value stays the folder).
    QString checkpoint() const;
    void setCheckpoint(const QString& value);
    /// The checkpoint field as folders (LlamaBoard §1.1): comma-separated items; a run name is the folder
    /// saves/<model>/<method>/<name>, an item with a path separator is a path.
    QStringList checkpointPaths() const;
    QString templateName() const;
    /// Selects a template by id, adding it to the list when the registry does not know it yet.
    void setTemplateName(const QString& id);
    QString quantizationBit() const;
    void setQuantizationBit(const QString& bit);
    QString quantizationMethod() const;
    void setQuantizationMethod(const QString& method);
    QString ropeScaling() const;
    void setRopeScaling(const QString& id);
    QString booster() const;
    void setBooster(const QString& id);
    /// Quantization, RoPE scaling and booster, as the argument builders take them.
    ModelOptions modelOptions() const;
    QString language() const;
    void setLanguage(const QString& code);
    /// Recently used model folders, newest first (persisted by MainWindow).
    void setRecentModels(const QStringList& paths);
    QStringList recentModels() const;
    /// The non-instruct / not-downloaded notes under the fields (empty when none).
    QString notice() const;

    /// The top.* entries of Save arguments and llamaboard_config.yaml (LlamaBoard §1.3: all but top.lang and
    /// top.model_path).
    QVariantMap uiState() const;
    /// Applies top.* entries. `withModel` false keeps the model (restoring a run folder of this model).
    void restoreUiState(const QVariantMap& state, bool withModel = true);
    /// Sets the fields that a LLaMA-Factory YAML names (model_name_or_path, finetuning_type, template,
    /// adapter_name_or_path, quantization_bit/method, rope_scaling, flash_attn, use_unsloth,
    /// enable_liger_kernel).
    void applyArguments(const QVariantMap& args);

    /// Rescans the runs of this model and method for saved weights (LlamaBoard §1.7, plus checkpoint-N).
    void refreshCheckpoints();
    /// Root folder of runs (default: "saves" in the working directory).
    void setSavesRoot(const QString& root);
    QString savesRoot() const { return m_savesRoot; }

    void retranslateUi();

Q_SIGNALS:
    void modelPathChanged(const QString& path);
    void modelNameChanged(const QString& name);
    void finetuningTypeChanged(const QString& type);
    void languageChanged(const QString& code);
    void browseRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void buildLayout();
    void onModelNameChosen();
    void onPathEdited(const QString& path);
    void fillQuantizationBits();
    void updateQuantizationEnabled();
    void updateNotice();
    QString rememberedPath(const QString& name) const;

    QLabel* m_langLabel;
    QComboBox* m_lang;
    QLabel* m_nameLabel;
    QComboBox* m_name;
    QLabel* m_pathLabel;
    QComboBox* m_path;
    QPushButton* m_browse;
    QLabel* m_typeLabel;
    QComboBox* m_type;
    QLabel* m_ckptLabel;
    QComboBox* m_ckpt;
    QLabel* m_bitLabel;
    QComboBox* m_bit;
    QLabel* m_methodLabel;
    QComboBox* m_method;
    QLabel* m_templateLabel;
    QComboBox* m_template;
    QLabel* m_ropeLabel;
    QComboBox* m_rope;
    QLabel* m_boosterLabel;
    QComboBox* m_booster;
    QLabel* m_notice;
    QString m_savesRoot = QStringLiteral("saves");
};

} // namespace td::ui
