// SPDX-License-Identifier: Apache-2.0
// Loading jieba's data from the machine (Debian: python3-jieba in /usr/lib/python3/dist-packages/jieba):
//   dict.txt            "word freq tag" lines -> jieba's FREQ map: every word with its frequency and every
//                       prefix of a word with 0 (that is what lets the DAG stop at the first non-prefix);
//   finalseg/prob_*.py  the HMM tables as Python dict literals (P={...}), parsed at load time (py_literal.cpp).
// The files are Debian's; we read them, we do not ship copies. dict.txt (349k lines, 498k entries with
// the prefixes) loads in ~0.1 s.
#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "core/common/log.h"
#include "core/eval/jieba_impl.h"

namespace td::eval
{

namespace fs = std::filesystem;

namespace detail
{

namespace
{

bool hasData(const fs::path& d)
{
    std::error_code ec;
    return fs::is_regular_file(d / "dict.txt", ec) && fs::is_regular_file(d / "finalseg" / "prob_start.py", ec) &&
           fs::is_regular_file(d / "finalseg" / "prob_trans.py", ec) &&
           fs::is_regular_file(d / "finalseg" / "prob_emit.py", ec);
}

Expected<std::string> readAll(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::string text;
    if (in) {
        std::error_code ec;
        const auto size = fs::file_size(p, ec);
        text.resize(ec ? 0 : static_cast<std::size_t>(size));
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        text.resize(static_cast<std::size_t>(in.gcount()));
    }
    if (!in && !in.eof()) {
        return makeError(ErrorCode::Io, "cannot read " + p.string(), "check the file's permissions");
    }
    return text;
}

int stateIndex(const std::string& s)
{
    if (s.size() != 1) {
        return -1;
    }
    const auto at = std::string_view("BEMS").find(s[0]); // HmmModel's order
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

Status parseTable(const fs::path& file, const PyLeaf& leaf)
{
    auto text = readAll(file);
    if (!text) {
        return tl::unexpected(text.error());
    }
    std::string error;
    if (!parsePyDictAssignment(*text, "P", leaf, &error)) {
        return makeError(ErrorCode::BadTokenizer, "cannot parse jieba's HMM table " + file.string() + ": " + error,
                         "reinstall python3-jieba");
    }
    return {};
}

} // namespace

std::uint32_t WordFreqTable::hashOf(std::string_view s)
{
    std::uint64_t h = 1469598103934665603ULL; // FNV-1a, folded: words are a few bytes
    for (const char c : s) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

void WordFreqTable::reset(std::string_view text, std::size_t expected)
{
    text_ = text;
    std::size_t capacity = 1024;
    while (capacity < expected * 2) {
        capacity *= 2;
    }
    slots_.assign(capacity, Slot{});
    size_ = 0;
}

std::int64_t WordFreqTable::find(std::string_view word) const
{
    if (slots_.empty() || word.empty()) {
        return -1;
    }
    const std::uint32_t h = hashOf(word);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const Slot& s = slots_[i];
        if (s.length == 0) {
            return -1;
        }
        if (s.hash == h && s.length == word.size() && text_.compare(s.offset, s.length, word) == 0) {
            return s.freq;
        }
    }
}

void WordFreqTable::put(std::string_view word, std::uint32_t freq, bool keepOld)
{
    Pending p{word, hashOf(word), freq, keepOld};
#if defined(__GNUC__)
    __builtin_prefetch(&slots_[p.hash & (slots_.size() - 1)], 1);
#endif
    if (queueSize_ == queue_.size()) {
        apply(queue_[queueHead_]);
        queueHead_ = (queueHead_ + 1) % queue_.size();
        --queueSize_;
    }
    queue_[(queueHead_ + queueSize_++) % queue_.size()] = p;
}

void WordFreqTable::flush()
{
    for (; queueSize_ > 0; --queueSize_) {
        apply(queue_[queueHead_]);
        queueHead_ = (queueHead_ + 1) % queue_.size();
    }
}

void WordFreqTable::apply(const Pending& p)
{
    if ((size_ + 1) * 10 > slots_.size() * 7) {
        grow();
    }
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = p.hash & mask;; i = (i + 1) & mask) {
        Slot& s = slots_[i];
        if (s.length == 0) {
            s = Slot{p.hash, static_cast<std::uint32_t>(p.word.data() - text_.data()),
                     static_cast<std::uint32_t>(p.word.size()), p.freq};
            ++size_;
            return;
        }
        if (s.hash == p.hash && s.length == p.word.size() && text_.compare(s.offset, s.length, p.word) == 0) {
            if (!p.keepOld) {
                s.freq = p.freq;
            }
            return;
        }
    }
}

void WordFreqTable::grow()
{
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(1024, old.size() * 2), Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
        if (s.length != 0) {
            std::size_t i = s.hash & mask;
            while (slots_[i].length != 0) {
                i = (i + 1) & mask;
            }
            slots_[i] = s;
        }
    }
}

fs::path findJiebaData(const fs::path& dir, std::string* tried)
{
    std::vector<fs::path> candidates;
    if (!dir.empty()) {
        candidates.push_back(dir);
    } else {
        if (const char* env = std::getenv("TD_JIEBA_DIR"); env != nullptr && *env != '\0') {
            candidates.emplace_back(env);
        }
        candidates.emplace_back("/usr/lib/python3/dist-packages/jieba");        // Debian/Ubuntu python3-jieba
        for (const char* base : {"/usr/lib", "/usr/lib64", "/usr/local/lib"}) { // Fedora, pip
            std::error_code ec;
            for (fs::directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec)) {
                if (it->path().filename().string().rfind("python3", 0) == 0) {
                    candidates.push_back(it->path() / "site-packages" / "jieba");
                    candidates.push_back(it->path() / "dist-packages" / "jieba");
                }
            }
        }
    }
    for (const fs::path& c : candidates) {
        if (hasData(c)) {
            return c;
        }
    }
    if (tried != nullptr) {
        for (std::size_t i = 0; i < candidates.size() && i < 4; ++i) {
            *tried += (i ? ", " : "") + candidates[i].string();
        }
        if (candidates.size() > 4) {
            *tried += ", ...";
        }
    }
    return {};
}

