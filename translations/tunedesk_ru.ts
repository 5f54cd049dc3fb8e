<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>ErrorText</name>
    <message>
        <source>The settings are not valid.</source>
        <translation>Настройки заданы неверно.</translation>
    </message>
    <message>
        <source>An argument is not valid.</source>
        <translation>Недопустимый аргумент.</translation>
    </message>
    <message>
        <source>A file or folder was not found.</source>
        <translation>Файл или папка не найдены.</translation>
    </message>
    <message>
        <source>Reading or writing a file failed.</source>
        <translation>Не удалось прочитать или записать файл.</translation>
    </message>
    <message>
        <source>A JSON or YAML file is malformed.</source>
        <translation>Файл JSON или YAML повреждён или содержит ошибку.</translation>
    </message>
    <message>
        <source>The model checkpoint is damaged or incomplete.</source>
        <translation>Контрольная точка модели повреждена или неполна.</translation>
    </message>
    <message>
        <source>The tokenizer files are missing or malformed.</source>
        <translation>Файлы токенизатора отсутствуют или повреждены.</translation>
    </message>
    <message>
        <source>The dataset has a problem.</source>
        <translation>В наборе данных есть ошибка.</translation>
    </message>
    <message>
        <source>This model architecture is not supported.</source>
        <translation>Эта архитектура модели не поддерживается.</translation>
    </message>
    <message>
        <source>This feature is not available here.</source>
        <translation>Эта функция здесь недоступна.</translation>
    </message>
    <message>
        <source>Out of memory.</source>
        <translation>Недостаточно памяти.</translation>
    </message>
    <message>
        <source>The compute backend reported an error.</source>
        <translation>Вычислительная библиотека сообщила об ошибке.</translation>
    </message>
    <message>
        <source>Aborted.</source>
        <translation>Прервано.</translation>
    </message>
    <message>
        <source>An internal error occurred.</source>
        <translation>Произошла внутренняя ошибка.</translation>
    </message>
</context>
<context>
    <name>td::ui::LogDock</name>
    <message>
        <source>Log</source>
        <translation>Журнал</translation>
    </message>
</context>
<context>
    <name>td::ui::MainWindow</name>
    <message>
        <source>Train</source>
        <translation>Обучение</translation>
    </message>
    <message>
        <source>Stage, datasets with preview, every hyperparameter group, Start/Abort and the live loss chart appear here once the trainer is part of the engine.</source>
        <translation>Этап, наборы данных с предпросмотром, все группы гиперпараметров, кнопки «Начать» и «Прервать» и график потерь в реальном времени появятся здесь, когда в движок войдёт модуль обучения.</translation>
    </message>
    <message>
        <source>Evaluate &amp; Predict</source>
        <translation>Оценка и предсказание</translation>
    </message>
    <message>
        <source>BLEU-4/ROUGE scoring and predictions on a dataset appear here once evaluation is part of the engine.</source>
        <translation>Оценка BLEU-4/ROUGE и предсказания на наборе данных появятся здесь, когда в движок войдёт модуль оценки.</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Чат</translation>
    </message>
    <message>
        <source>Load a model (with an adapter) and chat with it, streaming, once generation is part of the engine.</source>
        <translation>Здесь можно будет загрузить модель (с адаптером) и общаться с ней в потоковом режиме, когда в движок войдёт генерация.</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
    <message>
        <source>Merge an adapter into its base model and write a Hugging Face folder or a GGUF file, once export is part of the engine.</source>
        <translation>Здесь можно будет объединить адаптер с базовой моделью и сохранить папку Hugging Face или файл GGUF, когда в движок войдёт экспорт.</translation>
    </message>
    <message>
        <source>Running: %1</source>
        <translation>Выполняется: %1</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Готово.</translation>
    </message>
    <message>
        <source>Aborted.</source>
        <translation>Прервано.</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Ошибка: %1</translation>
    </message>
    <message>
        <source>Load arguments</source>
        <translation>Загрузить аргументы</translation>
    </message>
    <message>
        <source>LLaMA-Factory arguments (*.yaml *.yml)</source>
        <translation>Аргументы LLaMA-Factory (*.yaml *.yml)</translation>
    </message>
    <message>
        <source>About TuneDesk</source>
        <translation>О программе TuneDesk</translation>
    </message>
    <message>
        <source>&lt;b&gt;TuneDesk %1&lt;/b&gt;&lt;p&gt;Fine-tune large language models on your workstation, offline.&lt;/p&gt;</source>
        <translation>&lt;b&gt;TuneDesk %1&lt;/b&gt;&lt;p&gt;Дообучение больших языковых моделей на вашем компьютере, без сети.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>TuneDesk</source>
        <translation>TuneDesk</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Open model folder…</source>
        <translation>&amp;Открыть папку модели…</translation>
    </message>
    <message>
        <source>&amp;Load arguments…</source>
        <translation>&amp;Загрузить аргументы…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Выход</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Модель</translation>
    </message>
    <message>
        <source>Clear recent models</source>
        <translation>Очистить список недавних моделей</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Экспорт</translation>
    </message>
    <message>
        <source>Export merged model…</source>
        <translation>Экспортировать объединённую модель…</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Язык</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>Show log</source>
        <translation>Показать журнал</translation>
    </message>
    <message>
        <source>&amp;About TuneDesk</source>
        <translation>&amp;О программе TuneDesk</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>О &amp;Qt</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>Готово.</translation>
    </message>
    <message>
        <source>Open model folder</source>
        <translation>Открыть папку модели</translation>
    </message>
    <message>
        <source>%1 is neither a model folder nor an arguments file (.yaml)</source>
        <translation>%1 — не папка модели и не файл аргументов (.yaml)</translation>
    </message>
    <message numerus="yes">
        <source>Loaded %n argument(s) from %1</source>
        <translation>
            <numerusform>Загружен %n аргумент из %1</numerusform>
            <numerusform>Загружено %n аргумента из %1</numerusform>
            <numerusform>Загружено %n аргументов из %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Last log lines:</source>
        <translation>Последние строки журнала:</translation>
    </message>
    <message>
        <source>Quit TuneDesk?</source>
        <translation>Выйти из TuneDesk?</translation>
    </message>
    <message>
        <source>A job is still running. Quitting aborts it. Quit anyway?</source>
        <translation>Задача ещё выполняется. Выход прервёт её. Всё равно выйти?</translation>
    </message>
</context>
<context>
    <name>td::ui::TopBar</name>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Model path</source>
        <translation>Путь к модели</translation>
    </message>
    <message>
        <source>Folder of a Hugging Face model (config.json, *.safetensors)</source>
        <translation>Папка модели Hugging Face (config.json, *.safetensors)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <source>Finetuning method</source>
        <translation>Метод дообучения</translation>
    </message>
    <message>
        <source>Checkpoint path</source>
        <translation>Путь контрольной точки</translation>
    </message>
    <message>
        <source>Runs of this model under saves/&lt;model&gt;/&lt;method&gt;/</source>
        <translation>Запуски этой модели в saves/&lt;модель&gt;/&lt;метод&gt;/</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>Шаблон чата</translation>
    </message>
    <message>
        <source>auto: the template the model&apos;s tokenizer_config.json ships</source>
        <translation>auto: шаблон из файла tokenizer_config.json модели</translation>
    </message>
</context>
</TS>
