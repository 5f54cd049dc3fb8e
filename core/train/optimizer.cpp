// SPDX-License-Identifier: Apache-2.0
// AdamW and SGD as torch.optim (1.13, single-tensor path) computes them, op for op, so a run reproduces
// PyTorch's numbers; plus fp32 master copies for 16-bit parameters and torch's clip_grad_norm_.
#include "core/train/optimizer.h"

#include <cmath>
#include <set>

#include <ATen/ATen.h>

namespace td::train
{

namespace
{

/// Per-parameter state, shaped like the parameter: fp32 for 16-bit and fp32 parameters, else their dtype.
struct ParamState
{
    std::int64_t step = 0; ///< updates this parameter received (torch keeps one per parameter)
    at::Tensor expAvg;     ///< AdamW m
    at::Tensor expAvgSq;   ///< AdamW v
    at::Tensor momentum;   ///< SGD momentum buffer
    at::Tensor master;     ///< fp32 copy of a 16-bit parameter (undefined for fp32 parameters)
};

bool is16Bit(const at::Tensor& t)
{
    return t.scalar_type() == at::kBFloat16 || t.scalar_type() == at::kHalf;
}

at::Tensor scalarInt(std::int64_t v)
{
    return at::scalar_tensor(v, at::TensorOptions().dtype(at::kLong));
}

/// Common machinery: state per parameter, master weights, state-dict naming.
class StatefulOptimizer : public Optimizer
{
public:
    explicit StatefulOptimizer(std::vector<ParamGroup> groups) : Optimizer(std::move(groups))
    {
        m_state.resize(m_groups.size());
        for (std::size_t g = 0; g < m_groups.size(); ++g) {
            m_state[g].resize(m_groups[g].params.size());
        }
    }

    void step(double lr) override
    {
        at::NoGradGuard noGrad;
        ++m_steps;
        for (std::size_t g = 0; g < m_groups.size(); ++g) {
            const ParamGroup& group = m_groups[g];
            const double groupLr = lr * group.lrScale;
            for (std::size_t i = 0; i < group.params.size(); ++i) {
                const at::Tensor& p = group.params[i].second;
                const at::Tensor& grad = p.grad();
                if (!grad.defined()) {
                    continue;
                }
                ParamState& s = m_state[g][i];
                const bool needsMaster = is16Bit(p);
                if (needsMaster && !s.master.defined()) {
                    s.master = p.detach().to(at::kFloat).clone();
                }
                at::Tensor target = needsMaster ? s.master : p.detach();
                // The update runs in the target's precision (fp32 for masters; fp64 stays fp64 for tests).
                const at::Tensor g = grad.scalar_type() == target.scalar_type() ? grad.detach()
                                                                                 : grad.detach().to(target.scalar_type());
                ++s.step;
                update(target, g, s, groupLr, group.weightDecay);
                if (needsMaster) {
                    p.detach().copy_(s.master); // rounds once per step; the master keeps the small updates
                }
            }
        }
    }

    std::map<std::string, at::Tensor> stateDict() const override
    {
        std::map<std::string, at::Tensor> out;
        out["step"] = scalarInt(m_steps);
        for (std::size_t g = 0; g < m_groups.size(); ++g) {
            for (std::size_t i = 0; i < m_groups[g].params.size(); ++i) {
                const std::string& name = m_groups[g].params[i].first;
                const ParamState& s = m_state[g][i];
                if (s.step == 0) {
                    continue;
                }
                out["step." + name] = scalarInt(s.step);
                for (const auto& [kind, t] : tensorsOf(s)) {
                    if (t->defined()) {
                        out[std::string(kind) + "." + name] = *t;
                    }
                }
            }
        }
        return out;
    }

