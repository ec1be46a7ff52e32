#ifndef MEMCONSOLE_CBUILDINFO_H
#define MEMCONSOLE_CBUILDINFO_H

/// The git revision the binary was built from ("" when it was not built through scripts/install, scripts/demo or
/// scripts/test in a checkout). Package.swift sets it from MEMCONSOLE_GIT_REVISION; see docs/install.md.
const char *memconsole_build_git_revision(void);

#endif
