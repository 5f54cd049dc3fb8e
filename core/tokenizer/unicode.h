// SPDX-License-Identifier: Apache-2.0
// UTF-8 helpers and Unicode character classes for the tokenizer pipeline: validation, decoding, the GPT-2
// byte-to-unicode map, normalization forms (through ICU) and the character predicates that Hugging Face's
// Rust code takes from `char` (is_whitespace, is_alphanumeric, is_numeric, is_punctuation).
// Internal to core/tokenizer; it does not know about tokens.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace td::tok
{

/// True when `s` is well-formed UTF-8; otherwise `badOffset` (if given) receives the first bad byte offset.
bool isValidUtf8(std::string_view s, std::size_t* badOffset = nullptr);

/// Length of the UTF-8 sequence that starts with `lead` (1 for invalid lead bytes).
inline std::size_t utf8SeqLen(unsigned char lead)
{
    if (lead < 0x80) {
        return 1;
    }
    if ((lead >> 5) == 0x6) {
        return 2;
    }
    if ((lead >> 4) == 0xE) {
        return 3;
    }
    if ((lead >> 3) == 0x1E) {
        return 4;
    }
    return 1;
}

/// Decodes the code point at s[i] (s must be valid UTF-8) and advances i past it.
char32_t nextCodePoint(std::string_view s, std::size_t& i);

/// Appends the UTF-8 encoding of cp.
void appendUtf8(std::string& out, char32_t cp);

/// Converts bytes to UTF-8 the way Rust's String::from_utf8_lossy does (one U+FFFD per maximal bad subpart).
std::string utf8Lossy(std::string_view bytes);

// Character classes (Unicode properties, as Rust's char methods define them).
bool isWhitespace(char32_t cp);     ///< White_Space
bool isAlphanumeric(char32_t cp);   ///< Alphabetic or Numeric (N*)
bool isNumeric(char32_t cp);        ///< general category Nd, Nl or No
bool isPunctuation(char32_t cp);    ///< ASCII punctuation or general category P*
bool isNonspacingMark(char32_t cp); ///< general category Mn

/// GPT-2's byte-level alphabet: byteLevelChar(b) is the UTF-8 text of the code point standing for byte b.
const std::array<std::string, 256>& byteLevelChars();
/// The byte a byte-level code point stands for, or -1.
int byteLevelByte(char32_t cp);

enum class NormalForm
{
    NFC,
    NFD,
    NFKC,
    NFKD,
};

/// Normalizes valid UTF-8 in place. Pure ASCII is returned unchanged without calling ICU.
void normalizeUnicode(std::string& s, NormalForm form);

/// Lowercases every code point (Unicode default lowercase mapping, per character as Rust's char::to_lowercase).
void lowercaseUtf8(std::string& s);

} // namespace td::tok
