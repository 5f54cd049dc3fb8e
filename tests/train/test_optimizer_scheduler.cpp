// SPDX-License-Identifier: Apache-2.0
// Schedules against hand-computed values of transformers.optimization's lambdas; AdamW / SGD against scalar
// references written from torch.optim's update rules; state-dict resume, clip_grad_norm_, fp32 masters; the
// shifted causal-LM loss against log_softmax by hand.
#include <cmath>
#include <numbers>

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "core/train/loss.h"
#include "core/train/optimizer.h"
#include "core/train/scheduler.h"

namespace
{

using td::train::Schedule;
using td::train::SchedulerKind;

constexpr double kPi = std::numbers::pi;

Schedule schedule(SchedulerKind kind, std::int64_t warmup, std::int64_t total, double lr = 1.0)
{
    Schedule s;
    s.kind = kind;
    s.baseLr = lr;
    s.warmupSteps = warmup;
    s.totalSteps = total;
    return s;
}

TEST(Scheduler, Linear)
{
    auto s = schedule(SchedulerKind::Linear, 10, 100);
    EXPECT_DOUBLE_EQ(s.lrAt(0), 0.0);
    EXPECT_DOUBLE_EQ(s.lrAt(5), 0.5);
    EXPECT_DOUBLE_EQ(s.lrAt(10), 1.0);
    EXPECT_DOUBLE_EQ(s.lrAt(55), 45.0 / 90.0);
    EXPECT_DOUBLE_EQ(s.lrAt(100), 0.0);
    EXPECT_DOUBLE_EQ(s.lrAt(130), 0.0);
    auto n = schedule(SchedulerKind::Linear, 0, 100, 2e-4);
    EXPECT_DOUBLE_EQ(n.lrAt(0), 2e-4);
    EXPECT_DOUBLE_EQ(n.lrAt(25), 2e-4 * 0.75);
}

TEST(Scheduler, Cosine)
{
    auto s = schedule(SchedulerKind::Cosine, 10, 110);
    EXPECT_DOUBLE_EQ(s.lrAt(3), 0.3);
    EXPECT_DOUBLE_EQ(s.lrAt(10), 1.0);
    EXPECT_NEAR(s.lrAt(35), 0.5 * (1.0 + std::cos(kPi * 0.25)), 1e-15); // progress 0.25
    EXPECT_NEAR(s.lrAt(60), 0.5, 1e-15);
    EXPECT_NEAR(s.lrAt(110), 0.0, 1e-15);
    // HF does not clamp the progress: past the end the half-cosine rises again.
    EXPECT_NEAR(s.lrAt(200), 0.5 * (1.0 + std::cos(kPi * 1.9)), 1e-15);
    auto n = schedule(SchedulerKind::Cosine, 0, 4, 1e-3);
    EXPECT_DOUBLE_EQ(n.lrAt(0), 1e-3);
    EXPECT_NEAR(n.lrAt(1), 1e-3 * 0.5 * (1.0 + std::cos(kPi * 0.25)), 1e-18);
}

TEST(Scheduler, CosineWithRestarts)
{
    auto s = schedule(SchedulerKind::CosineWithRestarts, 0, 100);
    s.cycles = 2;
    EXPECT_DOUBLE_EQ(s.lrAt(0), 1.0);
    EXPECT_NEAR(s.lrAt(25), 0.5, 1e-15);
    EXPECT_DOUBLE_EQ(s.lrAt(50), 1.0); // hard restart
    EXPECT_NEAR(s.lrAt(75), 0.5, 1e-15);
    EXPECT_DOUBLE_EQ(s.lrAt(100), 0.0);
    auto w = schedule(SchedulerKind::CosineWithRestarts, 20, 120);
    EXPECT_DOUBLE_EQ(w.lrAt(10), 0.5);
    EXPECT_NEAR(w.lrAt(70), 0.5 * (1.0 + std::cos(kPi * 0.5)), 1e-15); // 1 cycle: plain half cosine
}

TEST(Scheduler, Polynomial)
{
    auto s = schedule(SchedulerKind::Polynomial, 10, 110, 1e-3);
    EXPECT_DOUBLE_EQ(s.lrAt(5), 0.5e-3);
    EXPECT_NEAR(s.lrAt(10), 1e-3, 1e-18);
    EXPECT_NEAR(s.lrAt(60), (1e-3 - 1e-7) * 0.5 + 1e-7, 1e-18);
    EXPECT_NEAR(s.lrAt(110), 1e-7, 1e-20);
    EXPECT_NEAR(s.lrAt(500), 1e-7, 1e-20);
    s.polyPower = 2.0;
    EXPECT_NEAR(s.lrAt(60), (1e-3 - 1e-7) * 0.25 + 1e-7, 1e-18);
    auto n = schedule(SchedulerKind::Polynomial, 0, 4, 1e-3);
    EXPECT_NEAR(n.lrAt(0), 1e-3, 1e-18);
    EXPECT_NEAR(n.lrAt(1), (1e-3 - 1e-7) * 0.75 + 1e-7, 1e-18);
}

TEST(Scheduler, ConstantAndWarmup)
{
    auto c = schedule(SchedulerKind::Constant, 10, 100, 3e-5);
    EXPECT_DOUBLE_EQ(c.lrAt(0), 3e-5); // warmup ignored, as HF's get_constant_schedule does
    EXPECT_DOUBLE_EQ(c.lrAt(1000), 3e-5);
    auto w = schedule(SchedulerKind::ConstantWithWarmup, 4, 100);
    EXPECT_DOUBLE_EQ(w.lrAt(0), 0.0);
    EXPECT_DOUBLE_EQ(w.lrAt(1), 0.25);
    EXPECT_DOUBLE_EQ(w.lrAt(4), 1.0);
    EXPECT_DOUBLE_EQ(w.lrAt(99), 1.0);
    EXPECT_DOUBLE_EQ(schedule(SchedulerKind::ConstantWithWarmup, 0, 100).lrAt(0), 1.0);
}

TEST(Scheduler, InverseSqrt)
{
    auto s = schedule(SchedulerKind::InverseSqrt, 100, 1000);
    EXPECT_DOUBLE_EQ(s.lrAt(50), 0.5);
    EXPECT_DOUBLE_EQ(s.lrAt(100), 1.0);
    EXPECT_DOUBLE_EQ(s.lrAt(400), 0.5); // 1 / sqrt(400 / 100)
    auto n = schedule(SchedulerKind::InverseSqrt, 0, 1000); // timescale 10000, shift 10000
    EXPECT_DOUBLE_EQ(n.lrAt(0), 1.0);
    EXPECT_DOUBLE_EQ(n.lrAt(30000), 0.5);
}

TEST(Scheduler, NamesAndWarmupSteps)
{
    for (const char* name : {"linear", "cosine", "cosine_with_restarts", "polynomial", "constant",
                             "constant_with_warmup", "inverse_sqrt"}) {
        auto k = td::train::parseScheduler(name);
        ASSERT_TRUE(k) << name;
        EXPECT_STREQ(td::train::schedulerName(*k), name);
    }
    auto bad = td::train::parseScheduler("cosine_annealing");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().hint.find("inverse_sqrt"), std::string::npos);
    EXPECT_EQ(td::train::warmupSteps(0, 0.1, 95), 10); // ceil(9.5)
    EXPECT_EQ(td::train::warmupSteps(7, 0.1, 95), 7);
    EXPECT_EQ(td::train::warmupSteps(0, 0.0, 95), 0);
}

