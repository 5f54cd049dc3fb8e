// SPDX-License-Identifier: Apache-2.0
// ExportSession: the Export tab's Export/Cancel. start() hands LLaMA-Factory export arguments (the keys of
// `llamafactory-cli export` plus ours: export_format, export_gguf_type, export_dtype, export_verify; see
// docs/export.md) to the engine's exporter as a job on EngineService's worker thread: parseExportArgs() →
// runExport() (load, merge adapters, write into a staging folder, verify, rename into place). Progress phases
// and the report (files, size, verification) come back as signals on the GUI thread. cancel() sets the job's
// cancel token: the exporter removes its staging folder and leaves export_dir as it was. Torch-free header.
#pragma once

#include <memory>

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include "core/common/job.h"
#include "core/jobs/job_types.h"

namespace td::jobs
{

class EngineService;

/// How an export ended (also available as a QVariantMap, see toMap()).
struct ExportOutcome
{
    bool ok = false;
    bool cancelled = false;                       ///< stopped on request, or dropped while queued
    td::ErrorCode code = td::ErrorCode::Internal; ///< meaningful when failed
    QString message;                              ///< the engine's detail (untranslated) when it failed
    QString hint;

    // The report of a successful export.
    QString outputDir;
    QString format;        ///< hf | gguf | adapter
    QString dtype;         ///< float32 | bfloat16 | float16 | the GGUF type
    QStringList files;     ///< relative to outputDir, sorted
    qint64 bytes = 0;
    double seconds = 0.0;
    qint64 adaptersMerged = 0;
    bool valueHead = false;
    bool verificationRan = false;
    bool verificationPassed = false;
    double maxAbsDiff = 0.0;       ///< reloaded export vs the in-memory model with the stored rounding
    double tolerance = 0.0;
    double maxAbsDiffVsFp32 = 0.0; ///< precision cost of the dtype/quantization
    qint64 probeTokens = 0;
    QStringList warnings;          ///< argument warnings and the exporter's (untranslated)
    QString reportJson;            ///< ExportReport::toJson(), as `tunedesk-cli export --json` prints it

    bool failed() const { return !ok && !cancelled; }
    /// Keys: ok, cancelled, error_code, message, hint, output_dir, format, dtype, files, bytes, seconds,
    /// adapters_merged, value_head, verification_ran, verification_passed, max_abs_diff, tolerance,
    /// max_abs_diff_vs_fp32, probe_tokens, warnings, report_json.
    QVariantMap toMap() const;
};

class ExportSession : public QObject
{
    Q_OBJECT
public:
    explicit ExportSession(EngineService* engine, QObject* parent = nullptr);
    ~ExportSession() override;

    /// Queues an export with LLaMA-Factory argument names (numbers and bools keep their types; strings are
    /// accepted as YAML gives them). Returns the job id, or 0 when an export is already queued or running.
    td::JobId start(const QVariantMap& exportArgs);
    /// Stops the export at the next tensor or shard (a queued export is dropped). No-op when idle.
    void cancel();

    /// Queued or running.
    bool isActive() const { return m_job != 0; }
    bool isCancelling() const { return m_cancelling; }
    td::JobId jobId() const { return m_job; }

    /// The JSON mapping start() hands to parseExportArgs() (for tests and the log).
    static QByteArray argumentsJson(const QVariantMap& exportArgs);

Q_SIGNALS:
    /// The export left the queue and runs on the worker.
    void started();
    /// Coalesced progress: phases "loading", "merging", "writing", "verifying", "finishing"; total 0 = unknown.
    void progress(const QString& phase, qint64 done, qint64 total);
    /// The end of an export: `summary` is outcome.toMap().
    void finished(bool ok, bool cancelled, const QVariantMap& summary);
    /// The same end as a typed value.
    void outcome(const td::jobs::ExportOutcome& outcome);

private:
    struct State;
    void finish(const JobOutcome& outcome);

    EngineService* m_engine;
    std::shared_ptr<State> m_state;
    td::JobId m_job = 0;
    bool m_cancelling = false;
};

} // namespace td::jobs

Q_DECLARE_METATYPE(td::jobs::ExportOutcome)
