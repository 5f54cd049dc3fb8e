<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ErrorText</name>
    <message>
        <source>The settings are not valid.</source>
        <translation>设置无效。</translation>
    </message>
    <message>
        <source>An argument is not valid.</source>
        <translation>参数无效。</translation>
    </message>
    <message>
        <source>A file or folder was not found.</source>
        <translation>找不到文件或文件夹。</translation>
    </message>
    <message>
        <source>Reading or writing a file failed.</source>
        <translation>读写文件失败。</translation>
    </message>
    <message>
        <source>A JSON or YAML file is malformed.</source>
        <translation>JSON 或 YAML 文件格式有误。</translation>
    </message>
    <message>
        <source>The model checkpoint is damaged or incomplete.</source>
        <translation>模型检查点已损坏或不完整。</translation>
    </message>
    <message>
        <source>The tokenizer files are missing or malformed.</source>
        <translation>分词器文件缺失或格式有误。</translation>
    </message>
    <message>
        <source>The dataset has a problem.</source>
        <translation>数据集有问题。</translation>
    </message>
    <message>
        <source>This model architecture is not supported.</source>
        <translation>不支持该模型架构。</translation>
    </message>
    <message>
        <source>This feature is not available here.</source>
        <translation>此处无法使用该功能。</translation>
    </message>
    <message>
        <source>Out of memory.</source>
        <translation>内存不足。</translation>
    </message>
    <message>
        <source>The compute backend reported an error.</source>
        <translation>计算后端报告了错误。</translation>
    </message>
    <message>
        <source>Aborted.</source>
        <translation>已中断。</translation>
    </message>
    <message>
        <source>An internal error occurred.</source>
        <translation>发生内部错误。</translation>
    </message>
</context>
<context>
    <name>EvalArgs</name>
    <message>
        <source>Cutoff length</source>
        <translation>截断长度</translation>
    </message>
    <message>
        <source>Max tokens in input sequence; longer prompts are truncated.</source>
        <translation>输入序列分词后的最大长度；更长的提示词会被截断。</translation>
    </message>
    <message>
        <source>Max samples</source>
        <translation>最大样本数</translation>
    </message>
    <message>
        <source>Maximum samples per dataset.</source>
        <translation>每个数据集的最大样本数。</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批处理大小</translation>
    </message>
    <message>
        <source>Number of samples generated together on each device.</source>
        <translation>每个设备上同时生成的样本数。</translation>
    </message>
    <message>
        <source>Save predictions</source>
        <translation>保存预测结果</translation>
    </message>
    <message>
        <source>Write every prediction to generated_predictions.jsonl (do_predict); off: scores only (do_eval).</source>
        <translation>将每条预测写入 generated_predictions.jsonl（do_predict）；关闭时只计算分数（do_eval）。</translation>
    </message>
    <message>
        <source>Maximum new tokens</source>
        <translation>最大生成长度</translation>
    </message>
    <message>
        <source>Maximum number of tokens generated for each sample.</source>
        <translation>每个样本最多生成的 token 数。</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p 采样值</translation>
    </message>
    <message>
        <source>The cumulative probability threshold of nucleus sampling.</source>
        <translation>核采样的累积概率阈值。</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度系数</translation>
    </message>
    <message>
        <source>Sampling temperature: lower is more deterministic.</source>
        <translation>采样温度：越低，输出越确定。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Random seed for sampling, so a run can be repeated.</source>
        <translation>采样使用的随机种子，便于复现结果。</translation>
    </message>
    <message>
        <source>Evaluation runs through the train command: do_predict/do_eval with predict_with_generate make it generate answers and score them instead of training.</source>
        <translation>评估通过 train 命令运行：do_predict/do_eval 与 predict_with_generate 让它生成回答并打分，而不是进行训练。</translation>
    </message>
</context>
<context>
    <name>TrainArgs</name>
    <message>
        <source>%1 must be a number.</source>
        <translation>%1 必须是数字。</translation>
    </message>
    <message>
        <source>Model not found.</source>
        <translation>模型未找到。</translation>
    </message>
    <message>
        <source>Please choose a dataset.</source>
        <translation>请选择数据集。</translation>
    </message>
    <message>
        <source>Please provide output dir.</source>
        <translation>请填写输出目录。</translation>
    </message>
    <message>
        <source>Invalid JSON schema.</source>
        <translation>JSON 格式无效。</translation>
    </message>
    <message>
        <source>Please select a reward model.</source>
        <translation>请选择奖励模型。</translation>
    </message>
    <message>
        <source>%1 is only available for Supervised Fine-Tuning.</source>
        <translation>%1 仅适用于监督微调。</translation>
    </message>
    <message>
        <source>LLaMA Pro cannot be used with full fine-tuning.</source>
        <translation>LLaMA Pro 不能与全参数微调一起使用。</translation>
    </message>
    <message>
        <source>You are using a non-instruct model, please fine-tune it first.</source>
        <translation>您使用的是非指令模型，请先对其进行微调。</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <source>Maximum gradient norm</source>
        <translation>最大梯度范数</translation>
    </message>
    <message>
        <source>Quantization is only compatible with the LoRA method.</source>
        <translation>量化仅与 LoRA 方法兼容。</translation>
    </message>
    <message>
        <source>Quantization bit must be a whole number of bits or none, not &quot;%1&quot;.</source>
        <translation>量化等级必须是整数位数或 none，而不是“%1”。</translation>
    </message>