/// Deterministic gradient of parameter `i` at step `t`.
at::Tensor gradAt(const at::Tensor& p, int i, int t)
{
    return at::sin(at::arange(p.numel(), at::TensorOptions().dtype(at::kDouble)) * 0.7 + i + 1.3 * t)
        .to(p.scalar_type())
        .view(p.sizes());
}

TEST(Optimizer, AdamWMatchesScalarReference)
{
    at::Tensor p = at::tensor({0.5, -1.0, 2.0, 0.0}, at::TensorOptions().dtype(at::kDouble)).requires_grad_();
    td::train::ParamGroup g{{{"w", p}}, 0.5, 0.1};
    td::train::OptimizerOptions o;
    auto opt = td::train::makeOptimizer({g}, o);
    ASSERT_TRUE(opt);
    std::vector<double> ref = {0.5, -1.0, 2.0, 0.0}, m(4, 0.0), v(4, 0.0);
    const double baseLr = 1e-2, lr = baseLr * 0.5, wd = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    for (int t = 1; t <= 6; ++t) {
        p.mutable_grad() = gradAt(p, 0, t);
        for (int k = 0; k < 4; ++k) {
            const double gk = std::sin(0.7 * k + 1.3 * t);
            ref[k] *= 1.0 - lr * wd;
            m[k] = b1 * m[k] + (1 - b1) * gk;
            v[k] = b2 * v[k] + (1 - b2) * gk * gk;
            ref[k] -= lr / (1 - std::pow(b1, t)) * m[k] / (std::sqrt(v[k]) / std::sqrt(1 - std::pow(b2, t)) + eps);
        }
        (*opt)->step(baseLr);
        (*opt)->zeroGrad();
        EXPECT_FALSE(p.grad().defined());
    }
    for (int k = 0; k < 4; ++k) {
        EXPECT_NEAR(p[k].item<double>(), ref[k], 1e-14) << k;
    }
    EXPECT_EQ((*opt)->stepCount(), 6);
}

