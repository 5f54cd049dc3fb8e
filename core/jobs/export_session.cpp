// SPDX-License-Identifier: Apache-2.0
#include "core/jobs/export_session.h"

#include <mutex>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/common/log.h"
#include "core/export/export_args.h"
#include "core/export/exporter.h"
#include "core/jobs/engine_service.h"
#include "core/jobs/post_guard.h"
#include "core/jobs/variant_json.h"

namespace td::jobs
{

namespace
{

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

/// What the job leaves for the GUI thread besides its status.
struct Report
{
    QStringList argWarnings;
    std::optional<td::exporter::ExportReport> report;
};

} // namespace

QVariantMap ExportOutcome::toMap() const
{
    QVariantMap m;
    m.insert(QStringLiteral("ok"), ok);
    m.insert(QStringLiteral("cancelled"), cancelled);
    if (failed()) {
        m.insert(QStringLiteral("error_code"), int(code));
        m.insert(QStringLiteral("message"), message);
        m.insert(QStringLiteral("hint"), hint);
    }
    m.insert(QStringLiteral("output_dir"), outputDir);
    m.insert(QStringLiteral("format"), format);
    m.insert(QStringLiteral("dtype"), dtype);
    m.insert(QStringLiteral("files"), files);
    m.insert(QStringLiteral("bytes"), bytes);
    m.insert(QStringLiteral("seconds"), seconds);
    m.insert(QStringLiteral("adapters_merged"), adaptersMerged);
    m.insert(QStringLiteral("value_head"), valueHead);
    m.insert(QStringLiteral("verification_ran"), verificationRan);
    m.insert(QStringLiteral("verification_passed"), verificationPassed);
    m.insert(QStringLiteral("max_abs_diff"), maxAbsDiff);
    m.insert(QStringLiteral("tolerance"), tolerance);
    m.insert(QStringLiteral("max_abs_diff_vs_fp32"), maxAbsDiffVsFp32);
    m.insert(QStringLiteral("probe_tokens"), probeTokens);
    m.insert(QStringLiteral("warnings"), warnings);
    m.insert(QStringLiteral("report_json"), reportJson);
    return m;
}

struct ExportSession::State
{
    explicit State(ExportSession* owner) : guard(owner) {}

    PostGuard<ExportSession> guard;
    std::mutex mutex; // guards `result`
    Report result;
};

ExportSession::ExportSession(EngineService* engine, QObject* parent)
    : QObject(parent), m_engine(engine), m_state(std::make_shared<State>(this))
{
    qRegisterMetaType<td::jobs::ExportOutcome>();
    connect(m_engine, &EngineService::jobStarted, this, [this](td::JobId id, const QString&) {
        if (id != 0 && id == m_job) {
            Q_EMIT started();
        }
    });
    connect(m_engine, &EngineService::jobProgress, this, [this](td::JobId id, const JobProgressInfo& p) {
        if (id != 0 && id == m_job) {
            Q_EMIT progress(p.phase, p.current, p.total);
        }
    });
    connect(m_engine, &EngineService::jobFinished, this, [this](td::JobId id, const JobOutcome& o) {
        if (id != 0 && id == m_job) {
            finish(o);
        }
    });
}

ExportSession::~ExportSession()
{
    m_state->guard.release();
}

QByteArray ExportSession::argumentsJson(const QVariantMap& exportArgs)
{
    return QByteArray::fromStdString(argsToJson(exportArgs).dump());
}

td::JobId ExportSession::start(const QVariantMap& exportArgs)
{
    if (m_job != 0) {
        return 0;
    }
    const nlohmann::json mapping = argsToJson(exportArgs);
    auto state = m_state;
    {
        std::lock_guard lock(state->mutex);
        state->result = {};
    }
    m_cancelling = false;
    td::log::get("jobs")->info("exporting with {}", mapping.dump());
    m_job = m_engine->submit(tr("Export"), [state, mapping](td::JobContext& ctx) -> td::Status {
        std::vector<std::string> warnings;
        auto args = td::exporter::parseExportArgs(mapping, &warnings);
        {
            std::lock_guard lock(state->mutex);
            for (const auto& w : warnings) {
                state->result.argWarnings << qs(w);
            }
        }
        for (const auto& w : warnings) {
            td::log::get("engine.export")->warn("{}", w); // the log dock
        }
        if (!args) {
            return tl::unexpected(args.error());
        }
        const td::exporter::ProgressFn onProgress = [&ctx](const td::exporter::ExportProgress& p) {
            ctx.progress({p.phase, p.done, p.total, std::string()});
        };
        auto report = td::exporter::runExport(*args, onProgress, ctx.cancelToken());
        if (!report) {
            return tl::unexpected(report.error());
        }
        {
            std::lock_guard lock(state->mutex);
            state->result.report = std::move(*report);
        }
        return {};
    });
    return m_job;
}

void ExportSession::cancel()
{
    if (m_job == 0 || m_cancelling) {
        return;
    }
    m_cancelling = true;
    m_engine->cancel(m_job);
}

void ExportSession::finish(const JobOutcome& o)
{
    ExportOutcome out;
    out.ok = o.ok;
    out.cancelled = o.cancelled();
    out.code = o.code;
    if (out.failed()) {
        out.message = o.message;
        out.hint = o.hint;
    }
    {
        std::lock_guard lock(m_state->mutex);
        out.warnings = m_state->result.argWarnings;
        if (o.ok && m_state->result.report) {
            const td::exporter::ExportReport& r = *m_state->result.report;
            out.outputDir = qs(r.outputDir.string());
            out.format = qs(r.format);
            out.dtype = qs(r.dtype);
            for (const auto& f : r.files) {
                out.files << qs(f.generic_string());
            }
            out.bytes = qint64(r.bytes);
            out.seconds = r.seconds;
            out.adaptersMerged = r.adaptersMerged;
            out.valueHead = r.valueHead;
            out.verificationRan = r.verification.ran;
            out.verificationPassed = r.verification.passed;
            out.maxAbsDiff = r.verification.maxAbsDiff;
            out.tolerance = r.verification.tolerance;
            out.maxAbsDiffVsFp32 = r.verification.maxAbsDiffVsFp32;
            out.probeTokens = r.verification.probeTokens;
            for (const auto& w : r.warnings) {
                out.warnings << qs(w);
            }
            out.reportJson = qs(r.toJson());
        }
        m_state->result = {};
    }
    m_job = 0;
    m_cancelling = false;
    Q_EMIT outcome(out);
    Q_EMIT finished(out.ok, out.cancelled, out.toMap());
}

} // namespace td::jobs
