/**
 * Attaching programs: {@link dev.ebpfexporter.bpf.link.AttachKinds} is the one table of attach kinds (section
 * prefix, its {@link dev.ebpfexporter.bpf.link.Attacher}, the prefixes libbpf must be taught, the inline (v1)
 * config form, whether the program gets the probed function's arguments, whether it needs tracefs) and the only
 * place a new kind is added; {@link dev.ebpfexporter.bpf.link.BpfLink} is one attachment. The attachers: libbpf's
 * automatic attach (with the no-kprobes hint), perf events on every online CPU
 * ({@code perf_event/type=T,config=C,...}), XDP on a named interface ({@code xdp/<interface>}) and the
 * reference's {@code uprobe//proc/self/exe:post_attach_mark} on our own library
 * ({@link dev.ebpfexporter.bpf.link.PostAttachMark}, which also calls that function once every config is
 * attached); and mounting tracefs. Uses {@code bpf} (programs) and {@code sys}; never {@code events} or
 * {@code check}. The {@code bcc} package reads the table's data (inline forms, typed arguments) and never attaches.
 */
package dev.ebpfexporter.bpf.link;