    Status loadStateDict(const std::map<std::string, at::Tensor>& state) override
    {
        auto bad = [](const std::string& what) {
            return makeError(ErrorCode::BadCheckpoint, "optimizer state: " + what,
                             "the checkpoint was written for other trainable parameters or another optimizer");
        };
        auto stepIt = state.find("step");
        if (stepIt == state.end() || stepIt->second.numel() != 1) {
            return bad("no 'step' entry");
        }
        const std::int64_t globalStep = stepIt->second.to(at::kLong).item<std::int64_t>();
        std::set<std::string> used = {"step"};
        std::vector<std::vector<ParamState>> loaded(m_groups.size());
        for (std::size_t g = 0; g < m_groups.size(); ++g) {
            loaded[g].resize(m_groups[g].params.size());
            for (std::size_t i = 0; i < m_groups[g].params.size(); ++i) {
                const auto& [name, p] = m_groups[g].params[i];
                ParamState& s = loaded[g][i];
                auto it = state.find("step." + name);
                if (it == state.end()) {
                    if (globalStep > 0) {
                        return bad("missing 'step." + name + "'");
                    }
                    continue;
                }
                used.insert(it->first);
                s.step = it->second.to(at::kLong).item<std::int64_t>();
                for (const auto& [kind, t] : tensorsOf(s)) {
                    const std::string key = std::string(kind) + "." + name;
                    auto e = state.find(key);
                    const bool required = isRequired(kind) || (std::string(kind) == "master" && is16Bit(p));
                    if (e == state.end()) {
                        if (required) {
                            return bad("missing '" + key + "'");
                        }
                        continue;
                    }
                    if (e->second.sizes() != p.sizes()) {
                        return bad("'" + key + "' has shape " + c10::str(e->second.sizes()) + ", the parameter " +
                                   c10::str(p.sizes()));
                    }
                    used.insert(key);
                    const auto dtype = is16Bit(p) ? at::kFloat : p.scalar_type(); // state lives in the update precision
                    *t = e->second.to(p.device(), dtype).clone();
                }
            }
        }
        for (const auto& [key, t] : state) {
            if (!used.count(key)) {
                return bad("'" + key + "' matches no trainable parameter of this optimizer");
            }
        }
        m_state = std::move(loaded);
        m_steps = globalStep;
        // Masters are authoritative: the parameters restart from the saved fp32 values.
        at::NoGradGuard noGrad;
        for (std::size_t g = 0; g < m_groups.size(); ++g) {
            for (std::size_t i = 0; i < m_groups[g].params.size(); ++i) {
                if (m_state[g][i].master.defined()) {
                    m_groups[g].params[i].second.detach().copy_(m_state[g][i].master);
                }
            }
        }
        return {};
    }

protected:
    virtual void update(at::Tensor& p, const at::Tensor& g, ParamState& s, double lr, double wd) = 0;
    virtual bool isRequired(std::string_view kind) const = 0;

    static std::vector<std::pair<const char*, at::Tensor*>> tensorsOf(ParamState& s)
    {
        return {{"exp_avg", &s.expAvg}, {"exp_avg_sq", &s.expAvgSq}, {"momentum_buffer", &s.momentum}, {"master", &s.master}};
    }
    static std::vector<std::pair<const char*, const at::Tensor*>> tensorsOf(const ParamState& s)
    {
        return {{"exp_avg", &s.expAvg}, {"exp_avg_sq", &s.expAvgSq}, {"momentum_buffer", &s.momentum}, {"master", &s.master}};
    }

    std::vector<std::vector<ParamState>> m_state; ///< [group][param]
};

/// torch.optim.AdamW (_single_tensor_adamw, amsgrad off), same operation order.
class AdamW final : public StatefulOptimizer
{
public:
    AdamW(std::vector<ParamGroup> groups, const OptimizerOptions& o)
        : StatefulOptimizer(std::move(groups)), m_b1(o.beta1), m_b2(o.beta2), m_eps(o.eps)
    {
    }

private:
    void update(at::Tensor& p, const at::Tensor& g, ParamState& s, double lr, double wd) override
    {
        if (!s.expAvg.defined()) {
            s.expAvg = at::zeros_like(p);
            s.expAvgSq = at::zeros_like(p);
        }
        if (wd != 0.0) {
            p.mul_(1.0 - lr * wd); // decoupled weight decay, before the moment update as torch does
        }
        s.expAvg.mul_(m_b1).add_(g, 1.0 - m_b1);
        s.expAvgSq.mul_(m_b2).addcmul_(g, g, 1.0 - m_b2);
        const auto t = static_cast<double>(s.step);
        const double bc1 = 1.0 - std::pow(m_b1, t);
        const double bc2 = 1.0 - std::pow(m_b2, t);
        const double stepSize = lr / bc1;
        at::Tensor denom = (s.expAvgSq.sqrt() / std::sqrt(bc2)).add_(m_eps);
        p.addcdiv_(s.expAvg, denom, -stepSize);
    }

