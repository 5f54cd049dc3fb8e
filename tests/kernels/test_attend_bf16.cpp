// SPDX-License-Identifier: Apache-2.0
// Validator of kernels/cpu/attend_bf16 against its scalar reference and against the eager ATen graph of
// AttentionImpl (matmul, scale, float softmax, cast, matmul) for one query: GQA, head_dim 32/64/128, key
// counts 1..70, and a cache whose capacity exceeds the valid keys.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "kernels/cpu/attend_bf16.h"
#include "kernels/cpu/gemv_bf16.h"

namespace
{

using u16 = std::uint16_t;

TEST(AttendBf16, MatchesReferenceAndEagerGraph)
{
    if (!td::kernels::hasAvx512Bf16()) {
        GTEST_SKIP() << "this CPU has no AVX512-BF16";
    }
    at::manual_seed(0);
    struct Case
    {
        std::int64_t heads, kvHeads, d, count, capacity;
    };
    for (const Case c : {Case{9, 3, 64, 1, 4}, Case{9, 3, 64, 70, 96}, Case{4, 4, 32, 17, 17}, Case{8, 2, 128, 33, 40}}) {
        at::Tensor q = at::randn({c.heads, c.d}).to(at::kBFloat16);
        at::Tensor k = at::randn({c.kvHeads, c.capacity, c.d}).to(at::kBFloat16);
        at::Tensor v = at::randn({c.kvHeads, c.capacity, c.d}).to(at::kBFloat16);
        at::Tensor got = at::empty({c.heads, c.d}, at::kBFloat16);
        at::Tensor ref = at::empty({c.heads, c.d}, at::kBFloat16);
        std::vector<float> scratch(static_cast<std::size_t>(c.count));
        td::kernels::AttendArgs a;
        a.q = static_cast<const u16*>(q.data_ptr());
        a.k = static_cast<const u16*>(k.data_ptr());
        a.v = static_cast<const u16*>(v.data_ptr());
        a.heads = c.heads;
        a.kvHeads = c.kvHeads;
        a.headDim = c.d;
        a.capacity = c.capacity;
        a.count = c.count;
        a.scale = 1.0f / std::sqrt(static_cast<float>(c.d));
        a.scratch = scratch.data();
        a.out = static_cast<u16*>(got.data_ptr());
        td::kernels::attendOneBf16(a, 0, c.heads);
        a.out = static_cast<u16*>(ref.data_ptr());
        td::kernels::attendOneBf16Reference(a, 0, c.heads);
        // Same rounding points, float sums in another order: at most a bf16 step apart.
        const double tol = 2e-2;
        EXPECT_LE((got.to(at::kFloat) - ref.to(at::kFloat)).abs().max().item<double>(), tol) << c.d << " " << c.count;

        // The eager graph: (Hkv, rep, D) @ (Hkv, D, S) in bf16, * scale, softmax in float32, cast, @ v.
        const auto rep = c.heads / c.kvHeads;
        at::Tensor kk = k.narrow(1, 0, c.count);
        at::Tensor vv = v.narrow(1, 0, c.count);
        at::Tensor scores = at::matmul(q.view({c.kvHeads, rep, c.d}), kk.transpose(1, 2)) * (1.0 / std::sqrt(double(c.d)));
        at::Tensor probs = at::softmax(scores, -1, at::kFloat).to(at::kBFloat16);
        at::Tensor eager = at::matmul(probs, vv).reshape({c.heads, c.d});
        EXPECT_LE((got.to(at::kFloat) - eager.to(at::kFloat)).abs().max().item<double>(), tol) << c.d << " " << c.count;
    }
}

} // namespace
