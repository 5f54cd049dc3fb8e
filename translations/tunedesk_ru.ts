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
    <name>EvalArgs</name>
    <message>
        <source>Cutoff length</source>
        <translation>Длина обрезки</translation>
    </message>
    <message>
        <source>Max tokens in input sequence; longer prompts are truncated.</source>
        <translation>Максимальное число токенов во входной последовательности; более длинные запросы обрезаются.</translation>
    </message>
    <message>
        <source>Max samples</source>
        <translation>Максимум примеров</translation>
    </message>
    <message>
        <source>Maximum samples per dataset.</source>
        <translation>Максимальное число примеров из каждого набора данных.</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Размер пакета</translation>
    </message>
    <message>
        <source>Number of samples generated together on each device.</source>
        <translation>Число примеров, генерируемых одновременно на каждом устройстве.</translation>
    </message>
    <message>
        <source>Save predictions</source>
        <translation>Сохранять предсказания</translation>
    </message>
    <message>
        <source>Write every prediction to generated_predictions.jsonl (do_predict); off: scores only (do_eval).</source>
        <translation>Записывать каждое предсказание в generated_predictions.jsonl (do_predict); если выключено — только оценки (do_eval).</translation>
    </message>
    <message>
        <source>Maximum new tokens</source>
        <translation>Максимум новых токенов</translation>
    </message>
    <message>
        <source>Maximum number of tokens generated for each sample.</source>
        <translation>Максимальное число токенов, генерируемых для каждого примера.</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>The cumulative probability threshold of nucleus sampling.</source>
        <translation>Порог накопленной вероятности для ядерной (nucleus) выборки.</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Температура</translation>
    </message>
    <message>
        <source>Sampling temperature: lower is more deterministic.</source>
        <translation>Температура выборки: чем ниже, тем предсказуемее ответы.</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Зерно</translation>
    </message>
    <message>
        <source>Random seed for sampling, so a run can be repeated.</source>
        <translation>Зерно генератора случайных чисел для выборки, чтобы запуск можно было повторить.</translation>
    </message>
    <message>
        <source>Evaluation runs through the train command: do_predict/do_eval with predict_with_generate make it generate answers and score them instead of training.</source>
        <translation>Оценка запускается командой train: do_predict/do_eval вместе с predict_with_generate заставляют её генерировать ответы и оценивать их вместо обучения.</translation>
    </message>
</context>
<context>
    <name>TrainArgs</name>
    <message>
        <source>%1 must be a number.</source>
        <translation>%1: требуется число.</translation>
    </message>
    <message>
        <source>Model not found.</source>
        <translation>Модель не найдена.</translation>
    </message>
    <message>
        <source>Please choose a dataset.</source>
        <translation>Выберите набор данных.</translation>
    </message>
    <message>
        <source>Please provide output dir.</source>
        <translation>Укажите выходной каталог.</translation>
    </message>
    <message>
        <source>Invalid JSON schema.</source>
        <translation>Неверная схема JSON.</translation>
    </message>
    <message>
        <source>Please select a reward model.</source>
        <translation>Выберите модель вознаграждения.</translation>
    </message>
    <message>
        <source>%1 is only available for Supervised Fine-Tuning.</source>
        <translation>%1 доступно только для обучения с учителем (SFT).</translation>
    </message>
    <message>
        <source>LLaMA Pro cannot be used with full fine-tuning.</source>
        <translation>LLaMA Pro нельзя использовать с полным дообучением.</translation>
    </message>
    <message>
        <source>You are using a non-instruct model, please fine-tune it first.</source>
        <translation>Вы используете модель без инструктивного обучения; сначала дообучите её.</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Скорость обучения</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Эпохи</translation>
    </message>
    <message>
        <source>Maximum gradient norm</source>
        <translation>Максимальная норма градиента</translation>
    </message>
    <message>
        <source>Quantization is only compatible with the LoRA method.</source>
        <translation>Квантование совместимо только с методом LoRA.</translation>
    </message>
    <message>
        <source>Quantization bit must be a whole number of bits or none, not &quot;%1&quot;.</source>
        <translation>Уровень квантования должен быть целым числом бит или none, а не «%1».</translation>
    </message>
