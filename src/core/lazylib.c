/* lazylib.c - see lazylib.h. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "lazylib.h"

static void lazylib_load(const LazyLib *lib)
{
    void *h = NULL;
    const char *last_error = "no file name to try";
    for (const char *const *f = lib->files; *f && !h; f++) {
        h = dlopen(*f, RTLD_NOW | RTLD_GLOBAL);
        if (!h)
            last_error = dlerror();
    }
    if (!h) {
        fprintf(stderr, "storywire: cannot load %s (%s); install it with scripts/install-deps.sh\n", lib->what,
                last_error ? last_error : "unknown error");
        exit(1);
    }
    for (size_t i = 0; lib->symbols[i]; i++) {
        dlerror();
        void *p = dlsym(h, lib->symbols[i]);
        const char *e = dlerror();
        if (!p || e) {
            fprintf(stderr, "storywire: %s has no symbol %s (%s); is it too old?\n", lib->what, lib->symbols[i],
                    e ? e : "null address");
            exit(1);
        }
        lib->slots[i] = p;
    }
}

void *lazylib_sym(LazyLib *lib, int i)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    if (!__atomic_load_n(&lib->loaded, __ATOMIC_ACQUIRE)) {
        pthread_mutex_lock(&lock);
        if (!lib->loaded) {
            lazylib_load(lib);
            __atomic_store_n(&lib->loaded, 1, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&lock);
    }
    return lib->slots[i];
}
