// SPDX-License-Identifier: Apache-2.0
// The engine's one precompiled header (TD_USE_PCH). It exists only to make torch affordable on 2 cores:
// <torch/nn/module.h> costs ~11 s per translation unit, ~1-2 s through this PCH. Regular headers never
// include torch beyond <ATen/core/Tensor.h>; this file is never included by hand.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