TEST(Optimizer, SgdMomentum)
{
    at::Tensor p = at::tensor({1.0, -2.0}, at::TensorOptions().dtype(at::kDouble)).requires_grad_();
    td::train::OptimizerOptions o;
    o.kind = "sgd";
    o.momentum = 0.9;
    auto opt = td::train::makeOptimizer({td::train::ParamGroup{{{"w", p}}, 1.0, 0.01}}, o);
    ASSERT_TRUE(opt);
    std::vector<double> ref = {1.0, -2.0}, buf(2, 0.0);
    for (int t = 1; t <= 5; ++t) {
        p.mutable_grad() = gradAt(p, 0, t);
        for (int k = 0; k < 2; ++k) {
            const double d = std::sin(0.7 * k + 1.3 * t) + 0.01 * ref[k]; // coupled weight decay
            buf[k] = t == 1 ? d : 0.9 * buf[k] + d;                        // torch: first buffer = d
            ref[k] -= 0.1 * buf[k];
        }
        (*opt)->step(0.1);
        (*opt)->zeroGrad();
    }
    EXPECT_NEAR(p[0].item<double>(), ref[0], 1e-14);
    EXPECT_NEAR(p[1].item<double>(), ref[1], 1e-14);
    EXPECT_FALSE(td::train::makeOptimizer({}, td::train::OptimizerOptions{"lion"}));
}

/// Runs `steps` updates of AdamW (or SGD) on these parameters, starting at step index `from`.
void run(td::train::Optimizer& opt, std::vector<at::Tensor>& params, int from, int steps)
{
    for (int t = from; t < from + steps; ++t) {
        for (std::size_t i = 0; i < params.size(); ++i) {
            params[i].mutable_grad() = gradAt(params[i], static_cast<int>(i), t);
        }
        opt.step(1e-2 * (1.0 - 0.1 * t)); // a changing lr, as a schedule gives
        opt.zeroGrad();
    }
}