</context>
<context>
    <name>TrainFields</name>
    <message>
        <source>Basic configurations</source>
        <translation>基本参数设置</translation>
    </message>
    <message>
        <source>Extra configurations</source>
        <translation>其它参数设置</translation>
    </message>
    <message>
        <source>Freeze tuning configurations</source>
        <translation>部分参数微调设置</translation>
    </message>
    <message>
        <source>LoRA configurations</source>
        <translation>LoRA 参数设置</translation>
    </message>
    <message>
        <source>RLHF configurations</source>
        <translation>RLHF 参数设置</translation>
    </message>
    <message>
        <source>GaLore configurations</source>
        <translation>GaLore 参数设置</translation>
    </message>
    <message>
        <source>BAdam configurations</source>
        <translation>BAdam 参数设置</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>训练阶段</translation>
    </message>
    <message>
        <source>The stage to perform in training.</source>
        <translation>目前采用的训练方式。</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Initial learning rate for AdamW.</source>
        <translation>AdamW 优化器的初始学习率。</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <source>Total number of training epochs to perform.</source>
        <translation>需要执行的训练总轮数。</translation>
    </message>
    <message>
        <source>Maximum gradient norm</source>
        <translation>最大梯度范数</translation>
    </message>
    <message>
        <source>Norm for gradient clipping.</source>
        <translation>用于梯度裁剪的范数。</translation>
    </message>
    <message>
        <source>Max samples</source>
        <translation>最大样本数</translation>
    </message>
    <message>
        <source>Maximum samples per dataset.</source>
        <translation>每个数据集的最大样本数。</translation>
    </message>
    <message>
        <source>Compute type</source>
        <translation>计算类型</translation>
    </message>
    <message>
        <source>Whether to use mixed precision training.</source>
        <translation>是否使用混合精度训练。</translation>
    </message>
    <message>
        <source>Cutoff length</source>
        <translation>截断长度</translation>
    </message>
    <message>
        <source>Max tokens in input sequence.</source>
        <translation>输入序列分词后的最大长度。</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批处理大小</translation>
    </message>
    <message>
        <source>Number of samples processed on each device.</source>
        <translation>每个设备上处理的样本数量。</translation>
    </message>
    <message>
        <source>Gradient accumulation</source>
        <translation>梯度累积</translation>
    </message>
    <message>
        <source>Number of steps for gradient accumulation.</source>
        <translation>梯度累积的步数。</translation>
    </message>
    <message>
        <source>Val size</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <source>Percentage of validation set from the entire dataset.</source>
        <translation>验证集占全部样本的百分比。</translation>
    </message>
    <message>
        <source>LR scheduler</source>
        <translation>学习率调节器</translation>
    </message>
    <message>
        <source>Name of the learning rate scheduler.</source>
        <translation>学习率调度器的名称。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Random seed for data shuffling, initialisation and dropout.</source>
        <translation>用于数据打乱、初始化和 dropout 的随机种子。</translation>
    </message>
    <message>
        <source>Logging steps</source>
        <translation>日志间隔</translation>
    </message>
    <message>
        <source>Number of steps between two logs.</source>
        <translation>每两次日志输出间的更新步数。</translation>
    </message>
    <message>
        <source>Save steps</source>
        <translation>保存间隔</translation>
    </message>
    <message>
        <source>Number of steps between two checkpoints.</source>
        <translation>每两次断点保存间的更新步数。</translation>
    </message>
    <message>
        <source>Warmup steps</source>
        <translation>预热步数</translation>
    </message>
    <message>
        <source>Number of steps used for warmup.</source>
        <translation>学习率预热采用的步数。</translation>
    </message>
    <message>
        <source>NEFTune alpha</source>
        <translation>NEFTune 噪声参数</translation>
    </message>
    <message>
        <source>Magnitude of noise adding to embedding vectors.</source>
        <translation>嵌入向量所添加的噪声大小。</translation>
    </message>
    <message>
        <source>Extra arguments</source>
        <translation>额外参数</translation>
    </message>
    <message>
        <source>Extra arguments passed to the trainer in JSON format.</source>
        <translation>以 JSON 格式传递给训练器的额外参数。</translation>
    </message>
    <message>
        <source>Pack sequences</source>
        <translation>序列打包</translation>
    </message>
    <message>
        <source>Pack sequences into samples of fixed length.</source>
        <translation>将序列打包为等长样本。</translation>
    </message>
    <message>
        <source>Use neat packing</source>
        <translation>使用无污染打包</translation>
    </message>
    <message>
        <source>Avoid cross-attention between packed sequences.</source>
        <translation>避免打包后的序列产生交叉注意力。</translation>
    </message>
    <message>
        <source>Train on prompt</source>
        <translation>学习提示词</translation>
    </message>
    <message>
        <source>Disable the label mask on the prompt (only for SFT).</source>
        <translation>不在提示词的部分添加掩码（仅适用于 SFT）。</translation>
    </message>
    <message>
        <source>Mask history</source>
        <translation>不学习历史对话</translation>
    </message>
    <message>
        <source>Train on the last turn only (only for SFT).</source>
        <translation>仅学习最后一轮对话（仅适用于 SFT）。</translation>
    </message>
    <message>
        <source>Resize token embeddings</source>
        <translation>更改词表大小</translation>
    </message>
    <message>
        <source>Resize the tokenizer vocab and the embedding layers.</source>
        <translation>更改分词器词表和嵌入层的大小。</translation>
    </message>
    <message>
        <source>Enable LLaMA Pro</source>
        <translation>使用 LLaMA Pro</translation>
    </message>
    <message>
        <source>Make the parameters in the expanded blocks trainable.</source>
        <translation>仅训练块扩展后的参数。</translation>
    </message>
    <message>
        <source>Enable thinking</source>
        <translation>启用思考模式</translation>
    </message>
    <message>
        <source>Whether or not to enable thinking mode for reasoning models.</source>
        <translation>是否为推理模型启用思考模式。</translation>
    </message>
    <message>
        <source>Trainable layers</source>
        <translation>可训练层数</translation>
    </message>
    <message>
        <source>Number of the last(+)/first(-) hidden layers to be set as trainable.</source>
        <translation>最末尾（+）/最前端（−）可训练隐藏层的数量。</translation>
    </message>
    <message>
        <source>Trainable modules</source>
        <translation>可训练模块</translation>
    </message>
    <message>
        <source>Name(s) of trainable modules. Use commas to separate multiple modules.</source>
        <translation>可训练模块的名称。使用英文逗号分隔多个名称。</translation>
    </message>
    <message>
        <source>Extra modules (optional)</source>
        <translation>额外模块（非必填）</translation>
    </message>
    <message>
        <source>Name(s) of modules apart from hidden layers to be set as trainable. Use commas to separate.</source>
        <translation>除隐藏层以外的可训练模块名称。使用英文逗号分隔多个名称。</translation>
    </message>
    <message>
        <source>LoRA rank</source>
        <translation>LoRA 秩</translation>
    </message>
    <message>
        <source>The rank of LoRA matrices.</source>
        <translation>LoRA 矩阵的秩大小。</translation>
    </message>
    <message>
        <source>LoRA alpha</source>
        <translation>LoRA 缩放系数</translation>
    </message>
    <message>
        <source>Lora scaling coefficient.</source>
        <translation>LoRA 缩放系数大小。</translation>
    </message>
    <message>
        <source>LoRA dropout</source>
        <translation>LoRA 随机丢弃</translation>
    </message>
    <message>
        <source>Dropout ratio of LoRA weights.</source>
        <translation>LoRA 权重随机丢弃的概率。</translation>
    </message>
    <message>
        <source>LoRA+ LR ratio</source>
        <translation>LoRA+ 学习率比例</translation>
    </message>
    <message>
        <source>The LR ratio of the B matrices in LoRA.</source>
        <translation>LoRA+ 中 B 矩阵的学习率倍数。</translation>
    </message>
    <message>
        <source>Create new adapter</source>
        <translation>新建适配器</translation>
    </message>
    <message>
        <source>Create a new adapter with randomly initialized weight upon the existing one.</source>
        <translation>在现有的适配器上创建一个随机初始化后的新适配器。</translation>
    </message>
    <message>
        <source>Use rslora</source>
        <translation>使用 rsLoRA</translation>
    </message>
    <message>
        <source>Use the rank stabilization scaling factor for LoRA layer.</source>
        <translation>对 LoRA 层使用秩稳定缩放方法。</translation>
    </message>
    <message>
        <source>Use DoRA</source>
        <translation>使用 DoRA</translation>
    </message>
    <message>
        <source>Use weight-decomposed LoRA.</source>
        <translation>使用权重分解的 LoRA。</translation>
    </message>
    <message>
        <source>Use PiSSA</source>
        <translation>使用 PiSSA</translation>
    </message>
    <message>
        <source>Use PiSSA method.</source>
        <translation>使用 PiSSA 方法。</translation>
    </message>
    <message>
        <source>LoRA modules (optional)</source>
        <translation>LoRA 作用模块（非必填）</translation>
    </message>
    <message>
        <source>Name(s) of modules to apply LoRA. Use commas to separate multiple modules.</source>
        <translation>应用 LoRA 的模块名称。使用英文逗号分隔多个名称。</translation>
    </message>
    <message>
        <source>Additional modules (optional)</source>
        <translation>附加模块（非必填）</translation>
    </message>
    <message>
        <source>Name(s) of modules apart from LoRA layers to be set as trainable. Use commas to separate.</source>
        <translation>除 LoRA 层以外的可训练模块名称。使用英文逗号分隔多个名称。</translation>
    </message>
    <message>
        <source>Beta value</source>
        <translation>Beta 参数</translation>
    </message>
    <message>
        <source>Value of the beta parameter in the loss.</source>
        <translation>损失函数中 beta 超参数大小。</translation>
    </message>
    <message>
        <source>Ftx gamma</source>
        <translation>Ftx gamma</translation>
    </message>
    <message>
        <source>The weight of SFT loss in the final loss.</source>
        <translation>损失函数中 SFT 损失的权重大小。</translation>
    </message>
    <message>
        <source>Loss type</source>
        <translation>损失类型</translation>
    </message>
    <message>
        <source>The type of the loss function.</source>
        <translation>损失函数的类型。</translation>
    </message>
    <message>
        <source>Reward model</source>
        <translation>奖励模型</translation>
    </message>
    <message>
        <source>Adapter of the reward model in PPO training.</source>
        <translation>PPO 训练中奖励模型的适配器路径。</translation>
    </message>
    <message>
        <source>Score norm</source>
        <translation>归一化分数</translation>
    </message>
    <message>
        <source>Normalizing scores in PPO training.</source>
        <translation>PPO 训练中归一化奖励分数。</translation>
    </message>
    <message>
        <source>Whiten rewards</source>
        <translation>白化奖励</translation>
    </message>
    <message>
        <source>Whiten the rewards in PPO training.</source>
        <translation>PPO 训练中将奖励分数做白化处理。</translation>
    </message>
    <message>
        <source>Use GaLore</source>
        <translation>使用 GaLore</translation>
    </message>
    <message>
        <source>Use GaLore optimizer.</source>
        <translation>使用 GaLore 优化器。</translation>
    </message>
    <message>
        <source>GaLore rank</source>
        <translation>GaLore 秩</translation>
    </message>
    <message>
        <source>The rank of GaLore gradients.</source>
        <translation>GaLore 梯度的秩大小。</translation>
    </message>
    <message>
        <source>Update interval</source>
        <translation>更新间隔</translation>
    </message>
    <message>
        <source>Number of steps to update the GaLore projection.</source>
        <translation>相邻两次投影更新的步数。</translation>
    </message>
    <message>
        <source>GaLore scale</source>
        <translation>GaLore 缩放系数</translation>
    </message>
    <message>
        <source>GaLore scaling coefficient.</source>
        <translation>GaLore 缩放系数大小。</translation>
    </message>
    <message>
        <source>GaLore modules</source>
        <translation>GaLore 作用模块</translation>
    </message>
    <message>
        <source>Name(s) of modules to apply GaLore. Use commas to separate multiple modules.</source>
        <translation>应用 GaLore 的模块名称。使用英文逗号分隔多个名称。</translation>
    </message>
    <message>
        <source>Use BAdam</source>
        <translation>使用 BAdam</translation>
    </message>
    <message>
        <source>Enable the BAdam optimizer.</source>
        <translation>使用 BAdam 优化器。</translation>
    </message>
    <message>
        <source>BAdam mode</source>
        <translation>BAdam 模式</translation>
    </message>
    <message>
        <source>Whether to use layer-wise or ratio-wise BAdam optimizer.</source>
        <translation>使用逐层或比例模式的 BAdam 优化器。</translation>
    </message>
    <message>
        <source>Switch mode</source>
        <translation>切换策略</translation>
    </message>
    <message>
        <source>The strategy of picking block to update for layer-wise BAdam.</source>
        <translation>逐层 BAdam 中选择更新块的策略。</translation>
    </message>
    <message>
        <source>Switch interval</source>
        <translation>切换频率</translation>
    </message>
    <message>
        <source>Number of steps to update the block for layer-wise BAdam.</source>
        <translation>逐层 BAdam 中切换更新块的步数间隔。</translation>
    </message>
    <message>
        <source>Update ratio</source>
        <translation>Block 更新比例</translation>
    </message>
    <message>
        <source>The ratio of the update for ratio-wise BAdam.</source>
        <translation>比例模式 BAdam 中的更新比例。</translation>
    </message>
    <message>
        <source>Supervised Fine-Tuning</source>
        <translation>监督微调</translation>
    </message>
    <message>
        <source>Reward Modeling</source>
        <translation>奖励模型训练</translation>
    </message>
    <message>
        <source>PPO</source>
        <translation>PPO</translation>
    </message>
    <message>
        <source>DPO</source>
        <translation>DPO</translation>
    </message>
    <message>
        <source>KTO</source>
        <translation>KTO</translation>
    </message>
    <message>
        <source>Pre-Training</source>
        <translation>预训练</translation>
    </message>
