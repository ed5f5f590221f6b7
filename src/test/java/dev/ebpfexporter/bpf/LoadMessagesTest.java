package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.link.AttachKinds;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Open and load failures whose errno points the wrong way say what happened, with real objects
 * (src/test/bpf): a function the kernel lacks, an extern libbpf cannot resolve, fentry on a kernel that
 * refuses it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadMessagesTest {
    private static Path object(String name) {
        return BpfAvailability.projectRoot().resolve("src/test/bpf/" + name + ".bpf.o");
    }

    @Test
    void aFunctionTheKernelLacksIsNamedNotNoSuchProcess() throws BpfException {
        BpfAvailability.require();
        try (BpfObject object = BpfObject.open(object("missing_target"), Optional.empty(), AttachKinds.sectionTypes())) {
            assertThatThrownBy(object::load).isInstanceOf(ProgramLoadException.class)
                    .hasMessage("missing_target.bpf.o: load failed: program on_missing_target"
                            + " (fentry/ebpf_exporter_no_such_function): this kernel has no function"
                            + " ebpf_exporter_no_such_function (none in its BTF)");
        }
    }

    @Test
    void anExternLibbpfCannotResolveIsNamedNotAMissingFile() {
        BpfAvailability.require();
        Path file = object("unresolved_extern");
        assertThat(file).isRegularFile();
        assertThatThrownBy(() -> BpfObject.open(file, Optional.empty(), AttachKinds.sectionTypes()))
                .isInstanceOf(BpfException.class)
                .hasMessage(file + ": cannot open BPF object: it calls 'ebpf_exporter_no_such_extern', an extern"
                        + " function with no BTF in the object, which libbpf cannot resolve (not a file that is missing:"
                        + " clang makes such a call of a memcmp or memcpy it does not inline; kernel functions are"
                        + " declared __ksym)");
    }

    @Test
    void fentryRefusedByTheKernelSaysSoAndWhatTracesTheFunctionInstead() throws BpfException {
        BpfAvailability.require();
        try (BpfObject object = BpfObject.open(object("fentry"), Optional.empty(), AttachKinds.sectionTypes())) {
            try {
                object.load();
                return; // this kernel allows fentry: nothing to explain
            } catch (ProgramLoadException e) {
                assertThat(e.programs()).containsExactly("on_fentry");
                assertThat(e).hasMessage("fentry.bpf.o: load failed: program on_fentry (fentry/do_nanosleep): this kernel"
                        + " does not allow fentry/fexit programs (Operation not permitted (errno 1), as root: not the"
                        + " memlock limit libbpf suggests); a kprobe program on the same function, or a kernel that"
                        + " allows BPF trampolines, traces it");
            }
        }
    }

    @Test
    void aUsdtProbeThatCannotAttachSaysWhy() throws BpfException {
        BpfAvailability.require();
        Path target = BpfAvailability.projectRoot().resolve("src/test/bpf/.output/compat_target").toAbsolutePath();
        try (BpfObject object = BpfObject.open(object("usdt_missing"), Optional.empty(), AttachKinds.sectionTypes())) {
            object.load();
            BpfProgram missing = object.programs().stream().filter(p -> p.name().equals("on_missing_usdt")).findFirst()
                    .orElseThrow();
            assertThatThrownBy(() -> AttachKinds.attach(missing)).isInstanceOf(BpfException.class)
                    .hasMessage("usdt_missing.bpf.o: program on_missing_usdt: attach to usdt/" + target
                            + ":compat:no_such_probe failed: No such file or directory (errno 2): " + target
                            + " has no USDT probe compat:no_such_probe");
            BpfProgram notElf = object.programs().stream().filter(p -> p.name().equals("on_not_elf")).findFirst()
                    .orElseThrow();
            assertThatThrownBy(() -> AttachKinds.attach(notElf)).isInstanceOf(BpfException.class)
                    .hasMessage("usdt_missing.bpf.o: program on_not_elf: attach to usdt//proc/self/status:compat:marker"
                            + " failed: Bad file descriptor (errno 9): libbpf: usdt: unrecognized ELF kind 0 for"
                            + " '/proc/self/status'");
        }
    }

    @Test
    void libbpfsMemlockHintOnARefusedFentryIsNoWarning() throws BpfException {
        BpfAvailability.require();
        ch.qos.logback.classic.Logger libbpf = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("libbpf");
        var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        appender.start();
        libbpf.addAppender(appender);
        try (BpfObject object = BpfObject.open(object("fentry"), Optional.empty(), AttachKinds.sectionTypes())) {
            object.load();
        } catch (ProgramLoadException e) {
            assertThat(appender.list).filteredOn(event -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .isNotEmpty().noneMatch(line -> line.contains("ulimit -l"));
        } finally {
            libbpf.detachAppender(appender);
        }
    }

    @Test
    void noKernelBtfSaysWhatIsMissingAndWhatToPass() {
        List<String> libbpf = List.of("libbpf: failed to find valid kernel BTF", "libbpf: Error loading vmlinux BTF: -3",
                "libbpf: failed to load object 'timers'");
        assertThat(LoadDiagnosis.load(3, libbpf, Map.of())).contains("this kernel has no BTF"
                + " (/sys/kernel/btf/vmlinux is missing); pass --btf.path with this kernel's BTF file or a BTF archive directory");
        assertThat(LoadDiagnosis.load(3, libbpf, Map.of(), true)).contains("this kernel has no BTF"
                + " (/sys/kernel/btf/vmlinux is missing) and --btf.path serves only CO-RE relocations: tp_btf,"
                + " fentry/fexit and typed __ksym programs need the kernel's own");
    }

    @Test
    void theDiagnosesFromLibbpfsLines() {
        assertThat(LoadDiagnosis.load(3, List.of("libbpf: prog 'p': failed to find kernel BTF type ID of"
                + " 'btf_trace_no_such_event': -3"), Map.of("p", "tp_btf/no_such_event")))
                .contains("program p (tp_btf/no_such_event): this kernel has no tracepoint no_such_event (none in its BTF)");
        // libbpf 1.1 names the tracepoint without the prefix (seen on 5.10 for page-cache's writeback_dirty_folio).
        assertThat(LoadDiagnosis.load(3, List.of("libbpf: prog 'writeback_dirty_folio': failed to find kernel BTF type ID"
                + " of 'writeback_dirty_folio': -3"), Map.of("writeback_dirty_folio", "tp_btf/writeback_dirty_folio")))
                .contains("program writeback_dirty_folio (tp_btf/writeback_dirty_folio): this kernel has no tracepoint"
                        + " writeback_dirty_folio (none in its BTF)");
        assertThat(LoadDiagnosis.load(1, List.of(), Map.of("p", "fexit/vfs_read")))
                .hasValueSatisfying(m -> assertThat(m).contains("a kretprobe program on the same function"));
        assertThat(LoadDiagnosis.load(1, List.of(), Map.of("p", "tp/sched/sched_switch"))).isEmpty();
        assertThat(LoadDiagnosis.load(22, List.of(), Map.of("p", "fentry/vfs_read"))).isEmpty();
        assertThat(LoadDiagnosis.open(List.of("libbpf: failed to find BTF for extern 'memcmp' [23] section: -2")))
                .hasValueSatisfying(m -> assertThat(m).startsWith("it calls 'memcmp', an extern function"));
    }
}
