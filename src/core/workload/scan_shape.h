// The shape of one planned statement, per relation it scans: which columns are filtered and
// how (equality, range, IN/ANY, LIKE prefix, IS NULL, other expression), the ORDER BY columns
// with their direction, LIMIT, and the planner's estimates. Captured once per query id by the
// planner hook, stored as a compact blob, read by the hotspot and index advisors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pg_advisor {

enum class QualKind : uint8_t {
    Equality = 1,    // col = x
    Range = 2,       // col < x, col >= x, BETWEEN
    InList = 3,      // col IN (...), col = ANY(array)
    LikePrefix = 4,  // col LIKE 'abc%' (anchored prefix)
    IsNull = 5,      // col IS NULL
    IsNotNull = 6,   // col IS NOT NULL
    Other = 7,       // anything else: <>, LIKE '%x', function-of-column, OR of columns...
    // One arm of an OR over several columns (a = $1 OR b = $2, each arm an equality or IN on a
    // column): recorded after the OR's Other qual, with Qual::nvalues the OR's number within
    // the scan (1, 2, ...). A BitmapOr needs an index for every arm.
    OrArm = 8,
};

enum class QualSource : uint8_t {
    None = 0,       // IS [NOT] NULL, boolean column
    Const = 1,      // literal in the query text
    Param = 2,      // $n supplied by the client
    JoinParam = 3,  // value from the outer side of a join (parameterised inner scan)
    Column = 4,     // another column of the same relation
    Expr = 5,       // a run-time expression (now(), subquery...)
};

enum class ScanType : uint8_t {
    Other = 0,
    SeqScan = 1,
    IndexScan = 2,
    IndexOnlyScan = 3,
    BitmapHeapScan = 4,
    TidScan = 5,
};

enum class CommandKind : uint8_t {
    Unknown = 0,
    Select = 1,
    Insert = 2,
    Update = 3,
    Delete = 4,
    Merge = 5,
    Utility = 6,
};

std::string_view qual_kind_name(QualKind k);
std::string_view qual_source_name(QualSource s);
std::string_view scan_type_name(ScanType t);
std::string_view command_name(CommandKind c);

struct Qual {
    int16_t attnum;     // column number; 0 when the qual is on an expression
    uint8_t kind;       // QualKind
    uint8_t source;     // QualSource
    uint32_t opno;      // comparison operator (0 for NULL tests)
    uint16_t expr_off;  // expression text in the pool (expression quals), else 0/0
    uint16_t expr_len;
    uint16_t value_off;  // constant text in the pool (source == Const), else 0/0
    uint16_t value_len;
    uint16_t nvalues;  // IN-list / ANY array length when known (OrArm: the OR's number), else 0
    uint16_t literal;  // Qual::kLiteralInText, i + 1 for the statement's literal i, else 0

    // The value is written in the statement without a literal (WHERE active, WHERE NOT active,
    // active IS TRUE).
    static constexpr uint16_t kLiteralInText = 0xFFFF;
};

// How views and findings name a qual: "customer_id eq param", "status in const[3]", with
// `subject` its column's name or its expression (values are not part of it). Appended to out
// (a fixed buffer: nothing allocates); subject.size() + 40 bytes always suffice.
class TextBuffer;
void describe_qual(TextBuffer &out, std::string_view subject, const Qual &q);

// One ORDER BY item of the statement; relid/attnum are 0 when it is not a plain column.
struct OrderColumn {
    uint32_t relid;
    int16_t attnum;
    uint8_t descending;
    uint8_t nulls_first;
};

struct ScanRecord {
    uint32_t relid;
    uint32_t index_oid;     // index used by the chosen plan (0 for a sequential scan)
    uint8_t scan_type;      // ScanType
    uint8_t parameterized;  // inner side of a nested loop (join quals arrive as parameters)
    uint8_t needs_more;     // needs columns beyond 64, or the whole row, above the scan
    uint8_t pad;
    uint16_t first_qual;
    uint16_t nquals;
    uint64_t needed_columns;  // bit n-1 set: column n is read by the statement (output or quals)
    double est_rows;          // rows per loop estimated by the planner
    double est_cost;          // total cost of the scan node
};