</context>
<context>
    <name>td::jobs::DatasetPreviewer</name>
    <message>
        <source>Preview dataset</source>
        <translation>预览数据集</translation>
    </message>
</context>
<context>
    <name>td::jobs::ExportSession</name>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
</context>
<context>
    <name>td::jobs::ModelSession</name>
    <message>
        <source>Load model</source>
        <translation>加载模型</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Chat (base model)</source>
        <translation>对话（基础模型）</translation>
    </message>
</context>
<context>
    <name>td::jobs::TrainSession</name>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
</context>
<context>
    <name>td::ui::ChatPage</name>
    <message>
        <source>Load model</source>
        <translation>加载模型</translation>
    </message>
    <message>
        <source>Unload model</source>
        <translation>卸载模型</translation>
    </message>
    <message>
        <source>Inference dtype</source>
        <translation>推理数据类型</translation>
    </message>
    <message>
        <source>Model unloaded, please load a model first.</source>
        <translation>模型未加载，请先加载模型。</translation>
    </message>
    <message>
        <source>System prompt (optional)</source>
        <translation>系统提示词（非必填）</translation>
    </message>
    <message>
        <source>Input...</source>
        <translation>输入...</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Clear history</source>
        <translation>清空历史</translation>
    </message>
    <message>
        <source>Maximum new tokens</source>
        <translation>最大生成长度</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p 采样值</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度系数</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>-1 draws a new seed for every reply.</source>
        <translation>-1 表示每次回复使用新的随机种子。</translation>
    </message>
    <message>
        <source>Skip special tokens</source>
        <translation>跳过特殊 token</translation>
    </message>
    <message>
        <source>Enable thinking</source>
        <translation>启用思考模式</translation>
    </message>
    <message>
        <source>%1 (%2): %3 parameters, %4 layers, context %5, %6 on %7, template %8</source>
        <translation>%1（%2）：%3 个参数，%4 层，上下文 %5，%6，设备 %7，模板 %8</translation>
    </message>
    <message>
        <source>Adapter: %1</source>
        <translation>适配器：%1</translation>
    </message>
    <message>
        <source>Please select a model.</source>
        <translation>请选择模型。</translation>
    </message>
    <message>
        <source>Loading model...</source>
        <translation>正在加载模型...</translation>
    </message>
    <message>
        <source>Model unloaded.</source>
        <translation>模型已卸载。</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Compare with base model</source>
        <translation>与基础模型对比</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>Tuned (%1)</source>
        <translation>微调后（%1）</translation>
    </message>
    <message>
        <source>The worker is busy training; chat resumes when the run ends.</source>
        <translation>工作线程正在训练；训练结束后继续对话。</translation>
    </message>
    <message>
        <source>The worker is busy evaluating; chat resumes when the run ends.</source>
        <translation>工作线程正在评估；评估结束后继续对话。</translation>
    </message>
    <message>
        <source>Base weights quantized: %1</source>
        <translation>基座权重已量化：%1</translation>
    </message>
    <message>
        <source>The base model could not be loaded for comparison: %1</source>
        <translation>无法加载用于对比的基座模型：%1</translation>
    </message>
    <message>
        <source>Answer each message twice, side by side: by the base model and by the tuned model, with the same settings and seed. Needs a checkpoint selected in the top bar when the model is loaded: a LoRA adapter is switched off for the base answers; a full or freeze checkpoint loads the base model a second time (twice the memory).</source>
        <translation>每条消息回答两次并排显示：分别由基座模型和微调后的模型使用相同的设置和随机种子生成。加载模型时需要在顶栏选择检查点：LoRA 适配器在基座回答时被关闭；全参数或冻结微调的检查点会再加载一次基座模型（占用两倍内存）。</translation>
    </message>
    <message>
        <source>Loading the base model %1 for comparison...</source>
        <translation>正在加载用于对比的基座模型 %1……</translation>
    </message>
