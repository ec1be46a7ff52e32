#include "CBuildInfo.h"

// A C string macro, because a Swift -D flag carries no value. Only this file sees the define, so a new revision
// recompiles this file and relinks the binary, nothing else.
#ifndef MEMCONSOLE_GIT_REVISION
#define MEMCONSOLE_GIT_REVISION ""
#endif

const char *memconsole_build_git_revision(void) { return MEMCONSOLE_GIT_REVISION; }
