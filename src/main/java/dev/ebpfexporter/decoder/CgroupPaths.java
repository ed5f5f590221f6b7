package dev.ebpfexporter.decoder;

import java.util.Optional;

/** Cgroup ids (the inode number of the cgroup's directory) to cgroupfs paths. */
public interface CgroupPaths {
    Optional<String> path(long id);
}
