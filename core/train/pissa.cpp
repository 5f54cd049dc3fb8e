// SPDX-License-Identifier: Apache-2.0
// PiSSA initialisation (PEFT LoraLayer.pissa_init): the adapter takes the top-r singular triplets of W and the
// base keeps the residual. Exact SVD (init_lora_weights="pissa") or the randomized one of torch.svd_lowrank
// (Halko, Martinsson & Tropp 2009, algorithms 4.4 + 5.1; "pissa_niter_<k>"), re-implemented with ATen.
#include <algorithm>
#include <tuple>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "core/train/finetune_setup.h"

namespace td::train
{

namespace
{

at::Tensor orthonormalBasis(const at::Tensor& x)
{
    return std::get<0>(at::linalg_qr(x, "reduced"));
}

/// torch.svd_lowrank(A, q, niter) without M: returns U (m, q), S (q), V (n, q) with A ≈ U diag(S) V^T.
std::tuple<at::Tensor, at::Tensor, at::Tensor> svdLowrank(const at::Tensor& w, std::int64_t q, std::int64_t niter,
                                                           std::uint64_t seed)
{
    const bool wide = w.size(0) < w.size(1);
    const at::Tensor a = wide ? w.t() : w; // tall: (m', n'), m' >= n'
    // get_approximate_basis: Q spans the range of A, refined by niter subspace (power) iterations with a
    // QR after every product to keep the columns orthonormal.
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    at::Tensor r = at::randn({a.size(1), q}, gen, at::TensorOptions().dtype(at::kFloat)).to(a.device()); // (n', q)
    at::Tensor basis = orthonormalBasis(at::matmul(a, r));                                                // (m', q)
    for (std::int64_t i = 0; i < niter; ++i) {
        basis = orthonormalBasis(at::matmul(a.t(), basis)); // (n', q)
        basis = orthonormalBasis(at::matmul(a, basis));     // (m', q)
    }
    // SVD of the small projection B = Q^T A (q, n'), lifted back: U = Q U_B.
    auto [ub, s, vh] = at::linalg_svd(at::matmul(basis.t(), a), /*full_matrices=*/false);
    at::Tensor u = at::matmul(basis, ub); // (m', q)
    at::Tensor v = vh.t();                // (n', q)
    if (wide) {
        std::swap(u, v);
    }
    return {u, s, v};
}

} // namespace

PissaInit pissaInit(const at::Tensor& weight, std::int64_t rank, double scaling, std::int64_t iters, std::uint64_t seed)
{
    at::NoGradGuard noGrad;
    TORCH_CHECK(weight.dim() == 2 && rank > 0 && rank <= std::min(weight.size(0), weight.size(1)),
                "pissaInit: rank ", rank, " does not fit a weight of shape ", weight.sizes());
    const at::Tensor w = weight.detach().to(at::kFloat); // (out, in)
    at::Tensor u, s, vh; // (out, r), (r), (r, in)
    if (iters < 0) {
        auto [uf, sf, vhf] = at::linalg_svd(w, /*full_matrices=*/false);
        u = uf.narrow(1, 0, rank);
        s = sf.narrow(0, 0, rank);
        vh = vhf.narrow(0, 0, rank);
    } else {
        auto [ul, sl, vl] = svdLowrank(w, rank, iters, seed);
        u = ul;
        s = sl;
        vh = vl.t();
    }
    // A = diag(sqrt(S_r / s)) Vh_r, B = U_r diag(sqrt(S_r / s)): s B A = U_r diag(S_r) Vh_r.
    const at::Tensor root = at::sqrt(s / scaling);  // (r)
    at::Tensor a = (root.unsqueeze(1) * vh).contiguous(); // (r, in)
    at::Tensor b = (u * root.unsqueeze(0)).contiguous();  // (out, r)
    at::Tensor residual = w - scaling * at::matmul(b, a); // (out, in)
    return {a, b, residual};
}

} // namespace td::train
