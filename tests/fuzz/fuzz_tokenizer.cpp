// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the tokenizer: the first input byte picks a mode.
//   0: the rest is a tokenizer.json to load (then, if it loads, encode/decode a few strings with it);
//   1: the rest is text encoded and decoded by the tiny byte-level tokenizer (tests/data/tokenizers/tiny);
//   2: the rest is text for a hand-made Metaspace + byte_fallback + Digits tokenizer with added tokens.
// Any crash, sanitizer report or round-trip mismatch on valid UTF-8 (byte-level mode) is a bug.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/unicode.h"

namespace
{

using namespace td;

std::shared_ptr<tok::Tokenizer> loadTiny()
{
    std::ifstream in(TD_FUZZ_TINY_JSON, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    auto t = tok::loadTokenizerJson(ss.str());
    if (!t) {
        std::abort();
    }
    return *t;
}

std::shared_ptr<tok::Tokenizer> loadMetaspace()
{
    std::string vocab = R"("<unk>":0,"<s>":1,"</s>":2,"\u2581":3,"a":4,"b":5,"\u2581a":6,"ab":7,"1":8)";
    for (int b = 0; b < 256; ++b) {
        char buf[32];
        std::snprintf(buf, sizeof(buf), ",\"<0x%02X>\":%d", b, 9 + b);
        vocab += buf;
    }
    const std::string json = R"({"model":{"type":"BPE","unk_token":"<unk>","fuse_unk":true,"byte_fallback":true,
      "vocab":{)" + vocab + R"(},"merges":["\u2581 a","a b"]},
      "normalizer":{"type":"Sequence","normalizers":[{"type":"NFKC"},{"type":"Strip","strip_left":false,"strip_right":true}]},
      "pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Metaspace","replacement":"\u2581","prepend_scheme":"first"},
        {"type":"Digits","individual_digits":true},{"type":"Punctuation"}]},
      "added_tokens":[{"id":1,"content":"<s>","special":true,"lstrip":true,"rstrip":true,"normalized":false,"single_word":false},
        {"id":7,"content":"ab","special":false,"lstrip":false,"rstrip":false,"normalized":true,"single_word":true}],
      "post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
        "special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]}}},
      "decoder":{"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"\u2581"},"content":" "},
        {"type":"ByteFallback"},{"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]}})";
    auto t = tok::loadTokenizerJson(json);
    if (!t) {
        std::abort();
    }
    return *t;
}

void exercise(const tok::Tokenizer& t, std::string_view text)
{
    auto ids = t.encode(text, true);
    if (ids) {
        (void)t.decode(*ids, false);
        (void)t.decode(*ids, true);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const auto tiny = loadTiny();
    static const auto meta = loadMetaspace();
    if (size == 0) {
        return 0;
    }
    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 3) {
    case 0: {
        auto t = tok::loadTokenizerJson(rest);
        if (t) {
            exercise(**t, "Hello world 123 <s> \xE2\x96\x81 caf\xC3\xA9");
            exercise(**t, rest.substr(0, 64));
        }
        break;
    }
    case 1: {
        auto ids = tiny->encode(rest, false);
        if (ids) {
            // Byte-level BPE is lossless: decode(encode(x)) == NFC(x).
            auto back = tiny->decode(*ids, false);
            std::string nfc(rest);
            tok::normalizeUnicode(nfc, tok::NormalForm::NFC);
            if (!back || *back != nfc) {
                std::abort();
            }
        } else if (tok::isValidUtf8(rest)) {
            std::abort(); // valid text must encode
        }
        break;
    }
    default:
        exercise(*meta, rest);
        break;
    }
    return 0;
}