enum ShapeFlags : uint16_t {
    kShapeForUpdate = 1 << 0,   // FOR UPDATE / FOR SHARE
    kShapeSkipLocked = 1 << 1,  // ... SKIP LOCKED
    kShapeHasOffset = 1 << 2,
    kShapeCatalogOnly = 1 << 3,  // reads only system catalogs
    kShapeHasAggregate = 1 << 4,
    kShapeMultiRowValues = 1 << 5,  // INSERT ... VALUES with several rows, or INSERT ... SELECT
};

struct ShapeHeader {
    uint16_t version;
    uint16_t nscans;
    uint16_t nquals;
    uint16_t norder;
    uint16_t pool_len;
    uint16_t flags;   // ShapeFlags
    uint8_t command;  // CommandKind
    uint8_t pad[3];
    uint32_t result_relid;  // INSERT / UPDATE / DELETE / MERGE target, else 0
    uint32_t offset;        // OFFSET of the planned execution (capped at 2^32-1), 0 when none
    int64_t limit;          // -1 none, -2 parameter / expression, else the constant
    double total_cost;
    double plan_rows;
};

// Builds a shape in fixed-size storage (no allocation: it is filled while walking a plan,
// between catalog lookups that may raise an error).
class ShapeBuilder {
  public:
    static constexpr size_t kMaxScans = 16;
    static constexpr size_t kMaxQuals = 64;
    static constexpr size_t kMaxOrder = 32;
    static constexpr size_t kPoolSize = 2048;

    ShapeBuilder();
    ShapeHeader &header() { return header_; }
    // Starts a scan; returns false (and ignores further quals for it) when full.
    bool begin_scan(uint32_t relid, ScanType type, uint32_t index_oid, bool parameterized,
                    double est_rows, double est_cost);
    bool add_qual(int16_t attnum, QualKind kind, QualSource source, uint32_t opno,
                  std::string_view expr = {}, std::string_view value = {}, uint16_t nvalues = 0,
                  uint16_t literal = 0);
    // Column attnum of the current scan is read by the statement (attnum <= 0: whole row or
    // a system column; > 64: beyond what is tracked).
    void need_column(int attnum);
    // Whether the current scan already has a qual on this column.
    bool has_qual_on(int16_t attnum) const;
    // Next ORDER BY item of the statement.
    bool add_order(uint32_t relid, int16_t attnum, bool descending, bool nulls_first);
    size_t nscans() const { return header_.nscans; }
    bool truncated() const { return truncated_; }

    size_t encoded_size() const;
    // Writes the blob; returns its size (0 if cap is too small).
    size_t encode(char *out, size_t cap) const;

  private:
    uint16_t intern(std::string_view s, uint16_t &len);
    ShapeHeader header_;
    ScanRecord scans_[kMaxScans];
    Qual quals_[kMaxQuals];
    OrderColumn order_[kMaxOrder];
    char pool_[kPoolSize];
    bool truncated_ = false;
    bool scan_open_ = false;
};

// Read-only view over an encoded shape blob; every accessor is bounds-checked by valid().
class ShapeView {
  public:
    explicit ShapeView(std::string_view blob);
    bool valid() const { return valid_; }
    const ShapeHeader &header() const { return header_; }
    size_t nscans() const { return valid_ ? header_.nscans : 0; }
    ScanRecord scan(size_t i) const;
    Qual qual(const ScanRecord &s, size_t j) const;
    size_t norder() const { return valid_ ? header_.norder : 0; }
    OrderColumn order(size_t j) const;
    std::string_view expr(const Qual &q) const { return pool(q.expr_off, q.expr_len); }
    std::string_view value(const Qual &q) const { return pool(q.value_off, q.value_len); }

  private:
    std::string_view pool(uint16_t off, uint16_t len) const;
    std::string_view blob_;
    ShapeHeader header_{};
    size_t scans_at_ = 0, quals_at_ = 0, order_at_ = 0, pool_at_ = 0;
    bool valid_ = false;
};

}  // namespace pg_advisor
