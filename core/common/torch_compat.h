// SPDX-License-Identifier: Apache-2.0
// The one place where libtorch versions differ. CI builds against Debian's libtorch 1.13.1 (CPU); release
// builds use upstream libtorch 2.x (CUDA). Every version check in the project goes through this header.
// Include only from engine .cpp files (it pulls ATen headers).
#pragma once

#include <ATen/Context.h>
#include <ATen/autocast_mode.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/core/ScalarType.h>
#include <c10/util/Exception.h>
#include <torch/version.h>

#define TD_TORCH_AT_LEAST(major, minor)                                                                          \
    (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

namespace td::compat
{

/// Public fused attention (at::scaled_dot_product_attention) exists from 2.0; 1.13 only has a private one.
inline constexpr bool kHasPublicSdpa = TD_TORCH_AT_LEAST(2, 0);

inline bool isOutOfMemory(const c10::Error& e)
{
    // c10::OutOfMemoryError exists in 1.13 and 2.x; older CUDA builds threw a plain c10::Error whose text
    // starts with "CUDA out of memory".
    if (dynamic_cast<const c10::OutOfMemoryError*>(&e) != nullptr) {
        return true;
    }
    return std::string_view(e.what_without_backtrace()).find("out of memory") != std::string_view::npos;
}

/// Turns CPU autocast on/off with the given lower-precision dtype (bf16 is the fast CPU path).
inline void setCpuAutocast(bool enabled, c10::ScalarType dtype)
{
#if TD_TORCH_AT_LEAST(2, 4)
    at::autocast::set_autocast_enabled(at::kCPU, enabled);
    at::autocast::set_autocast_dtype(at::kCPU, dtype);
#else
    at::autocast::set_cpu_enabled(enabled);
    at::autocast::set_autocast_cpu_dtype(dtype);
#endif
}

inline bool cpuAutocastEnabled()
{
#if TD_TORCH_AT_LEAST(2, 4)
    return at::autocast::is_autocast_enabled(at::kCPU);
#else
    return at::autocast::is_cpu_enabled();
#endif
}

/// CUDA autocast (AMP) on/off with its lower-precision dtype (fp16 or bf16).
inline void setCudaAutocast(bool enabled, c10::ScalarType dtype)
{
#if TD_TORCH_AT_LEAST(2, 4)
    at::autocast::set_autocast_enabled(at::kCUDA, enabled);
    at::autocast::set_autocast_dtype(at::kCUDA, dtype);
#else
    at::autocast::set_enabled(enabled);
    at::autocast::set_autocast_gpu_dtype(dtype);
#endif
}

inline bool cudaAutocastEnabled()
{
#if TD_TORCH_AT_LEAST(2, 4)
    return at::autocast::is_autocast_enabled(at::kCUDA);
#else
    return at::autocast::is_enabled();
#endif
}

inline c10::ScalarType autocastDtype(c10::DeviceType device)
{
#if TD_TORCH_AT_LEAST(2, 4)
    return at::autocast::get_autocast_dtype(device == c10::DeviceType::CUDA ? at::kCUDA : at::kCPU);
#else
    return device == c10::DeviceType::CUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
#endif
}

/// Autocast for the device a model runs on.
inline void setAutocast(c10::DeviceType device, bool enabled, c10::ScalarType dtype)
{
    if (device == c10::DeviceType::CUDA) {
        setCudaAutocast(enabled, dtype);
    } else {
        setCpuAutocast(enabled, dtype);
    }
}

/// True when this libtorch has CUDA and at least one GPU is visible.
inline bool cudaAvailable()
{
    return at::hasCUDA() && at::detail::getCUDAHooks().getNumGPUs() > 0;
}

/// bf16 is fast on compute capability >= 8.0. The CUDA hooks expose no capability query in 1.13; their
/// "bf16 convolution with cuDNN v8" check is exactly `major >= 8` (and needs cuDNN, which CUDA builds ship).
inline bool cudaPrefersBf16()
{
    return cudaAvailable() && at::detail::getCUDAHooks().supportsBFloat16ConvolutionWithCuDNNv8();
}

} // namespace td::compat