</context>
<context>
    <name>TrainFields</name>
    <message>
        <source>Basic configurations</source>
        <translation>Основные настройки</translation>
    </message>
    <message>
        <source>Extra configurations</source>
        <translation>Дополнительные настройки</translation>
    </message>
    <message>
        <source>Freeze tuning configurations</source>
        <translation>Настройки дообучения с заморозкой</translation>
    </message>
    <message>
        <source>LoRA configurations</source>
        <translation>Настройки LoRA</translation>
    </message>
    <message>
        <source>RLHF configurations</source>
        <translation>Настройки RLHF</translation>
    </message>
    <message>
        <source>GaLore configurations</source>
        <translation>Настройки GaLore</translation>
    </message>
    <message>
        <source>BAdam configurations</source>
        <translation>Настройки BAdam</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Этап</translation>
    </message>
    <message>
        <source>The stage to perform in training.</source>
        <translation>Этап обучения, который нужно выполнить.</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Скорость обучения</translation>
    </message>
    <message>
        <source>Initial learning rate for AdamW.</source>
        <translation>Начальная скорость обучения для AdamW.</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Эпохи</translation>
    </message>
    <message>
        <source>Total number of training epochs to perform.</source>
        <translation>Общее число эпох обучения.</translation>
    </message>
    <message>
        <source>Maximum gradient norm</source>
        <translation>Максимальная норма градиента</translation>
    </message>
    <message>
        <source>Norm for gradient clipping.</source>
        <translation>Норма для обрезки градиента.</translation>
    </message>
    <message>
        <source>Max samples</source>
        <translation>Максимум примеров</translation>
    </message>
    <message>
        <source>Maximum samples per dataset.</source>
        <translation>Максимальное число примеров из каждого набора данных.</translation>
    </message>
    <message>
        <source>Compute type</source>
        <translation>Тип вычислений</translation>
    </message>
    <message>
        <source>Whether to use mixed precision training.</source>
        <translation>Использовать ли обучение со смешанной точностью.</translation>
    </message>
    <message>
        <source>Cutoff length</source>
        <translation>Длина обрезки</translation>
    </message>
    <message>
        <source>Max tokens in input sequence.</source>
        <translation>Максимальное число токенов во входной последовательности.</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Размер пакета</translation>
    </message>
    <message>
        <source>Number of samples processed on each device.</source>
        <translation>Число примеров, обрабатываемых на каждом устройстве.</translation>
    </message>
    <message>
        <source>Gradient accumulation</source>
        <translation>Накопление градиента</translation>
    </message>
    <message>
        <source>Number of steps for gradient accumulation.</source>
        <translation>Число шагов накопления градиента.</translation>
    </message>
    <message>
        <source>Val size</source>
        <translation>Доля валидации</translation>
    </message>
    <message>
        <source>Percentage of validation set from the entire dataset.</source>
        <translation>Доля валидационной выборки от всего набора данных.</translation>
    </message>
    <message>
        <source>LR scheduler</source>
        <translation>Планировщик скорости обучения</translation>
    </message>
    <message>
        <source>Name of the learning rate scheduler.</source>
        <translation>Название планировщика скорости обучения.</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Зерно</translation>
    </message>
    <message>
        <source>Random seed for data shuffling, initialisation and dropout.</source>
        <translation>Зерно генератора случайных чисел для перемешивания данных, инициализации и dropout.</translation>
    </message>
    <message>
        <source>Logging steps</source>
        <translation>Шаги логирования</translation>
    </message>
    <message>
        <source>Number of steps between two logs.</source>
        <translation>Число шагов между двумя записями журнала.</translation>
    </message>
    <message>
        <source>Save steps</source>
        <translation>Шаги сохранения</translation>
    </message>
    <message>
        <source>Number of steps between two checkpoints.</source>
        <translation>Число шагов между двумя контрольными точками.</translation>
    </message>
    <message>
        <source>Warmup steps</source>
        <translation>Шаги разогрева</translation>
    </message>
    <message>
        <source>Number of steps used for warmup.</source>
        <translation>Число шагов разогрева скорости обучения.</translation>
    </message>
    <message>
        <source>NEFTune alpha</source>
        <translation>NEFTune alpha</translation>
    </message>
    <message>
        <source>Magnitude of noise adding to embedding vectors.</source>
        <translation>Величина шума, добавляемого к векторам эмбеддингов.</translation>
    </message>
    <message>
        <source>Extra arguments</source>
        <translation>Дополнительные аргументы</translation>
    </message>
    <message>
        <source>Extra arguments passed to the trainer in JSON format.</source>
        <translation>Дополнительные аргументы для обучения в формате JSON.</translation>
    </message>
    <message>
        <source>Pack sequences</source>
        <translation>Упаковка последовательностей</translation>
    </message>
    <message>
        <source>Pack sequences into samples of fixed length.</source>
        <translation>Упаковывать последовательности в примеры фиксированной длины.</translation>
    </message>
    <message>
        <source>Use neat packing</source>
        <translation>Аккуратная упаковка</translation>
    </message>
    <message>
        <source>Avoid cross-attention between packed sequences.</source>
        <translation>Исключить внимание между упакованными последовательностями.</translation>
    </message>
    <message>
        <source>Train on prompt</source>
        <translation>Обучать на запросе</translation>
    </message>
    <message>
        <source>Disable the label mask on the prompt (only for SFT).</source>
        <translation>Не маскировать метки запроса (только для SFT).</translation>
    </message>
    <message>
        <source>Mask history</source>
        <translation>Маскировать историю</translation>
    </message>
    <message>
        <source>Train on the last turn only (only for SFT).</source>
        <translation>Обучать только на последней реплике (только для SFT).</translation>
    </message>
    <message>
        <source>Resize token embeddings</source>
        <translation>Изменить размер эмбеддингов</translation>
    </message>
    <message>
        <source>Resize the tokenizer vocab and the embedding layers.</source>
        <translation>Изменить размер словаря токенизатора и слоёв эмбеддингов.</translation>
    </message>
    <message>
        <source>Enable LLaMA Pro</source>
        <translation>Включить LLaMA Pro</translation>
    </message>
    <message>
        <source>Make the parameters in the expanded blocks trainable.</source>
        <translation>Сделать обучаемыми параметры в расширенных блоках.</translation>
    </message>
    <message>
        <source>Enable thinking</source>
        <translation>Режим размышлений</translation>
    </message>
    <message>
        <source>Whether or not to enable thinking mode for reasoning models.</source>
        <translation>Включать ли режим размышлений для моделей с рассуждениями.</translation>
    </message>
    <message>
        <source>Trainable layers</source>
        <translation>Обучаемые слои</translation>
    </message>
    <message>
        <source>Number of the last(+)/first(-) hidden layers to be set as trainable.</source>
        <translation>Число последних (+) или первых (−) скрытых слоёв, которые будут обучаться.</translation>
    </message>
    <message>
        <source>Trainable modules</source>
        <translation>Обучаемые модули</translation>
    </message>
    <message>
        <source>Name(s) of trainable modules. Use commas to separate multiple modules.</source>
        <translation>Имена обучаемых модулей; несколько модулей разделяйте запятыми.</translation>
    </message>
    <message>
        <source>Extra modules (optional)</source>
        <translation>Дополнительные модули (необязательно)</translation>
    </message>
    <message>
        <source>Name(s) of modules apart from hidden layers to be set as trainable. Use commas to separate.</source>
        <translation>Имена модулей помимо скрытых слоёв, которые будут обучаться; разделяйте запятыми.</translation>
    </message>
    <message>
        <source>LoRA rank</source>
        <translation>Ранг матриц LoRA</translation>
    </message>
    <message>
        <source>The rank of LoRA matrices.</source>
        <translation>Ранг матриц LoRA.</translation>
    </message>
    <message>
        <source>LoRA alpha</source>
        <translation>LoRA alpha</translation>
    </message>
    <message>
        <source>Lora scaling coefficient.</source>
        <translation>Коэффициент масштабирования LoRA.</translation>
    </message>
    <message>
        <source>LoRA dropout</source>
        <translation>Dropout LoRA</translation>
    </message>
    <message>
        <source>Dropout ratio of LoRA weights.</source>
        <translation>Доля dropout для весов LoRA.</translation>
    </message>
    <message>
        <source>LoRA+ LR ratio</source>
        <translation>Отношение скоростей LoRA+</translation>
    </message>
    <message>
        <source>The LR ratio of the B matrices in LoRA.</source>
        <translation>Отношение скорости обучения матриц B в LoRA.</translation>
    </message>
    <message>
        <source>Create new adapter</source>
        <translation>Создать новый адаптер</translation>
    </message>
    <message>
        <source>Create a new adapter with randomly initialized weight upon the existing one.</source>
        <translation>Создать поверх существующего адаптера новый со случайно инициализированными весами.</translation>
    </message>
    <message>
        <source>Use rslora</source>
        <translation>Использовать rsLoRA</translation>
    </message>
    <message>
        <source>Use the rank stabilization scaling factor for LoRA layer.</source>
        <translation>Использовать стабилизирующий по рангу коэффициент масштабирования для слоёв LoRA.</translation>
    </message>
    <message>
        <source>Use DoRA</source>
        <translation>Использовать DoRA</translation>
    </message>
    <message>
        <source>Use weight-decomposed LoRA.</source>
        <translation>Использовать LoRA с разложением весов (DoRA).</translation>
    </message>
    <message>
        <source>Use PiSSA</source>
        <translation>Использовать PiSSA</translation>
    </message>
    <message>
        <source>Use PiSSA method.</source>
        <translation>Использовать метод PiSSA.</translation>
    </message>
    <message>
        <source>LoRA modules (optional)</source>
        <translation>Модули LoRA (необязательно)</translation>
    </message>
    <message>
        <source>Name(s) of modules to apply LoRA. Use commas to separate multiple modules.</source>
        <translation>Имена модулей, к которым применяется LoRA; несколько модулей разделяйте запятыми.</translation>
    </message>
    <message>
        <source>Additional modules (optional)</source>
        <translation>Дополнительные модули (необязательно)</translation>
    </message>
    <message>
        <source>Name(s) of modules apart from LoRA layers to be set as trainable. Use commas to separate.</source>
        <translation>Имена модулей помимо слоёв LoRA, которые будут обучаться; разделяйте запятыми.</translation>
    </message>
    <message>
        <source>Beta value</source>
        <translation>Значение beta</translation>
    </message>
    <message>
        <source>Value of the beta parameter in the loss.</source>
        <translation>Значение параметра beta в функции потерь.</translation>
    </message>
    <message>
        <source>Ftx gamma</source>
        <translation>Ftx gamma</translation>
    </message>
    <message>
        <source>The weight of SFT loss in the final loss.</source>
        <translation>Вес потерь SFT в итоговой функции потерь.</translation>
    </message>
    <message>
        <source>Loss type</source>
        <translation>Тип потерь</translation>
    </message>
    <message>
        <source>The type of the loss function.</source>
        <translation>Тип функции потерь.</translation>
    </message>
    <message>
        <source>Reward model</source>
        <translation>Модель вознаграждения</translation>
    </message>
    <message>
        <source>Adapter of the reward model in PPO training.</source>
        <translation>Адаптер модели вознаграждения для обучения PPO.</translation>
    </message>
    <message>
        <source>Score norm</source>
        <translation>Нормализация оценок</translation>
    </message>
    <message>
        <source>Normalizing scores in PPO training.</source>
        <translation>Нормализовать оценки при обучении PPO.</translation>
    </message>
    <message>
        <source>Whiten rewards</source>
        <translation>Отбеливание вознаграждений</translation>
    </message>
    <message>
        <source>Whiten the rewards in PPO training.</source>
        <translation>Отбеливать вознаграждения при обучении PPO.</translation>
    </message>
    <message>
        <source>Use GaLore</source>
        <translation>Использовать GaLore</translation>
    </message>
    <message>
        <source>Use GaLore optimizer.</source>
        <translation>Использовать оптимизатор GaLore.</translation>
    </message>
    <message>
        <source>GaLore rank</source>
        <translation>Ранг GaLore</translation>
    </message>
    <message>
        <source>The rank of GaLore gradients.</source>
        <translation>Ранг градиентов GaLore.</translation>
    </message>
    <message>
        <source>Update interval</source>
        <translation>Интервал обновления</translation>
    </message>
    <message>
        <source>Number of steps to update the GaLore projection.</source>
        <translation>Число шагов между обновлениями проекции GaLore.</translation>
    </message>
    <message>
        <source>GaLore scale</source>
        <translation>Масштаб GaLore</translation>
    </message>
    <message>
        <source>GaLore scaling coefficient.</source>
        <translation>Коэффициент масштабирования GaLore.</translation>
    </message>
    <message>
        <source>GaLore modules</source>
        <translation>Модули GaLore</translation>
    </message>
    <message>
        <source>Name(s) of modules to apply GaLore. Use commas to separate multiple modules.</source>
        <translation>Имена модулей, к которым применяется GaLore; несколько модулей разделяйте запятыми.</translation>
    </message>
    <message>
        <source>Use BAdam</source>
        <translation>Использовать BAdam</translation>
    </message>
    <message>
        <source>Enable the BAdam optimizer.</source>
        <translation>Включить оптимизатор BAdam.</translation>
    </message>
    <message>
        <source>BAdam mode</source>
        <translation>Режим BAdam</translation>
    </message>
    <message>
        <source>Whether to use layer-wise or ratio-wise BAdam optimizer.</source>
        <translation>Послойный режим BAdam или режим по доле параметров.</translation>
    </message>
    <message>
        <source>Switch mode</source>
        <translation>Режим переключения</translation>
    </message>
    <message>
        <source>The strategy of picking block to update for layer-wise BAdam.</source>
        <translation>Стратегия выбора обновляемого блока в послойном BAdam.</translation>
    </message>
    <message>
        <source>Switch interval</source>
        <translation>Интервал переключения</translation>
    </message>
    <message>
        <source>Number of steps to update the block for layer-wise BAdam.</source>
        <translation>Число шагов обновления блока в послойном BAdam.</translation>
    </message>
    <message>
        <source>Update ratio</source>
        <translation>Доля обновления</translation>
    </message>
    <message>
        <source>The ratio of the update for ratio-wise BAdam.</source>
        <translation>Доля обновляемых параметров в BAdam по доле.</translation>
    </message>
    <message>
        <source>Supervised Fine-Tuning</source>
        <translation>Обучение с учителем (SFT)</translation>
    </message>
    <message>
        <source>Reward Modeling</source>
        <translation>Моделирование вознаграждения</translation>
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
        <translation>Предобучение</translation>
    </message>
