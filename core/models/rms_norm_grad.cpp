// SPDX-License-Identifier: Apache-2.0
// Backward of y = w * n, n = (x * r).to(dtype), r = rsqrt(mean(x^2) + eps), all statistics in fp32:
//   dw = sum_rows(dy * n)
//   dn = dy * w                      (fp32)
//   dx = r * (dn - xhat * mean(dn * xhat)),  xhat = x * r
#include "core/models/rms_norm_grad.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/custom_function.h>

namespace td::models
{

namespace
{

struct RmsNormFn : public torch::autograd::Function<RmsNormFn>
{
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, const at::Tensor& w, double eps)
    {
        const at::Tensor xf = x.to(at::kFloat);
        const at::Tensor r = at::rsqrt(xf.pow(2).mean({-1}, /*keepdim=*/true) + eps); // (..., 1)
        ctx->save_for_backward({x, w, r});
        return w * (xf * r).to(x.scalar_type());
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const at::Tensor& x = saved[0];
        const at::Tensor& w = saved[1];
        const at::Tensor& r = saved[2];
        const at::Tensor dy = grads[0];
        const at::Tensor xhat = x.to(at::kFloat) * r; // (..., C)
        at::Tensor dw;
        if (w.requires_grad()) {
            const at::Tensor n = xhat.to(x.scalar_type()).to(at::kFloat);
            dw = (dy.to(at::kFloat) * n).reshape({-1, x.size(-1)}).sum(0).to(w.scalar_type());
        }
        const at::Tensor dn = dy.to(at::kFloat) * w.to(at::kFloat);
        const at::Tensor dx = r * (dn - xhat * (dn * xhat).mean({-1}, /*keepdim=*/true));
        return {dx.to(x.scalar_type()), dw, at::Tensor()};
    }
};

} // namespace

at::Tensor rmsNormTrain(const at::Tensor& x, const at::Tensor& w, double eps)
{
    return RmsNormFn::apply(x, w, eps);
}

} // namespace td::models