</context>
<context>
    <name>td::ui::DatasetPicker</name>
    <message>
        <source>Data dir</source>
        <translation>数据路径</translation>
    </message>
    <message>
        <source>Path to the data directory (holding dataset_info.json).</source>
        <translation>数据文件夹的路径（包含 dataset_info.json）。</translation>
    </message>
    <message>
        <source>Choose the data directory.</source>
        <translation>选择数据文件夹。</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Datasets registered in dataset_info.json; ranking (preference) datasets cannot be evaluated by generation and are not listed.</source>
        <translation>dataset_info.json 中注册的数据集；排序（偏好）数据集无法通过生成来评估，因此不在列表中。</translation>
    </message>
    <message>
        <source>Datasets registered in dataset_info.json.</source>
        <translation>dataset_info.json 中注册的数据集。</translation>
    </message>
    <message>
        <source>Preview dataset</source>
        <translation>预览数据集</translation>
    </message>
    <message>
        <source>Show the first rows of the first selected dataset, the text the model sees and statistics.</source>
        <translation>显示所选第一个数据集的前几行、模型看到的文本以及统计信息。</translation>
    </message>
    <message>
        <source>%1 is not valid JSON: %2 (at byte %3)</source>
        <translation>%1 不是有效的 JSON：%2（位于第 %3 字节）</translation>
    </message>
</context>
<context>
    <name>td::ui::DatasetPreviewDialog</name>
    <message>
        <source>Preview dataset</source>
        <translation>预览数据集</translation>
    </message>
    <message>
        <source>Reading the dataset...</source>
        <translation>正在读取数据集...</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Dropped rows and why:</source>
        <translation>被丢弃的行及原因：</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Dataset %1 (format %2), template %3</source>
        <translation>数据集 %1（格式 %2），模板 %3</translation>
    </message>
    <message>
        <source>none (no tokenizer)</source>
        <translation>无（没有分词器）</translation>
    </message>
    <message>
        <source>%1 tokens, %2 trained (highlighted); grey text is prompt and carries no loss.</source>
        <translation>共 %1 个 token，其中 %2 个参与训练（高亮）；灰色文字为提示词，不计入损失。</translation>
    </message>
    <message>
        <source>Dropped: %1</source>
        <translation>已丢弃：%1</translation>
    </message>
    <message>
        <source>Truncated to the cutoff length.</source>
        <translation>已截断至截断长度。</translation>
    </message>
    <message>
        <source>Choose a model to count tokens and see statistics.</source>
        <translation>选择模型后即可统计 token 并查看统计信息。</translation>
    </message>
    <message>
        <source>%1 rows, %2 usable examples, %3 truncated.
