// SPDX-License-Identifier: Apache-2.0
// safetensors reader/writer: round trip of every dtype, Python-compatible layout, sharded checkpoints, and
// bad input (truncated file, offsets past EOF, overlapping tensors, absurd header length, dtype x shape
// mismatch, missing shard) → a BadCheckpoint error naming the problem, never a crash.
#include <cstring>
#include <fstream>

#include <unistd.h>

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/tensor/safetensors.h"
#include "test_util.h"

namespace
{

namespace fs = std::filesystem;
using td::ErrorCode;

fs::path tempDir(const std::string& name)
{
    return td::test::scratchDir("safetensors", name);
}

// Writes a file with the given header JSON (unpadded) and `dataBytes` zero bytes of data.
void writeRaw(const fs::path& p, const std::string& header, std::size_t dataBytes, std::uint64_t lenOverride = 0)
{
    std::ofstream out(p, std::ios::binary);
    std::uint64_t n = lenOverride ? lenOverride : header.size();
    out.write(reinterpret_cast<const char*>(&n), 8);
    out << header;
    out << std::string(dataBytes, '\0');
}

td::Error openError(const fs::path& p)
{
    auto f = td::st::SafetensorsFile::open(p);
    EXPECT_FALSE(f) << "expected an error for " << p;
    return f ? td::Error{} : f.error();
}

TEST(Safetensors, RoundTripEveryDtype)
{
    const auto dir = tempDir("roundtrip");
    td::st::NamedTensors in = {
        {"b.f32", at::randn({3, 4})},
        {"a.bf16", at::randn({5}).to(at::kBFloat16)},
        {"c.f16", at::randn({2, 2}).to(at::kHalf)},
        {"d.i64", at::arange(7, at::kLong)},
        {"e.i32", at::arange(3, at::kInt)},
        {"f.u8", at::arange(4, at::kByte)},
        {"g.bool", at::ones({2}, at::kBool)},
        {"h.empty", at::empty({0, 3})},
        {"i.noncontig", at::randn({4, 3}).t()},
    };
    ASSERT_TRUE(td::st::save(dir / "x.safetensors", in, {{"format", "pt"}}));
    auto f = td::st::SafetensorsFile::open(dir / "x.safetensors");
    ASSERT_TRUE(f) << f.error().toString();
    EXPECT_EQ((*f)->metadata().at("format"), "pt");
    for (const auto& [name, t] : in) {
        auto got = (*f)->tensor(name);
        ASSERT_TRUE(got) << name;
        EXPECT_EQ(got->scalar_type(), t.scalar_type()) << name;
        EXPECT_TRUE(at::equal(*got, t.contiguous())) << name;
    }
    // Python-compatible layout: header length multiple of 8, keys sorted, offsets contiguous from 0.
    std::ifstream raw(dir / "x.safetensors", std::ios::binary);
    std::uint64_t n = 0;
    raw.read(reinterpret_cast<char*>(&n), 8);
    EXPECT_EQ(n % 8, 0u);
    std::string header(n, ' ');
    raw.read(header.data(), static_cast<std::streamsize>(n));
    auto j = nlohmann::json::parse(header);
    EXPECT_EQ(j.begin().key(), "__metadata__");
    EXPECT_EQ(j["a.bf16"]["data_offsets"][0], 0);
    EXPECT_FALSE(fs::exists(dir / ("x.safetensors.tmp-" + std::to_string(::getpid()))));
}

TEST(Safetensors, ReadsFixtureWrittenByPython)
{
    const char* src = std::getenv("TD_SOURCE_DIR");
    auto f = td::st::SafetensorsFile::open(fs::path(src) / "tests/data/models/llama/reference.safetensors");
    ASSERT_TRUE(f) << f.error().toString();
    auto ids = (*f)->tensor("input_ids");
    ASSERT_TRUE(ids);
    EXPECT_EQ(ids->scalar_type(), at::kLong);
    EXPECT_EQ(ids->sizes(), (at::IntArrayRef{2, 12}));
}

TEST(Safetensors, TruncatedFile)
{
    const auto dir = tempDir("truncated");
    ASSERT_TRUE(td::st::save(dir / "ok.safetensors", {{"w", at::randn({16, 16})}}));
    const auto size = fs::file_size(dir / "ok.safetensors");
    fs::copy_file(dir / "ok.safetensors", dir / "cut.safetensors");
    fs::resize_file(dir / "cut.safetensors", size - 100);
    auto e = openError(dir / "cut.safetensors");
    EXPECT_EQ(e.code, ErrorCode::BadCheckpoint);
    EXPECT_NE(e.message.find("past the end"), std::string::npos) << e.message;
    fs::resize_file(dir / "cut.safetensors", 5);
    EXPECT_EQ(openError(dir / "cut.safetensors").code, ErrorCode::BadCheckpoint);
    fs::resize_file(dir / "cut.safetensors", 0);
    EXPECT_EQ(openError(dir / "cut.safetensors").code, ErrorCode::BadCheckpoint);
}

TEST(Safetensors, HeaderOffsetsPastEof)
{
    const auto dir = tempDir("pasteof");
    writeRaw(dir / "x.safetensors", R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[1000,1016]}})", 16);
    auto e = openError(dir / "x.safetensors");
    EXPECT_EQ(e.code, ErrorCode::BadCheckpoint);
    EXPECT_NE(e.message.find("'w'"), std::string::npos) << e.message;
}