</context>
<context>
    <name>td::jobs::DatasetPreviewer</name>
    <message>
        <source>Preview dataset</source>
        <translation>Просмотр набора данных</translation>
    </message>
</context>
<context>
    <name>td::jobs::ExportSession</name>
    <message>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
</context>
<context>
    <name>td::jobs::ModelSession</name>
    <message>
        <source>Load model</source>
        <translation>Загрузить модель</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Чат</translation>
    </message>
    <message>
        <source>Chat (base model)</source>
        <translation>Чат (базовая модель)</translation>
    </message>
</context>
<context>
    <name>td::jobs::TrainSession</name>
    <message>
        <source>Train</source>
        <translation>Обучение</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>Оценка</translation>
    </message>
</context>
<context>
    <name>td::ui::ChatPage</name>
    <message>
        <source>Load model</source>
        <translation>Загрузить модель</translation>
    </message>
    <message>
        <source>Unload model</source>
        <translation>Выгрузить модель</translation>
    </message>
    <message>
        <source>Inference dtype</source>
        <translation>Тип данных вывода</translation>
    </message>
    <message>
        <source>Model unloaded, please load a model first.</source>
        <translation>Модель не загружена, сначала загрузите модель.</translation>
    </message>
    <message>
        <source>System prompt (optional)</source>
        <translation>Системный запрос (необязательно)</translation>
    </message>
    <message>
        <source>Input...</source>
        <translation>Ввод...</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Остановить</translation>
    </message>
    <message>
        <source>Clear history</source>
        <translation>Очистить историю</translation>
    </message>
    <message>
        <source>Maximum new tokens</source>
        <translation>Максимум новых токенов</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Температура</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>Штраф за повторы</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Зерно</translation>
    </message>
    <message>
        <source>-1 draws a new seed for every reply.</source>
        <translation>-1 — новое зерно для каждого ответа.</translation>
    </message>
    <message>
        <source>Skip special tokens</source>
        <translation>Пропускать специальные токены</translation>
    </message>
    <message>
        <source>Enable thinking</source>
        <translation>Режим размышлений</translation>
    </message>
    <message>
        <source>%1 (%2): %3 parameters, %4 layers, context %5, %6 on %7, template %8</source>
        <translation>%1 (%2): параметров: %3, слоёв: %4, контекст %5, %6 на %7, шаблон %8</translation>
    </message>
    <message>
        <source>Adapter: %1</source>
        <translation>Адаптер: %1</translation>
    </message>
    <message>
        <source>Please select a model.</source>
        <translation>Выберите модель.</translation>
    </message>
    <message>
        <source>Loading model...</source>
        <translation>Загрузка модели...</translation>
    </message>
    <message>
        <source>Model unloaded.</source>
        <translation>Модель выгружена.</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Ассистент</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Пользователь</translation>
    </message>
    <message>
        <source>Compare with base model</source>
        <translation>Сравнить с базовой моделью</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>Базовая модель</translation>
    </message>
    <message>
        <source>Tuned (%1)</source>
        <translation>Дообученная (%1)</translation>
    </message>
    <message>
        <source>The worker is busy training; chat resumes when the run ends.</source>
        <translation>Обработчик занят обучением; чат продолжится, когда запуск завершится.</translation>
    </message>
    <message>
        <source>The worker is busy evaluating; chat resumes when the run ends.</source>
        <translation>Обработчик занят оценкой; чат продолжится, когда запуск завершится.</translation>
    </message>
    <message>
        <source>Base weights quantized: %1</source>
        <translation>Базовые веса квантованы: %1</translation>
    </message>
    <message>
        <source>The base model could not be loaded for comparison: %1</source>
        <translation>Не удалось загрузить базовую модель для сравнения: %1</translation>
    </message>
    <message>
        <source>Answer each message twice, side by side: by the base model and by the tuned model, with the same settings and seed. Needs a checkpoint selected in the top bar when the model is loaded: a LoRA adapter is switched off for the base answers; a full or freeze checkpoint loads the base model a second time (twice the memory).</source>
        <translation>Отвечать на каждое сообщение дважды, рядом: базовой моделью и дообученной, с одинаковыми настройками и зерном. Нужна контрольная точка, выбранная в верхней панели при загрузке модели: адаптер LoRA отключается для ответов базовой модели; контрольная точка полного или частичного (freeze) дообучения загружает базовую модель второй раз (вдвое больше памяти).</translation>
    </message>
    <message>
        <source>Loading the base model %1 for comparison...</source>
        <translation>Загрузка базовой модели %1 для сравнения...</translation>
    </message>
