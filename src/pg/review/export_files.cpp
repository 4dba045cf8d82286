// Writing an exported report under pg_advisor.export_directory (see export_files.h).
#include <exception>
#include <string>
#include <vector>

#include "core/report/report.h"

extern "C" {
#include "postgres.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/pg_authid.h"
#include "common/file_perm.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/acl.h"
}

#include "pg/boundary/pg_guard.h"
#include "pg/compat.h"
#include "pg/review/export_files.h"
#include "pg/review/review_settings.h"

namespace {

[[noreturn]] void refuse(int code, const std::string &message, const std::string &hint = "") {
    PgError e = PgError::make(code, message.c_str());
    if (!hint.empty()) pga_copy_message(e.detail, sizeof e.detail, hint.c_str());
    throw e;
}

bool has_dot_dot(const std::string &path) {
    size_t start = 0;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        if (path.compare(start, slash - start, "..") == 0 && slash - start == 2) return true;
        start = slash + 1;
    }
    return false;
}

// The canonical path (symbolic links resolved), or "" when it does not exist.
std::string real_path(const std::string &path) {
    char buf[PATH_MAX];
    return realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

bool inside(const std::string &path, const std::string &root) {
    return path == root || (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
                            (root == "/" || path[root.size()] == '/'));
}

// Creates dir and its missing parents (each below root), 0700 as the server's files are.
void make_dirs(const std::string &dir) {
    pga_pg_subxact([&] {
        if (pg_mkdir_p(const_cast<char *>(pstrdup(dir.c_str())), pg_dir_create_mode) != 0 &&
            errno != EEXIST)
            ereport(ERROR, (errcode_for_file_access(),
                            errmsg("could not create directory \"%s\": %m", dir.c_str())));
    });
}

// Writes content to path through a temporary file renamed into place (never followed
// through a symbolic link), so a reader sees the old file or the whole new one.
void write_file(const std::string &path, const std::string &content) {
    std::string tmp = path + ".tmp";
    pga_pg_subxact([&] {
        int fd =
            OpenTransientFile(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | PG_BINARY);
        if (fd < 0)
            ereport(ERROR, (errcode_for_file_access(),
                            errmsg("could not create file \"%s\": %m", tmp.c_str())));
        size_t done = 0;
        while (done < content.size()) {
            ssize_t n = write(fd, content.data() + done, content.size() - done);
            if (n <= 0) {
                int saved = errno;
                CloseTransientFile(fd);
                unlink(tmp.c_str());
                errno = saved ? saved : ENOSPC;
                ereport(ERROR, (errcode_for_file_access(),
                                errmsg("could not write file \"%s\": %m", tmp.c_str())));
            }
            done += (size_t)n;
        }
        if (CloseTransientFile(fd) != 0)
            ereport(ERROR, (errcode_for_file_access(),
                            errmsg("could not close file \"%s\": %m", tmp.c_str())));
        (void)durable_rename(tmp.c_str(), path.c_str(), ERROR);
    });
}

}  // namespace

