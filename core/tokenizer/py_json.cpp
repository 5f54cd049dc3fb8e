// SPDX-License-Identifier: Apache-2.0
// Python's json.dumps / str() output for JSON values, so that text LLaMA-Factory builds with them (tool prompts,
// function calls) is reproduced byte for byte: json.dumps(ensure_ascii=False) escapes only '"', '\\' and control
// characters, prints floats with repr() and uses ", "/": " (",\n" + indent with indent=N); nlohmann's dump differs.
#include "core/tokenizer/py_json.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace td::chat
{
namespace
{

/// json's py_encode_basestring: only '"', '\\' and control characters are escaped (ensure_ascii=False).
void dumpString(const std::string& s, std::string& out)
{
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (c < 0x20) {
                static constexpr char kHex[] = "0123456789abcdef";
                out += "\\u00";
                out += kHex[c >> 4];
                out += kHex[c & 15];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

/// Python float repr: shortest round-trip digits, fixed notation for exponents in [-4, 16), else d.ddde+XX.
std::string pyFloat(double d)
{
    if (d != d) {
        return "NaN";
    }
    if (d == std::numeric_limits<double>::infinity() || d == -std::numeric_limits<double>::infinity()) {
        return d > 0 ? "Infinity" : "-Infinity";
    }
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string sci(buf, r.ptr);
    std::string sign;
    if (sci[0] == '-') {
        sign = "-";
        sci.erase(0, 1);
    }
    const auto e = sci.find('e');
    std::string digits = sci.substr(0, e);
    const int exp = std::stoi(sci.substr(e + 1));
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    if (exp >= -4 && exp < 16) {
        std::string out;
        if (exp < 0) {
            out = "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
        } else {
            const auto intLen = static_cast<std::size_t>(exp) + 1;
            if (digits.size() <= intLen) {
                out = digits + std::string(intLen - digits.size(), '0') + ".0";
            } else {
                out = digits.substr(0, intLen) + "." + digits.substr(intLen);
            }
        }
        return sign + out;
    }
    std::string mant = digits.size() > 1 ? digits.substr(0, 1) + "." + digits.substr(1) : digits;
    std::string ex = std::to_string(exp < 0 ? -exp : exp);
    if (ex.size() < 2) {
        ex = "0" + ex;
    }
    return sign + mant + "e" + (exp < 0 ? "-" : "+") + ex;
}

void dump(const PyJson& j, int indent, int level, std::string& out)
{
    const bool pretty = indent >= 0;
    const auto newline = [&](int lvl) {
        out += '\n';
        out.append(static_cast<std::size_t>(indent * lvl), ' ');
    };
    switch (j.type()) {
    case PyJson::value_t::object: {
        if (j.empty()) {
            out += "{}";
            return;
        }
        out += '{';
        bool first = true;
        for (auto it = j.begin(); it != j.end(); ++it) {
            out += first ? "" : (pretty ? "," : ", ");
            first = false;
            if (pretty) {
                newline(level + 1);
            }
            dumpString(it.key(), out);
            out += ": ";
            dump(it.value(), indent, level + 1, out);
        }
        if (pretty) {
            newline(level);
        }
        out += '}';
        return;
    }
    case PyJson::value_t::array: {
        if (j.empty()) {
            out += "[]";
            return;
        }
        out += '[';
        bool first = true;
        for (const auto& v : j) {
            out += first ? "" : (pretty ? "," : ", ");
            first = false;
            if (pretty) {
                newline(level + 1);
            }
            dump(v, indent, level + 1, out);
        }
        if (pretty) {
            newline(level);
        }
        out += ']';
        return;
    }
    case PyJson::value_t::string:
        dumpString(j.get_ref<const std::string&>(), out);
        return;
    case PyJson::value_t::boolean:
        out += j.get<bool>() ? "true" : "false";
        return;
    case PyJson::value_t::number_integer:
        out += std::to_string(j.get<int64_t>());
        return;
    case PyJson::value_t::number_unsigned:
        out += std::to_string(j.get<uint64_t>());
        return;
    case PyJson::value_t::number_float:
        out += pyFloat(j.get<double>());
        return;
    default:
        out += "null";
        return;
    }
}

/// Python repr of a str (as str() of a list/dict shows its items): single quotes unless the text has ' but no ".
std::string pyRepr(const std::string& s)
{
    const char q = s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
    std::string out(1, q);
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (ch == q || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (ch == '\n') {
            out += "\\n";
        } else if (ch == '\r') {
            out += "\\r";
        } else if (ch == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else {
            out += ch;
        }
    }
    return out + q;
}

} // namespace

std::string pyDumps(const PyJson& j, int indent)
{
    std::string out;
    dump(j, indent, 0, out);
    return out;
}

/// Python str(value) for what "{}".format() puts in the default tool text (strings as is, None, True, ...).
std::string pyStr(const PyJson& j, bool nested)
{
    switch (j.type()) {
    case PyJson::value_t::string:
        return nested ? pyRepr(j.get<std::string>()) : j.get<std::string>();
    case PyJson::value_t::null:
        return "None";
    case PyJson::value_t::boolean:
        return j.get<bool>() ? "True" : "False";
    case PyJson::value_t::array: {
        std::string out = "[";
        for (std::size_t i = 0; i < j.size(); ++i) {
            out += (i ? ", " : "") + pyStr(j[i], true);
        }
        return out + "]";
    }
    case PyJson::value_t::object: {
        std::string out = "{";
        bool first = true;
        for (auto it = j.begin(); it != j.end(); ++it) {
            out += (first ? "" : ", ") + pyRepr(it.key()) + ": " + pyStr(it.value(), true);
            first = false;
        }
        return out + "}";
    }
    default:
        return pyDumps(j);
    }
}

/// Python truthiness of a JSON value (`if param.get("enum")`).
bool pyTruthy(const PyJson& j)
{
    switch (j.type()) {
    case PyJson::value_t::null:
        return false;
    case PyJson::value_t::boolean:
        return j.get<bool>();
    case PyJson::value_t::string:
    case PyJson::value_t::array:
    case PyJson::value_t::object:
        return !j.empty();
    case PyJson::value_t::number_float:
        return j.get<double>() != 0.0;
    default:
        return j.get<int64_t>() != 0;
    }
}

} // namespace td::chat