    bool isRequired(std::string_view kind) const override { return kind == "exp_avg" || kind == "exp_avg_sq"; }

    double m_b1, m_b2, m_eps;
};

/// torch.optim.SGD (dampening 0, no nesterov); weight decay is coupled (added to the gradient) as in torch.
class Sgd final : public StatefulOptimizer
{
public:
    Sgd(std::vector<ParamGroup> groups, const OptimizerOptions& o)
        : StatefulOptimizer(std::move(groups)), m_momentum(o.momentum)
    {
    }

private:
    void update(at::Tensor& p, const at::Tensor& g, ParamState& s, double lr, double wd) override
    {
        at::Tensor d = wd != 0.0 ? g.add(p, wd) : g;
        if (m_momentum != 0.0) {
            if (!s.momentum.defined()) {
                s.momentum = d.clone();
            } else {
                s.momentum.mul_(m_momentum).add_(d, 1.0);
            }
            d = s.momentum;
        }
        p.add_(d, -lr);
    }

    bool isRequired(std::string_view kind) const override { return kind == "momentum_buffer" && m_momentum != 0.0; }

    double m_momentum;
};

} // namespace

void Optimizer::zeroGrad()
{
    for (auto& group : m_groups) {
        for (auto& [name, p] : group.params) {
            if (p.grad().defined()) {
                p.mutable_grad() = at::Tensor();
            }
        }
    }
}

Expected<std::unique_ptr<Optimizer>> makeOptimizer(std::vector<ParamGroup> groups, const OptimizerOptions& options)
{
    const std::string& k = options.kind;
    if (k == "adamw" || k == "adamw_torch" || k == "adamw_torch_fused" || k == "adamw_hf") {
        return std::unique_ptr<Optimizer>(std::make_unique<AdamW>(std::move(groups), options));
    }
    if (k == "sgd") {
        return std::unique_ptr<Optimizer>(std::make_unique<Sgd>(std::move(groups), options));
    }
    return makeError(ErrorCode::InvalidArgument, "unknown optimizer '" + k + "'",
                     "choose one of: adamw (adamw_torch, adamw_torch_fused, adamw_hf), sgd");
}

double clipGradNorm(const std::vector<ParamGroup>& groups, double maxNorm)
{
    at::NoGradGuard noGrad;
    std::vector<at::Tensor> grads;
    std::vector<at::Tensor> norms;
    for (const auto& group : groups) {
        for (const auto& [name, p] : group.params) {
            if (p.grad().defined()) {
                grads.push_back(p.grad());
                norms.push_back(at::linalg_vector_norm(p.grad().detach().to(at::kFloat), 2, c10::nullopt, false, c10::nullopt));
            }
        }
    }
    if (grads.empty()) {
        return 0.0;
    }
    // torch: total = ||stack(per-tensor norms)||, coef = clamp(max / (total + 1e-6), max=1), all in fp32.
    at::Tensor total = at::linalg_vector_norm(at::stack(norms), 2, c10::nullopt, false, c10::nullopt);
    if (maxNorm > 0.0) {
        at::Tensor coef = at::clamp_max(at::reciprocal(total + 1e-6) * maxNorm, 1.0); // torch's __rtruediv__
        if (coef.item<float>() < 1.0f) { // multiplying by exactly 1 changes nothing
            for (auto& g : grads) {
                g.detach().mul_(coef.to(g.device()));
            }
        }
    }
    return total.item<double>();
}

} // namespace td::train
