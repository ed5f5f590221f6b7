/**
 * Which kernel BTF a load of the configs uses, for libbpf's CO-RE relocations and the inline format's vmlinux.h:
 * the kernel's own ({@code /sys/kernel/btf/vmlinux}), or what {@code --btf.path} names, a BTF file or a directory
 * laid out like the public BTF archives ({@code <os id>/<version id>/<arch>/<kernel release>.btf}, or beside it
 * {@code .btf.tar.xz}, extracted by {@link dev.ebpfexporter.btf.TarXz} to a private file deleted after the load).
 * {@link dev.ebpfexporter.btf.BtfResolver} picks, {@link dev.ebpfexporter.btf.BtfChoice} picks again for each
 * load (start-up, every reload) and logs the pick; a path that gives no BTF is one line naming it
 * ({@link dev.ebpfexporter.btf.BtfException}). Uses platform (the archives' name of the architecture), SLF4J and
 * XZ for Java; never bpf: it only finds and checks files, libbpf reads them.
 */
package dev.ebpfexporter.btf;