Tokens per example: min %4, mean %5, max %6; %7 tokens in all.</source>
        <translation>共 %1 行，%2 个可用样本，%3 个被截断。
每个样本的 token 数：最少 %4，平均 %5，最多 %6；总计 %7 个 token。</translation>
    </message>
    <message>
        <source>examples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>tokens per example</source>
        <translation>每个样本的 token 数</translation>
    </message>
    <message>
        <source>Chosen</source>
        <translation>选中的回答</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>拒绝的回答</translation>
    </message>
    <message>
        <source>Chosen: %1 tokens, %2 trained; rejected: %3 tokens, %4 trained (highlighted); grey text is prompt and carries no loss.</source>
        <translation>选中：共 %1 个 token，其中 %2 个参与训练；拒绝：共 %3 个 token，其中 %4 个参与训练（高亮）；灰色文字为提示词，不计入损失。</translation>
    </message>
</context>
<context>
    <name>td::ui::EvalPage</name>
    <message>
        <source>Open evaluation results</source>
        <translation>打开评估结果</translation>
    </message>
    <message numerus="yes">
        <source>Showing %n sample(s) of %1.</source>
        <translation>
            <numerusform>显示 %1 中的 %n 个样本。</numerusform>
        </translation>
    </message>
    <message>
        <source>Output dir</source>
        <translation>输出目录</translation>
    </message>
    <message>
        <source>Directory for the predictions and scores, under saves/&lt;model&gt;/&lt;method&gt;/. Choose an earlier evaluation to see its results.</source>
        <translation>保存预测结果和分数的目录，位于 saves/&lt;模型&gt;/&lt;方法&gt;/ 下。选择以前的评估即可查看其结果。</translation>
    </message>
    <message>
        <source>Open results…</source>
        <translation>打开结果…</translation>
    </message>
    <message>
        <source>Show the results of any evaluation folder (generated_predictions.jsonl), including runs of the command line or of LLaMA-Factory.</source>
        <translation>显示任意评估文件夹（generated_predictions.jsonl）的结果，包括命令行或 LLaMA-Factory 的运行。</translation>
    </message>
    <message>
        <source>Preview command</source>
        <translation>预览命令</translation>
    </message>
    <message>
        <source>Show the command and the arguments Start runs.</source>
        <translation>显示“开始”将运行的命令和参数。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Write training_args.yaml into the output dir, generate an answer for every sample and score it against the reference (BLEU-4, ROUGE).</source>
        <translation>将 training_args.yaml 写入输出目录，为每个样本生成回答并与参考答案比较打分（BLEU-4、ROUGE）。</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>中断</translation>
    </message>
    <message>
        <source>Stop after the current batch; the samples generated so far are kept and shown.</source>
        <translation>在当前批次结束后停止；已生成的样本会保留并显示。</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>准备就绪。</translation>
    </message>
    <message>
        <source>Output dir already holds results; this run replaces them.</source>
        <translation>输出目录中已有结果；本次运行会覆盖它们。</translation>
    </message>
    <message>
        <source>Cannot create the output dir %1.</source>
        <translation>无法创建输出目录 %1。</translation>
    </message>
    <message>
        <source>Aborted, wait for terminating...</source>
        <translation>已中断，正在等待进程结束……</translation>
    </message>
    <message>
        <source>Finished.</source>
        <translation>评估完毕。</translation>
    </message>
    <message>
        <source>Aborted.</source>
        <translation>已中断。</translation>
    </message>
    <message>
        <source>Failed.</source>
        <translation>失败。</translation>
    </message>
    <message>
        <source>Hint: %1</source>
        <translation>提示：%1</translation>
    </message>
</context>
<context>
    <name>td::ui::EvalResultsModel</name>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>BLEU-4 on characters (NLTK sentence_bleu, one reference, smoothing method 3), ×100: how many 1- to 4-character sequences of the prediction occur in the reference.</source>
        <translation>基于字符的 BLEU-4（NLTK sentence_bleu，单个参考答案，平滑方法 method3），×100：预测中长度为 1 到 4 个字符的序列有多少出现在参考答案中。</translation>
    </message>
    <message>
        <source>words</source>
        <translation>词</translation>
    </message>
    <message>
        <source>word pairs</source>
        <translation>相邻词对</translation>
    </message>
    <message>
        <source>the longest common word sequence</source>
        <translation>最长公共词序列</translation>
    </message>
    <message>
        <source>%1 F-measure of %2 between prediction and reference, ×100; words are segmented with jieba (rouge-chinese), so Chinese and English are scored alike. An empty prediction scores 0.</source>
        <translation>%1：预测与参考答案之间%2的 F 值，×100；使用 jieba 分词（rouge-chinese），因此中文和英文按相同方式评分。空预测得 0 分。</translation>
    </message>
</context>
<context>
    <name>td::ui::EvalResultsView</name>
    <message>
        <source>Filter samples…</source>
        <translation>筛选样本…</translation>
    </message>
    <message>
        <source>Show only the samples whose prompt, prediction or reference contains this text.</source>
        <translation>只显示提示词、预测或参考答案中包含此文本的样本。</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>Every evaluated sample; click a header to sort, select a row to read it in full.</source>
        <translation>所有已评估的样本；点击表头可排序，选中一行可查看完整内容。</translation>
    </message>
    <message>
        <source>No evaluation results in %1.</source>
        <translation>%1 中没有评估结果。</translation>
    </message>
    <message>
        <source>No results yet: press Start, or choose an evaluation folder as the output dir.</source>
        <translation>暂无结果：点击“开始”，或选择一个评估文件夹作为输出目录。</translation>
    </message>
    <message numerus="yes">
        <source>%n sample(s)</source>
        <translation>
            <numerusform>%n 个样本</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 samples/s</source>
        <translation>%1 样本/秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>no all_results.json (the run did not finish): means of the samples shown</source>
        <translation>没有 all_results.json（运行未完成）：显示的是所列样本的平均值</translation>
    </message>
    <message numerus="yes">
        <source>%n empty prediction(s), scored 0</source>
        <translation>
            <numerusform>%n 条空预测，记 0 分</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unreadable line(s) skipped</source>
        <translation>
            <numerusform>跳过了 %n 行无法读取的内容</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a sample to read it in full.</source>
        <translation>选择一个样本以查看完整内容。</translation>
    </message>
    <message>
        <source>Sample %1</source>
        <translation>样本 %1</translation>
    </message>
    <message>
        <source>predictions not saved (&quot;Save predictions&quot; was off): scores only</source>
        <translation>未保存预测结果（“保存预测结果”已关闭）：仅有分数</translation>
    </message>
