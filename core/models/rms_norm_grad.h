// SPDX-License-Identifier: Apache-2.0
// RMSNorm for training: the same forward as NormImpl's (HF: x/rms(x) in fp32, rounded to x's dtype, times w)
// but as one autograd node that saves only x and the per-row 1/rms, instead of the four fp32 intermediates
// (x.float(), x^2, x*rstd, ...) that the elementwise graph keeps for backward — about 10 MB per norm for a
// (4 x 256, 576) batch, 600 MB over SmolLM2's 61 norms.
#pragma once

#include <ATen/core/Tensor.h>

namespace td::models
{

/// x (..., C) any float dtype, w (C) → w * (x * rsqrt(mean(x^2) + eps)).to(x.dtype), differentiable in x and w.
at::Tensor rmsNormTrain(const at::Tensor& x, const at::Tensor& w, double eps);

} // namespace td::models
