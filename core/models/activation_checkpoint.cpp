// SPDX-License-Identifier: Apache-2.0
#include "core/models/activation_checkpoint.h"

#include <mutex>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>

#include "core/common/torch_compat.h"

namespace td::models
{

namespace
{

/// What backward needs besides the input: the block, the RNG state and autocast setting of the forward.
struct Thunk : public torch::CustomClassHolder
{
    std::function<at::Tensor(const at::Tensor&)> fn;
    at::Tensor rngState;
    at::Tensor cudaRngState; ///< of the input's GPU, when the layer runs there
    bool cpuAutocast = false;
    bool cudaAutocast = false;
    c10::ScalarType cpuDtype = at::kBFloat16;
    c10::ScalarType cudaDtype = at::kHalf;
};

/// The default generator of a device: CPU, or the GPU a tensor lives on (dropout draws from it there).
at::Generator generatorFor(const c10::Device& device)
{
    return device.is_cuda() ? at::globalContext().defaultGenerator(device) : at::detail::getDefaultCPUGenerator();
}

at::Tensor rngState(const c10::Device& device)
{
    at::Generator gen = generatorFor(device);
    std::lock_guard<std::mutex> lock(gen.mutex());
    return gen.get_state();
}

void setRngState(const c10::Device& device, const at::Tensor& state)
{
    at::Generator gen = generatorFor(device);
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(state);
}

at::Tensor cpuRngState()
{
    return rngState(c10::Device(c10::kCPU));
}

void setCpuRngState(const at::Tensor& state)
{
    setRngState(c10::Device(c10::kCPU), state);
}

struct CheckpointFn : public torch::autograd::Function<CheckpointFn>
{
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, c10::intrusive_ptr<Thunk> thunk)
    {
        thunk->rngState = cpuRngState();
        if (x.is_cuda()) {
            thunk->cudaRngState = rngState(x.device());
        }
        thunk->cpuAutocast = compat::cpuAutocastEnabled();
        thunk->cudaAutocast = compat::cudaAutocastEnabled();
        thunk->cpuDtype = compat::autocastDtype(c10::DeviceType::CPU);
        thunk->cudaDtype = compat::autocastDtype(c10::DeviceType::CUDA);
        at::Tensor y;
        {
            at::NoGradGuard noGrad;
            y = thunk->fn(x);
        }
        ctx->save_for_backward({x});
        ctx->saved_data["thunk"] = c10::IValue::make_capsule(thunk);
        return y;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads)
    {
        const at::Tensor x0 = ctx->get_saved_variables()[0];
        auto thunk = c10::static_intrusive_pointer_cast<Thunk>(ctx->saved_data["thunk"].toCapsule());
        at::Tensor x = x0.detach().requires_grad_(true);
        const at::Tensor rngNow = cpuRngState();
        setCpuRngState(thunk->rngState);
        at::Tensor cudaRngNow;
        if (x0.is_cuda()) {
            cudaRngNow = rngState(x0.device());
            setRngState(x0.device(), thunk->cudaRngState);
        }
        at::Tensor y;
        {
            at::AutoGradMode grad(true);
            // Backward runs outside the training step's autocast scope: restore the forward's settings.
            const bool cpuBefore = compat::cpuAutocastEnabled();
            const bool cudaBefore = compat::cudaAutocastEnabled();
            compat::setCpuAutocast(thunk->cpuAutocast, thunk->cpuDtype);
            compat::setCudaAutocast(thunk->cudaAutocast, thunk->cudaDtype);
            y = thunk->fn(x);
            compat::setCpuAutocast(cpuBefore, thunk->cpuDtype);
            compat::setCudaAutocast(cudaBefore, thunk->cudaDtype);
        }
        setCpuRngState(rngNow);
        if (cudaRngNow.defined()) {
            setRngState(x0.device(), cudaRngNow);
        }
        // Accumulates into the block's parameters (.grad) and into x.
        torch::autograd::backward({y}, {grads[0]});
        return {x.grad(), at::Tensor()};
    }
};

} // namespace

at::Tensor checkpointed(const at::Tensor& x, std::function<at::Tensor(const at::Tensor&)> fn)
{
    auto thunk = c10::make_intrusive<Thunk>();
    thunk->fn = std::move(fn);
    return CheckpointFn::apply(x, thunk);
}

} // namespace td::models
