// SPDX-License-Identifier: Apache-2.0
// Error values and the exception boundary (guard.h): every exception type becomes the right ErrorCode.
#include <gtest/gtest.h>

#include <new>
#include <stdexcept>

#include <ATen/ATen.h>

#include "core/common/error.h"
#include "core/common/guard.h"

TEST(Error, ToStringAddsHintLine)
{
    const td::Error e{td::ErrorCode::FileNotFound, "config.json not found in /m", "pick the model folder"};
    EXPECT_EQ(e.toString(), "config.json not found in /m\nhint: pick the model folder");
    const td::Error noHint{td::ErrorCode::Io, "disk full", ""};
    EXPECT_EQ(noHint.toString(), "disk full");
}

TEST(Error, WithContextPrefixesPhase)
{
    const td::Error e{td::ErrorCode::BadCheckpoint, "tensor x truncated", "re-download"};
    const td::Error c = e.withContext("loading weights");
    EXPECT_EQ(c.message, "loading weights: tensor x truncated");
    EXPECT_EQ(c.hint, "re-download");
    EXPECT_EQ(c.code, td::ErrorCode::BadCheckpoint);
}

TEST(Error, CodeNamesAreStable)
{
    EXPECT_STREQ(td::errorCodeName(td::ErrorCode::UnsupportedArchitecture), "UnsupportedArchitecture");
    EXPECT_STREQ(td::errorCodeName(td::ErrorCode::Cancelled), "Cancelled");
    EXPECT_STREQ(td::errorCodeName(td::ErrorCode::OutOfMemory), "OutOfMemory");
}

TEST(Guard, PassesValuesThrough)
{
    auto ok = td::guarded("phase", [] { return td::Status{}; });
    EXPECT_TRUE(ok.has_value());
    auto err = td::guarded("phase", []() -> td::Status { return td::makeError(td::ErrorCode::Io, "x"); });
    ASSERT_FALSE(err.has_value());
    EXPECT_EQ(err.error().message, "x"); // a returned error is not re-wrapped
}

TEST(Guard, TorchErrorBecomesBackend)
{
    auto st = td::guarded("forward", []() -> td::Status {
        // Shape mismatch: torch throws c10::Error.
        (void)at::matmul(at::ones({2, 3}), at::ones({2, 3}));
        return {};
    });
    ASSERT_FALSE(st.has_value());
    EXPECT_EQ(st.error().code, td::ErrorCode::Backend);
    EXPECT_EQ(st.error().message.rfind("forward: ", 0), 0u) << st.error().message;
    EXPECT_NE(st.error().message.find("cannot be multiplied"), std::string::npos) << st.error().message;
}

TEST(Guard, BadAllocBecomesOutOfMemoryWithHint)
{
    auto st = td::guarded("train", []() -> td::Status { throw std::bad_alloc(); });
    ASSERT_FALSE(st.has_value());
    EXPECT_EQ(st.error().code, td::ErrorCode::OutOfMemory);
    EXPECT_FALSE(st.error().hint.empty());
}

TEST(Guard, TorchOutOfMemoryIsRecognised)
{
    auto st = td::guarded("alloc", []() -> td::Status {
        throw c10::OutOfMemoryError({__func__, __FILE__, uint32_t(__LINE__)}, "CPU out of memory: tried 1 TB");
    });
    ASSERT_FALSE(st.has_value());
    EXPECT_EQ(st.error().code, td::ErrorCode::OutOfMemory);
}

TEST(Guard, OtherExceptionsBecomeInternal)
{
    auto st = td::guarded("", []() -> td::Status { throw std::runtime_error("boom"); });
    ASSERT_FALSE(st.has_value());
    EXPECT_EQ(st.error().code, td::ErrorCode::Internal);
    EXPECT_EQ(st.error().message, "boom");
    auto unknown = td::guarded("", []() -> td::Status { throw 42; });
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, td::ErrorCode::Internal);
}
