package dev.ebpfexporter.decoder;

import dev.ebpfexporter.testing.BpfAvailability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KallsymsTest {
    private final Kallsyms fixture = new Kallsyms(Fixtures.ROOT.resolve("proc/kallsyms"));

    @Test
    void resolvesAnAddressToTheSymbolAtOrBelowIt() throws DecoderException {
        assertThat(fixture.resolve(0x1010L, 0x103fL, 0x1040L, 0x1041L))
                .containsExactly("do_one", "do_one", "do_two.constprop.0", "do_two.constprop.0");
    }

    @Test
    void comparesKernelAddressesUnsigned() throws DecoderException {
        assertThat(fixture.resolve(0xffffffff81000104L, 0x2000L))
                .containsExactly("tcp_keepalive_timer", "do_three");
    }

    @Test
    void sortsSymbolsListedOutOfOrderAndKeepsTheModuleSuffix() throws DecoderException {
        assertThat(fixture.resolve(0xffffffffc0200810L, 0xffffffffc0a01004L))
                .containsExactly("bpf_prog_0123456789abcdef_handle\t[bpf]", "nf_conntrack_in\t[nf_conntrack]");
    }

    @Test
    void sharedAddressResolvesToTheLastSymbolListed() throws DecoderException {
        assertThat(fixture.resolve(0x1000L)).containsExactly("__pfx_first_at_stext");
    }

    @Test
    void addressBelowEverySymbolHasNone() throws DecoderException {
        assertThat(fixture.resolve(0xfffL, 0L)).containsExactly(null, null);
    }

    @Test
    void readsTheFileOnceAndAgainOnlyWhenAnAddressHasNoSymbol(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kallsyms");
        Files.writeString(file, "0000000000000100 T hundred\n");
        Kallsyms symbols = new Kallsyms(file);
        assertThat(symbols.resolve(0x180L)).containsExactly("hundred");

        Files.writeString(file, "0000000000000010 T sixteen\n0000000000000180 T later\n", StandardOpenOption.APPEND);
        assertThat(symbols.resolve(0x180L)).as("a hit does not reread").containsExactly("hundred");
        assertThat(symbols.resolve(0x20L)).as("a miss rereads").containsExactly("sixteen");
        assertThat(symbols.resolve(0x180L)).containsExactly("later");
    }

    @Test
    void packedNamesKeepTheirBytesInFileOrderAndOutOfOrder(@TempDir Path dir) throws Exception {
        // names are packed into one byte array in place: long and short names side by side, a
        // multi-byte name, blank and typeless lines, no final newline, both the sorted and sorting paths
        String lines = "0000000000000100 T a_rather_long_symbol_name_to_overlap_the_next_line\n"
                + "\n"
                + "0000000000000200 t b\n"
                + "0000000000000300\n"
                + "0000000000000300 T caf\u00e9_\u00fc\n"
                + "0000000000000400 t mod_sym\t[some_module]";
        Path sorted = dir.resolve("sorted");
        Files.writeString(sorted, lines);
        Path shuffled = dir.resolve("shuffled");
        Files.writeString(shuffled, "0000000000000400 t mod_sym\t[some_module]\n" + lines.substring(0, lines.lastIndexOf('\n') + 1));
        for (Path file : new Path[] {sorted, shuffled}) {
            assertThat(new Kallsyms(file).resolve(0x100L, 0x1ffL, 0x200L, 0x301L, 0x400L, 0x500L))
                    .as(file.getFileName().toString())
                    .containsExactly("a_rather_long_symbol_name_to_overlap_the_next_line", "a_rather_long_symbol_name_to_overlap_the_next_line",
                            "b", "caf\u00e9_\u00fc", "mod_sym\t[some_module]", "mod_sym\t[some_module]");
        }
    }

    @Test
    void matchesANaiveSearchOverAShuffledTableWithSharedAddresses(@TempDir Path dir) throws Exception {
        var random = new Random(6);
        StringBuilder text = new StringBuilder();
        long[] addresses = new long[2000];
        String[] names = new String[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            // few distinct addresses so many are shared, some above the sign bit
            addresses[i] = (random.nextBoolean() ? 0xffffffff81000000L : 0x1000L) + 16L * random.nextInt(300);
            names[i] = "sym_" + i + "_" + "x".repeat(random.nextInt(40));
            text.append(String.format("%016x %c %s%n", addresses[i], random.nextBoolean() ? 'T' : 't', names[i]));
        }
        Path file = dir.resolve("kallsyms");
        Files.writeString(file, text);
        Kallsyms symbols = new Kallsyms(file);
        for (int probe = 0; probe < 3000; probe++) {
            long address = (random.nextBoolean() ? 0xffffffff81000000L : 0x1000L) + random.nextInt(16 * 301);
            // the symbol at the greatest address at or below, the last listed among equals
            String expected = null;
            long best = 0;
            for (int i = 0; i < addresses.length; i++) {
                if (Long.compareUnsigned(addresses[i], address) <= 0
                        && (expected == null || Long.compareUnsigned(addresses[i], best) >= 0)) {
                    best = addresses[i];
                    expected = names[i];
                }
            }
            if (expected != null) {
                assertThat(symbols.resolve(address)).as("0x%x", address).containsExactly(expected);
            }
        }
    }

    @Test
    void unreadableFileIsADecoderError(@TempDir Path dir) {
        assertThatThrownBy(() -> new Kallsyms(dir.resolve("missing")).resolve(1L))
                .isInstanceOf(DecoderException.class).hasMessageContaining("missing");
    }

    @Test
    void malformedAddressIsADecoderError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("kallsyms");
        Files.writeString(file, "zz T bad\n");
        assertThatThrownBy(() -> new Kallsyms(file).resolve(1L)).isInstanceOf(DecoderException.class);
    }

    @Test
    void parsesTheRealKallsymsWellUnderASecondAndFindsSchedule() throws Exception {
        Path real = Path.of("/proc/kallsyms");
        long schedule = RealSystem.symbolAddress("schedule");
        BpfAvailability.requireThat(schedule != 0, "kallsyms addresses hidden (not root?)");
        // CPU time of this thread, not wall time: other work on the machine must not fail the test.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        long start = threads.getCurrentThreadCpuTime();
        Kallsyms symbols = new Kallsyms(real);
        assertThat(symbols.resolve(schedule)).containsExactly("schedule");
        long firstMillis = (threads.getCurrentThreadCpuTime() - start) / 1_000_000;

        start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < 10_000; i++) {
            symbols.resolve(schedule + 1);
        }
        long lookupsMillis = (threads.getCurrentThreadCpuTime() - start) / 1_000_000;

        assertThat(firstMillis).as("parse CPU ms").isLessThan(1000);
        assertThat(lookupsMillis).as("10k lookups CPU ms, no reparse").isLessThan(200);
    }
}
