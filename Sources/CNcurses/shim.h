// CNcurses: the pieces of ncursesw that Swift cannot import directly (globals Swift 6 rejects as not
// concurrency-safe, function-like macros, computed attribute and mouse masks, wcwidth hidden by glibc).
// Only one-line accessors live here; every decision is made in Swift (ConsoleTerminal).
#ifndef MEMCONSOLE_CNCURSES_SHIM_H
#define MEMCONSOLE_CNCURSES_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <unistd.h>
#include <signal.h>
#include <poll.h>
#include <ncursesw/curses.h>

// glibc declares wcwidth only under _XOPEN_SOURCE / _GNU_SOURCE; redeclaring the prototype is harmless.
extern int wcwidth(wchar_t c);

// ---- globals
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_max_y(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int cn_max_x(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

// ---- attributes and colours
static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_standout(void) { return A_STANDOUT; }
static inline attr_t cn_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }

// ---- status codes and key codes
static inline int cn_err(void) { return ERR; }
static inline int cn_ok(void) { return OK; }
static inline int cn_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cn_key_up(void) { return KEY_UP; }
static inline int cn_key_down(void) { return KEY_DOWN; }
static inline int cn_key_left(void) { return KEY_LEFT; }
static inline int cn_key_right(void) { return KEY_RIGHT; }
static inline int cn_key_ppage(void) { return KEY_PPAGE; }
static inline int cn_key_npage(void) { return KEY_NPAGE; }
static inline int cn_key_home(void) { return KEY_HOME; }
static inline int cn_key_end(void) { return KEY_END; }
static inline int cn_key_a1(void) { return KEY_A1; }
static inline int cn_key_c1(void) { return KEY_C1; }
static inline int cn_key_a3(void) { return KEY_A3; }
static inline int cn_key_c3(void) { return KEY_C3; }
static inline int cn_key_find(void) { return KEY_FIND; }
static inline int cn_key_select(void) { return KEY_SELECT; }
static inline int cn_key_enter(void) { return KEY_ENTER; }
static inline int cn_key_backspace(void) { return KEY_BACKSPACE; }
static inline int cn_key_dc(void) { return KEY_DC; }
static inline int cn_key_btab(void) { return KEY_BTAB; }
static inline int cn_key_resize(void) { return KEY_RESIZE; }
static inline int cn_key_mouse(void) { return KEY_MOUSE; }
static inline int cn_key_f(int n) { return KEY_F(n); }

// ---- mouse (wheel only)
static inline mmask_t cn_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t cn_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline int cn_wheel_direction(void) {
    MEVENT e;
    if (getmouse(&e) != OK) return 0;
    if (e.bstate & BUTTON4_PRESSED) return -1;
    if (e.bstate & BUTTON5_PRESSED) return 1;
    return 0;
}

// ---- wide characters
static inline int cn_wcwidth(wchar_t c) { return wcwidth(c); }

/// Writes one grapheme (up to CCHARW_MAX wide characters: a spacing base plus combining marks) at (y, x).
static inline int cn_mvadd_grapheme(int y, int x, const wchar_t *wchars, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, wchars, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}
/// Writes a run of wide characters at (y, x) with one attribute set; ncurses advances by each character's wcwidth.
static inline int cn_mvadd_wstr(int y, int x, const wchar_t *wstr, int n, attr_t attrs, short pair) {
    wattr_set(stdscr, attrs, pair, NULL);
    int result = mvwaddnwstr(stdscr, y, x, wstr, n);
    wattr_set(stdscr, A_NORMAL, 0, NULL);
    return result;
}
static inline int cn_ccharw_max(void) { return CCHARW_MAX; }

// ---- setup and termination
/// newterm instead of initscr: returns NULL (instead of exiting the process) when TERM is unknown.
static inline SCREEN *cn_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int cn_is_tty(int fd) { return isatty(fd); }

#endif