</context>
<context>
    <name>td::ui::DatasetPicker</name>
    <message>
        <source>Data dir</source>
        <translation>Каталог данных</translation>
    </message>
    <message>
        <source>Path to the data directory (holding dataset_info.json).</source>
        <translation>Путь к каталогу данных (с файлом dataset_info.json).</translation>
    </message>
    <message>
        <source>Choose the data directory.</source>
        <translation>Выбрать каталог данных.</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Набор данных</translation>
    </message>
    <message>
        <source>Datasets registered in dataset_info.json; ranking (preference) datasets cannot be evaluated by generation and are not listed.</source>
        <translation>Наборы данных из dataset_info.json; ранжирующие наборы (с предпочтениями) нельзя оценить генерацией, поэтому они не показаны.</translation>
    </message>
    <message>
        <source>Datasets registered in dataset_info.json.</source>
        <translation>Наборы данных из dataset_info.json.</translation>
    </message>
    <message>
        <source>Preview dataset</source>
        <translation>Просмотр набора данных</translation>
    </message>
    <message>
        <source>Show the first rows of the first selected dataset, the text the model sees and statistics.</source>
        <translation>Показать первые строки первого выбранного набора данных, текст, который видит модель, и статистику.</translation>
    </message>
    <message>
        <source>%1 is not valid JSON: %2 (at byte %3)</source>
        <translation>%1 — некорректный JSON: %2 (байт %3)</translation>
    </message>
</context>
<context>
    <name>td::ui::DatasetPreviewDialog</name>
    <message>
        <source>Preview dataset</source>
        <translation>Просмотр набора данных</translation>
    </message>
    <message>
        <source>Reading the dataset...</source>
        <translation>Чтение набора данных...</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Примеры</translation>
    </message>
    <message>
        <source>Dropped rows and why:</source>
        <translation>Отброшенные строки и причины:</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Статистика</translation>
    </message>
    <message>
        <source>Dataset %1 (format %2), template %3</source>
        <translation>Набор данных %1 (формат %2), шаблон %3</translation>
    </message>
    <message>
        <source>none (no tokenizer)</source>
        <translation>нет (нет токенизатора)</translation>
    </message>
    <message>
        <source>%1 tokens, %2 trained (highlighted); grey text is prompt and carries no loss.</source>
        <translation>Токенов: %1, обучаемых: %2 (выделены); серый текст — запрос, он не участвует в потерях.</translation>
    </message>
    <message>
        <source>Dropped: %1</source>
        <translation>Отброшено: %1</translation>
    </message>
    <message>
        <source>Truncated to the cutoff length.</source>
        <translation>Обрезано до длины обрезки.</translation>
    </message>
    <message>
        <source>Choose a model to count tokens and see statistics.</source>
        <translation>Выберите модель, чтобы посчитать токены и увидеть статистику.</translation>
    </message>
    <message>
        <source>%1 rows, %2 usable examples, %3 truncated.