std::vector<at::Tensor> freshParams()
{
    auto f32 = at::TensorOptions().dtype(at::kFloat);
    return {at::linspace(-1, 1, 6, f32).view({2, 3}).requires_grad_(),
            at::linspace(0.5, 1.5, 4, f32).to(at::kBFloat16).requires_grad_()};
}

td::train::ParamGroup groupOf(std::vector<at::Tensor>& p)
{
    return td::train::ParamGroup{{{"a.weight", p[0]}, {"b.weight", p[1]}}, 1.0, 0.05};
}

TEST(Optimizer, StateDictResumesExactly)
{
    for (const char* kind : {"adamw", "sgd"}) {
        td::train::OptimizerOptions o;
        o.kind = kind;
        o.momentum = 0.9;
        auto straight = freshParams();
        auto a = td::train::makeOptimizer({groupOf(straight)}, o);
        run(**a, straight, 0, 5);

        auto first = freshParams();
        auto b = td::train::makeOptimizer({groupOf(first)}, o);
        run(**b, first, 0, 3);
        auto state = (*b)->stateDict();
        EXPECT_EQ(state.at("step").item<std::int64_t>(), 3);
        EXPECT_TRUE(state.count("master.b.weight")) << "bf16 parameter keeps an fp32 master";
        EXPECT_FALSE(state.count("master.a.weight"));
        EXPECT_TRUE(state.count(std::string(kind) == std::string("adamw") ? "exp_avg_sq.a.weight" : "momentum_buffer.a.weight"));

        // A new process: parameters as saved in the checkpoint (bf16 rounded), a new optimizer, its state.
        std::vector<at::Tensor> resumed = {first[0].detach().clone().requires_grad_(),
                                           first[1].detach().clone().requires_grad_()};
        auto c = td::train::makeOptimizer({groupOf(resumed)}, o);
        ASSERT_TRUE((*c)->loadStateDict(state));
        EXPECT_EQ((*c)->stepCount(), 3);
        run(**c, resumed, 3, 2);
        EXPECT_TRUE(at::equal(resumed[0], straight[0])) << kind;
        EXPECT_TRUE(at::equal(resumed[1], straight[1])) << kind;

        auto broken = state;
        broken.erase(std::string(kind) == std::string("adamw") ? "exp_avg.a.weight" : "momentum_buffer.a.weight");
        auto d = td::train::makeOptimizer({groupOf(resumed)}, o);
        auto st = (*d)->loadStateDict(broken);
        ASSERT_FALSE(st);
        EXPECT_NE(st.error().message.find("a.weight"), std::string::npos) << st.error().message;
        auto extra = state;
        extra["exp_avg.c.weight"] = at::zeros({1});
        EXPECT_FALSE((*d)->loadStateDict(extra));
    }
}

TEST(Optimizer, ClipGradNorm)
{
    at::Tensor a = at::zeros({2}).requires_grad_();
    at::Tensor b = at::zeros({1}, at::TensorOptions().dtype(at::kBFloat16)).requires_grad_();
    a.mutable_grad() = at::tensor({3.0f, 4.0f});
    b.mutable_grad() = at::tensor({12.0f}).to(at::kBFloat16);
    std::vector<td::train::ParamGroup> groups = {{{{"a", a}}, 1.0, 0.0}, {{{"b", b}}, 1.0, 0.0}};
    EXPECT_NEAR(td::train::clipGradNorm(groups, 100.0), 13.0, 1e-5);
    EXPECT_FLOAT_EQ(a.grad()[1].item<float>(), 4.0f); // below max: unchanged
    EXPECT_NEAR(td::train::clipGradNorm(groups, 6.5), 13.0, 1e-5);
    const float coef = static_cast<float>(6.5 / (13.0 + 1e-6));
    EXPECT_NEAR(a.grad()[0].item<float>(), 3.0f * coef, 1e-6);
    EXPECT_NEAR(a.grad()[1].item<float>(), 4.0f * coef, 1e-6);
    EXPECT_NEAR(b.grad()[0].item<float>(), 6.0f, 0.05); // bf16
    EXPECT_NEAR(td::train::clipGradNorm(groups, 0.0), 6.5, 0.02); // 0: only measures
}

