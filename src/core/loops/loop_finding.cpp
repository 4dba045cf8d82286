#include "core/loops/loop_finding.h"

#include <cstdio>
#include <cstring>

#include "core/common/hash.h"
#include "core/sql/query_tags.h"
#include "core/common/shared_atomic.h"
#include "core/common/no_postgres.h"

namespace pg_advisor {

namespace {

constexpr std::string_view kApplicationTagKeys[] = {"application",
                                                    "app_name",
                                                    "framework",
                                                    "db_framework",
                                                    "db_driver",
                                                    "controller",
                                                    "namespaced_controller",
                                                    "controller_with_namespace",
                                                    "action",
                                                    "job",
                                                    "route",
                                                    "endpoint",
                                                    "graphql_operation",
                                                    "source_location",
                                                    "line"};

bool put_u32(char *out, size_t cap, size_t &off, uint32_t v) {
    if (cap - off < 4) return false;
    std::memcpy(out + off, &v, 4);
    off += 4;
    return true;
}

}  // namespace

FindingKey make_finding_key(LoopKind kind, uint32_t dbid, uint32_t userid, uint64_t parent,
                            uint64_t child, uint64_t app_tags_fp) {
    FindingKey k{};
    k.kind = static_cast<uint8_t>(kind);
    k.dbid = dbid;
    k.userid = userid;
    k.parent_queryid = parent;
    k.child_queryid = child;
    k.app_tags_fp = app_tags_fp;
    return k;
}

uint64_t FindingEntry::hash_key(const FindingKey &k) {
    uint64_t h = hash_combine(k.child_queryid, k.parent_queryid);
    h = hash_combine(h, k.app_tags_fp);
    return hash_combine(h, (uint64_t{k.dbid} << 32 | k.userid) ^ (uint64_t{k.kind} << 60));
}

void FindingEntry::finding_key(char *buf) const {
    std::snprintf(buf, kFindingKeySize, "%s:%016llx",
                  loop_kind_name(static_cast<LoopKind>(key.kind)),
                  static_cast<unsigned long long>(hash_key(key)));
}

void FindingEntry::snapshot_to(FindingEntry &dst) const {
    {
        SpinGuard guard(const_cast<uint32_t &>(lock));
        std::memcpy(&dst, this, sizeof(FindingEntry));
    }
    dst.lock = 0;
    dst.usage = atomic_load(usage);
    dst.occurrences = atomic_load(occurrences);
    dst.executions = atomic_load(executions);
    dst.max_repeats = atomic_load(max_repeats);
    dst.max_distinct = atomic_load(max_distinct);
    dst.child_total_ns = atomic_load(child_total_ns);
    dst.child_rows = atomic_load(child_rows);
    dst.max_parent_rows = atomic_load(max_parent_rows);
    dst.last_seen = atomic_load(last_seen);
}

size_t finding_texts_size(const FindingTexts &t) {
    return 12 + t.parent.size() + t.child.size() + t.tags.size();
}

size_t encode_finding_texts(const FindingTexts &t, char *out, size_t cap) {
    size_t off = 0;
    for (std::string_view part : {t.parent, t.child, t.tags}) {
        if (!put_u32(out, cap, off, static_cast<uint32_t>(part.size())) || cap - off < part.size())
            return 0;
        std::memcpy(out + off, part.data(), part.size());
        off += part.size();
    }
    return off;
}

bool decode_finding_texts(std::string_view blob, FindingTexts &t) {
    std::string_view *parts[3] = {&t.parent, &t.child, &t.tags};
    size_t off = 0;
    for (std::string_view *part : parts) {
        uint32_t len;
        if (blob.size() - off < 4) return false;
        std::memcpy(&len, blob.data() + off, 4);
        off += 4;
        if (blob.size() - off < len) return false;
        *part = blob.substr(off, len);
        off += len;
    }
    return off == blob.size();
}

FindingEntry *insert_finding(FindingStore &store, const FindingKey &key, std::string_view texts,
                             const LoopVerdict &v, int64_t now, std::string_view framework) {
    FindingEntry *e = store.insert(key, texts, now);
    if (e && e->first_seen == 0) {
        e->first_seen = now;
        e->last_seen = now;
        e->child_relid = v.child_relid;
        e->parent_relid = v.parent_relid;
        e->child_command = v.child_command;
        e->parent_choice = static_cast<uint8_t>(v.parent_choice);
        size_t n = framework.size() < FindingEntry::kFrameworkSize
                       ? framework.size()
                       : FindingEntry::kFrameworkSize - 1;
        std::memcpy(e->framework, framework.data(), n);
        e->framework[n] = '\0';
    }
    return e;
}

void record_verdict(FindingEntry &e, const LoopVerdict &v, int64_t now, std::string_view example) {
    if (v.first) {
        atomic_add(e.occurrences, 1);
        atomic_max(e.max_distinct, v.distinct_params);
        atomic_max(e.max_parent_rows, v.parent_rows);
    }
    atomic_add(e.executions, v.executions);
    atomic_add(e.child_total_ns, v.child_ns);
    atomic_add(e.child_rows, v.child_rows);
    atomic_max(e.max_repeats, v.repeats);
    if (!v.first) atomic_max(e.max_distinct, v.distinct_params);
    atomic_max(e.last_seen, now);
    atomic_add(e.usage, FindingStore::kUsagePerCall);
    if (v.first) {
        SpinGuard guard(e.lock);
        size_t n = example.size() < FindingEntry::kExampleSize ? example.size()
                                                               : FindingEntry::kExampleSize;
        std::memcpy(e.example, example.data(), n);
        e.example_len = static_cast<uint16_t>(n);
        e.scope_kind = static_cast<uint8_t>(v.scope_kind);
    }
}

size_t application_tags(std::string_view serialized, char *out, size_t cap) {
    size_t pos = 0, n = 0;
    std::string_view k, v;
    while (next_serialized_tag(serialized, pos, k, v)) {
        bool keep = false;
        for (std::string_view a : kApplicationTagKeys)
            keep = keep || k == a;
        if (!keep || n + k.size() + v.size() + 2 > cap) continue;
        std::memcpy(out + n, k.data(), k.size());
        n += k.size();
        out[n++] = '\0';
        std::memcpy(out + n, v.data(), v.size());
        n += v.size();
        out[n++] = '\0';
    }
    return n;
}

}  // namespace pg_advisor
