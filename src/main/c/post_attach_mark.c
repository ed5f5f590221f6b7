/*
 * post_attach_mark: a function the exporter calls once, after every config is attached. A config
 * written for the reference exporter probes it with SEC("uprobe//proc/self/exe:post_attach_mark") to
 * run a program once at start (to initialise a gauge before any event comes). Here /proc/self/exe is
 * the JVM, which has no such function, so it lives in this library instead: the exporter attaches
 * such sections to this file and calls the function through FFM (bpf/link/PostAttachMark.java).
 */

/* noinline and used keep a real, exported function at a fixed offset for the uprobe to hit. */
__attribute__((noinline, used, visibility("default"))) void post_attach_mark(void)
{
    /* An empty asm the compiler must keep, so the body (and so the function) is never optimised away. */
    __asm__ volatile("" ::: "memory");
}