</context>
<context>
    <name>td::ui::ExportPage</name>
    <message>
        <source>Export format</source>
        <translation>导出格式</translation>
    </message>
    <message>
        <source>Hugging Face folder (merged)</source>
        <translation>Hugging Face 文件夹（已合并）</translation>
    </message>
    <message>
        <source>GGUF file (llama.cpp)</source>
        <translation>GGUF 文件（llama.cpp）</translation>
    </message>
    <message>
        <source>Adapter only (PEFT)</source>
        <translation>仅适配器（PEFT）</translation>
    </message>
    <message>
        <source>A merged model folder, one llama.cpp GGUF file, or the LoRA adapter alone.</source>
        <translation>合并后的模型文件夹、单个 llama.cpp GGUF 文件，或仅 LoRA 适配器。</translation>
    </message>
    <message>
        <source>Max shard size (GB)</source>
        <translation>最大分块大小（GB）</translation>
    </message>
    <message>
        <source>The maximum size for a model file.</source>
        <translation>单个模型文件的最大大小。</translation>
    </message>
    <message>
        <source> GB</source>
        <translation> GB</translation>
    </message>
    <message>
        <source>Export dtype</source>
        <translation>导出数据类型</translation>
    </message>
    <message>
        <source>auto keeps the checkpoint&apos;s 16-bit dtype and saves float32 checkpoints as bfloat16.</source>
        <translation>auto 保留检查点的 16 位数据类型，float32 检查点保存为 bfloat16。</translation>
    </message>
    <message>
        <source>GGUF type</source>
        <translation>GGUF 类型</translation>
    </message>
    <message>
        <source>q8_0 and q4_0 quantize the weights; f16, bf16 and f32 keep them unquantized.</source>
        <translation>q8_0 和 q4_0 会量化权重；f16、bf16 和 f32 不量化。</translation>
    </message>
    <message>
        <source>Export device</source>
        <translation>导出设备</translation>
    </message>
    <message>
        <source>Which device should be used to export model. Adapters are merged on the CPU in both cases.</source>
        <translation>导出模型使用的设备类型。两种情况下适配器都在 CPU 上合并。</translation>
    </message>
    <message>
        <source>Export legacy format</source>
        <translation>导出旧格式</translation>
    </message>
    <message>
        <source>TuneDesk writes safetensors only; pytorch_model.bin is not supported.</source>
        <translation>TuneDesk 只写入 safetensors；不支持 pytorch_model.bin。</translation>
    </message>
    <message>
        <source>Verify the export</source>
        <translation>校验导出结果</translation>
    </message>
    <message>
        <source>Reload what was written and compare its logits with the merged model.</source>
        <translation>重新加载写入的文件，并将其 logits 与合并后的模型比较。</translation>
    </message>
    <message>
        <source>Export dir</source>
        <translation>导出目录</translation>
    </message>
    <message>
        <source>Directory to save exported model (new or empty).</source>
        <translation>保存导出模型的文件夹路径（新建或为空）。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Merging adapters…</source>
        <translation>正在合并适配器…</translation>
    </message>
    <message>
        <source>Writing files…</source>
        <translation>正在写入文件…</translation>
    </message>
    <message>
        <source>Verifying the export…</source>
        <translation>正在校验导出结果…</translation>
    </message>
    <message>
        <source>Finishing…</source>
        <translation>正在完成…</translation>
    </message>
    <message>
        <source>A process is in running, please abort it first.</source>
        <translation>任务已存在，请先中断训练。</translation>
    </message>
    <message>
        <source>Please select a model.</source>
        <translation>请选择模型。</translation>
    </message>
    <message>
        <source>Model not found.</source>
        <translation>模型未找到。</translation>
    </message>
    <message>
        <source>Please provide export dir.</source>
        <translation>请填写导出目录。</translation>
    </message>
    <message>
        <source>Please select an adapter.</source>
        <translation>请选择适配器。</translation>
    </message>
    <message>
        <source>Adapter only exports one adapter: select a single checkpoint.</source>
        <translation>“仅适配器”只导出一个适配器：请只选择一个检查点。</translation>
    </message>
    <message>
        <source>Checkpoint not found: %1</source>
        <translation>未找到检查点：%1</translation>
    </message>
    <message>
        <source>The export dir is not empty: %1</source>
        <translation>导出目录不为空：%1</translation>
    </message>
    <message>
        <source>Choose a new or an empty folder; an export never overwrites files.</source>
        <translation>请选择新的或空的文件夹；导出从不覆盖已有文件。</translation>
    </message>
    <message>
        <source>Waiting for the engine…</source>
        <translation>等待引擎…</translation>
    </message>
    <message>
        <source>Exporting model...</source>
        <translation>正在导出模型……</translation>
    </message>
    <message>
        <source>Aborted, wait for terminating...</source>
        <translation>已中断，正在等待进程结束……</translation>
    </message>
    <message>
        <source>Export cancelled; the export dir was left as it was.</source>
        <translation>导出已取消；导出目录保持原样。</translation>
    </message>
    <message>
        <source>Failed.</source>
        <translation>失败。</translation>
    </message>
    <message>
        <source>Hint: %1</source>
        <translation>提示：%1</translation>
    </message>
    <message>
        <source>Model exported.</source>
        <translation>模型导出完成。</translation>
    </message>
    <message>
        <source>Output: %1</source>
        <translation>输出目录：%1</translation>
    </message>
    <message>
        <source>Format: %1, %2</source>
        <translation>格式：%1，%2</translation>
    </message>
    <message>
        <source>Size: %1 (files: %2), written in %3 s</source>
        <translation>大小：%1（文件数：%2），用时 %3 秒</translation>
    </message>
    <message>
        <source>Adapters merged: %1</source>
        <translation>已合并适配器：%1</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Verification:</source>
        <translation>校验：</translation>
    </message>
    <message>
        <source>Max logit difference after reloading: %1 (tolerance %2)</source>
        <translation>重新加载后的最大 logit 差异：%1（容差 %2）</translation>
    </message>
    <message>
        <source>Difference from the float32 merged model (precision cost): %1</source>
        <translation>与 float32 合并模型的差异（精度损失）：%1</translation>
    </message>
    <message>
        <source>Verification: skipped</source>
        <translation>校验：已跳过</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Warnings:</source>
        <translation>警告：</translation>
    </message>
