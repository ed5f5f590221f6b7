package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebpfexporter.config.DecoderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PciDecoderTest {
    private static String decode(String decoder, long id) throws Exception {
        return text(Fixtures.decoder(decoder).decode(text(Long.toString(id))));
    }

    @Test
    void vendorIdNamesTheVendor() throws Exception {
        assertThat(decode("pci_vendor", 0x8086)).isEqualTo("Intel Corporation");
        assertThat(decode("pci_vendor", 0x10de)).isEqualTo("NVIDIA Corporation");
        assertThat(decode("pci_vendor", 0xbeef)).isEqualTo("unknown pci vendor: 0xbeef");
    }

    @Test
    void vendorIdsPrintWithAtLeastTwoHexDigits() throws Exception {
        assertThat(decode("pci_vendor", 0xe11)).isEqualTo("unknown pci vendor: 0xe11");
        assertThat(decode("pci_vendor", 0x5)).isEqualTo("unknown pci vendor: 0x05");
    }

    @Test
    void vendorShiftedLeft16PlusDeviceNamesTheDevice() throws Exception {
        assertThat(decode("pci_device", 0x80861000L)).isEqualTo("82542 Gigabit Ethernet Controller (Fiber)");
        assertThat(decode("pci_device", 0x10de2704L)).isEqualTo("AD103 [GeForce RTX 4080]");
        assertThat(decode("pci_device", 0xdeadbeefL)).isEqualTo("unknown pci device: 0xdeadbeef");
    }

    @Test
    void classNamesTheBaseClass() throws Exception {
        assertThat(decode("pci_class", 0x01)).isEqualTo("Mass storage controller");
        assertThat(decode("pci_class", 0x0c)).isEqualTo("Serial bus controller");
        assertThat(decode("pci_class", 0xfd)).isEqualTo("unknown pci class: 0xfd");
    }

    @Test
    void classShiftedLeft8PlusSubclassNamesTheSubclass() throws Exception {
        assertThat(decode("pci_subclass", 0x0005)).isEqualTo("Image coprocessor");
        assertThat(decode("pci_subclass", 0x0108)).isEqualTo("Non-Volatile memory controller");
        assertThat(decode("pci_subclass", 0x0c03)).isEqualTo("USB controller");
        assertThat(decode("pci_subclass", 0xfd00)).isEqualTo("unknown pci class: 0xfd");
        assertThat(decode("pci_subclass", 0x010b)).isEqualTo("unknown pci subclass: 0x0b (class 0x01)");
    }

    @Test
    void withoutPciIdsEveryIdIsMissingPciIdsDb(@TempDir Path root) throws Exception {
        KernelLookups bare = KernelLookups.under(root, "amd64");
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