Tokens per example: min %4, mean %5, max %6; %7 tokens in all.</source>
        <translation>Строк: %1, пригодных примеров: %2, обрезано: %3.
Токенов в примере: мин. %4, в среднем %5, макс. %6; всего токенов: %7.</translation>
    </message>
    <message>
        <source>examples</source>
        <translation>примеры</translation>
    </message>
    <message>
        <source>tokens per example</source>
        <translation>токенов в примере</translation>
    </message>
    <message>
        <source>Chosen</source>
        <translation>Выбранный ответ</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Отклонённый ответ</translation>
    </message>
    <message>
        <source>Chosen: %1 tokens, %2 trained; rejected: %3 tokens, %4 trained (highlighted); grey text is prompt and carries no loss.</source>
        <translation>Выбранный ответ: токенов %1, обучаемых %2; отклонённый: токенов %3, обучаемых %4 (выделены); серый текст — запрос, он не участвует в потерях.</translation>
    </message>
</context>
<context>
    <name>td::ui::EvalPage</name>
    <message>
        <source>Open evaluation results</source>
        <translation>Открыть результаты оценки</translation>
    </message>
    <message numerus="yes">
        <source>Showing %n sample(s) of %1.</source>
        <translation>
            <numerusform>Показан %n пример из %1.</numerusform>
            <numerusform>Показано %n примера из %1.</numerusform>
            <numerusform>Показано %n примеров из %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Output dir</source>
        <translation>Выходной каталог</translation>
    </message>
    <message>
        <source>Directory for the predictions and scores, under saves/&lt;model&gt;/&lt;method&gt;/. Choose an earlier evaluation to see its results.</source>
        <translation>Каталог для предсказаний и оценок внутри saves/&lt;модель&gt;/&lt;метод&gt;/. Выберите прежнюю оценку, чтобы увидеть её результаты.</translation>
    </message>
    <message>
        <source>Open results…</source>
        <translation>Открыть результаты…</translation>
    </message>
    <message>
        <source>Show the results of any evaluation folder (generated_predictions.jsonl), including runs of the command line or of LLaMA-Factory.</source>
        <translation>Показать результаты любого каталога оценки (generated_predictions.jsonl), в том числе запусков из командной строки или LLaMA-Factory.</translation>
    </message>
    <message>
        <source>Preview command</source>
        <translation>Просмотр команды</translation>
    </message>
    <message>
        <source>Show the command and the arguments Start runs.</source>
        <translation>Показать команду и аргументы, с которыми выполнится «Начать».</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Начать</translation>
    </message>
    <message>
        <source>Write training_args.yaml into the output dir, generate an answer for every sample and score it against the reference (BLEU-4, ROUGE).</source>
        <translation>Записать training_args.yaml в выходной каталог, сгенерировать ответ для каждого примера и сравнить его с эталоном (BLEU-4, ROUGE).</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Прервать</translation>
    </message>
    <message>
        <source>Stop after the current batch; the samples generated so far are kept and shown.</source>
        <translation>Остановиться после текущего пакета; уже сгенерированные примеры сохраняются и показываются.</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>Готово.</translation>
    </message>
    <message>
        <source>Output dir already holds results; this run replaces them.</source>
        <translation>В выходном каталоге уже есть результаты; этот запуск их заменит.</translation>
    </message>
    <message>
        <source>Cannot create the output dir %1.</source>
        <translation>Не удалось создать выходной каталог %1.</translation>
    </message>
    <message>
        <source>Aborted, wait for terminating...</source>
        <translation>Прервано, ожидайте завершения...</translation>
    </message>
    <message>
        <source>Finished.</source>
        <translation>Завершено.</translation>
    </message>
    <message>
        <source>Aborted.</source>
        <translation>Прервано.</translation>
    </message>
    <message>
        <source>Failed.</source>
        <translation>Ошибка.</translation>
    </message>
    <message>
        <source>Hint: %1</source>
        <translation>Подсказка: %1</translation>
    </message>
</context>
<context>
    <name>td::ui::EvalResultsModel</name>
    <message>
        <source>(empty)</source>
        <translation>(пусто)</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Запрос</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Предсказание</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Эталон</translation>
    </message>
    <message>
        <source>BLEU-4 on characters (NLTK sentence_bleu, one reference, smoothing method 3), ×100: how many 1- to 4-character sequences of the prediction occur in the reference.</source>
        <translation>BLEU-4 по символам (NLTK sentence_bleu, один эталон, сглаживание method 3), ×100: какая часть последовательностей из 1–4 символов предсказания встречается в эталоне.</translation>
    </message>
    <message>
        <source>words</source>
        <translation>слов</translation>
    </message>
    <message>
        <source>word pairs</source>
        <translation>пар слов</translation>
    </message>
    <message>
        <source>the longest common word sequence</source>
        <translation>самой длинной общей последовательности слов</translation>
    </message>
    <message>
        <source>%1 F-measure of %2 between prediction and reference, ×100; words are segmented with jieba (rouge-chinese), so Chinese and English are scored alike. An empty prediction scores 0.</source>
        <translation>%1: F-мера совпадения %2 между предсказанием и эталоном, ×100; слова выделяются с помощью jieba (rouge-chinese), поэтому китайский и английский тексты оцениваются одинаково. Пустое предсказание получает 0.</translation>
    </message>
