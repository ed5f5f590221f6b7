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
                .hasMessage("x.yaml:12: unknown decoder \"foo\"");
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
}