Status JiebaSegmenter::loadFrom(const fs::path& dir)
{
    const fs::path dictPath = dir / "dict.txt";
    auto text = readAll(dictPath);
    if (!text) {
        return tl::unexpected(text.error());
    }
    dictText_ = std::move(*text);
    const std::string_view all(dictText_);
    // Debian's dict.txt: 349k lines -> 498k words and prefixes; size the table for ~1.5 entries a line.
    freq_.reset(all, static_cast<std::size_t>(std::count(all.begin(), all.end(), '\n')) * 3 / 2 + 16);
    std::int64_t total = 0;
    std::size_t lineNo = 0;
    std::string_view prevWord;
    for (std::size_t at = 0; at < all.size();) {
        const std::size_t nl = all.find('\n', at);
        std::string_view line = all.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
        at = nl == std::string_view::npos ? all.size() : nl + 1;
        ++lineNo;
        // gen_pfdict: line.strip() (ASCII whitespace), then line.split(' ')[:2] -> word, int(freq).
        constexpr std::string_view kSpace = " \t\n\r\v\f";
        const std::size_t first = line.find_first_not_of(kSpace);
        if (first == std::string_view::npos) {
            continue; // jieba would reject an empty line; Debian's file has none
        }
        line = line.substr(first, line.find_last_not_of(kSpace) - first + 1);
        const std::size_t sp = line.find(' ');
        const std::string_view word = line.substr(0, sp);
        const std::string_view freqText =
            sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1, line.find(' ', sp + 1) - sp - 1);
        std::int64_t f = -1;
        const auto [ptr, ec] = std::from_chars(freqText.data(), freqText.data() + freqText.size(), f);
        if (word.empty() || ec != std::errc{} || ptr != freqText.data() + freqText.size() || f < 0 || f > UINT32_MAX ||
            word.size() > UINT32_MAX) {
            return makeError(ErrorCode::BadTokenizer,
                             "invalid jieba dictionary entry in " + dictPath.string() + " at line " +
                                 std::to_string(lineNo) + ": " + std::string(line.substr(0, 80)),
                             "reinstall python3-jieba");
        }
        freq_.put(word, static_cast<std::uint32_t>(f), false); // a repeated word keeps its last frequency
        total += f;
        // Every proper prefix at a character boundary goes in with 0 unless present. The prefixes this word
        // shares with the previous line's word are present already (the file is grouped by first
        // characters, so this skips most of the ~1M look-ups).
        const std::size_t shared = static_cast<std::size_t>(
            std::mismatch(word.begin(), word.end(), prevWord.begin(), prevWord.end()).first - word.begin());
        for (std::size_t k = shared + 1; k < word.size(); ++k) {
            if ((static_cast<unsigned char>(word[k]) & 0xC0) != 0x80) {
                freq_.put(word.substr(0, k), 0, true);
            }
        }
        prevWord = word;
    }
    freq_.flush();
    if (total <= 0) {
        return makeError(ErrorCode::BadTokenizer, "the jieba dictionary " + dictPath.string() + " has no words",
                         "reinstall python3-jieba");
    }
    logTotal_ = std::log(static_cast<double>(total));

    hmm_ = HmmModel{};
    for (auto& row : hmm_.trans) {
        row.fill(HmmModel::kMinFloat);
    }
    std::array<bool, 4> haveStart{};
    const fs::path finalseg = dir / "finalseg";
    Status st = parseTable(finalseg / "prob_start.py", [&](const std::vector<std::string>& keys, double v) {
        const int s = keys.size() == 1 ? stateIndex(keys[0]) : -1;
        return s >= 0 && (hmm_.start[s] = v, haveStart[s] = true);
    });
    if (st) {
        st = parseTable(finalseg / "prob_trans.py", [&](const std::vector<std::string>& keys, double v) {
            const int from = keys.size() == 2 ? stateIndex(keys[0]) : -1;
            const int to = keys.size() == 2 ? stateIndex(keys[1]) : -1;
            return from >= 0 && to >= 0 && (hmm_.trans[from][to] = v, true);
        });
    }
    if (st) {
        st = parseTable(finalseg / "prob_emit.py", [&](const std::vector<std::string>& keys, double v) {
            const int s = keys.size() == 2 ? stateIndex(keys[0]) : -1;
            const CodePoints ch = decodeUtf8(keys.size() == 2 ? keys[1] : std::string());
            return s >= 0 && ch.size() == 1 && (hmm_.emit[s][ch.cps[0]] = v, true);
        });
    }
    if (!st) {
        return st;
    }
    for (int s = 0; s < 4; ++s) {
        if (!haveStart[s] || hmm_.emit[s].empty()) {
            return makeError(ErrorCode::BadTokenizer,
                             "jieba's HMM tables in " + finalseg.string() + " lack the state " +
                                 std::string(1, "BEMS"[s]),
                             "reinstall python3-jieba");
        }
    }
    return {};
}

} // namespace detail