</context>
<context>
    <name>td::ui::EvalResultsView</name>
    <message>
        <source>Filter samples…</source>
        <translation>Фильтр примеров…</translation>
    </message>
    <message>
        <source>Show only the samples whose prompt, prediction or reference contains this text.</source>
        <translation>Показывать только примеры, в запросе, предсказании или эталоне которых есть этот текст.</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Запрос</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Предсказание</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Эталон</translation>
    </message>
    <message>
        <source>Every evaluated sample; click a header to sort, select a row to read it in full.</source>
        <translation>Все оценённые примеры; щёлкните заголовок, чтобы отсортировать, выберите строку, чтобы прочитать её полностью.</translation>
    </message>
    <message>
        <source>No evaluation results in %1.</source>
        <translation>В %1 нет результатов оценки.</translation>
    </message>
    <message>
        <source>No results yet: press Start, or choose an evaluation folder as the output dir.</source>
        <translation>Результатов пока нет: нажмите «Начать» или выберите каталог оценки как выходной каталог.</translation>
    </message>
    <message numerus="yes">
        <source>%n sample(s)</source>
        <translation>
            <numerusform>%n пример</numerusform>
            <numerusform>%n примера</numerusform>
            <numerusform>%n примеров</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 samples/s</source>
        <translation>%1 примеров/с</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>no all_results.json (the run did not finish): means of the samples shown</source>
        <translation>нет all_results.json (запуск не завершился): средние по показанным примерам</translation>
    </message>
    <message numerus="yes">
        <source>%n empty prediction(s), scored 0</source>
        <translation>
            <numerusform>%n пустое предсказание, оценено в 0</numerusform>
            <numerusform>%n пустых предсказания, оценены в 0</numerusform>
            <numerusform>%n пустых предсказаний, оценены в 0</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unreadable line(s) skipped</source>
        <translation>
            <numerusform>пропущена %n нечитаемая строка</numerusform>
            <numerusform>пропущены %n нечитаемые строки</numerusform>
            <numerusform>пропущено %n нечитаемых строк</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a sample to read it in full.</source>
        <translation>Выберите пример, чтобы прочитать его полностью.</translation>
    </message>
    <message>
        <source>Sample %1</source>
        <translation>Пример %1</translation>
    </message>
    <message>
        <source>predictions not saved (&quot;Save predictions&quot; was off): scores only</source>
        <translation>предсказания не сохранены (флажок «Сохранять предсказания» был выключен): только оценки</translation>
    </message>
</context>
<context>
    <name>td::ui::ExportPage</name>
    <message>
        <source>Export format</source>
        <translation>Формат экспорта</translation>
    </message>
    <message>
        <source>Hugging Face folder (merged)</source>
        <translation>Папка Hugging Face (объединённая)</translation>
    </message>
    <message>
        <source>GGUF file (llama.cpp)</source>
        <translation>Файл GGUF (llama.cpp)</translation>
    </message>
    <message>
        <source>Adapter only (PEFT)</source>
        <translation>Только адаптер (PEFT)</translation>
    </message>
    <message>
        <source>A merged model folder, one llama.cpp GGUF file, or the LoRA adapter alone.</source>
        <translation>Папка объединённой модели, один файл GGUF для llama.cpp или только адаптер LoRA.</translation>
    </message>
    <message>
        <source>Max shard size (GB)</source>
        <translation>Максимальный размер фрагмента (ГБ)</translation>
    </message>
    <message>
        <source>The maximum size for a model file.</source>
        <translation>Максимальный размер файла модели.</translation>
    </message>
    <message>
        <source> GB</source>
        <translation> ГБ</translation>
    </message>
    <message>
        <source>Export dtype</source>
        <translation>Тип данных экспорта</translation>
    </message>
    <message>
        <source>auto keeps the checkpoint&apos;s 16-bit dtype and saves float32 checkpoints as bfloat16.</source>
        <translation>auto сохраняет 16-битный тип данных контрольной точки, а контрольные точки float32 сохраняет как bfloat16.</translation>
    </message>
    <message>
        <source>GGUF type</source>
        <translation>Тип GGUF</translation>
    </message>
    <message>
        <source>q8_0 and q4_0 quantize the weights; f16, bf16 and f32 keep them unquantized.</source>
        <translation>q8_0 и q4_0 квантуют веса; f16, bf16 и f32 оставляют их без квантования.</translation>
    </message>
    <message>
        <source>Export device</source>
        <translation>Устройство экспорта</translation>
    </message>
    <message>
        <source>Which device should be used to export model. Adapters are merged on the CPU in both cases.</source>
        <translation>Устройство для экспорта модели. В обоих случаях адаптеры объединяются на CPU.</translation>
    </message>
    <message>
        <source>Export legacy format</source>
        <translation>Экспорт в устаревшем формате</translation>
    </message>
    <message>
        <source>TuneDesk writes safetensors only; pytorch_model.bin is not supported.</source>
        <translation>TuneDesk сохраняет только safetensors; pytorch_model.bin не поддерживается.</translation>
    </message>
    <message>
        <source>Verify the export</source>
        <translation>Проверить экспорт</translation>
    </message>
    <message>
        <source>Reload what was written and compare its logits with the merged model.</source>
        <translation>Загрузить записанное заново и сравнить его логиты с объединённой моделью.</translation>
    </message>
    <message>
        <source>Export dir</source>
        <translation>Каталог экспорта</translation>
    </message>
    <message>
        <source>Directory to save exported model (new or empty).</source>
        <translation>Каталог для сохранения экспортированной модели (новый или пустой).</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Загрузка модели…</translation>
    </message>
    <message>
        <source>Merging adapters…</source>
        <translation>Объединение адаптеров…</translation>
    </message>
    <message>
        <source>Writing files…</source>
        <translation>Запись файлов…</translation>
    </message>
    <message>
        <source>Verifying the export…</source>
        <translation>Проверка экспорта…</translation>
    </message>
    <message>
        <source>Finishing…</source>
        <translation>Завершение…</translation>
    </message>
    <message>
        <source>A process is in running, please abort it first.</source>
        <translation>Процесс уже запущен, пожалуйста, сначала прервите его.</translation>
    </message>
    <message>
        <source>Please select a model.</source>
        <translation>Выберите модель.</translation>
    </message>
    <message>
        <source>Model not found.</source>
        <translation>Модель не найдена.</translation>
    </message>
    <message>
        <source>Please provide export dir.</source>
        <translation>Пожалуйста, укажите каталог для экспорта.</translation>
    </message>
    <message>
        <source>Please select an adapter.</source>
        <translation>Пожалуйста, выберите адаптер.</translation>
    </message>
    <message>
        <source>Adapter only exports one adapter: select a single checkpoint.</source>
        <translation>«Только адаптер» экспортирует один адаптер: выберите одну контрольную точку.</translation>
    </message>
    <message>
        <source>Checkpoint not found: %1</source>
        <translation>Контрольная точка не найдена: %1</translation>
    </message>
    <message>
        <source>The export dir is not empty: %1</source>
        <translation>Каталог экспорта не пуст: %1</translation>
    </message>
    <message>
        <source>Choose a new or an empty folder; an export never overwrites files.</source>
        <translation>Выберите новую или пустую папку: экспорт никогда не перезаписывает файлы.</translation>
    </message>
    <message>
        <source>Waiting for the engine…</source>
        <translation>Ожидание движка…</translation>
    </message>
    <message>
        <source>Exporting model...</source>
        <translation>Экспорт модели...</translation>
    </message>
    <message>
        <source>Aborted, wait for terminating...</source>
        <translation>Прервано, ожидайте завершения...</translation>
    </message>
    <message>
        <source>Export cancelled; the export dir was left as it was.</source>
        <translation>Экспорт отменён; каталог экспорта оставлен без изменений.</translation>
    </message>
    <message>
        <source>Failed.</source>
        <translation>Ошибка.</translation>
    </message>
    <message>
        <source>Hint: %1</source>
        <translation>Подсказка: %1</translation>
    </message>
    <message>
        <source>Model exported.</source>
        <translation>Модель экспортирована.</translation>
    </message>
    <message>
        <source>Output: %1</source>
        <translation>Каталог: %1</translation>
    </message>
    <message>
        <source>Format: %1, %2</source>
        <translation>Формат: %1, %2</translation>
    </message>
    <message>
        <source>Size: %1 (files: %2), written in %3 s</source>
        <translation>Размер: %1 (файлов: %2), записано за %3 с</translation>
    </message>
    <message>
        <source>Adapters merged: %1</source>
        <translation>Объединено адаптеров: %1</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>ПРОЙДЕНА</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>НЕ ПРОЙДЕНА</translation>
    </message>
    <message>
        <source>Verification:</source>
        <translation>Проверка:</translation>
    </message>
    <message>
        <source>Max logit difference after reloading: %1 (tolerance %2)</source>
        <translation>Максимальная разница логитов после повторной загрузки: %1 (допуск %2)</translation>
    </message>
    <message>
        <source>Difference from the float32 merged model (precision cost): %1</source>
        <translation>Отличие от объединённой модели float32 (потеря точности): %1</translation>
    </message>
    <message>
        <source>Verification: skipped</source>
        <translation>Проверка: пропущена</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>Файлы:</translation>
    </message>
    <message>
        <source>Warnings:</source>
        <translation>Предупреждения:</translation>
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
    <name>td::ui::LossChart</name>
    <message>
        <source>loss (original)</source>
        <translation>потери (исходные)</translation>
    </message>
    <message>
        <source>loss (smoothed)</source>
        <translation>потери (сглаженные)</translation>
    </message>
    <message>
        <source>eval loss</source>
        <translation>потери на валидации</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>скорость обучения</translation>
    </message>
    <message>
        <source>step</source>
        <translation>шаг</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>потери</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Логарифмическая шкала</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>Сбросить масштаб</translation>
    </message>
    <message>
        <source>Drag a rectangle to zoom in; right-click to zoom out.</source>
        <translation>Выделите прямоугольник, чтобы увеличить; правый щелчок — уменьшить.</translation>
    </message>
    <message>
        <source>LR</source>
        <comment>axis title: learning rate</comment>
        <translation>LR</translation>
    </message>