</context>
<context>
    <name>td::ui::LogDock</name>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
</context>
<context>
    <name>td::ui::LossChart</name>
    <message>
        <source>loss (original)</source>
        <translation>损失（原始）</translation>
    </message>
    <message>
        <source>loss (smoothed)</source>
        <translation>损失（平滑）</translation>
    </message>
    <message>
        <source>eval loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>重置缩放</translation>
    </message>
    <message>
        <source>Drag a rectangle to zoom in; right-click to zoom out.</source>
        <translation>拖出矩形以放大；右键单击以缩小。</translation>
    </message>
    <message>
        <source>LR</source>
        <comment>axis title: learning rate</comment>
        <translation>学习率</translation>
    </message>
</context>
<context>
    <name>td::ui::MainWindow</name>
    <message>
        <source>Running: %1</source>
        <translation>正在运行：%1</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>已完成。</translation>
    </message>
    <message>
        <source>Aborted.</source>
        <translation>已中断。</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Load arguments</source>
        <translation>载入训练参数</translation>
    </message>
    <message>
        <source>LLaMA-Factory arguments (*.yaml *.yml)</source>
        <translation>LLaMA-Factory 参数文件 (*.yaml *.yml)</translation>
    </message>
    <message>
        <source>About TuneDesk</source>
        <translation>关于 TuneDesk</translation>
    </message>
    <message>
        <source>&lt;b&gt;TuneDesk %1&lt;/b&gt;&lt;p&gt;Fine-tune large language models on your workstation, offline.&lt;/p&gt;</source>
        <translation>&lt;b&gt;TuneDesk %1&lt;/b&gt;&lt;p&gt;在本机离线微调大语言模型。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>TuneDesk</source>
        <translation>TuneDesk</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open model folder…</source>
        <translation>打开模型文件夹(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Load arguments…</source>
        <translation>载入参数(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>Clear recent models</source>
        <translation>清除最近使用的模型</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Export merged model…</source>
        <translation>导出合并后的模型…</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Show log</source>
        <translation>显示日志</translation>
    </message>
    <message>
        <source>&amp;About TuneDesk</source>
        <translation>关于 TuneDesk(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>准备就绪。</translation>
    </message>
    <message>
        <source>Open model folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <source>%1 is neither a model folder nor an arguments file (.yaml)</source>
        <translation>%1 既不是模型文件夹，也不是参数文件（.yaml）</translation>
    </message>
    <message numerus="yes">
        <source>Loaded %n argument(s) from %1</source>
        <translation>
            <numerusform>已从 %1 载入 %n 个参数</numerusform>
        </translation>
    </message>
    <message>
        <source>Last log lines:</source>
        <translation>最近的日志：</translation>
    </message>
    <message>
        <source>Quit TuneDesk?</source>
        <translation>退出 TuneDesk？</translation>
    </message>
    <message>
        <source>A job is still running. Quitting aborts it. Quit anyway?</source>
        <translation>仍有任务在运行，退出将中断该任务。仍要退出吗？</translation>
    </message>
    <message>
        <source>Training is running. Quitting stops it after the current step and saves a checkpoint. Quit anyway?</source>
        <translation>训练正在进行。退出会在当前步骤结束后停止训练并保存检查点。仍要退出吗？</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Evaluate &amp;&amp; Predict</source>
        <translation>评估与预测</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
</context>
<context>
    <name>td::ui::MemoryLabel</name>
    <message>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <source>Estimated memory: %1 of %2 available · ≈ %3 TFLOP/step</source>
        <translation>预计内存：%1 / 可用 %2 · ≈ %3 TFLOP/步</translation>
    </message>
    <message>
        <source>Estimated memory: %1 (GPU memory is not checked) · ≈ %2 TFLOP/step</source>
        <translation>预计内存：%1（未检查 GPU 显存）· ≈ %2 TFLOP/步</translation>
    </message>
    <message>
        <source>Weights %1, gradients %2, optimizer %3, activations %4, logits %5, runtime %6. Trainable parameters: %7 of %8.</source>
        <translation>权重 %1，梯度 %2，优化器 %3，激活 %4，logits %5，运行时 %6。可训练参数：%7 / %8。</translation>
    </message>
    <message>
        <source>Training needs about %1, but only %2 are available. Lower the batch size or the cutoff length, use LoRA and bf16, and keep gradient checkpointing on.</source>
        <translation>训练约需 %1，但仅有 %2 可用。请减小批处理大小或截断长度，使用 LoRA 和 bf16，并保持梯度检查点开启。</translation>
    </message>
</context>
<context>
    <name>td::ui::RunProgressBar</name>
    <message>
        <source>Waiting for the running job to finish…</source>
        <translation>正在等待当前任务结束…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Preparing the dataset…</source>
        <translation>正在准备数据集…</translation>
    </message>
    <message>
        <source>Running %1/%2: %3 &lt; %4</source>
        <translation>运行中 %1/%2：%3 &lt; %4</translation>
    </message>
    <message>
        <source>Running %1/%2</source>
        <translation>运行中 %1/%2</translation>
    </message>
</context>
<context>
    <name>td::ui::TopBar</name>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Model path</source>
        <translation>模型路径</translation>
    </message>
    <message>
        <source>Folder of a Hugging Face model (config.json, *.safetensors)</source>
        <translation>Hugging Face 模型文件夹（config.json、*.safetensors）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Finetuning method</source>
        <translation>微调方法</translation>
    </message>
    <message>
        <source>Checkpoint path</source>
        <translation>检查点路径</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <source>auto: the template the model&apos;s tokenizer_config.json ships</source>
        <translation>auto：使用模型 tokenizer_config.json 自带的模板</translation>
    </message>
    <message>
        <source>Model name</source>
        <translation>模型名称</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>A known model fills the path and the chat template; Custom: any model folder.</source>
        <translation>选择已知模型会自动填写路径和对话模板；自定义：任意模型文件夹。</translation>
    </message>
    <message>
        <source>A path typed here is remembered for the selected model name.</source>
        <translation>在此输入的路径会为所选模型记住。</translation>
    </message>
    <message>
        <source>Runs of this model under saves/&lt;model&gt;/&lt;method&gt;/ and their checkpoint-N folders</source>
        <translation>此模型在 saves/&lt;模型&gt;/&lt;方法&gt;/ 下的运行及其 checkpoint-N 文件夹</translation>
    </message>
    <message>
        <source>Quantization bit</source>
        <translation>量化等级</translation>
    </message>
    <message>
        <source>Enable quantization (QLoRA): load the base model in this many bits. LoRA only.</source>
        <translation>启用量化（QLoRA）：以此位数加载基础模型。仅适用于 LoRA。</translation>
    </message>
    <message>
        <source>Quantization method</source>
        <translation>量化方法</translation>
    </message>
    <message>
        <source>Quantization algorithm to use.</source>
        <translation>使用的量化算法。</translation>
    </message>
    <message>
        <source>RoPE scaling</source>
        <translation>RoPE 插值方法</translation>
    </message>
    <message>
        <source>RoPE scaling method.</source>
        <translation>RoPE 缩放方法。</translation>
    </message>
    <message>
        <source>Booster</source>
        <translation>加速方式</translation>
    </message>
    <message>
        <source>Approach used to boost training and inference speed.</source>
        <translation>用于加速训练和推理的方法。</translation>
    </message>
    <message>
        <source>You are using a non-instruct model, please fine-tune it first.</source>
        <translation>您使用的是非指令模型，请先对其进行微调。</translation>
    </message>
    <message>
        <source>The %1 chat template is not built in yet: the model&apos;s own template is used (auto).</source>
        <translation>对话模板 %1 尚未内置：将使用模型自带的模板（auto）。</translation>
    </message>
    <message>
        <source>%1 is not in the Hugging Face cache (%2). Download it first, e.g. with &quot;huggingface-cli download %1&quot;, or type the folder it is in.</source>
        <translation>%1 不在 Hugging Face 缓存（%2）中。请先下载，例如运行“huggingface-cli download %1”，或输入它所在的文件夹。</translation>
    </message>
    <message>
        <source>%1 / %2 · step %3 · loss %4</source>
        <translation>%1 / %2 · 第 %3 步 · 损失 %4</translation>
    </message>
    <message>
        <source>%1 / %2 · step %3</source>
        <translation>%1 / %2 · 第 %3 步</translation>
    </message>
</context>
<context>
    <name>td::ui::TrainPage</name>
    <message>
        <source>Output dir</source>
        <translation>输出目录</translation>
    </message>
    <message>
        <source>Directory for saving results, under saves/&lt;model&gt;/&lt;method&gt;/.</source>
        <translation>保存结果的路径，位于 saves/&lt;模型&gt;/&lt;方法&gt;/ 下。</translation>
    </message>
    <message>
        <source>Config path</source>
        <translation>配置路径</translation>
    </message>
    <message>
        <source>Path to the file of the arguments, under llamaboard_config/.</source>
        <translation>保存训练参数的配置文件路径，位于 llamaboard_config/ 下。</translation>
    </message>
    <message>
        <source>Preview command</source>
        <translation>预览命令</translation>
    </message>
    <message>
        <source>Save arguments</source>
        <translation>保存训练参数</translation>
    </message>
    <message>
        <source>Load arguments</source>
        <translation>载入训练参数</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>中断</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>准备就绪。</translation>
    </message>
    <message>
        <source>Arguments have been saved at: %1</source>
        <translation>训练参数已保存至：%1</translation>
    </message>
    <message>
        <source>Config file is not found.</source>
        <translation>未找到配置文件。</translation>
    </message>
    <message>
        <source>Arguments have been restored.</source>
        <translation>训练参数已载入。</translation>
    </message>
    <message>
        <source>Compare with run</source>
        <translation>与其他训练比较</translation>
    </message>
    <message>
        <source>Compare run…</source>
        <translation>比较训练…</translation>
    </message>
    <message>
        <source>Draw the loss of another run (a folder with trainer_log.jsonl) over this one.</source>
        <translation>将另一次训练（包含 trainer_log.jsonl 的文件夹）的损失曲线叠加到当前曲线上。</translation>
    </message>
    <message>
        <source>Output dir already exists, will resume training from here.</source>
        <translation>输出目录已存在，将从此处继续训练。</translation>
    </message>
    <message>
        <source>Step %1/%2 (%3%), elapsed %4.</source>
        <translation>第 %1/%2 步（%3%），已用时 %4。</translation>
    </message>
    <message>
        <source>Please choose a dataset.</source>
        <translation>请选择数据集。</translation>
    </message>
    <message>
        <source>Write training_args.yaml and llamaboard_config.yaml into the output dir and train. An output dir with checkpoints is resumed.</source>
        <translation>将 training_args.yaml 和 llamaboard_config.yaml 写入输出目录并开始训练。若输出目录中已有检查点，则从检查点继续训练。</translation>
    </message>
    <message>
        <source>Stop after the current step; a checkpoint and the weights are saved.</source>
        <translation>在当前步骤结束后停止；检查点和权重会被保存。</translation>
    </message>
    <message>
        <source>Cannot create the output dir %1.</source>
        <translation>无法创建输出目录 %1。</translation>
    </message>
    <message>
        <source>Aborted, wait for terminating...</source>
        <translation>训练中断，正在等待进程结束……</translation>
    </message>
    <message>
        <source>Finished.</source>
        <translation>训练完毕。</translation>
    </message>
    <message>
        <source>Aborted.</source>
        <translation>已中断。</translation>
    </message>
    <message>
        <source>Failed.</source>
        <translation>失败。</translation>
    </message>
    <message>
        <source>Hint: %1</source>
        <translation>提示：%1</translation>
    </message>
    <message>
        <source>The form was not restored: %1</source>
        <translation>表单未恢复：%1</translation>
    </message>
    <message>
        <source>%1/%2 steps</source>
        <translation>%1/%2 步</translation>
    </message>
    <message>
        <source>Stopped at step %1 of %2 — Start resumes from checkpoint-%3.</source>
        <translation>已在第 %1/%2 步停止——点击“开始”将从 checkpoint-%3 继续。</translation>
    </message>
    <message>
        <source>Stopped at step %1 of %2 with no checkpoint saved — Start trains from the beginning.</source>
        <translation>已在第 %1/%2 步停止且未保存检查点——点击“开始”将从头训练。</translation>
    </message>
    <message>
        <source>This run has not logged a training step yet — Start trains from the beginning.</source>
        <translation>此运行尚未记录任何训练步——点击“开始”将从头训练。</translation>
    </message>
</context>
</TS>