Expected<std::shared_ptr<const Segmenter>> Segmenter::load(const fs::path& dir)
{
    std::string tried;
    const fs::path found = detail::findJiebaData(dir, &tried);
    if (found.empty()) {
        return makeError(ErrorCode::FileNotFound,
                         "jieba's dictionary (dict.txt, finalseg/prob_*.py) was not found in " + tried +
                             "; ROUGE scores need it",
                         "install python3-jieba (sudo apt-get install python3-jieba), or set TD_JIEBA_DIR to "
                         "a jieba package folder");
    }
    auto seg = std::make_shared<detail::JiebaSegmenter>(); // loaded in place: its map points into its text
    if (Status st = seg->loadFrom(found); !st) {
        return tl::unexpected(st.error());
    }
    return std::shared_ptr<const Segmenter>(std::move(seg));
}

std::shared_ptr<const Segmenter> Segmenter::shared()
{
    // A function-local static is initialised once, and concurrent callers wait for it (C++11 magic statics).
    static const std::shared_ptr<const Segmenter> instance = []() -> std::shared_ptr<const Segmenter> {
        auto loaded = load();
        if (!loaded) {
            log::get("engine.eval")->error("ROUGE is unavailable: {}", loaded.error().toString());
            return nullptr;
        }
        return *loaded;
    }();
    return instance;
}

} // namespace td::eval
