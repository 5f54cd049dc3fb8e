// SPDX-License-Identifier: Apache-2.0
// Logging: named loggers share the ring (read by the UI) and the rotating file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/common/log.h"

namespace fs = std::filesystem;

TEST(Log, RingKeepsLinesInOrderWithArea)
{
    td::log::Setup setup;
    setup.ringCapacity = 100;
    ASSERT_TRUE(td::log::setup(setup));
    const auto before = td::log::ringTail(1);
    const std::uint64_t last = before.empty() ? 0 : before.back().seq;
    td::log::get("engine.loader")->info("loaded {} tensors", 7);
    td::log::get("engine.train")->warn("loss is {}", "nan");
    td::log::get("engine.train")->debug("not shown at info level");
    const auto lines = td::log::ringSince(last);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].logger, "engine.loader");
    EXPECT_EQ(lines[0].text, "loaded 7 tensors");
    EXPECT_EQ(lines[0].level, td::log::Level::Info);
    EXPECT_EQ(lines[1].text, "loss is nan");
    EXPECT_EQ(lines[1].level, td::log::Level::Warn);
    EXPECT_GT(lines[1].seq, lines[0].seq);
}

TEST(Log, RingIsBounded)
{
    td::log::Setup setup;
    setup.ringCapacity = 10;
    ASSERT_TRUE(td::log::setup(setup));
    for (int i = 0; i < 50; ++i) {
        td::log::get("jobs")->info("line {}", i);
    }
    const auto tail = td::log::ringTail(1000);
    ASSERT_EQ(tail.size(), 10u);
    EXPECT_EQ(tail.back().text, "line 49");
    EXPECT_EQ(tail.front().text, "line 40");
}

TEST(Log, RotatingFileReceivesLines)
{
    const fs::path dir = fs::temp_directory_path() / ("td_log_test_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    td::log::Setup setup;
    setup.file = dir / "tunedesk.log";
    ASSERT_TRUE(td::log::setup(setup));
    auto logger = td::log::get("engine.data");
    logger->info("dataset {} has {} rows", "alpaca_en", 500);
    logger->flush();
    std::ifstream in(setup.file);
    std::stringstream content;
    content << in.rdbuf();
    EXPECT_NE(content.str().find("dataset alpaca_en has 500 rows"), std::string::npos) << content.str();
    EXPECT_NE(content.str().find("engine.data"), std::string::npos);
    ASSERT_TRUE(td::log::setup({})); // close the file before removing it
    fs::remove_all(dir);
}

TEST(Log, UnwritableFileIsReportedNotThrown)
{
    td::log::Setup setup;
    setup.file = "/proc/definitely/not/writable/tunedesk.log";
    std::string error;
    EXPECT_FALSE(td::log::setup(setup, &error));
    EXPECT_FALSE(error.empty());
    td::log::get("ui")->info("still logs to the ring");
    EXPECT_EQ(td::log::ringTail(1).back().text, "still logs to the ring");
}
