package dev.ebpfexporter.decoder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Without CAP_SYSLOG /proc/kallsyms lists every symbol at address 0: such a table must not decode (every
 * timer would become one series), and must not replace a table read while the process could see addresses.
 */
class HiddenKallsymsTest {
    private static final String REAL = "ffffffff81000000 T _stext\nffffffff81000100 T tcp_keepalive_timer\n"
            + "ffffffff81000200 t delayed_work_timer_fn\n";
    private static final String HIDDEN = "0000000000000000 T _stext\n0000000000000000 T tcp_keepalive_timer\n"
            + "0000000000000000 t delayed_work_timer_fn\n";

    @TempDir
    Path dir;

    @Test
    void aHiddenTableIsAnErrorNotOneSymbolForEveryAddress() throws Exception {
        Path file = Files.writeString(dir.resolve("kallsyms"), HIDDEN);
        KsymDecoder decoder = new KsymDecoder(new Kallsyms(file));
        assertThatThrownBy(() -> decoder.decode(new byte[]{0, 1, 0, (byte) 0x81, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .isInstanceOf(DecoderException.class)
                .hasMessage("kernel symbols in " + file + " are hidden (every address is 0): reading them needs"
                        + " CAP_SYSLOG (kernel.kptr_restrict)");
    }

    @Test
    void symbolsReadBeforeADropStayWhenTheFileTurnsHidden() throws Exception {
        Path file = Files.writeString(dir.resolve("kallsyms"), REAL);
        Kallsyms symbols = new Kallsyms(file);
        symbols.preload();
        Files.writeString(file, HIDDEN); // what a re-read shows after the switch to an unprivileged user
        // An address with no symbol makes the table re-read: the hidden one must not replace it.
        assertThat(symbols.resolve(0x10L)).containsExactly((String) null);
        assertThat(symbols.resolve(0xffffffff81000104L, 0xffffffff81000208L))
                .containsExactly("tcp_keepalive_timer", "delayed_work_timer_fn");
    }

    /**
     * /proc/kallsyms decides at open whether its reader sees addresses, so a descriptor opened before the switch
     * to an unprivileged user still shows them, modules loaded later included, where a fresh open shows zeros.
     * A file stands in: a hard link reaches the inode opened first, the path is replaced by a hidden table.
     */
    @Test
    void reReadsGoThroughTheDescriptorOpenedBeforeTheDrop() throws Exception {
        Path file = Files.writeString(dir.resolve("kallsyms"), REAL);
        Path opened = Files.createLink(dir.resolve("opened-first"), file);
        Kallsyms symbols = new Kallsyms(file);
        symbols.preload();
        Path hidden = Files.writeString(dir.resolve("hidden"), HIDDEN);
        Files.move(hidden, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        // A symbol appears after the drop, below every known one (so its address has no symbol yet and makes
        // the table re-read): the descriptor opened first shows it.
        Files.writeString(opened, REAL + "ffffffff80000000 t nf_conntrack_in\t[nf_conntrack]\n");
        assertThat(symbols.resolve(0xffffffff80000004L)).containsExactly("nf_conntrack_in\t[nf_conntrack]");
        assertThat(symbols.resolve(0xffffffff81000104L)).containsExactly("tcp_keepalive_timer");
    }
}
