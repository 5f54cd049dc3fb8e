// SPDX-License-Identifier: Apache-2.0
#include "core/models/lora_switch.h"

#include "core/models/layers.h"
#include "core/models/lora.h"
#include "core/models/transformer.h"

namespace td::models
{

Expected<LoraSwitch> LoraSwitch::load(CausalLM& model, const std::filesystem::path& adapterDir)
{
    auto config = readLoraConfig(adapterDir);
    if (!config) {
        return tl::unexpected(config.error());
    }
    LoraSwitch out;
    {
        // The base values of the parameters modules_to_save will replace (loadLoraAdapter copies into them).
        at::NoGradGuard noGrad;
        for (const auto& item : model.named_parameters()) {
            const std::string& name = item.key();
            if (config->savesModule(name.substr(0, name.rfind('.')))) {
                out.m_swapped.push_back({item.value(), item.value().detach().clone()});
            }
        }
    }
    auto n = loadLoraAdapter(model, adapterDir);
    if (!n) {
        return tl::unexpected(n.error());
    }
    for (auto& [path, linear] : model.linears()) {
        if (const auto& lora = linear->lora()) {
            out.m_slots.push_back({linear, lora->aWeight, lora->bWeight, linear->magnitude, lora->scaling});
        }
    }
    return out;
}

void LoraSwitch::setEnabled(bool on)
{
    if (on == m_on) {
        return;
    }
    at::NoGradGuard noGrad;
    for (Slot& s : m_slots) {
        if (on) {
            s.linear->attachLora(s.a, s.b, s.scaling, s.magnitude, 0.0, s.a.scalar_type());
        } else {
            s.linear->detachLora();
        }
    }
    for (Swapped& s : m_swapped) {
        // Swap the storages: every holder of the parameter (tied weights included) sees the change, no copy.
        at::Tensor current = s.param.detach();
        s.param.set_data(s.other);
        s.other = current;
    }
    m_on = on;
}

} // namespace td::models
