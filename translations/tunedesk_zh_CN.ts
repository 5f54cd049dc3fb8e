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
    <name>td::ui::LogDock</name>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
</context>
<context>
    <name>td::ui::MainWindow</name>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Stage, datasets with preview, every hyperparameter group, Start/Abort and the live loss chart appear here once the trainer is part of the engine.</source>
        <translation>训练模块加入引擎后，这里将提供训练阶段、可预览的数据集、全部超参数分组、开始/中断按钮以及实时损失曲线。</translation>
    </message>
    <message>
        <source>Evaluate &amp; Predict</source>
        <translation>评估与预测</translation>
    </message>
    <message>
        <source>BLEU-4/ROUGE scoring and predictions on a dataset appear here once evaluation is part of the engine.</source>
        <translation>评估模块加入引擎后，这里将显示数据集上的 BLEU-4/ROUGE 评分和预测结果。</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Load a model (with an adapter) and chat with it, streaming, once generation is part of the engine.</source>
        <translation>生成模块加入引擎后，可在这里加载模型（及适配器）并进行流式对话。</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Merge an adapter into its base model and write a Hugging Face folder or a GGUF file, once export is part of the engine.</source>
        <translation>导出模块加入引擎后，可在这里将适配器合并到基础模型，并保存为 Hugging Face 文件夹或 GGUF 文件。</translation>
    </message>
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
        <translation>载入参数</translation>
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
        <source>Runs of this model under saves/&lt;model&gt;/&lt;method&gt;/</source>
        <translation>该模型在 saves/&lt;模型&gt;/&lt;方法&gt;/ 下的训练记录</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <source>auto: the template the model&apos;s tokenizer_config.json ships</source>
        <translation>auto：使用模型 tokenizer_config.json 自带的模板</translation>
    </message>
</context>
</TS>
