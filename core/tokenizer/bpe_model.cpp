// SPDX-License-Identifier: Apache-2.0
// BPE model (see bpe_model.h). Mirrors Hugging Face `tokenizers` models/bpe/{model,word}.rs.
#include "core/tokenizer/bpe_model.h"

#include <cstdio>
#include <mutex>
#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/tokenizer/unicode.h"

namespace td::tok
{

namespace
{

std::string optString(const nlohmann::json& j, const char* key)
{
    return j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>() : std::string();
}

} // namespace

Expected<std::unique_ptr<BpeModel>> BpeModel::fromJson(const nlohmann::json& j)
{
    auto m = std::make_unique<BpeModel>();
    const auto& vocab = j.at("vocab");
    if (!vocab.is_object()) {
        return makeError(ErrorCode::BadTokenizer, "tokenizer.json: model.vocab is not an object");
    }
    m->m_vocab.reserve(vocab.size());
    int32_t maxId = -1;
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        const auto id = it.value().get<int64_t>();
        if (id < 0 || id > 0x7FFFFFFF) {
            return makeError(ErrorCode::BadTokenizer,
                             "tokenizer.json: token '" + it.key() + "' has id " + std::to_string(id) + " out of range");
        }
        m->m_vocab[it.key()] = static_cast<int32_t>(id);
        maxId = std::max(maxId, static_cast<int32_t>(id));
    }
    if (maxId > static_cast<int32_t>(vocab.size()) * 4 + 1024) {
        return makeError(ErrorCode::BadTokenizer, "tokenizer.json: vocabulary ids are too sparse (max id " +
                                                      std::to_string(maxId) + " for " + std::to_string(vocab.size()) +
                                                      " tokens)");
    }
    m->m_idToToken.resize(static_cast<std::size_t>(maxId + 1));
    for (const auto& [tok, id] : m->m_vocab) {
        m->m_idToToken[static_cast<std::size_t>(id)] = tok;
    }

    m->m_prefix = optString(j, "continuing_subword_prefix");
    m->m_suffix = optString(j, "end_of_word_suffix");
    m->m_fuseUnk = j.value("fuse_unk", false);
    m->m_byteFallback = j.value("byte_fallback", false);
    m->m_ignoreMerges = j.value("ignore_merges", false);
    const std::string unk = optString(j, "unk_token");
    if (!unk.empty()) {
        auto it = m->m_vocab.find(unk);
        if (it == m->m_vocab.end()) {
            return makeError(ErrorCode::BadTokenizer,
                             "tokenizer.json: unk_token '" + unk + "' is not in the vocabulary");
        }
        m->m_unk = it->second;
    }
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof(name), "<0x%02X>", b);
        auto it = m->m_vocab.find(std::string_view(name));
        m->m_byteTokens[static_cast<std::size_t>(b)] = it == m->m_vocab.end() ? -1 : it->second;
    }

    const auto& merges = j.contains("merges") ? j.at("merges") : nlohmann::json::array();
    m->m_merges.reserve(merges.size());
    int32_t rank = 0;
    for (const auto& entry : merges) {
        std::string a;
        std::string b;
        if (entry.is_string()) {
            const std::string line = entry.get<std::string>();
            const auto sp = line.find(' ');
            if (sp == std::string::npos || line.find(' ', sp + 1) != std::string::npos) {
                return makeError(ErrorCode::BadTokenizer, "tokenizer.json: merge '" + line + "' is not 'a b'");
            }
            a = line.substr(0, sp);
            b = line.substr(sp + 1);
        } else if (entry.is_array() && entry.size() == 2) {
            a = entry.at(0).get<std::string>();
            b = entry.at(1).get<std::string>();
        } else {
            return makeError(ErrorCode::BadTokenizer,
                             "tokenizer.json: merge #" + std::to_string(rank) + " is neither 'a b' nor [a, b]");
        }
        auto ia = m->m_vocab.find(a);
        auto ib = m->m_vocab.find(b);
        const std::string merged = a + (b.size() >= m->m_prefix.size() ? b.substr(m->m_prefix.size()) : b);
        auto in = m->m_vocab.find(merged);
        if (ia == m->m_vocab.end() || ib == m->m_vocab.end() || in == m->m_vocab.end()) {
            return makeError(ErrorCode::BadTokenizer, "tokenizer.json: merge #" + std::to_string(rank) + " ('" + a +
                                                          "' + '" + b + "') uses a token missing from the vocabulary");
        }
        m->m_merges[pairKey(ia->second, ib->second)] = Merge{rank, in->second};
        ++rank;
    }
    return m;
}

std::optional<int32_t> BpeModel::tokenToId(std::string_view token) const
{
    auto it = m_vocab.find(token);
    if (it == m_vocab.end()) {
        return std::nullopt;
    }
    return it->second;
}

const std::string* BpeModel::idToToken(int32_t id) const
{
    if (id < 0 || static_cast<std::size_t>(id) >= m_idToToken.size()) {
        return nullptr;
    }
    return &m_idToToken[static_cast<std::size_t>(id)];
}

