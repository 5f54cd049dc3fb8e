// SPDX-License-Identifier: Apache-2.0
#include "core/jobs/train_session.h"

#include <mutex>

#include <nlohmann/json.hpp>

#include "core/common/log.h"
#include "core/jobs/engine_service.h"
#include "core/jobs/post_guard.h"
#include "core/jobs/variant_json.h"
#include "core/train/run_files.h"
#include "core/train/trainer.h"

namespace td::jobs
{

namespace
{

/// What the job leaves for the GUI thread besides its status.
struct Summary
{
    QString outputDir;
    qint64 globalStep = 0;
    qint64 maxSteps = 0;
    qint64 resumedFromStep = 0;
    std::optional<double> lastLoss;
};

} // namespace

struct TrainSession::State
{
    explicit State(TrainSession* owner) : guard(owner) {}

    PostGuard<TrainSession> guard;
    std::mutex mutex; // guards `summary`
    std::optional<Summary> summary;
};

TrainSession::TrainSession(EngineService* engine, QObject* parent)
    : QObject(parent), m_engine(engine), m_state(std::make_shared<State>(this))
{
    qRegisterMetaType<td::jobs::TrainOutcome>();
    qRegisterMetaType<td::jobs::TrainerLogEntry>();
    connect(m_engine, &EngineService::jobStarted, this, [this](td::JobId id, const QString&) {
        if (id != 0 && id == m_job) {
            m_running = true;
            Q_EMIT started();
        }
    });
    connect(m_engine, &EngineService::jobProgress, this, [this](td::JobId id, const JobProgressInfo& p) {
        if (id != 0 && id == m_job) {
            Q_EMIT progress(p);
        }
    });
    connect(m_engine, &EngineService::jobFinished, this, [this](td::JobId id, const JobOutcome& o) {
        if (id != 0 && id == m_job) {
            finish(o);
        }
    });
}

TrainSession::~TrainSession()
{
    m_state->guard.release();
}

QByteArray TrainSession::argumentsJson(const QVariantMap& llamaFactoryArgs)
{
    return QByteArray::fromStdString(argsToJson(llamaFactoryArgs).dump());
}

td::JobId TrainSession::start(const QVariantMap& llamaFactoryArgs)
{
    if (m_job != 0) {
        return 0;
    }
    const nlohmann::json mapping = argsToJson(llamaFactoryArgs);
    auto state = m_state;
    {
        std::lock_guard lock(state->mutex);
        state->summary.reset();
    }
    m_running = false;
    m_aborting = false;
    td::log::get("jobs")->info("training with {}", mapping.dump());
    // The Evaluate tab's runs (do_predict/do_eval without do_train) go through the same trainer entry point.
    const bool evaluates = !llamaFactoryArgs.value(QStringLiteral("do_train")).toBool()
                           && (llamaFactoryArgs.value(QStringLiteral("do_predict")).toBool()
                               || llamaFactoryArgs.value(QStringLiteral("do_eval")).toBool());
    const QString name = evaluates ? tr("Evaluate") : tr("Train");
    m_job = m_engine->submit(name, [state, mapping](td::JobContext& ctx) -> td::Status {
        td::train::TrainHooks hooks;
        hooks.progress = [&ctx](const td::JobProgress& p) { ctx.progress(p); };
        hooks.log = [state](const td::train::LogLine& line) {
            // The same text the trainer appends to trainer_log.jsonl, read by the same parser as the file.
            if (auto e = parseTrainerLogLine(QByteArray::fromStdString(line.toJson().dump()))) {
                state->guard.post([e = *e](TrainSession* self) { Q_EMIT self->logLine(e); });
            }
        };
        hooks.message = [state](const std::string& m) {
            td::log::get("engine.train")->info("{}", m); // the log dock
            state->guard.post([t = QString::fromStdString(m)](TrainSession* self) { Q_EMIT self->message(t); });
        };
        auto result = td::train::runTraining(mapping, hooks, &ctx.cancelToken());
        if (!result) {
            return tl::unexpected(result.error());
        }
        Summary s;
        s.outputDir = QString::fromStdString(result->outputDir.string());
        s.globalStep = result->globalStep;
        s.maxSteps = result->maxSteps;
        s.resumedFromStep = result->resumedFromStep;
        s.lastLoss = result->lastLoss;
        {
            std::lock_guard lock(state->mutex);
            state->summary = s;
        }
        if (result->cancelled) {
            // Reported as a cancelled job, so the status line says "Aborted." rather than "Done.".
            return td::makeError(td::ErrorCode::Cancelled,
                                 "training stopped at step " + std::to_string(result->globalStep) + " of " +
                                     std::to_string(result->maxSteps) + " on request; the weights are saved");
        }
        return {};
    });
    return m_job;
}

void TrainSession::abort()
{
    if (m_job == 0 || m_aborting) {
        return;
    }
    m_aborting = true;
    m_engine->cancel(m_job);
}

void TrainSession::finish(const JobOutcome& o)
{
    TrainOutcome out;
    out.ok = o.ok;
    out.cancelled = o.cancelled();
    out.code = o.code;
    if (!o.ok && !out.cancelled) {
        out.message = o.message;
        out.hint = o.hint;
    }
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->summary) {
            out.outputDir = m_state->summary->outputDir;
            out.globalStep = m_state->summary->globalStep;
            out.maxSteps = m_state->summary->maxSteps;
            out.resumedFromStep = m_state->summary->resumedFromStep;
            out.lastLoss = m_state->summary->lastLoss;
        }
        m_state->summary.reset();
    }
    m_job = 0;
    m_running = false;
    m_aborting = false;
    Q_EMIT finished(out);
}

} // namespace td::jobs
