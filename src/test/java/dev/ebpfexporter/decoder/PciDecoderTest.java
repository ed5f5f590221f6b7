package dev.ebpfexporter.decoder;

import dev.ebpfexporter.platform.Architecture;
import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebpfexporter.config.DecoderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PciDecoderTest {
    private static String decode(String decoder, long id) throws Exception {
        return text(Fixtures.decoder(decoder).decode(text(Long.toString(id))));
    }

    /**
     * pci_vendor: the 16-bit vendor id, printed with at least two hex digits when unknown; pci_device:
     * vendor << 16 | device; pci_class: the base class; pci_subclass: class << 8 | subclass.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            pci_vendor   | 0x8086     | Intel Corporation
            pci_vendor   | 0x10de     | NVIDIA Corporation
            pci_vendor   | 0xbeef     | unknown pci vendor: 0xbeef
            pci_vendor   | 0xe11      | unknown pci vendor: 0xe11
            pci_vendor   | 0x5        | unknown pci vendor: 0x05
            pci_device   | 0x80861000 | 82542 Gigabit Ethernet Controller (Fiber)
            pci_device   | 0x10de2704 | AD103 [GeForce RTX 4080]
            pci_device   | 0xdeadbeef | unknown pci device: 0xdeadbeef
            pci_class    | 0x01       | Mass storage controller
            pci_class    | 0x0c       | Serial bus controller
            pci_class    | 0xfd       | unknown pci class: 0xfd
            pci_subclass | 0x0005     | Image coprocessor
            pci_subclass | 0x0108     | Non-Volatile memory controller
            pci_subclass | 0x0c03     | USB controller
            pci_subclass | 0xfd00     | unknown pci class: 0xfd
            pci_subclass | 0x010b     | unknown pci subclass: 0x0b (class 0x01)
            """)
    void namesIdsFromPciIds(String decoder, String hexId, String expected) throws Exception {
        assertThat(decode(decoder, Long.parseLong(hexId.substring(2), 16))).isEqualTo(expected);
    }

    @Test
    void withoutPciIdsEveryIdIsMissingPciIdsDb(@TempDir Path root) throws Exception {
        KernelLookups bare = KernelLookups.under(root, Architecture.X86_64);
        for (String name : new String[] {"pci_vendor", "pci_device", "pci_class", "pci_subclass"}) {
            Decoder decoder = new DecoderRegistry(bare).create(DecoderConfig.named(name), -1);
            assertThat(text(decoder.decode(text("32902")))).isEqualTo("missing pci.ids db");
        }
    }

    @Test
    void failsOnTextThatIsNotANumber() {
        assertThatThrownBy(() -> Fixtures.decoder("pci_vendor").decode(text("intel"))).isInstanceOf(DecoderException.class);
    }

    @Test
    void namesIntelFromTheRealPciIds() throws Exception {
        dev.ebpfexporter.testing.BpfAvailability.requireThat(Files.exists(Path.of("/usr/share/misc/pci.ids"))
                || Files.exists(Path.of("/usr/share/hwdata/pci.ids")), "no pci.ids is installed (Debian package pci.ids)");
        Decoder vendor = DecoderRegistry.forSystem().create(DecoderConfig.named("pci_vendor"), -1);
        assertThat(text(vendor.decode(text("32902")))).isEqualTo("Intel Corporation");
        Decoder subclass = DecoderRegistry.forSystem().create(DecoderConfig.named("pci_subclass"), -1);
        assertThat(text(subclass.decode(text("512")))).isEqualTo("Ethernet controller");
    }
}
