// Non-variadic wrappers over libedit's native API (histedit.h), callable from Swift.
// el_set, el_get and history are variadic in C, which Swift cannot call; stdin/stdout/stderr are C globals,
// which Swift 6 refuses to touch. Every such use lives here.
#ifndef CLIBEDIT_SHIM_H
#define CLIBEDIT_SHIM_H

#include <histedit.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef char *(*clibedit_prompt_fn)(EditLine *);
typedef unsigned char (*clibedit_command_fn)(EditLine *, int);

static inline EditLine *clibedit_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

static inline void clibedit_set_prompt(EditLine *el, clibedit_prompt_fn prompt) { el_set(el, EL_PROMPT, prompt); }
static inline void clibedit_set_editor(EditLine *el, const char *mode) { el_set(el, EL_EDITOR, mode); }
static inline void clibedit_set_signal(EditLine *el, int on) { el_set(el, EL_SIGNAL, on); }
static inline void clibedit_set_client_data(EditLine *el, void *data) { el_set(el, EL_CLIENTDATA, data); }
static inline void *clibedit_get_client_data(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
static inline void clibedit_add_function(EditLine *el, const char *name, const char *help, clibedit_command_fn fn) {
    el_set(el, EL_ADDFN, name, help, fn);
}
static inline void clibedit_bind(EditLine *el, const char *key, const char *name) { el_set(el, EL_BIND, key, name, NULL); }
static inline void clibedit_set_history(EditLine *el, History *h) { el_set(el, EL_HIST, history, h); }
static inline int clibedit_source(EditLine *el, const char *file) { return el_source(el, file); }

/// The line being edited: its text up to the cursor is [buffer, cursor).
static inline const LineInfo *clibedit_line(EditLine *el) { return el_line(el); }

static inline History *clibedit_history_init(void) { return history_init(); }
static inline void clibedit_history_end(History *h) { history_end(h); }
static inline int clibedit_history_set_size(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}
static inline int clibedit_history_set_unique(History *h, int unique) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, unique);
}
static inline int clibedit_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}
static inline int clibedit_history_load(History *h, const char *file) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, file);
}
static inline int clibedit_history_save(History *h, const char *file) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, file);
}

static inline void clibedit_set_locale(void) { setlocale(LC_CTYPE, ""); }

/// Writes text to the terminal's stdout and flushes (for listing completion candidates).
static inline void clibedit_print(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

#endif
