#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes tests/eval/data/metric_cases.json: reference outputs of the real Python implementations that
LLaMA-Factory's predict_with_generate metrics use (llamaboard.md section 5.1), for tests/eval/test_metrics.cpp.

Run it with Debian's interpreter, which has python3-jieba (0.42.1) and python3-nltk (3.8):
    /usr/bin/python3 tools/make_metric_fixtures.py
(a pyenv/venv `python3` on PATH usually lacks both). numpy is used for the mean; it is in python3-numpy.

What it records, per case:
  tokens of jieba.cut(text) for the prediction and the label (accurate mode, HMM on);
  bleu: nltk sentence_bleu([list(label)], list(pred), smoothing_function=SmoothingFunction().method3);
  bleu4: round(bleu * 100, 4), the per-example value LLaMA-Factory reports;
  rouge_zero: whether LLaMA-Factory's guard sets ROUGE to 0 (one side only whitespace after jieba).
ROUGE itself is not recorded: rouge_chinese is not packaged for Debian, so the test checks it against
hand-computed cases instead of a second implementation of ours.
Also: extra jieba-only texts, Python round() and numpy.mean() values that the C++ side must reproduce.
"""
import json
import logging
import os
import random
import sys

import jieba
import nltk
import numpy as np
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

jieba.setLogLevel(logging.CRITICAL)
jieba.initialize()

CASES = [
    # English
    ("The cat sat on the mat.", "The cat is sitting on the mat."),
    ("hello world", "hello world"),
    ("Hello, World!", "hello world"),
    ("It is a guide to action which ensures that the military always obeys the commands of the party.",
     "It is a guide to action that ensures that the military will forever heed Party commands."),
    ("the the the the the the the", "the cat is on the mat"),
    ("xyz", "abc"),
    ("I love NLP\nand ML", "I love NLP and ML"),
    ("tab\tseparated  words", "tab separated words"),
    ("Price: $3.14 (up 2.5%)", "The price is $3.14, up 2.5 percent"),
    ("e-mail me at foo_bar@example.com", "email foo_bar@example.com"),
    ("C++ and C# are languages", "C++ and Java"),
    ("version 1.2.3-beta released", "v1.2.3 was released"),
    ("The answer is 42 because it is the answer to everything", "42"),
    ("what? really? yes.", "really? yes"),
    ("Wait......what happened?", "what happened"),
    ("def f(x):\n    return x*2", "def f(x): return 2*x"),
    ('{"a": 1, "b": [2, 3]}', '{"a":1,"b":[2,3]}'),
    ("x^2 + y^2 = z^2", "x\u00b2 + y\u00b2 = z\u00b2"),
    ("caf\u00e9 na\u00efve r\u00e9sum\u00e9", "cafe naive resume"),
    ("_init_ __main__", "__main__"),
    ("100%", "100 %"),
    ("---###+++", "-#+"),
    # very short, empty, whitespace
    ("a", "a"),
    ("ab", "abc"),
    ("abc", "abd"),
    ("ab", "ba"),
    ("", "some reference"),
    ("some prediction", ""),
    ("", ""),
    ("   ", "reference text"),
    ("\n", "text"),
    ("a\n\nb", "a b"),
    ("  \u591a\u4e2a   \u7a7a\u683c  ", "\u591a\u4e2a \u7a7a\u683c"),
    # Chinese
    ("\u6211\u7231\u5317\u4eac\u5929\u5b89\u95e8", "\u6211\u7231\u5317\u4eac\u5929\u5b89\u95e8"),
    ("今天天气很好，我们去公园散步吧。", "今天天气不错，我们去公园走走。"),
    ("他来到了网易杭研大厦", "他来到了网易大厦"),
    ("小明硕士毕业于中国科学院计算所，后在日本京都大学深造", "小明毕业于中国科学院"),
    ("工信处女干事每月经过下属科室都要亲口交代24口交换机等技术性器件的安装工作", "工信处女干事交代交换机的安装工作"),
    ("南京市长江大桥", "南京市长江大桥建成通车了"),
    ("结婚的和尚未结婚的", "结婚的和尚"),
    ("你好！我是一个AI助手。有什么可以帮你的吗？", "你好，我是人工智能助手，请问有什么可以帮助你？"),
    ("他说：“今天很好。”然后离开了。", "他说：“今天不错！”随后离开。"),
    ("嗯……我不知道……也许吧", "我不知道"),
    ("增长了3.14%，达到2024年的最高水平", "同比增长3.14%"),
    ("价格是12.5元", "价格为12.50元"),
    ("李小福是创新办主任也是云计算方面的专家", "李小福是云计算专家"),
    ("我来到北京清华大学", "他来到了网易杭研大厦"),
    ("哈哈哈哈哈哈哈哈", "哈哈"),
    ("好", "好的"),
    ("是", "否"),
    ("。。。", "！！！"),
    ("我們今天去學校", "我们今天去学校"),
    ("Hello。World", "Hello World"),
    ("答案是B", "B"),
    # mixed scripts, emoji, full-width, line ends
    ("我用Python写了一个Web应用", "我用python开发了web应用"),
    ("iPhone 15 Pro Max售价9999元", "iPhone15ProMax的价格是9999元"),
    ("今天真开心😀😀", "今天很开心😀"),
    ("great job 👍🏽!", "great job!"),
    ("ＡＢＣ１２３", "ABC123"),
    ("你好\u3000世界", "你好 世界"),
    ("第一行\r\n第二行", "第一行\n第二行"),
    ("これはペンです", "これは本です"),
    ("안녕하세요 세계", "안녕 세계"),
    ("Ω≈ç√∫", "Ω≈ç"),
    ("人工智能（Artificial Intelligence，缩写为AI）亦称机器智能，指由人制造出来的机器所表现出来的智能。"
     "通常人工智能是指通过普通计算机程序来呈现人类智能的技术。该词也指出研究这样的智能系统是否能够实现，"
     "以及如何实现。同时，通过医学、神经科学、机器人学及统计学等的进步，常态预测则认为人类的很多职业也逐渐被其取代。",
     "人工智能（AI）是指由人制造出来的机器所表现出来的智能，通常通过普通计算机程序来呈现人类智能的技术。"
     "研究者关注这样的智能系统能否实现以及如何实现；随着医学、神经科学、机器人学和统计学的进步，很多职业可能被取代。"),
]

# Texts that only the segmenter test uses: dictionary entries with symbols, number forms, block edges.
SEGMENT_ONLY = [
    "AT&T和B超检查", "c#程序员穿着T恤衫", "U.S.A.的GDP增长了3.5%", "3.14.15", "1.5倍", "20%-30%的人",
    "\r\r\n", "a\tb", "a\u00a0b", "零\u200b宽", "\U00020000字", "龥鿕鿖〇", "2024年3月14日下午3点",
    "e-mail地址是test_user@mail.com", "C++11和C++14", "###标题###", "--参数-值", "α粒子和β射线",
    "小米手机MIX2S的价格", "上海浦东新区张江高科技园区", "这是一个伸手不见五指的黑夜。我叫孙悟空，我爱北京，我爱Python和C++。",
    "我不喜欢日本和服。", "雷猴回归人间。", "工信处女干事每月经过下属科室都要亲口交代24口交换机等技术性器件的安装工作",
    "我需要廉租房", "永和服装饰品有限公司", "我爱北京天安门", "abc", "隐马尔可夫", "中文分词是文本处理不可或缺的一步！",
    "‘你好’，“再见”", "1,000,000元", "¥100和$200", "三百六十五天", "Ｈｅｌｌｏ", "😀中文😀English😀",
]


def random_texts(count, seed=20240601):
    """Pseudo-random mixtures of dictionary words, stray CJK characters, latin, digits and punctuation:
    they exercise the DAG ties, the single-character buffer and the HMM on runs no dictionary knows."""
    rng = random.Random(seed)
    words = []
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 97 == 0:
                words.append(line.split(" ")[0])
    pieces = ["the", "Model", "GPU", "3.14", "42", "v2", "%", "-", ".", "_", " ", "  ", "\n", "，", "。", "！",
              "？", "“", "”", "、", "…", "A股", "x86"]
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(3, 18)):
            r = rng.random()
            if r < 0.5:
                parts.append(rng.choice(words))
            elif r < 0.75:
                parts.append(chr(rng.randint(0x4E00, 0x9FA5)))
            else:
                parts.append(rng.choice(pieces))
        texts.append("".join(parts))
    return texts


def bleu(pred, label):
    return sentence_bleu([list(label)], list(pred), smoothing_function=SmoothingFunction().method3)


def case(pred, label):
    hyp = list(jieba.cut(pred))
    ref = list(jieba.cut(label))
    b = bleu(pred, label)
    return {
        "predict": pred,
        "label": label,
        "predict_tokens": hyp,
        "label_tokens": ref,
        "bleu": float(b),
        "bleu4": round(b * 100, 4),
        "rouge_zero": len(" ".join(hyp).split()) == 0 or len(" ".join(ref).split()) == 0,
    }


def mean_values(n):
    """The list the C++ test rebuilds for numpy's mean: v_i = round((i * 7919 % 10007) / 100.07, 4)."""
    return [round((i * 7919 % 10007) / 100.07, 4) for i in range(n)]


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "eval", "data",
                       "metric_cases.json")
    randoms = random_texts(40)
    pairs = list(CASES) + [(randoms[i], randoms[i + 1]) for i in range(0, 20, 2)]
    cases = [case(p, l) for p, l in pairs]
    segment = [{"text": t, "tokens": list(jieba.cut(t))} for t in SEGMENT_ONLY + randoms[20:]]
    rounds = [0.03125, 0.00015, 0.00025, 1.00005, 2.675, 99.99995, 12.34565, 0.1 + 0.2, 1 / 3, 2 / 3, 1e-9, 0.0]
    data = {
        "generator": "tools/make_metric_fixtures.py",
        "versions": {"python": sys.version.split()[0], "jieba": jieba.__version__, "nltk": nltk.__version__,
                     "numpy": np.__version__},
        "cases": cases,
        "segment": segment,
        "round4": [{"x": x, "rounded": round(x, 4)} for x in rounds],
        "numpy_mean": [{"n": n, "mean": float(np.mean(mean_values(n)))}
                       for n in [1, 7, 8, 9, 100, 128, 129, 1000, 8192, 8193, 20000]],
        "bleu4_mean": float(np.mean([c["bleu4"] for c in cases])),
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases, {len(segment)} segmenter texts to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