TEST(Optimizer, Bf16MasterKeepsTinyUpdates)
{
    for (const char* kind : {"sgd", "adamw"}) {
        at::Tensor p = at::ones({3}, at::TensorOptions().dtype(at::kBFloat16)).requires_grad_();
        td::train::OptimizerOptions o;
        o.kind = kind;
        auto opt = td::train::makeOptimizer({td::train::ParamGroup{{{"p", p}}, 1.0, 0.0}}, o);
        // SGD: +1e-4 per step; AdamW: ~lr per step with a constant gradient. Both far below bf16's 2^-7 spacing at 1.
        const double lr = std::string(kind) == "sgd" ? 1.0 : 1e-4;
        for (int t = 0; t < 100; ++t) {
            p.mutable_grad() = at::full({3}, -1e-4, at::TensorOptions().dtype(at::kBFloat16));
            (*opt)->step(lr);
        }
        auto state = (*opt)->stateDict();
        const float master = state.at("master.p")[0].item<float>();
        EXPECT_NEAR(master, 1.01f, 2e-4) << kind;
        EXPECT_EQ(p.scalar_type(), at::kBFloat16);
        EXPECT_FLOAT_EQ(p[0].item<float>(), at::scalar_tensor(master).to(at::kBFloat16).item<float>()) << kind;
        EXPECT_GT(p[0].item<float>(), 1.0f) << kind << ": a bf16 parameter alone would never move";
    }
}

TEST(Loss, ShiftedCrossEntropySumAndCount)
{
    at::manual_seed(3);
    at::Tensor logits = at::randn({2, 5, 7}).to(at::kBFloat16).to(at::kFloat).requires_grad_();
    at::Tensor labels = at::randint(0, 7, {2, 5}, at::TensorOptions().dtype(at::kLong));
    labels.index_put_({0, 1}, -100);
    labels.index_put_({1, 0}, -100); // position 0 is never a target anyway
    labels.index_put_({1, 4}, -100);
    auto loss = td::train::causalLmLossSum(logits.to(at::kBFloat16), labels);
    EXPECT_EQ(loss.tokens, 6); // 8 shifted targets minus 2 ignored
    EXPECT_EQ(loss.sum.scalar_type(), at::kFloat);
    at::Tensor lp = at::log_softmax(logits, -1);
    double ref = 0;
    at::Tensor perSeq = at::zeros({2}, at::kDouble);
    for (int b = 0; b < 2; ++b) {
        for (int t = 1; t < 5; ++t) {
            const auto y = labels[b][t].item<std::int64_t>();
            if (y != -100) {
                ref -= lp[b][t - 1][y].item<double>();
                perSeq[b] += lp[b][t - 1][y].item<double>();
            }
        }
    }
    EXPECT_NEAR(loss.sum.item<double>(), ref, 1e-4);
    loss.sum.backward();
    EXPECT_TRUE(logits.grad().defined());
    at::Tensor seq = td::train::sequenceLogProbs(logits, labels);
    ASSERT_EQ(seq.sizes(), at::IntArrayRef({2}));
    EXPECT_NEAR(seq[0].item<double>(), perSeq[0].item<double>(), 1e-5);
    EXPECT_NEAR(seq[1].item<double>(), perSeq[1].item<double>(), 1e-5);

    at::Tensor none = at::full({1, 4}, -100, at::TensorOptions().dtype(at::kLong));
    auto empty = td::train::causalLmLossSum(at::randn({1, 4, 7}).requires_grad_(), none);
    EXPECT_EQ(empty.tokens, 0);
    EXPECT_EQ(empty.sum.item<double>(), 0.0);
    empty.sum.backward(); // a prompt-only batch must not break the step
}

} // namespace
