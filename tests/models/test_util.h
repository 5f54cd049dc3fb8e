// SPDX-License-Identifier: Apache-2.0
// Shared helpers of the model tests: fixture paths, tolerance checks with max-abs-diff reports.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include <ATen/ATen.h>
#include <gtest/gtest.h>

namespace td::test
{

/// The source tree (TD_SOURCE_DIR, set by td_add_test).
inline std::filesystem::path sourceDir()
{
    const char* src = std::getenv("TD_SOURCE_DIR");
    return std::filesystem::path(src ? src : ".");
}

inline std::filesystem::path modelFixture(const std::string& name)
{
    return sourceDir() / "tests" / "data" / "models" / name;
}

/// The demo model td_demo_model writes at build time (<build>/demo/model; TD_BINARY_DIR).
inline std::filesystem::path demoModel()
{
    const char* bin = std::getenv("TD_BINARY_DIR");
    return std::filesystem::path(bin ? bin : ".") / "demo" / "model";
}

/// An empty folder for one test under <build>/test-home/<area>/<name> (recreated on every call).
inline std::filesystem::path scratchDir(const std::string& area, const std::string& name)
{
    const char* bin = std::getenv("TD_BINARY_DIR");
    std::filesystem::path d = std::filesystem::path(bin ? bin : "/tmp") / "test-home" / area / name;
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

/// |got - ref| <= atol + rtol * |ref| elementwise; returns the max abs diff through `maxDiff`.
inline ::testing::AssertionResult allClose(const at::Tensor& got, const at::Tensor& ref, double atol, double rtol,
                                           double* maxDiff = nullptr)
{
    if (got.sizes() != ref.sizes()) {
        return ::testing::AssertionFailure() << "shape " << got.sizes() << " vs " << ref.sizes();
    }
    at::Tensor g = got.to(at::kDouble);
    at::Tensor r = ref.to(at::kDouble);
    at::Tensor diff = (g - r).abs();
    const double md = diff.max().item<double>();
    if (maxDiff) {
        *maxDiff = md;
    }
    const bool ok = (diff <= atol + rtol * r.abs()).all().item<bool>();
    if (!ok) {
        return ::testing::AssertionFailure() << "max abs diff " << md << " exceeds atol " << atol << " rtol " << rtol;
    }
    return ::testing::AssertionSuccess() << "max abs diff " << md;
}

} // namespace td::test
