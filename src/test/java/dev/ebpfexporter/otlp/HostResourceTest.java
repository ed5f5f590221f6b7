package dev.ebpfexporter.otlp;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HostResourceTest {
    @Test
    void addsHostNameArchAndOsTypeWhereTheEnvironmentDidNotSetThem(@TempDir Path dir) throws Exception {
        Path hostname = Files.writeString(dir.resolve("hostname"), "node-7\n");
        Resource resource = HostResource.addMissing(Resource.create(Attributes.builder().put("service.name", "s").build()),
                hostname);
        assertThat(resource.getAttribute(HostResource.HOST_NAME)).isEqualTo("node-7");
        assertThat(resource.getAttribute(HostResource.HOST_ARCH)).isEqualTo(HostResource.arch(System.getProperty("os.arch")));
        assertThat(resource.getAttribute(HostResource.OS_TYPE)).isEqualTo("linux");
        assertThat(resource.getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"))).isEqualTo("s");
    }

    @Test
    void keepsWhatTheEnvironmentSet(@TempDir Path dir) throws Exception {
        Path hostname = Files.writeString(dir.resolve("hostname"), "node-7\n");
        Resource set = Resource.create(Attributes.builder().put("host.name", "mine").put("host.arch", "s390x")
                .put("os.type", "plan9").build());
        Resource resource = HostResource.addMissing(set, hostname);
        assertThat(resource.getAttributes()).isEqualTo(set.getAttributes());
    }

    @Test
    void noHostNameWhenTheKernelFileCannotBeRead(@TempDir Path dir) {
        assertThat(HostResource.addMissing(Resource.empty(), dir.resolve("missing")).getAttribute(HostResource.HOST_NAME))
                .isNull();
    }

    @Test
    void archNamesFollowTheSemanticConventions() {
        assertThat(HostResource.arch("amd64")).isEqualTo("amd64");
        assertThat(HostResource.arch("aarch64")).isEqualTo("arm64");
        assertThat(HostResource.arch("ppc64le")).isEqualTo("ppc64");
        assertThat(HostResource.arch("i386")).isEqualTo("x86");
        assertThat(HostResource.arch("riscv64")).isEqualTo("riscv64");
    }
}
