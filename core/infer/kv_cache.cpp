// SPDX-License-Identifier: Apache-2.0
// KV cache: growing buffers for global layers, rings for sliding-window layers (see kv_cache.h).
#include "core/infer/kv_cache.h"

#include <cstring>

#include <ATen/ATen.h>

namespace td::infer
{

KvCache::KvCache(std::vector<std::int64_t> layerWindow)
{
    m_layers.resize(layerWindow.size());
    for (std::size_t i = 0; i < layerWindow.size(); ++i) {
        m_layers[i].window = layerWindow[i];
    }
}

void KvCache::reset()
{
    for (auto& l : m_layers) {
        l.k = at::Tensor();
        l.v = at::Tensor();
        l.len = l.next = 0;
        l.seq.clear();
    }
    m_length = 0;
}

std::int64_t KvCache::bytes() const
{
    std::int64_t n = 0;
    for (const auto& l : m_layers) {
        if (l.k.defined()) {
            n += 2 * l.k.numel() * static_cast<std::int64_t>(l.k.element_size());
        }
    }
    return n;
}

KvCache::View KvCache::update(std::size_t layer, const at::Tensor& k, const at::Tensor& v)
{
    Layer& l = m_layers[layer];
    const std::int64_t t = k.size(2);
    const std::int64_t cap = l.k.defined() ? l.k.size(2) : 0;
    if (l.window > 0 && l.len + t > l.window) {
        // Ring is (or becomes) full.
        if (t == 1 && l.len == l.window) {
            const std::int64_t slot = l.next;
            l.k.select(2, slot).copy_(k.select(2, 0));
            l.v.select(2, slot).copy_(v.select(2, 0));
            l.seq[static_cast<std::size_t>(slot)] = m_length;
            l.next = (l.next + 1) % l.window;
            return {l.k, l.v, &l.seq};
        }
        // A chunk that does not fit: attend old + new, then keep the newest `window` keys in order.
        std::vector<std::int64_t> oldSeq(l.seq.begin(), l.seq.begin() + l.len);
        at::Tensor allK = k;
        at::Tensor allV = v;
        if (l.len > 0) {
            at::Tensor oldK = l.k.narrow(2, 0, l.len);
            at::Tensor oldV = l.v.narrow(2, 0, l.len);
            if (l.next > 0) { // rotate so the oldest slot comes first
                oldK = at::cat({oldK.narrow(2, l.next, l.len - l.next), oldK.narrow(2, 0, l.next)}, 2);
                oldV = at::cat({oldV.narrow(2, l.next, l.len - l.next), oldV.narrow(2, 0, l.next)}, 2);
                std::rotate(oldSeq.begin(), oldSeq.begin() + l.next, oldSeq.end());
            }
            allK = at::cat({oldK, k}, 2);
            allV = at::cat({oldV, v}, 2);
        }
        l.tmpSeq = oldSeq;
        for (std::int64_t i = 0; i < t; ++i) {
            l.tmpSeq.push_back(m_length + i);
        }
        const std::int64_t total = allK.size(2);
        const std::int64_t keep = std::min(total, l.window);
        if (!l.k.defined() || cap < l.window || l.k.size(0) != k.size(0)) {
            auto shape = k.sizes().vec();
            shape[2] = l.window;
            l.k = at::empty(shape, k.options());
            l.v = at::empty(shape, v.options());
        }
        l.k.narrow(2, 0, keep).copy_(allK.narrow(2, total - keep, keep));
        l.v.narrow(2, 0, keep).copy_(allV.narrow(2, total - keep, keep));
        l.seq.assign(l.tmpSeq.end() - keep, l.tmpSeq.end());
        l.len = keep;
        l.next = 0;
        return {allK, allV, &l.tmpSeq};
    }
    if (l.len + t > cap) {
        std::int64_t want = std::max({l.len + t, 2 * cap, m_reserve});
        if (l.window > 0) {
            want = std::min(want, l.window);
        }
        auto shape = k.sizes().vec();
        shape[2] = want;
        at::Tensor nk = at::empty(shape, k.options());
        at::Tensor nv = at::empty(shape, v.options());
        if (l.len > 0) {
            nk.narrow(2, 0, l.len).copy_(l.k.narrow(2, 0, l.len));
            nv.narrow(2, 0, l.len).copy_(l.v.narrow(2, 0, l.len));
        }
        l.k = nk;
        l.v = nv;
    }
    l.k.narrow(2, l.len, t).copy_(k);
    l.v.narrow(2, l.len, t).copy_(v);
    for (std::int64_t i = 0; i < t; ++i) {
        l.seq.push_back(m_length + i);
    }
    l.len += t;
    return {l.k.narrow(2, 0, l.len), l.v.narrow(2, 0, l.len), &l.seq};
}

KvCache::RawView KvCache::appendOne(std::size_t layer, const void* k, const void* v, std::int64_t kvHeads,
                                    std::int64_t headDim, c10::ScalarType dtype)
{
    Layer& l = m_layers[layer];
    const std::int64_t cap = l.k.defined() ? l.k.size(2) : 0;
    std::int64_t slot = l.len;
    if (l.window > 0 && l.len == l.window) {
        slot = l.next; // full ring: overwrite the oldest key
        l.seq[static_cast<std::size_t>(slot)] = m_length;
        l.next = (l.next + 1) % l.window;
    } else {
        if (l.len + 1 > cap) {
            std::int64_t want = std::max({l.len + 1, 2 * cap, m_reserve});
            if (l.window > 0) {
                want = std::min(want, l.window);
            }
            const auto options = at::TensorOptions().dtype(dtype);
            at::Tensor nk = at::empty({1, kvHeads, want, headDim}, options);
            at::Tensor nv = at::empty({1, kvHeads, want, headDim}, options);
            if (l.len > 0) {
                nk.narrow(2, 0, l.len).copy_(l.k.narrow(2, 0, l.len));
                nv.narrow(2, 0, l.len).copy_(l.v.narrow(2, 0, l.len));
            }
            l.k = nk;
            l.v = nv;
        }
        l.seq.push_back(m_length);
        ++l.len;
    }
    const std::int64_t capacity = l.k.size(2);
    const std::size_t rowBytes = static_cast<std::size_t>(headDim) * c10::elementSize(dtype);
    auto* kb = static_cast<char*>(l.k.data_ptr());
    auto* vb = static_cast<char*>(l.v.data_ptr());
    for (std::int64_t h = 0; h < kvHeads; ++h) {
        const std::size_t at = static_cast<std::size_t>(h * capacity + slot) * rowBytes;
        std::memcpy(kb + at, static_cast<const char*>(k) + static_cast<std::size_t>(h) * rowBytes, rowBytes);
        std::memcpy(vb + at, static_cast<const char*>(v) + static_cast<std::size_t>(h) * rowBytes, rowBytes);
    }
    return {kb, vb, capacity, l.len};
}

} // namespace td::infer
