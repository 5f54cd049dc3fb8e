// SPDX-License-Identifier: Apache-2.0
#include "core/jobs/variant_json.h"

#include <QStringList>

#include <nlohmann/json.hpp>

namespace td::jobs
{

nlohmann::json variantToJson(const QVariant& v)
{
    switch (v.typeId()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return nullptr;
    case QMetaType::Bool:
        return v.toBool();
    case QMetaType::Int:
    case QMetaType::Short:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::UShort:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
        return v.toLongLong();
    case QMetaType::Double:
    case QMetaType::Float:
        return v.toDouble();
    case QMetaType::QStringList: {
        nlohmann::json a = nlohmann::json::array();
        for (const QString& s : v.toStringList()) {
            a.push_back(s.toStdString());
        }
        return a;
    }
    case QMetaType::QVariantList: {
        nlohmann::json a = nlohmann::json::array();
        for (const QVariant& item : v.toList()) {
            a.push_back(variantToJson(item));
        }
        return a;
    }
    case QMetaType::QVariantMap: {
        nlohmann::json o = nlohmann::json::object();
        const QVariantMap m = v.toMap();
        for (auto it = m.begin(); it != m.end(); ++it) {
            o[it.key().toStdString()] = variantToJson(it.value());
        }
        return o;
    }
    default:
        return v.toString().toStdString();
    }
}

nlohmann::json argsToJson(const QVariantMap& args)
{
    return variantToJson(QVariant(args));
}

} // namespace td::jobs