</context>
<context>
    <name>td::ui::MainWindow</name>
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
    <message>
        <source>Training is running. Quitting stops it after the current step and saves a checkpoint. Quit anyway?</source>
        <translation>Идёт обучение. Выход остановит его после текущего шага и сохранит контрольную точку. Всё равно выйти?</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Обучение</translation>
    </message>
    <message>
        <source>Evaluate &amp;&amp; Predict</source>
        <translation>Оценка и предсказание</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Чат</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
</context>
<context>
    <name>td::ui::MemoryLabel</name>
    <message>
        <source>%1 GB</source>
        <translation>%1 ГБ</translation>
    </message>
    <message>
        <source>Estimated memory: %1 of %2 available · ≈ %3 TFLOP/step</source>
        <translation>Оценка памяти: %1 из %2 доступных · ≈ %3 TFLOP/шаг</translation>
    </message>
    <message>
        <source>Estimated memory: %1 (GPU memory is not checked) · ≈ %2 TFLOP/step</source>
        <translation>Оценка памяти: %1 (память GPU не проверяется) · ≈ %2 TFLOP/шаг</translation>
    </message>
    <message>
        <source>Weights %1, gradients %2, optimizer %3, activations %4, logits %5, runtime %6. Trainable parameters: %7 of %8.</source>
        <translation>Веса %1, градиенты %2, оптимизатор %3, активации %4, логиты %5, среда выполнения %6. Обучаемых параметров: %7 из %8.</translation>
    </message>
    <message>
        <source>Training needs about %1, but only %2 are available. Lower the batch size or the cutoff length, use LoRA and bf16, and keep gradient checkpointing on.</source>
        <translation>Обучению нужно около %1, но доступно только %2. Уменьшите размер пакета или длину отсечения, используйте LoRA и bf16 и не отключайте контрольные точки градиентов.</translation>
    </message>
