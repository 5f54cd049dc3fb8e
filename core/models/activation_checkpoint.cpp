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
    bool autocast = false;
    c10::ScalarType autocastDtype = at::kBFloat16;
};

at::Tensor cpuRngState()
{
    at::Generator gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    return gen.get_state();
}

void setCpuRngState(const at::Tensor& state)
{
    at::Generator gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(state);
}

struct CheckpointFn : public torch::autograd::Function<CheckpointFn>
{
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, c10::intrusive_ptr<Thunk> thunk)
    {
        thunk->rngState = cpuRngState();
        thunk->autocast = compat::cpuAutocastEnabled();
        thunk->autocastDtype = at::autocast::get_autocast_cpu_dtype();
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
        at::Tensor y;
        {
            at::AutoGradMode grad(true);
            const bool acBefore = compat::cpuAutocastEnabled();
            compat::setCpuAutocast(thunk->autocast, thunk->autocastDtype);
            y = thunk->fn(x);
            compat::setCpuAutocast(acBefore, thunk->autocastDtype);
        }
        setCpuRngState(rngNow);
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
