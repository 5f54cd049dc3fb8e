// SPDX-License-Identifier: Apache-2.0
// Validator of kernels/cpu/gemv_bf16 against its scalar reference and against at::linear, including odd row
// counts and column counts that are not multiples of 32; and the engine's dispatch (linearForward).
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "core/models/layers.h"
#include "kernels/cpu/gemv_bf16.h"

namespace
{

TEST(GemvBf16, MatchesReference)
{
    if (!td::kernels::hasAvx512Bf16()) {
        GTEST_SKIP() << "this CPU has no AVX512-BF16";
    }
    at::manual_seed(0);
    for (auto [rows, cols] : {std::pair<std::int64_t, std::int64_t>{1, 32}, {13, 64}, {37, 100}, {256, 576}, {9, 7}}) {
        at::Tensor w = at::randn({rows, cols}).to(at::kBFloat16);
        at::Tensor x = at::randn({cols}).to(at::kBFloat16);
        at::Tensor got = at::empty({rows});
        at::Tensor ref = at::empty({rows});
        const auto* wp = static_cast<const std::uint16_t*>(w.data_ptr());
        const auto* xp = static_cast<const std::uint16_t*>(x.data_ptr());
        td::kernels::GemvOut outGot;
        outGot.y = got.data_ptr<float>();
        td::kernels::GemvOut outRef;
        outRef.y = ref.data_ptr<float>();
        td::kernels::gemvBf16Rows(wp, xp, outGot, 0, rows, cols);
        td::kernels::gemvBf16Reference(wp, xp, outRef, 0, rows, cols);
        // Same products, different summation order: float32 rounding only.
        EXPECT_TRUE(at::allclose(got, ref, 1e-4, 1e-4)) << rows << "x" << cols;
        at::Tensor lin = at::linear(x.to(at::kFloat), w.to(at::kFloat));
        EXPECT_TRUE(at::allclose(got, lin, 1e-4, 1e-4)) << rows << "x" << cols;
    }
}

TEST(GemvBf16, Bf16OutputWithBiasRoundsLikeTorch)
{
    if (!td::kernels::hasAvx512Bf16()) {
        GTEST_SKIP() << "this CPU has no AVX512-BF16";
    }
    at::Tensor f = at::randn({1000}) * 100;
    at::Tensor viaTorch = f.to(at::kBFloat16);
    const float* fp = f.data_ptr<float>();
    const auto* tp = static_cast<const std::uint16_t*>(viaTorch.data_ptr());
    for (int i = 0; i < 1000; ++i) {
        ASSERT_EQ(td::kernels::floatToBf16(fp[i]), tp[i]) << fp[i];
    }
    at::Tensor w = at::randn({33, 70}).to(at::kBFloat16);
    at::Tensor x = at::randn({70}).to(at::kBFloat16);
    at::Tensor b = at::randn({33}).to(at::kBFloat16);
    at::Tensor got = at::empty({33}, at::kBFloat16);
    at::Tensor ref = at::empty({33});
    td::kernels::GemvOut o;
    o.yBf16 = static_cast<std::uint16_t*>(got.data_ptr());
    o.bias = static_cast<const std::uint16_t*>(b.data_ptr());
    td::kernels::gemvBf16Rows(static_cast<const std::uint16_t*>(w.data_ptr()), static_cast<const std::uint16_t*>(x.data_ptr()),
                              o, 0, 33, 70);
    td::kernels::GemvOut r;
    r.y = ref.data_ptr<float>();
    r.bias = o.bias;
    td::kernels::gemvBf16Reference(static_cast<const std::uint16_t*>(w.data_ptr()), static_cast<const std::uint16_t*>(x.data_ptr()),
                                   r, 0, 33, 70);
    EXPECT_TRUE(at::allclose(got.to(at::kFloat), ref.to(at::kBFloat16).to(at::kFloat), 1e-2, 1e-2));
}

TEST(GemvBf16, EngineDispatchMatchesAtLinear)
{
    at::manual_seed(1);
    at::Tensor w = at::randn({100, 64}).to(at::kBFloat16);
    at::Tensor b = at::randn({100}).to(at::kBFloat16);
    at::Tensor x = at::randn({1, 1, 64}).to(at::kBFloat16);
    at::NoGradGuard ng;
    at::Tensor got = td::models::linearForward(x, w, b);
    EXPECT_EQ(got.sizes(), (at::IntArrayRef{1, 1, 100}));
    EXPECT_EQ(got.scalar_type(), at::kBFloat16);
    at::Tensor ref = at::linear(x.to(at::kFloat), w.to(at::kFloat), b.to(at::kFloat));
    EXPECT_TRUE(at::allclose(got.to(at::kFloat), ref, 1e-2, 1e-2));
}

} // namespace