</context>
<context>
    <name>td::ui::RunProgressBar</name>
    <message>
        <source>Waiting for the running job to finish…</source>
        <translation>Ожидание завершения текущей задачи…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Запуск…</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Загрузка модели…</translation>
    </message>
    <message>
        <source>Preparing the dataset…</source>
        <translation>Подготовка набора данных…</translation>
    </message>
    <message>
        <source>Running %1/%2: %3 &lt; %4</source>
        <translation>Выполняется %1/%2: %3 &lt; %4</translation>
    </message>
    <message>
        <source>Running %1/%2</source>
        <translation>Выполняется %1/%2</translation>
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
        <source>Chat template</source>
        <translation>Шаблон чата</translation>
    </message>
    <message>
        <source>auto: the template the model&apos;s tokenizer_config.json ships</source>
        <translation>auto: шаблон из файла tokenizer_config.json модели</translation>
    </message>
    <message>
        <source>Model name</source>
        <translation>Модель</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Своя</translation>
    </message>
    <message>
        <source>A known model fills the path and the chat template; Custom: any model folder.</source>
        <translation>Известная модель заполняет путь и шаблон чата; «Своя» — любая папка модели.</translation>
    </message>
    <message>
        <source>A path typed here is remembered for the selected model name.</source>
        <translation>Введённый здесь путь запоминается для выбранной модели.</translation>
    </message>
    <message>
        <source>Runs of this model under saves/&lt;model&gt;/&lt;method&gt;/ and their checkpoint-N folders</source>
        <translation>Запуски этой модели в saves/&lt;модель&gt;/&lt;метод&gt;/ и их папки checkpoint-N</translation>
    </message>
    <message>
        <source>Quantization bit</source>
        <translation>Уровень квантования</translation>
    </message>
    <message>
        <source>Enable quantization (QLoRA): load the base model in this many bits. LoRA only.</source>
        <translation>Включить квантование (QLoRA): базовая модель загружается с этим числом бит. Только для LoRA.</translation>
    </message>
    <message>
        <source>Quantization method</source>
        <translation>Метод квантования</translation>
    </message>
    <message>
        <source>Quantization algorithm to use.</source>
        <translation>Алгоритм квантования.</translation>
    </message>
    <message>
        <source>RoPE scaling</source>
        <translation>Масштабирование RoPE</translation>
    </message>
    <message>
        <source>RoPE scaling method.</source>
        <translation>Метод масштабирования RoPE.</translation>
    </message>
    <message>
        <source>Booster</source>
        <translation>Ускоритель</translation>
    </message>
    <message>
        <source>Approach used to boost training and inference speed.</source>
        <translation>Способ ускорить обучение и генерацию.</translation>
    </message>
    <message>
        <source>You are using a non-instruct model, please fine-tune it first.</source>
        <translation>Вы используете модель без инструктивного обучения; сначала дообучите её.</translation>
    </message>
    <message>
        <source>The %1 chat template is not built in yet: the model&apos;s own template is used (auto).</source>
        <translation>Шаблон чата %1 пока не встроен: используется собственный шаблон модели (auto).</translation>
    </message>
    <message>
        <source>%1 is not in the Hugging Face cache (%2). Download it first, e.g. with &quot;huggingface-cli download %1&quot;, or type the folder it is in.</source>
        <translation>%1 нет в кэше Hugging Face (%2). Сначала скачайте модель, например командой «huggingface-cli download %1», или введите папку, где она лежит.</translation>
    </message>
    <message>
        <source>%1 / %2 · step %3 · loss %4</source>
        <translation>%1 / %2 · шаг %3 · потери %4</translation>
    </message>
    <message>
        <source>%1 / %2 · step %3</source>
        <translation>%1 / %2 · шаг %3</translation>
    </message>
</context>
<context>
    <name>td::ui::TrainPage</name>
    <message>
        <source>Output dir</source>
        <translation>Выходной каталог</translation>
    </message>
    <message>
        <source>Directory for saving results, under saves/&lt;model&gt;/&lt;method&gt;/.</source>
        <translation>Каталог для результатов в saves/&lt;модель&gt;/&lt;метод&gt;/.</translation>
    </message>
    <message>
        <source>Config path</source>
        <translation>Путь к конфигурации</translation>
    </message>
    <message>
        <source>Path to the file of the arguments, under llamaboard_config/.</source>
        <translation>Путь к файлу аргументов в llamaboard_config/.</translation>
    </message>
    <message>
        <source>Preview command</source>
        <translation>Просмотр команды</translation>
    </message>
    <message>
        <source>Save arguments</source>
        <translation>Сохранить аргументы</translation>
    </message>
    <message>
        <source>Load arguments</source>
        <translation>Загрузить аргументы</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Начать</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Прервать</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>Готово.</translation>
    </message>
    <message>
        <source>Arguments have been saved at: %1</source>
        <translation>Аргументы сохранены в: %1</translation>
    </message>
    <message>
        <source>Config file is not found.</source>
        <translation>Файл конфигурации не найден.</translation>
    </message>
    <message>
        <source>Arguments have been restored.</source>
        <translation>Аргументы восстановлены.</translation>
    </message>
    <message>
        <source>Compare with run</source>
        <translation>Сравнить с запуском</translation>
    </message>
    <message>
        <source>Compare run…</source>
        <translation>Сравнить запуск…</translation>
    </message>
    <message>
        <source>Draw the loss of another run (a folder with trainer_log.jsonl) over this one.</source>
        <translation>Наложить кривую потерь другого запуска (папки с trainer_log.jsonl) на текущую.</translation>
    </message>
    <message>
        <source>Output dir already exists, will resume training from here.</source>
        <translation>Выходной каталог уже существует; обучение продолжится с этого места.</translation>
    </message>
    <message>
        <source>Step %1/%2 (%3%), elapsed %4.</source>
        <translation>Шаг %1/%2 (%3%), прошло %4.</translation>
    </message>
    <message>
        <source>Please choose a dataset.</source>
        <translation>Выберите набор данных.</translation>
    </message>
    <message>
        <source>Write training_args.yaml and llamaboard_config.yaml into the output dir and train. An output dir with checkpoints is resumed.</source>
        <translation>Записать training_args.yaml и llamaboard_config.yaml в выходной каталог и начать обучение. Если в выходном каталоге есть контрольные точки, обучение продолжится с них.</translation>
    </message>
    <message>
        <source>Stop after the current step; a checkpoint and the weights are saved.</source>
        <translation>Остановить после текущего шага; контрольная точка и веса будут сохранены.</translation>
    </message>
    <message>
        <source>Cannot create the output dir %1.</source>
        <translation>Не удалось создать выходной каталог %1.</translation>
    </message>
    <message>
        <source>Aborted, wait for terminating...</source>
        <translation>Прервано, ожидайте завершения...</translation>
    </message>
    <message>
        <source>Finished.</source>
        <translation>Завершено.</translation>
    </message>
    <message>
        <source>Aborted.</source>
        <translation>Прервано.</translation>
    </message>
    <message>
        <source>Failed.</source>
        <translation>Ошибка.</translation>
    </message>
    <message>
        <source>Hint: %1</source>
        <translation>Подсказка: %1</translation>
    </message>
    <message>
        <source>The form was not restored: %1</source>
        <translation>Форма не восстановлена: %1</translation>
    </message>
    <message>
        <source>%1/%2 steps</source>
        <translation>%1/%2 шагов</translation>
    </message>
    <message>
        <source>Stopped at step %1 of %2 — Start resumes from checkpoint-%3.</source>
        <translation>Остановлено на шаге %1 из %2 — «Начать» продолжит с checkpoint-%3.</translation>
    </message>
    <message>
        <source>Stopped at step %1 of %2 with no checkpoint saved — Start trains from the beginning.</source>
        <translation>Остановлено на шаге %1 из %2, контрольная точка не сохранена — «Начать» обучит с начала.</translation>
    </message>
    <message>
        <source>This run has not logged a training step yet — Start trains from the beginning.</source>
        <translation>Этот запуск ещё не записал ни одного шага обучения — «Начать» обучит с начала.</translation>
    </message>
</context>
</TS>
