/**
 * The reference exporter's first config format (v1): {@code programs:} with BCC-flavoured C inline in the YAML,
 * run without BCC by rewriting it into libbpf CO-RE C and compiling it with clang at startup (cached).
 * Uses config (the YAML reader and the records) and runs clang, bpftool and mount as processes (from fixed system
 * directories, with a fixed environment: {@link dev.ebpfexporter.bcc.TrustedTools}); no BPF or metrics.
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>{@link dev.ebpfexporter.bcc.InlineConfigs#isInlineFormat(java.nio.file.Path)}: a YAML file whose top level
 *       has {@code programs:} is v1 and goes here instead of the v2 loader.</li>
 *   <li>{@code InlineConfigs.load(file, unknownKeys, kernelBtf)} (system clang/bpftool, the kernel's types from
 *       {@code kernelBtf}, its own or {@code --btf.path}'s, cache in
 *       {@code /var/cache/ebpf-exporter/bcc}, else {@code ${java.io.tmpdir}/ebpf-exporter-bcc}) or
 *       {@code new InlineConfigs(new BccCompiler(ClangToolchain.system(btf), ObjectCache.at(dir))).read(file)}:
 *       one {@link dev.ebpfexporter.config.ExporterConfig} per program, its {@code objectFile} the compiled object.</li>
 * </ul>
 *
 * <h2>Naming</h2>
 * A file with one program gives a config named after the file ({@code timers.yaml} → {@code timers}); with several
 * programs each is {@code <file>/<program>}. {@code table:} becomes the metric's map. Metric names get the same
 * {@code ebpf_exporter_} prefix as v2 ones, as in v1.
 *
 * <h2>YAML</h2>
 * {@code programs[].{name, metrics, code, tracepoints, raw_tracepoints, kprobes, kretprobes, uprobes, uretprobes,
 * perf_events, cflags, kaddrs}}; attach maps are {@code <where>: <function>}:
 * {@code tracepoints: {cat:event: fn}} → {@code SEC("tp/cat/event")}, {@code raw_tracepoints: {event: fn}} →
 * {@code raw_tp/event}, {@code kprobes}/{@code kretprobes: {kfunc: fn}} → {@code kprobe/kfunc} /
 * {@code kretprobe/kfunc}, {@code uprobes}/{@code uretprobes: {binary:symbol: fn}} → {@code uprobe/binary:symbol}
 * (libbpf's form; our extension), {@code perf_events: [{type, name, target, sample_frequency|sample_period}]} →
 * {@code perf_event/type=T,config=N,frequency=F} (or {@code period=P}) for {@code target}. A function attached
 * several times gets one program per attach point ({@code fn}, {@code fn__2}, ...). {@code kaddrs} are declared
 * as {@code const volatile u64 kaddr_<symbol>} for the loader to set. {@code cflags} go to clang.
 * Counters: {@code name, help, table, labels}; histograms also {@code bucket_type, bucket_min, bucket_max,
 * bucket_multiplier} (default 1), {@code bucket_keys}; labels {@code name, size, padding, decoders}.
 *
 * <h2>C dialect</h2>
 * Supported: {@code BPF_HASH(name[, key[, leaf[, size]]])} (u64, u64, 10240), {@code BPF_ARRAY(name[, leaf[, size]])}
 * (u32 key), {@code BPF_PERCPU_ARRAY}, {@code BPF_PERCPU_HASH}, {@code BPF_LRU_HASH}, {@code BPF_LRU_PERCPU_HASH},
 * {@code BPF_HISTOGRAM(name[, key[, size]])} (int key → array, other keys → hash; 64 entries),
 * {@code BPF_TABLE("hash"|"array"|"percpu_hash"|"percpu_array"|"lru_hash"|"lru_percpu_hash"|"histogram", ...)};
 * methods {@code increment(k[, n])}, {@code atomic_increment}, {@code lookup}, {@code lookup_or_try_init}
 * ({@code lookup_or_init}), {@code update}, {@code insert}, {@code delete}; {@code TRACEPOINT_PROBE(cat, event)}
 * with {@code args} typed as the kernel's {@code struct trace_event_raw_<event>} (CO-RE) or, when BTF has no such
 * struct (events of a shared class), a struct generated from tracefs' format file (offsets checked at compile
 * time); {@code struct tracepoint__cat__event}; {@code RAW_TRACEPOINT_PROBE(event)}; kprobe functions with BCC's
 * extra typed arguments (filled from {@code PT_REGS_PARMn}); {@code bpf_log2l}, {@code bpf_log2},
 * {@code lock_xadd}, {@code bpf_trace_printk} (→ {@code bpf_printk}) and libbpf's helpers and macros.
 * {@code #include <linux/...>}, {@code <uapi/...>} and other kernel headers are dropped (vmlinux.h has the types).
 * <p>
 * Not supported, failing with {@code <yaml>:<line>: program "<name>": <what> is not supported}:
 * {@code BPF_PERF_OUTPUT}, {@code BPF_STACK_TRACE}, {@code BPF_RINGBUF_OUTPUT} and every other {@code BPF_*(...)}
 * macro, table macros inside {@code #define}, methods such as {@code perf_submit}, {@code get_stackid},
 * {@code ringbuf_*}. Not rewritten (clang reports them at their YAML line): BCC's implicit
 * {@code bpf_probe_read} of kernel pointer dereferences in kprobes (use {@code BPF_CORE_READ}), USDT.
 */
package dev.ebpfexporter.bcc;