void BpeModel::tokenize(std::string_view word, std::vector<int32_t>& out) const
{
    if (word.empty()) {
        return;
    }
    if (m_ignoreMerges) {
        if (auto it = m_vocab.find(word); it != m_vocab.end()) {
            out.push_back(it->second);
            return;
        }
    }
    const bool cacheable = word.size() <= kMaxCachedWord;
    if (cacheable) {
        std::shared_lock lock(m_cacheMutex);
        if (auto it = m_cache.find(word); it != m_cache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    const std::size_t before = out.size();
    mergeWord(word, out);
    if (cacheable) {
        std::unique_lock lock(m_cacheMutex);
        if (m_cache.size() >= kCacheCapacity) {
            m_cache.clear();
        }
        m_cache.emplace(std::string(word),
                        std::vector<int32_t>(out.begin() + static_cast<std::ptrdiff_t>(before), out.end()));
    }
}

void BpeModel::mergeWord(std::string_view word, std::vector<int32_t>& out) const
{
    struct Symbol
    {
        int32_t id;
        int32_t prev;
        int32_t next;
        bool alive;
    };
    thread_local std::vector<Symbol> symbols;
    symbols.clear();
    auto add = [&](int32_t id) {
        const auto n = static_cast<int32_t>(symbols.size());
        symbols.push_back(Symbol{id, n - 1, n + 1, true});
    };

    int32_t pendingUnk = -1; // an unknown run waiting to be emitted
    std::string scratch;
    std::size_t i = 0;
    while (i < word.size()) {
        const std::size_t start = i;
        i += utf8SeqLen(static_cast<unsigned char>(word[i]));
        i = std::min(i, word.size());
        std::string_view ch = word.substr(start, i - start);
        std::string_view key = ch;
        if ((!m_prefix.empty() && start > 0) || (!m_suffix.empty() && i == word.size())) {
            scratch.clear();
            if (!m_prefix.empty() && start > 0) {
                scratch += m_prefix;
            }
            scratch += ch;
            if (!m_suffix.empty() && i == word.size()) {
                scratch += m_suffix;
            }
            key = scratch;
        }
        if (auto it = m_vocab.find(key); it != m_vocab.end()) {
            if (pendingUnk >= 0) {
                add(pendingUnk);
                pendingUnk = -1;
            }
            add(it->second);
            continue;
        }
        if (m_byteFallback) {
            bool all = true;
            for (const char c : ch) {
                all = all && m_byteTokens[static_cast<unsigned char>(c)] >= 0;
            }
            if (all) {
                if (pendingUnk >= 0) {
                    add(pendingUnk);
                    pendingUnk = -1;
                }
                for (const char c : ch) {
                    add(m_byteTokens[static_cast<unsigned char>(c)]);
                }
                continue;
            }
        }
        if (m_unk) {
            if (pendingUnk >= 0 && !m_fuseUnk) {
                add(pendingUnk);
            }
            pendingUnk = *m_unk;
        }
        // Without an unk token an unknown character is dropped, as Hugging Face does.
    }
    if (pendingUnk >= 0) {
        add(pendingUnk);
    }
    if (symbols.empty()) {
        return;
    }
    symbols.back().next = -1;

    struct Candidate
    {
        int32_t rank;
        int32_t pos;
        int32_t newId;
        bool operator<(const Candidate& o) const // max-heap on "worse": lowest rank, then leftmost, on top
        {
            return rank != o.rank ? rank > o.rank : pos > o.pos;
        }
    };
    // A binary heap kept in a per-thread buffer, so encoding does not allocate per word.
    thread_local std::vector<Candidate> queue;
    queue.clear();
    auto pushPair = [&](int32_t pos) {
        const int32_t next = symbols[static_cast<std::size_t>(pos)].next;
        if (next < 0) {
            return;
        }
        auto it = m_merges.find(
            pairKey(symbols[static_cast<std::size_t>(pos)].id, symbols[static_cast<std::size_t>(next)].id));
        if (it != m_merges.end()) {
            queue.push_back(Candidate{it->second.rank, pos, it->second.newId});
            std::push_heap(queue.begin(), queue.end());
        }
    };
    for (int32_t p = 0; p + 1 < static_cast<int32_t>(symbols.size()); ++p) {
        pushPair(p);
    }
    while (!queue.empty()) {
        std::pop_heap(queue.begin(), queue.end());
        const Candidate top = queue.back();
        queue.pop_back();
        Symbol& left = symbols[static_cast<std::size_t>(top.pos)];
        if (!left.alive || left.next < 0) {
            continue;
        }
        Symbol& right = symbols[static_cast<std::size_t>(left.next)];
        auto it = m_merges.find(pairKey(left.id, right.id));
        if (it == m_merges.end() || it->second.newId != top.newId) {
            continue; // stale entry: one side was merged since it was queued
        }
        left.id = top.newId;
        right.alive = false;
        left.next = right.next;
        if (right.next >= 0) {
            symbols[static_cast<std::size_t>(right.next)].prev = top.pos;
        }
        if (left.prev >= 0) {
            pushPair(left.prev);
        }
        pushPair(top.pos);
    }
    for (int32_t p = 0; p >= 0; p = symbols[static_cast<std::size_t>(p)].next) {
        out.push_back(symbols[static_cast<std::size_t>(p)].id);
    }
}

} // namespace td::tok
