#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes the bundled demo datasets (resources/demo/data/demo_alpaca.json, demo_pref.json) from the small hand-written tables below:
# short tasks in English, Russian and Chinese for the tiny demo model. Deterministic; rerun after editing.
import json
import os
import random

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "demo", "data")

rng = random.Random(7)
rows = []


def add(instruction, output, inp=""):
    rows.append({"instruction": instruction, "input": inp, "output": output})


# Countries and capitals: (en country, en capital, ru country, ru capital, zh country, zh capital)
CAPITALS = [
    ("France", "Paris", "Франции", "Париж", "法国", "巴黎"),
    ("Germany", "Berlin", "Германии", "Берлин", "德国", "柏林"),
    ("Italy", "Rome", "Италии", "Рим", "意大利", "罗马"),
    ("Spain", "Madrid", "Испании", "Мадрид", "西班牙", "马德里"),
    ("Japan", "Tokyo", "Японии", "Токио", "日本", "东京"),
    ("China", "Beijing", "Китая", "Пекин", "中国", "北京"),
    ("Russia", "Moscow", "России", "Москва", "俄罗斯", "莫斯科"),
    ("Canada", "Ottawa", "Канады", "Оттава", "加拿大", "渥太华"),
    ("Egypt", "Cairo", "Египта", "Каир", "埃及", "开罗"),
    ("Brazil", "Brasília", "Бразилии", "Бразилиа", "巴西", "巴西利亚"),
    ("Australia", "Canberra", "Австралии", "Канберра", "澳大利亚", "堪培拉"),
    ("India", "New Delhi", "Индии", "Нью-Дели", "印度", "新德里"),
    ("Kenya", "Nairobi", "Кении", "Найроби", "肯尼亚", "内罗毕"),
    ("Norway", "Oslo", "Норвегии", "Осло", "挪威", "奥斯陆"),
    ("Mexico", "Mexico City", "Мексики", "Мехико", "墨西哥", "墨西哥城"),
]
for en, enc, ru, ruc, zh, zhc in CAPITALS:
    add(f"What is the capital of {en}?", f"The capital of {en} is {enc}.")
    add(f"Какая столица у {ru}?", f"Столица {ru} — {ruc}.")
    add(f"{zh}的首都是哪里？", f"{zh}的首都是{zhc}。")

# Words: (en, ru, zh)
WORDS = [
    ("water", "вода", "水"), ("bread", "хлеб", "面包"), ("book", "книга", "书"), ("house", "дом", "房子"),
    ("friend", "друг", "朋友"), ("sun", "солнце", "太阳"), ("tree", "дерево", "树"), ("city", "город", "城市"),
    ("cat", "кошка", "猫"), ("dog", "собака", "狗"), ("morning", "утро", "早上"), ("river", "река", "河"),
    ("school", "школа", "学校"), ("music", "музыка", "音乐"), ("apple", "яблоко", "苹果"), ("rain", "дождь", "雨"),
    ("road", "дорога", "路"), ("window", "окно", "窗户"), ("tea", "чай", "茶"), ("mountain", "гора", "山"),
]
for en, ru, zh in WORDS:
    add("Translate the word into Russian.", ru, en)
    add("Переведи слово на английский.", en, ru)
    add("把这个词翻译成英文。", en, zh)
    add("Translate the word into Chinese.", zh, en)

# Arithmetic with a short explanation.
for _ in range(30):
    a, b = rng.randint(2, 60), rng.randint(2, 40)
    add(f"What is {a} + {b}?", f"{a} + {b} = {a + b}.")
    add(f"Сколько будет {a} умножить на {b % 10 + 2}?", f"{a} × {b % 10 + 2} = {a * (b % 10 + 2)}.")
    add(f"{a + b} 减去 {b} 等于多少？", f"{a + b} − {b} = {a}。")

# Opposites.
OPPOSITES = [("hot", "cold"), ("big", "small"), ("fast", "slow"), ("early", "late"), ("light", "dark"),
             ("open", "closed"), ("happy", "sad"), ("full", "empty")]
for w, o in OPPOSITES:
    add("Give the opposite of the word.", o, w)
RU_OPPOSITES = [("горячий", "холодный"), ("большой", "маленький"), ("быстрый", "медленный"), ("светлый", "тёмный"),
                ("весёлый", "грустный"), ("полный", "пустой")]
for w, o in RU_OPPOSITES:
    add("Назови антоним к слову.", o, w)
ZH_OPPOSITES = [("大", "小"), ("快", "慢"), ("高", "矮"), ("新", "旧"), ("冷", "热"), ("多", "少")]
for w, o in ZH_OPPOSITES:
    add("说出这个词的反义词。", o, w)

# Units and counting.
for km in (1, 2, 5, 10, 42):
    add(f"How many meters are in {km} kilometers?", f"{km} kilometers are {km * 1000} meters.")
    add(f"Сколько минут в {km} часах?" if km > 1 else "Сколько минут в одном часе?", f"{km * 60} минут.")
    add(f"{km}公斤等于多少克？", f"{km}公斤等于{km * 1000}克。")
for word in ("banana", "library", "teacher", "window", "keyboard", "river"):
    add("How many letters are in this word?", f"The word \"{word}\" has {len(word)} letters.", word)
    add("Write this word backwards.", word[::-1], word)

