package dev.ebpfexporter.decoder;

import dev.ebpfexporter.platform.Architecture;
import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebpfexporter.config.DecoderConfig;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeDecoderTest {
    private static final String UID = "0f3c5a1e-7d2b-4c9e-8a61-2b4f6d8e9a10";
    private static final String CONTAINERD = "a".repeat(60) + "0001";
    private static final String CRIO = "b".repeat(60) + "0002";
    private static final String DOCKER = "c".repeat(60) + "0003";

    /** Decodes a cgroup path through one kube decoder with names from the node files under root. */
    private static String decode(String decoder, String path, Path root) throws Exception {
        KernelLookups lookups = KernelLookups.under(root, Architecture.X86_64);
        return text(new DecoderRegistry(lookups).create(DecoderConfig.named(decoder), -1).decode(text(path)));
    }

    /** The kubelet's pod log directory and each runtime's container spec, as on a node. */
    private static Path node(Path root) throws Exception {
        Files.createDirectories(root.resolve("var/log/pods/monitoring_node-agent-7xk2p_" + UID + "/agent"));
        Files.createDirectories(root.resolve("var/log/pods/kube-system_coredns-5d78c9869d-abcde_" + UUID.randomUUID()));
        write(root.resolve("run/containerd/io.containerd.runtime.v2.task/k8s.io/" + CONTAINERD + "/config.json"),
                "{\"ociVersion\":\"1.1.0\",\"annotations\":{\"io.kubernetes.cri.container-type\":\"container\","
                        + "\"io.kubernetes.cri.container-name\":\"agent\",\"io.kubernetes.cri.sandbox-namespace\":\"monitoring\"}}");
        write(root.resolve("run/containers/storage/overlay-containers/" + CRIO + "/userdata/config.json"),
                "{\"annotations\": {\n  \"io.kubernetes.container.name\": \"sidecar\",\n  \"io.kubernetes.pod.name\": \"x\"}}");
        write(root.resolve("var/lib/docker/containers/" + DOCKER + "/config.v2.json"),
                "{\"Config\":{\"Labels\":{\"io.kubernetes.container.name\":\"legacy\",\"io.kubernetes.pod.namespace\":\"old\"}}}");
        return root;
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void systemdDriverPathGivesPodUidContainerIdAndNames(@TempDir Path root) throws Exception {
        node(root);
        String path = "/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + UID.replace('-', '_') + ".slice/cri-containerd-" + CONTAINERD + ".scope";
        assertThat(decode("kube_pod_uid", path, root)).isEqualTo(UID);
        assertThat(decode("container_id", path, root)).isEqualTo(CONTAINERD);
        assertThat(decode("kube_namespace", path, root)).isEqualTo("monitoring");
        assertThat(decode("kube_pod", path, root)).isEqualTo("node-agent-7xk2p");
        assertThat(decode("kube_container", path, root)).isEqualTo("agent");
    }

    @Test
    void eachRuntimeNamingAndBothDriversAreRecognised(@TempDir Path root) throws Exception {
        node(root);
        String systemdPod = "/kubepods.slice/kubepods-pod" + UID.replace('-', '_') + ".slice/";
        Map<String, String> containerOfPath = Map.of(
                systemdPod + "crio-" + CRIO + ".scope", "sidecar",
                systemdPod + "docker-" + DOCKER + ".scope", "legacy",
                "/kubepods/besteffort/pod" + UID + "/" + CONTAINERD, "agent",
                "/kubepods/pod" + UID + "/crio-" + CRIO, "sidecar",
                "/kubepods/burstable/pod" + UID + "/" + DOCKER, "legacy");
        for (var entry : containerOfPath.entrySet()) {
            assertThat(decode("kube_pod_uid", entry.getKey(), root)).as(entry.getKey()).isEqualTo(UID);
            assertThat(decode("kube_pod", entry.getKey(), root)).as(entry.getKey()).isEqualTo("node-agent-7xk2p");
            assertThat(decode("kube_container", entry.getKey(), root)).as(entry.getKey()).isEqualTo(entry.getValue());
        }
    }

    @Test
    void podCgroupItselfHasNoContainerAndHostCgroupsHaveNoPod(@TempDir Path root) throws Exception {
        node(root);
        String pod = "/kubepods/burstable/pod" + UID;
        assertThat(decode("kube_pod", pod, root)).isEqualTo("node-agent-7xk2p");
        assertThat(decode("container_id", pod, root)).isEmpty();
        assertThat(decode("kube_container", pod, root)).isEmpty();
        // CRI-O's conmon runs in a scope of its own beside the container: not a container.
        assertThat(decode("container_id", "/kubepods.slice/kubepods-pod" + UID.replace('-', '_')
                + ".slice/crio-conmon-" + CRIO + ".scope", root)).isEmpty();
        for (String host : List.of("/sys/fs/cgroup/system.slice/ssh.service", "/sys/fs/cgroup", "unknown_cgroup_id:7")) {
            assertThat(decode("kube_pod_uid", host, root)).as(host).isEmpty();
            assertThat(decode("kube_namespace", host, root)).as(host).isEmpty();
        }
    }

    @Test
    void namesThatCannotBeFoundAreEmpty(@TempDir Path root) throws Exception {
        String path = "/kubepods/burstable/pod" + UID + "/" + CONTAINERD;
        assertThat(decode("kube_pod_uid", path, root)).isEqualTo(UID);
        assertThat(decode("kube_pod", path, root)).isEmpty();
        assertThat(decode("kube_container", path, root)).isEmpty();
    }

    @Test
    void unknownPodRescansTheNodeAtMostOncePerInterval(@TempDir Path root) throws Exception {
        AtomicLong now = new AtomicLong();
        KubeNodeFiles files = new KubeNodeFiles(root, now::get);
        assertThat(files.pod(UID)).isEmpty();
        assertThat(files.container(CONTAINERD)).isEmpty();
        node(root);
        now.addAndGet(KubeNodeFiles.RESCAN_NANOS - 1);
        assertThat(files.pod(UID)).as("not rescanned yet").isEmpty();
        assertThat(files.container(CONTAINERD)).as("not read again yet").isEmpty();
        now.addAndGet(1);
        assertThat(files.pod(UID)).contains(new KubeNames.Pod("monitoring", "node-agent-7xk2p"));
        // Found once, cached: the files going away does not lose the name.
        assertThat(files.container(CONTAINERD)).contains("agent");
        Files.delete(root.resolve("run/containerd/io.containerd.runtime.v2.task/k8s.io/" + CONTAINERD + "/config.json"));
        assertThat(files.container(CONTAINERD)).contains("agent");
    }

    /**
     * Real cgroups: a cgroup2 subtree made here for each naming scheme, its directory's inode (the
     * cgroup id BPF reports) decoded by the cgroup decoder, then by the kube decoders.
     */
    @Test
    void realCgroupsOfEachSchemeDecodeFromTheirIds(@TempDir Path root) throws Exception {
        node(root);
        Path unified = Path.of("/sys/fs/cgroup/unified");
        Path mount = Files.isDirectory(unified) ? unified : Path.of("/sys/fs/cgroup");
        assertThat(Files.readString(Path.of("/proc/mounts"))).as("cgroup2 mounted at " + mount)
                .containsPattern("cgroup2 " + mount + " cgroup2");
        Path top = mount.resolve("ebpf-exporter-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        String systemdUid = UID.replace('-', '_');
        Map<String, String> containerOfPath = Map.of(
                "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + systemdUid + ".slice/cri-containerd-" + CONTAINERD + ".scope", "agent",
                "kubepods.slice/kubepods-pod" + systemdUid + ".slice/crio-" + CRIO + ".scope", "sidecar",
                "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + systemdUid + ".slice/docker-" + DOCKER + ".scope", "legacy",
                "kubepods/burstable/pod" + UID + "/" + CONTAINERD, "agent",
                "kubepods/pod" + UID + "/crio-" + CRIO, "sidecar");
        List<Path> created = new ArrayList<>();
        try {
            for (String relative : containerOfPath.keySet()) {
                Path dir = top;
                for (String segment : ("x/" + relative).substring(2).split("/")) {
                    dir = dir.resolve(segment);
                    if (!Files.isDirectory(dir)) {
                        Files.createDirectories(dir);
                        created.add(dir);
                    }
                }
            }
            created.add(0, top);
            KernelLookups system = KernelLookups.under(Path.of("/"), Architecture.X86_64);
            KernelLookups lookups = new KernelLookups(system.symbols(), system.blockDevices(), system.netInterfaces(),
                    new CgroupWalker(() -> mount), system.pciIds(), system.arch(), new KubeNodeFiles(root, System::nanoTime));
            DecoderRegistry registry = new DecoderRegistry(lookups);
            Decoder cgroup = registry.create(DecoderConfig.named("cgroup"), -1); // after uint, as in a config
            for (var entry : containerOfPath.entrySet()) {
                Path dir = top.resolve(entry.getKey());
                long id = (Long) Files.getAttribute(dir, "unix:ino", LinkOption.NOFOLLOW_LINKS);
                byte[] path = cgroup.decode(text(Long.toString(id)));
                assertThat(text(path)).isEqualTo(dir.toString());
                assertThat(text(registry.create(DecoderConfig.named("kube_pod_uid"), -1).decode(path))).isEqualTo(UID);
                assertThat(text(registry.create(DecoderConfig.named("kube_namespace"), -1).decode(path))).isEqualTo("monitoring");
                assertThat(text(registry.create(DecoderConfig.named("kube_pod"), -1).decode(path))).isEqualTo("node-agent-7xk2p");
                assertThat(text(registry.create(DecoderConfig.named("kube_container"), -1).decode(path)))
                        .as(entry.getKey()).isEqualTo(entry.getValue());
            }
        } finally {
            // cgroups go with rmdir, deepest first.
            created.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
            for (Path dir : created) {
                Files.deleteIfExists(dir);
            }
        }
    }
}
