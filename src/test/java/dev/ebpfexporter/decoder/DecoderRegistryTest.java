package dev.ebpfexporter.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.Source;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecoderRegistryTest {
    private final DecoderRegistry registry = new DecoderRegistry(Fixtures.lookups());

    @Test
    void buildsEveryDecoderTheReferenceKnows() throws ConfigException {
        for (String name : DecoderRegistry.NAMES) {
            DecoderConfig config = new DecoderConfig(name, Map.of("1", "one"), List.of("."), false, Source.NONE);
            assertThat(registry.create(config, -1)).as(name).isNotNull();
        }
        assertThat(DecoderRegistry.NAMES).hasSize(18);
    }

    @Test
    void buildsOurKubernetesDecoders() throws ConfigException {
        for (String name : DecoderRegistry.KUBE_NAMES) {
            assertThat(registry.create(DecoderConfig.named(name), -1)).as(name).isInstanceOf(KubeDecoder.class);
        }
        assertThat(DecoderRegistry.KUBE_NAMES).doesNotContainAnyElementsOf(DecoderRegistry.NAMES);
    }

    @Test
    void unknownDecoderFailsNamingItAndWhereItWasWritten() {
        DecoderConfig config = new DecoderConfig("foo", Map.of(), List.of(), false, new Source(Path.of("x.yaml"), 12));
        assertThatThrownBy(() -> registry.create(config, 8)).isInstanceOf(ConfigException.class)
                .hasMessage("x.yaml:12: unknown decoder \"foo\" (expected one of: cgroup, container_id, dname, errno, hex,"
                        + " ifname, inet_ip, kstack, ksym, kube_container, kube_namespace, kube_pod, kube_pod_uid, majorminor,"
                        + " pci_class, pci_device, pci_subclass, pci_vendor, regexp, static_map, string, syscall, uint)");
    }

    @Test
    void aMisspeltDecoderNameGetsADidYouMean() {
        DecoderConfig config = new DecoderConfig("majorminro", Map.of(), List.of(), false, new Source(Path.of("x.yaml"), 7));
        assertThatThrownBy(() -> registry.create(config, 4))
                .hasMessage("x.yaml:7: unknown decoder \"majorminro\" (did you mean \"majorminor\"?)");
    }

    @Test
    void everyNameTheRegistryKnowsBuildsADecoder() throws ConfigException {
        for (String name : DecoderRegistry.allNames()) {
            DecoderConfig config = new DecoderConfig(name, Map.of(), name.equals("regexp") ? List.of("x") : List.of(),
                    false, new Source(Path.of("x.yaml"), 1));
            Decoder first;
            try {
                first = registry.create(config, 8);
            } catch (ConfigException e) {
                first = registry.create(config, -1); // a decoder of text, after one of raw bytes
            }
            assertThat(first).as(name).isNotNull();
        }
    }

    @Test
    void uintOnALabelSizeItCannotReadFailsAtConfigTime() throws ConfigException {
        assertThatThrownBy(() -> registry.create(DecoderConfig.named("uint"), 3)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("\"uint\"").hasMessageContaining("3");
        assertThat(registry.create(DecoderConfig.named("uint"), 2)).isNotNull();
    }

    @Test
    void decodersAfterTheFirstAreNotSizeChecked() throws ConfigException {
        assertThat(registry.create(DecoderConfig.named("uint"), -1)).isNotNull();
        assertThat(registry.create(DecoderConfig.named("ifname"), -1)).isNotNull();
    }

    private static DecoderConfig at(String name, int line) {
        return new DecoderConfig(name, Map.of("1", "one"), List.of("."), false, new Source(Path.of("t.yaml"), line));
    }

    @Test
    void inetIpOnALabelThatIsNoAddressFailsAtConfigTime() throws ConfigException {
        for (int size : new int[] {1, 2, 6, 8, 12, 32}) {
            assertThatThrownBy(() -> registry.create(at("inet_ip", 9), size)).isInstanceOf(ConfigException.class)
                    .hasMessage("t.yaml:9: decoder \"inet_ip\" needs 4 (IPv4) or 16 (IPv6) bytes, but the label has " + size);
        }
        assertThat(registry.create(at("inet_ip", 9), 4)).isNotNull();
        assertThat(registry.create(at("inet_ip", 9), 16)).isNotNull();
    }

    @Test
    void aDecoderOfTextCannotBeFirstWhereItWouldReadRawBytes() throws ConfigException {
        assertThatThrownBy(() -> registry.create(at("static_map", 11), 8)).isInstanceOf(ConfigException.class)
                .hasMessage("t.yaml:11: decoder \"static_map\" reads text, but it is the label's first decoder and would"
                        + " get its 8 raw bytes: put a decoder such as uint or string before it");
        assertThatThrownBy(() -> registry.create(at("syscall", 12), 8)).isInstanceOf(ConfigException.class)
                .hasMessage("t.yaml:12: decoder \"syscall\" reads text, but it is the label's first decoder and would"
                        + " get its 8 raw bytes: put a decoder such as uint before it");
        assertThatThrownBy(() -> registry.create(at("kube_pod", 13), 8)).isInstanceOf(ConfigException.class)
                .hasMessage("t.yaml:13: decoder \"kube_pod\" reads text, but it is the label's first decoder and would"
                        + " get its 8 raw bytes: put a decoder such as cgroup before it");
        for (String name : List.of("cgroup", "errno", "pci_class", "pci_device", "pci_subclass", "pci_vendor",
                "container_id", "kube_container", "kube_namespace", "kube_pod_uid")) {
            assertThatThrownBy(() -> registry.create(at(name, 14), 4)).as(name).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("t.yaml:14: decoder \"" + name + "\" reads text");
            assertThat(registry.create(at(name, 14), -1)).as(name + " after another decoder").isNotNull();
        }
    }

    @Test
    void decodersOfRawBytesAndRegexpMayBeFirst() throws ConfigException {
        // regexp finds a name in a NUL-padded char array; the others read raw bytes of any size they accept.
        for (String name : List.of("regexp", "string", "hex", "dname", "uint")) {
            assertThat(registry.create(at(name, 15), 8)).as(name).isNotNull();
        }
    }
}