# Short open questions, written by hand.
QA = [
    ("Give one tip for sleeping better.", "Go to bed at the same time every night, even on weekends."),
    ("Why is the sky blue?", "Air scatters blue sunlight more than red light, so the sky looks blue."),
    ("Suggest a name for a small cafe.", "\"Morning Corner\" — short, friendly and easy to remember."),
    ("What does a fine-tuned model learn?", "It adapts its existing knowledge to the style and tasks in the new data."),
    ("Write a one-line greeting for a colleague.", "Good morning! I hope your week is off to a great start."),
    ("Summarize: The meeting moved from Monday to Wednesday at 10.", "The meeting is now on Wednesday at 10."),
    ("Дай совет, как быстрее выучить слова.", "Повторяй слова через увеличивающиеся интервалы и используй их в речи."),
    ("Почему зимой холодно?", "Зимой солнечные лучи падают под малым углом, и день короче, поэтому Земля получает меньше тепла."),
    ("Придумай название для книжного клуба.", "«Страница за страницей»."),
    ("Напиши короткое поздравление с днём рождения.", "С днём рождения! Желаю здоровья, радости и новых открытий."),
    ("Кратко перескажи: поезд задержали на час из-за снега.", "Поезд опоздал на час из-за снегопада."),
    ("Что такое дообучение модели?", "Это продолжение обучения готовой модели на новых данных под конкретную задачу."),
    ("给出一个提高专注力的小建议。", "把手机放到另一个房间，每次专注工作二十五分钟。"),
    ("为什么树叶在秋天变黄？", "秋天叶绿素分解，叶子里原本的黄色色素就显露出来了。"),
    ("给一家面包店起个名字。", "“麦香小屋”。"),
    ("写一句简短的感谢语。", "非常感谢你的帮助，这对我意义重大！"),
    ("概括：会议从周一改到了周三上午十点。", "会议改为周三上午十点。"),
    ("什么是模型微调？", "微调是在预训练模型的基础上，用特定任务的数据继续训练。"),
]
for q, a in QA:
    add(q, a)

pref = [
    {"instruction": "Explain what a dataset is in one sentence.", "input": "",
     "chosen": "A dataset is an organized collection of examples, such as rows of text, used to train or test a model.",
     "rejected": "Data."},
    {"instruction": "How should I store passwords?", "input": "",
     "chosen": "Use a password manager and a unique long password for every site.",
     "rejected": "Write them all on a sticky note on your screen."},
    {"instruction": "Translate into English.", "input": "Доброе утро",
     "chosen": "Good morning", "rejected": "Good night"},
    {"instruction": "What is 12 × 12?", "input": "", "chosen": "12 × 12 = 144.", "rejected": "12 × 12 = 124."},
    {"instruction": "Объясни, что такое переобучение.", "input": "",
     "chosen": "Переобучение — когда модель запоминает обучающие примеры и хуже работает на новых данных.",
     "rejected": "Это когда модель учится слишком долго по времени."},
    {"instruction": "Какая самая длинная река в Европе?", "input": "", "chosen": "Волга.", "rejected": "Сена."},
    {"instruction": "Посоветуй, как начать бегать.", "input": "",
     "chosen": "Начни с коротких пробежек по 15 минут три раза в неделю и постепенно увеличивай время.",
     "rejected": "Сразу пробеги марафон."},
    {"instruction": "用一句话解释什么是损失函数。", "input": "",
     "chosen": "损失函数衡量模型预测与正确答案之间的差距，训练的目标就是让它变小。",
     "rejected": "就是损失。"},
    {"instruction": "翻译成中文。", "input": "Thank you", "chosen": "谢谢你", "rejected": "你好"},
    {"instruction": "一年有几个季节？", "input": "", "chosen": "一年有四个季节：春、夏、秋、冬。",
     "rejected": "一年有三个季节。"},
    {"instruction": "Give a polite way to decline a meeting.", "input": "",
     "chosen": "Thank you for the invitation — unfortunately I can't attend, but please share the notes.",
     "rejected": "No."},
    {"instruction": "Напиши вежливый ответ на жалобу клиента.", "input": "Доставка опоздала на два дня.",
     "chosen": "Приносим извинения за задержку доставки. Мы уже разбираемся и компенсируем стоимость доставки.",
     "rejected": "Так бывает."},
]

with open(os.path.join(OUT, "demo_alpaca.json"), "w", encoding="utf-8") as f:
    json.dump(rows, f, ensure_ascii=False, indent=1)
    f.write("\n")
with open(os.path.join(OUT, "demo_pref.json"), "w", encoding="utf-8") as f:
    json.dump(pref, f, ensure_ascii=False, indent=1)
    f.write("\n")
info = {
    "demo_alpaca": {"file_name": "demo_alpaca.json"},
    "demo_pref": {"file_name": "demo_pref.json", "ranking": True,
                  "columns": {"prompt": "instruction", "query": "input", "chosen": "chosen", "rejected": "rejected"}},
}
with open(os.path.join(OUT, "dataset_info.json"), "w", encoding="utf-8") as f:
    json.dump(info, f, ensure_ascii=False, indent=2)
    f.write("\n")
print(len(rows), "alpaca rows,", len(pref), "preference rows")