std::string pga_export_target(const char *directory) {
    bool allowed = false;
    pga_pg_subxact([&] {
        allowed = superuser() || has_privs_of_role(GetUserId(), ROLE_PG_WRITE_SERVER_FILES);
    });
    if (!allowed)
        refuse(ERRCODE_INSUFFICIENT_PRIVILEGE,
               "advisor.export_report writes files on the server: only superusers and members of "
               "pg_write_server_files may call it");
    std::string root_setting(pga_export_directory ? pga_export_directory : "");
    if (root_setting.empty())
        refuse(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
               "pg_advisor.export_directory is not set: reports are exported only under it",
               "A superuser sets it, e.g. ALTER SYSTEM SET pg_advisor.export_directory = "
               "'/var/lib/postgresql/reviews'; SELECT pg_reload_conf();");
    std::string root = real_path(root_setting);
    if (root.empty())
        refuse(ERRCODE_UNDEFINED_FILE, "pg_advisor.export_directory \"" + root_setting +
                                           "\" does not exist or cannot be resolved");
    std::string dir(directory);
    char *clipped = nullptr;
    pga_pg_subxact([&] { clipped = pga_clip_input(directory, 200); });
    std::string shown(clipped);
    if (dir.empty() || dir[0] != '/')
        refuse(ERRCODE_INVALID_PARAMETER_VALUE,
               "export directory \"" + shown + "\" is not an absolute path",
               "Give a path under pg_advisor.export_directory (" + root_setting + ").");
    if (has_dot_dot(dir))
        refuse(ERRCODE_INVALID_PARAMETER_VALUE,
               "export directory \"" + shown + "\" contains \"..\"");
    // The setting as written and as resolved: either prefix is accepted in the argument.
    std::string lexical = root_setting.size() > 1 && root_setting.back() == '/'
                              ? root_setting.substr(0, root_setting.size() - 1)
                              : root_setting;
    if (!inside(dir, lexical) && !inside(dir, root))
        refuse(ERRCODE_INSUFFICIENT_PRIVILEGE, "export directory \"" + shown +
                                                   "\" is outside pg_advisor.export_directory (" +
                                                   root_setting + ")");
    make_dirs(dir);
    std::string resolved = real_path(dir);
    if (resolved.empty() || !inside(resolved, root))
        refuse(ERRCODE_INSUFFICIENT_PRIVILEGE,
               "export directory \"" + shown + "\" resolves to \"" + resolved +
                   "\", outside pg_advisor.export_directory (a symbolic link?)");
    return resolved;
}

std::vector<std::string> pga_write_export(
    const std::string &dir, const std::vector<pg_advisor::report::ReportFile> &files) {
    // Finding files first (written aside, their folder renamed into place whole, so it never
    // mixes two exports), then the summary, the JSON and the HTML, each renamed into place.
    std::vector<std::string> written;
    std::string folder;
    for (const auto &f : files) {
        size_t slash = f.path.find('/');
        if (slash == std::string::npos) continue;
        std::string staged = dir + "/." + f.path.substr(0, slash) + ".new";
        if (folder.empty()) {  // what an export that failed half-way left is not reused
            pga_pg_subxact([&] {
                struct stat st;
                if (lstat(staged.c_str(), &st) == 0) (void)rmtree(staged.c_str(), true);
            });
        }
        folder = f.path.substr(0, slash);
        make_dirs(staged);
        write_file(staged + f.path.substr(slash), f.content);
        written.push_back(dir + "/" + f.path);
    }
    if (!folder.empty()) {
        std::string target = dir + "/" + folder, staged = dir + "/." + folder + ".new",
                    old = dir + "/." + folder + ".old";
        pga_pg_subxact([&] {
            struct stat st;
            if (lstat(old.c_str(), &st) == 0) (void)rmtree(old.c_str(), true);
            if (lstat(target.c_str(), &st) == 0 && rename(target.c_str(), old.c_str()) != 0)
                ereport(ERROR, (errcode_for_file_access(),
                                errmsg("could not rename \"%s\": %m", target.c_str())));
            if (rename(staged.c_str(), target.c_str()) != 0)
                ereport(ERROR, (errcode_for_file_access(),
                                errmsg("could not rename \"%s\": %m", staged.c_str())));
            if (lstat(old.c_str(), &st) == 0) (void)rmtree(old.c_str(), true);
        });
    }
    std::vector<std::string> tail;
    for (const auto &f : files) {
        if (f.path.find('/') != std::string::npos) continue;
        write_file(dir + "/" + f.path, f.content);
        std::string full = dir + "/" + f.path;
        if (f.path.size() > 3 && f.path.compare(f.path.size() - 3, 3, ".md") == 0)
            written.insert(written.begin(), full);
        else
            tail.push_back(full);
    }
    written.insert(written.end(), tail.begin(), tail.end());
    return written;
}
