// SPDX-License-Identifier: Apache-2.0
#include "core/common/log.h"

#include <chrono>
#include <deque>
#include <mutex>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace td::log
{

namespace
{

Level fromSpdlog(spdlog::level::level_enum l)
{
    switch (l) {
    case spdlog::level::trace: return Level::Trace;
    case spdlog::level::debug: return Level::Debug;
    case spdlog::level::info: return Level::Info;
    case spdlog::level::warn: return Level::Warn;
    case spdlog::level::err: return Level::Error;
    default: return Level::Critical;
    }
}

spdlog::level::level_enum toSpdlog(Level l)
{
    switch (l) {
    case Level::Trace: return spdlog::level::trace;
    case Level::Debug: return spdlog::level::debug;
    case Level::Info: return spdlog::level::info;
    case Level::Warn: return spdlog::level::warn;
    case Level::Error: return spdlog::level::err;
    case Level::Critical: return spdlog::level::critical;
    }
    return spdlog::level::info;
}

/// Keeps the last N formatted lines; read by the UI through ringSince()/ringTail().
class RingSink final : public spdlog::sinks::base_sink<std::mutex>
{
public:
    void setCapacity(std::size_t cap)
    {
        std::lock_guard lock(mutex_);
        m_capacity = cap == 0 ? 1 : cap;
        trim();
    }

    std::vector<LogLine> since(std::uint64_t afterSeq, std::size_t maxLines)
    {
        std::lock_guard lock(mutex_);
        std::vector<LogLine> out;
        for (const auto& line : m_lines) {
            if (line.seq > afterSeq) {
                out.push_back(line);
            }
        }
        if (out.size() > maxLines) {
            out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(maxLines));
        }
        return out;
    }

    std::vector<LogLine> tail(std::size_t count)
    {
        std::lock_guard lock(mutex_);
        const std::size_t n = std::min(count, m_lines.size());
        return {m_lines.end() - static_cast<std::ptrdiff_t>(n), m_lines.end()};
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override
    {
        LogLine line;
        line.seq = ++m_seq;
        line.msecsSinceEpoch =
            std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
        line.level = fromSpdlog(msg.level);
        line.logger.assign(msg.logger_name.data(), msg.logger_name.size());
        line.text.assign(msg.payload.data(), msg.payload.size());
        m_lines.push_back(std::move(line));
        trim();
    }
    void flush_() override {}

private:
    void trim()
    {
        while (m_lines.size() > m_capacity) {
            m_lines.pop_front();
        }
    }
    std::deque<LogLine> m_lines;
    std::size_t m_capacity = 5000;
    std::uint64_t m_seq = 0;
};

struct State
{
    std::mutex mutex;
    std::shared_ptr<RingSink> ring = std::make_shared<RingSink>();
    std::vector<spdlog::sink_ptr> sinks{ring};
    spdlog::level::level_enum level = spdlog::level::info;
};

State& state()
{
    static State s;
    return s;
}

} // namespace

bool setup(const Setup& cfg, std::string* error)
{
    State& s = state();
    std::lock_guard lock(s.mutex);
    s.ring->setCapacity(cfg.ringCapacity);
    std::vector<spdlog::sink_ptr> sinks{s.ring};
    bool ok = true;
    if (!cfg.file.empty()) {
        try {
            sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(cfg.file.string(), cfg.maxFileBytes,
                                                                                  cfg.maxFiles));
        } catch (const spdlog::spdlog_ex& e) {
            ok = false;
            if (error) {
                *error = e.what();
            }
        }
    }
    if (cfg.toStderr) {
        sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    }
    s.sinks = sinks;
    s.level = toSpdlog(cfg.level);
    // Re-point every logger created so far.
    spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) {
        l->sinks() = s.sinks;
        l->set_level(s.level);
    });
    return ok;
}

std::shared_ptr<spdlog::logger> get(std::string_view area)
{
    State& s = state();
    std::lock_guard lock(s.mutex);
    const std::string name(area);
    if (auto existing = spdlog::get(name)) {
        return existing;
    }
    auto logger = std::make_shared<spdlog::logger>(name, s.sinks.begin(), s.sinks.end());
    logger->set_level(s.level);
    logger->flush_on(spdlog::level::warn);
    spdlog::register_logger(logger);
    return logger;
}

std::vector<LogLine> ringSince(std::uint64_t afterSeq, std::size_t maxLines)
{
    return state().ring->since(afterSeq, maxLines);
}

std::vector<LogLine> ringTail(std::size_t count)
{
    return state().ring->tail(count);
}

} // namespace td::log
