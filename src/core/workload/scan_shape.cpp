#include "core/common/text_buffer.h"
#include "core/workload/scan_shape.h"

#include <string>

#include <cstring>

#include "core/common/no_postgres.h"

namespace pg_advisor {

namespace {
constexpr uint16_t kShapeVersion = 3;

template <class T>
T read_at(std::string_view blob, size_t off) {
    T v;
    std::memcpy(&v, blob.data() + off, sizeof(T));
    return v;
}
}  // namespace

std::string_view qual_kind_name(QualKind k) {
    switch (k) {
        case QualKind::Equality:
            return "eq";
        case QualKind::Range:
            return "range";
        case QualKind::InList:
            return "in";
        case QualKind::LikePrefix:
            return "like_prefix";
        case QualKind::IsNull:
            return "is_null";
        case QualKind::IsNotNull:
            return "is_not_null";
        case QualKind::OrArm:
            return "or_eq";
        case QualKind::Other:
            return "other";
    }
    return "other";
}

void describe_qual(TextBuffer &out, std::string_view subject, const Qual &q) {
    out.add(subject.empty() ? std::string_view("?") : subject).put(' ');
    out.add(qual_kind_name(static_cast<QualKind>(q.kind)));
    QualSource source = static_cast<QualSource>(q.source);
    if (source != QualSource::None) out.add(" ").add(qual_source_name(source));
    if (static_cast<QualKind>(q.kind) == QualKind::OrArm)
        out.add(" of or ").add(uint64_t{q.nvalues});
    else if (q.nvalues > 0)
        out.add("[").add(uint64_t{q.nvalues}).add("]");
}

std::string_view qual_source_name(QualSource s) {
    switch (s) {
        case QualSource::None:
            return "none";
        case QualSource::Const:
            return "const";
        case QualSource::Param:
            return "param";
        case QualSource::JoinParam:
            return "join";
        case QualSource::Column:
            return "column";
        case QualSource::Expr:
            return "expr";
    }
    return "expr";
}

std::string_view scan_type_name(ScanType t) {
    switch (t) {
        case ScanType::SeqScan:
            return "seq_scan";
        case ScanType::IndexScan:
            return "index_scan";
        case ScanType::IndexOnlyScan:
            return "index_only_scan";
        case ScanType::BitmapHeapScan:
            return "bitmap_heap_scan";
        case ScanType::TidScan:
            return "tid_scan";
        case ScanType::Other:
            return "other";
    }
    return "other";
}

std::string_view command_name(CommandKind c) {
    switch (c) {
        case CommandKind::Select:
            return "SELECT";
        case CommandKind::Insert:
            return "INSERT";
        case CommandKind::Update:
            return "UPDATE";
        case CommandKind::Delete:
            return "DELETE";
        case CommandKind::Merge:
            return "MERGE";
        case CommandKind::Utility:
            return "UTILITY";
        case CommandKind::Unknown:
            return "UNKNOWN";
    }
    return "UNKNOWN";
}

ShapeBuilder::ShapeBuilder() {
    std::memset(&header_, 0, sizeof header_);
    header_.version = kShapeVersion;
    header_.limit = -1;
}

bool ShapeBuilder::begin_scan(uint32_t relid, ScanType type, uint32_t index_oid, bool parameterized,
                              double est_rows, double est_cost) {
    if (header_.nscans >= kMaxScans) {
        truncated_ = true;
        scan_open_ = false;
        return false;
    }
    ScanRecord &s = scans_[header_.nscans++];
    std::memset(&s, 0, sizeof s);
    s.relid = relid;
    s.index_oid = index_oid;
    s.scan_type = static_cast<uint8_t>(type);
    s.parameterized = parameterized ? 1 : 0;
    s.first_qual = header_.nquals;
    s.est_rows = est_rows;
    s.est_cost = est_cost;
    scan_open_ = true;
    return true;
}

uint16_t ShapeBuilder::intern(std::string_view s, uint16_t &len) {
    len = 0;
    if (s.empty()) return 0;
    size_t room = kPoolSize - header_.pool_len;
    if (s.size() > room) {
        truncated_ = true;
        return 0;  // dropped whole: a cut expression would be wrong, not just short
    }
    uint16_t off = header_.pool_len;
    std::memcpy(pool_ + off, s.data(), s.size());
    header_.pool_len = static_cast<uint16_t>(header_.pool_len + s.size());
    len = static_cast<uint16_t>(s.size());
    return off;
}

bool ShapeBuilder::add_qual(int16_t attnum, QualKind kind, QualSource source, uint32_t opno,
                            std::string_view expr, std::string_view value, uint16_t nvalues,
                            uint16_t literal) {
    if (!scan_open_ || header_.nquals >= kMaxQuals) {
        truncated_ = truncated_ || scan_open_;
        return false;
    }
    Qual &q = quals_[header_.nquals++];
    std::memset(&q, 0, sizeof q);
    q.attnum = attnum;
    q.kind = static_cast<uint8_t>(kind);
    q.source = static_cast<uint8_t>(source);
    q.opno = opno;
    q.nvalues = nvalues;
    q.literal = literal;
    q.expr_off = intern(expr, q.expr_len);
    q.value_off = intern(value, q.value_len);
    scans_[header_.nscans - 1].nquals++;
    return true;
}

void ShapeBuilder::need_column(int attnum) {
    if (!scan_open_) return;
    ScanRecord &s = scans_[header_.nscans - 1];
    if (attnum >= 1 && attnum <= 64)
        s.needed_columns |= uint64_t{1} << (attnum - 1);
    else if (attnum == 0 || attnum > 64)
        s.needs_more = 1;
}

bool ShapeBuilder::has_qual_on(int16_t attnum) const {
    if (!scan_open_) return false;
    const ScanRecord &s = scans_[header_.nscans - 1];
    for (size_t i = s.first_qual; i < size_t{s.first_qual} + s.nquals; i++)
        if (quals_[i].attnum == attnum) return true;
    return false;
}

bool ShapeBuilder::add_order(uint32_t relid, int16_t attnum, bool descending, bool nulls_first) {
    if (header_.norder >= kMaxOrder) {
        truncated_ = true;
        return false;
    }
    order_[header_.norder++] = {relid, attnum, static_cast<uint8_t>(descending ? 1 : 0),
                                static_cast<uint8_t>(nulls_first ? 1 : 0)};
    return true;
}

size_t ShapeBuilder::encoded_size() const {
    return sizeof(ShapeHeader) + sizeof(ScanRecord) * header_.nscans +
           sizeof(Qual) * header_.nquals + sizeof(OrderColumn) * header_.norder + header_.pool_len;
}

size_t ShapeBuilder::encode(char *out, size_t cap) const {
    size_t need = encoded_size();
    if (need > cap) return 0;
    size_t off = 0;
    auto put = [&](const void *p, size_t n) {
        std::memcpy(out + off, p, n);
        off += n;
    };
    put(&header_, sizeof header_);
    put(scans_, sizeof(ScanRecord) * header_.nscans);
    put(quals_, sizeof(Qual) * header_.nquals);
    put(order_, sizeof(OrderColumn) * header_.norder);
    put(pool_, header_.pool_len);
    return off;
}

ShapeView::ShapeView(std::string_view blob) : blob_(blob) {
    if (blob.size() < sizeof(ShapeHeader)) return;
    header_ = read_at<ShapeHeader>(blob, 0);
    if (header_.version != kShapeVersion) return;
    scans_at_ = sizeof(ShapeHeader);
    quals_at_ = scans_at_ + sizeof(ScanRecord) * header_.nscans;
    order_at_ = quals_at_ + sizeof(Qual) * header_.nquals;
    pool_at_ = order_at_ + sizeof(OrderColumn) * header_.norder;
    if (pool_at_ + header_.pool_len != blob.size()) return;
    for (size_t i = 0; i < header_.nscans; i++) {
        ScanRecord s = read_at<ScanRecord>(blob, scans_at_ + i * sizeof(ScanRecord));
        if (size_t{s.first_qual} + s.nquals > header_.nquals) return;
    }
    for (size_t i = 0; i < header_.nquals; i++) {
        Qual q = read_at<Qual>(blob, quals_at_ + i * sizeof(Qual));
        if (size_t{q.expr_off} + q.expr_len > header_.pool_len ||
            size_t{q.value_off} + q.value_len > header_.pool_len)
            return;
    }
    valid_ = true;
}

ScanRecord ShapeView::scan(size_t i) const {
    return read_at<ScanRecord>(blob_, scans_at_ + i * sizeof(ScanRecord));
}

Qual ShapeView::qual(const ScanRecord &s, size_t j) const {
    return read_at<Qual>(blob_, quals_at_ + (s.first_qual + j) * sizeof(Qual));
}

OrderColumn ShapeView::order(size_t j) const {
    return read_at<OrderColumn>(blob_, order_at_ + j * sizeof(OrderColumn));
}

std::string_view ShapeView::pool(uint16_t off, uint16_t len) const {
    if (len == 0) return {};
    return blob_.substr(pool_at_ + off, len);
}

}  // namespace pg_advisor
