// libFuzzer target over analyze-log's readers and analyser: the input is read as a stderr log
// (auto-detected prefix and a custom one), a csvlog and a jsonlog, and every record is fed to
// the analyser. No input may crash, leak or read out of bounds (ASan).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cli/log/analyzer.h"
#include "cli/log/line_source.h"
#include "cli/log/readers.h"

using namespace pg_advisor::cli::log;

namespace {

void run(std::string_view bytes, LogFormat format, const std::string &prefix) {
    LineSource src = LineSource::from_memory(bytes);
    auto reader = make_reader(format, src, prefix);
    AnalyzerOptions o;
    o.min_repeats = 2;
    Analyzer analyzer(o);
    LogRecord rec;
    while (reader->next(rec))
        analyzer.add(rec);
    analyzer.finish();
    (void)analyzer.findings();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char *>(data), size);
    run(bytes, LogFormat::Stderr, "");
    run(bytes, LogFormat::Stderr, "%n|%c|%p|%u@%d|%a ");
    run(bytes, LogFormat::Csv, "");
    run(bytes, LogFormat::Json, "");
    // The first line as a log_line_prefix of its own.
    std::string_view first = bytes.substr(0, bytes.find('\n'));
    PrefixMatcher m;
    if (first.size() < 200 && m.compile(first))
        run(bytes.substr(first.size()), LogFormat::Stderr, std::string(first));
    return 0;
}
