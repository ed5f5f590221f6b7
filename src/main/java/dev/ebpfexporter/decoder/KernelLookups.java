package dev.ebpfexporter.decoder;

import dev.ebpfexporter.platform.Architecture;

import java.nio.file.Path;
import java.util.List;

/**
 * What decoders need to know about the machine, each behind a small interface so that tests can
 * give fixed data.
 *
 * @param arch the machine's architecture, whose syscall table the {@code syscall} decoder reads
 */
public record KernelLookups(KernelSymbols symbols, BlockDevices blockDevices, NetInterfaces netInterfaces,
                            CgroupPaths cgroups, PciIds pciIds, Architecture arch, KubeNames kube) {

    /** The running machine. Nothing is read until a decoder needs it. */
    public static KernelLookups forSystem() {
        return under(Path.of("/"), Architecture.current());
    }

    /**
     * A machine whose files live under {@code root}: {@code proc/kallsyms}, {@code proc/partitions},
     * {@code sys/dev/block}, {@code sys/class/net}, the cgroup v2 mount named in {@code proc/self/mountinfo}
     * (else {@code sys/fs/cgroup}) and pci.ids in
     * {@code usr/share/hwdata} or {@code usr/share/misc}, pod and container names in
     * {@code var/log/pods} and the container runtimes' state under {@code run} and {@code var/lib/docker}. Tests point this at fixture trees.
     */
    public static KernelLookups under(Path root, Architecture arch) {
        return new KernelLookups(
                new Kallsyms(root.resolve("proc/kallsyms")),
                new ProcPartitions(root.resolve("proc/partitions"), root.resolve("sys/dev/block")),
                new SysClassNet(root.resolve("sys/class/net")),
                // Without a v2 hierarchy, all of /sys/fs/cgroup, as the reference walks it.
                new CgroupWalker(() -> CgroupRoot.find(root).orElse(root.resolve("sys/fs/cgroup"))),
                new PciIdsFile(List.of(root.resolve("usr/share/hwdata/pci.ids"), root.resolve("usr/share/misc/pci.ids"))),
                arch,
                new KubeNodeFiles(root, System::nanoTime));
    }
}
