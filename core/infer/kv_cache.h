// SPDX-License-Identifier: Apache-2.0
// Key/value cache for incremental decoding. Global-attention layers keep every key in a buffer that grows
// (reserve() once for prompt + max_new_tokens to avoid copies). Sliding-window layers keep a ring of
// `window` slots: a new key overwrites the oldest only once its position is >= window, so query i always
// sees keys i-window < j <= i (this is what HF's no-cache path computes; transformers 4.47's HybridCache
// evicted one key too early, huggingface/transformers#37574). Each slot remembers the sequence index of
// its key, so the attention mask is built from slot indices and slot order does not matter.
#pragma once

#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

namespace td::infer
{

class KvCache
{
public:
    /// layerWindow: per layer sliding window (0 = global attention).
    explicit KvCache(std::vector<std::int64_t> layerWindow);

    /// Capacity hint for global layers (tokens), e.g. prompt length + max_new_tokens.
    void reserve(std::int64_t tokens) { m_reserve = tokens; }
    /// Sequence index of the next token = number of tokens processed so far.
    std::int64_t length() const { return m_length; }
    std::size_t numLayers() const { return m_layers.size(); }
    std::int64_t window(std::size_t layer) const { return m_layers[layer].window; }

    struct View
    {
        at::Tensor k;                        ///< (B, Hkv, S, D) keys to attend (cached + new)
        at::Tensor v;                        ///< (B, Hkv, S, D)
        const std::vector<std::int64_t>* seq; ///< (S) sequence index of every key
    };
    /// Stores the new keys/values of one layer for positions length() .. length()+T-1 and returns what the
    /// T new queries attend. k, v: (B, Hkv, T, D).
    View update(std::size_t layer, const at::Tensor& k, const at::Tensor& v);
    /// One new token for batch 1 without tensor ops (the fast decode path, core/models/fast_decode): copies
    /// k and v, each (Hkv, D) contiguous of `dtype`, into the layer's buffers (growing or wrapping the ring as
    /// update() does) and returns where the keys to attend now live: element (h, s, d) of K is at
    /// k + ((h * capacity) + s) * D, for s < count. Slot order is irrelevant to one query (no mask).
    struct RawView
    {
        const void* k = nullptr;
        const void* v = nullptr;
        std::int64_t capacity = 0; ///< slots per head (row stride in tokens)
        std::int64_t count = 0;    ///< valid slots
    };
    RawView appendOne(std::size_t layer, const void* k, const void* v, std::int64_t kvHeads, std::int64_t headDim,
                      c10::ScalarType dtype);
    /// Called once per forward, after every layer has been updated with T tokens.
    void advance(std::int64_t tokens) { m_length += tokens; }
    void reset();
    /// Bytes held by the key/value buffers.
    std::int64_t bytes() const;

private:
    struct Layer
    {
        std::int64_t window = 0;
        at::Tensor k, v;                 ///< (B, Hkv, capacity, D)
        std::int64_t len = 0;            ///< valid slots
        std::int64_t next = 0;           ///< ring: slot of the oldest key once full
        std::vector<std::int64_t> seq;   ///< per valid slot
        std::vector<std::int64_t> tmpSeq; ///< for the overflow path (chunk larger than the free ring)
    };
    std::vector<Layer> m_layers;
    std::int64_t m_length = 0;
    std::int64_t m_reserve = 0;
};

} // namespace td::infer
