// SPDX-License-Identifier: Apache-2.0
// A loaded LoRA adapter that can be switched off and on without reloading anything (the Chat tab's base-vs-tuned
// comparison). Off: every LoRA layer is detached (its A, B, scaling and DoRA magnitude are kept here) and the
// weights the adapter's modules_to_save replaced get their base values back; on: the same tensors are attached
// again. The base weights exist once; the only copy is of the modules_to_save weights' base values (none for a
// plain LoRA adapter). Switching is cheap (no allocation beyond re-registering the adapter modules) and exact:
// off gives the base model's logits bit for bit, on the tuned model's.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include <ATen/core/Tensor.h>

#include "core/common/error.h"

namespace td::models
{

class CausalLM;
class LinearImpl;

class LoraSwitch
{
public:
    /// Loads the adapter folder into `model` (inference, like loadLoraAdapter) and keeps what switching it off
    /// needs. The switch starts on.
    static Expected<LoraSwitch> load(CausalLM& model, const std::filesystem::path& adapterDir);

    /// Not thread-safe: call it only where the model is used (the worker thread), between forward passes.
    void setEnabled(bool on);
    bool enabled() const { return m_on; }
    /// Number of LoRA layers (as loadLoraAdapter returned).
    std::int64_t layers() const { return std::int64_t(m_slots.size()); }
    /// Number of modules_to_save parameters swapped with their base values.
    std::int64_t savedModules() const { return std::int64_t(m_swapped.size()); }

private:
    struct Slot
    {
        std::shared_ptr<LinearImpl> linear;
        at::Tensor a, b, magnitude;
        double scaling = 1.0;
    };
    struct Swapped
    {
        at::Tensor param; ///< the model's parameter
        at::Tensor other; ///< the values it does not hold now (base while on, tuned while off)
    };
    std::vector<Slot> m_slots;
    std::vector<Swapped> m_swapped;
    bool m_on = true;
};

} // namespace td::models