TEST(Safetensors, OverlappingTensors)
{
    const auto dir = tempDir("overlap");
    writeRaw(dir / "x.safetensors",
             R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})",
             24);
    auto e = openError(dir / "x.safetensors");
    EXPECT_EQ(e.code, ErrorCode::BadCheckpoint);
    EXPECT_NE(e.message.find("overlap"), std::string::npos) << e.message;
}

TEST(Safetensors, AbsurdHeaderLength)
{
    const auto dir = tempDir("absurd");
    writeRaw(dir / "x.safetensors", "{}", 0, 0xFFFFFFFFFFull);
    auto e = openError(dir / "x.safetensors");
    EXPECT_EQ(e.code, ErrorCode::BadCheckpoint);
    EXPECT_NE(e.message.find("exceeds the limit"), std::string::npos) << e.message;
    writeRaw(dir / "y.safetensors", "{}", 0, 4096); // within the limit but past EOF
    EXPECT_EQ(openError(dir / "y.safetensors").code, ErrorCode::BadCheckpoint);
    writeRaw(dir / "z.safetensors", "{not json", 0);
    EXPECT_EQ(openError(dir / "z.safetensors").code, ErrorCode::BadCheckpoint);
}

TEST(Safetensors, WrongDtypeOrShape)
{
    const auto dir = tempDir("dtype");
    writeRaw(dir / "a.safetensors", R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}})", 16);
    auto e = openError(dir / "a.safetensors");
    EXPECT_NE(e.message.find("needs 12 bytes"), std::string::npos) << e.message;
    writeRaw(dir / "b.safetensors", R"({"w":{"dtype":"Q4","shape":[4],"data_offsets":[0,16]}})", 16);
    e = openError(dir / "b.safetensors");
    EXPECT_NE(e.message.find("unsupported dtype Q4"), std::string::npos) << e.message;
    writeRaw(dir / "c.safetensors", R"({"w":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}})", 16);
    EXPECT_EQ(openError(dir / "c.safetensors").code, ErrorCode::BadCheckpoint);
    writeRaw(dir / "d.safetensors", R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}})", 16);
    EXPECT_EQ(openError(dir / "d.safetensors").code, ErrorCode::BadCheckpoint);
    writeRaw(dir / "e.safetensors", R"({"w":{"dtype":"F32","shape":[4]}})", 16);
    EXPECT_EQ(openError(dir / "e.safetensors").code, ErrorCode::BadCheckpoint);
}

TEST(Safetensors, ShardedCheckpointAndMissingShard)
{
    const auto dir = tempDir("sharded");
    ASSERT_TRUE(td::st::save(dir / "model-00001-of-00002.safetensors", {{"a", at::ones({2})}}));
    ASSERT_TRUE(td::st::save(dir / "model-00002-of-00002.safetensors", {{"b", at::zeros({3})}}));
    nlohmann::json index = {{"metadata", {{"total_size", 20}}},
                            {"weight_map", {{"a", "model-00001-of-00002.safetensors"},
                                            {"b", "model-00002-of-00002.safetensors"}}}};
    std::ofstream(dir / "model.safetensors.index.json") << index.dump();
    auto r = td::st::CheckpointReader::openFolder(dir);
    ASSERT_TRUE(r) << r.error().toString();
    EXPECT_EQ(r->names(), (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(at::equal(*r->tensor("b"), at::zeros({3})));

    fs::remove(dir / "model-00002-of-00002.safetensors");
    auto missing = td::st::CheckpointReader::openFolder(dir);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::BadCheckpoint);
    EXPECT_NE(missing.error().message.find("missing shard"), std::string::npos) << missing.error().message;

    auto none = td::st::CheckpointReader::openFolder(tempDir("empty"));
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, ErrorCode::FileNotFound);
}

} // namespace
